// Locker operations: pickups, deposits and staff openings over the buses, journaled step by step.
//
// Follows "How working locker systems run" in ../shared/reference/locker-boards.md:
//  - the door is read before firing: already open (nothing fired), opened, or jammed (no opening
//    within open_detect) → compartment faulty, the caller offers another way;
//  - an unlock is never retried; a lost reply only means the door is watched by polling;
//  - unlocks jump ahead of polls; a fast open-and-close between two polls is caught from the
//    unlock reply (dialect A) or the item sensor having changed;
//  - a door that opens with no unlock of ours raises a tamper alarm; a door left open raises an
//    alarm after left_open_alarm;
//  - staff can fire a relay regardless of what the sensor says (a broken cable reads "open");
//  - a citizen's pickup is never refused because the sensor reads "open" (the door may be shut
//    on a broken sensor, or shut but unlatched): the pulse is fired anyway, the journal records
//    "sensor said open before the pulse", a SensorAlert asks for maintenance, and the pickup
//    still completes exactly once;
//  - an unsolicited door report (8A/80 "81" family) updates the door at once and settles a
//    watched operation, better evidence than the next poll; buses configured with
//    reports = true are listened to between polls;
//  - start-up: nothing is fired, every door is re-read, and the journal's operations in flight
//    are reconciled (see journal.hpp and docs/drivers/locker.md for the rules).
// Reports reach the backend through OperationReporter (the outbox); each carries the
// operation's idempotency key, and a report is retried until accepted.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/transport.hpp"
#include "locker/bank.hpp"
#include "locker/board_bus.hpp"
#include "locker/journal.hpp"

namespace kiosk::locker {

struct OperationReport {
    std::string key{};  // idempotency key: the receiver must treat a repeat as the same report
    OpKind kind = OpKind::Pickup;
    int compartment = 0;
    Outcome outcome = Outcome::None;
    std::int64_t created_ms = 0;
    std::int64_t settled_ms = 0;
};

// Where settled operations go: the backend helper's outbox append, or a test receiver.
class OperationReporter {
  public:
    virtual ~OperationReporter() = default;
    // True once the report is durably accepted (outbox row committed, or backend 2xx). False:
    // retried later with the same key. Called on the service thread between door polls, so it
    // should be a local append (the outbox), not a network round trip.
    virtual bool report(const OperationReport& r) = 0;
};

struct LockerEvent {
    enum class Type {
        UnlockSent,   // the unlock frame is on the wire
        AlreadyOpen,  // the door read open before firing: nothing fired
        Opened,
        OpenedAndClosed,  // a fast open-and-close fell between two polls
        Closed,           // settled: see outcome
        Jammed,           // fired, no opening: compartment faulty, offer another way
        NoReply,          // the board did not answer the read before firing: never fired
        LeftOpen,         // alarm: open longer than left_open_alarm
        Tamper,           // alarm: opened with no unlock of ours
        BoardOffline,
        BoardOnline,
        Reported,
        SensorAlert,  // maintenance: the door sensor read open before a pickup's pulse
    };
    Type type = Type::Opened;
    std::string key{};    // empty for alarms and board events
    int compartment = 0;  // 0 for board events
    Outcome outcome = Outcome::None;
    int bus = 0;    // board events
    int board = 0;  // board events
};
const char* to_string(LockerEvent::Type t);

// Which boards answer on each bus (LockerService::find_boards, for the service menu): a board the
// configuration names that does not answer is a cable, address switch or power fault; one that
// answers but is not configured is a board set to the wrong address or a bank left out.
struct BoardsFound {
    struct Bus {
        std::size_t bus = 0;
        std::string name, dialect, link;  // the bus's name, dialect and transport
        std::string method;               // "list" (Kerong 32) or "probe" (one query per address)
        int probed_from = 0, probed_to = 0;  // "probe": the addresses asked
        std::vector<int> configured;         // boards the configuration names on this bus
        std::vector<int> answering;          // boards that answered, ascending
        BusError error = BusError::None;     // of the listing (NoReply: nobody answered)
    };
    std::vector<Bus> buses;
};

struct ServiceOptions {
    // Builds a bus's transport from its URI; default: drivers::make_transport.
    std::function<std::unique_ptr<drivers::Transport>(const BusConfig&)> make_transport;
    // Tests only: called at named points (see docs) so a crash test can die exactly there.
    std::function<void(const char* point)> crash_point;
    // Bench: called on the service thread right after an unlock frame is written.
    std::function<void(int compartment)> on_unlock_written;
};

class LockerService {
  public:
    LockerService(LockerConfig cfg, Journal& journal, OperationReporter& reporter,
                  ServiceOptions options = {});
    ~LockerService();
    LockerService(const LockerService&) = delete;
    LockerService& operator=(const LockerService&) = delete;

    // Called on the service thread; must not block long (post it to the core's queue).
    void set_event_handler(std::function<void(const LockerEvent&)> handler);

    // Start-up failsafe + reconciliation, then the service thread. False if no journal.
    bool start();
    void stop();

