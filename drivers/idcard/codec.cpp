// ID-card SAM wire protocol codec (see codec.hpp; reference: shared/reference/idcard-sam.md).
#include "idcard/codec.hpp"

#include <algorithm>
#include <cstdio>
#include <string.h>  // explicit_bzero

namespace kiosk::idcard {

// [SECTION] Requests

const char* to_string(Command c) {
    switch (c) {
        case Command::ResetSam:
            return "reset SAM";
        case Command::SamStatus:
            return "SAM status";
        case Command::SamId:
            return "SAM id";
        case Command::FindCard:
            return "find card";
        case Command::SelectCard:
            return "select card";
        case Command::ReadTextPhoto:
            return "read text+photo";
        case Command::ReadAddress:
            return "read appended address";
        case Command::ReadWithFingerprint:
            return "read text+photo+fingerprint";
        case Command::SetBaud:
            return "set baud";
    }
    return "unknown";
}

std::uint8_t checksum(std::span<const std::uint8_t> bytes) {
    std::uint8_t x = 0;
    for (auto b : bytes) x ^= b;
    return x;
}

namespace {

std::vector<std::uint8_t> frame_body(std::span<const std::uint8_t> head,
                                     std::span<const std::uint8_t> data) {
    const std::size_t len = head.size() + data.size() + 1;
    std::vector<std::uint8_t> f(kPreamble.begin(), kPreamble.end());
    f.reserve(kFrameOverhead + len);
    f.push_back(static_cast<std::uint8_t>(len >> 8));
    f.push_back(static_cast<std::uint8_t>(len & 0xFF));
    f.insert(f.end(), head.begin(), head.end());
    f.insert(f.end(), data.begin(), data.end());
    f.push_back(checksum(std::span(f).subspan(kPreamble.size())));
    return f;
}

std::uint16_t be16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}

}  // namespace

std::vector<std::uint8_t> encode_request(std::uint8_t cmd, std::uint8_t para,
                                         std::span<const std::uint8_t> data) {
    const std::uint8_t head[] = {cmd, para};
    return frame_body(head, data);
}

std::vector<std::uint8_t> encode_request(Command c) {
    auto v = static_cast<std::uint16_t>(c);
    return encode_request(static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v & 0xFF));
}

std::optional<std::vector<std::uint8_t>> encode_set_baud(int baud) {
    static constexpr int rates[] = {115200, 57600, 38400, 19200, 9600};
    for (std::uint8_t n = 0; n < 5; ++n)
        if (rates[n] == baud) return encode_request(0x60, n);
    return std::nullopt;
}

std::vector<std::uint8_t> encode_response(std::uint8_t sw3, std::span<const std::uint8_t> data,
                                          std::uint8_t sw1, std::uint8_t sw2) {
    const std::uint8_t head[] = {sw1, sw2, sw3};
    return frame_body(head, data);
}

// [SECTION] SW3

Status status_from_sw3(std::uint8_t sw3) {
    switch (sw3) {
        case 0x90:
            return Status::Success;
        case 0x9F:
            return Status::FindOk;
        case 0x91:
            return Status::NoContent;
        case 0x10:
            return Status::ChecksumError;
        case 0x11:
            return Status::LengthError;
        case 0x21:
            return Status::CommandError;
        case 0x23:
            return Status::NotPermitted;
        case 0x24:
            return Status::UnrecognisedError;
        case 0x31:
            return Status::CardToSamAuthFailed;
        case 0x32:
            return Status::SamToCardAuthFailed;
        case 0x33:
            return Status::VerificationError;
        case 0x40:
            return Status::UnknownCardType;
        case 0x41:
            return Status::CardReadFailed;
        case 0x47:
            return Status::GetRandomFailed;
        case 0x60:
            return Status::SamSelfTestFailed;
        case 0x66:
            return Status::SamNotAuthorised;
        case 0x80:
            return Status::NoCard;
        case 0x81:
            return Status::SelectFailed;
        default:
            return Status::Unknown;
    }
}

