// The trusted-key type and its parser (base/include/base/trusted_key.hpp), shared by the update
// bundles and the operator commands.
#include <doctest/doctest.h>

#include <string>

#include "base/base64.hpp"
#include "base/trusted_key.hpp"

using kiosk::KeyIdRule;
using kiosk::TrustedKeyError;

namespace {

std::string key_text(unsigned char fill = 7, std::size_t n = 32) {
    return kiosk::base64::encode(std::string(n, static_cast<char>(fill)));
}

}  // namespace

TEST_CASE("base.trusted_key parses id:BASE64 and id + base64 to the same key") {
    auto a = kiosk::parse_trusted_key("ops-2026:" + key_text());
    REQUIRE(a);
    CHECK(a->id == "ops-2026");
    CHECK(a->public_key[0] == 7);
    CHECK(a->public_key[31] == 7);
    auto b = kiosk::parse_trusted_key(std::string_view("ops-2026"), key_text());
    REQUIRE(b);
    CHECK(b->id == a->id);
    CHECK(b->public_key == a->public_key);
}

TEST_CASE("base.trusted_key refuses each malformed key with its reason") {
    CHECK(kiosk::parse_trusted_key(key_text()).error() == TrustedKeyError::NoSeparator);
    CHECK(kiosk::parse_trusted_key(":" + key_text()).error() == TrustedKeyError::BadId);
    CHECK(kiosk::parse_trusted_key("a b:" + key_text()).error() == TrustedKeyError::BadId);
    CHECK(kiosk::parse_trusted_key(std::string(65, 'a') + ":" + key_text()).error() ==
          TrustedKeyError::BadId);
    CHECK(kiosk::parse_trusted_key("w:").error() == TrustedKeyError::NoKey);
    CHECK(kiosk::parse_trusted_key("w:AAAA").error() == TrustedKeyError::BadKey);  // 3 bytes
    CHECK(kiosk::parse_trusted_key("w:" + key_text(7, 33)).error() == TrustedKeyError::BadKey);
    CHECK(kiosk::parse_trusted_key("w:not base64!").error() == TrustedKeyError::BadKey);
    CHECK(kiosk::parse_trusted_key("w:" + std::string(5000, 'A')).error() ==
          TrustedKeyError::BadKey);
}

TEST_CASE("base.trusted_key '+' in an id only where the rule allows it (update key ids)") {
    CHECK_FALSE(kiosk::valid_key_id("ops+1"));
    CHECK(kiosk::valid_key_id("ops+1", KeyIdRule{64, true}));
    CHECK(kiosk::parse_trusted_key("ops+1:" + key_text()).error() == TrustedKeyError::BadId);
    CHECK(kiosk::parse_trusted_key("ops+1:" + key_text(), KeyIdRule{64, true}).has_value());
    CHECK(kiosk::valid_key_id("A.b_c-9"));
    CHECK_FALSE(kiosk::valid_key_id(""));
}
