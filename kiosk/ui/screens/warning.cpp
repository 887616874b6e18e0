// The inactivity warning: a modal over the screen with a countdown and one big "continue".
// Any touch extends the session (the frame loop reports every touch as activity).
#include "core/intents.hpp"
#include "ui/screens/screens.hpp"

namespace kiosk::ui::screens {

void warning(Ui& ui, const ViewModel& vm) {
    const Theme& t = ui.theme();
    const float W = ui.width(), H = ui.height();
    ui.rect({0, 0, W, H}, t.overlay);
    const ImVec4 box{t.margin * 2, H * 0.28f, W - 4 * t.margin, H * 0.40f};
    ui.rect(box, t.surface, t.radius);
    float y = box.y + 2 * t.gap;
    y += ui.text(vm.warning_title,
                 {box.x + 2 * t.gap, y, box.z - 4 * t.gap, ui.fonts().size(FontRole::Title) * 2.7f},
                 FontRole::Title, t.text, Ui::Align::Center);
    ui.text(std::to_string(vm.warning_seconds_left),
            {box.x, y, box.z, ui.fonts().size(FontRole::Clock) * 1.2f}, FontRole::Clock, t.accent,
            Ui::Align::Center, false);
    y += ui.fonts().size(FontRole::Clock) * 1.1f;
    ui.text(vm.warning_text,
            {box.x + 2 * t.gap, y, box.z - 4 * t.gap, ui.fonts().size(FontRole::Large) * 4},
            FontRole::Large, t.text, Ui::Align::Center);
    const Intent extend{intents::extend, ""};
    ui.button(
        intents::extend, vm.warning_button,
        {box.x + 2 * t.gap, box.y + box.w - t.button_h - 2 * t.gap, box.z - 4 * t.gap, t.button_h},
        Ui::Style::Primary, true, &extend, FontRole::Title);
}

}  // namespace kiosk::ui::screens
