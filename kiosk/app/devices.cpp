#include "app/devices.hpp"

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "app/devices_parts.hpp"
#include "common/device_manager.hpp"
#include "core/log.hpp"
#include "core/paths.hpp"
#include "idcard/reader.hpp"
#if KIOSK_WITH_SIMULATORS
#include "sim/idcard/simulator.hpp"
#endif

namespace kiosk::app {
namespace {

bool is_up(drivers::DeviceStatus s) {
    return s == drivers::DeviceStatus::Online || s == drivers::DeviceStatus::Busy;
}

// The boundary between the reader's record and the core's Person: the core never sees wire types.
Person to_person(idcard::Identity& id) {
    Person p;
    p.name = id.name.empty() ? id.foreign_name : id.name;
    p.id_number = id.id_number;
    p.sex = idcard::to_string(id.sex);
    p.nation = id.nation;
    p.birth = id.birth;
    p.address = id.address;
    p.authority = id.authority;
    p.valid_from = id.valid_from;
    p.valid_to = id.long_term ? "长期" : id.valid_to;
    switch (id.type) {
        case idcard::CardType::Resident:
            p.card_type = "resident";
            break;
        case idcard::CardType::HkMoTwResidence:
            p.card_type = "J";
            break;
        case idcard::CardType::ForeignPermanent2017:
            p.card_type = "I";
            break;
        case idcard::CardType::ForeignPermanent2023:
            p.card_type = "Y";
            break;
    }
    p.check_digit_ok = id.id_trusted() || id.id_check == idcard::IdCheck::NotApplicable;
    id.wipe();  // the copy in the session is the only one left
    return p;
}

}  // namespace

Devices::Devices(const Config& config, std::function<void()> wake)
    : config_(config), wake_(std::move(wake)) {}

Devices::~Devices() {
    // Parts first (their threads post into inbox_ and drain driver queues), then the manager.
    scanner_.reset();
    locker_.reset();
    a4_.reset();
    if (manager_) manager_->stop_all();
    printer_.reset();
    idcard_.reset();
    manager_.reset();
#if KIOSK_WITH_SIMULATORS
    idcard_sim_.reset();
#endif
}

void Devices::post(Event e) {
    {
        std::lock_guard lock(inbox_mutex_);
        inbox_.push_back(std::move(e));
    }
    if (wake_) wake_();
}

namespace detail {

std::string status_word(bool up) {
    return up ? "online" : "offline";
}

PrintedDir::PrintedDir(std::string dir) : dir_(std::move(dir)) {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    for (const auto& e : std::filesystem::directory_iterator(dir_, ec)) {
        const std::string name = e.path().filename().string();
        std::size_t digits = 0;
        while (digits < name.size() && digits < 9 && name[digits] >= '0' && name[digits] <= '9')
            ++digits;
        if (digits == 0 || digits >= name.size() || name[digits] != '-') continue;
        next_ = std::max(next_, std::stoi(name.substr(0, digits)) + 1);
    }
}

std::string PrintedDir::next_path(const std::string& what, const std::string& ext) {
    std::lock_guard lock(mutex_);
    return dir_ + "/" + std::to_string(next_++) + "-" + what + "." + ext;
}

Consumables::Consumables(std::string path) : path_(std::move(path)) {
    std::ifstream f(path_, std::ios::binary);
    if (!f) return;  // none yet
    std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto j = nlohmann::json::parse(text, nullptr, false);
    bool good = j.is_object() && text.size() < 64 * 1024;
    if (good)
        for (const auto& [name, v] : j.items()) {
            if (name.size() > 32 || !v.is_object() || !v.contains("used") ||
                !v["used"].is_number_integer() || !v.contains("since_ms") ||
                !v["since_ms"].is_number_integer() || v["used"].get<std::int64_t>() < 0) {
                good = false;
                break;
            }
            entries_[name] = {v["used"].get<std::int64_t>(), v["since_ms"].get<std::int64_t>()};
        }
    if (!good) {
        entries_.clear();
        std::error_code ec;
        std::filesystem::rename(path_, path_ + ".bad", ec);
        log::get("devices")->warn("{} is damaged: set aside, consumable counts start again", path_);
    }
}

bool Consumables::save() const {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [name, e] : entries_) j[name] = {{"used", e.used}, {"since_ms", e.since_ms}};
    const std::string tmp = path_ + ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        f << j.dump() << "\n";
        f.flush();
        if (!f) return false;
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path_, ec);
    return !ec;
}

