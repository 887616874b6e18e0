#include "app/sdnotify.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>

#include <systemd/sd-daemon.h>

#include "base/clock.hpp"

namespace kiosk::app::sdnotify {

namespace {

struct State {
    bool loaded = false;
    bool under_systemd = false;
    std::int64_t interval_ms = 0;  // half of WatchdogSec=, 0 = off
    std::int64_t next_due_ms = 0;
    bool ready_sent = false;
    bool stopping_sent = false;
};

std::mutex g_mutex;
State g_state;

// A decimal integer that fits, or -1.
long long parse_ull(const char* s) {
    if (s == nullptr || *s < '0' || *s > '9') return -1;
    char* end = nullptr;
    const unsigned long long v = std::strtoull(s, &end, 10);
    if (end == nullptr || *end != '\0' || v > 1'000'000'000'000ull) return -1;  // ≤ 11.5 days
    return static_cast<long long>(v);
}

// The watchdog interval in µs that systemd asks of this process, or 0.
std::int64_t watchdog_usec() {
    std::uint64_t own = 0;
    if (sd_watchdog_enabled(0, &own) > 0) return static_cast<std::int64_t>(own);
    // The main process is our parent (cage or xinit started us): the unit's NotifyAccess=all
    // lets our pings count, so take its watchdog as ours. libsystemd has no call for a watchdog
    // addressed to another process, hence the two variables read here.
    const long long usec = parse_ull(std::getenv("WATCHDOG_USEC"));
    const long long pid = parse_ull(std::getenv("WATCHDOG_PID"));
    if (usec > 0 && pid > 0 && pid == static_cast<long long>(getppid())) return usec;
    return 0;
}

void load_locked() {
    if (g_state.loaded) return;
    g_state = State{};
    g_state.loaded = true;
    const char* sock = std::getenv("NOTIFY_SOCKET");
    g_state.under_systemd = sock != nullptr && *sock != '\0';
    if (!g_state.under_systemd) return;
    const std::int64_t usec = watchdog_usec();
    // Half the interval, as sd_watchdog_enabled(3) advises; at least 1 ms.
    if (usec > 0) g_state.interval_ms = std::max<std::int64_t>(usec / 2000, 1);
}

void send(const char* what) {
    sd_notify(0, what);
}

}  // namespace

std::int64_t now_ms() {
    return clock::steady_ms();
}

void ready(std::int64_t now) {
    std::lock_guard lock(g_mutex);
    load_locked();
    if (!g_state.under_systemd || g_state.ready_sent) return;
    g_state.ready_sent = true;
    if (g_state.interval_ms > 0) {
        send("READY=1\nWATCHDOG=1");
        g_state.next_due_ms = now + g_state.interval_ms;
    } else {
        send("READY=1");
    }
}

bool watchdog_due(std::int64_t now) {
    std::lock_guard lock(g_mutex);
    load_locked();
    return g_state.interval_ms > 0 && !g_state.stopping_sent && now >= g_state.next_due_ms;
}

void ping(std::int64_t now) {
    std::lock_guard lock(g_mutex);
    load_locked();
    if (g_state.interval_ms <= 0 || g_state.stopping_sent) return;
    send("WATCHDOG=1");
    g_state.next_due_ms = now + g_state.interval_ms;
}

std::int64_t next_ping_ms(std::int64_t now) {
    std::lock_guard lock(g_mutex);
    load_locked();
    if (g_state.interval_ms <= 0 || g_state.stopping_sent) return kNever;
    return std::clamp<std::int64_t>(g_state.next_due_ms - now, 0, kNever);
}

void stopping() {
    std::lock_guard lock(g_mutex);
    load_locked();
    if (!g_state.under_systemd || g_state.stopping_sent) return;
    g_state.stopping_sent = true;
    send("STOPPING=1");
}

bool under_systemd() {
    std::lock_guard lock(g_mutex);
    load_locked();
    return g_state.under_systemd;
}

std::int64_t ping_interval_ms() {
    std::lock_guard lock(g_mutex);
    load_locked();
    return g_state.interval_ms;
}

void reload_environment() {
    std::lock_guard lock(g_mutex);
    g_state = State{};
    load_locked();
}

}  // namespace kiosk::app::sdnotify
