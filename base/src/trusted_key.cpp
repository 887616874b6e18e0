#include "base/trusted_key.hpp"

#include <algorithm>

#include "base/base64.hpp"

namespace kiosk {
namespace {

// A key is 44 characters of base64; anything much longer is refused before decoding.
constexpr std::size_t kKeyTextMax = 4096;

}  // namespace

bool valid_key_id(std::string_view id, KeyIdRule rule) {
    if (id.empty() || id.size() > rule.max_length) return false;
    return std::all_of(id.begin(), id.end(), [&](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               c == '-' || c == '_' || c == '.' || (rule.allow_plus && c == '+');
    });
}

Result<TrustedKey, TrustedKeyError> parse_trusted_key(std::string_view id,
                                                      std::string_view base64_key, KeyIdRule rule) {
    if (!valid_key_id(id, rule)) return fail(TrustedKeyError::BadId);
    if (base64_key.empty()) return fail(TrustedKeyError::NoKey);
    auto raw = base64::decode(base64_key, kKeyTextMax);
    TrustedKey k;
    if (!raw || raw->size() != k.public_key.size()) return fail(TrustedKeyError::BadKey);
    k.id = std::string(id);
    std::copy(raw->begin(), raw->end(), k.public_key.begin());
    return k;
}

Result<TrustedKey, TrustedKeyError> parse_trusted_key(std::string_view text, KeyIdRule rule) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) return fail(TrustedKeyError::NoSeparator);
    return parse_trusted_key(text.substr(0, colon), text.substr(colon + 1), rule);
}

}  // namespace kiosk
