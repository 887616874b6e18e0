// Keymap decoder: Linux evdev key events from a HID keyboard-wedge scanner → the scanned bytes.
//
// Implements: key code + shift/AltGr/Caps Lock → characters for the US, UK, German (QWERTZ) and
// French (AZERTY) layouts, numeric keypad, "Alt + keypad digits" codes (Chinese scanners send
// GBK/GB18030 characters this way: Alt+50403 → bytes C4 E3), a configurable terminator (Enter,
// Tab, either, or none) and an inter-key timeout (a gap ends the scan when there is no terminator,
// and discards a partial scan when there is one).
// Does not: dead keys, IME, layouts beyond the four above, Ctrl combinations (ignored).
// Reference: linux/input-event-codes.h (key codes), Windows "Alt code" convention for keypad input.
// Pure code: time is passed in by the caller, so timing is tested with simulated time.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string_view>
#include <vector>

namespace kiosk::scanner {

enum class KeyLayout : std::uint8_t { Us, Uk, De, Fr };
enum class Terminator : std::uint8_t { Enter, Tab, EnterOrTab, None };

// "us", "uk", "de", "fr" / "enter", "tab", "any", "none"; false if unknown.
bool parse_layout(std::string_view s, KeyLayout& out);
bool parse_terminator(std::string_view s, Terminator& out);

struct KeymapOptions {
    KeyLayout layout = KeyLayout::Us;
    Terminator terminator = Terminator::Enter;
    // Scanners type a whole code in a burst (typically 1–10 ms per key); a longer gap means the
    // burst ended (no terminator) or was broken (terminator expected).
    std::chrono::milliseconds inter_key_timeout{60};
    std::size_t max_bytes = 4096;  // longer scans are cut here and then rejected by validation
};

class KeymapDecoder {
  public:
    using Bytes = std::vector<std::uint8_t>;
    explicit KeymapDecoder(KeymapOptions options = {});

    // One evdev EV_KEY event: value 1 press, 0 release, 2 autorepeat (ignored). `t` is the event
    // time on any monotonic clock.
    void feed(std::uint16_t code, std::int32_t value, std::chrono::milliseconds t);
    // Advances time with no key: completes or discards a pending scan whose gap has passed.
    void poll(std::chrono::milliseconds now);
    // When poll() should next be called, if a scan is pending.
    std::optional<std::chrono::milliseconds> deadline() const;
    // The next completed scan (bytes as typed; may be GB18030 from Alt codes).
    std::optional<Bytes> take();
    // Partial scans thrown away (timeout before the terminator).
    std::size_t discarded() const { return discarded_; }
    void reset();

  private:
    void end_of_burst();
    void complete();
    void append_char(char32_t c);

    KeymapOptions opt_;
    Bytes buf_;
    std::deque<Bytes> done_;
    std::optional<std::chrono::milliseconds> last_;
    bool lshift_ = false, rshift_ = false, altgr_ = false, lalt_ = false, ctrl_ = false;
    bool caps_ = false;
    std::uint32_t alt_code_ = 0;
    bool alt_digits_ = false;
    std::size_t discarded_ = 0;
};

// The reverse mapping, for simulators: one key stroke per character of `text` in `layout`.
struct KeyStroke {
    std::uint16_t code = 0;
    bool shift = false;
    bool altgr = false;
};
// Characters the layout cannot type make it return false (they are skipped).
bool text_to_keys(std::string_view utf8, KeyLayout layout, std::vector<KeyStroke>& out);

// A full evdev key event sequence (press/release, with modifiers) for `utf8` + terminator, as the
// evdev simulator writes it: pairs of (code, value). Characters the layout cannot type are sent
// as Alt + keypad decimal codes of their GB18030 bytes (as Chinese scanners do).
std::vector<std::pair<std::uint16_t, std::int32_t>> key_events_for(std::string_view utf8,
                                                                   KeyLayout layout,
                                                                   Terminator terminator);

}  // namespace kiosk::scanner
