// Locker-bank simulator: lock-control boards on one RS485 bus, speaking the real wire dialects.
//
// Models ../shared/reference/locker-boards.md: dialect A ("8A/80", replies to unlock and query)
// and dialect B (Kerong CU16: silent unlock, board state with item sensors). Several boards share
// the bus; each channel has a door (latch sensor: reads open from the unlock pulse until pushed
// shut) and optionally an item (infrared) sensor. Faults a field bus shows: board missing, lost
// replies, garbled / truncated / noisy replies, jammed doors, doors left open, swapped polarity.
// Doors open only on an unlock (or by "hand" for tamper tests) and are closed by the scenario
// (close_door) or by an automatic person (set_auto_person) that also takes or places the item.
// Thread-safe: the server thread feeds bytes while a test drives the control API.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "locker/codec.hpp"

namespace kiosk::locker::sim {

struct BoardSpec {
    int address = 1;
    int channels = 16;
    bool item_sensors = false;
};

struct SimConfig {
    const DialectProfile* dialect = nullptr;
    std::vector<BoardSpec> boards;
    bool door_open_reads_set = true;  // the bank's wiring (what the driver is configured for)
    bool item_present_reads_set = true;
    std::chrono::milliseconds reply_delay{0};  // real boards: 0.5–1 s
};

enum class Garble { None, Garbled, Truncated, Noise };

class LockerSim {
  public:
    using Clock = std::chrono::steady_clock;
    explicit LockerSim(SimConfig cfg);

    const SimConfig& config() const { return cfg_; }

    // Wire side: bytes from one connection in, reply bytes out (the server sends them after
    // reply_delay). Each connection has its own frame reader.
    std::vector<std::uint8_t> on_bytes(int conn, std::span<const std::uint8_t> in);
    void drop_connection(int conn);
    // Runs the automatic person (closes doors whose hold time is over). Returns when next due.
    std::optional<Clock::time_point> tick(Clock::time_point now);

    // Control API (scenarios and tests).
    void close_door(int board, int channel);
    void open_by_hand(int board, int channel);  // no unlock: the driver must raise tamper
    void set_item(int board, int channel, bool present);
    void set_jammed(int board, int channel, bool jammed);
    void set_hold_open(int board, int channel, bool hold);  // the auto person never closes it
    void set_board_missing(int board, bool missing);
    void set_no_reply(bool on);             // boards act but every reply is lost
    void set_lose_unlock_replies(bool on);  // unlocks act, their replies are lost
    void garble_next(int replies, Garble how);
    void set_swapped_polarity(bool on);  // A/B or feedback switch wired the other way round
    // After an unlock opens a door, wait `hold`, take the item if there is one or place one if
    // not, and push the door shut. nullopt: doors stay open until close_door().
    void set_auto_person(std::optional<std::chrono::milliseconds> hold);
    // Called (on the server thread) when an unlock frame for a present board is decoded.
    void set_on_unlock(std::function<void(int board, int channel)> f);

    bool door_open(int board, int channel) const;
    bool item(int board, int channel) const;
    int pulses(int board, int channel) const;    // unlock pulses received
    int openings(int board, int channel) const;  // times the door actually opened
    int total_pulses() const;
    int requests() const;  // valid request frames decoded

  private:
    struct Channel {
        bool open = false;
        bool item = false;
        bool jammed = false;
        bool hold_open = false;
        int pulses = 0;
        int openings = 0;
        std::optional<Clock::time_point> auto_close_at;
    };
    struct Board {
        BoardSpec spec;
        bool missing = false;
        std::vector<Channel> ch;
    };
    Channel* find(int board, int channel);
    const Channel* find(int board, int channel) const;
    Board* board(int address);
    std::vector<std::uint8_t> handle(const Request& r);  // caller holds mu_
    void pulse(Board& b, int channel);
    bool raw_lock(const Channel& c) const;
    std::vector<std::uint8_t> mangle(std::vector<std::uint8_t> reply);

    SimConfig cfg_;
    mutable std::mutex mu_;
    std::vector<Board> boards_;
    std::map<int, FrameReader> readers_;
    std::map<int, Clock::time_point> last_byte_;  // per connection: the silence rule
    bool no_reply_ = false;
    bool lose_unlock_replies_ = false;
    int garble_left_ = 0;
    Garble garble_ = Garble::None;
    bool swapped_ = false;
    std::optional<std::chrono::milliseconds> auto_hold_;
    std::function<void(int, int)> on_unlock_;
    int requests_ = 0;
    std::uint32_t rng_ = 0x12345678u;
};

}  // namespace kiosk::locker::sim
