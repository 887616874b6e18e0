// Signed remote commands; see command.hpp.
#include "fleet/command.hpp"

#include <sodium.h>

#include <stdexcept>

#include "base/base64.hpp"
#include "base/trusted_key.hpp"
#include "core/config.hpp"

namespace kiosk::fleet {

namespace {

using json = nlohmann::json;

bool sodium_ready() {
    static const bool ok = sodium_init() >= 0;
    return ok;
}

// Integers only, anywhere: one canonical spelling for every number.
bool integers_only(const json& j, int depth = 0) {
    if (depth > 32) return false;
    if (j.is_number_float()) return false;
    if (j.is_object() || j.is_array()) {
        for (const auto& v : j)
            if (!integers_only(v, depth + 1)) return false;
    }
    return true;
}

Verdict reject(Reject r, std::string message, std::string id) {
    Verdict v;
    v.reason = r;
    v.message = std::move(message);
    v.id = std::move(id);
    return v;
}

std::optional<std::string> get_string(const json& o, const char* key) {
    auto it = o.find(key);
    if (it == o.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

std::optional<std::int64_t> get_int(const json& o, const char* key) {
    auto it = o.find(key);
    if (it == o.end() || !it->is_number_integer()) return std::nullopt;
    if (it->is_number_unsigned() && it->get<std::uint64_t>() > INT64_MAX) return std::nullopt;
    return it->get<std::int64_t>();
}

}  // namespace

const char* reject_name(Reject r) {
    switch (r) {
        case Reject::Malformed:
            return "malformed";
        case Reject::UnknownKey:
            return "unknown_key";
        case Reject::BadSignature:
            return "bad_signature";
        case Reject::WrongTarget:
            return "wrong_target";
        case Reject::NotYetValid:
            return "not_yet_valid";
        case Reject::Expired:
            return "expired";
        case Reject::TooLong:
            return "lifetime_too_long";
        case Reject::Replayed:
            return "replayed";
        case Reject::UnknownType:
            return "unknown_type";
        case Reject::BadArgs:
            return "bad_args";
        case Reject::BadConfig:
            return "bad_config";
    }
    return "malformed";
}

bool Command::interrupts_citizen() const {
    switch (type) {
        case Type::Restart:
            return true;
        case Type::OutOfService:
            return true;
        case Type::PushConfig: {
            auto it = args.find("restart");
            return it == args.end() || (it->is_boolean() && it->get<bool>());
        }
        case Type::Screenshot:
        case Type::UploadLogs:
        case Type::AssistAck:  // it tells the waiting citizen that someone is coming
            return false;
    }
    return true;
}

bool valid_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

std::string sha256_hex(std::string_view bytes) {
    sodium_ready();
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char c : h) {
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 15]);
    }
    return out;
}

std::optional<std::string> canonical_bytes(const json& command) {
    if (!command.is_object() || !integers_only(command)) return std::nullopt;
    json copy = command;
    copy.erase("sig");
    try {
        return copy.dump(-1, ' ', false, json::error_handler_t::strict);
    } catch (const json::exception&) {
        return std::nullopt;  // invalid UTF-8 in a string
    }
}

KeyPair generate_keypair() {
    sodium_ready();
    KeyPair kp;
    kp.public_key.resize(crypto_sign_PUBLICKEYBYTES);
    kp.secret_key.resize(crypto_sign_SECRETKEYBYTES);
    crypto_sign_keypair(reinterpret_cast<unsigned char*>(kp.public_key.data()),
                        reinterpret_cast<unsigned char*>(kp.secret_key.data()));
    return kp;
}

std::optional<json> sign_command(json command, const std::string& key_id,
                                 std::string_view secret_key) {
    if (!sodium_ready() || secret_key.size() != crypto_sign_SECRETKEYBYTES) return std::nullopt;
    if (!command.is_object()) return std::nullopt;
    command["key_id"] = key_id;
    auto bytes = canonical_bytes(command);
    if (!bytes) return std::nullopt;
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(bytes->data()),
                         bytes->size(), reinterpret_cast<const unsigned char*>(secret_key.data()));
    command["sig"] = base64::encode(sig, sizeof sig);
    return command;
}

