// Locker-board codec (see codec.hpp for what is and is not implemented).
// Reference: ../shared/reference/locker-boards.md, dialect A ("8A/80") and dialect B (Kerong CU16).
#include "locker/codec.hpp"

#include <algorithm>

namespace kiosk::locker {
namespace {

using Bytes = std::vector<std::uint8_t>;
using Span = std::span<const std::uint8_t>;

constexpr std::size_t kAFrame = 5;
constexpr int kAMaxStatusBytes = 8;  // 64 channels: more than any known board, bounded for safety
constexpr std::size_t kAMaxReply = 4 + kAMaxStatusBytes;
constexpr std::size_t kBRequest = 5;      // also the bare unlock ack
constexpr std::size_t kBRequestData = 7;  // 37 HI LO: set the pulse time
constexpr std::size_t kBPulseReply = 7;   // 38 HI LO
constexpr std::size_t kBStateReply = 9;

bool board_ok(const DialectProfile& p, int board) {
    return board >= p.min_board && board <= p.max_board;
}
bool channel_ok(const DialectProfile& p, int ch) {
    return ch >= 1 && ch <= p.max_channels;
}

Bytes with_bcc(Bytes b) {
    b.push_back(xor_bcc(b));
    return b;
}
Bytes with_sum(Bytes b) {
    b.push_back(sum8(b));
    return b;
}

// ---- dialect A ------------------------------------------------------------------------------

Bytes encode_request_a(const DialectProfile& p, const Request& r) {
    const auto board = static_cast<std::uint8_t>(r.board);
    const auto ch = static_cast<std::uint8_t>(r.channel);
    switch (r.kind) {
        case RequestKind::Unlock:
            if (!board_ok(p, r.board) || !channel_ok(p, r.channel)) return {};
            return with_bcc({p.hdr_unlock, board, ch, p.op_unlock});
        case RequestKind::UnlockAll:
            if (!board_ok(p, r.board)) return {};
            return with_bcc({p.hdr_unlock, board, 0x00, p.op_unlock});
        case RequestKind::QueryLock:
            if (!board_ok(p, r.board) || !channel_ok(p, r.channel)) return {};
            return with_bcc({p.hdr_query, board, ch, p.op_query});
        case RequestKind::QueryBoard:
            if (!board_ok(p, r.board)) return {};
            return with_bcc({p.hdr_query, board, 0x00, p.op_query});
        case RequestKind::QueryAddress:
            // Only meaningful with a single board on the bus; the board field is fixed at 01.
            return with_bcc({p.hdr_query, 0x01, 0x00, p.op_address});
        case RequestKind::ListBoards:  // dialect B only
        case RequestKind::SetPulseTime:
        case RequestKind::QueryPulseTime:
            return {};
    }
    return {};
}

Bytes encode_reply_a(const DialectProfile& p, const Reply& r) {
    if (!board_ok(p, r.board)) return {};
    const auto board = static_cast<std::uint8_t>(r.board);
    switch (r.kind) {
        case ReplyKind::LockStatus: {
            if (!channel_ok(p, r.channel)) return {};
            std::uint8_t hdr = p.hdr_query;
            if (r.header == p.hdr_unlock || (p.hdr_report != 0 && r.header == p.hdr_report))
                hdr = r.header;
            return with_bcc({hdr, board, static_cast<std::uint8_t>(r.channel),
                             r.lock_bit ? p.st_set : p.st_clear});
        }
        case ReplyKind::BoardStatus: {
            const int n =
                std::clamp(static_cast<int>((r.lock_bits.size() + 7) / 8), 1, kAMaxStatusBytes);
            Bytes b{p.hdr_query, board};
            for (int s = n; s >= 1; --s) {  // Sn first, S1 last
                std::uint8_t v = 0;
                for (int bit = 0; bit < 8; ++bit) {
                    const std::size_t i = static_cast<std::size_t>((s - 1) * 8 + bit);
                    if (i < r.lock_bits.size() && r.lock_bits[i])
                        v = static_cast<std::uint8_t>(v | (1u << bit));
                }
                b.push_back(v);
            }
            b.push_back(p.op_query);
            return with_bcc(std::move(b));
        }
        case ReplyKind::Address:
            return with_bcc({p.hdr_query, 0x01, board, p.op_address});
        case ReplyKind::PulseTime:
        case ReplyKind::Ack:
            return {};  // dialect B only
    }
    return {};
}

Parsed<Request> parse_request_a(const DialectProfile& p, Span f) {
    if (f.size() < kAFrame) return {{}, CodecError::Truncated};
    if (f.size() > kAFrame) return {{}, CodecError::TooLong};
    if (f[0] != p.hdr_unlock && f[0] != p.hdr_query) return {{}, CodecError::BadHeader};
    if (xor_bcc(f.first(4)) != f[4]) return {{}, CodecError::BadChecksum};
    Request r;
    r.board = f[1];
    r.channel = f[2];
    if (f[0] == p.hdr_unlock && f[3] == p.op_unlock) {
        r.kind = r.channel == 0 ? RequestKind::UnlockAll : RequestKind::Unlock;
    } else if (f[0] == p.hdr_query && f[3] == p.op_query) {
        r.kind = r.channel == 0 ? RequestKind::QueryBoard : RequestKind::QueryLock;
    } else if (f[0] == p.hdr_query && f[3] == p.op_address && f[2] == 0) {
        r.kind = RequestKind::QueryAddress;
        return {r, CodecError::None};
    } else {
        return {{}, CodecError::BadFormat};
    }
    if (!board_ok(p, r.board)) return {{}, CodecError::BadAddress};
    if (r.channel != 0 && !channel_ok(p, r.channel)) return {{}, CodecError::BadAddress};
    return {r, CodecError::None};
}

bool is_report_hdr(const DialectProfile& p, std::uint8_t b) {
    return p.hdr_report != 0 && b == p.hdr_report;
}

Parsed<Reply> parse_reply_a(const DialectProfile& p, Span f) {
    if (f.size() < kAFrame) return {{}, CodecError::Truncated};
    if (f.size() > kAMaxReply) return {{}, CodecError::TooLong};
    if (f[0] != p.hdr_unlock && f[0] != p.hdr_query && !is_report_hdr(p, f[0]))
        return {{}, CodecError::BadHeader};
    if (xor_bcc(f.first(f.size() - 1)) != f.back()) return {{}, CodecError::BadChecksum};
    Reply r;
    r.header = f[0];
    r.board = f[1];
    const std::size_t L = f.size();
    // The 81 family only ever sends 5-byte lock frames (unlock reply or door report).
    if (is_report_hdr(p, f[0]) && L != kAFrame) return {{}, CodecError::BadFormat};
    if (L == kAFrame && (f[3] == p.st_set || f[3] == p.st_clear)) {
        r.kind = ReplyKind::LockStatus;
        r.channel = f[2];
        r.lock_bit = f[3] == p.st_set;
        if (!board_ok(p, r.board) || !channel_ok(p, r.channel)) return {{}, CodecError::BadAddress};
        return {r, CodecError::None};
    }
    if (L == kAFrame && f[0] == p.hdr_query && f[3] == p.op_address) {
        r.kind = ReplyKind::Address;
        r.board = f[2];
        if (!board_ok(p, r.board)) return {{}, CodecError::BadAddress};
        return {r, CodecError::None};
    }
    if (f[0] == p.hdr_query && f[L - 2] == p.op_query) {
        r.kind = ReplyKind::BoardStatus;
        if (!board_ok(p, r.board)) return {{}, CodecError::BadAddress};
        const std::size_t n = L - 4;
        r.lock_bits.resize(n * 8);
        for (std::size_t i = 0; i < n * 8; ++i) {
            const std::uint8_t s = f[L - 3 - i / 8];  // S1 sits just before the end marker
            r.lock_bits[i] = (s >> (i % 8)) & 1u;
        }
        return {r, CodecError::None};
    }
    return {{}, CodecError::BadFormat};
}

// ---- dialect B ------------------------------------------------------------------------------

std::uint8_t pack8(const std::vector<bool>& bits, std::size_t first) {
    std::uint8_t v = 0;
    for (std::size_t bit = 0; bit < 8; ++bit)
        if (first + bit < bits.size() && bits[first + bit])
            v = static_cast<std::uint8_t>(v | (1u << bit));
    return v;
}

Bytes encode_request_b(const DialectProfile& p, const Request& r) {
    if (r.kind == RequestKind::ListBoards)  // to every board: each answers with its state
        return with_sum({p.stx, p.list_address, p.cmd_list, p.etx});
    if (!board_ok(p, r.board)) return {};
    const auto hi = static_cast<std::uint8_t>(r.board << 4);
    switch (r.kind) {
        case RequestKind::Unlock:
            if (!channel_ok(p, r.channel)) return {};
            return with_sum(
                {p.stx, static_cast<std::uint8_t>(hi | (r.channel - 1)), p.cmd_unlock, p.etx});
        case RequestKind::UnlockAll:
            return with_sum({p.stx, hi, p.cmd_unlock_all, p.etx});
        case RequestKind::QueryBoard:
            return with_sum({p.stx, hi, p.cmd_state, p.etx});
        case RequestKind::QueryPulseTime:
            return with_sum({p.stx, hi, p.cmd_pulse, p.etx});
        case RequestKind::SetPulseTime: {
            if (r.value < 0 || r.value > kMaxPulseMs) return {};
            const int units = r.value / 10;  // the wire counts 10 ms steps
            return with_sum({p.stx, hi, p.cmd_pulse, static_cast<std::uint8_t>(units >> 8),
                             static_cast<std::uint8_t>(units & 0xFF), p.etx});
        }
        case RequestKind::QueryLock:     // not a CU16 command: the driver asks for the board
        case RequestKind::QueryAddress:  // not documented for CU16 (32 lists the boards)
        case RequestKind::ListBoards:
            return {};
    }
    return {};
}

Bytes encode_reply_b(const DialectProfile& p, const Reply& r) {
    if (!board_ok(p, r.board)) return {};
    const int nibble = r.channel >= 1 && r.channel <= 16 ? r.channel - 1 : 0;
    const auto addr = static_cast<std::uint8_t>((r.board << 4) | nibble);
    switch (r.kind) {
        case ReplyKind::BoardStatus:
            return with_sum({p.stx, addr, r.command ? r.command : p.cmd_state_reply,
                             pack8(r.lock_bits, 0), pack8(r.lock_bits, 8), pack8(r.item_bits, 0),
                             pack8(r.item_bits, 8), p.etx});
        case ReplyKind::Ack:
            return with_sum({p.stx, addr, p.cmd_unlock, p.etx});
        case ReplyKind::PulseTime: {
            if (r.value < 0 || r.value > kMaxPulseMs) return {};
            const int units = r.value / 10;
            return with_sum({p.stx, static_cast<std::uint8_t>(r.board << 4),
                             r.command ? r.command : p.cmd_pulse_reply,
                             static_cast<std::uint8_t>(units >> 8),
                             static_cast<std::uint8_t>(units & 0xFF), p.etx});
        }
        case ReplyKind::LockStatus:
        case ReplyKind::Address:
            return {};
    }
    return {};
}

Parsed<Request> parse_request_b(const DialectProfile& p, Span f) {
    if (f.size() < kBRequest) return {{}, CodecError::Truncated};
    if (f.size() > kBRequestData) return {{}, CodecError::TooLong};
    if (f[0] != p.stx || f[f.size() - 2] != p.etx) return {{}, CodecError::BadHeader};
    if (sum8(f.first(f.size() - 1)) != f.back()) return {{}, CodecError::BadChecksum};
    Request r;
    r.board = f[1] >> 4;
    if (f.size() == kBRequestData) {  // the only request with data: set the pulse time
        if (f[2] != p.cmd_pulse) return {{}, CodecError::BadFormat};
        r.kind = RequestKind::SetPulseTime;
        r.value = ((f[3] << 8) | f[4]) * 10;
        if (r.value > kMaxPulseMs) return {{}, CodecError::BadFormat};
        return {r, CodecError::None};
    }
    if (f.size() != kBRequest) return {{}, CodecError::BadFormat};
    if (f[2] == p.cmd_unlock) {
        r.kind = RequestKind::Unlock;
        r.channel = (f[1] & 0x0F) + 1;
    } else if (f[2] == p.cmd_unlock_all) {
        r.kind = RequestKind::UnlockAll;
    } else if (f[2] == p.cmd_state) {
        r.kind = RequestKind::QueryBoard;
    } else if (f[2] == p.cmd_list) {
        r.kind = RequestKind::ListBoards;
        r.board = 0;
    } else if (f[2] == p.cmd_pulse) {
        r.kind = RequestKind::QueryPulseTime;
    } else {
        return {{}, CodecError::BadFormat};
    }
    return {r, CodecError::None};
}

}  // namespace

// The reply lengths a Kerong command byte allows (0: not a reply byte). The unlock reply has two
// shapes: a state frame (9) or a bare ack (5).
ReplyShape kerong_reply_shape(const DialectProfile& p, std::uint8_t cmd) {
    if (cmd == p.cmd_state_reply || cmd == p.cmd_state || cmd == p.cmd_all_reply)
        return {kBStateReply, 0};
    if (cmd == p.cmd_unlock) return {kBStateReply, kBRequest};
    if (cmd == p.cmd_pulse_reply || cmd == p.cmd_pulse) return {kBPulseReply, 0};
    return {0, 0};
}

namespace {

Parsed<Reply> parse_reply_b(const DialectProfile& p, Span f) {
    if (f.size() < kBRequest) return {{}, CodecError::Truncated};
    if (f.size() > kBStateReply) return {{}, CodecError::TooLong};
    if (f[0] != p.stx) return {{}, CodecError::BadHeader};
    const ReplyShape shape = kerong_reply_shape(p, f[2]);
    if (shape.length == 0) return {{}, CodecError::BadFormat};
    if (f.size() != shape.length && f.size() != shape.alt_length)
        return {{}, f.size() < shape.length ? CodecError::Truncated : CodecError::TooLong};
    // ETX sits right before SUM wherever the frame's length puts it (every client checks that).
    if (f[f.size() - 2] != p.etx) return {{}, CodecError::BadHeader};
    if (sum8(f.first(f.size() - 1)) != f.back()) return {{}, CodecError::BadChecksum};
    Reply r;
    r.board = f[1] >> 4;
    r.channel = (f[1] & 0x0F) + 1;
    r.header = f[0];
    r.command = f[2];
    if (f.size() == kBRequest) {
        r.kind = ReplyKind::Ack;
        return {r, CodecError::None};
    }
    if (f.size() == kBPulseReply) {
        r.kind = ReplyKind::PulseTime;
        r.value = ((f[3] << 8) | f[4]) * 10;
        if (r.value > kMaxPulseMs) return {{}, CodecError::BadFormat};
        return {r, CodecError::None};
    }
    r.kind = ReplyKind::BoardStatus;
    r.lock_bits.resize(16);
    r.item_bits.resize(16);
    for (std::size_t i = 0; i < 16; ++i) {
        r.lock_bits[i] = (f[3 + i / 8] >> (i % 8)) & 1u;
        r.item_bits[i] = (f[5 + i / 8] >> (i % 8)) & 1u;
    }
    return {r, CodecError::None};
}

}  // namespace

const char* to_string(CodecError e) {
    switch (e) {
        case CodecError::None:
            return "none";
        case CodecError::Truncated:
            return "truncated";
        case CodecError::TooLong:
            return "too long";
        case CodecError::BadHeader:
            return "bad header";
        case CodecError::BadChecksum:
            return "bad checksum";
        case CodecError::BadFormat:
            return "bad format";
        case CodecError::BadAddress:
            return "bad address";
    }
    return "?";
}

std::uint8_t xor_bcc(Span bytes) {
    std::uint8_t v = 0;
    for (auto b : bytes) v ^= b;
    return v;
}

std::uint8_t sum8(Span bytes) {
    unsigned v = 0;
    for (auto b : bytes) v += b;
    return static_cast<std::uint8_t>(v & 0xFFu);
}

std::vector<std::uint8_t> encode_request(const DialectProfile& p, const Request& r) {
    return p.framing == Framing::Xor8A80 ? encode_request_a(p, r) : encode_request_b(p, r);
}
std::vector<std::uint8_t> encode_reply(const DialectProfile& p, const Reply& r) {
    return p.framing == Framing::Xor8A80 ? encode_reply_a(p, r) : encode_reply_b(p, r);
}
Parsed<Request> parse_request(const DialectProfile& p, Span frame) {
    return p.framing == Framing::Xor8A80 ? parse_request_a(p, frame) : parse_request_b(p, frame);
}
Parsed<Reply> parse_reply(const DialectProfile& p, Span frame) {
    return p.framing == Framing::Xor8A80 ? parse_reply_a(p, frame) : parse_reply_b(p, frame);
}

// ---- FrameReader ----------------------------------------------------------------------------

bool FrameReader::is_start(std::uint8_t b) const {
    if (p_->framing == Framing::Xor8A80)
        return b == p_->hdr_unlock || b == p_->hdr_query ||
               (dir_ == Direction::Replies && is_report_hdr(*p_, b));
    return b == p_->stx;
}

void FrameReader::feed(Span bytes) {
    // Bounded: a reader that is never drained (a chattering bus) keeps only the recent tail.
    constexpr std::size_t kMax = 4096;
    buf_.insert(buf_.end(), bytes.begin(), bytes.end());
    if (buf_.size() > kMax) drop(buf_.size() - kMax);
}

void FrameReader::clear() {
    buf_.clear();
}

void FrameReader::drop(std::size_t n) {
    n = std::min(n, buf_.size());
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(n));
    discarded_ += n;
}

