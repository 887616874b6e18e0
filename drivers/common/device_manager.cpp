// DeviceManager (see device_manager.hpp).
#include "common/device_manager.hpp"

#include "base/log.hpp"

namespace kiosk::drivers {

DeviceManager::~DeviceManager() {
    stop_all();
}

void DeviceManager::register_kind(const std::string& kind, DeviceFactory factory) {
    factories_[kind] = std::move(factory);
}

bool DeviceManager::add(const DeviceConfig& config, std::string* error) {
    static auto log = kiosk::log::get("devices");
    auto fail = [&](std::string msg) {
        log->error("device '{}': {}", config.name, msg);
        if (error) *error = std::move(msg);
        return false;
    };
    auto f = factories_.find(config.kind);
    if (f == factories_.end()) return fail("unknown device kind: " + config.kind);
    if (devices_.count(config.name)) return fail("duplicate device name");
    std::string why;
    auto device = f->second(config, &why);
    if (!device) return fail(why.empty() ? "factory refused the configuration" : why);
    return add(std::move(device), error);
}

bool DeviceManager::add(std::shared_ptr<Device> device, std::string* error) {
    if (!device || devices_.count(device->name())) {
        if (error) *error = "missing or duplicate device";
        return false;
    }
    device->set_status_listener([this](const std::string& name, DeviceStatus s) {
        status_events_.push({name, s});
    });
    status_events_.push({device->name(), device->status()});
    device->start();
    devices_[device->name()] = std::move(device);
    return true;
}

std::shared_ptr<Device> DeviceManager::get(const std::string& name) const {
    auto it = devices_.find(name);
    return it == devices_.end() ? nullptr : it->second;
}

std::vector<std::string> DeviceManager::names() const {
    std::vector<std::string> out;
    for (const auto& [n, d] : devices_) out.push_back(n);
    return out;
}

DeviceStatus DeviceManager::status(const std::string& name) const {
    auto d = get(name);
    return d ? d->status() : DeviceStatus::NoDevice;
}

void DeviceManager::stop_all() {
    for (auto& [n, d] : devices_) {
        d->set_status_listener({});
        d->stop();
    }
}

}  // namespace kiosk::drivers