std::optional<std::pair<Reject, std::string>> check_args(Command& cmd) {
    static const std::pair<const char*, Command::Type> types[] = {
        {"restart", Command::Type::Restart},
        {"screenshot", Command::Type::Screenshot},
        {"upload_logs", Command::Type::UploadLogs},
        {"push_config", Command::Type::PushConfig},
        {"out_of_service", Command::Type::OutOfService},
        {"assist_ack", Command::Type::AssistAck},
    };
    bool known = false;
    for (const auto& [name, t] : types)
        if (cmd.type_name == name) {
            cmd.type = t;
            known = true;
        }
    if (!known)
        return std::pair{Reject::UnknownType, "unknown command type '" + cmd.type_name + "'"};
    const json& a = cmd.args;
    if (!a.is_object()) return std::pair{Reject::BadArgs, std::string("'args' must be an object")};
    auto only = [&](std::initializer_list<const char*> allowed)
        -> std::optional<std::pair<Reject, std::string>> {
        for (const auto& [k, v] : a.items()) {
            bool ok = false;
            for (const char* name : allowed) ok = ok || k == name;
            if (!ok)
                return std::pair{Reject::BadArgs,
                                 "unexpected argument '" + k + "' for " + cmd.type_name};
        }
        return std::nullopt;
    };
    switch (cmd.type) {
        case Command::Type::Restart:
        case Command::Type::Screenshot:
            return only({});
        case Command::Type::UploadLogs: {
            if (auto e = only({"max_bytes"})) return e;
            if (a.contains("max_bytes")) {
                const auto& m = a["max_bytes"];
                if (!m.is_number_integer() || m.get<std::int64_t>() < 1 ||
                    m.get<std::int64_t>() > 64 * 1024 * 1024)
                    return std::pair{Reject::BadArgs,
                                     std::string("'max_bytes' must be an integer 1..67108864")};
            }
            return std::nullopt;
        }
        case Command::Type::OutOfService: {
            if (auto e = only({"mode", "note"})) return e;
            auto mode = get_string(a, "mode");
            if (!mode || (*mode != "enter" && *mode != "leave"))
                return std::pair{Reject::BadArgs,
                                 std::string("'mode' must be \"enter\" or \"leave\"")};
            if (a.contains("note") &&
                (!a["note"].is_string() || a["note"].get<std::string>().size() > 500))
                return std::pair{Reject::BadArgs,
                                 std::string("'note' must be a string of at most 500 bytes")};
            return std::nullopt;
        }
        case Command::Type::AssistAck: {
            if (auto e = only({"call_id", "eta_minutes"})) return e;
            auto call = get_string(a, "call_id");
            if (!call || !valid_id(*call))
                return std::pair{Reject::BadArgs,
                                 std::string("'call_id' must be 1..64 of [A-Za-z0-9._-]")};
            const auto it = a.find("eta_minutes");
            if (it == a.end() || !it->is_number_integer() || it->get<std::int64_t>() < 0 ||
                it->get<std::int64_t>() > 240)
                return std::pair{Reject::BadArgs,
                                 std::string("'eta_minutes' must be an integer 0..240")};
            return std::nullopt;
        }
        case Command::Type::PushConfig: {
            if (auto e = only({"toml", "restart"})) return e;
            auto text = get_string(a, "toml");
            if (!text)
                return std::pair{Reject::BadArgs, std::string("'toml' (a string) is required")};
            if (a.contains("restart") && !a["restart"].is_boolean())
                return std::pair{Reject::BadArgs, std::string("'restart' must be true or false")};
            // Validated exactly as start-up would: the defaults, then the pushed file on top.
            Config c;
            if (auto e = apply_config(c, default_config_text(), "<built-in>"))
                return std::pair{Reject::BadConfig, e->message};
            if (auto e = apply_config(c, *text, "push_config"))
                return std::pair{Reject::BadConfig, e->message};
            return std::nullopt;
        }
    }
    return std::pair{Reject::UnknownType, std::string("unknown command type")};
}

