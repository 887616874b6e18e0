// Keymap decoder (drivers/scanner/keymap.hpp), with simulated time.
#include <doctest/doctest.h>

#include <linux/input-event-codes.h>

#include <string>

#include "scanner/keymap.hpp"
#include "scanner/payload.hpp"

using namespace kiosk::scanner;
using ms = std::chrono::milliseconds;

namespace {

// Feeds a key event sequence at `step` ms per event starting at `t0`; returns the end time.
ms type(KeymapDecoder& d, const std::vector<std::pair<std::uint16_t, std::int32_t>>& ev, ms t0,
        ms step = ms(2)) {
    ms t = t0;
    for (auto [code, value] : ev) {
        d.feed(code, value, t);
        t += step;
    }
    return t;
}

std::string take_text(KeymapDecoder& d) {
    auto b = d.take();
    REQUIRE(b.has_value());
    return std::string(b->begin(), b->end());
}

}  // namespace

TEST_CASE("scanner.keymap decodes US keys with shift and Enter terminator") {
    KeymapDecoder d;
    type(d,
         {{KEY_LEFTSHIFT, 1},
          {KEY_E, 1},
          {KEY_E, 0},
          {KEY_S, 1},
          {KEY_LEFTSHIFT, 0},
          {KEY_S, 1},
          {KEY_SEMICOLON, 1},
          {KEY_1, 1},
          {KEY_RIGHTSHIFT, 1},
          {KEY_2, 1},
          {KEY_RIGHTSHIFT, 0},
          {KEY_SLASH, 1},
          {KEY_ENTER, 1}},
         ms(0));
    CHECK(take_text(d) == "ESs;1@/");
    CHECK_FALSE(d.take().has_value());
}

TEST_CASE("scanner.keymap round-trips text through every layout") {
    const std::string text = "https://zwfw.yueyang.gov.cn/guide/T-1_2?a=b&c=%20#x";
    for (KeyLayout l : {KeyLayout::Us, KeyLayout::Uk, KeyLayout::De, KeyLayout::Fr}) {
        KeymapOptions o;
        o.layout = l;
        KeymapDecoder d(o);
        type(d, key_events_for(text, l, Terminator::Enter), ms(100));
        CHECK(take_text(d) == text);
    }
}

TEST_CASE("scanner.keymap German and French layouts differ from US") {
    KeymapOptions o;
    o.layout = KeyLayout::De;
    KeymapDecoder de(o);
    // Z/Y swapped, AltGr+Q is @, Shift+7 is /
    type(de,
         {{KEY_Y, 1},
          {KEY_RIGHTALT, 1},
          {KEY_Q, 1},
          {KEY_RIGHTALT, 0},
          {KEY_LEFTSHIFT, 1},
          {KEY_7, 1},
          {KEY_LEFTSHIFT, 0},
          {KEY_ENTER, 1}},
         ms(0));
    CHECK(take_text(de) == "z@/");
    o.layout = KeyLayout::Fr;
    KeymapDecoder fr(o);
    // AZERTY: unshifted digit row gives symbols, shifted gives digits
    type(fr,
         {{KEY_Q, 1},
          {KEY_1, 1},
          {KEY_LEFTSHIFT, 1},
          {KEY_1, 1},
          {KEY_LEFTSHIFT, 0},
          {KEY_ENTER, 1}},
         ms(0));
    CHECK(take_text(fr) == "a&1");
}

TEST_CASE("scanner.keymap caps lock inverts letters only") {
    KeymapDecoder d;
    type(d,
         {{KEY_CAPSLOCK, 1},
          {KEY_CAPSLOCK, 0},
          {KEY_A, 1},
          {KEY_1, 1},
          {KEY_LEFTSHIFT, 1},
          {KEY_B, 1},
          {KEY_LEFTSHIFT, 0},
          {KEY_ENTER, 1}},
         ms(0));
    CHECK(take_text(d) == "A1b");
}

TEST_CASE("scanner.keymap Alt plus keypad codes give GB18030 bytes") {
    KeymapDecoder d;
    const std::string text = "取件码123456";
    type(d, key_events_for(text, KeyLayout::Us, Terminator::Enter), ms(0));
    auto raw = d.take();
    REQUIRE(raw.has_value());
    auto v = validate_text(*raw);
    REQUIRE(v.ok());
    CHECK(v.encoding == TextEncoding::Gb18030);
    CHECK(v.text == text);
}

TEST_CASE("scanner.keymap inter-key timeout discards a partial scan when a terminator is set") {
    KeymapOptions o;
    o.inter_key_timeout = ms(50);
    KeymapDecoder d(o);
    type(d, {{KEY_1, 1}, {KEY_2, 1}}, ms(0));
    REQUIRE(d.deadline().has_value());
    d.poll(ms(200));
    CHECK(d.discarded() == 1);
    CHECK_FALSE(d.deadline().has_value());
    // A late key after a gap starts afresh
    type(d, {{KEY_3, 1}, {KEY_ENTER, 1}}, ms(300));
    CHECK(take_text(d) == "3");
    // A gap inside a burst also discards what came before it
    d.feed(KEY_4, 1, ms(1000));
    d.feed(KEY_5, 1, ms(1100));
    d.feed(KEY_ENTER, 1, ms(1102));
    CHECK(take_text(d) == "5");
    CHECK(d.discarded() == 2);
}

TEST_CASE("scanner.keymap with no terminator the timeout ends the scan") {
    KeymapOptions o;
    o.terminator = Terminator::None;
    o.inter_key_timeout = ms(30);
    KeymapDecoder d(o);
    type(d, {{KEY_1, 1}, {KEY_2, 1}, {KEY_ENTER, 1}, {KEY_3, 1}}, ms(0));
    CHECK_FALSE(d.take().has_value());
    d.poll(ms(20));
    CHECK_FALSE(d.take().has_value());
    d.poll(ms(100));
    CHECK(take_text(d) == "12\r3");  // Enter is kept raw; validation removes it
    CHECK(d.discarded() == 0);
}

TEST_CASE("scanner.keymap Tab terminator, autorepeat, ctrl and unknown keys") {
    KeymapOptions o;
    o.terminator = Terminator::Tab;
    KeymapDecoder d(o);
    type(d,
         {{KEY_A, 1},
          {KEY_A, 2},
          {KEY_LEFTCTRL, 1},
          {KEY_C, 1},
          {KEY_LEFTCTRL, 0},
          {KEY_F1, 1},
          {600, 1},
          {KEY_B, 1},
          {KEY_TAB, 1}},
         ms(0));
    CHECK(take_text(d) == "ab");
    Terminator t;
    CHECK(parse_terminator("any", t));
    CHECK(t == Terminator::EnterOrTab);
    CHECK_FALSE(parse_terminator("x", t));
    KeyLayout l;
    CHECK(parse_layout("de", l));
    CHECK(l == KeyLayout::De);
    CHECK_FALSE(parse_layout("xx", l));
}

TEST_CASE("scanner.keymap caps the buffer of an endless scan") {
    KeymapOptions o;
    o.max_bytes = 8;
    KeymapDecoder d(o);
    for (int i = 0; i < 100; ++i) d.feed(KEY_1, 1, ms(i));
    d.feed(KEY_ENTER, 1, ms(100));
    auto b = d.take();
    REQUIRE(b.has_value());
    CHECK(b->size() == 9);
    ValidationLimits lim;
    lim.max_bytes = 8;
    CHECK(validate_text(*b, lim).error == ValidationError::TooLong);
}
