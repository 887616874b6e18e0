// A flow: one citizen service (pickup, guides, payment, ...) made of steps, with its own state.
//
// The scene table creates a flow when its scene is entered and destroys it when the scene is left
// or the session ends, so no state survives into the next person's session. Personal data a flow
// holds lives in the session (core.session_mut().data) or is wiped by wipe().
//
// A flow talks to the world only through the core: core.hall(request) → HallReply{tag},
// core.outbox(kind, json) → OutboxStored{tag}, core.print(...) → PrintDone{tag},
// core.locker_*(...) → LockerUpdate{key}; device events (CardRead, CodeScanned) arrive as they
// happen. It describes its current step as a page (view.hpp: Element) in fill().
#pragma once

#include <cstdint>
#include <limits>
#include <memory>

#include "core/events.hpp"
#include "core/view.hpp"

namespace kiosk {

class Core;

class Flow {
  public:
    virtual ~Flow() = default;
    virtual void enter(Core&) {}
    // Returns true when the event was used. "back" arrives here first: a flow with an earlier
    // step goes there and returns true; returning false leaves the flow (the core goes back).
    virtual bool event(Core&, const Event&) = 0;
    // The step's title, prompt (spoken) and page.
    virtual void fill(const Core&, ViewModel&) const = 0;
    // Overwrite personal data held outside the session (called before destruction).
    virtual void wipe() {}
    // True while a transaction is under way that must not be interrupted (a door open, a payment
    // pending, a print running): fleet commands and updates wait for it.
    virtual bool busy() const { return false; }
    // The wall time (ms) at which the flow wants the next Tick (a poll, a countdown second): the
    // core passes Ticks to the flow and wakes the loop for it. max(): nothing due.
    virtual std::int64_t next_wakeup_ms() const { return std::numeric_limits<std::int64_t>::max(); }
    // The flow is being left (its scene changes or the session ends: finish, timeout): the last
    // chance to record what the hall must hear of (core.outbox) before wipe().
    virtual void leave(Core&) {}
};

using FlowFactory = std::unique_ptr<Flow> (*)();

// Small helpers for building pages.
namespace page {
Element heading(std::string text);
Element text(std::string text, Tone tone = Tone::Normal);
Element notice(std::string text, Tone tone, std::string detail = {});
Element button(std::string text, std::string action, std::string arg = {}, bool primary = false,
               bool enabled = true);
Element fields(std::vector<std::pair<std::string, std::string>> rows);
Element keypad(std::string shown, std::string hint);
Element qr(std::string payload, std::string caption);
Element countdown(std::string text, int seconds_left, int total);
}  // namespace page

}  // namespace kiosk
