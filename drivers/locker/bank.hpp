// The locker bank model: which compartments exist, where they are wired, and their live state.
//
// Built from configuration (TOML, see docs/drivers/locker.md):
//
//   [locker]
//   journal = "/var/lib/kiosk/locker.db"
//   [[locker.bus]]            name, uri (a transport URI), dialect ("8a80" | "kerong-cu16"),
//                             unlock_reply ("auto" | "yes" | "no", Kerong: does the board answer
//                             an unlock), reports (bool: 8A/80 boards that send unsolicited 81
//                             door reports; the service then listens between polls)
//   [[locker.bank]]           name, bus, door_open_when ("set" | "clear", default: the
//                             dialect's field default),
//                             item_sensors (bool), item_present_when ("set" | "clear"),
//                             board_channels (locks per board as built, optional),
//                             compartments = [ {number, board, channel, size}, ... ]
//                             ranges = [ {first, board, channels = [from, to], size}, ... ]
//
// Polarity is per bank because it depends on how the feedback switches are wired (reference:
// "make every polarity a setting"); when a bank does not say, the dialect's field default applies
// (Kerong CU16: a set lock bit = closed; 8A/80: set = open).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "locker/profile.hpp"

namespace kiosk::locker {

enum class Size { S, M, L, XL };
const char* to_string(Size s);
std::optional<Size> size_from_string(std::string_view s);

// The state a person, the core or staff sees. Inventory (free/reserved/occupied) is durable (in
// the journal); open/faulty/unknown are what the hardware says now and override it.
enum class CompartmentState { Free, Reserved, Occupied, Open, Faulty, Unknown };
const char* to_string(CompartmentState s);

enum class Inventory { Free, Reserved, Occupied };
enum class Door { Unknown, Closed, Open };
enum class Item { Unknown, Absent, Present };

// Does a board answer an unlock? Auto: wait for a reply once per board, then only when the board
// has been seen answering (a late reply is still recognised by its shape, never taken for the
// reply to a query).
enum class UnlockReply { Auto, Yes, No };

struct BusConfig {
    std::string name;
    std::string uri;
    const DialectProfile* dialect = nullptr;
    UnlockReply unlock_reply = UnlockReply::Auto;
    bool reports = false;  // boards send unsolicited door reports (8A/80 "81" family)
};

struct BankConfig {
    std::string name;
    std::size_t bus = 0;  // index into LockerConfig::buses
    // Raw lock bit set (0x11 / 1) means "door open". Default: the dialect's field default.
    bool door_open_when_set = true;
    bool item_sensors = false;
    bool item_present_when_set = true;
    // Locks per board as built (0: the highest configured channel). It decides how long the
    // 8A/80 board-status reply is expected to be; set it when the last channels are unused.
    int board_channels = 0;
};

struct CompartmentConfig {
    int number = 0;        // what people and the backend call it; unique
    std::size_t bank = 0;  // index into LockerConfig::banks
    int board = 0;         // wire address on its bus
    int channel = 0;       // 1-based
    Size size = Size::M;
};

struct Timing {
    std::chrono::milliseconds poll_interval{200};  // door polls while an operation runs
    std::chrono::milliseconds idle_scan{1000};     // every door, for tamper and reconciliation
    std::chrono::milliseconds open_detect{1500};   // no opening seen within → jammed
    std::chrono::milliseconds left_open_alarm{120000};
    std::chrono::milliseconds reply_timeout{0};  // 0: the dialect's (1.5 s)
    std::chrono::milliseconds silence_gap{0};    // 0: the dialect's (25 ms)
    int query_retries = 2;                       // queries only: an unlock is never retried
    std::chrono::milliseconds report_retry{2000};
};

struct LockerConfig {
    std::string journal_path;
    std::vector<BusConfig> buses;
    std::vector<BankConfig> banks;
    std::vector<CompartmentConfig> compartments;  // sorted by number
    Timing timing;
};

// Parses and validates; on failure returns nullopt and a readable error (never throws).
std::optional<LockerConfig> parse_locker_config(std::string_view toml_text, std::string* error);

// Live model of every compartment. Not thread-safe: owned by the locker service's thread.
class Bank {
  public:
    explicit Bank(LockerConfig cfg);

    const LockerConfig& config() const { return cfg_; }
    const CompartmentConfig* find(int number) const;
    const BankConfig& bank_of(int number) const;

    CompartmentState state(int number) const;
    Inventory inventory(int number) const;
    Door door(int number) const;
    Item item(int number) const;
    bool faulty(int number) const;

    // since_ms: wall-clock time the inventory took this value (0: now, if it changed).
    void set_inventory(int number, Inventory v, std::int64_t since_ms = 0);
    std::int64_t inventory_since(int number) const;
    void set_faulty(int number, bool v);
    void set_door(int number, Door d);
    void set_item(int number, Item i);

    // Smallest free, healthy, closed compartment of at least `min` size (deposit rule).
    std::optional<int> choose_free(Size min, const std::vector<int>& exclude = {}) const;

    // Polarity: raw bits → meaning.
    Door door_from_raw(int number, bool raw_bit) const;
    Item item_from_raw(int number, bool raw_bit) const;
    bool raw_for_door(std::size_t bank, Door d) const;  // for simulators / tests

    std::vector<int> numbers() const;

  private:
    struct Live {
        Inventory inventory = Inventory::Free;
        std::int64_t since_ms = 0;
        bool faulty = false;
        Door door = Door::Unknown;
        Item item = Item::Unknown;
    };
    LockerConfig cfg_;
    std::map<int, Live> live_;
    std::map<int, std::size_t> index_;
};

}  // namespace kiosk::locker
