// Where the kiosk finds its assets and keeps its state.
#pragma once

#include <string>

#include "core/config.hpp"

namespace kiosk {

// kiosk.assets_dir, else $KIOSK_ASSETS_DIR, else the source tree's assets/ (a build tree),
// else the installed location.
std::string resolve_assets_dir(const Config& config);
// kiosk.state_dir, else $KIOSK_STATE_DIR, else $XDG_STATE_HOME/estation-kiosk, else
// ~/.local/state/estation-kiosk; created if missing.
std::string resolve_state_dir(const Config& config);

}  // namespace kiosk
