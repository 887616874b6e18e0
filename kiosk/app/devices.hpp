// The devices the kiosk drives, as the core sees them: events in, commands out.
// Built from the [devices] URIs; sim:* URIs start the wire-level simulators in-process.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/events.hpp"

namespace kiosk::app {

class Devices {
public:
    explicit Devices(const Config& config);
    ~Devices();
    // Opens every configured device; failures are reported as availability events, never fatal.
    void start();
    // Events that arrived since the last call (never blocks).
    std::vector<Event> poll();
    void cancel_all();
    // Scenario control of the simulators (no effect on real devices): "place <card>", "remove".
    bool simulate(const std::string& device, const std::string& action);

private:
    const Config& config_;
    std::vector<Event> pending_;
};

}  // namespace kiosk::app
