// A page of text: coming soon, out of service.
#include "ui/screens/screens.hpp"

namespace kiosk::ui::screens {

void message(Ui& ui, const ViewModel& vm, ImVec4 area) {
    const Theme& t = ui.theme();
    ui.rect({area.x, area.y, area.z, area.w * 0.5f}, t.surface, t.radius);
    ui.text(vm.body,
            {area.x + 2 * t.gap, area.y + 2 * t.gap, area.z - 4 * t.gap, area.w * 0.5f - 4 * t.gap},
            FontRole::Large, t.text);
}

}  // namespace kiosk::ui::screens
