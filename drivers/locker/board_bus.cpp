// Locker-board bus driver (see board_bus.hpp). Reference: ../shared/reference/locker-boards.md.
#include "locker/board_bus.hpp"

#include <array>

#include "base/log.hpp"

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
                   milliseconds reply_timeout, milliseconds silence, int query_retries,
                   UnlockReply unlock_reply)
    : t_(std::move(transport)),
      p_(&dialect),
      reply_timeout_(reply_timeout.count() > 0 ? reply_timeout : dialect.reply_timeout),
      silence_(silence.count() > 0 ? silence : dialect.silence_gap),
      query_retries_(query_retries),
      unlock_reply_(unlock_reply),
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

bool BoardBus::accept_state(const Reply& x, int board) const {
    if (x.kind != ReplyKind::BoardStatus || x.board != board) return false;
    if (p_->framing == Framing::Xor8A80) return x.header == p_->hdr_query;
    // Kerong: a state frame for the board itself (lock nibble 0). A 31 frame, or one for a lock
    // address, is an unlock's reply arriving late: never the answer to a query.
    return x.command != p_->cmd_unlock && x.channel == 1;
}

void BoardBus::dispatch_unwanted(const Reply& r) {
    if (p_->framing == Framing::Xor8A80 && p_->hdr_report != 0 && r.header == p_->hdr_report &&
        r.kind == ReplyKind::LockStatus) {
        count("8a80 report 81");
        if (on_report) on_report({r.board, r.channel, r.lock_bit});
        return;
    }
    if (p_->framing == Framing::StxEtxSum &&
        (r.kind == ReplyKind::Ack ||
         (r.kind == ReplyKind::BoardStatus && (r.command == p_->cmd_unlock || r.channel != 1)))) {
        // An unlock's reply after we stopped waiting for it: the board does answer unlocks.
        count("kerong late unlock reply");
        answers_unlock_[r.board] = true;
        return;
    }
    count("reply not for us");  // another board's late reply, or a duplicate
}

void BoardBus::drain() {
    // Whatever is pending belongs to an earlier exchange or is unsolicited: reports are kept
    // (dispatched), the rest dropped, so nothing answers the request about to go out.
    std::array<std::uint8_t, 256> buf{};
    for (int spins = 0; spins < 16; ++spins) {
        const auto r = t_->read(buf, milliseconds(0));
        if (!r.ok() || r.bytes == 0) break;
        reader_.feed(std::span<const std::uint8_t>(buf.data(), r.bytes));
    }
    while (auto f = reader_.next({}, true)) {
        auto parsed = parse_reply(*p_, *f);
        if (parsed.ok()) dispatch_unwanted(*parsed.value);
    }
    reader_.clear();
}

BusError BoardBus::send(const std::vector<std::uint8_t>& frame) {
    if (frame.empty()) return BusError::BadRequest;
    if (auto e = ensure_open(); e != BusError::None) return e;
    // A reply that arrived after its request timed out must not answer this one.
    drain();
    t_->flush();
    const auto r = t_->write(frame);
    if (!r.ok()) {
        if (r.error == drivers::TransportError::Gone) t_->close();  // reopened on the next request
        return BusError::Transport;
    }
    return BusError::None;
}