void Consumables::add(const std::string& device, std::int64_t n) {
    std::lock_guard lock(mutex_);
    entries_[device].used += n;
    if (!save()) log::get("devices")->warn("cannot write {}", path_);
}

bool Consumables::reset(const std::string& device, std::int64_t now_ms) {
    std::lock_guard lock(mutex_);
    entries_[device] = {0, now_ms};
    return save();
}

std::pair<std::int64_t, std::int64_t> Consumables::get(const std::string& device) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(device);
    return it == entries_.end() ? std::pair<std::int64_t, std::int64_t>{0, 0}
                                : std::pair{it->second.used, it->second.since_ms};
}

}  // namespace detail

void Devices::start() {
    auto log = log::get("devices");
    manager_ = std::make_unique<drivers::DeviceManager>();
    if (wake_) manager_->status_events().set_notifier(wake_);
    env_ = std::make_unique<detail::Env>(
        detail::Env{config_, resolve_state_dir(config_), resolve_assets_dir(config_),
                    [this](Event e) { post(std::move(e)); }, wake_, outbox_});
    printed_ = std::make_unique<detail::PrintedDir>(env_->state_dir + "/printed");
    consumables_ = std::make_unique<detail::Consumables>(env_->state_dir + "/consumables.json");
    env_->consumables = consumables_.get();
    start_idcard();
    if (!config_.devices.printer.empty()) {
        printer_ = std::make_unique<detail::ReceiptPart>(*env_, *printed_);
        printer_->start(*manager_);
    }
    if (!config_.devices.a4_printer.empty()) {
        a4_ = std::make_unique<detail::A4Part>(*env_, *printed_);
        a4_->start();
    }
    if (!config_.devices.locker.empty()) {
        locker_ = std::make_unique<detail::LockerPart>(*env_);
        locker_->start();
    }
    scanner_ = std::make_unique<detail::ScannerPart>(*env_);
    scanner_->start();
}

void Devices::start_idcard() {
    auto log = log::get("devices");
    idcard::register_idcard_kind(*manager_);
    const std::string& uri = config_.devices.idcard;
    if (uri.empty()) return;
#if KIOSK_WITH_SIMULATORS
    if (uri.starts_with("sim:")) {
        idcard_sim_ = std::make_shared<idcard::IdCardSimulator>();
        if (!idcard_sim_->start_sim_link(uri.substr(4)))
            log->error("idcard simulator did not start");
    }
#endif
    std::string error;
    if (!manager_->add({"idcard", "idcard", uri, {}}, &error)) {
        log->error("idcard reader on {}: {}", uri, error);
        post(DeviceAvailability{"idcard", false});
        return;
    }
    idcard_ = manager_->get_as<idcard::IdCardReader>("idcard");
    if (idcard_ && wake_) idcard_->events().set_notifier(wake_);
    log->info("idcard reader on {}", uri);
}

std::vector<Event> Devices::poll() {
    std::vector<Event> out;
    {
        std::lock_guard lock(inbox_mutex_);
        out.swap(inbox_);
    }
    if (!manager_) return out;
    for (auto& s : manager_->poll_status()) {
        // Starting and Busy are transitions, not availability changes.
        if (s.status == drivers::DeviceStatus::Starting || s.status == drivers::DeviceStatus::Busy)
            continue;
        out.push_back(DeviceAvailability{s.device, is_up(s.status)});
    }
    if (idcard_) {
        for (auto& ev : idcard_->poll_events()) {
            if (auto* r = std::get_if<idcard::CardRead>(&ev)) {
                out.push_back(CardRead{to_person(r->identity)});
            } else if (std::holds_alternative<idcard::CardRemoved>(ev)) {
                out.push_back(CardRemoved{});
            } else if (auto* f = std::get_if<idcard::CardReadFailed>(&ev)) {
                if (f->will_retry) continue;
                const char* reason = f->reason == idcard::ReadFailure::BadText ? "unsupported"
                                     : f->reason == idcard::ReadFailure::Card  ? "moved"
                                                                               : "read";
                out.push_back(CardReadFailed{reason});
            }
        }
    }
    if (printer_) printer_->poll(out);
    if (scanner_) scanner_->poll(out);
    // Answers posted by apply() on this thread or by device threads meanwhile.
    {
        std::lock_guard lock(inbox_mutex_);
        for (auto& e : inbox_) out.push_back(std::move(e));
        inbox_.clear();
    }
    return out;
}

