// The kiosk as a member of the fleet: the MQTT agent (kiosk/fleet) fed from the frame loop.
//
// The agent runs on its own thread; everything it needs from the program (the snapshot for the
// heartbeat) is copied here on the frame loop's thread, under a mutex. Device availability
// changes become events; accepted operator commands are carried out on the frame loop, and the
// ones that would disturb a citizen wait until nobody is being served (Agent::poll_command).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "core/config.hpp"
#include "core/events.hpp"

namespace kiosk::fleet {
class Agent;
struct Snapshot;
}  // namespace kiosk::fleet

namespace kiosk::app {

class App;

class FleetLink {
  public:
    FleetLink(const Config& config, App& app, std::string config_path);
    ~FleetLink();
    // Starts the agent when [fleet] broker is set; errors are logged, never fatal.
    void start();
    // On the frame loop: refresh the snapshot, run commands. Returns true when the program should
    // stop to restart (restart, or a pushed configuration that asks for one).
    bool step(std::int64_t now_ms);
    // Device and hall availability changes become fleet events.
    void on_event(const Event& event);
    // A staff-call step (kind assist.call / assist.cancel / assist.resolve, its outbox payload)
    // becomes an `assist` event: kiosk id, place, screen, reason code, time; no personal data.
    void assist(const std::string& kind, const std::string& payload);
    // An operator alert from the core (outbox kind alert.<what>, e.g. alert.staff_lockout: wrong
    // staff PINs) becomes a fleet event named <what> with the payload's counts; no personal data.
    void alert(const std::string& kind, const std::string& payload);

  private:
    void refresh(std::int64_t now_ms);
    bool run_commands();

    const Config& config_;
    App& app_;
    std::string config_path_;
    std::unique_ptr<fleet::Agent> agent_;
    std::mutex mu_;
    std::unique_ptr<fleet::Snapshot> snapshot_;
    std::int64_t started_ms_ = 0;
    std::int64_t refreshed_ms_ = 0;
};

}  // namespace kiosk::app
