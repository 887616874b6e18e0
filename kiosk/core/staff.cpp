#include "core/staff.hpp"

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

int Lockout::seconds_left(std::int64_t now_ms) const {
    if (!locked(now_ms)) return 0;
    return static_cast<int>((locked_until_ms - now_ms + 999) / 1000);
}

bool Lockout::fail(std::int64_t now_ms, int max_failures, int lockout_seconds) {
    if (++failures < max_failures) return false;
    failures = 0;
    locked_until_ms = now_ms + lockout_seconds * 1000LL;
    return true;
}

std::string Lockout::to_text() const {
    return "v1 " + std::to_string(failures) + " " + std::to_string(locked_until_ms) + "\n";
}

std::optional<Lockout> Lockout::from_text(std::string_view text) {
    std::istringstream in{std::string(text)};
    std::string v;
    Lockout l;
    if (!(in >> v >> l.failures >> l.locked_until_ms) || v != "v1") return std::nullopt;
    if (l.failures < 0 || l.failures > 1000 || l.locked_until_ms < 0) return std::nullopt;
    std::string rest;
    if (in >> rest) return std::nullopt;
    return l;
}

std::string lockout_path(const std::string& state_dir) {
    return state_dir + "/staff-lockout";
}

Lockout load_lockout(const std::string& path, std::int64_t now_ms, int lockout_seconds) {
    std::ifstream f(path);
    if (!f) return {};  // never failed here (or the state dir is new)
    std::stringstream ss;
    ss << f.rdbuf();
    if (auto l = Lockout::from_text(ss.str())) return *l;
    Lockout locked;
    locked.locked_until_ms = now_ms + lockout_seconds * 1000LL;
    return locked;
}

bool save_lockout(const std::string& path, const Lockout& lockout) {
    const std::string tmp = path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    const std::string text = lockout.to_text();
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