    enum class Admit {
        Accepted,
        Duplicate,  // the key is already journaled: nothing new happens
        NoSuchCompartment,
        NotAvailable,  // faulty, unknown, busy, or no free compartment of that size
        WrongState,    // pickup from a compartment that is not occupied, deposit into a used one
        JournalError,
    };
    Admit start_pickup(const std::string& key, int compartment);
    Admit start_deposit(const std::string& key, int compartment);
    // Deposit into the smallest free compartment of at least `min`; the chosen number is returned.
    Admit start_deposit(const std::string& key, Size min, int& chosen);
    // Staff: fire the relay whatever the sensor says (a faulty compartment included).
    Admit staff_open(const std::string& key, int compartment);
    // Staff: open every compartment of one board (the field's "open all"). Only a staff
    // operation: each compartment becomes its own journaled StaffOpen operation (key
    // "<key>#<number>", reported like staff_open: the audit trail), fired one by one after its
    // unlock_sent is durable -- not with the board's single open-all frame, which could not be
    // journaled per door. Compartments with an operation running are skipped. Returns how many
    // were admitted (0: no such board, or a journal error).
    int staff_open_all(const std::string& key, int bus, int board);
    // Staff: which boards answer on each bus. Kerong buses are listed with 32 to the broadcast
    // address (every board answers with its state); 8A/80 buses have no listing, so every
    // address from the dialect's lowest to the highest configured + 2 is asked once (a silent
    // address costs one reply timeout). Runs on the service thread when no door is being fired
    // or watched; `done` is called there with the result. False (and `done` is not called): a
    // search is already queued, or the service is not running.
    bool find_boards(std::function<void(BoardsFound)> done);
    // Staff: the compartment was checked; clears faulty and sets its inventory.
    bool staff_clear(int compartment, Inventory inventory);
    // Staff: take a compartment out of service (faulty = true: no pickup or deposit chooses it)
    // or put it back (false: repaired; the inventory stays what the journal says, a reservation
    // left by an unfinished deposit becomes free). Durable. False: no such compartment, an
    // operation on it is still running, or the journal could not be written.
    bool staff_set_faulty(int compartment, bool faulty);

    CompartmentState state(int compartment) const;
    struct CompartmentView {
        int number = 0;
        Size size = Size::M;
        CompartmentState state = CompartmentState::Unknown;
    };
    // Every compartment, for the staff screen and the heartbeat.
    std::vector<CompartmentView> snapshot() const;
    // Occupied for longer than `retention`: staff should take these back to the counter.
    std::vector<int> overdue(std::chrono::milliseconds retention) const;
    std::optional<OpRecord> operation(const std::string& key) { return journal_.find(key); }
    // No fire queued, no door being watched, no report outstanding.
    bool idle() const;
    // Per bus: every reply variant the boards sent (BoardBus::variants()), for the diagnostics.
    // Only call while the service is stopped or from its event handler (service thread data);
    // diagnostics() copies under the lock and is safe from any thread.
    std::vector<std::map<std::string, std::uint64_t>> diagnostics() const;

  private:
    struct Active {
        OpRecord rec;
        bool evidence = false;  // unlock reply said open / item changed: it did open
        std::chrono::steady_clock::time_point open_deadline{};
        std::chrono::steady_clock::time_point opened_at{};
        bool left_open_alarmed = false;
        bool recovered = false;    // found in flight in the journal at start-up
        bool sensor_open = false;  // pickup fired although the sensor read open
    };
    struct BoardKey {
        std::size_t bus;
        int board;
        auto operator<=>(const BoardKey&) const = default;
    };

    void run();
    void fire(OpRecord rec);
    void poll_active();
    void scan_all();
    void report_pending();
    bool read_board(BoardKey b);
    void evaluate(Active& a, std::vector<std::string>& done);
    void settle(const OpRecord& rec, Outcome forced = Outcome::None);
    void reconcile();
    void apply_report(std::size_t bus, const DoorReport& r);  // service thread, mu_ not held
    void wait_idle_until(std::chrono::steady_clock::time_point until);
    void emit(LockerEvent e);  // queued; delivered by flush_events() with mu_ not held
    void flush_events();
    void crash(const char* point) {
        if (options_.crash_point) options_.crash_point(point);
    }
    BoardKey board_of(int compartment) const;
    int channels_on(BoardKey b) const;
    Admit admit(const std::string& key, OpKind kind, int compartment);

    Bank bank_;  // guarded by mu_
    Journal& journal_;
    OperationReporter& reporter_;
    ServiceOptions options_;
    std::vector<std::unique_ptr<BoardBus>> buses_;
    std::vector<std::map<std::string, std::uint64_t>> diag_;  // guarded by mu_ (copy of variants)
    int wake_fd_ = -1;  // eventfd: a queued unlock wakes a bus listener at once

    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<OpRecord> to_fire_;               // guarded by mu_
    std::map<std::string, Active> active_;       // guarded by mu_ (key → watch)
    std::set<int> busy_;                         // compartments with an unsettled operation
    std::map<std::string, OpRecord> to_report_;  // guarded by mu_
    std::map<BoardKey, bool> board_online_;      // service thread only
    std::map<int, bool> tamper_raised_;          // service thread only
    std::function<void(const LockerEvent&)> handler_;
    std::mutex ev_mu_;
    std::vector<LockerEvent> events_;               // guarded by ev_mu_
    bool firing_ = false;                           // guarded by mu_
    std::function<void(BoardsFound)> find_boards_;  // guarded by mu_: a queued search
    BoardsFound search_boards();                    // service thread
    std::atomic<bool> running_{false};
    std::thread thread_;
    std::chrono::steady_clock::time_point next_scan_{}, next_report_{}, next_poll_{};
};

}  // namespace kiosk::locker
