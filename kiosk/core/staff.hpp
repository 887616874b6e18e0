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

// Failures in a row and the time the lockout ends (wall ms).
struct Lockout {
    int failures = 0;
    std::int64_t locked_until_ms = 0;

    bool locked(std::int64_t now_ms) const { return now_ms < locked_until_ms; }
    int seconds_left(std::int64_t now_ms) const;
    // Records a failure; returns true when this one starts a lockout (the count then restarts).
    bool fail(std::int64_t now_ms, int max_failures, int lockout_seconds);
    void succeed() { *this = {}; }

    std::string to_text() const;  // "v1 <failures> <locked_until_ms>\n"
    static std::optional<Lockout> from_text(std::string_view text);
};

// <state_dir>/staff-lockout. A missing file is no failures; an unreadable or malformed one is
// treated as a full lockout from now (tampering must not reset the count).
Lockout load_lockout(const std::string& path, std::int64_t now_ms, int lockout_seconds);
// Written to a temporary file, fsync'ed and renamed over the old one. False on an I/O error.
bool save_lockout(const std::string& path, const Lockout& lockout);
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
