// Everything that happens to the core arrives as an Event; everything the core wants done outside
// (speak, cancel device commands, call staff) leaves as an Effect. No I/O happens in the core.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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

// [SECTION] Answers to the core's own requests (an effect's `tag` is echoed as `tag`).

// The hall answered (or failed to answer) a request the core made with fx::HallRequest.
struct HallReply {
    std::uint64_t tag = 0;
    api::Response response;
};
// An outbox append (fx::OutboxAppend) is on disk (ok) or was NOT stored (error).
struct OutboxStored {
    std::uint64_t tag = 0;
    bool ok = false;
    std::string error;  // never personal data
};
// Why a print job failed; its word is the i18n key suffix "print.reason.<word>" and the fleet's
// event name.
enum class PrintFailure {
    none,  // printed (the word is "")
    paper_out,
    cover_open,
    offline,
    jam,
    failed,
};
std::string_view to_string(PrintFailure v);

// A print job (fx::Print / fx::PrintPdf) finished.
struct PrintDone {
    std::uint64_t tag = 0;
    bool ok = false;
    PrintFailure reason = PrintFailure::none;
    bool held = false;  // the job is kept and will print when the fault is cleared
};
// [SECTION] The locker's vocabulary: one enum per concept. The words (to_string / parse) are used
// only at the edges: logs, i18n keys, the fleet's event names and the outbox.

// What a locker operation did (LockerUpdate::what).
enum class LockerStep {
    unlock_sent,   // the unlock frame is on the wire
    already_open,  // the door read open before firing: nothing fired
    opened,
    closed,        // settled: see LockerOutcome
    jammed,        // fired, no opening: the compartment is marked faulty
    no_reply,      // the board did not answer before firing: never fired
    left_open,     // alarm: open longer than the limit
    tamper,        // alarm: opened with no unlock of ours
    sensor_alert,  // a pickup fired through a door sensor that read open
    reported,      // the outcome is in the outbox
    marked,        // fx::LockerMark done: see LockerUpdate::mark
    refused,       // not started: see LockerRefusal
};
// How a closed operation settled (the locker journal's outcome, drivers/locker/journal.hpp).
enum class LockerOutcome {
    none,
    completed,  // pickup: the item is gone (where sensed); deposit: an item is in
    no_change,  // the door opened and closed, the item sensor shows nothing changed: a pickup's
                // certificate is still inside, a deposit put nothing in
    jammed,
    no_reply,
    cancelled,
    uncertain,  // may have fired during a crash: staff check
};
// Why an operation was not started.
enum class LockerRefusal {
    none,
    no_such_compartment,
    not_available,  // no locker, its journal, or the compartment out of service
    wrong_state,
    journal,
    no_free,  // a deposit found no free compartment of the size
    duplicate,
};
// Staff take a compartment out of service or put it back.
enum class CompartmentMark { faulty, repaired };

std::string_view to_string(LockerStep v);
std::string_view to_string(LockerOutcome v);
std::string_view to_string(LockerRefusal v);
std::string_view to_string(CompartmentMark v);
std::optional<CompartmentMark> parse_compartment_mark(std::string_view word);

// A locker operation the core started (fx::LockerPickup / LockerDeposit / LockerOpen /
// LockerMark) moved on.
struct LockerUpdate {
    std::string key;  // the operation key the core gave
    int compartment = 0;
    LockerStep what = LockerStep::unlock_sent;
    LockerOutcome outcome = LockerOutcome::none;     // what == closed
    LockerRefusal refusal = LockerRefusal::none;     // what == refused
    CompartmentMark mark = CompartmentMark::faulty;  // what == marked
};
// [SECTION] Scanned codes (drivers/scanner/payload.hpp classifies them).

// What a scanned code is.
enum class CodeKind {
    pickup,         // a pickup code (取件码)
    payment,        // a payment notice number
    guide,          // the hall's guide link
    receipt,        // the hall's receipt (a transaction to rate, an application's progress)
    hall_link,      // another link of the hall
    eid,            // an electronic ID code
    certificate,    // a certificate's barcode (staff deposit)
    not_for_kiosk,  // see CodeRejection
};
// Why a code is not for this kiosk.
enum class CodeRejection {
    none,
    invalid,
    foreign_url,
    insecure_url,
    malformed_url,
    bad_check_digit,
    bad_value,
    unknown_format,
};
// Which scanner read it.
enum class ScanSource { camera, serial, hid, evdev, inject };

std::string_view to_string(CodeKind v);
std::string_view to_string(CodeRejection v);
std::string_view to_string(ScanSource v);

// A code was scanned (any scanner). `value` is the recognised value (personal data: never
// logged).
struct CodeScanned {
    CodeKind kind = CodeKind::not_for_kiosk;
    std::string value;
    CodeRejection reason = CodeRejection::none;
    ScanSource source = ScanSource::inject;
};

