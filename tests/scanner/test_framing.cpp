// Serial and HID POS framing (drivers/scanner/framing.hpp), with simulated time.
#include <doctest/doctest.h>

#include <string>

#include "scanner/framing.hpp"

using namespace kiosk::scanner;
using ms = std::chrono::milliseconds;

namespace {
std::span<const std::uint8_t> b(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
std::string text(const RawScan& s) {
    return std::string(s.bytes.begin(), s.bytes.end());
}
}  // namespace

TEST_CASE("scanner.framing serial scans split on CR, LF or CR LF, across chunks") {
    SerialFramer f;  // Any
    f.feed(b("1234"), ms(0));
    f.feed(b("5678\r\nESTN:PICKUP:"), ms(1));
    f.feed(b("654321\n"), ms(2));
    REQUIRE(f.take().has_value());
    auto s2 = f.take();
    REQUIRE(s2.has_value());
    CHECK(text(*s2) == "ESTN:PICKUP:654321");
    CHECK_FALSE(f.take().has_value());

    SerialFramerOptions o;
    o.end = LineEnd::CrLf;
    SerialFramer g(o);
    g.feed(b("a\rb\r\n"), ms(0));
    auto s = g.take();
    REQUIRE(s.has_value());
    CHECK(text(*s) == "a\rb");  // a lone CR is data in CR LF mode
}

TEST_CASE("scanner.framing serial idle timeout ends a scan without suffix") {
    SerialFramerOptions o;
    o.end = LineEnd::None;
    o.idle_timeout = ms(50);
    SerialFramer f(o);
    f.feed(b("12345678"), ms(0));
    f.poll(ms(40));
    CHECK_FALSE(f.take().has_value());
    f.poll(ms(60));
    auto s = f.take();
    REQUIRE(s.has_value());
    CHECK(text(*s) == "12345678");
    // The next byte after a gap starts a new scan even without poll().
    f.feed(b("AB"), ms(100));
    f.feed(b("CD"), ms(200));
    auto s2 = f.take();
    REQUIRE(s2.has_value());
    CHECK(text(*s2) == "AB");
}

TEST_CASE("scanner.framing serial AIM prefix gives the symbology and is stripped") {
    SerialFramerOptions o;
    o.aim_prefix = true;
    SerialFramer f(o);
    f.feed(b("]C0ESTN:CERT:YY-1\r]Q1x\r"), ms(0));
    auto s = f.take();
    REQUIRE(s.has_value());
    CHECK(s->symbology == Symbology::Code128);
    CHECK(text(*s) == "ESTN:CERT:YY-1");
    CHECK(f.take()->symbology == Symbology::QrCode);
}

TEST_CASE("scanner.framing serial caps an endless line") {
    SerialFramerOptions o;
    o.max_bytes = 10;
    SerialFramer f(o);
    f.feed(b(std::string(1000, 'x') + "\r"), ms(0));
    auto s = f.take();
    REQUIRE(s.has_value());
    CHECK(s->bytes.size() == 11);
}

TEST_CASE("scanner.framing HID POS reports assemble multi-report scans") {
    HidPosAssembler a;
    const std::string data(130, 'z');
    const auto reports = a.encode(b(data), "]Q1");
    REQUIRE(reports.size() == 3);
    CHECK(reports[0].size() == 64);
    CHECK(reports[0][0] == 0x02);
    CHECK(reports[0][1] == 56);
    CHECK(reports[0][63] == 1);
    CHECK(reports[2][63] == 0);
    for (const auto& r : reports) CHECK(a.feed(r) == HidPosError::None);
    auto s = a.take();
    REQUIRE(s.has_value());
    CHECK(text(*s) == data);
    CHECK(s->symbology == Symbology::QrCode);
}

TEST_CASE("scanner.framing HID POS rejects malformed reports") {
    HidPosAssembler a;
    std::vector<std::uint8_t> r(64, 0);
    r[0] = 0x05;
    CHECK(a.feed(r) == HidPosError::WrongReportId);
    r[0] = 0x02;
    r[1] = 57;  // over the 56 data bytes
    CHECK(a.feed(r) == HidPosError::BadLength);
    CHECK(a.feed(std::span<const std::uint8_t>(r.data(), 10)) == HidPosError::ShortReport);
    CHECK(a.feed({}) == HidPosError::WrongReportId);
    CHECK_FALSE(a.take().has_value());
    HidPosAssembler small({}, 60);
    const std::string big(200, 'q');
    HidPosError last = HidPosError::None;
    for (const auto& rep : small.encode(b(big))) last = small.feed(rep);
    CHECK(last == HidPosError::TooLong);
    auto s = small.take();
    REQUIRE(s.has_value());
    CHECK(s->bytes.size() == 61);  // validation then rejects it as too long
}
