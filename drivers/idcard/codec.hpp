// ID-card SAM module wire protocol: frames, commands, SW3 status codes, SAM id, card data.
//
// Implements (after ../shared/reference/idcard-sam.md, itself gathered from public protocol notes
// and open-source readers; GA 467-2013 was not available to check): the AA AA AA 96 69 frame with
// its big-endian length and XOR checksum, every request of the reference, response parsing with
// every SW3 code typed, a frame accumulator that resynchronises on the preamble after garbage,
// the SAM id format, and the read-card payload split (text / photo / fingerprint).
// Does not implement: the HID vendor envelope of 10C4:0007 / 203B:0101 readers (unknown; it
// would wrap these frames), the meaning of the select-card data (uncertain in the reference).
// Pure: no I/O, no clock, no logging, no threads.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kiosk::idcard {

inline constexpr std::array<std::uint8_t, 5> kPreamble = {0xAA, 0xAA, 0xAA, 0x96, 0x69};
// preamble + length field + checksum: a frame is length + 7 bytes.
inline constexpr std::size_t kFrameOverhead = 7;
inline constexpr std::size_t kMaxFrame = 4096;  // the largest known reply is 2321 bytes
inline constexpr std::size_t kTextSize = 256;

// [SECTION] Requests

enum class Command : std::uint16_t {  // CMD << 8 | PARA
    ResetSam = 0x10FF,
    SamStatus = 0x11FF,
    SamId = 0x12FF,
    FindCard = 0x2001,
    SelectCard = 0x2002,
    ReadTextPhoto = 0x3001,
    ReadAddress = 0x3003,
    ReadWithFingerprint = 0x3010,
    SetBaud = 0x6000,  // PARA 0..4 = 115200, 57600, 38400, 19200, 9600
};

const char* to_string(Command c);

// XOR of every byte from the length field through the last data byte.
std::uint8_t checksum(std::span<const std::uint8_t> length_through_data);

std::vector<std::uint8_t> encode_request(std::uint8_t cmd, std::uint8_t para,
                                         std::span<const std::uint8_t> data = {});
std::vector<std::uint8_t> encode_request(Command c);
// "60 0n": switch the module's baud rate; nullopt for a rate it does not offer.
std::optional<std::vector<std::uint8_t>> encode_set_baud(int baud);
// What the module answers (used by the simulator and the tests).
std::vector<std::uint8_t> encode_response(std::uint8_t sw3, std::span<const std::uint8_t> data = {},
                                          std::uint8_t sw1 = 0, std::uint8_t sw2 = 0);

// [SECTION] SW3

enum class Status {
    Success,              // 90
    FindOk,               // 9F
    NoContent,            // 91 (e.g. no appended address)
    ChecksumError,        // 10: the module received a frame with a bad checksum
    LengthError,          // 11
    CommandError,         // 21: command or parameter error
    NotPermitted,         // 23
    UnrecognisedError,    // 24
    CardToSamAuthFailed,  // 31
    SamToCardAuthFailed,  // 32
    VerificationError,    // 33
    UnknownCardType,      // 40
    CardReadFailed,       // 41
    GetRandomFailed,      // 47
    SamSelfTestFailed,    // 60
    SamNotAuthorised,     // 66
    NoCard,               // 80: find card failed
    SelectFailed,         // 81
    Unknown,              // any other SW3, kept as a typed "unknown" rather than trusted
};

Status status_from_sw3(std::uint8_t sw3);
const char* to_string(Status s);
bool is_success(Status s);  // Success, FindOk (NoContent is a successful "nothing there")
// The module itself is at fault (SAM self-test / authorisation): a hardware error, not the card.
bool is_sam_fault(Status s);

// [SECTION] Frames

struct Response {
    std::uint8_t sw1 = 0, sw2 = 0, sw3 = 0;
    Status status = Status::Unknown;
    std::vector<std::uint8_t> data;
};

enum class FrameError { None, TooShort, BadPreamble, BadLength, BadChecksum, NotAResponse };
const char* to_string(FrameError e);

// Parses one complete response frame (preamble through checksum, nothing after).
FrameError parse_response(std::span<const std::uint8_t> frame, Response& out);
// Parses one complete request frame into CMD, PARA and data (for the simulator).
struct Request {
    std::uint8_t cmd = 0, para = 0;
    std::vector<std::uint8_t> data;
    std::uint16_t code() const { return static_cast<std::uint16_t>(cmd << 8 | para); }
};
FrameError parse_request(std::span<const std::uint8_t> frame, Request& out);

// Accumulates bytes that arrive in fragments and yields whole frames. Garbage before a preamble
// is skipped; a frame whose length is impossible or whose checksum fails is reported once and
// then skipped by one byte, so a false preamble inside noise cannot swallow a real frame.
class FrameAccumulator {
  public:
    struct Item {
        FrameError error = FrameError::None;  // None, BadLength or BadChecksum
        std::vector<std::uint8_t> frame;      // the whole frame when error == None
    };

    explicit FrameAccumulator(std::size_t max_frame = kMaxFrame);
    void feed(std::span<const std::uint8_t> bytes);
    // The next complete frame or error; nullopt when more bytes are needed.
    std::optional<Item> next();
    // Drops buffered bytes, overwriting them first (they may be card data).
    void reset();
    std::size_t buffered() const { return buf_.size(); }
    std::size_t discarded() const { return discarded_; }
    // Whole frame size once the header is in, or 0 (lets a driver size its read timeout).
    std::size_t expected_size() const;

  private:
    void drop(std::size_t n);
    std::vector<std::uint8_t> buf_;
    std::size_t max_frame_;
    std::size_t discarded_ = 0;
};

// [SECTION] Payloads

// SAM id (reply to 12 FF): 16 data bytes, LE u16 u16 u32 u32 u32 → "%02d.%02d-%08d-%010d-%010d".
std::optional<std::string> format_sam_id(std::span<const std::uint8_t> data);
std::vector<std::uint8_t> encode_sam_id_data(std::uint16_t a, std::uint16_t b, std::uint32_t c,
                                             std::uint32_t d, std::uint32_t e);

// The read-card reply data: length words then text, photo and (30 10 only) fingerprint.
struct CardData {
    std::vector<std::uint8_t> text;         // 256 bytes of UCS-2 LE
    std::vector<std::uint8_t> photo;        // opaque WLT, 1024 bytes
    std::vector<std::uint8_t> fingerprint;  // 0, 512 or 1024 bytes
};
enum class CardDataError { None, TooShort, LengthMismatch, BadTextLength };
const char* to_string(CardDataError e);
CardDataError parse_card_data(std::span<const std::uint8_t> data, bool with_fingerprint,
                              CardData& out);
std::vector<std::uint8_t> encode_card_data(
    std::span<const std::uint8_t> text, std::span<const std::uint8_t> photo,
    std::optional<std::span<const std::uint8_t>> fingerprint);

}  // namespace kiosk::idcard
