// The devices the kiosk drives, as the core sees them: events in, commands out.
//
// Built from the [devices] URIs through the device manager (drivers/common). A "sim:<name>" URI
// also starts that device's wire-level simulator in this process, so the same driver code runs
// over the simulated link as over a serial port or USB (nothing is mocked above the transport).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/events.hpp"

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
    // Scenario control of the simulators (no effect on real devices):
    //   idcard: "place <card>" (resident, resident-longterm, permit-hk, foreign-2017,
    //           foreign-2023, bad-check), "remove", "unplug", "replug".
    bool simulate(const std::string& device, const std::string& action);

  private:
    const Config& config_;
    std::function<void()> wake_;
    std::vector<Event> pending_;
    std::unique_ptr<drivers::DeviceManager> manager_;
    std::unique_ptr<idcard::IdCardSimulator> idcard_sim_;
    std::shared_ptr<idcard::IdCardReader> idcard_;
};

}  // namespace kiosk::app