const char* to_string(Status s) {
    switch (s) {
        case Status::Success:
            return "success";
        case Status::FindOk:
            return "find card succeeded";
        case Status::NoContent:
            return "field has no content";
        case Status::ChecksumError:
            return "module received a bad checksum";
        case Status::LengthError:
            return "length error";
        case Status::CommandError:
            return "command or parameter error";
        case Status::NotPermitted:
            return "operation not permitted";
        case Status::UnrecognisedError:
            return "unrecognised error";
        case Status::CardToSamAuthFailed:
            return "card to SAM authentication failed";
        case Status::SamToCardAuthFailed:
            return "SAM to card authentication failed";
        case Status::VerificationError:
            return "verification error";
        case Status::UnknownCardType:
            return "unrecognised card type";
        case Status::CardReadFailed:
            return "card read failed";
        case Status::GetRandomFailed:
            return "get random failed";
        case Status::SamSelfTestFailed:
            return "SAM self-test failed";
        case Status::SamNotAuthorised:
            return "SAM not authorised";
        case Status::NoCard:
            return "no card";
        case Status::SelectFailed:
            return "select card failed";
        case Status::Unknown:
            return "unknown status";
    }
    return "unknown status";
}

bool is_success(Status s) {
    return s == Status::Success || s == Status::FindOk;
}

bool is_sam_fault(Status s) {
    return s == Status::SamSelfTestFailed || s == Status::SamNotAuthorised;
}

// [SECTION] Frames

const char* to_string(FrameError e) {
    switch (e) {
        case FrameError::None:
            return "none";
        case FrameError::TooShort:
            return "too short";
        case FrameError::BadPreamble:
            return "bad preamble";
        case FrameError::BadLength:
            return "bad length";
        case FrameError::BadChecksum:
            return "bad checksum";
        case FrameError::NotAResponse:
            return "not a response";
    }
    return "unknown";
}

namespace {

// Checks preamble, length and checksum; on success `body` is CMD/SW.. through the last data byte.
FrameError check_frame(std::span<const std::uint8_t> f, std::span<const std::uint8_t>& body) {
    if (f.size() < kFrameOverhead + 1) return FrameError::TooShort;
    if (!std::equal(kPreamble.begin(), kPreamble.end(), f.begin())) return FrameError::BadPreamble;
    const std::size_t len = be16(f.data() + 5);
    if (len + kFrameOverhead != f.size() || len < 3) return FrameError::BadLength;
    if (checksum(f.subspan(5, f.size() - 6)) != f.back()) return FrameError::BadChecksum;
    body = f.subspan(7, len - 1);
    return FrameError::None;
}

}  // namespace

FrameError parse_response(std::span<const std::uint8_t> frame, Response& out) {
    std::span<const std::uint8_t> body;
    if (auto e = check_frame(frame, body); e != FrameError::None) return e;
    if (body.size() < 3) return FrameError::NotAResponse;
    out.sw1 = body[0];
    out.sw2 = body[1];
    out.sw3 = body[2];
    out.status = status_from_sw3(body[2]);
    out.data.assign(body.begin() + 3, body.end());
    return FrameError::None;
}

FrameError parse_request(std::span<const std::uint8_t> frame, Request& out) {
    std::span<const std::uint8_t> body;
    if (auto e = check_frame(frame, body); e != FrameError::None) return e;
    out.cmd = body[0];
    out.para = body[1];
    out.data.assign(body.begin() + 2, body.end());
    return FrameError::None;
}

FrameAccumulator::FrameAccumulator(std::size_t max_frame)
    : max_frame_(std::max<std::size_t>(max_frame, 16)) {
    buf_.reserve(max_frame_ * 2);
}

void FrameAccumulator::feed(std::span<const std::uint8_t> bytes) {
    buf_.insert(buf_.end(), bytes.begin(), bytes.end());
    // Never hold more than two frames' worth: beyond that it is garbage we have not scanned yet.
    if (buf_.size() > max_frame_ * 4) drop(buf_.size() - max_frame_ * 2);
}

void FrameAccumulator::drop(std::size_t n) {
    n = std::min(n, buf_.size());
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(n));
    discarded_ += n;
}

void FrameAccumulator::reset() {
    buf_.resize(buf_.capacity());
    if (!buf_.empty()) ::explicit_bzero(buf_.data(), buf_.size());
    buf_.clear();
}

std::size_t FrameAccumulator::expected_size() const {
    if (buf_.size() < 7 || !std::equal(kPreamble.begin(), kPreamble.end(), buf_.begin())) return 0;
    return be16(buf_.data() + 5) + kFrameOverhead;
}

