// The hall backend as the app wires it: the libcurl client with its durable outbox and offline
// cache, pointed at the configured hall, or at the hall simulator started in this process when
// `backend.url = "sim:"` (the demo). The core hears only "hall up/down" events from here; the
// service flows (issue 8) will submit requests through port().
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/requests.hpp"
#include "app/devices.hpp"
#include "core/config.hpp"
#include "core/events.hpp"

namespace kiosk::api {
class HallPort;
class OutboxPort;
}  // namespace kiosk::api
namespace kiosk::backend {
class Client;
class Outbox;
}  // namespace kiosk::backend
namespace kiosk::hallsim {
class HallSim;
}

namespace kiosk::app {

// What the hall's heartbeat says of this kiosk (the contract's HeartbeatRequest): maintenance
// while staff have it, degraded while a fitted device is not working, else in_service; each
// device's status in the contract's words ("no device" → "no_device").
api::HeartbeatInfo heartbeat_info(bool maintenance, const std::vector<DeviceInfo>& devices,
                                  std::int64_t outbox_depth);

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
    // The durable outbox (null if it could not be opened): the locker's operation reports go here.
    api::OutboxPort* outbox();
    // The core's requests: the answer comes back from poll() as HallReply{tag}. Without a client
    // (start-up failed) the answer is an "offline" error at once.
    void submit(std::uint64_t tag, api::Request request);
    void cancel(std::uint64_t tag);
    // Durably records an event for the hall; OutboxStored{tag} comes back from poll().
    void append(std::uint64_t tag, const std::string& kind, const std::string& payload);
    bool pending() const { return !in_flight_.empty(); }
    // What the next heartbeats report (sent by the client's worker every
    // backend.heartbeat_seconds; 0 = none).
    void set_heartbeat(const api::HeartbeatInfo& info);
    // The in-process simulator, when there is one (kiosk-demo; scenarios stop and start it:
    // "hall down"). Always null in the production program.
#if KIOSK_WITH_SIMULATORS
    hallsim::HallSim* simulator() {
        return sim_.get();
    }
#endif

  private:
    const Config& config_;
    std::string state_dir_;
#if KIOSK_WITH_SIMULATORS
    std::shared_ptr<hallsim::HallSim> sim_;
#endif
    std::unique_ptr<backend::Outbox> outbox_;
    std::unique_ptr<backend::Client> client_;
    int reachable_ = -1;                                // unknown
    std::map<std::uint64_t, std::uint64_t> in_flight_;  // client request id → core tag
    std::vector<Event> pending_;
};

}  // namespace kiosk::app