// The service menu's figures (fx::Diagnostics → DeviceReport{tag}): the devices'
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

// Which locker boards answer (fx::LockerBoards → LockerBoards{tag}), for the service menu. Bus
// and board numbers are the configuration's; nothing personal.
struct LockerBoards {
    struct Bus {
        int bus = 0;
        std::string name, dialect, link;
        std::string method;  // "list" (the boards list themselves) or "probe" (asked one by one)
        int probed_from = 0, probed_to = 0;
        std::vector<int> configured, answering;
        std::vector<int> doors;  // compartments on each configured board (same order)
        bool failed = false;     // nobody answered, or the line failed
    };
    std::uint64_t tag = 0;
    bool available = true;  // false: no locker wall on this kiosk
    std::vector<Bus> buses;
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
                           CodeScanned, DeviceReport, AssistAck, LockerBoards>;

// [SECTION] Effects: what the core wants done outside, one small struct per kind. The app carries
// them out (App::apply_effects, Devices::apply); answers come back as the events above, carrying
// the effect's `tag` or `key`.
namespace fx {

// Say these words (voice guidance is on).
struct Speak {
    std::string words;
};
struct SessionStarted {};
// The session ended: `reason` is "finish", "timeout", "maintenance", ...
struct SessionEnded {
    std::string reason;
};
// A staff-call step (kiosk/core/assist.hpp): `kind` is the outbox kind (assist.call /
// assist.cancel / assist.resolve), `payload` its JSON → OutboxStored{tag}. The app stores it and
// publishes the fleet `assist` event.
struct CallStaff {
    std::uint64_t tag = 0;
    std::string kind;
    std::string payload;
};
struct CancelDeviceCommands {};
// → HallReply{tag}
struct HallRequest {
    std::uint64_t tag = 0;
    api::Request request;
};
// The request with this tag is no longer wanted.
struct HallCancel {
    std::uint64_t tag = 0;
};
// → OutboxStored{tag}
struct OutboxAppend {
    std::uint64_t tag = 0;
    std::string kind;
    std::string payload;  // JSON
};
// The receipt printer → PrintDone{tag}.
struct Print {
    std::uint64_t tag = 0;
    std::string receipt_template;
    std::vector<std::pair<std::string, std::string>> fields;
    std::string lang;
};
// The A4 printer → PrintDone{tag}.
struct PrintPdf {
    std::uint64_t tag = 0;
    std::string pdf;    // the document's bytes
    std::string title;  // the job's title
};
// Open `compartment` for the operation `key` → LockerUpdate{key}. `pickup_id` (the hall's, may be
// empty) goes into the locker reporter's pickup.completed.
struct LockerPickup {
    std::string key;
    int compartment = 0;
    std::string pickup_id;
};
// Find a free compartment of at least `min_size` ("S".."XL") and open it → LockerUpdate{key}.
struct LockerDeposit {
    std::string key;
    std::string min_size;
};
// Staff open a compartment → LockerUpdate{key}.
struct LockerOpen {
    std::string key;
    int compartment = 0;
};
// Staff open every compartment of one board (the field's "open all") → one LockerUpdate per
// door, keyed "<key>#<compartment>" (each door its own journaled, reported staff opening: the
// audit trail), or one LockerUpdate{key, refused} if none could be started.
struct LockerOpenAll {
    std::string key;
    int bus = 0;
    int board = 0;
};
// Which boards answer on each bus → LockerBoards{tag}.
struct LockerBoards {
    std::uint64_t tag = 0;
};
// Staff take a compartment out of service or put it back → LockerUpdate{key, marked, mark} or
// refused.
struct LockerMark {
    std::string key;
    int compartment = 0;
    CompartmentMark mark = CompartmentMark::faulty;
};
// Staff replaced the paper of `device` ("printer", "a4_printer").
struct ResetConsumable {
    std::string device;
};
// Scanning wanted on this step (camera on), or no longer.
struct Camera {
    bool on = false;
};
// The service menu's figures → DeviceReport{tag}.
struct Diagnostics {
    std::uint64_t tag = 0;
    int overdue_days = 0;
};
// The service menu: restart the program (the service manager starts it again).
struct Restart {};

}  // namespace fx

using Effect =
    std::variant<fx::Speak, fx::SessionStarted, fx::SessionEnded, fx::CallStaff,
                 fx::CancelDeviceCommands, fx::HallRequest, fx::HallCancel, fx::OutboxAppend,
                 fx::Print, fx::PrintPdf, fx::LockerPickup, fx::LockerDeposit, fx::LockerOpen,
                 fx::LockerMark, fx::LockerOpenAll, fx::LockerBoards, fx::ResetConsumable,
                 fx::Camera, fx::Diagnostics, fx::Restart>;

// For std::visit over an Effect or an Event: overloaded{[](const fx::Speak&) {...}, ...}.
template <class... F>
struct overloaded : F... {
    using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

}  // namespace kiosk
