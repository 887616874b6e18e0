// What the production `kiosk` program refuses to start on (kiosk/app/main.cpp): the built-in
// configuration is the demo's, so a kiosk started without a configuration file, or with a
// setting that still names a simulator ("sim:..."), would quietly serve citizens from simulated
// devices and a simulated hall. Only `kiosk-demo` runs simulators.
#pragma once

#include <string>
#include <vector>

#include "core/config.hpp"

namespace kiosk::app {

// One line per problem, naming the setting and what to put there; empty: fit for production.
std::vector<std::string> production_problems(const Config& config, const std::string& config_path);

}  // namespace kiosk::app
