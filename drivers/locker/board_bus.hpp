// One RS485 bus (serial or TCP gateway) carrying several lock-control boards of one dialect.
//
// Implements the request/reply timing of ../shared/reference/locker-boards.md: one request at a
// time, the reply awaited up to the dialect's timeout (1.5 s), frames delimited by their shape
// and, where that is ambiguous, by line silence (25 ms); input flushed before each request so a
// late reply to an earlier request is not taken for the next one. Queries are retried (field
// reports: garbled replies); an unlock is NEVER retried: if its reply is lost the caller keeps
// watching the door by polling. Not implemented: address clash detection (two boards answering
// the same address shows up as garbled replies and is reported as such).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "common/transport.hpp"
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
    bool replied = false;   // dialect A answers an unlock; B never does
    bool lock_raw = false;  // the reply's raw lock state after the pulse
};

class BoardBus {
  public:
    BoardBus(std::unique_ptr<drivers::Transport> transport, const DialectProfile& dialect,
             std::chrono::milliseconds reply_timeout = {}, std::chrono::milliseconds silence = {},
             int query_retries = 2);

    const DialectProfile& dialect() const { return *p_; }
    std::string describe() const { return t_ ? t_->describe() : "(none)"; }

    // channels: how many the board has (decides the expected reply length for dialect A).
    BusError query_board(int board, int channels, BoardRead& out);
    // One lock (dialect A asks for it; dialect B reads the board and picks the bit).
    BusError query_lock(int board, int channel, bool& raw);
    UnlockResult unlock(int board, int channel);
    BusError unlock_all(int board);

    // Called right after an unlock frame has been handed to the transport (bench, traces).
    std::function<void()> on_unlock_written;

    // Counters for diagnostics.
    std::uint64_t garbage_bytes() const { return reader_.discarded(); }

  private:
    BusError ensure_open();
    BusError send(const std::vector<std::uint8_t>& frame);
    // Reads until a reply satisfying `want` arrives, the line is silent after garbage, or the
    // timeout passes.
    BusError await(Expect e, const std::function<bool(const Reply&)>& want, Reply& out);

    std::unique_ptr<drivers::Transport> t_;
    const DialectProfile* p_;
    std::chrono::milliseconds reply_timeout_;
    std::chrono::milliseconds silence_;
    int query_retries_;
    FrameReader reader_;
};

}  // namespace kiosk::locker
