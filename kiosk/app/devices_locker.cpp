// The locker part of Devices: LockerService over the configured buses, its journal at
// <state_dir>/locker.db, operation reports appended to the outbox exactly once (append_once with
// the operation key), every LockerEvent turned into a LockerUpdate for the core.
// "sim:locker" reads assets/locker/demo.toml and starts one locker simulator per bus on a
// pseudo-terminal; the compartments listed in its [sim] occupied hold an item (the hall
// simulator's seeded pickups).
#include <atomic>
#include <chrono>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "api/port.hpp"
#include "app/devices_parts.hpp"
#include "backend/outbox.hpp"
#include "core/log.hpp"
#include "core/toml_text.hpp"
#include "locker/service.hpp"
#if KIOSK_WITH_SIMULATORS
#include "sim/locker/locker_sim.hpp"
#include "sim/locker/sim_server.hpp"
#endif

namespace kiosk::app::detail {
namespace {

auto lg() {
    static auto l = log::get("devices");
    return l;
}

LockerRefusal admit_reason(locker::LockerService::Admit a) {
    using A = locker::LockerService::Admit;
    switch (a) {
        case A::Accepted:
            return LockerRefusal::none;
        case A::Duplicate:
            return LockerRefusal::duplicate;
        case A::NoSuchCompartment:
            return LockerRefusal::no_such_compartment;
        case A::NotAvailable:
            return LockerRefusal::not_available;
        case A::WrongState:
            return LockerRefusal::wrong_state;
        case A::JournalError:
            return LockerRefusal::journal;
    }
    return LockerRefusal::not_available;
}

LockerOutcome outcome_of(locker::Outcome o) {
    using O = locker::Outcome;
    switch (o) {
        case O::None:
            return LockerOutcome::none;
        case O::Completed:
            return LockerOutcome::completed;
        case O::NoChange:
            return LockerOutcome::no_change;
        case O::Jammed:
            return LockerOutcome::jammed;
        case O::NoReply:
            return LockerOutcome::no_reply;
        case O::Cancelled:
            return LockerOutcome::cancelled;
        case O::Uncertain:
            return LockerOutcome::uncertain;
    }
    return LockerOutcome::none;
}

std::string read_file(const std::string& path, std::string* error) {
    std::string text;
    if (!read_text_file(path, text)) *error = "cannot read " + path;
    return text;
}

[[maybe_unused]] std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

}  // namespace

struct LockerPart::Impl {
    // Reports go to the outbox: append_once keyed by the operation key, so a report repeated
    // after a crash (closed but not yet marked reported in the journal) is stored once.
    class Reporter final : public locker::OperationReporter {
      public:
        explicit Reporter(Impl& impl) : impl_(impl) {}
        bool report(const locker::OperationReport& r) override {
            api::OutboxPort* port = impl_.env.outbox;
            if (!port) return false;  // waits in the journal, retried
            const char* kind = r.kind == locker::OpKind::Pickup    ? "pickup.completed"
                               : r.kind == locker::OpKind::Deposit ? "deposit.made"
                                                                   : "locker.staff_open";
            nlohmann::json p{{"operation_key", r.key},
                             {"compartment", r.compartment},
                             {"outcome", locker::to_string(r.outcome)},
                             {"created_ms", r.created_ms},
                             {"settled_ms", r.settled_ms}};
            if (r.kind == locker::OpKind::Pickup) {
                p["authorization_id"] = r.key;
                std::lock_guard lock(impl_.mutex);
                auto it = impl_.pickup_ids.find(r.key);
                // Only a pickup that happened marks the certificate collected.
                if (it != impl_.pickup_ids.end() && r.outcome == locker::Outcome::Completed)
                    p["pickup_id"] = it->second;
            }
            const std::string body = p.dump();
            api::Result<std::int64_t> res = [&]() -> api::Result<std::int64_t> {
                if (auto* ob = dynamic_cast<backend::Outbox*>(port))
                    return ob->append_once(kind, r.key, body);
                return port->append(kind, body);  // at least once: the hall dedupes on the key
            }();
            if (!res.ok()) {
                std::lock_guard lock(impl_.mutex);
                impl_.last_error = "outbox: " + res.error().describe();
                return false;
            }
            std::lock_guard lock(impl_.mutex);
            ++impl_.reported;
            return true;
        }

