// ESC/POS status codec: real-time status (DLE EOT n) and automatic status back (GS a / ASB).
//
// Implements: the DLE EOT 1..4 requests, decoding (and, for the simulator, encoding) of their
// one-byte replies, the four-byte ASB message, and a frame accumulator that splits the bytes a
// printer sends back into real-time replies and ASB messages, resyncing on anything else.
// Does not implement: DLE EOT 7/8 (ink, NV), GS r transmit status, GS I printer IDs.
// Reference: ../shared/reference/escpos.md (every reply matches 0xx1xx10; ASB header 0xx1xx00,
// then three bytes matching 0xx0xxxx).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace kiosk::escpos {

enum class PaperLevel : std::uint8_t { Ok, NearEnd, Out };

struct PrinterStatus {
    PaperLevel paper = PaperLevel::Ok;
    bool offline = false;
    bool cover_open = false;
    bool feed_button = false;
    bool cutter_error = false;
    bool unrecoverable = false;
    bool auto_recoverable = false;  // e.g. head too hot: clears by itself

    // Can a job start now? Near end still prints.
    bool ready() const {
        return !offline && !cover_open && paper != PaperLevel::Out && !cutter_error &&
               !unrecoverable;
    }
    bool operator==(const PrinterStatus&) const = default;
};

const char* to_string(PaperLevel p);
// A short English description for logs and the service menu ("paper out, cover open").
std::string describe(const PrinterStatus& s);

enum class StatusError : std::uint8_t { None, BadRequest, BadFraming };

// DLE EOT n, n = 1..4.
std::array<std::uint8_t, 3> realtime_request(int n);
// Merges the reply to DLE EOT n into `into` (only the fields that n reports).
StatusError apply_realtime_reply(int n, std::uint8_t reply, PrinterStatus& into);
// What a printer in state `s` answers to DLE EOT n (the simulator's side).
std::uint8_t encode_realtime_reply(int n, const PrinterStatus& s);
constexpr bool is_realtime_reply(std::uint8_t b) {
    return (b & 0x93) == 0x12;
}

using AsbFrame = std::array<std::uint8_t, 4>;
StatusError decode_asb(const AsbFrame& frame, PrinterStatus& out);
AsbFrame encode_asb(const PrinterStatus& s);

// Splits printer → host bytes into status messages.
struct StatusMessage {
    enum class Kind : std::uint8_t { Realtime, Asb, Garbage } kind = Kind::Garbage;
    std::uint8_t realtime = 0;  // Realtime: the reply byte
    AsbFrame asb{};             // Asb: the four bytes
};

class StatusStream {
  public:
    // Appends the messages completed by `bytes` to `out`. Garbage bytes are reported one
    // message per run, so a caller can count them without storing them.
    void feed(std::span<const std::uint8_t> bytes, std::vector<StatusMessage>& out);
    void reset() { pending_ = 0; }

  private:
    AsbFrame asb_{};
    int pending_ = 0;  // bytes of an ASB frame collected so far
};

}  // namespace kiosk::escpos
