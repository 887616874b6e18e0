// Locker-bank simulator: lock-control boards on one RS485 bus, speaking the real wire dialects.
//
// Models ../shared/reference/locker-boards.md: dialect A ("8A/80", replies to unlock and query)
// and dialect B (Kerong CU16: board state with item sensors), and the board behaviours public
// clients show (docs/drivers/locker.md): per board, an 8A/80 unlock reply with the 8A, 80 or 81
// header and the 81 family's unsolicited door report when a door shuts; a Kerong unlock answered
// with nothing, a state frame (35 or 31) or a bare ack; a Kerong state reply carrying 35, 30 or
// 36; Kerong 32 (list boards) and 37 (pulse time). Named sets of these are the variants
// (variants(), `locker-sim --variant NAME`). Several boards share
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
#include <string_view>
#include <vector>

#include "locker/codec.hpp"

namespace kiosk::locker::sim {

// How a board answers (what differs between boards of one family in the field).
struct Behaviour {
    // 8A/80: the unlock reply's header (0x8A reference, 0x80 vendor note, 0x81 "81 family").
    std::uint8_t unlock_header = 0x8A;
    bool door_reports = false;  // 8A/80 81 family: "81 ADDR CH 00 BCC" sent when a door shuts
    // Kerong: how an unlock (31) is answered: not at all, a state frame with the given command
    // byte (0x35 or 0x31) and the lock's address, or a bare 5-byte ack (0x01).
    enum class KerongUnlock { None, State, Ack } kerong_unlock = KerongUnlock::None;
    std::uint8_t kerong_unlock_cmd = 0x35;
    std::uint8_t kerong_state_cmd = 0x35;  // state reply byte: 0x35 reference, 0x30, 0x36
};

struct BoardSpec {
    int address = 1;
    int channels = 16;
    bool item_sensors = false;
    std::optional<Behaviour> behaviour{};  // nullopt: the configuration's
};

struct SimConfig {
    const DialectProfile* dialect = nullptr;
    std::vector<BoardSpec> boards;
    // The bank's wiring (what the driver is configured for). nullopt: the dialect's field
    // default (Kerong: a set lock bit = closed; 8A/80: set = open), as the driver assumes.
    std::optional<bool> door_open_reads_set{};
    bool item_present_reads_set = true;
    std::chrono::milliseconds reply_delay{0};  // real boards: 0.5–1 s
    Behaviour behaviour{};                     // every board's, unless its spec says otherwise
};

// A named board behaviour (`locker-sim --variant NAME`).
struct Variant {
    const char* name;
    const char* dialect;  // profile name
    Behaviour behaviour;
    const char* what;  // one line for --help and the docs
};
const std::vector<Variant>& variants();
const Variant* find_variant(std::string_view name);

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
    // The door sensor of one channel reads `open` whatever the door does (nullopt: works).
    void set_sensor_stuck(int board, int channel, std::optional<bool> open);
    // Per board: does a Kerong board answer an unlock (with its behaviour's reply, or a 35 state
    // frame if it had none)?
    void set_unlock_reply(int board, bool on);
    // 81 family: hold the next door report and send it glued to the next reply, in front of it
    // (before = true) or behind it -- an unsolicited report racing a poll. nullopt: reports go
    // out at once again (one already held still rides on the next reply).
    void set_report_race(std::optional<bool> before);
    // Bytes the boards send on their own (door reports); the server writes them to every link.
    std::vector<std::uint8_t> take_unsolicited();
    // Called when unsolicited bytes are queued (the server wakes up to send them).
    void set_poke(std::function<void()> f);
    int pulse_time_ms(int board) const;  // Kerong 37
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
        std::optional<bool> stuck;  // the sensor reads this whatever the door does
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
        Behaviour how;
        bool missing = false;
        int pulse_ms = 500;  // kerongDocs: 500 ms for electromagnetic locks
        std::vector<Channel> ch;
    };
    Channel* find(int board, int channel);
    const Channel* find(int board, int channel) const;
    Board* board(int address);
    std::vector<std::uint8_t> handle(const Request& r);  // caller holds mu_
    void pulse(Board& b, int channel);
    bool raw_lock(const Channel& c) const;
    std::vector<std::uint8_t> mangle(std::vector<std::uint8_t> reply);
    std::vector<std::uint8_t> state_frame(const Board& b, std::uint8_t cmd, int channel) const;
    void door_shut(Board& b, int channel);  // caller holds mu_: queue the 81 report
    bool door_open_reads_set() const;

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
    std::vector<std::uint8_t> unsolicited_;
    std::vector<std::uint8_t> race_held_;
    std::optional<bool> race_before_;
    bool race_held_before_ = true;
    std::function<void()> poke_;
    std::optional<std::chrono::milliseconds> auto_hold_;
    std::function<void(int, int)> on_unlock_;
    int requests_ = 0;
    std::uint32_t rng_ = 0x12345678u;
};

}  // namespace kiosk::locker::sim
