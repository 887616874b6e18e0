// Locker-board codec: bytes <-> typed requests and replies for every DialectProfile.
//
// Implements (../shared/reference/locker-boards.md and the public clients cited in
// docs/drivers/locker.md, "What the field does"):
//   dialect A "8A/80": unlock one / all, query one lock, query a board, ask the address; unlock
//     replies with an 8A, 80 or 81 header; the 81 family's unsolicited door report
//     (81 ADDR CH ss BCC); board-status replies of 1..8 status bytes (the count is taken from the
//     frame, never from configuration).
//   dialect B Kerong CU16: unlock one / all, state of a board (lock + infrared bytes), list the
//     boards on the bus (32, every board answers with a state frame), set / query the pulse time
//     (37 HI LO in 10 ms units; reply 38). Replies are read leniently but safely: a state frame
//     may carry 35 (reference), 30 (the request's byte) or 36 ("all data"); an unlock may be
//     answered by a state-shaped frame (31 or 35) or a bare 5-byte ack; ETX always sits right
//     before SUM, at the position the command's frame length gives; checksum and framing are
//     always checked. Reply::command says which variant was seen.
// Not implemented: Kerong 39 (delayed unlock), 40 (baud), the F5 OTA frames; the "9D" open-all of
//   another board family; any other vendor extension. Echo suppression on half-duplex adapters is
//   left to the adapter.
// Pure: no I/O, no clock, no logging. Bits are RAW (as on the wire); polarity is applied by the
// bank (bank.hpp), because it depends on how a bank is wired, not on the dialect.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "locker/profile.hpp"

namespace kiosk::locker {

enum class CodecError {
    None,
    Truncated,  // fewer bytes than the smallest frame
    TooLong,    // more bytes than the largest frame
    BadHeader,
    BadChecksum,
    BadFormat,   // a field has a value the dialect does not define
    BadAddress,  // board or channel out of the dialect's range
};
const char* to_string(CodecError e);

enum class RequestKind {
    Unlock,
    UnlockAll,
    QueryLock,
    QueryBoard,
    QueryAddress,
    ListBoards,      // Kerong 32 to the broadcast address
    SetPulseTime,    // Kerong 37 HI LO; value = milliseconds (0..60000, 10 ms steps)
    QueryPulseTime,  // Kerong 37 without data
};

// channel is 1-based in every dialect (dialect B puts channel-1 on the wire).
struct Request {
    RequestKind kind = RequestKind::QueryBoard;
    int board = 0;
    int channel = 0;
    int value = 0;  // SetPulseTime: milliseconds
    bool operator==(const Request&) const = default;
};

constexpr int kMaxPulseMs = 60000;  // 16-bit count of 10 ms would allow more; clients cap here

enum class ReplyKind {
    LockStatus,   // A: one lock (8A / 80 / 81 header)
    BoardStatus,  // A: 80 board status; B: a state frame (reply to 30, 32 or an unlock)
    Address,      // A: 99 reply
    PulseTime,    // B: 38 (or 37) HI LO
    Ack,          // B: 02 ADDR 31 03 SUM, an unlock acknowledged without a state
};

struct Reply {
    ReplyKind kind = ReplyKind::LockStatus;
    int board = 0;
    int channel = 0;                // LockStatus only, 1-based
    bool lock_bit = false;          // LockStatus: the raw "set" state (0x11)
    std::vector<bool> lock_bits{};  // BoardStatus: index 0 = channel 1, raw
    std::vector<bool> item_bits{};  // BoardStatus, dialect B: raw infrared bits (empty for A)
    std::uint8_t header = 0;        // dialect A: 0x80, 0x8A or 0x81 as received
    // Dialect B: the command byte as received (0x35 / 0x30 / 0x36 state, 0x31 unlock reply,
    // 0x38 / 0x37 pulse time); encode_reply uses it (0: the reference's byte). For B state
    // frames `channel` is the lock nibble of ADDR + 1 (1 in a reply to a board query).
    std::uint8_t command = 0;
    int value = 0;  // PulseTime: milliseconds
    bool operator==(const Reply&) const = default;
};

template <class T>
struct Parsed {
    std::optional<T> value;
    CodecError error = CodecError::None;
    bool ok() const { return value.has_value(); }
};

// Encoding never fails for in-range input; out-of-range boards/channels give an empty vector.
std::vector<std::uint8_t> encode_request(const DialectProfile& p, const Request& r);
// For the simulator: the board's side.
std::vector<std::uint8_t> encode_reply(const DialectProfile& p, const Reply& r);

// Parse exactly one complete frame (no leading or trailing bytes).
Parsed<Request> parse_request(const DialectProfile& p, std::span<const std::uint8_t> frame);
Parsed<Reply> parse_reply(const DialectProfile& p, std::span<const std::uint8_t> frame);

// Dialect B: which reply lengths a command byte allows (length 0: not a reply command).
struct ReplyShape {
    std::size_t length = 0;
    std::size_t alt_length = 0;  // 0: none (the unlock reply: 9 state-shaped, or a 5-byte ack)
};
ReplyShape kerong_reply_shape(const DialectProfile& p, std::uint8_t cmd);

std::uint8_t xor_bcc(std::span<const std::uint8_t> bytes);
std::uint8_t sum8(std::span<const std::uint8_t> bytes);

// What the reader of replies should take as soon as it is complete. Dialect A frames are not
// self-delimiting (a 5-byte lock reply and an 8-channel board status share a length, and a
// board status has 1..8 status bytes), so the driver says what it asked for; anything else is
// only decided when the line falls silent (the reference's 25 ms rule), shortest valid first.
struct Expect {
    enum Kind { Any, Lock, Board } kind = Any;
    int status_bytes = 0;  // Board: ceil(channels / 8)
};

// Frame accumulator for one direction of one dialect. Feed it bytes as they arrive; next()
// returns whole valid frames and drops garbage one byte at a time until a frame lines up.
class FrameReader {
  public:
    enum class Direction { Requests, Replies };
    FrameReader(const DialectProfile& p, Direction d) : p_(&p), dir_(d) {}

    void feed(std::span<const std::uint8_t> bytes);
    // burst_ended: the line has been silent for the profile's silence_gap since the last byte,
    // so a pending partial or ambiguous frame can be decided (or dropped as truncated).
    std::optional<std::vector<std::uint8_t>> next(Expect e = {}, bool burst_ended = false);
    void clear();

    std::size_t pending() const { return buf_.size(); }
    std::size_t discarded() const { return discarded_; }  // garbage bytes dropped so far

  private:
    bool is_start(std::uint8_t b) const;
    void drop(std::size_t n);
    std::optional<std::vector<std::uint8_t>> take(std::size_t n);
    std::optional<std::vector<std::uint8_t>> next_a(Expect e, bool burst_ended, bool& again);
    std::optional<std::vector<std::uint8_t>> next_b(bool burst_ended, bool& again);

    const DialectProfile* p_;
    Direction dir_;
    std::vector<std::uint8_t> buf_;
    std::size_t discarded_ = 0;
};

// "01 02 ff" style dump for fixtures, logs and the simulator's trace (device bytes, no PII).
std::string hex(std::span<const std::uint8_t> bytes);

}  // namespace kiosk::locker
