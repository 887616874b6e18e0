// Staff authentication for the service menu: the hidden entry gesture, the local PIN and staff
// card checks (libsodium Argon2id), the lockout after repeated failures (kept across restarts),
// and the audit record format. No UI, no network; the lockout file is the only I/O.
//
// Why libsodium here: the core may link it (it is neither UI nor network), and keeping the check
// next to the lockout makes both testable without the app. crypto_pwhash_str_verify costs one
// Argon2id computation (~0.1 s at the interactive limits): done on the UI thread once per tap
// of "OK", which staff accept; the citizen side never calls it.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk::staff {

// Five taps in the corner within three seconds. Each tap is fed with the (virtual) clock.
class CornerGesture {
  public:
    explicit CornerGesture(int taps = 5, std::int64_t window_ms = 3000)
        : taps_(taps), window_ms_(window_ms) {}
    // True when this tap completes the gesture (the count then starts over).
    bool tap(std::int64_t now_ms);
    void reset() { times_.clear(); }

  private:
    int taps_;
    std::int64_t window_ms_;
    std::deque<std::int64_t> times_;
};

// How wrong PINs and cards are answered (configuration [service_menu]): after `max_failures`
// wrong tries the menu locks; the first lockout lasts `lockout_seconds`, each further one without
// a good login in between twice as long, up to `max_lockout_seconds`. After `alert_after_failures`
// wrong tries since the last good login (and at every lockout after that) the fleet is alerted.
struct LockoutPolicy {
    int max_failures = 5;
    int lockout_seconds = 300;
    int max_lockout_seconds = 86400;
    int alert_after_failures = 10;  // 0 = never
};
// The n-th lockout in a row (n >= 1), in ms.
std::int64_t lockout_ms(int nth, const LockoutPolicy& policy);
// How long trying every PIN of `digits` digits takes under `policy` (seconds; the worst case),
// for docs/service-menu.md and the test that keeps the figure true.
double brute_force_seconds(int digits, const LockoutPolicy& policy);

// The clocks a lockout is measured on. `mono_ms` is the core's monotonic clock (never set by
// anyone: a clock change does not lift a lockout); across restarts the time since the file was
// written is measured on CLOCK_BOOTTIME of the same boot (`boot_id`); time the kiosk was off
// does not count. `wall_ms` only reads v1 files.
struct LockoutClock {
    std::int64_t mono_ms = 0;
    std::int64_t boot_ms = 0;
    std::string boot_id;  // /proc/sys/kernel/random/boot_id; "" unknown (= another boot)
    std::int64_t wall_ms = 0;
};
LockoutClock lockout_clock(std::int64_t mono_ms, std::int64_t wall_ms);  // reads the boot clock

struct Lockout {
    int failures = 0;                  // wrong tries since the last lockout or good login
    int lockouts = 0;                  // lockouts since the last good login
    int total = 0;                     // wrong tries since the last good login
    std::int64_t locked_until_ms = 0;  // on the monotonic clock (LockoutClock::mono_ms)

    bool locked(std::int64_t mono_ms) const { return mono_ms < locked_until_ms; }
    int seconds_left(std::int64_t mono_ms) const;
    struct Failure {
        bool locked = false;  // this failure started a lockout
        bool alert = false;   // tell the fleet (LockoutPolicy::alert_after_failures)
        int seconds = 0;      // how long, when locked
    };
    Failure fail(std::int64_t mono_ms, const LockoutPolicy& policy);
    void succeed() { *this = {}; }

    // "v2 <failures> <lockouts> <total> <remaining_ms> <boot_id|-> <boot_ms>\n"
    std::string to_text(const LockoutClock& now) const;
    // v2, or v1 ("v1 <failures> <locked_until wall ms>"); nullopt when malformed.
    static std::optional<Lockout> from_text(std::string_view text, const LockoutClock& now,
                                            const LockoutPolicy& policy);
};

// <state_dir>/staff-lockout. A missing file is no failures; an unreadable or malformed one is
// treated as a lockout from now (tampering must not reset the count).
Lockout load_lockout(const std::string& path, const LockoutClock& now, const LockoutPolicy& policy);
// Written to a temporary file, fsync'ed and renamed over the old one. False on an I/O error.
bool save_lockout(const std::string& path, const Lockout& lockout, const LockoutClock& now);
std::string lockout_path(const std::string& state_dir);

// PINs: 4 to 12 digits (the hall contract's StaffLoginRequest.pin).
bool valid_pin(std::string_view pin);
// crypto_pwhash_str (Argon2id, interactive limits); "" on failure.
std::string hash_pin(std::string_view pin);
bool verify_pin(const std::string& hash, std::string_view pin);
// The allow-list entry of a staff ID card: hex of Argon2id(id number, a fixed application salt),
// so the configuration holds no ID numbers. Deterministic; "" on failure.
std::string card_hash(std::string_view id_number);

// One audit record as the hall's AuditEvent wants it: {"at", "actor", "action", "target"} JSON.
std::string audit_json(std::string_view actor, std::string_view action, std::string_view target,
                       std::int64_t at_ms);
// "2026-11-26T13:30:00Z"
std::string iso_utc(std::int64_t ms);

}  // namespace kiosk::staff