Verdict verify_command(std::string_view payload, const VerifyContext& ctx) {
    if (payload.size() > kMaxCommandBytes)
        return reject(Reject::Malformed, "command larger than 256 KiB", "");
    json j;
    try {
        j = json::parse(payload.begin(), payload.end(), nullptr, true, false);
    } catch (const json::exception&) {
        return reject(Reject::Malformed, "not valid JSON", "");
    }
    if (!j.is_object()) return reject(Reject::Malformed, "not a JSON object", "");
    std::string id;
    if (auto v = get_string(j, "id"); v && valid_id(*v)) id = *v;
    if (id.empty())
        return reject(Reject::Malformed, "'id' missing or not 1..64 of [A-Za-z0-9._-]", "");
    for (const auto& [k, v] : j.items()) {
        static const char* known[] = {"id",        "target",     "type",   "args",
                                      "issued_at", "expires_at", "key_id", "sig"};
        bool ok = false;
        for (const char* name : known) ok = ok || k == name;
        if (!ok) return reject(Reject::Malformed, "unknown field '" + k + "'", id);
    }
    Command cmd;
    cmd.id = id;
    auto target = get_string(j, "target");
    auto type = get_string(j, "type");
    auto key_id = get_string(j, "key_id");
    auto sig = get_string(j, "sig");
    auto issued = get_int(j, "issued_at");
    auto expires = get_int(j, "expires_at");
    if (!target) return reject(Reject::Malformed, "'target' (a string) is required", id);
    if (!type) return reject(Reject::Malformed, "'type' (a string) is required", id);
    if (!key_id) return reject(Reject::Malformed, "'key_id' (a string) is required", id);
    if (!sig) return reject(Reject::Malformed, "'sig' (base64) is required", id);
    if (!issued) return reject(Reject::Malformed, "'issued_at' (unix seconds) is required", id);
    if (!expires) return reject(Reject::Malformed, "'expires_at' (unix seconds) is required", id);
    if (j.contains("args")) cmd.args = j["args"];
    auto canon = canonical_bytes(j);
    if (!canon)
        return reject(Reject::Malformed, "numbers must be integers and strings valid UTF-8", id);

    const OperatorKey* key = nullptr;
    for (const auto& k : ctx.keys)
        if (k.id == *key_id) key = &k;
    if (!key)
        return reject(Reject::UnknownKey, "key '" + key_id->substr(0, 64) + "' is not trusted", id);
    auto pk = kiosk::parse_trusted_key(key->id, key->public_key);
    auto sigbytes = base64::decode(*sig);
    if (!pk)
        return reject(Reject::UnknownKey,
                      "trusted key '" + key->id + "' is not a valid Ed25519 key", id);
    if (!sigbytes || sigbytes->size() != crypto_sign_BYTES)
        return reject(Reject::BadSignature, "'sig' is not a base64 Ed25519 signature", id);
    if (crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sigbytes->data()),
                                    reinterpret_cast<const unsigned char*>(canon->data()),
                                    canon->size(), pk->public_key.data()) != 0)
        return reject(Reject::BadSignature, "signature does not verify with key '" + key->id + "'",
                      id);

    if (*target != ctx.kiosk_id)
        return reject(Reject::WrongTarget, "addressed to another kiosk", id);
    if (*expires <= ctx.now) return reject(Reject::Expired, "expired", id);
    if (*issued > ctx.now + ctx.max_skew)
        return reject(Reject::NotYetValid, "issued in the future (check the clocks)", id);
    if (*expires < *issued || *expires - *issued > ctx.max_lifetime)
        return reject(Reject::TooLong,
                      "expires_at must follow issued_at by at most " +
                          std::to_string(ctx.max_lifetime) + " s",
                      id);

    cmd.target = *target;
    cmd.type_name = *type;
    cmd.key_id = *key_id;
    cmd.issued_at = *issued;
    cmd.expires_at = *expires;
    if (auto e = check_args(cmd)) return reject(e->first, e->second, id);
    Verdict v;
    v.id = id;
    v.command = std::move(cmd);
    return v;
}

}  // namespace kiosk::fleet
