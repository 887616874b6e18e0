// What the UI-free core sees of the hall: an asynchronous request port and a durable outbox.
//
// kiosk_backend implements both (libcurl + SQLite); the core depends only on these interfaces,
// so it links no network library and its tests can run against the real client or a fake.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/requests.hpp"
#include "api/result.hpp"

namespace kiosk::api {

using RequestId = std::uint64_t;

struct Response {
    RequestId id = 0;
    Op op = Op::catalog;
    Result<Payload> result = Error{ErrorKind::cancelled, 0, {}, {}};
    bool from_cache = false;  // served from the offline cache because the hall was unreachable
};

struct HallStatus {
    bool reachable = true;   // the last exchange with the hall got an HTTP answer
    std::string last_error;  // describe() of the last transport error; empty when fine
    std::int64_t outbox_depth = 0;
    bool outbox_failed = false;  // the outbox database failed (full disk, corrupt): see log
    std::string outbox_error;
};

class HallPort {
  public:
    virtual ~HallPort() = default;
    // Queues a request; returns at once (never blocks on the network). The answer arrives later
    // through poll() with the same id.
    virtual RequestId submit(Request request) = 0;
    // Best effort: a cancelled request answers with ErrorKind::cancelled.
    virtual void cancel(RequestId id) = 0;
    // The next finished response, if any. Non-blocking; call it from the UI loop every frame.
    virtual std::optional<Response> poll() = 0;
    virtual HallStatus status() const = 0;
};

struct OutboxEntry {
    std::int64_t id = 0;  // strictly increasing; also the event's seq at the hall
    std::string
        kind;  // pickup.completed, deposit.made, evaluation.submitted, complaint.submitted, audit
    std::string payload;  // a JSON object
    std::string created_at;
    int attempts = 0;
};

class OutboxPort {
  public:
    virtual ~OutboxPort() = default;
    // Durably stores an event (committed to disk before returning). An error means it was NOT
    // stored: the caller must treat the transaction as not recorded (and say so).
    virtual Result<std::int64_t> append(std::string_view kind, std::string_view payload_json) = 0;
    // Entries not yet accepted by the hall.
    virtual std::int64_t depth() = 0;
};

}  // namespace kiosk::api
