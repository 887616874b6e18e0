// A trusted Ed25519 public key and its one parser: the keys update bundles are signed with
// ([update] trusted_keys = ["id:BASE64"]) and the keys operator commands are signed with
// ([[fleet.operator_key]] id, public_key).
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace kiosk {

struct TrustedKey {
    std::string id;
    std::array<unsigned char, 32> public_key{};
};

enum class TrustedKeyError {
    NoSeparator,  // "id:BASE64" without ':'
    BadId,        // empty, too long, or a character the rule does not allow
    NoKey,        // nothing after ':'
    BadKey,       // not base64 of exactly 32 bytes
};

// The characters of a key id: [A-Za-z0-9._-], and '+' too where allow_plus (update key ids).
struct KeyIdRule {
    std::size_t max_length = 64;
    bool allow_plus = false;
};

bool valid_key_id(std::string_view id, KeyIdRule rule = {});

// The key from its id and the base64 (standard, padded) of its 32 bytes.
Result<TrustedKey, TrustedKeyError> parse_trusted_key(std::string_view id,
                                                      std::string_view base64_key,
                                                      KeyIdRule rule = {});
// The key from "id:BASE64".
Result<TrustedKey, TrustedKeyError> parse_trusted_key(std::string_view text, KeyIdRule rule = {});

}  // namespace kiosk
