// The words of the events' enums: for logs, i18n keys, the fleet and the outbox (events.hpp).
#include "core/events.hpp"

namespace kiosk {

std::string_view to_string(PrintFailure v) {
    switch (v) {
        case PrintFailure::none:
            return "";
        case PrintFailure::paper_out:
            return "paper_out";
        case PrintFailure::cover_open:
            return "cover_open";
        case PrintFailure::offline:
            return "offline";
        case PrintFailure::jam:
            return "jam";
        case PrintFailure::failed:
            return "failed";
    }
    return "failed";
}

std::string_view to_string(CodeKind v) {
    switch (v) {
        case CodeKind::pickup:
            return "pickup";
        case CodeKind::payment:
            return "payment";
        case CodeKind::guide:
            return "guide";
        case CodeKind::receipt:
            return "receipt";
        case CodeKind::hall_link:
            return "hall_link";
        case CodeKind::eid:
            return "eid";
        case CodeKind::certificate:
            return "certificate";
        case CodeKind::not_for_kiosk:
            return "not_for_kiosk";
    }
    return "not_for_kiosk";
}

std::string_view to_string(CodeRejection v) {
    switch (v) {
        case CodeRejection::none:
            return "";
        case CodeRejection::invalid:
            return "invalid";
        case CodeRejection::foreign_url:
            return "foreign_url";
        case CodeRejection::insecure_url:
            return "insecure_url";
        case CodeRejection::malformed_url:
            return "malformed_url";
        case CodeRejection::bad_check_digit:
            return "bad_check_digit";
        case CodeRejection::bad_value:
            return "bad_value";
        case CodeRejection::unknown_format:
            return "unknown_format";
    }
    return "unknown_format";
}

std::string_view to_string(ScanSource v) {
    switch (v) {
        case ScanSource::camera:
            return "camera";
        case ScanSource::serial:
            return "serial";
        case ScanSource::hid:
            return "hid";
        case ScanSource::evdev:
            return "evdev";
        case ScanSource::inject:
            return "inject";
    }
    return "inject";
}

std::string_view to_string(LockerStep v) {
    switch (v) {
        case LockerStep::unlock_sent:
            return "unlock_sent";
        case LockerStep::already_open:
            return "already_open";
        case LockerStep::opened:
            return "opened";
        case LockerStep::closed:
            return "closed";
        case LockerStep::jammed:
            return "jammed";
        case LockerStep::no_reply:
            return "no_reply";
        case LockerStep::left_open:
            return "left_open";
        case LockerStep::tamper:
            return "tamper";
        case LockerStep::sensor_alert:
            return "sensor_alert";
        case LockerStep::reported:
            return "reported";
        case LockerStep::marked:
            return "marked";
        case LockerStep::refused:
            return "refused";
    }
    return "?";
}

std::string_view to_string(LockerOutcome v) {
    switch (v) {
        case LockerOutcome::none:
            return "none";
        case LockerOutcome::completed:
            return "completed";
        case LockerOutcome::no_change:
            return "no_change";
        case LockerOutcome::jammed:
            return "jammed";
        case LockerOutcome::no_reply:
            return "no_reply";
        case LockerOutcome::cancelled:
            return "cancelled";
        case LockerOutcome::uncertain:
            return "uncertain";
    }
    return "?";
}

std::string_view to_string(LockerRefusal v) {
    switch (v) {
        case LockerRefusal::none:
            return "none";
        case LockerRefusal::no_such_compartment:
            return "no_such_compartment";
        case LockerRefusal::not_available:
            return "not_available";
        case LockerRefusal::wrong_state:
            return "wrong_state";
        case LockerRefusal::journal:
            return "journal";
        case LockerRefusal::no_free:
            return "no_free";
        case LockerRefusal::duplicate:
            return "duplicate";
    }
    return "?";
}

std::string_view to_string(CompartmentMark v) {
    return v == CompartmentMark::faulty ? "faulty" : "repaired";
}

std::optional<CompartmentMark> parse_compartment_mark(std::string_view word) {
    if (word == "faulty") return CompartmentMark::faulty;
    if (word == "repaired") return CompartmentMark::repaired;
    return std::nullopt;
}

}  // namespace kiosk
