#include "app/hall.hpp"

#include <algorithm>

#include "api/requests.hpp"
#include "backend/client.hpp"
#include "backend/outbox.hpp"
#include "core/log.hpp"
#if KIOSK_WITH_SIMULATORS
#include "sim/hall/hallsim.hpp"
#endif

namespace kiosk::app {

api::HeartbeatInfo heartbeat_info(bool maintenance, const std::vector<DeviceInfo>& devices,
                                  std::int64_t outbox_depth) {
    api::HeartbeatInfo h;
    h.outbox_depth = std::max<std::int64_t>(outbox_depth, 0);
    bool degraded = false;
    for (const auto& d : devices) {
        std::string st = d.status;
        std::replace(st.begin(), st.end(), ' ', '_');
        static const char* known[] = {"online",         "offline",    "power_off", "no_device",
                                      "hardware_error", "user_error", "busy",      "starting"};
        if (std::find_if(std::begin(known), std::end(known),
                         [&](const char* k) { return st == k; }) == std::end(known))
            st = "offline";  // a word the contract does not know: not working
        degraded = degraded || (st != "online" && st != "busy" && st != "starting");
        h.devices.push_back({d.name, st});
    }
    h.state = maintenance ? "maintenance" : degraded ? "degraded" : "in_service";
    return h;
}

Hall::Hall(const Config& config, std::string state_dir)
    : config_(config), state_dir_(std::move(state_dir)) {}

Hall::~Hall() {
    client_.reset();  // stops the worker before the outbox and the simulator go
    outbox_.reset();
#if KIOSK_WITH_SIMULATORS
    sim_.reset();
#endif
}

void Hall::start() {
    auto log = log::get("hall");
    backend::ClientConfig c;
    c.base_url = config_.backend.url;
#if KIOSK_WITH_SIMULATORS
    if (c.base_url == "sim:") {
        hallsim::Options o;
        o.db = state_dir_ + "/hall-sim.db";
        o.auto_pay_ms = 3000;
        sim_ = std::make_shared<hallsim::HallSim>(o);
        if (!sim_->start()) {
            log->error("hall simulator did not start: {}", sim_->error());
            pending_.push_back(DeviceAvailability{"hall", false});
            return;
        }
        c.base_url = sim_->base_url();
        c.insecure_loopback = true;
        log->info("hall simulator on {}", c.base_url);
    }
#endif
    auto ob = backend::Outbox::open({.path = state_dir_ + "/outbox.db"});
    if (!ob) {
        log->error("outbox: {}", ob.error().detail);
        pending_.push_back(DeviceAvailability{"hall", false});
        return;
    }
    outbox_ = std::move(ob.value());
    c.kiosk_id = config_.kiosk.id;
    c.ca_file = config_.backend.ca_file;
    c.pinned_public_key = config_.backend.pinned_key;
    c.client_cert = config_.backend.client_cert;
    c.client_key = config_.backend.client_key;
    c.connect_timeout = std::chrono::milliseconds(config_.backend.connect_timeout_ms);
    c.total_timeout = std::chrono::milliseconds(config_.backend.total_timeout_ms);
    c.cache_path = state_dir_ + "/hall-cache.db";
    c.heartbeat_interval = std::chrono::seconds(config_.backend.heartbeat_seconds);
    auto client = backend::Client::create(c, outbox_.get());
    if (!client) {
        log->error("hall client: {}", client.error().detail);
        pending_.push_back(DeviceAvailability{"hall", false});
        return;
    }
    client_ = std::move(client.value());
    client_->submit(api::req::register_kiosk(config_.kiosk.id, KIOSK_VERSION, "demo"));
}

std::vector<Event> Hall::poll() {
    std::vector<Event> out;
    out.swap(pending_);
    if (!client_) return out;
    while (auto r = client_->poll()) {
        if (auto it = in_flight_.find(r->id); it != in_flight_.end()) {
            const std::uint64_t tag = it->second;
            in_flight_.erase(it);
            out.push_back(HallReply{tag, std::move(*r)});
            continue;
        }
        if (r->op == api::Op::register_kiosk && !r->result)
            log::get("hall")->warn("registration refused or failed: {}", r->result.error().detail);
    }
    const int reachable = client_->status().reachable ? 1 : 0;
    if (reachable != reachable_) {
        reachable_ = reachable;
        out.push_back(DeviceAvailability{"hall", reachable == 1});
    }
    return out;
}

void Hall::submit(std::uint64_t tag, api::Request request) {
    if (!client_) {
        api::Response r;
        r.op = request.op;
        r.result = api::Error{api::ErrorKind::offline, 0, {}, "no hall client"};
        pending_.push_back(HallReply{tag, std::move(r)});
        return;
    }
    in_flight_[client_->submit(std::move(request))] = tag;
}

void Hall::cancel(std::uint64_t tag) {
    for (auto& [id, t] : in_flight_)
        if (t == tag && client_) client_->cancel(id);
}

void Hall::append(std::uint64_t tag, const std::string& kind, const std::string& payload) {
    if (!outbox_) {
        pending_.push_back(OutboxStored{tag, false, "no outbox"});
        return;
    }
    auto r = outbox_->append(kind, payload);
    if (r.ok())
        pending_.push_back(OutboxStored{tag, true, {}});
    else
        pending_.push_back(OutboxStored{tag, false, r.error().describe()});
}

void Hall::set_heartbeat(const api::HeartbeatInfo& info) {
    if (client_) client_->set_heartbeat(info);
}

api::OutboxPort* Hall::outbox() {
    return outbox_.get();
}

api::HallPort* Hall::port() {
    return client_.get();
}

}  // namespace kiosk::app