std::optional<std::vector<std::uint8_t>> FrameReader::take(std::size_t n) {
    std::vector<std::uint8_t> f(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(n));
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(n));
    return f;
}

std::optional<std::vector<std::uint8_t>> FrameReader::next(Expect e, bool burst_ended) {
    for (;;) {
        // Resync: everything before a start byte is garbage.
        std::size_t skip = 0;
        while (skip < buf_.size() && !is_start(buf_[skip])) ++skip;
        drop(skip);
        if (buf_.empty()) return std::nullopt;
        bool again = false;
        auto f = p_->framing == Framing::Xor8A80 ? next_a(e, burst_ended, again)
                                                 : next_b(burst_ended, again);
        if (f || !again) return f;
    }
}

std::optional<std::vector<std::uint8_t>> FrameReader::next_a(Expect e, bool burst_ended,
                                                             bool& again) {
    const Span b(buf_);
    if (dir_ == Direction::Requests) {  // every request is 5 bytes
        if (b.size() < kAFrame) {
            if (burst_ended) {
                drop(b.size());
            }  // a truncated request: never acted on
            return std::nullopt;
        }
        if (parse_request_a(*p_, b.first(kAFrame)).ok()) return take(kAFrame);
        drop(1);
        again = true;
        return std::nullopt;
    }
    auto valid = [&](std::size_t len, std::optional<ReplyKind> kind) {
        if (len > b.size()) return false;
        auto r = parse_reply_a(*p_, b.first(len));
        return r.ok() && (!kind || r.value->kind == *kind);
    };
    // What the driver asked for is taken as soon as it is complete, and if garbage sits in
    // front of it the reader skips straight to it instead of waiting for the line to fall silent.
    // An 81-family frame (unlock reply or unsolicited door report, always 5 bytes) is taken the
    // same way wherever it sits, so a report racing a reply is handed out, never dropped as the
    // garbage in front of the reply -- unless an earlier start byte may still grow into the
    // wanted frame (then the bytes are inside it and wait).
    std::size_t want = 0;
    std::optional<ReplyKind> want_kind;
    if (e.kind == Expect::Lock) {
        want = kAFrame;
        want_kind = ReplyKind::LockStatus;
    } else if (e.kind == Expect::Board && e.status_bytes >= 1 &&
               e.status_bytes <= kAMaxStatusBytes) {
        want = 4 + static_cast<std::size_t>(e.status_bytes);
        want_kind = ReplyKind::BoardStatus;
    }
    bool growing = false;  // an earlier start byte whose wanted frame is not complete yet
    for (std::size_t at = 0; at < b.size(); ++at) {
        if (!is_start(b[at])) continue;
        if (!growing && is_report_hdr(*p_, b[at]) && at + kAFrame <= b.size() &&
            parse_reply_a(*p_, b.subspan(at, kAFrame)).ok()) {
            drop(at);
            return take(kAFrame);
        }
        if (!want_kind) continue;
        if (at + want > b.size()) {
            growing = true;
            continue;
        }
        auto r = parse_reply_a(*p_, b.subspan(at, want));
        if (r.ok() && r.value->kind == *want_kind) {
            drop(at);
            return take(want);
        }
    }
    // Anything else waits for silence (or for the longest possible frame), then the shortest
    // valid candidate wins: two back-to-back frames XOR to zero and could pose as one longer one.
    if (!burst_ended && b.size() < kAMaxReply) return std::nullopt;
    for (std::size_t len = kAFrame; len <= std::min(b.size(), kAMaxReply); ++len)
        if (valid(len, std::nullopt)) return take(len);
    drop(1);
    again = true;
    return std::nullopt;
}

