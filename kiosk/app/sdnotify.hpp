// sd_notify for the frame loop: tells systemd the kiosk is up (READY=1 after the first frame),
// alive (WATCHDOG=1 from the frame loop, at half the unit's WatchdogSec=) and going down
// (STOPPING=1). Outside systemd (no $NOTIFY_SOCKET) every call is a cheap no-op.
//
// Where the calls belong (kiosk/app/app.cpp, App::run):
//   - sdnotify::ready()        once, right after the first frame was drawn;
//   - if (sdnotify::watchdog_due()) sdnotify::ping();
//                              every turn of the loop, on the loop's own thread: a loop that is
//                              stuck must stop the pings, so nothing else may send them;
//   - sdnotify::next_ping_ms() folded into the idle sleep (min with the core's next wake-up),
//                              so a loop idling on the attract screen still wakes to ping;
//   - sdnotify::stopping()     when the stop flag is seen, before the devices are closed.
//
// The watchdog: systemd addresses WATCHDOG_USEC to the service's main process (WATCHDOG_PID).
// Started by estation-kiosk.service through kiosk-launch (which execs, keeping the PID) the kiosk
// is that process. Under the cage session or xinit the compositor is the main process and the
// kiosk its child: the units say NotifyAccess=all, and the kiosk takes a WATCHDOG_PID naming its
// parent as addressed to itself (the compositor never pings; it exits when the kiosk does).
//
// Times are steady-clock milliseconds (now_ms()), never the scenario's virtual clock.
#pragma once

#include <cstdint>
#include <limits>

namespace kiosk::app::sdnotify {

// What next_ping_ms() returns when no watchdog is asked for: min() with it changes nothing.
inline constexpr std::int64_t kNever = std::numeric_limits<std::int32_t>::max();

// Steady-clock milliseconds, the time base of every function below.
std::int64_t now_ms();

// READY=1 (with a first WATCHDOG=1 when the watchdog is on); later calls do nothing.
void ready(std::int64_t now = now_ms());
// True when the watchdog is on and half its interval has passed since the last ping.
bool watchdog_due(std::int64_t now = now_ms());
// WATCHDOG=1, and the next ping becomes due half an interval from `now`.
void ping(std::int64_t now = now_ms());
// Milliseconds until the next ping is due (0 when overdue), or kNever when the watchdog is off.
std::int64_t next_ping_ms(std::int64_t now = now_ms());
// STOPPING=1; later calls do nothing.
void stopping();

// [SECTION] State, for logs and tests
// True when $NOTIFY_SOCKET was set at start (the kiosk runs under a Type=notify unit).
bool under_systemd();
// The ping interval (half of WatchdogSec=) in ms, 0 when the watchdog is off.
std::int64_t ping_interval_ms();
// Reads the environment again and forgets ready/stopping (tests change the environment).
void reload_environment();

}  // namespace kiosk::app::sdnotify
