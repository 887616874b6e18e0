// The two clocks the program reads, in whole milliseconds. Wall time stamps records (journals,
// messages, file names); steady time measures intervals and deadlines and never goes back.
// Scenario runs replace wall time with a virtual clock above this layer (kiosk/app), never here.
#pragma once

#include <chrono>
#include <cstdint>

namespace kiosk::clock {

// Milliseconds since the Unix epoch (std::chrono::system_clock).
inline std::int64_t wall_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// Seconds since the Unix epoch.
inline std::int64_t wall_s() {
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

// Milliseconds of the monotonic clock (std::chrono::steady_clock); only differences mean anything.
inline std::int64_t steady_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace kiosk::clock
