// The hall backend as the app wires it: the libcurl client with its durable outbox and offline
// cache, pointed at the configured hall, or at the hall simulator started in this process when
// `backend.url = "sim:"` (the demo). The core hears only "hall up/down" events from here; the
// service flows (issue 8) will submit requests through port().
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/events.hpp"

namespace kiosk::api {
class HallPort;
}
namespace kiosk::backend {
class Client;
class Outbox;
}  // namespace kiosk::backend
namespace kiosk::hallsim {
class HallSim;
}

namespace kiosk::app {

class Hall {
  public:
    Hall(const Config& config, std::string state_dir);
    ~Hall();
    // Starts the simulator (for "sim:"), the outbox and the client, and registers the kiosk.
    // Failures are logged and reported as "hall down"; they never stop the kiosk.
    void start();
    // Availability changes since the last call (never blocks).
    std::vector<Event> poll();
    api::HallPort* port();
    // The in-process simulator, when there is one (scenarios stop and start it: "hall down").
    hallsim::HallSim* simulator() { return sim_.get(); }

  private:
    const Config& config_;
    std::string state_dir_;
    std::unique_ptr<hallsim::HallSim> sim_;
    std::unique_ptr<backend::Outbox> outbox_;
    std::unique_ptr<backend::Client> client_;
    int reachable_ = -1;  // unknown
    std::vector<Event> pending_;
};

}  // namespace kiosk::app
