// Result<T, E> (base/include/base/result.hpp) and the clocks (base/include/base/clock.hpp).
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "base/clock.hpp"
#include "base/result.hpp"

namespace {

enum class ParseError { Empty, TooLong };

kiosk::Result<int, ParseError> parse(const std::string& s) {
    if (s.empty()) return kiosk::fail(ParseError::Empty);
    if (s.size() > 3) return kiosk::fail(ParseError::TooLong);
    return std::stoi(s);
}

kiosk::Result<void, std::string> check(bool ok) {
    if (!ok) return kiosk::fail(std::string("no"));
    return {};
}

}  // namespace

TEST_CASE("base.result holds a value or a typed error") {
    auto ok = parse("42");
    REQUIRE(ok);
    CHECK(ok.has_value());
    CHECK(*ok == 42);
    CHECK(ok.value() == 42);
    CHECK(ok.value_or(7) == 42);
    CHECK_THROWS_AS((void)ok.error(), kiosk::BadResultAccess);

    auto empty = parse("");
    REQUIRE_FALSE(empty);
    CHECK(empty.error() == ParseError::Empty);
    CHECK(empty.value_or(7) == 7);
    CHECK_THROWS_AS((void)empty.value(), kiosk::BadResultAccess);
    CHECK(parse("12345").error() == ParseError::TooLong);
}

TEST_CASE("base.result of the same type for value and error, move-only values, void") {
    kiosk::Result<std::string, std::string> v = std::string("value");
    kiosk::Result<std::string, std::string> e = kiosk::fail(std::string("error"));
    CHECK(v.has_value());
    CHECK(*v == "value");
    CHECK_FALSE(e.has_value());
    CHECK(e.error() == "error");

    kiosk::Result<std::unique_ptr<int>, int> p = std::make_unique<int>(5);
    REQUIRE(p);
    std::unique_ptr<int> taken = std::move(p).value();
    CHECK(*taken == 5);

    CHECK(check(true));
    REQUIRE_FALSE(check(false));
    CHECK(check(false).error() == "no");
    CHECK_THROWS_AS(check(false).value(), kiosk::BadResultAccess);
}

TEST_CASE("base.clock wall time is the epoch's, steady time never goes back") {
    const auto wall = kiosk::clock::wall_ms();
    CHECK(wall > 1'700'000'000'000LL);  // after November 2023
    CHECK(kiosk::clock::wall_s() >= wall / 1000);
    const auto a = kiosk::clock::steady_ms();
    const auto b = kiosk::clock::steady_ms();
    CHECK(b >= a);
}
