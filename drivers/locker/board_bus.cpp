// Locker-board bus driver (see board_bus.hpp). Reference: ../shared/reference/locker-boards.md.
#include "locker/board_bus.hpp"

#include <array>

#include "core/log.hpp"

namespace kiosk::locker {
namespace {
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
}  // namespace

const char* to_string(BusError e) {
    switch (e) {
        case BusError::None:
            return "ok";
        case BusError::NoReply:
            return "no reply";
        case BusError::Garbled:
            return "garbled reply";
        case BusError::Transport:
            return "transport error";
        case BusError::BadRequest:
            return "bad request";
    }
    return "?";
}

BoardBus::BoardBus(std::unique_ptr<drivers::Transport> transport, const DialectProfile& dialect,
                   milliseconds reply_timeout, milliseconds silence, int query_retries)
    : t_(std::move(transport)),
      p_(&dialect),
      reply_timeout_(reply_timeout.count() > 0 ? reply_timeout : dialect.reply_timeout),
      silence_(silence.count() > 0 ? silence : dialect.silence_gap),
      query_retries_(query_retries),
      reader_(dialect, FrameReader::Direction::Replies) {}

BusError BoardBus::ensure_open() {
    if (!t_) return BusError::Transport;
    if (t_->is_open()) return BusError::None;
    const auto e = t_->open();
    if (e != drivers::TransportError::None) {
        kiosk::log::get("locker")->warn("bus {}: open failed: {}", t_->describe(),
                                        drivers::to_string(e));
        return BusError::Transport;
    }
    return BusError::None;
}

BusError BoardBus::send(const std::vector<std::uint8_t>& frame) {
    if (frame.empty()) return BusError::BadRequest;
    if (auto e = ensure_open(); e != BusError::None) return e;
    // A reply that arrived after its request timed out must not answer this one.
    t_->flush();
    reader_.clear();
    const auto r = t_->write(frame);
    if (!r.ok()) {
        if (r.error == drivers::TransportError::Gone) t_->close();  // reopened on the next request
        return BusError::Transport;
    }
    return BusError::None;
}

BusError BoardBus::await(Expect e, const std::function<bool(const Reply&)>& want, Reply& out) {
    const auto deadline = Clock::now() + reply_timeout_;
    std::array<std::uint8_t, 256> buf{};
    bool saw_bytes = false;
    for (;;) {
        const auto now = Clock::now();
        if (now >= deadline) return saw_bytes ? BusError::Garbled : BusError::NoReply;
        const auto left = std::chrono::duration_cast<milliseconds>(deadline - now);
        // Before the first byte wait the whole timeout; after it, silence ends a frame.
        const auto wait = saw_bytes ? std::min(silence_, left) : left;
        const auto r = t_->read(buf, std::max(wait, milliseconds(1)));
        bool burst_ended = false;
        if (r.ok() && r.bytes > 0) {
            saw_bytes = true;
            reader_.feed(std::span<const std::uint8_t>(buf.data(), r.bytes));
        } else if (r.error == drivers::TransportError::Timeout || (r.ok() && r.bytes == 0)) {
            if (!saw_bytes) continue;
            burst_ended = true;
        } else {
            if (r.error == drivers::TransportError::Gone) t_->close();
            return BusError::Transport;
        }
        while (auto f = reader_.next(e, burst_ended)) {
            auto parsed = parse_reply(*p_, *f);
            if (parsed.ok() && want(*parsed.value)) {
                out = *parsed.value;
                return BusError::None;
            }
            // A frame for someone else (another board's late reply): keep listening.
        }
        // The board has answered and fallen silent without a frame for us: garbled or
        // truncated. Say so now rather than wait out the timeout (queries are then retried).
        if (burst_ended) return BusError::Garbled;
    }
}

BusError BoardBus::query_board(int board, int channels, BoardRead& out) {
    const auto frame = encode_request(*p_, {RequestKind::QueryBoard, board, 0});
    Expect e{Expect::Board, (std::max(channels, 1) + 7) / 8};
    BusError last = BusError::NoReply;
    for (int attempt = 0; attempt <= query_retries_; ++attempt) {
        if (auto err = send(frame); err != BusError::None) {
            last = err;
            if (err == BusError::BadRequest) return err;
            continue;
        }
        Reply r;
        last = await(
            e, [&](const Reply& x) { return x.kind == ReplyKind::BoardStatus && x.board == board; },
            r);
        if (last == BusError::None) {
            out.lock_raw = std::move(r.lock_bits);
            out.item_raw = std::move(r.item_bits);
            if (static_cast<int>(out.lock_raw.size()) < channels)
                out.lock_raw.resize(static_cast<std::size_t>(channels), false);
            return BusError::None;
        }
    }
    return last;
}

BusError BoardBus::query_lock(int board, int channel, bool& raw) {
    if (p_->framing == Framing::StxEtxSum) {
        BoardRead r;
        auto e = query_board(board, p_->max_channels, r);
        if (e != BusError::None) return e;
        if (channel < 1 || static_cast<std::size_t>(channel) > r.lock_raw.size())
            return BusError::BadRequest;
        raw = r.lock_raw[static_cast<std::size_t>(channel - 1)];
        return BusError::None;
    }
    const auto frame = encode_request(*p_, {RequestKind::QueryLock, board, channel});
    BusError last = BusError::NoReply;
    for (int attempt = 0; attempt <= query_retries_; ++attempt) {
        if (auto err = send(frame); err != BusError::None) {
            last = err;
            if (err == BusError::BadRequest) return err;
            continue;
        }
        Reply r;
        last = await(
            {Expect::Lock, 0},
            [&](const Reply& x) {
                return x.kind == ReplyKind::LockStatus && x.board == board && x.channel == channel;
            },
            r);
        if (last == BusError::None) {
            raw = r.lock_bit;
            return BusError::None;
        }
    }
    return last;
}

UnlockResult BoardBus::unlock(int board, int channel) {
    UnlockResult res;
    const auto frame = encode_request(*p_, {RequestKind::Unlock, board, channel});
    res.error = send(frame);
    if (res.error != BusError::None) return res;
    if (on_unlock_written) on_unlock_written();
    if (!p_->unlock_replies) return res;
    Reply r;
    // Exactly one attempt: a lost reply is reported, never answered by a second pulse.
    res.error = await(
        {Expect::Lock, 0},
        [&](const Reply& x) {
            return x.kind == ReplyKind::LockStatus && x.board == board && x.channel == channel;
        },
        r);
    if (res.error == BusError::None) {
        res.replied = true;
        res.lock_raw = r.lock_bit;
    }
    return res;
}

BusError BoardBus::unlock_all(int board) {
    // No reply is documented for either dialect: fire and forget.
    return send(encode_request(*p_, {RequestKind::UnlockAll, board, 0}));
}

}  // namespace kiosk::locker
