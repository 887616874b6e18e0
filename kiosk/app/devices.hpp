// The devices the kiosk drives, as the core sees them: events in, commands out.
//
// Built from the [devices] URIs through the device manager (drivers/common). A "sim:<name>" URI
// also starts that device's wire-level simulator in this process, so the same driver code runs
// over the simulated link as over a serial port or USB (nothing is mocked above the transport).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/events.hpp"

namespace kiosk::api {
class OutboxPort;
}
namespace kiosk::drivers {
class DeviceManager;
}
namespace kiosk::idcard {
class IdCardReader;
class IdCardSimulator;
}  // namespace kiosk::idcard

namespace kiosk::app {

class Devices {
  public:
    // `wake` is called on a device thread whenever an event is waiting (the frame loop sleeps).
    Devices(const Config& config, std::function<void()> wake);
    ~Devices();
    // Opens every configured device; failures are reported as availability events, never fatal.
    void start();
    // Events that arrived since the last call (never blocks).
    std::vector<Event> poll();
    void cancel_all();
    // Carries out a device effect of the core (print, locker, camera); the answer comes back
    // through poll() (PrintDone, LockerUpdate).
    void apply(const Effect& effect);
    // Where operation reports go (the locker's pickup.completed / deposit.made); set before
    // start(). May be null (no outbox): reports then wait in the locker journal.
    void set_outbox(api::OutboxPort* outbox) { outbox_ = outbox; }
    // The live camera preview for the UI: fills RGB (packed, w×h×3) and returns true when there
    // is a newer frame than the last call; false when nothing new or no camera.
    bool camera_preview(int& w, int& h, std::vector<std::uint8_t>& rgb);
    // Scenario control of the simulators (no effect on real devices):
    //   idcard: "place <card>" (resident, resident-longterm, permit-hk, foreign-2017,
    //           foreign-2023, bad-check), "remove", "unplug", "replug".
    bool simulate(const std::string& device, const std::string& action);

  private:
    const Config& config_;
    api::OutboxPort* outbox_ = nullptr;
    std::function<void()> wake_;
    std::vector<Event> pending_;
    std::unique_ptr<drivers::DeviceManager> manager_;
    std::unique_ptr<idcard::IdCardSimulator> idcard_sim_;
    std::shared_ptr<idcard::IdCardReader> idcard_;
};

}  // namespace kiosk::app
