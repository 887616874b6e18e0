// Locker-bank simulator model (see locker_sim.hpp).
#include "locker_sim.hpp"

#include <algorithm>

namespace kiosk::locker::sim {

namespace {
using K = Behaviour::KerongUnlock;
Behaviour make(std::uint8_t hdr, bool reports, K ku, std::uint8_t ucmd, std::uint8_t scmd) {
    Behaviour b;
    b.unlock_header = hdr;
    b.door_reports = reports;
    b.kerong_unlock = ku;
    b.kerong_unlock_cmd = ucmd;
    b.kerong_state_cmd = scmd;
    return b;
}
}  // namespace

const std::vector<Variant>& variants() {
    static const std::vector<Variant> v{
        {"8a80", "8a80", make(0x8A, false, K::None, 0x35, 0x35),
         "8A/80 reference: unlock answered with the 8A header"},
        {"8a80-hdr80", "8a80", make(0x80, false, K::None, 0x35, 0x35),
         "8A/80 vendor note: unlock answered with the 80 header"},
        {"8a80-81", "8a80", make(0x81, true, K::None, 0x35, 0x35),
         "8A/80 '81' family: unlock answered 81 ADDR CH 11, unsolicited 81 ADDR CH 00 on closing"},
        {"kerong", "kerong-cu16", make(0x8A, false, K::None, 0x35, 0x35),
         "Kerong CU16 reference: silent unlock, state reply 35"},
        {"kerong-reply35", "kerong-cu16", make(0x8A, false, K::State, 0x35, 0x35),
         "Kerong CU16 answering an unlock with a 35 state frame (lock address)"},
        {"kerong-reply31", "kerong-cu16", make(0x8A, false, K::State, 0x31, 0x35),
         "Kerong CU16 answering an unlock with a state frame carrying 31"},
        {"kerong-ack", "kerong-cu16", make(0x8A, false, K::Ack, 0x31, 0x35),
         "Kerong CU16 answering an unlock with a bare 5-byte ack"},
        {"kerong-echo30", "kerong-cu16", make(0x8A, false, K::None, 0x35, 0x30),
         "Kerong CU16 answering a state query with the request's byte 30"},
        {"kerong-all36", "kerong-cu16", make(0x8A, false, K::State, 0x35, 0x36),
         "Kerong CU16 answering with the 'all data' byte 36 and a 35 unlock reply"},
    };
    return v;
}

const Variant* find_variant(std::string_view name) {
    for (const auto& v : variants())
        if (name == v.name) return &v;
    return nullptr;
}

LockerSim::LockerSim(SimConfig cfg) : cfg_(std::move(cfg)) {
    for (const auto& s : cfg_.boards) {
        Board b;
        b.spec = s;
        b.how = s.behaviour.value_or(cfg_.behaviour);
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

bool LockerSim::door_open_reads_set() const {
    return cfg_.door_open_reads_set.value_or(cfg_.dialect->lock_bit_set_means_open);
}

bool LockerSim::raw_lock(const Channel& c) const {
    const bool open = c.stuck.value_or(c.open);
    return (open == door_open_reads_set()) != swapped_;
}

std::vector<std::uint8_t> LockerSim::state_frame(const Board& b, std::uint8_t cmd,
                                                 int channel) const {
    Reply rep{ReplyKind::BoardStatus, b.spec.address, channel};
    rep.command = cmd;
    for (const auto& c : b.ch) {
        rep.lock_bits.push_back(raw_lock(c));
        rep.item_bits.push_back(b.spec.item_sensors && (c.item == cfg_.item_present_reads_set));
    }
    return encode_reply(*cfg_.dialect, rep);
}

void LockerSim::door_shut(Board& b, int channel) {
    Channel& c = b.ch[static_cast<std::size_t>(channel - 1)];
    c.open = false;
    c.auto_close_at.reset();
    const DialectProfile& p = *cfg_.dialect;
    if (!b.how.door_reports || p.hdr_report == 0 || b.missing) return;
    Reply rep{ReplyKind::LockStatus, b.spec.address, channel, raw_lock(c)};
    rep.header = p.hdr_report;
    const auto bytes = encode_reply(p, rep);
    if (race_before_) {
        race_held_.insert(race_held_.end(), bytes.begin(), bytes.end());
        race_held_before_ = *race_before_;
        return;
    }
    unsolicited_.insert(unsolicited_.end(), bytes.begin(), bytes.end());
    if (poke_) poke_();
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
    if (r.kind == RequestKind::ListBoards) {
        // Every present board answers with its state, one after the other (the simulator does
        // not model two boards talking at once; a real bus would need them to take turns).
        std::vector<std::uint8_t> all;
        for (auto& b : boards_) {
            if (b.missing) continue;
            auto f = state_frame(
                b, b.how.kerong_state_cmd == 0x30 ? std::uint8_t{0x35} : b.how.kerong_state_cmd, 1);
            all.insert(all.end(), f.begin(), f.end());
        }
        if (no_reply_) return {};
        return all;
    }
    Board* b = board(r.board);
    if (!b || b->missing) return {};
    std::vector<std::uint8_t> out;
    switch (r.kind) {
        case RequestKind::Unlock: {
            if (r.channel < 1 || static_cast<std::size_t>(r.channel) > b->ch.size()) return {};
            pulse(*b, r.channel);
            if (lose_unlock_replies_) return {};
            if (p.framing == Framing::StxEtxSum) {
                if (b->how.kerong_unlock == Behaviour::KerongUnlock::None) return {};
                if (b->how.kerong_unlock == Behaviour::KerongUnlock::Ack) {
                    out = encode_reply(p, Reply{ReplyKind::Ack, r.board, r.channel});
                } else {
                    out = state_frame(*b, b->how.kerong_unlock_cmd, r.channel);
                }
                break;
            }
            Reply rep{ReplyKind::LockStatus, r.board, r.channel,
                      raw_lock(b->ch[static_cast<std::size_t>(r.channel - 1)])};
            rep.header = b->how.unlock_header;
            out = encode_reply(p, rep);
            break;
        }
        case RequestKind::UnlockAll:
            for (int ch = 1; ch <= static_cast<int>(b->ch.size()); ++ch) pulse(*b, ch);
            return {};
        case RequestKind::SetPulseTime:
            b->pulse_ms = r.value;
            [[fallthrough]];
        case RequestKind::QueryPulseTime: {
            Reply rep{ReplyKind::PulseTime, r.board};
            rep.value = b->pulse_ms;
            out = encode_reply(p, rep);
            break;
        }
        case RequestKind::ListBoards:
            break;  // answered above
        case RequestKind::QueryLock: {
            if (r.channel < 1 || static_cast<std::size_t>(r.channel) > b->ch.size()) return {};
            Reply rep{ReplyKind::LockStatus, r.board, r.channel,
                      raw_lock(b->ch[static_cast<std::size_t>(r.channel - 1)])};
            out = encode_reply(p, rep);
            break;
        }
        case RequestKind::QueryBoard:
            if (p.framing == Framing::StxEtxSum) {
                out = state_frame(*b, b->how.kerong_state_cmd, 1);
                break;
            }
            {
                Reply rep{ReplyKind::BoardStatus, r.board};
                for (const auto& c : b->ch) rep.lock_bits.push_back(raw_lock(c));
                out = encode_reply(p, rep);
            }
            break;
        case RequestKind::QueryAddress:
            break;
    }
    if (no_reply_) return {};
    out = mangle(std::move(out));
    if (!race_held_.empty() && !out.empty()) {  // the held door report races this reply
        if (race_held_before_)
            out.insert(out.begin(), race_held_.begin(), race_held_.end());
        else
            out.insert(out.end(), race_held_.begin(), race_held_.end());
        race_held_.clear();
    }
    return out;
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
                door_shut(b, static_cast<int>(&c - b.ch.data()) + 1);
            } else if (!next || *c.auto_close_at < *next) {
                next = c.auto_close_at;
            }
        }
    }
    return next;
}