BusError BoardBus::await(Expect e, const std::function<bool(const Reply&)>& want, Reply& out,
                         milliseconds timeout) {
    const auto deadline = Clock::now() + (timeout.count() > 0 ? timeout : reply_timeout_);
    std::array<std::uint8_t, 256> buf{};
    const std::size_t discarded_before = reader_.discarded();
    // Hands out whole frames: true once the wanted one is found. Others (an unsolicited report,
    // a late reply to an earlier request, a frame for someone else) are dispatched.
    auto take = [&](bool burst_ended) {
        while (auto f = reader_.next(e, burst_ended)) {
            auto parsed = parse_reply(*p_, *f);
            if (!parsed.ok()) continue;
            if (want(*parsed.value)) {
                out = *parsed.value;
                return true;
            }
            dispatch_unwanted(*parsed.value);
        }
        return false;
    };
    // Frames already read in an earlier call (several boards answering one listing).
    if (reader_.pending() && take(false)) return BusError::None;
    bool saw_bytes = reader_.pending() != 0;
    for (;;) {
        const auto now = Clock::now();
        if (now >= deadline)
            return reader_.discarded() != discarded_before || reader_.pending() != 0
                       ? BusError::Garbled
                       : BusError::NoReply;
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
        if (take(burst_ended)) return BusError::None;
        if (burst_ended) {
            // Only whole frames that were not ours arrived: our reply may still come.
            if (reader_.pending() == 0 && reader_.discarded() == discarded_before) {
                saw_bytes = false;
                continue;
            }
            // The board has answered and fallen silent without a frame for us: garbled or
            // truncated. Say so now rather than wait out the timeout (queries are then retried).
            return BusError::Garbled;
        }
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
            e, [&](const Reply& x) { return accept_state(x, board); }, r);
        if (last == BusError::None) {
            if (p_->framing == Framing::StxEtxSum)
                count("kerong state " + hex(std::span<const std::uint8_t>(&r.command, 1)));
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
                // A query is answered with the 80 header; an 81 frame is a report, not the reply.
                return x.kind == ReplyKind::LockStatus && x.header == p_->hdr_query &&
                       x.board == board && x.channel == channel;
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
    Reply r;
    if (p_->unlock_replies) {
        // Exactly one attempt: a lost reply is reported, never answered by a second pulse.
        res.error = await(
            {Expect::Lock, 0},
            [&](const Reply& x) {
                return x.kind == ReplyKind::LockStatus && x.board == board && x.channel == channel;
            },
            r);
        if (res.error == BusError::None) {
            res.replied = res.has_state = true;
            res.lock_raw = r.lock_bit;
            if (r.header == p_->hdr_report)
                count("8a80 unlock reply 81");
            else if (r.header == p_->hdr_query)
                count("8a80 unlock reply 80");
            else
                count("8a80 unlock reply 8A");
        }
        return res;
    }
    // Kerong: some boards answer an unlock, others stay silent (docs: "Kerong unlock reply").
    if (unlock_reply_ == UnlockReply::No) return res;
    milliseconds wait = reply_timeout_;
    if (unlock_reply_ == UnlockReply::Auto) {
        auto known = answers_unlock_.find(board);
        // Known silent: a short grace only; a late reply is still recognised by its shape.
        if (known != answers_unlock_.end() && !known->second) wait = silence_ * 4;
    }
    const BusError e = await(
        {},
        [&](const Reply& x) {
            if (x.board != board) return false;
            if (x.kind == ReplyKind::Ack) return x.channel == channel;
            // State-shaped: 31 (the request's byte) or the state byte with the lock address.
            return x.kind == ReplyKind::BoardStatus &&
                   (x.command == p_->cmd_unlock || x.channel == channel);
        },
        r, wait);
    if (e == BusError::None) {
        answers_unlock_[board] = true;
        res.replied = true;
        if (r.kind == ReplyKind::Ack) {
            count("kerong unlock ack");
        } else {
            count("kerong unlock reply " + hex(std::span<const std::uint8_t>(&r.command, 1)));
            res.has_state = true;
            const auto ch = static_cast<std::size_t>(channel - 1);
            res.lock_raw = ch < r.lock_bits.size() && r.lock_bits[ch];
            res.state.lock_raw = std::move(r.lock_bits);
            res.state.item_raw = std::move(r.item_bits);
        }
        return res;
    }
    if (e == BusError::NoReply) {
        // Not an error for this dialect: the board may simply not answer unlocks.
        if (unlock_reply_ == UnlockReply::Auto && !answers_unlock_.count(board))
            answers_unlock_[board] = false;
        count("kerong unlock silent");
        return res;
    }
    res.error = e;  // garbled or transport: logged by the caller, never retried
    return res;
}

BusError BoardBus::unlock_all(int board) {
    // No reply is documented for either dialect: fire and forget.
    return send(encode_request(*p_, {RequestKind::UnlockAll, board, 0}));
}

BusError BoardBus::list_boards(std::vector<int>& boards) {
    boards.clear();
    if (p_->framing != Framing::StxEtxSum) return BusError::BadRequest;
    if (auto e = send(encode_request(*p_, {RequestKind::ListBoards, 0, 0})); e != BusError::None)
        return e;
    // Every board answers with a state frame; collect them until the line falls silent.
    std::map<int, bool> seen;
    for (;;) {
        Reply r;
        const auto e = await(
            {}, [&](const Reply& x) { return x.kind == ReplyKind::BoardStatus && x.channel == 1; },
            r, seen.empty() ? reply_timeout_ : silence_ * 4);
        if (e != BusError::None) break;
        count("kerong list reply " + hex(std::span<const std::uint8_t>(&r.command, 1)));
        seen[r.board] = true;
    }
    for (const auto& [b, _] : seen) boards.push_back(b);
    return boards.empty() ? BusError::NoReply : BusError::None;
}

std::vector<int> BoardBus::probe_boards(int first, int last, int channels) {
    std::vector<int> found;
    const int keep = query_retries_;
    query_retries_ = 0;
    for (int b = std::max(first, p_->min_board); b <= std::min(last, p_->max_board); ++b) {
        BoardRead rd;
        if (query_board(b, channels, rd) == BusError::None) found.push_back(b);
    }
    query_retries_ = keep;
    return found;
}

BusError BoardBus::set_pulse_time(int board, int ms, int& confirmed_ms) {
    if (p_->framing != Framing::StxEtxSum) return BusError::BadRequest;
    const auto frame = encode_request(*p_, {RequestKind::SetPulseTime, board, 0, ms});
    if (auto e = send(frame); e != BusError::None) return e;
    Reply r;
    const auto e = await(
        {}, [&](const Reply& x) { return x.kind == ReplyKind::PulseTime && x.board == board; }, r);
    if (e == BusError::None) confirmed_ms = r.value;
    return e;  // a setting is not an unlock, but it is not retried either: the caller asks again
}

BusError BoardBus::query_pulse_time(int board, int& ms) {
    if (p_->framing != Framing::StxEtxSum) return BusError::BadRequest;
    const auto frame = encode_request(*p_, {RequestKind::QueryPulseTime, board, 0});
    BusError last = BusError::NoReply;
    for (int attempt = 0; attempt <= query_retries_; ++attempt) {
        if (auto err = send(frame); err != BusError::None) {
            last = err;
            if (err == BusError::BadRequest) return err;
            continue;
        }
        Reply r;
        last = await(
            {}, [&](const Reply& x) { return x.kind == ReplyKind::PulseTime && x.board == board; },
            r);
        if (last == BusError::None) {
            ms = r.value;
            return last;
        }
    }
    return last;
}

int BoardBus::listen(milliseconds timeout, int wake_fd) {
    if (ensure_open() != BusError::None) return -1;
    int before = 0;
    for (const auto& [k, v] : variants_)
        if (k == "8a80 report 81") before = static_cast<int>(v);
    std::array<std::uint8_t, 256> buf{};
    const auto deadline = Clock::now() + timeout;
    bool got = false;
    for (;;) {
        const auto now = Clock::now();
        if (now >= deadline) break;
        const auto left = std::chrono::duration_cast<milliseconds>(deadline - now);
        const auto wait = got ? std::min(silence_, left) : left;
        const auto r = wake_fd >= 0 && t_->can_wake() && !got
                           ? t_->read_or_wake(buf, std::max(wait, milliseconds(1)), wake_fd)
                           : t_->read(buf, std::max(wait, milliseconds(1)));
        if (r.ok() && r.bytes > 0) {
            got = true;
            reader_.feed(std::span<const std::uint8_t>(buf.data(), r.bytes));
            while (auto f = reader_.next({}, false)) {
                auto parsed = parse_reply(*p_, *f);
                if (parsed.ok()) dispatch_unwanted(*parsed.value);
            }
            continue;
        }
        if (!r.ok() && r.error != drivers::TransportError::Timeout) {
            if (r.error == drivers::TransportError::Gone) t_->close();
            return -1;
        }
        if (got) {  // the burst ended: decide what is left
            while (auto f = reader_.next({}, true)) {
                auto parsed = parse_reply(*p_, *f);
                if (parsed.ok()) dispatch_unwanted(*parsed.value);
            }
        }
        break;  // a timeout, or woken: the caller has something to do
    }
    int after = 0;
    for (const auto& [k, v] : variants_)
        if (k == "8a80 report 81") after = static_cast<int>(v);
    return after - before;
}

}  // namespace kiosk::locker
