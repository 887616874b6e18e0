// The shared status vocabulary of every device (after CEN XFS4IoT's common status).
#pragma once

namespace kiosk::drivers {

enum class DeviceStatus {
    Starting,       // opening, resetting, first contact
    Online,         // ready for commands
    Busy,           // running a command
    Offline,        // configured and present, not answering
    NoDevice,       // not found (unplugged, missing node)
    HardwareError,  // the device reports a fault it cannot clear by itself
    UserError,      // something a person must fix (paper out, cover open, card upside down)
};

constexpr const char* to_string(DeviceStatus s) {
    switch (s) {
        case DeviceStatus::Starting:
            return "starting";
        case DeviceStatus::Online:
            return "online";
        case DeviceStatus::Busy:
            return "busy";
        case DeviceStatus::Offline:
            return "offline";
        case DeviceStatus::NoDevice:
            return "no device";
        case DeviceStatus::HardwareError:
            return "hardware error";
        case DeviceStatus::UserError:
            return "user error";
    }
    return "unknown";
}

// Result of one queued command: cancelled and timed out are different results.
enum class CommandResult { Ok, Cancelled, TimedOut, DeviceError, TransportError, Rejected };

constexpr const char* to_string(CommandResult r) {
    switch (r) {
        case CommandResult::Ok:
            return "ok";
        case CommandResult::Cancelled:
            return "cancelled";
        case CommandResult::TimedOut:
            return "timed out";
        case CommandResult::DeviceError:
            return "device error";
        case CommandResult::TransportError:
            return "transport error";
        case CommandResult::Rejected:
            return "rejected";
    }
    return "unknown";
}

}  // namespace kiosk::drivers
