// One RS485 bus (serial or TCP gateway) carrying several lock-control boards of one dialect.
//
// Implements the request/reply timing of ../shared/reference/locker-boards.md: one request at a
// time, the reply awaited up to the dialect's timeout (1.5 s), frames delimited by their shape
// and, where that is ambiguous, by line silence (25 ms); input drained before each request so a
// late reply to an earlier request is not taken for the next one. Queries are retried (field
// reports: garbled replies); an unlock is NEVER retried: if its reply is lost the caller keeps
// watching the door by polling.
//
// What the field does (docs/drivers/locker.md, "What the field does"), and how it is handled:
//  - Kerong boards that answer an unlock (31) with a frame, and boards that do not: the reply is
//    awaited per the bus's UnlockReply setting (auto: learned per board), read, checked and
//    returned as the first evidence of the pulse; a late one is recognised by its shape (31, or
//    a state frame for a lock address) and never taken for the reply to a query.
//  - Kerong replies with the command byte of the request or of the reply family, or with the
//    "all data" byte: accepted and counted per variant (variants()); a bad checksum, a bad frame
//    or a reply from another address is refused.
//  - 8A/80 "81" boards: the 81 unlock reply is accepted; an unsolicited 81 door report is never
//    taken for the reply to a pending query: it is handed to on_report (and counted), whether it
//    arrives during an exchange, between exchanges (drained before the next request) or while
//    the caller listens (listen()).
// Not implemented: address clash detection (two boards answering the same address shows up as
// garbled replies and is reported as such).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/transport.hpp"
#include "locker/bank.hpp"
#include "locker/codec.hpp"

namespace kiosk::locker {

enum class BusError { None, NoReply, Garbled, Transport, BadRequest };
const char* to_string(BusError e);

struct BoardRead {
    std::vector<bool> lock_raw;  // index 0 = channel 1
    std::vector<bool> item_raw;  // empty when the dialect has no item sensors
};

struct UnlockResult {
    BusError error = BusError::None;
    bool replied = false;    // the board answered the unlock (8A/80 always; Kerong: some)
    bool lock_raw = false;   // the reply's raw lock state after the pulse (if it carries one)
    bool has_state = false;  // the reply carried the lock state (a bare Kerong ack does not)
    BoardRead state;         // Kerong state-shaped reply: the whole board after the pulse
};

// An unsolicited door report (8A/80 81 family): raw lock state of one channel, as received.
struct DoorReport {
    int board = 0;
    int channel = 0;
    bool lock_raw = false;
};

class BoardBus {
  public:
    BoardBus(std::unique_ptr<drivers::Transport> transport, const DialectProfile& dialect,
             std::chrono::milliseconds reply_timeout = {}, std::chrono::milliseconds silence = {},
             int query_retries = 2, UnlockReply unlock_reply = UnlockReply::Auto);

    const DialectProfile& dialect() const { return *p_; }
    std::string describe() const { return t_ ? t_->describe() : "(none)"; }

    // channels: how many the board has (decides the expected reply length for dialect A).
    BusError query_board(int board, int channels, BoardRead& out);
    // One lock (dialect A asks for it; dialect B reads the board and picks the bit).
    BusError query_lock(int board, int channel, bool& raw);
    UnlockResult unlock(int board, int channel);
    // Every lock of one board (8A ADDR 00 11 / Kerong 33). No reply is documented: fire and
    // forget. Staff only: the service journals every compartment first (LockerService).
    BusError unlock_all(int board);
    // Kerong 32 to the broadcast address: every board on the bus answers with its state; the
    // boards heard before the line falls silent (addresses, ascending). Dialect A has no listing:
    // probe_boards() asks each address in turn instead.
    BusError list_boards(std::vector<int>& boards);
    // Asks each address in [first, last] for its state (one query each, no retries): the boards
    // that answer. Slow (a silent address costs one reply timeout), for the service menu.
    std::vector<int> probe_boards(int first, int last, int channels);
    // Kerong 37: the unlock pulse time in ms (0..60000, 10 ms steps; kerongDocs: 500 ms for
    // electromagnetic locks, 1000 ms for servo locks). The board answers with 38 HI LO.
    BusError set_pulse_time(int board, int ms, int& confirmed_ms);
    BusError query_pulse_time(int board, int& ms);
    // Reads the line for unsolicited reports for up to `timeout` (or until wake_fd, if >= 0 and
    // the transport can wait on it). Returns how many reports were handed to on_report, or -1
    // at once when the link is down (the caller then waits some other way).
    int listen(std::chrono::milliseconds timeout, int wake_fd = -1);
    bool can_wake() const { return t_ && t_->can_wake(); }

    // Called right after an unlock frame has been handed to the transport (bench, traces).
    std::function<void()> on_unlock_written;
    // Called (on the caller's thread) for every unsolicited door report.
    std::function<void(const DoorReport&)> on_report;

    // Counters for diagnostics.
    std::uint64_t garbage_bytes() const { return reader_.discarded(); }
    // Each reply variant seen, e.g. "kerong state 35", "kerong state 30", "kerong unlock reply
    // 31", "kerong unlock ack", "kerong unlock silent", "8a80 unlock reply 81", "8a80 report 81",
    // "reply from another address".
    const std::map<std::string, std::uint64_t>& variants() const { return variants_; }

  private:
    BusError ensure_open();
    BusError send(const std::vector<std::uint8_t>& frame);
    // Reads until a reply satisfying `want` arrives, the line is silent after garbage, or the
    // timeout passes. Unsolicited reports met on the way go to on_report.
    BusError await(Expect e, const std::function<bool(const Reply&)>& want, Reply& out,
                   std::chrono::milliseconds timeout = {});
    // Takes every complete frame out of the reader: reports are dispatched, others counted.
    void dispatch_unwanted(const Reply& r);
    void drain();  // before a request: whatever is pending is read (reports kept), then dropped
    void count(const std::string& what) { ++variants_[what]; }
    bool accept_state(const Reply& x, int board) const;

    std::unique_ptr<drivers::Transport> t_;
    const DialectProfile* p_;
    std::chrono::milliseconds reply_timeout_;
    std::chrono::milliseconds silence_;
    int query_retries_;
    UnlockReply unlock_reply_;
    std::map<int, bool> answers_unlock_;  // Kerong, UnlockReply::Auto: learned per board
    FrameReader reader_;
    std::map<std::string, std::uint64_t> variants_;
};

}  // namespace kiosk::locker
