// Keymap decoder (see keymap.hpp). Key codes: linux/input-event-codes.h.
#include "scanner/keymap.hpp"

#include <linux/input-event-codes.h>

#include <iconv.h>

#include <array>
#include <string>

namespace kiosk::scanner {
namespace {

using namespace std::literals;

struct KeyChars {
    char32_t normal = 0, shifted = 0, altgr = 0;
};
using Table = std::array<KeyChars, 128>;

// Fills consecutive key codes from parallel rows (0 = nothing on that level).
void row(Table& t, int first, std::u32string_view n, std::u32string_view s,
         std::u32string_view a = {}) {
    for (std::size_t i = 0; i < n.size(); ++i) {
        auto& k = t[static_cast<std::size_t>(first) + i];
        k.normal = n[i];
        k.shifted = i < s.size() ? s[i] : 0;
        k.altgr = i < a.size() ? a[i] : 0;
    }
}

void common_keys(Table& t) {
    row(t, KEY_SPACE, U" "sv, U" "sv);
    // Keypad with Num Lock on (scanners send keypad digits in some modes).
    row(t, KEY_KP7, U"789-456+1230."sv, U"789-456+1230."sv);
    t[KEY_KPASTERISK] = {U'*', U'*', 0};
    t[KEY_KPSLASH] = {U'/', U'/', 0};
}

Table make_us() {
    Table t{};
    row(t, KEY_1, U"1234567890-="sv, U"!@#$%^&*()_+"sv);
    row(t, KEY_Q, U"qwertyuiop[]"sv, U"QWERTYUIOP{}"sv);
    row(t, KEY_A, U"asdfghjkl;'`"sv, U"ASDFGHJKL:\"~"sv);
    row(t, KEY_BACKSLASH, U"\\"sv, U"|"sv);
    row(t, KEY_Z, U"zxcvbnm,./"sv, U"ZXCVBNM<>?"sv);
    common_keys(t);
    return t;
}

Table make_uk() {
    Table t = make_us();
    row(t, KEY_1, U"1234567890-="sv, U"!\"£$%^&*()_+"sv);
    row(t, KEY_A, U"asdfghjkl;'`"sv, U"ASDFGHJKL:@¬"sv);
    row(t, KEY_BACKSLASH, U"#"sv, U"~"sv);
    row(t, KEY_102ND, U"\\"sv, U"|"sv);
    return t;
}

Table make_de() {
    Table t{};
    row(t, KEY_1, U"1234567890ß´"sv, U"!\"§$%&/()=?`"sv, U"\0²³\0\0\0{[]}\\\0"sv);
    row(t, KEY_Q, U"qwertzuiopü+"sv, U"QWERTZUIOPÜ*"sv, U"@\0€\0\0\0\0\0\0\0\0~"sv);
    row(t, KEY_A, U"asdfghjklöä^"sv, U"ASDFGHJKLÖÄ°"sv);
    row(t, KEY_BACKSLASH, U"#"sv, U"'"sv);
    row(t, KEY_Z, U"yxcvbnm,.-"sv, U"YXCVBNM;:_"sv, U"\0\0\0\0\0\0µ"sv);
    row(t, KEY_102ND, U"<"sv, U">"sv, U"|"sv);
    common_keys(t);
    return t;
}

Table make_fr() {
    Table t{};
    row(t, KEY_1, U"&é\"'(-è_çà)="sv, U"1234567890°+"sv, U"\0~#{[|`\\^@]}"sv);
    row(t, KEY_Q, U"azertyuiop^$"sv, U"AZERTYUIOP¨£"sv, U"\0\0€\0\0\0\0\0\0\0\0¤"sv);
    row(t, KEY_A, U"qsdfghjklmù²"sv, U"QSDFGHJKLM%"sv);
    row(t, KEY_BACKSLASH, U"*"sv, U"µ"sv);
    row(t, KEY_Z, U"wxcvbn,;:!"sv, U"WXCVBN?./§"sv);
    row(t, KEY_102ND, U"<"sv, U">"sv);
    common_keys(t);
    return t;
}

const Table& table(KeyLayout l) {
    static const Table us = make_us(), uk = make_uk(), de = make_de(), fr = make_fr();
    switch (l) {
        case KeyLayout::Us:
            return us;
        case KeyLayout::Uk:
            return uk;
        case KeyLayout::De:
            return de;
        case KeyLayout::Fr:
            return fr;
    }
    return us;
}

int keypad_digit(std::uint16_t code) {
    switch (code) {
        case KEY_KP0:
            return 0;
        case KEY_KP1:
            return 1;
        case KEY_KP2:
            return 2;
        case KEY_KP3:
            return 3;
        case KEY_KP4:
            return 4;
        case KEY_KP5:
            return 5;
        case KEY_KP6:
            return 6;
        case KEY_KP7:
            return 7;
        case KEY_KP8:
            return 8;
        case KEY_KP9:
            return 9;
        default:
            return -1;
    }
}

bool is_letter(char32_t c) {
    return (c >= U'a' && c <= U'z') || c == U'ä' || c == U'ö' || c == U'ü';
}

void put_utf8(std::vector<std::uint8_t>& out, char32_t c) {
    if (c < 0x80) {
        out.push_back(static_cast<std::uint8_t>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<std::uint8_t>(0xC0 | (c >> 6)));
        out.push_back(static_cast<std::uint8_t>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<std::uint8_t>(0xE0 | (c >> 12)));
        out.push_back(static_cast<std::uint8_t>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<std::uint8_t>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<std::uint8_t>(0xF0 | (c >> 18)));
        out.push_back(static_cast<std::uint8_t>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<std::uint8_t>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<std::uint8_t>(0x80 | (c & 0x3F)));
    }
}

}  // namespace

bool parse_layout(std::string_view s, KeyLayout& out) {
    if (s == "us") return out = KeyLayout::Us, true;
    if (s == "uk" || s == "gb") return out = KeyLayout::Uk, true;
    if (s == "de") return out = KeyLayout::De, true;
    if (s == "fr") return out = KeyLayout::Fr, true;
    return false;
}

bool parse_terminator(std::string_view s, Terminator& out) {
    if (s == "enter" || s == "cr") return out = Terminator::Enter, true;
    if (s == "tab") return out = Terminator::Tab, true;
    if (s == "any") return out = Terminator::EnterOrTab, true;
    if (s == "none") return out = Terminator::None, true;
    return false;
}

KeymapDecoder::KeymapDecoder(KeymapOptions options) : opt_(options) {}

void KeymapDecoder::reset() {
    buf_.clear();
    done_.clear();
    last_.reset();
    lshift_ = rshift_ = altgr_ = lalt_ = ctrl_ = caps_ = false;
    alt_code_ = 0;
    alt_digits_ = false;
}

void KeymapDecoder::complete() {
    if (!buf_.empty()) done_.push_back(std::move(buf_));
    buf_.clear();
    last_.reset();
}

// A gap longer than the timeout: with no terminator this is how a scan ends; with one, the
// partial input is not a scan (a dropped key or a person pressing keys) and is discarded.
void KeymapDecoder::end_of_burst() {
    if (buf_.empty()) {
        last_.reset();
        return;
    }
    if (opt_.terminator == Terminator::None) {
        complete();
    } else {
        buf_.clear();
        last_.reset();
        ++discarded_;
    }
}

void KeymapDecoder::poll(std::chrono::milliseconds now) {
    if (last_ && now - *last_ > opt_.inter_key_timeout) end_of_burst();
}

std::optional<std::chrono::milliseconds> KeymapDecoder::deadline() const {
    if (!last_ || buf_.empty()) return std::nullopt;
    return *last_ + opt_.inter_key_timeout + std::chrono::milliseconds(1);
}

std::optional<KeymapDecoder::Bytes> KeymapDecoder::take() {
    if (done_.empty()) return std::nullopt;
    Bytes b = std::move(done_.front());
    done_.pop_front();
    return b;
}

void KeymapDecoder::append_char(char32_t c) {
    if (buf_.size() > opt_.max_bytes) return;  // validation rejects it as too long
    put_utf8(buf_, c);
}

void KeymapDecoder::feed(std::uint16_t code, std::int32_t value, std::chrono::milliseconds t) {
    // Modifier state follows presses and releases.
    const bool down = value != 0;
    switch (code) {
        case KEY_LEFTSHIFT:
            lshift_ = down;
            return;
        case KEY_RIGHTSHIFT:
            rshift_ = down;
            return;
        case KEY_RIGHTALT:
            altgr_ = down;
            return;
        case KEY_LEFTCTRL:
        case KEY_RIGHTCTRL:
            ctrl_ = down;
            return;
        case KEY_LEFTALT:
            if (value == 1) {
                lalt_ = true;
                alt_code_ = 0;
                alt_digits_ = false;
            } else if (value == 0) {
                lalt_ = false;
                if (alt_digits_) {
                    poll(t);
                    // Alt + decimal code: < 256 is one byte, otherwise a double-byte GBK code.
                    if (alt_code_ > 0xFF) buf_.push_back(static_cast<std::uint8_t>(alt_code_ >> 8));
                    buf_.push_back(static_cast<std::uint8_t>(alt_code_ & 0xFF));
                    last_ = t;
                }
                alt_digits_ = false;
            }
            return;
        default:
            break;
    }
    if (value != 1) return;  // releases and autorepeat carry no characters
    poll(t);                 // a long gap before this key ends the previous burst
    if (code == KEY_CAPSLOCK) {
        caps_ = !caps_;
        return;
    }
    if (lalt_) {
        const int d = keypad_digit(code);
        if (d >= 0) {
            alt_code_ = (alt_code_ * 10 + static_cast<std::uint32_t>(d)) & 0xFFFF;
            alt_digits_ = true;
            last_ = t;
        }
        return;
    }
    if (ctrl_) return;
    const bool is_enter = code == KEY_ENTER || code == KEY_KPENTER;
    const bool is_tab = code == KEY_TAB;
    if (is_enter || is_tab) {
        const bool ends = opt_.terminator == Terminator::EnterOrTab ||
                          (is_enter && opt_.terminator == Terminator::Enter) ||
                          (is_tab && opt_.terminator == Terminator::Tab);
        if (ends) {
            complete();
        } else {
            append_char(is_enter ? U'\r' : U'\t');  // kept raw; validation removes controls
            last_ = t;
        }
        return;
    }
    if (code >= 128) return;
    const KeyChars& k = table(opt_.layout)[code];
    bool shift = lshift_ || rshift_;
    if (caps_ && is_letter(k.normal)) shift = !shift;
    const char32_t c = altgr_ ? k.altgr : (shift ? k.shifted : k.normal);
    if (c == 0) return;
    append_char(c);
    last_ = t;
}

namespace {

bool is_keypad(std::uint16_t code) {
    return (code >= KEY_KP7 && code <= KEY_KPDOT) || code == KEY_KPASTERISK || code == KEY_KPSLASH;
}

// Decodes `utf8` leniently (simulator input): malformed bytes become U+FFFD.
std::u32string decode_lenient(std::string_view s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c0 = static_cast<unsigned char>(s[i]);
        std::size_t n = c0 < 0x80         ? 1
                        : (c0 >> 5) == 6  ? 2
                        : (c0 >> 4) == 14 ? 3
                        : (c0 >> 3) == 30 ? 4
                                          : 0;
        if (n == 0 || i + n > s.size()) {
            out.push_back(0xFFFD);
            ++i;
            continue;
        }
        char32_t c = n == 1 ? c0 : (c0 & (0x7F >> n));
        for (std::size_t k = 1; k < n; ++k) {
            c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        }
        out.push_back(c);
        i += n;
    }
    return out;
}

std::optional<KeyStroke> stroke_for(const Table& t, char32_t c) {
    for (std::uint16_t code = 1; code < 128; ++code) {
        if (is_keypad(code)) continue;
        if (t[code].normal == c) return KeyStroke{code, false, false};
        if (t[code].shifted == c) return KeyStroke{code, true, false};
        if (t[code].altgr == c) return KeyStroke{code, false, true};
    }
    return std::nullopt;
}

// GB18030 bytes of one code point (empty if it cannot be converted).
std::string to_gb18030(char32_t c) {
    std::vector<std::uint8_t> u;
    put_utf8(u, c);
    std::string in(u.begin(), u.end());
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    if (cd == reinterpret_cast<iconv_t>(-1)) return {};
    std::string out(8, '\0');
    char* ip = in.data();
    std::size_t il = in.size();
    char* op = out.data();
    std::size_t ol = out.size();
    const std::size_t rc = iconv(cd, &ip, &il, &op, &ol);
    iconv_close(cd);
    if (rc == static_cast<std::size_t>(-1)) return {};
    out.resize(out.size() - ol);
    return out;
}

void press(std::vector<std::pair<std::uint16_t, std::int32_t>>& ev, std::uint16_t code) {
    ev.emplace_back(code, 1);
    ev.emplace_back(code, 0);
}

void alt_code(std::vector<std::pair<std::uint16_t, std::int32_t>>& ev, unsigned value) {
    static constexpr std::uint16_t kp[10] = {KEY_KP0, KEY_KP1, KEY_KP2, KEY_KP3, KEY_KP4,
                                             KEY_KP5, KEY_KP6, KEY_KP7, KEY_KP8, KEY_KP9};
    ev.emplace_back(KEY_LEFTALT, 1);
    for (char d : std::to_string(value)) press(ev, kp[d - '0']);
    ev.emplace_back(KEY_LEFTALT, 0);
}

}  // namespace