      private:
        Impl& impl_;
    };

    explicit Impl(Env& e) : env(e), reporter(*this) {}
    ~Impl() {
        if (service) service->stop();
        service.reset();
#if KIOSK_WITH_SIMULATORS
        for (auto& s : servers) s->stop();
#endif
    }

    Env& env;
    Reporter reporter;
    locker::LockerConfig cfg;
#if KIOSK_WITH_SIMULATORS
    std::vector<std::unique_ptr<locker::sim::LockerSim>> sims;  // one per bus ("sim:locker")
    std::vector<std::unique_ptr<locker::sim::SimServer>> servers;
#endif
    std::unique_ptr<locker::Journal> journal;
    std::unique_ptr<locker::LockerService> service;

    mutable std::mutex mutex;  // guards what follows (service thread and UI thread)
    std::map<std::string, std::string> pickup_ids;  // operation key → hall pickup id
    std::set<std::pair<int, int>> offline;          // (bus, board)
    std::size_t boards = 0;
    bool up = false, up_known = false;
    std::string last_error;
    std::int64_t started = 0, completed = 0, jammed = 0, refused = 0, reported = 0, alarms = 0;

    void set_up(bool now) {
        {
            std::lock_guard lock(mutex);
            if (up_known && up == now) return;
            up_known = true;
            up = now;
        }
        env.post(DeviceAvailability{"locker", now});
    }