void LockerSim::close_door(int board_addr, int channel) {
    std::lock_guard lock(mu_);
    if (find(board_addr, channel)) door_shut(*board(board_addr), channel);
}
void LockerSim::set_sensor_stuck(int board_addr, int channel, std::optional<bool> open) {
    std::lock_guard lock(mu_);
    if (auto* c = find(board_addr, channel)) c->stuck = open;
}
void LockerSim::set_unlock_reply(int board_addr, bool on) {
    std::lock_guard lock(mu_);
    if (auto* b = board(board_addr)) {
        if (!on)
            b->how.kerong_unlock = Behaviour::KerongUnlock::None;
        else if (b->how.kerong_unlock == Behaviour::KerongUnlock::None)
            b->how.kerong_unlock = Behaviour::KerongUnlock::State;
    }
}
void LockerSim::set_report_race(std::optional<bool> before) {
    std::lock_guard lock(mu_);
    race_before_ = before;  // a report already held still rides on the next reply
}
std::vector<std::uint8_t> LockerSim::take_unsolicited() {
    std::lock_guard lock(mu_);
    std::vector<std::uint8_t> out;
    out.swap(unsolicited_);
    return out;
}
void LockerSim::set_poke(std::function<void()> f) {
    std::lock_guard lock(mu_);
    poke_ = std::move(f);
}
int LockerSim::pulse_time_ms(int board_addr) const {
    std::lock_guard lock(mu_);
    for (const auto& b : boards_)
        if (b.spec.address == board_addr) return b.pulse_ms;
    return 0;
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
