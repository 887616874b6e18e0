// A staff call (呼叫工作人员): one durable request per session that the screen reports truthfully.
//
// The call is written to the outbox first (kind assist.call, delivered ahead of other events to
// POST /assist/calls, idempotent by call id) and published on the fleet link (an `assist` event);
// the screen says "sent" only once the outbox has it on disk. While the call is open the kiosk
// asks the hall for its status (GET /assist/calls/{id}) every poll_seconds: acknowledged (with an
// estimate) from the hall's desk or a signed fleet command (assist_ack) shows "staff have seen
// it, about N minutes". When nobody is on duty (the configured duty hours and holidays, or the
// hall says so), when the hall cannot be reached, or when no acknowledgement comes within
// answer_seconds, the screen gives the hotline, the kiosk's short code and what the person can
// do now; it never says "staff told" when nobody was.
//
// One call at a time: pressing "call staff" again, or a flow (door jam, paper out, payment not
// confirmed) calling while one is open, adds nothing. The citizen can cancel; the session's end
// (timeout, finish) cancels an open call and the staff side hears why; a staff login at the kiosk
// resolves it. Every step is an outbox row (assist.call / assist.cancel / assist.resolve) and an
// audit record; none carries personal data (reason codes, scene names, the kiosk's place).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "core/events.hpp"

namespace kiosk {

class Core;

// Duty hours per weekday, holidays and make-up working days ([assist] in kiosk.toml).
namespace duty {
// "08:30-12:00,13:30-17:30" → minute ranges; "" → none. false on a bad spelling.
bool parse_ranges(std::string_view text, std::vector<std::pair<int, int>>* out);
// Is someone on duty at this local time? (weekday 0 = Sunday, date "YYYY-MM-DD").
bool on_duty(const Config::Assist& cfg, int weekday, const std::string& date, int minute_of_day);
}  // namespace duty

class StaffCall {
  public:
    enum class Phase {
        none,
        storing,       // asked the outbox; not yet on disk: "calling…"
        sent,          // on disk, the hall has not confirmed it yet
        received,      // the hall has it, nobody has acknowledged yet
        acknowledged,  // someone has seen it (eta_minutes)
        after_hours,   // recorded, but nobody is on duty now: the hotline
        hall_down,     // recorded, the hall cannot be reached: the hotline
        unanswered,    // recorded, no acknowledgement within answer_seconds: the hotline
        not_stored,    // the outbox refused it: nothing went out; the hotline
        cancelled,
        resolved,
    };
    static const char* phase_name(Phase p);

    struct Record {  // for the service menu (never personal data)
        std::string call_id, reason, scene;
        Phase phase = Phase::none;
        std::int64_t created_ms = 0, updated_ms = 0;
        int eta_minutes = -1;
        std::string note;  // who acknowledged / cancelled / resolved, or why
    };

    // A call for `reason` (1..48 of [a-z0-9._]: "citizen", "door_jam", "proof.paper_out", ...).
    // false when one is already open (nothing new is sent).
    bool call(Core& core, std::string_view reason);
    // The citizen cancelled ("citizen"), or the session ended ("timeout", "finish", ...).
    void cancel(Core& core, std::string_view why);
    // A staff member at the kiosk took care of it (their staff id).
    void resolve(Core& core, std::string_view by);
    // A signed fleet command or the hall's desk said someone has seen it.
    void acknowledged(Core& core, std::string_view call_id, int eta_minutes,
                      std::string_view source);
    // The outbox's and the hall's answers to our own requests; true when the event was ours.
    bool handle(Core& core, const Event& event);
    // On every Tick: polls the hall and applies the answer timeout.
    void tick(Core& core);
    std::int64_t next_wakeup_ms() const;
    // The session is over: a finished call stops being shown.
    void forget_shown();

    bool open() const;
    Phase phase() const { return current_.phase; }
    const Record& current() const { return current_; }
    const std::vector<Record>& recent() const { return recent_; }
    // The banner line(s) for the screen, in the screen's language ("" = nothing to show).
    std::string banner(const Core& core) const;
    static std::string short_code(const Config& config);

  private:
    void set_phase(Core& core, Phase p, std::string note = {});
    void append(Core& core, const char* kind, const std::string& payload, std::uint64_t* tag);
    void audit(Core& core, std::string_view actor, std::string_view action);
    void poll(Core& core);
    bool recorded() const;  // on disk (sent or later)

    Record current_;
    std::vector<Record> recent_;  // newest last, at most 10
    std::uint64_t store_tag_ = 0, poll_tag_ = 0;
    std::int64_t stored_ms_ = 0, next_poll_ms_ = 0, shown_until_ms_ = 0;
    bool staffed_ = true;     // by duty hours when called; the hall's answer overrides
    bool hall_seen_ = false;  // the hall has answered a status request for this call
};

}  // namespace kiosk
