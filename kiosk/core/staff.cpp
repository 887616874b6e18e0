#include "core/staff.hpp"

#include "base/clock.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

namespace kiosk::staff {
namespace {

bool sodium_ready() {
    static const bool ok = sodium_init() >= 0;
    return ok;
}

// JSON string escaping for the few ASCII-ish values an audit record carries.
std::string json_string(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

}  // namespace

bool CornerGesture::tap(std::int64_t now_ms) {
    while (!times_.empty() && (now_ms - times_.front() > window_ms_ || now_ms < times_.front()))
        times_.pop_front();
    times_.push_back(now_ms);
    if (static_cast<int>(times_.size()) < taps_) return false;
    times_.clear();
    return true;
}

std::int64_t lockout_ms(int nth, const LockoutPolicy& policy) {
    const std::int64_t cap = std::int64_t{std::max(policy.max_lockout_seconds, 1)} * 1000;
    std::int64_t ms = std::int64_t{std::max(policy.lockout_seconds, 1)} * 1000;
    for (int i = 1; i < nth && ms < cap; ++i) ms *= 2;
    return std::min(ms, cap);
}

double brute_force_seconds(int digits, const LockoutPolicy& policy) {
    double pins = 1;
    for (int i = 0; i < digits; ++i) pins *= 10;
    const int per_round = std::max(policy.max_failures, 1);
    // Every round but the last ends in a lockout; typing itself is not counted.
    const auto rounds = static_cast<std::int64_t>((pins + per_round - 1) / per_round);
    double seconds = 0;
    for (std::int64_t n = 1; n < rounds; ++n) {
        const std::int64_t ms = lockout_ms(static_cast<int>(std::min<std::int64_t>(n, 64)), policy);
        if (ms >= std::int64_t{policy.max_lockout_seconds} * 1000) {
            seconds += static_cast<double>(rounds - n) * static_cast<double>(ms) / 1000.0;
            break;
        }
        seconds += static_cast<double>(ms) / 1000.0;
    }
    return seconds;
}

LockoutClock lockout_clock(std::int64_t mono_ms, std::int64_t wall_ms) {
    LockoutClock c;
    c.mono_ms = mono_ms;
    c.wall_ms = wall_ms;
    c.boot_ms = clock::boot_ms();
    c.boot_id = clock::boot_id();
    return c;
}

int Lockout::seconds_left(std::int64_t mono_ms) const {
    if (!locked(mono_ms)) return 0;
    return static_cast<int>((locked_until_ms - mono_ms + 999) / 1000);
}

Lockout::Failure Lockout::fail(std::int64_t mono_ms, const LockoutPolicy& policy) {
    Failure f;
    ++total;
    if (++failures >= std::max(policy.max_failures, 1)) {
        failures = 0;
        ++lockouts;
        const std::int64_t ms = lockout_ms(lockouts, policy);
        locked_until_ms = mono_ms + ms;
        f.locked = true;
        f.seconds = static_cast<int>(ms / 1000);
    }
    const int n = policy.alert_after_failures;
    f.alert = n > 0 && (total == n || (f.locked && total > n));
    return f;
}

std::string Lockout::to_text(const LockoutClock& now) const {
    const std::int64_t remaining = std::max<std::int64_t>(locked_until_ms - now.mono_ms, 0);
    return "v2 " + std::to_string(failures) + " " + std::to_string(lockouts) + " " +
           std::to_string(total) + " " + std::to_string(remaining) + " " +
           (now.boot_id.empty() ? std::string("-") : now.boot_id) + " " +
           std::to_string(now.boot_ms) + "\n";
}

std::optional<Lockout> Lockout::from_text(std::string_view text, const LockoutClock& now,
                                          const LockoutPolicy& policy) {
    if (text.size() > 256) return std::nullopt;
    std::istringstream in{std::string(text)};
    std::string v;
    Lockout l;
    const std::int64_t cap = std::int64_t{std::max(policy.max_lockout_seconds, 1)} * 1000;
    if (!(in >> v)) return std::nullopt;
    std::int64_t remaining = 0;
    if (v == "v1") {  // written by 0.1 on the wall clock
        std::int64_t until = 0;
        if (!(in >> l.failures >> until) || until < 0) return std::nullopt;
        remaining = std::clamp<std::int64_t>(until - now.wall_ms, 0, cap);
        l.total = l.failures;
        l.lockouts = remaining > 0 ? 1 : 0;
    } else if (v == "v2") {
        std::string boot_id;
        std::int64_t boot_ms = 0;
        if (!(in >> l.failures >> l.lockouts >> l.total >> remaining >> boot_id >> boot_ms))
            return std::nullopt;
        if (l.lockouts < 0 || l.lockouts > 100000 || l.total < 0 || l.total > 10000000 ||
            remaining < 0 || boot_ms < 0)
            return std::nullopt;
        // The same boot: the time since the file was written has passed. Another boot (or an
        // unknown id): what remained still remains.
        if (boot_id != "-" && boot_id == now.boot_id && now.boot_ms >= boot_ms)
            remaining -= now.boot_ms - boot_ms;
        remaining = std::clamp<std::int64_t>(remaining, 0, cap);
    } else {
        return std::nullopt;
    }
    if (l.failures < 0 || l.failures > 1000) return std::nullopt;
    std::string rest;
    if (in >> rest) return std::nullopt;
    l.locked_until_ms = remaining > 0 ? now.mono_ms + remaining : 0;
    return l;
}

std::string lockout_path(const std::string& state_dir) {
    return state_dir + "/staff-lockout";
}

Lockout load_lockout(const std::string& path, const LockoutClock& now,
                     const LockoutPolicy& policy) {
    std::ifstream f(path);
    if (!f) return {};  // never failed here (or the state dir is new)
    std::stringstream ss;
    ss << f.rdbuf();
    if (auto l = Lockout::from_text(ss.str(), now, policy)) return *l;
    Lockout locked;
    locked.lockouts = 1;
    locked.locked_until_ms = now.mono_ms + lockout_ms(1, policy);
    return locked;
}

bool save_lockout(const std::string& path, const Lockout& lockout, const LockoutClock& now) {
    const std::string tmp = path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    const std::string text = lockout.to_text(now);
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                    ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        return false;
    }
    return true;
}

bool valid_pin(std::string_view pin) {
    return pin.size() >= 4 && pin.size() <= 12 &&
           std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string hash_pin(std::string_view pin) {
    if (!sodium_ready() || !valid_pin(pin)) return {};
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return {};
    return out;
}

bool verify_pin(const std::string& hash, std::string_view pin) {
    if (!sodium_ready() || hash.empty() || hash.size() >= crypto_pwhash_STRBYTES || !valid_pin(pin))
        return false;
    return crypto_pwhash_str_verify(hash.c_str(), pin.data(), pin.size()) == 0;
}

std::string card_hash(std::string_view id_number) {
    if (!sodium_ready() || id_number.empty() || id_number.size() > 64) return {};
    // A fixed salt: the list must be comparable without knowing the number; Argon2id at the
    // interactive limits makes guessing ID numbers expensive (docs/service-menu.md).
    static const unsigned char salt[crypto_pwhash_SALTBYTES] = {
        'e', 's', 't', 'a', 't', 'i', 'o', 'n', '-', 's', 't', 'a', 'f', 'f', '-', '1'};
    unsigned char key[32];
    if (crypto_pwhash(key, sizeof key, id_number.data(), id_number.size(), salt,
                      crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
        return {};
    char hex[sizeof key * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, key, sizeof key);
    sodium_memzero(key, sizeof key);
    return hex;
}

std::string iso_utc(std::int64_t ms) {
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string audit_json(std::string_view actor, std::string_view action, std::string_view target,
                       std::int64_t at_ms) {
    return "{\"at\":" + json_string(iso_utc(at_ms)) +
           ",\"actor\":" + json_string(actor.substr(0, 64)) +
           ",\"action\":" + json_string(action.substr(0, 64)) +
           ",\"target\":" + json_string(target.substr(0, 128)) + "}";
}

}  // namespace kiosk::staff