void Devices::cancel_all() {
    if (!manager_) return;
    for (const auto& name : manager_->names())
        if (auto d = manager_->get(name)) d->cancel_all();
    if (printer_) printer_->cancel_all();
    if (a4_) a4_->cancel_all();
    if (scanner_) scanner_->cancel_all();
}

// The simulated ID-card reader's actions besides "place <person>" (`simulate` device "idcard").
#if KIOSK_WITH_SIMULATORS
namespace idcard_sim {
constexpr std::string_view remove = "remove", unplug = "unplug", replug = "replug";
}  // namespace idcard_sim
#endif

bool Devices::simulate(const std::string& device, const std::string& action) {
#if KIOSK_WITH_SIMULATORS
    if (device == "idcard" && idcard_sim_) {
        if (action.starts_with("place ")) return idcard_sim_->place(action.substr(6));
        if (action == idcard_sim::remove) {
            idcard_sim_->remove();
            return true;
        }
        if (action == idcard_sim::unplug) {
            idcard_sim_->unplug();
            return true;
        }
        if (action == idcard_sim::replug) {
            idcard_sim_->replug();
            return true;
        }
    }
#endif
    bool done = false;
    if (device == "printer" && printer_) done = printer_->simulate(action);
    if (device == "a4_printer" && a4_) done = a4_->simulate(action);
    if (device == "locker" && locker_) done = locker_->simulate(action);
    if ((device == "scanner" || device == "camera") && scanner_)
        done = scanner_->simulate(device, action);
    if (!done) log::get("devices")->warn("no simulator action '{}' for {}", action, device);
    return done;
}

bool Devices::camera_preview(int& w, int& h, std::vector<std::uint8_t>& rgb) {
    return scanner_ && scanner_->preview(w, h, rgb);
}

void Devices::apply(const Effect& effect) {
    // Without a locker every operation is refused (the compartment as asked; 0 for a deposit).
    auto no_locker = [&](const std::string& key, int compartment) {
        if (locker_)
            locker_->apply(effect);
        else
            post(LockerUpdate{key, compartment, LockerStep::refused, LockerOutcome::none,
                              LockerRefusal::not_available});
    };
    std::visit(overloaded{
                   [&](const fx::Print& job) {
                       if (printer_)
                           printer_->apply(job);
                       else
                           post(PrintDone{job.tag, false, PrintFailure::offline, false});
                   },
                   [&](const fx::PrintPdf& job) {
                       if (a4_)
                           a4_->apply(job);
                       else
                           post(PrintDone{job.tag, false, PrintFailure::offline, false});
                   },
                   [&](const fx::LockerPickup& op) { no_locker(op.key, op.compartment); },
                   [&](const fx::LockerOpen& op) { no_locker(op.key, op.compartment); },
                   [&](const fx::LockerDeposit& op) { no_locker(op.key, 0); },
                   [&](const fx::LockerMark& op) { no_locker(op.key, op.compartment); },
                   [&](const fx::LockerOpenAll& op) { no_locker(op.key, 0); },
                   [&](const fx::LockerBoards& op) {
                       if (locker_)
                           locker_->apply(effect);
                       else
                           post(LockerBoards{op.tag, false, {}});
                   },
                   [&](const fx::Camera& camera) {
                       if (scanner_) scanner_->apply(camera);
                   },
                   [](const auto&) {},
               },
               effect);
}

std::vector<DeviceInfo> Devices::status() const {
    std::vector<DeviceInfo> out;
    if (!manager_) return out;
    if (idcard_)
        out.push_back({"idcard", drivers::to_string(manager_->status("idcard")), {}, {}, {}});
    if (printer_) out.push_back(printer_->info(*manager_));
    if (a4_) out.push_back(a4_->info());
    if (locker_) out.push_back(locker_->info());
    if (scanner_)
        for (auto& i : scanner_->info()) out.push_back(std::move(i));
    return out;
}

bool Devices::reset_consumable(const std::string& device, std::int64_t now_ms) {
    const bool known = (device == "printer" && printer_) || (device == "a4_printer" && a4_);
    return known && consumables_ && consumables_->reset(device, now_ms);
}

std::vector<LockerCompartment> Devices::locker_snapshot() const {
    return locker_ ? locker_->snapshot() : std::vector<LockerCompartment>{};
}

std::vector<int> Devices::locker_overdue(int days) const {
    return locker_ ? locker_->overdue(days) : std::vector<int>{};
}

std::string Devices::printed_dir() const {
    return printed_ ? printed_->dir() : std::string{};
}

}  // namespace kiosk::app
