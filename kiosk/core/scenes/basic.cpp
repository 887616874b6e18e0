// Attract, home, coming-soon and out-of-service: the kiosk shell's own scenes.
#include "core/intents.hpp"
#include "core/kiosk_core.hpp"
#include "core/scenes/scenes.hpp"

namespace kiosk::scenes {

void attract_fill(const Core& core, ViewModel& vm) {
    vm.title.clear();
    vm.prompt = core.tr("attract.touch");
    vm.can_go_back = false;
}

void home_fill(const Core& core, ViewModel& vm) {
    vm.title = core.tr("home.title");
    vm.prompt = core.tr("home.prompt");
    vm.can_go_back = false;
}

bool home_event(Core& core, const Event& event) {
    const auto* intent = std::get_if<Intent>(&event);
    if (!intent || intent->action != intents::tile) return false;
    const CatalogEntry* entry = core.catalog().find(intent->arg);
    if (!entry) return false;
    for (const auto& need : entry->needs)
        if (!core.device_up(need)) return true;  // disabled tile: the banner already says why
    core.selected_service = entry->id;
    const Scene* scene = entry->ready ? find(entry->scene) : nullptr;
    core.go(scene ? scene->id : SceneId::ComingSoon);
    return true;
}

void coming_soon_fill(const Core& core, ViewModel& vm) {
    vm.title = core.tr("service." + core.selected_service + ".title");
    vm.body = core.tr("coming_soon.body");
    vm.prompt = vm.title + "。" + vm.body;
    vm.can_go_back = true;
}

void out_of_service_fill(const Core& core, ViewModel& vm) {
    vm.title = core.tr("out_of_service.title");
    vm.body = core.tr("out_of_service.body");
    vm.prompt = vm.body;
    vm.can_go_back = false;
}

}  // namespace kiosk::scenes
