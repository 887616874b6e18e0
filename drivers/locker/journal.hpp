// The locker operation journal: one SQLite row per operation, moved forward step by step.
//
//   intent → unlock_sent → opened → closed → reported
//
// Each step is committed BEFORE the kiosk acts on it, so after a crash or power loss the row
// says the most that may have happened: an operation at `intent` never fired its relay; one at
// `unlock_sent` may have (and is never fired again); `closed` holds the outcome and the
// compartment's new inventory in the same transaction; `reported` means the outbox/backend has it.
// The row's key is the operation's idempotency key, which the report carries, so a report
// repeated after a crash is recognised by the receiver.
//
// Durability (WAL): the commits that protect against a doubled opening or a changed outcome are
// synchronous=FULL (fsync of the WAL before we act): unlock_sent and closed. The others are
// synchronous=NORMAL: losing them only replays a step that recovery re-derives from the doors.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "locker/bank.hpp"

namespace SQLite {
class Database;
}

namespace kiosk::locker {

enum class OpKind { Pickup = 1, Deposit = 2, StaffOpen = 3 };
enum class Step { Intent = 0, UnlockSent = 1, Opened = 2, Closed = 3, Reported = 4 };
enum class Outcome {
    None = 0,
    Completed = 1,  // pickup: door opened and closed (item gone where sensed); deposit: likewise
                    // with an item present where sensed; staff: door opened and closed
    NoChange = 2,   // door opened and closed but the item sensor shows nothing changed
    Jammed = 3,     // fired, no opening seen: compartment marked faulty
    NoReply = 4,    // the board did not answer the read before firing: never fired
    Cancelled = 5,  // never fired (found at `intent` after a restart, or refused before firing)
    Uncertain = 6,  // may have fired during a crash; doors and sensors cannot tell: staff check
};
const char* to_string(OpKind k);
const char* to_string(Step s);
const char* to_string(Outcome o);

struct OpRecord {
    std::string key{};  // idempotency key
    OpKind kind = OpKind::Pickup;
    int compartment = 0;
    Step step = Step::Intent;
    Outcome outcome = Outcome::None;
    int item_before = -1;         // -1 unknown, 0 absent, 1 present (read before firing)
    bool fired = false;           // an unlock frame was (or may have been) sent
    std::int64_t created_ms = 0;  // wall clock, for reports and retention
    std::int64_t updated_ms = 0;
    // A pickup fired although the door sensor read "open" before the pulse (the door may have
    // been shut on a broken sensor, or shut but unlatched): journaled with unlock_sent.
    bool sensor_open_before = false;
};

struct InventoryRow {
    Inventory inventory = Inventory::Free;
    bool faulty = false;
    // When the inventory last changed (retention). Writing: 0 = now (kept when the inventory did
    // not change); > 0 = that time (seeding a wall, moving a journal).
    std::int64_t since_ms = 0;
};

enum class Sync { Full, Normal };

class Journal {
  public:
    ~Journal();
    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;

    // Opens or creates the file (WAL). nullptr and an error text on failure.
    static std::unique_ptr<Journal> open(const std::string& path, std::string* error,
                                         const char* vfs = nullptr);

    // Inserts a new operation at `intent`. False if the key already exists (idempotent callers
    // then look the existing row up) or on a database error.
    bool add_intent(const OpRecord& r, Sync s, std::optional<InventoryRow> inv = std::nullopt);
    std::optional<OpRecord> find(std::string_view key);

    // Moves an operation forward (never backwards: a stale step is ignored and returns true).
    // `inv` (compartment inventory) is written in the same transaction.
    // sensor_open_before: set (never cleared) the "sensor said open before the pulse" mark.
    bool advance(std::string_view key, Step to, Outcome outcome, Sync s,
                 std::optional<InventoryRow> inv = std::nullopt,
                 std::optional<int> item_before = {}, bool sensor_open_before = false);

    std::vector<OpRecord> unfinished();  // step < reported, oldest first
    std::vector<OpRecord> all();         // oldest first

    bool set_inventory(int compartment, InventoryRow row, Sync s);
    std::map<int, InventoryRow> inventory();

    // Counters for the benchmark and tests.
    std::uint64_t commits_full() const { return commits_full_; }
    std::uint64_t commits_normal() const { return commits_normal_; }
    const std::string& last_error() const { return last_error_; }

  private:
    Journal() = default;
    bool exec(const char* sql);
    bool begin(Sync s);
    bool commit(Sync s);
    void rollback();
    bool write_inventory(int compartment, const InventoryRow& row);
    std::vector<OpRecord> select(const char* where);

    std::mutex mu_;
    std::unique_ptr<SQLite::Database> db_;
    std::optional<Sync> current_sync_;
    std::uint64_t commits_full_ = 0;
    std::uint64_t commits_normal_ = 0;
    std::string last_error_;
};

std::int64_t wall_ms();

}  // namespace kiosk::locker