std::optional<FrameAccumulator::Item> FrameAccumulator::next() {
    for (;;) {
        // Skip to the first full preamble; keep a tail that may be the start of one.
        auto it = std::search(buf_.begin(), buf_.end(), kPreamble.begin(), kPreamble.end());
        if (it == buf_.end()) {
            std::size_t keep = std::min(buf_.size(), kPreamble.size() - 1);
            drop(buf_.size() - keep);
            // The kept tail must be a prefix of the preamble, else it is garbage too.
            while (!buf_.empty() && !std::equal(buf_.begin(), buf_.end(), kPreamble.begin()))
                drop(1);
            return std::nullopt;
        }
        drop(static_cast<std::size_t>(it - buf_.begin()));
        if (buf_.size() < 7) return std::nullopt;
        const std::size_t len = be16(buf_.data() + 5);
        if (len < 3 || len + kFrameOverhead > max_frame_) {
            drop(1);
            return Item{FrameError::BadLength, {}};
        }
        const std::size_t total = len + kFrameOverhead;
        if (buf_.size() < total) return std::nullopt;
        std::span<const std::uint8_t> f(buf_.data(), total);
        if (checksum(f.subspan(5, total - 6)) != f.back()) {
            drop(1);
            return Item{FrameError::BadChecksum, {}};
        }
        Item item{FrameError::None, std::vector<std::uint8_t>(f.begin(), f.end())};
        buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(total));
        return item;
    }
}

// [SECTION] Payloads

std::optional<std::string> format_sam_id(std::span<const std::uint8_t> d) {
    if (d.size() < 16) return std::nullopt;
    auto le16 = [&](std::size_t i) { return static_cast<unsigned>(d[i] | d[i + 1] << 8); };
    auto le32 = [&](std::size_t i) {
        return static_cast<unsigned long>(d[i]) | static_cast<unsigned long>(d[i + 1]) << 8 |
               static_cast<unsigned long>(d[i + 2]) << 16 |
               static_cast<unsigned long>(d[i + 3]) << 24;
    };
    char buf[64];
    std::snprintf(buf, sizeof buf, "%02u.%02u-%08lu-%010lu-%010lu", le16(0), le16(2), le32(4),
                  le32(8), le32(12));
    return std::string(buf);
}

std::vector<std::uint8_t> encode_sam_id_data(std::uint16_t a, std::uint16_t b, std::uint32_t c,
                                             std::uint32_t d, std::uint32_t e) {
    std::vector<std::uint8_t> out;
    auto put = [&](std::uint32_t v, int n) {
        for (int i = 0; i < n; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    };
    put(a, 2);
    put(b, 2);
    put(c, 4);
    put(d, 4);
    put(e, 4);
    return out;
}

const char* to_string(CardDataError e) {
    switch (e) {
        case CardDataError::None:
            return "none";
        case CardDataError::TooShort:
            return "too short";
        case CardDataError::LengthMismatch:
            return "length words do not match the data";
        case CardDataError::BadTextLength:
            return "text block is not 256 bytes";
    }
    return "unknown";
}

CardDataError parse_card_data(std::span<const std::uint8_t> data, bool with_fingerprint,
                              CardData& out) {
    const std::size_t words = with_fingerprint ? 3 : 2;
    if (data.size() < words * 2) return CardDataError::TooShort;
    const std::size_t text = be16(data.data());
    const std::size_t photo = be16(data.data() + 2);
    const std::size_t fp = with_fingerprint ? be16(data.data() + 4) : 0;
    if (words * 2 + text + photo + fp != data.size()) return CardDataError::LengthMismatch;
    if (text != kTextSize) return CardDataError::BadTextLength;
    auto p = data.begin() + static_cast<std::ptrdiff_t>(words * 2);
    out.text.assign(p, p + static_cast<std::ptrdiff_t>(text));
    p += static_cast<std::ptrdiff_t>(text);
    out.photo.assign(p, p + static_cast<std::ptrdiff_t>(photo));
    p += static_cast<std::ptrdiff_t>(photo);
    out.fingerprint.assign(p, p + static_cast<std::ptrdiff_t>(fp));
    return CardDataError::None;
}

std::vector<std::uint8_t> encode_card_data(
    std::span<const std::uint8_t> text, std::span<const std::uint8_t> photo,
    std::optional<std::span<const std::uint8_t>> fingerprint) {
    std::vector<std::uint8_t> out;
    auto word = [&](std::size_t v) {
        out.push_back(static_cast<std::uint8_t>(v >> 8));
        out.push_back(static_cast<std::uint8_t>(v & 0xFF));
    };
    word(text.size());
    word(photo.size());
    if (fingerprint) word(fingerprint->size());
    out.insert(out.end(), text.begin(), text.end());
    out.insert(out.end(), photo.begin(), photo.end());
    if (fingerprint) out.insert(out.end(), fingerprint->begin(), fingerprint->end());
    return out;
}

}  // namespace kiosk::idcard
