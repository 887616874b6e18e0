#include "ui/screens/screens.hpp"

namespace kiosk::ui {

void draw_screen(Ui& ui, const ViewModel& vm) {
    // The background is the canvas' clear colour (a full-screen rectangle costs a frame's worth
    // of blending in the software renderer).
    // Under the inactivity warning the screen stays visible but takes no taps.
    if (vm.warning) ImGui::BeginDisabled();
    if (vm.scene == SceneId::Attract) {
        screens::attract(ui, vm);
    } else {
        const ImVec4 area = screens::chrome(ui, vm);
        switch (vm.scene) {
            case SceneId::Home:
                screens::home(ui, vm, area);
                break;
            case SceneId::IdCard:
                screens::idcard(ui, vm, area);
                break;
            default:
                if (!vm.page.empty() || !vm.actions.empty())
                    screens::page(ui, vm, area);
                else
                    screens::message(ui, vm, area);
                break;
        }
    }
    if (vm.warning) {
        ImGui::EndDisabled();
        screens::warning(ui, vm);
    }
}

}  // namespace kiosk::ui