std::optional<std::vector<std::uint8_t>> FrameReader::next_b(bool burst_ended, bool& again) {
    const Span b(buf_);
    auto resync = [&] {
        drop(1);
        again = true;
        return std::nullopt;
    };
    if (dir_ == Direction::Requests) {
        // 5 bytes, or 7 for "set pulse time" (37 HI LO); ETX right before SUM either way.
        if (b.size() < kBRequest) {
            if (burst_ended) drop(b.size());  // a truncated request: never acted on
            return std::nullopt;
        }
        if (parse_request_b(*p_, b.first(kBRequest)).ok()) return take(kBRequest);
        if (b[2] == p_->cmd_pulse) {
            if (b.size() < kBRequestData) {
                if (burst_ended) return resync();
                return std::nullopt;
            }
            if (parse_request_b(*p_, b.first(kBRequestData)).ok()) return take(kBRequestData);
        }
        return resync();
    }
    if (b.size() < 3) {
        if (burst_ended) drop(b.size());
        return std::nullopt;
    }
    const ReplyShape shape = kerong_reply_shape(*p_, b[2]);
    if (shape.length == 0) return resync();  // not a reply command byte: garbage
    auto valid = [&](std::size_t len) {
        return len != 0 && len <= b.size() && parse_reply_b(*p_, b.first(len)).ok();
    };
    if (valid(shape.length)) return take(shape.length);
    // The unlock reply's short form (a bare ack) is decided once the long form cannot be: the
    // line fell silent, or enough bytes for the long one arrived and they are not it.
    if (shape.alt_length && valid(shape.alt_length) && (burst_ended || b.size() >= shape.length))
        return take(shape.alt_length);
    if (b.size() < shape.length) {
        if (burst_ended) return resync();  // truncated: resync on whatever follows
        return std::nullopt;
    }
    return resync();
}

std::string hex(Span bytes) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string s;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i) s.push_back(' ');
        s.push_back(kDigits[bytes[i] >> 4]);
        s.push_back(kDigits[bytes[i] & 0x0F]);
    }
    return s;
}

}  // namespace kiosk::locker
