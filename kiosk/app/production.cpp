#include "app/production.hpp"

#include <utility>

namespace kiosk::app {

std::vector<std::string> production_problems(const Config& config, const std::string& config_path) {
    std::vector<std::string> out;
    if (config_path.empty()) {
        out.emplace_back(
            "no configuration file: start with --config FILE (the package's is "
            "/etc/estation-kiosk/kiosk.toml); the built-in settings are the demo's");
        return out;
    }
    const std::pair<const char*, const std::string*> settings[] = {
        {"devices.idcard", &config.devices.idcard},
        {"devices.scanner", &config.devices.scanner},
        {"devices.printer", &config.devices.printer},
        {"devices.a4_printer", &config.devices.a4_printer},
        {"devices.locker", &config.devices.locker},
        {"devices.camera", &config.devices.camera},
        {"backend.url", &config.backend.url},
    };
    for (const auto& [name, value] : settings)
        if (value->starts_with("sim:"))
            out.emplace_back(
                std::string(name) + " = \"" + *value + "\" in " + config_path +
                " names a simulator: set the device's URI (docs/drivers/wiring.md), or "
                "\"\" when none is fitted" +
                (std::string(name) == "backend.url" ? " (the hall's https:// URL)" : ""));
    return out;
}

}  // namespace kiosk::app
