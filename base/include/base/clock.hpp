// The two clocks the program reads, in whole milliseconds. Wall time stamps records (journals,
// messages, file names); steady time measures intervals and deadlines and never goes back.
// Scenario runs replace wall time with a virtual clock above this layer (kiosk/app), never here.
#pragma once

#include <time.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

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

// Milliseconds of CLOCK_BOOTTIME: monotonic, counts through suspend, starts at boot. With
// boot_id() it measures time across a restart of the program within one boot.
inline std::int64_t boot_ms() {
    timespec ts{};
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// This boot's id, a UUID: /proc/sys/kernel/random/boot_id, or where that cannot be read (the
// packaged units' ProcSubset=pid hides /proc/sys) $KIOSK_BOOT_ID, which those units set from
// systemd's %b. "" when neither is one.
inline std::string boot_id(const char* path = "/proc/sys/kernel/random/boot_id") {
    auto uuid = [](const std::string& id) {
        return id.size() == 36 && id.find_first_not_of("0123456789abcdef-") == std::string::npos;
    };
    std::ifstream f(path);
    std::string id;
    if (f >> id && uuid(id)) return id;
    const char* env = std::getenv("KIOSK_BOOT_ID");
    if (env != nullptr) {
        // systemd's %b is the id without dashes (sd_id128 "%s" form): put them back.
        id = env;
        if (id.size() == 32 && id.find_first_not_of("0123456789abcdef") == std::string::npos)
            id = id.substr(0, 8) + "-" + id.substr(8, 4) + "-" + id.substr(12, 4) + "-" +
                 id.substr(16, 4) + "-" + id.substr(20);
        if (uuid(id)) return id;
    }
    return {};
}

}  // namespace kiosk::clock
