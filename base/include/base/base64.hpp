// Base64, standard alphabet with padding (RFC 4648 section 4), through libsodium
// (sodium_bin2base64 / sodium_base642bin, variant ORIGINAL): keys, signatures and payloads in
// configuration files, operator commands and update bundles.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace kiosk::base64 {

enum class Error {
    TooLong,    // longer than the caller's limit (checked before any decoding)
    Malformed,  // a character outside the alphabet, missing or misplaced padding, whitespace
};
const char* to_string(Error e);

// The limit decode() applies unless told otherwise.
inline constexpr std::size_t kDefaultMaxText = 1024 * 1024;

std::string encode(std::string_view bytes);
std::string encode(const unsigned char* data, std::size_t size);

// The bytes `text` encodes; all of `text` must be base64 (nothing ignored, nothing trailing).
// The empty text is the empty byte string.
Result<std::string, Error> decode(std::string_view text, std::size_t max_text = kDefaultMaxText);

}  // namespace kiosk::base64
