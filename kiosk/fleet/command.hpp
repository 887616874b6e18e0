// Remote commands: the signed JSON an operator sends on kiosk/{fleet}/{id}/cmd, its canonical
// bytes, and the checks a kiosk makes before it hands a command to the application.
//
// A command (docs/fleet.md has the full description):
//   {"id":"c-20261126-0001","target":"yy-0001","type":"restart","args":{},
//    "issued_at":1795700000,"expires_at":1795700300,"key_id":"ops-2026","sig":"<base64>"}
// The signature is Ed25519 (libsodium crypto_sign_detached) over the canonical bytes: the object
// without "sig", serialised with sorted keys, no whitespace, UTF-8 (nlohmann::json::dump()).
// Numbers must be integers anywhere in a command, so the canonical form has one spelling.
//
// verify_command() is pure (no I/O, no clock, no logging): the caller passes the time and the
// trusted keys; replay protection needs storage and lives in the Journal.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace kiosk::fleet {

// An operator key as the configuration writes it ([[fleet.operator_key]]); it becomes a
// kiosk::TrustedKey (base/include/base/trusted_key.hpp) through kiosk::parse_trusted_key.
struct OperatorKey {
    std::string id;          // 1..64 of [A-Za-z0-9._-]
    std::string public_key;  // base64 (standard alphabet, padded) of the 32-byte Ed25519 key
};

struct Command {
    enum class Type { Restart, Screenshot, UploadLogs, PushConfig, OutOfService, AssistAck };
    std::string id;  // 1..64 of [A-Za-z0-9._-], unique per operator command
    Type type = Type::Restart;
    std::string
        type_name;  // "restart", "screenshot", "upload_logs", "push_config", "out_of_service"
    std::string target;
    std::string key_id;
    std::int64_t issued_at = 0;   // unix seconds
    std::int64_t expires_at = 0;  // unix seconds
    // restart: {}; screenshot: {}; upload_logs: {"max_bytes": n (optional)};
    // push_config: {"toml": "...", "restart": bool (optional, default true)};
    // out_of_service: {"mode": "enter" | "leave", "note": "..." (optional)};
    // assist_ack: {"call_id": "...", "eta_minutes": 0..240}: someone has seen the staff call.
    nlohmann::json args = nlohmann::json::object();

    // True when running it would disturb a citizen in the middle of a transaction: restart,
    // push_config with restart, out_of_service. The application holds these back while a citizen
    // is being served (Agent::poll_command(true)); screenshot and upload_logs never wait.
    bool interrupts_citizen() const;
};

// Why a command was refused; the reason strings are stable (operators' tools match on them).
enum class Reject {
    Malformed,     // "malformed": not JSON, not an object, a field missing or of the wrong type
    UnknownKey,    // "unknown_key": key_id not among the trusted operator keys
    BadSignature,  // "bad_signature"
    WrongTarget,   // "wrong_target": addressed to another kiosk
    NotYetValid,   // "not_yet_valid": issued_at too far in the future (clock skew allowance)
    Expired,       // "expired"
    TooLong,       // "lifetime_too_long": expires_at - issued_at above the allowed maximum
    Replayed,      // "replayed": this id was already received
    UnknownType,   // "unknown_type"
    BadArgs,       // "bad_args"
    BadConfig,     // "bad_config": push_config's TOML does not validate
};
const char* reject_name(Reject r);

struct VerifyContext {
    std::string kiosk_id;
    std::vector<OperatorKey> keys;
    std::int64_t now = 0;                   // unix seconds
    std::int64_t max_skew = 300;            // issued_at may be this far ahead of our clock
    std::int64_t max_lifetime = 7 * 86400;  // bounds how long ids must be remembered
};

struct Verdict {
    std::optional<Command> command;  // set when accepted (replay not yet checked)
    Reject reason = Reject::Malformed;
    std::string message;  // human explanation for the response
    std::string id;       // the command's id when it could be read (for the response), else ""
};

constexpr std::size_t kMaxCommandBytes = 256 * 1024;

// Parses and checks one received payload. The replay check is left to the caller.
Verdict verify_command(std::string_view payload, const VerifyContext& ctx);

// Canonical bytes of a command object (without "sig"). Fails (nullopt) for non-integer numbers.
std::optional<std::string> canonical_bytes(const nlohmann::json& command);

// For operators' tools and tests: a new key pair (secret 64 bytes, public 32 bytes).
struct KeyPair {
    std::string secret_key, public_key;
};
KeyPair generate_keypair();
// Adds "key_id" and "sig" to `command` (an object with id, target, type, args, issued_at,
// expires_at). Returns nullopt when the command cannot be canonicalised or the key is malformed.
std::optional<nlohmann::json> sign_command(nlohmann::json command, const std::string& key_id,
                                           std::string_view secret_key);

// Checks `args` for `type_name`; on success fills cmd.type. Exposed for the tool's `sign`.
std::optional<std::pair<Reject, std::string>> check_args(Command& cmd);

bool valid_id(std::string_view id);
std::string sha256_hex(std::string_view bytes);

}  // namespace kiosk::fleet
