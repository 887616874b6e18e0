#include "ui/screens/screens.hpp"

namespace kiosk::ui {

void draw_screen(Ui& ui, const ViewModel& vm) {
    ui.rect({0, 0, ui.width(), ui.height()}, ui.theme().bg);
    // Under the inactivity warning the screen stays visible but takes no taps.
    if (vm.warning) ImGui::BeginDisabled();
    if (vm.scene == SceneId::Attract) {
        screens::attract(ui, vm);
    } else {
        const ImVec4 area = screens::chrome(ui, vm);
        switch (vm.scene) {
            case SceneId::Home: screens::home(ui, vm, area); break;
            case SceneId::IdCard: screens::idcard(ui, vm, area); break;
            default: screens::message(ui, vm, area); break;
        }
    }
    if (vm.warning) {
        ImGui::EndDisabled();
        screens::warning(ui, vm);
    }
}

}  // namespace kiosk::ui
