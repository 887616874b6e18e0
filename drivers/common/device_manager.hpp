// DeviceManager: opens the configured devices and reports their status to the core.
//
// Each device keeps itself connected (reopen with backoff, see device.hpp); the manager creates
// them from configuration through per-kind factories, starts them, and funnels every status
// change into one queue the core drains each frame: "reader unavailable" / "ready" come from here.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/device.hpp"
#include "common/event_queue.hpp"

namespace kiosk::drivers {

struct DeviceConfig {
    std::string name;                            // "idcard", "receipt-printer", ...
    std::string kind;                            // the factory to use: "idcard", "printer", ...
    std::string uri;                             // transport URI (see transport.hpp)
    std::map<std::string, std::string> options;  // driver settings (model, protocol quirks)
};

struct DeviceStatusEvent {
    std::string device;
    DeviceStatus status;
};

using DeviceFactory =
    std::function<std::shared_ptr<Device>(const DeviceConfig&, std::string* error)>;

class DeviceManager {
  public:
    DeviceManager() = default;
    ~DeviceManager();
    DeviceManager(const DeviceManager&) = delete;
    DeviceManager& operator=(const DeviceManager&) = delete;

    void register_kind(const std::string& kind, DeviceFactory factory);
    // Creates the device from its configuration and starts it; false + error on a bad entry
    // (unknown kind, duplicate name, factory refusal). The other devices are unaffected.
    bool add(const DeviceConfig& config, std::string* error = nullptr);
    // Adds an already built device (tests, or a driver built by hand) and starts it.
    bool add(std::shared_ptr<Device> device, std::string* error = nullptr);

    std::shared_ptr<Device> get(const std::string& name) const;
    template <typename T>
    std::shared_ptr<T> get_as(const std::string& name) const {
        return std::dynamic_pointer_cast<T>(get(name));
    }
    std::vector<std::string> names() const;
    // Current status of one device (NoDevice for an unknown name).
    DeviceStatus status(const std::string& name) const;
    // Status changes of every device since the last call, oldest first; never blocks.
    std::vector<DeviceStatusEvent> poll_status() { return status_events_.drain(); }
    EventQueue<DeviceStatusEvent>& status_events() { return status_events_; }

    void stop_all();

  private:
    std::map<std::string, DeviceFactory> factories_;
    std::map<std::string, std::shared_ptr<Device>> devices_;
    EventQueue<DeviceStatusEvent> status_events_{1024};
};

}  // namespace kiosk::drivers
