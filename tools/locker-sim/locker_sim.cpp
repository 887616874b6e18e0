// Locker-bank simulator model (see locker_sim.hpp).
#include "locker_sim.hpp"

#include <algorithm>

namespace kiosk::locker::sim {

LockerSim::LockerSim(SimConfig cfg) : cfg_(std::move(cfg)) {
    for (const auto& s : cfg_.boards) {
        Board b;
        b.spec = s;
        b.ch.resize(static_cast<std::size_t>(std::max(s.channels, 0)));
        boards_.push_back(std::move(b));
    }
}

LockerSim::Board* LockerSim::board(int address) {
    for (auto& b : boards_)
        if (b.spec.address == address) return &b;
    return nullptr;
}

LockerSim::Channel* LockerSim::find(int board_addr, int channel) {
    Board* b = board(board_addr);
    if (!b || channel < 1 || static_cast<std::size_t>(channel) > b->ch.size()) return nullptr;
    return &b->ch[static_cast<std::size_t>(channel - 1)];
}

const LockerSim::Channel* LockerSim::find(int board_addr, int channel) const {
    return const_cast<LockerSim*>(this)->find(board_addr, channel);
}

bool LockerSim::raw_lock(const Channel& c) const {
    return (c.open == cfg_.door_open_reads_set) != swapped_;
}

void LockerSim::pulse(Board& b, int channel) {
    Channel& c = b.ch[static_cast<std::size_t>(channel - 1)];
    ++c.pulses;
    if (on_unlock_) on_unlock_(b.spec.address, channel);
    if (c.jammed || c.open) return;
    c.open = true;
    ++c.openings;
    if (auto_hold_ && !c.hold_open) c.auto_close_at = Clock::now() + *auto_hold_;
}

std::vector<std::uint8_t> LockerSim::mangle(std::vector<std::uint8_t> reply) {
    if (garble_left_ <= 0 || reply.empty()) return reply;
    --garble_left_;
    rng_ = rng_ * 1664525u + 1013904223u;
    switch (garble_) {
        case Garble::None:
            break;
        case Garble::Garbled:
            reply[reply.size() / 2] ^= static_cast<std::uint8_t>(0x5A);
            break;
        case Garble::Truncated:
            reply.resize(reply.size() > 2 ? reply.size() - 2 : 1);
            break;
        case Garble::Noise: {
            // Line noise before a good reply: the reader must resync onto it.
            std::vector<std::uint8_t> noisy{0x00, 0xFF, static_cast<std::uint8_t>(rng_ >> 24),
                                            0x13};
            noisy.insert(noisy.end(), reply.begin(), reply.end());
            return noisy;
        }
    }
    return reply;
}

std::vector<std::uint8_t> LockerSim::handle(const Request& r) {
    const DialectProfile& p = *cfg_.dialect;
    ++requests_;
    if (r.kind == RequestKind::QueryAddress) {
        std::vector<Board*> present;
        for (auto& b : boards_)
            if (!b.missing) present.push_back(&b);
        if (present.empty()) return {};
        Reply rep{ReplyKind::Address, present.front()->spec.address};
        auto bytes = encode_reply(p, rep);
        // Several boards answering at once collide on the wire.
        for (std::size_t i = 1; i < present.size(); ++i) {
            auto other = encode_reply(p, Reply{ReplyKind::Address, present[i]->spec.address});
            for (std::size_t k = 0; k < bytes.size() && k < other.size(); ++k) bytes[k] |= other[k];
        }
        return bytes;
    }
    Board* b = board(r.board);
    if (!b || b->missing) return {};
    std::vector<std::uint8_t> out;
    switch (r.kind) {
        case RequestKind::Unlock: {
            if (r.channel < 1 || static_cast<std::size_t>(r.channel) > b->ch.size()) return {};
            pulse(*b, r.channel);
            if (!p.unlock_replies || lose_unlock_replies_) return {};
            Reply rep{ReplyKind::LockStatus, r.board, r.channel,
                      raw_lock(b->ch[static_cast<std::size_t>(r.channel - 1)])};
            rep.header = p.hdr_unlock;
            out = encode_reply(p, rep);
            break;
        }
        case RequestKind::UnlockAll:
            for (int ch = 1; ch <= static_cast<int>(b->ch.size()); ++ch) pulse(*b, ch);
            return {};
        case RequestKind::QueryLock: {
            if (r.channel < 1 || static_cast<std::size_t>(r.channel) > b->ch.size()) return {};
            Reply rep{ReplyKind::LockStatus, r.board, r.channel,
                      raw_lock(b->ch[static_cast<std::size_t>(r.channel - 1)])};
            out = encode_reply(p, rep);
            break;
        }
        case RequestKind::QueryBoard: {
            Reply rep{ReplyKind::BoardStatus, r.board};
            for (const auto& c : b->ch) {
                rep.lock_bits.push_back(raw_lock(c));
                rep.item_bits.push_back(b->spec.item_sensors &&
                                        (c.item == cfg_.item_present_reads_set));
            }
            out = encode_reply(p, rep);
            break;
        }
        case RequestKind::QueryAddress:
            break;
    }
    if (no_reply_) return {};
    return mangle(std::move(out));
}

std::vector<std::uint8_t> LockerSim::on_bytes(int conn, std::span<const std::uint8_t> in) {
    std::lock_guard lock(mu_);
    auto it = readers_.find(conn);
    if (it == readers_.end())
        it = readers_.emplace(conn, FrameReader(*cfg_.dialect, FrameReader::Direction::Requests))
                 .first;
    it->second.feed(in);
    last_byte_[conn] = Clock::now();
    std::vector<std::uint8_t> out;
    while (auto f = it->second.next()) {
        auto req = parse_request(*cfg_.dialect, *f);
        if (!req.ok()) continue;
        auto rep = handle(*req.value);
        out.insert(out.end(), rep.begin(), rep.end());
    }
    return out;
}

void LockerSim::drop_connection(int conn) {
    std::lock_guard lock(mu_);
    readers_.erase(conn);  // a half-received frame dies with its connection
    last_byte_.erase(conn);
}

std::optional<LockerSim::Clock::time_point> LockerSim::tick(Clock::time_point now) {
    std::lock_guard lock(mu_);
    std::optional<Clock::time_point> next;
    // Like a real board's inter-byte timeout: a partial frame followed by silence is dropped,
    // so the tail of a frame cut off by a crashed sender never joins the next sender's bytes.
    for (auto& [conn, rd] : readers_) {
        if (rd.pending() == 0) continue;
        const auto due = last_byte_[conn] + cfg_.dialect->silence_gap;
        if (due <= now) {
            while (rd.next({}, true)) {
            }
        } else if (!next || due < *next) {
            next = due;
        }
    }
    for (auto& b : boards_) {
        for (auto& c : b.ch) {
            if (!c.auto_close_at) continue;
            if (*c.auto_close_at <= now) {
                c.auto_close_at.reset();
                if (c.hold_open) continue;
                c.item = !c.item;  // the person takes what is there, or leaves something
                c.open = false;
            } else if (!next || *c.auto_close_at < *next) {
                next = c.auto_close_at;
            }
        }
    }
    return next;
}

void LockerSim::close_door(int board_addr, int channel) {
    std::lock_guard lock(mu_);
    if (auto* c = find(board_addr, channel)) {
        c->open = false;
        c->auto_close_at.reset();
    }
}
void LockerSim::open_by_hand(int board_addr, int channel) {
    std::lock_guard lock(mu_);
    if (auto* c = find(board_addr, channel)) {
        if (!c->open) ++c->openings;
        c->open = true;
    }
}
void LockerSim::set_item(int board_addr, int channel, bool present) {
    std::lock_guard lock(mu_);
    if (auto* c = find(board_addr, channel)) c->item = present;
}
void LockerSim::set_jammed(int board_addr, int channel, bool jammed) {
    std::lock_guard lock(mu_);
    if (auto* c = find(board_addr, channel)) c->jammed = jammed;
}
void LockerSim::set_hold_open(int board_addr, int channel, bool hold) {
    std::lock_guard lock(mu_);
    if (auto* c = find(board_addr, channel)) c->hold_open = hold;
}
void LockerSim::set_board_missing(int board_addr, bool missing) {
    std::lock_guard lock(mu_);
    if (auto* b = board(board_addr)) b->missing = missing;
}
void LockerSim::set_no_reply(bool on) {
    std::lock_guard lock(mu_);
    no_reply_ = on;
}
void LockerSim::set_lose_unlock_replies(bool on) {
    std::lock_guard lock(mu_);
    lose_unlock_replies_ = on;
}
void LockerSim::garble_next(int replies, Garble how) {
    std::lock_guard lock(mu_);
    garble_left_ = replies;
    garble_ = how;
}
void LockerSim::set_swapped_polarity(bool on) {
    std::lock_guard lock(mu_);
    swapped_ = on;
}
void LockerSim::set_auto_person(std::optional<std::chrono::milliseconds> hold) {
    std::lock_guard lock(mu_);
    auto_hold_ = hold;
}
void LockerSim::set_on_unlock(std::function<void(int, int)> f) {
    std::lock_guard lock(mu_);
    on_unlock_ = std::move(f);
}
bool LockerSim::door_open(int board_addr, int channel) const {
    std::lock_guard lock(mu_);
    const auto* c = find(board_addr, channel);
    return c && c->open;
}
bool LockerSim::item(int board_addr, int channel) const {
    std::lock_guard lock(mu_);
    const auto* c = find(board_addr, channel);
    return c && c->item;
}
int LockerSim::pulses(int board_addr, int channel) const {
    std::lock_guard lock(mu_);
    const auto* c = find(board_addr, channel);
    return c ? c->pulses : 0;
}
int LockerSim::openings(int board_addr, int channel) const {
    std::lock_guard lock(mu_);
    const auto* c = find(board_addr, channel);
    return c ? c->openings : 0;
}
int LockerSim::total_pulses() const {
    std::lock_guard lock(mu_);
    int n = 0;
    for (const auto& b : boards_)
        for (const auto& c : b.ch) n += c.pulses;
    return n;
}
int LockerSim::requests() const {
    std::lock_guard lock(mu_);
    return requests_;
}

}  // namespace kiosk::locker::sim
