// Everything that happens to the core arrives as an Event; everything the core wants done outside
// (speak, cancel device commands, call staff) leaves as an Effect. No I/O happens in the core.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "core/session.hpp"

namespace kiosk {

// The clock moved (wall time in ms since the epoch; the scenario runner drives a virtual clock).
struct Tick {
    std::int64_t now_ms = 0;
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

using Event =
    std::variant<Tick, Touch, Intent, DeviceAvailability, CardRead, CardRemoved, CardReadFailed>;

struct Effect {
    enum class Kind { Speak, SessionStarted, SessionEnded, CallStaff, CancelDeviceCommands };
    Kind kind;
    std::string text;  // Speak: the words; SessionEnded: the reason ("timeout", "finish")
};

}  // namespace kiosk
