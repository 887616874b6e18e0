#include "app/devices.hpp"

#include "common/device_manager.hpp"
#include "core/log.hpp"
#include "idcard/reader.hpp"
#include "idcard/simulator.hpp"

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
    if (manager_) manager_->stop_all();
    idcard_.reset();
    manager_.reset();
    idcard_sim_.reset();
}

void Devices::start() {
    auto log = log::get("devices");
    manager_ = std::make_unique<drivers::DeviceManager>();
    if (wake_) manager_->status_events().set_notifier(wake_);
    idcard::register_idcard_kind(*manager_);
    const std::string& uri = config_.devices.idcard;
    if (uri.empty()) return;
    if (uri.starts_with("sim:")) {
        idcard_sim_ = std::make_unique<idcard::IdCardSimulator>();
        if (!idcard_sim_->start_sim_link(uri.substr(4)))
            log->error("idcard simulator did not start");
    }
    std::string error;
    if (!manager_->add({"idcard", "idcard", uri, {}}, &error)) {
        log->error("idcard reader on {}: {}", uri, error);
        pending_.push_back(DeviceAvailability{"idcard", false});
        return;
    }
    idcard_ = manager_->get_as<idcard::IdCardReader>("idcard");
    if (idcard_ && wake_) idcard_->events().set_notifier(wake_);
    log->info("idcard reader on {}", uri);
}

std::vector<Event> Devices::poll() {
    std::vector<Event> out;
    out.swap(pending_);
    if (!manager_) return out;
    for (auto& s : manager_->poll_status()) {
        // Starting and Busy are transitions, not availability changes.
        if (s.status == drivers::DeviceStatus::Starting) continue;
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
    return out;
}

void Devices::cancel_all() {
    if (!manager_) return;
    for (const auto& name : manager_->names())
        if (auto d = manager_->get(name)) d->cancel_all();
}

bool Devices::simulate(const std::string& device, const std::string& action) {
    if (device == "idcard" && idcard_sim_) {
        if (action.starts_with("place ")) return idcard_sim_->place(action.substr(6));
        if (action == "remove") {
            idcard_sim_->remove();
            return true;
        }
        if (action == "unplug") {
            idcard_sim_->unplug();
            return true;
        }
        if (action == "replug") {
            idcard_sim_->replug();
            return true;
        }
    }
    log::get("devices")->warn("no simulator action '{}' for {}", action, device);
    return false;
}

bool Devices::camera_preview(int&, int&, std::vector<std::uint8_t>&) {
    return false;
}

void Devices::apply(const Effect& effect) {
    // Printer, locker and camera wiring: not yet (the answers say so, so no flow waits forever).
    switch (effect.kind) {
        case Effect::Kind::Print:
        case Effect::Kind::PrintPdf:
            pending_.push_back(PrintDone{effect.tag, false, "offline", false});
            break;
        case Effect::Kind::LockerPickup:
        case Effect::Kind::LockerOpen:
        case Effect::Kind::LockerDeposit:
            pending_.push_back(
                LockerUpdate{effect.name, effect.number, "refused", "not_available"});
            break;
        default:
            break;
    }
}

}  // namespace kiosk::app