    bool load(std::string* error);
    bool start_sims(const std::vector<int>& occupied, std::string* error);
    void on_event(const locker::LockerEvent& e);
    void find_boards(std::uint64_t tag);
    std::atomic<std::uint64_t> boards_tag{0};  // the search asked for; 0: none queued
    const locker::CompartmentConfig* find(int n) const {
        for (const auto& c : cfg.compartments)
            if (c.number == n) return &c;
        return nullptr;
    }
#if KIOSK_WITH_SIMULATORS
    locker::sim::LockerSim* sim_of(const locker::CompartmentConfig& c) {
        const std::size_t bus = cfg.banks[c.bank].bus;
        return bus < sims.size() ? sims[bus].get() : nullptr;
    }
#endif
};

bool LockerPart::Impl::load(std::string* error) {
    const std::string& setting = env.config.devices.locker;
#if KIOSK_WITH_SIMULATORS
    const bool demo = setting == "sim:locker";
#else
    const bool demo = false;  // the production program has no simulated wall
#endif
    if (setting.starts_with("sim:") && !demo) {
        *error = "unknown locker simulator '" + setting + "' (only sim:locker)";
        return false;
    }
    const std::string path = demo ? env.assets_dir + "/locker/demo.toml" : setting;
    const std::string text = read_file(path, error);
    if (text.empty()) {
        if (error->empty()) *error = path + " is empty";
        return false;
    }
    auto parsed = locker::parse_locker_config(text, error);
    if (!parsed) {
        *error = path + ": " + *error;
        return false;
    }
    cfg = std::move(*parsed);
    if (demo || cfg.journal_path.empty()) cfg.journal_path = env.state_dir + "/locker.db";
    std::vector<int> occupied;
    std::map<int, std::int64_t> loaded_days_ago;  // compartment → days (an overdue item)
    if (demo) {
        toml::table root;
        if (!parse_toml(text, path, root)) {
            if (auto* arr = root["sim"]["occupied"].as_array())
                for (auto& n : *arr)
                    if (auto v = n.value<std::int64_t>()) occupied.push_back(static_cast<int>(*v));
            if (auto* t = root["sim"]["loaded_days_ago"].as_table())
                for (auto& [k, v] : *t) {
                    const std::string key(k.str());
                    auto days = v.value<std::int64_t>();
                    if (key.empty() || key.size() > 6 ||
                        key.find_first_not_of("0123456789") != std::string::npos || !days ||
                        *days < 0 || *days > 3650) {
                        *error = path + ": [sim] loaded_days_ago wants compartment = days";
                        return false;
                    }
                    loaded_days_ago[std::stoi(key)] = *days;
                }
        }
    }
    journal = locker::Journal::open(cfg.journal_path, error);
    if (!journal) return false;
    if (demo) {
        // Seed a fresh journal with the demo's occupied compartments (once: a compartment the
        // journal already knows keeps its inventory, e.g. after a pickup and a restart).
        const auto known = journal->inventory();
        const std::int64_t now = locker::wall_ms();
        for (int n : occupied)
            if (!known.contains(n) && find(n)) {
                auto it = loaded_days_ago.find(n);
                const std::int64_t since =
                    it == loaded_days_ago.end() ? 0 : now - it->second * 24 * 3600 * 1000;
                journal->set_inventory(n, {locker::Inventory::Occupied, false, since},
                                       locker::Sync::Full);
            }
        if (!start_sims(occupied, error)) return false;
    }
    std::set<std::pair<std::size_t, int>> b;
    for (const auto& c : cfg.compartments) b.insert({cfg.banks[c.bank].bus, c.board});
    boards = b.size();
    return true;
}

bool LockerPart::Impl::start_sims(const std::vector<int>&, std::string* error) {
#if !KIOSK_WITH_SIMULATORS
    *error = "no locker simulator in this program";
    return false;
#else
    const auto inventory = journal->inventory();
    for (std::size_t bus = 0; bus < cfg.buses.size(); ++bus) {
        locker::sim::SimConfig sc;
        sc.dialect = cfg.buses[bus].dialect;
        std::map<int, locker::sim::BoardSpec> specs;
        for (const auto& c : cfg.compartments) {
            const auto& bank = cfg.banks[c.bank];
            if (bank.bus != bus) continue;
            sc.door_open_reads_set = bank.door_open_when_set;
            sc.item_present_reads_set = bank.item_present_when_set;
            auto& s = specs[c.board];
            s.address = c.board;
            s.channels = std::max({s.channels, c.channel, bank.board_channels});
            s.item_sensors = s.item_sensors || bank.item_sensors;
        }
        for (auto& [addr, s] : specs) {
            (void)addr;
            sc.boards.push_back(s);
        }
        for (auto& s : sc.boards) s.channels = std::min(s.channels, sc.dialect->max_channels);
        auto sim = std::make_unique<locker::sim::LockerSim>(sc);
        // What the journal says is in the wall is what the simulated wall holds.
        for (const auto& c : cfg.compartments)
            if (cfg.banks[c.bank].bus == bus) {
                auto it = inventory.find(c.number);
                if (it != inventory.end() && it->second.inventory == locker::Inventory::Occupied)
                    sim->set_item(c.board, c.channel, true);
            }
        auto server = std::make_unique<locker::sim::SimServer>(*sim);
        const std::string pty = server->open_pty();
        if (pty.empty()) {
            *error = "locker simulator: no pseudo-terminal";
            return false;
        }
        server->start();
        cfg.buses[bus].uri = "serial:" + pty;
        sims.push_back(std::move(sim));
        servers.push_back(std::move(server));
    }
    return true;
#endif
}

void LockerPart::Impl::on_event(const locker::LockerEvent& e) {
    using T = locker::LockerEvent::Type;
    using O = locker::Outcome;
    // Service thread: bookkeeping under the mutex, then one event posted for the core.
    if (e.type == T::BoardOffline || e.type == T::BoardOnline) {
        bool now;
        {
            std::lock_guard lock(mutex);
            if (e.type == T::BoardOffline)
                offline.insert({e.bus, e.board});
            else
                offline.erase({e.bus, e.board});
            now = offline.size() < boards;
            if (e.type == T::BoardOffline)
                last_error = "board " + std::to_string(e.board) + " offline";
        }
        set_up(now && journal);
        return;
    }
    // The service's event in the core's words (events.hpp): one enum value each.
    LockerUpdate u{e.key, e.compartment};
    switch (e.type) {
        case T::UnlockSent:
            u.what = LockerStep::unlock_sent;
            break;
        case T::AlreadyOpen:
            u.what = LockerStep::already_open;
            break;
        case T::Opened:
        case T::OpenedAndClosed:  // a Closed follows
            u.what = LockerStep::opened;
            break;
        case T::Closed:
            u.what = LockerStep::closed;
            u.outcome = outcome_of(e.outcome);
            break;
        case T::Jammed:
            u.what = LockerStep::jammed;
            break;
        case T::NoReply:
            u.what = LockerStep::no_reply;
            break;
        case T::LeftOpen:
            u.what = LockerStep::left_open;
            break;
        case T::Tamper:
            u.what = LockerStep::tamper;
            break;
        case T::SensorAlert:  // maintenance: a pickup fired through a sensor that read open
            u.what = LockerStep::sensor_alert;
            break;
        case T::Reported:
            u.what = LockerStep::reported;
            break;
        case T::BoardOffline:
        case T::BoardOnline:
            return;
    }
    {
        std::lock_guard lock(mutex);
        if (e.type == T::Closed && e.outcome == O::Completed) ++completed;
        if (e.type == T::Jammed) {
            ++jammed;
            last_error = "compartment " + std::to_string(e.compartment) + " jammed";
        }
        if (e.type == T::LeftOpen || e.type == T::Tamper || e.type == T::NoReply ||
            e.type == T::SensorAlert)
            ++alarms;
        if (e.type == T::SensorAlert)
            last_error = "compartment " + std::to_string(e.compartment) + " door sensor";
    }
    env.post(std::move(u));
}

LockerPart::LockerPart(Env& env) : impl_(std::make_unique<Impl>(env)) {}

LockerPart::~LockerPart() = default;

void LockerPart::start() {
    std::string err;
    if (!impl_->load(&err)) {
        lg()->error("lockers: {}", err);
        {
            std::lock_guard lock(impl_->mutex);
            impl_->last_error = err;
        }
        impl_->journal.reset();
        impl_->set_up(false);
        return;
    }
    impl_->service =
        std::make_unique<locker::LockerService>(impl_->cfg, *impl_->journal, impl_->reporter);
    Impl* impl = impl_.get();
    impl_->service->set_event_handler([impl](const locker::LockerEvent& e) { impl->on_event(e); });
    impl_->set_up(true);
    if (!impl_->service->start()) {
        std::lock_guard lock(impl_->mutex);
        impl_->last_error = "locker journal not available";
    }
#if KIOSK_WITH_SIMULATORS
    const bool simulated = !impl_->sims.empty();
#else
    const bool simulated = false;
#endif
    lg()->info("lockers: {} compartments on {} bus(es){}", impl_->cfg.compartments.size(),
               impl_->cfg.buses.size(), simulated ? " (simulated)" : "");
}

// Which boards answer, for the service menu: the service searches between operations and the
// answer is posted to the core from its thread.
void LockerPart::Impl::find_boards(std::uint64_t tag) {
    // A search asked for while one is queued is answered by that one, under the newest tag.
    const bool queued = boards_tag.exchange(tag) != 0;
    if (queued) return;
    if (!service || !service->find_boards([this](const locker::BoardsFound& found) {
            LockerBoards out{boards_tag.exchange(0), true, {}};
            for (const auto& b : found.buses) {
                LockerBoards::Bus r;
                r.bus = static_cast<int>(b.bus);
                r.name = b.name;
                r.dialect = b.dialect;
                r.link = b.link;
                r.method = b.method;
                r.probed_from = b.probed_from;
                r.probed_to = b.probed_to;
                r.configured = b.configured;
                r.answering = b.answering;
                r.failed = b.error != locker::BusError::None;
                for (int board : b.configured) {
                    int n = 0;
                    for (const auto& c : cfg.compartments)
                        if (cfg.banks[c.bank].bus == b.bus && c.board == board) ++n;
                    r.doors.push_back(n);
                }
                out.buses.push_back(std::move(r));
            }
            env.post(std::move(out));
        })) {
        boards_tag = 0;
        env.post(LockerBoards{tag, false, {}});  // no locker service running
    }
}

void LockerPart::apply(const Effect& effect) {
    if (const auto* f = std::get_if<fx::LockerBoards>(&effect)) {
        impl_->find_boards(f->tag);
        return;
    }
    if (const auto* op = std::get_if<fx::LockerOpenAll>(&effect)) {
        // Staff only (the service menu is behind the staff login, the flow audits it): every
        // door of the board becomes its own journaled StaffOpen "<key>#<n>", reported to the
        // outbox like any staff opening; their LockerUpdates carry those keys.
        const int admitted =
            impl_->service ? impl_->service->staff_open_all(op->key, op->bus, op->board) : 0;
        if (admitted == 0) {
            std::lock_guard lock(impl_->mutex);
            ++impl_->refused;
        } else {
            std::lock_guard lock(impl_->mutex);
            impl_->started += admitted;
        }
        if (admitted == 0)
            impl_->env.post(LockerUpdate{op->key, 0, LockerStep::refused, LockerOutcome::none,
                                         LockerRefusal::not_available});
        return;
    }
    // Every locker effect names its operation key and (but a deposit) a compartment.
    const std::string* key = nullptr;
    int n = 0;
    std::visit(overloaded{
                   [&](const fx::LockerPickup& op) {
                       key = &op.key;
                       n = op.compartment;
                   },
                   [&](const fx::LockerDeposit& op) { key = &op.key; },
                   [&](const fx::LockerOpen& op) {
                       key = &op.key;
                       n = op.compartment;
                   },
                   [&](const fx::LockerMark& op) {
                       key = &op.key;
                       n = op.compartment;
                   },
                   [](const auto&) {},
               },
               effect);
    if (!key) return;
    auto& s = impl_->service;
    auto refuse = [&](int compartment, LockerRefusal why) {
        {
            std::lock_guard lock(impl_->mutex);
            ++impl_->refused;
        }
        LockerUpdate u{*key, compartment, LockerStep::refused};
        u.refusal = why;
        impl_->env.post(std::move(u));
    };
    using R = LockerRefusal;
    if (!s) return refuse(n, R::not_available);
    if (key->empty()) return refuse(n, R::not_available);
    using A = locker::LockerService::Admit;
    A a = A::NotAvailable;
    if (const auto* op = std::get_if<fx::LockerPickup>(&effect)) {
        if (!op->pickup_id.empty()) {
            std::lock_guard lock(impl_->mutex);
            impl_->pickup_ids[op->key] = op->pickup_id;
        }
        a = s->start_pickup(op->key, n);
    } else if (const auto* op = std::get_if<fx::LockerDeposit>(&effect)) {
        auto size = locker::size_from_string(op->min_size.empty() ? "S" : op->min_size);
        if (!size) return refuse(0, R::no_such_compartment);
        n = 0;
        a = s->start_deposit(op->key, *size, n);
        if (a == A::NotAvailable && n == 0) return refuse(0, R::no_free);
    } else if (const auto* op = std::get_if<fx::LockerOpen>(&effect)) {
        a = s->staff_open(op->key, n);
    } else if (const auto* op = std::get_if<fx::LockerMark>(&effect)) {
        // Staff took a compartment out of service or put it back: settled at once.
        if (!impl_->find(n)) return refuse(n, R::no_such_compartment);
        if (!s->staff_set_faulty(n, op->mark == CompartmentMark::faulty))
            return refuse(n, R::not_available);
        LockerUpdate u{op->key, n, LockerStep::marked};
        u.mark = op->mark;
        impl_->env.post(std::move(u));
        return;
    }
    if (a != A::Accepted) return refuse(n, admit_reason(a));
    std::lock_guard lock(impl_->mutex);
    ++impl_->started;
}

bool LockerPart::simulate(const std::string& action) {
#if !KIOSK_WITH_SIMULATORS
    (void)action;
    return false;
#else
    if (impl_->sims.empty()) return false;
    const auto w = split(action);
    auto number = [](const std::string& s) -> std::optional<int> {
        if (s.empty() || s.size() > 6 || s.find_first_not_of("0123456789") != std::string::npos)
            return std::nullopt;
        return std::stoi(s);
    };
    if (w.size() == 3 && w[0] == "board" && (w[1] == "off" || w[1] == "on")) {
        auto addr = number(w[2]);
        if (!addr) return false;
        bool found = false;
        for (const auto& c : impl_->cfg.compartments)
            if (c.board == *addr) found = true;
        if (!found) return false;
        for (auto& sim : impl_->sims) sim->set_board_missing(*addr, w[1] == "off");
        return true;
    }
    if (w.size() != 2) return false;
    auto n = number(w[1]);
    const auto* c = n ? impl_->find(*n) : nullptr;
    auto* sim = c ? impl_->sim_of(*c) : nullptr;
    if (!sim) return false;
    const int b = c->board, ch = c->channel;
    if (w[0] == "close" || w[0] == "leave") {
        sim->close_door(b, ch);
    } else if (w[0] == "take") {
        sim->set_item(b, ch, false);
        sim->close_door(b, ch);
    } else if (w[0] == "put") {
        sim->set_item(b, ch, true);
        sim->close_door(b, ch);
    } else if (w[0] == "jam") {
        sim->set_jammed(b, ch, true);
    } else if (w[0] == "unjam") {
        sim->set_jammed(b, ch, false);
    } else if (w[0] == "open") {
        sim->open_by_hand(b, ch);
    } else {
        return false;
    }
    return true;
#endif
}

DeviceInfo LockerPart::info() const {
    DeviceInfo i;
    i.name = "locker";
    const bool idle = !impl_->service || impl_->service->idle();
    std::lock_guard lock(impl_->mutex);
    i.status = !impl_->service ? "no device" : !impl_->up ? "offline" : idle ? "online" : "busy";
    i.last_error = impl_->last_error;
    i.counters["started"] = impl_->started;
    i.counters["completed"] = impl_->completed;
    i.counters["jammed"] = impl_->jammed;
    i.counters["refused"] = impl_->refused;
    i.counters["reported"] = impl_->reported;
    i.counters["alarms"] = impl_->alarms;
    i.counters["boards_offline"] = static_cast<std::int64_t>(impl_->offline.size());
    return i;
}

std::vector<LockerCompartment> LockerPart::snapshot() const {
    std::vector<LockerCompartment> out;
    if (!impl_->service) return out;
    const auto inv = impl_->journal->inventory();
    for (const auto& v : impl_->service->snapshot()) {
        LockerCompartment c;
        c.number = v.number;
        c.size = locker::to_string(v.size);
        c.state = locker::to_string(v.state);
        auto it = inv.find(v.number);
        if (it != inv.end()) {
            c.occupied = it->second.inventory == locker::Inventory::Occupied;
            c.faulty = it->second.faulty;
            c.since_ms = it->second.since_ms;
        }
        c.faulty = c.faulty || v.state == locker::CompartmentState::Faulty;
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<int> LockerPart::overdue(int days) const {
    if (!impl_->service) return {};
    return impl_->service->overdue(std::chrono::hours(24) * std::max(days, 0));
}

}  // namespace kiosk::app::detail
