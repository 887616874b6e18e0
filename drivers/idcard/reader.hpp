// IdCardReader: the resident ID-card reader (SAM module) as a kiosk device.
//
// Implements (reference: shared/reference/idcard-sam.md): SAM status and SAM id at connect (with
// one SAM reset when the status is neither ok nor a SAM fault), find card polled about once a
// second, and on the edge from "no card" to "card": select, read text+photo (or text+photo+
// fingerprint when configured), then the appended address. A card is read ONCE per placement:
// lifting it and placing it again reads again. Whether "find" keeps succeeding while a read card
// stays on the reader is uncertain in the reference, so after a read a failed find is confirmed
// with a select before the card counts as removed (select_confirms_presence).
// Serial readers (serial:/dev/ttyUSB0) and native-USB readers (usb:0400:c35a) share this code:
// the transport URI decides. Not implemented: the HID vendor envelope (hidraw readers), baud
// switching (60 0n) at runtime.
//
// Events (drain them from the UI thread with poll_events(); never blocks):
//   CardRead{identity}  CardRemoved{}  CardReadFailed{...}  ReaderStatus{status}
// Personal data travels only inside Identity (move-only, wiped on destruction); no log line
// carries it.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <variant>

#include "common/device.hpp"
#include "common/device_manager.hpp"
#include "common/event_queue.hpp"
#include "idcard/codec.hpp"
#include "idcard/identity.hpp"

namespace kiosk::idcard {

struct ReaderOptions {
    bool read_fingerprint = false;                  // 30 10 instead of 30 01
    bool read_appended_address = true;              // 30 03 after a successful read
    std::chrono::milliseconds reply_timeout{2000};  // until a reply's first byte
    std::chrono::milliseconds gap_timeout{500};     // between fragments of one reply
    int read_attempts = 2;  // per placement, before giving up until it is lifted
    bool select_confirms_presence = true;
    int offline_after_timeouts = 3;  // consecutive unanswered finds → Offline
};

// Reads options from a device configuration's map: fingerprint, address, reply_timeout_ms,
// read_attempts, select_confirms_presence (booleans as 0/1/true/false).
std::optional<ReaderOptions> reader_options_from(const std::map<std::string, std::string>& m,
                                                 std::string* error);

struct CardRead {
    Identity identity;
};
struct CardRemoved {};
enum class ReadFailure { NoReply, Corrupt, Card, BadPayload, BadText };
const char* to_string(ReadFailure f);
struct CardReadFailed {
    ReadFailure reason;
    Status status = Status::Unknown;  // the SW3 when reason == Card
    bool will_retry = false;          // another attempt follows while the card stays
};
struct ReaderStatus {
    drivers::DeviceStatus status;
};
using ReaderEvent = std::variant<CardRead, CardRemoved, CardReadFailed, ReaderStatus>;

// One request/reply over a running command's context (also used by the bench).
enum class TxError { None, Transport, Timeout, Corrupt };
const char* to_string(TxError e);
TxError transact(drivers::CommandContext& ctx, FrameAccumulator& acc,
                 std::span<const std::uint8_t> request, Response& out,
                 std::chrono::milliseconds reply_timeout, std::chrono::milliseconds gap_timeout);

class IdCardReader final : public drivers::Device {
  public:
    IdCardReader(std::string name, std::string uri, ReaderOptions options = {},
                 drivers::DeviceTiming timing = {});
    ~IdCardReader() override;

    drivers::DeviceCapabilities capabilities() const override;
    std::vector<ReaderEvent> poll_events() { return events_.drain(); }
    drivers::EventQueue<ReaderEvent>& events() { return events_; }
    std::optional<std::string> sam_id() const;  // known after the first connect
    bool card_present() const { return card_present_.load(); }

    // Queued command: SAM reset (10 FF).
    std::shared_ptr<drivers::CommandTicket> reset_sam();

  protected:
    drivers::CommandResult on_connect(drivers::CommandContext& ctx) override;
    void on_disconnect() override;
    void on_poll(drivers::CommandContext& ctx) override;
    void on_status_changed(drivers::DeviceStatus old, drivers::DeviceStatus now) override;

  private:
    TxError tx(drivers::CommandContext& ctx, Command c, Response& out);
    void read_card(drivers::CommandContext& ctx);
    void fail(ReadFailure reason, Status status);

    ReaderOptions options_;
    drivers::EventQueue<ReaderEvent> events_{64};
    FrameAccumulator acc_;
    mutable std::mutex sam_mutex_;
    std::optional<std::string> sam_id_;
    std::atomic<bool> card_present_{false};
    bool read_done_ = false;
    int attempts_ = 0;
    int timeouts_ = 0;
};

// Registers kind "idcard" with the manager: DeviceConfig{name, "idcard", uri, options}.
void register_idcard_kind(drivers::DeviceManager& manager);

}  // namespace kiosk::idcard
