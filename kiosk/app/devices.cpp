#include "app/devices.hpp"

#include "core/log.hpp"

namespace kiosk::app {

Devices::Devices(const Config& config) : config_(config) {}
Devices::~Devices() = default;

void Devices::start() {
    log::get("devices")->info("idcard on {}", config_.devices.idcard);
}

std::vector<Event> Devices::poll() {
    std::vector<Event> out;
    out.swap(pending_);
    return out;
}

void Devices::cancel_all() {}

bool Devices::simulate(const std::string& device, const std::string& action) {
    log::get("devices")->warn("no simulator for {} ({})", device, action);
    return false;
}

}  // namespace kiosk::app
