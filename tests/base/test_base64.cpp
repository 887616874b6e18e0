// base64 (base/include/base/base64.hpp): libsodium's codec, standard alphabet, padded; every
// byte value round-trips and every malformed text is refused with a typed error.
#include <doctest/doctest.h>

#include <string>

#include "base/base64.hpp"

namespace b64 = kiosk::base64;

TEST_CASE("base.base64 encodes the RFC 4648 test vectors") {
    CHECK(b64::encode("") == "");
    CHECK(b64::encode("f") == "Zg==");
    CHECK(b64::encode("fo") == "Zm8=");
    CHECK(b64::encode("foo") == "Zm9v");
    CHECK(b64::encode("foob") == "Zm9vYg==");
    CHECK(b64::encode("fooba") == "Zm9vYmE=");
    CHECK(b64::encode("foobar") == "Zm9vYmFy");
    const unsigned char raw[] = {0xfb, 0xff};
    CHECK(b64::encode(raw, sizeof raw) == "+/8=");  // the standard alphabet, not URL-safe
}

TEST_CASE("base.base64 every byte value round-trips, embedded NULs included") {
    std::string all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
    for (std::size_t n : {0u, 1u, 2u, 3u, 4u, 255u, 256u}) {
        const std::string in = all.substr(0, n);
        auto back = b64::decode(b64::encode(in));
        REQUIRE(back.has_value());
        CHECK(*back == in);
    }
    CHECK(b64::decode("").value() == "");
    CHECK(b64::decode("AAAA").value() == std::string(3, '\0'));
}

TEST_CASE("base.base64 bad input is refused as Malformed") {
    for (const char* bad : {
             "A",         // too short for a quantum
             "AB",        // padding missing
             "ABC",       // padding missing
             "Zg=",       // padding short
             "Zg===",     // padding long
             "=Zg=",      // padding first
             "Zg==Zg==",  // data after the padding
             "Zm9v\n",    // whitespace is not ignored
             " Zm9v",     // nor leading space
             "Zm 9v",     // nor inner space
             "Zm9v*",     // outside the alphabet
             "-_8=",      // the URL-safe alphabet
             "Zm9v\x80",  // a high byte
         }) {
        auto r = b64::decode(bad);
        CHECK_MESSAGE(!r.has_value(), bad);
        if (!r) CHECK(r.error() == b64::Error::Malformed);
    }
    // An embedded NUL is a character like any other, not the end of the text.
    auto nul = b64::decode(std::string("Zm9v\0Zm9v", 9));
    REQUIRE_FALSE(nul.has_value());
    CHECK(nul.error() == b64::Error::Malformed);
}

TEST_CASE("base.base64 the length limit is checked before decoding") {
    const std::string text = b64::encode(std::string(3000, 'x'));  // 4000 characters
    CHECK(b64::decode(text, 4000).has_value());
    auto r = b64::decode(text, 3999);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == b64::Error::TooLong);
    CHECK(std::string(b64::to_string(b64::Error::TooLong)) == "base64 text too long");
    // Over the default limit (1 MiB), even though it would decode.
    const std::string big(b64::kDefaultMaxText + 4, 'A');
    CHECK(b64::decode(big).error() == b64::Error::TooLong);
    CHECK(b64::decode(big, big.size()).has_value());
}