bool text_to_keys(std::string_view utf8, KeyLayout layout, std::vector<KeyStroke>& out) {
    const Table& t = table(layout);
    bool all = true;
    for (char32_t c : decode_lenient(utf8)) {
        if (auto s = stroke_for(t, c)) {
            out.push_back(*s);
        } else {
            all = false;
        }
    }
    return all;
}

std::vector<std::pair<std::uint16_t, std::int32_t>> key_events_for(std::string_view utf8,
                                                                   KeyLayout layout,
                                                                   Terminator terminator) {
    const Table& t = table(layout);
    std::vector<std::pair<std::uint16_t, std::int32_t>> ev;
    for (char32_t c : decode_lenient(utf8)) {
        if (auto s = stroke_for(t, c)) {
            const std::uint16_t mod = s->shift ? KEY_LEFTSHIFT : s->altgr ? KEY_RIGHTALT : 0;
            if (mod) ev.emplace_back(mod, 1);
            press(ev, s->code);
            if (mod) ev.emplace_back(mod, 0);
            continue;
        }
        const std::string gb = to_gb18030(c);
        for (std::size_t i = 0; i + 1 < gb.size(); i += 2) {
            alt_code(ev, (static_cast<unsigned char>(gb[i]) << 8) |
                             static_cast<unsigned char>(gb[i + 1]));
        }
        if (gb.size() == 1) alt_code(ev, static_cast<unsigned char>(gb[0]));
    }
    if (terminator == Terminator::Enter || terminator == Terminator::EnterOrTab)
        press(ev, KEY_ENTER);
    if (terminator == Terminator::Tab) press(ev, KEY_TAB);
    return ev;
}

}  // namespace kiosk::scanner
