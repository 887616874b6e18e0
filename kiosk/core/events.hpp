// Everything that happens to the core arrives as an Event; everything the core wants done outside
// (speak, cancel device commands, call staff) leaves as an Effect. No I/O happens in the core.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "api/port.hpp"
#include "core/session.hpp"

namespace kiosk {

// The clock moved (wall time in ms since the epoch; the scenario runner drives a virtual clock).
// `mono_ms`: a monotonic clock (CLOCK_BOOTTIME in the app) for what a clock change must not move,
// such as the staff lockout; 0 = not given (tests), then the wall time stands in.
struct Tick {
    std::int64_t now_ms = 0;
    std::int64_t mono_ms = 0;
};
// Any touch or click anywhere: counts as activity.
struct Touch {};
// What a person asked for, as reported by a screen: "tile" + service id, "back", "home", "finish",
// "lang", "elder", "voice", "extend", "staff", or a scene's own action.
struct Intent {
    std::string action;
    std::string arg;
};
// A device's availability changed ("idcard", "printer", ...; "hall" for the backend).
struct DeviceAvailability {
    std::string device;
    bool up = false;
};
// The ID-card reader read a card placed on it.
struct CardRead {
    Person person;
};
struct CardRemoved {};
// Reading failed (card moved, unreadable); `reason` is an i18n key suffix, never personal data.
struct CardReadFailed {
    std::string reason;
};

// [SECTION] Answers to the core's own requests (Effect::tag is echoed as `tag`).

// The hall answered (or failed to answer) a request the core made with Effect::Kind::HallRequest.
struct HallReply {
    std::uint64_t tag = 0;
    api::Response response;
};
// An outbox append (Effect::Kind::OutboxAppend) is on disk (ok) or was NOT stored (error).
struct OutboxStored {
    std::uint64_t tag = 0;
    bool ok = false;
    std::string error;  // never personal data
};
// A print job (Effect::Kind::Print / PrintPdf) finished. `reason` is an i18n key suffix when it
// failed: "paper_out", "cover_open", "offline", "jam", "failed".
struct PrintDone {
    std::uint64_t tag = 0;
    bool ok = false;
    std::string reason;
    bool held = false;  // the job is kept and will print when the fault is cleared
};
// A locker operation the core started (Effect::Kind::LockerPickup / LockerDeposit / LockerOpen)
// moved on. `what`: "unlock_sent", "already_open", "opened", "closed" (outcome "completed",
// "item_left", "uncertain"), "jammed", "no_reply", "left_open", "marked" (LockerMark done;
// outcome "faulty" / "repaired"), "refused" (outcome says why:
// "no_such_compartment", "not_available", "wrong_state", "journal", "no_free", "duplicate").
struct LockerUpdate {
    std::string key;  // the operation key the core gave
    int compartment = 0;
    std::string what;
    std::string outcome;
};
// A code was scanned (any scanner). `kind`: "pickup", "payment", "guide", "receipt", "hall_link",
// "eid", "certificate", "not_for_kiosk"; `value` is the recognised value (personal data: never
// logged); `reason` says why a code is not for this kiosk ("foreign_url", "bad_check_digit", ...).
struct CodeScanned {
    std::string kind;
    std::string value;
    std::string reason;
    std::string source;  // "camera", "serial", "hid", "evdev", "inject"
};

// The service menu's figures (Effect::Kind::Diagnostics → DeviceReport{tag}): the devices'
// status, the locker wall, the outbox and the log's last lines, as the app sees them (the core
// has no access to the devices). Never personal data: log lines are redacted by the app.
struct DeviceReport {
    struct Consumable {
        std::string name, level;  // "paper"; "ok", "near_end", "out", "" unknown
        std::int64_t used = 0;    // since staff last reset it
        std::int64_t since_ms = 0;
    };
    struct Device {
        std::string name, status, last_error;
        std::vector<std::pair<std::string, std::int64_t>> counters;
        std::vector<Consumable> consumables;
    };
    struct Compartment {
        int number = 0;
        std::string size, state;  // "S".."XL"; "free", "occupied", "open", "faulty", ...
        std::int64_t since_ms = 0;
    };
    std::uint64_t tag = 0;
    std::vector<Device> devices;
    std::vector<Compartment> compartments;
    std::vector<int> overdue;        // compartments occupied longer than the asked days
    std::int64_t outbox_depth = -1;  // pending outbox entries; -1 unknown
    std::vector<std::string> log_tail;
};

// Someone has seen the staff call `call_id` (a signed fleet command assist_ack; the hall's own
// answer arrives as a HallReply to the kiosk's status requests).
struct AssistAck {
    std::string call_id;
    int eta_minutes = 5;
    std::string source;  // "fleet:<key id>"
};

using Event = std::variant<Tick, Touch, Intent, DeviceAvailability, CardRead, CardRemoved,
                           CardReadFailed, HallReply, OutboxStored, PrintDone, LockerUpdate,
                           CodeScanned, DeviceReport, AssistAck>;

struct Effect {
    enum class Kind {
        Speak,
        SessionStarted,
        SessionEnded,
        CallStaff,  // a staff-call step (kiosk/core/assist.hpp): name = outbox kind
                    // (assist.call / assist.cancel / assist.resolve), payload = JSON, tag →
                    // OutboxStored{tag}; the app stores it and publishes the fleet `assist` event
        CancelDeviceCommands,
        HallRequest,      // request → HallReply{tag}
        HallCancel,       // tag of a request no longer wanted
        OutboxAppend,     // name = kind, payload = JSON → OutboxStored{tag}
        Print,            // receipt printer: name = template, fields, lang → PrintDone{tag}
        PrintPdf,         // A4 printer: payload = PDF bytes, name = job title → PrintDone{tag}
        LockerPickup,     // name = operation key, number = compartment → LockerUpdate{key}
        LockerDeposit,    // name = operation key, text = minimum size ("S".."XL") → LockerUpdate
        LockerOpen,       // staff: name = operation key, number = compartment → LockerUpdate
        LockerMark,       // staff: name = key, number = compartment, text = "faulty" | "repaired"
                          //   → LockerUpdate{key, what "marked", outcome = text} or "refused"
        ResetConsumable,  // staff replaced paper: text = device ("printer", "a4_printer")
        Camera,           // number = 1: scanning wanted on this step (camera on), 0: off
        Diagnostics,      // service menu: number = overdue days → DeviceReport{tag}
        Restart,          // service menu: restart the program (the service manager starts it)
    };
    Effect(Kind k, std::string t = {}) : kind(k), text(std::move(t)) {}
    Kind kind;
    std::string text;  // Speak: the words; SessionEnded: the reason ("timeout", "finish")
    std::uint64_t tag = 0;
    api::Request request;
    std::string name;
    std::string payload;
    std::vector<std::pair<std::string, std::string>> fields;
    std::string lang;
    int number = 0;
};

}  // namespace kiosk
