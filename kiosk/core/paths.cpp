#include "core/paths.hpp"

#include <cstdlib>
#include <filesystem>

namespace kiosk {

std::string resolve_assets_dir(const Config& config) {
    namespace fs = std::filesystem;
    if (!config.kiosk.assets_dir.empty()) return config.kiosk.assets_dir;
    if (const char* env = std::getenv("KIOSK_ASSETS_DIR"); env && *env) return env;
    std::error_code ec;
    if (fs::exists(fs::path(KIOSK_SOURCE_ASSETS_DIR) / "i18n", ec)) return KIOSK_SOURCE_ASSETS_DIR;
    return KIOSK_INSTALLED_ASSETS_DIR;
}

std::string resolve_state_dir(const Config& config) {
    namespace fs = std::filesystem;
    std::string dir = config.kiosk.state_dir;
    if (dir.empty()) {
        if (const char* env = std::getenv("KIOSK_STATE_DIR"); env && *env) dir = env;
    }
    if (dir.empty()) {
        if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg) {
            dir = std::string(xdg) + "/estation-kiosk";
        } else if (const char* home = std::getenv("HOME"); home && *home) {
            dir = std::string(home) + "/.local/state/estation-kiosk";
        } else {
            dir = "/var/lib/estation-kiosk";
        }
    }
    std::error_code ec;
    fs::create_directories(dir, ec);
    return dir;
}

}  // namespace kiosk
