// The durable outbox: everything the hall must hear of (pickups completed, deposits, evaluations,
// complaints, audit events) is written here first, then delivered in order by the Client.
//
// SQLite in WAL mode with synchronous=FULL: append() returns only after the entry is on disk, so
// a crash or power cut after append loses nothing. Entries leave the table only once the hall
// acknowledged them; ids come from AUTOINCREMENT and are never reused, so (kiosk id, entry id) is
// the event's idempotency key across restarts. A corrupt file (checked at open with quick_check)
// or a full disk (SQLITE_FULL, or the configured size cap) sets an error state, is logged, and
// makes append() fail loudly: nothing is ever dropped silently.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "api/port.hpp"

namespace SQLite {
class Database;
}

namespace kiosk::backend {

struct OutboxOptions {
    std::string path;            // the SQLite file
    std::int64_t max_bytes = 0;  // cap on the database size (0: none); reaching it = disk full
};

class Outbox : public api::OutboxPort {
  public:
    static api::Result<std::unique_ptr<Outbox>> open(const OutboxOptions& options);
    ~Outbox() override;
    Outbox(const Outbox&) = delete;
    Outbox& operator=(const Outbox&) = delete;

    // kind: 1..64 of [a-z0-9._]; payload: a JSON object of at most 64 KiB.
    api::Result<std::int64_t> append(std::string_view kind, std::string_view payload_json) override;
    // Idempotent append: stores the entry under an operation key (1..128 printable ASCII, e.g. a
    // locker operation's idempotency key) unless that key was appended before, in which case the
    // existing entry's id is returned and nothing is stored. Keyed entries stay known after the
    // hall acknowledged them (their row is kept as 'delivered', payload dropped), so a report
    // repeated after a crash is never sent twice.
    api::Result<std::int64_t> append_once(std::string_view kind, std::string_view op_key,
                                          std::string_view payload_json);
    std::int64_t depth() override;  // pending entries (-1 if the database cannot be read)

    // Delivery side (the Client's worker): the oldest pending entry, and its outcome. Staff
    // calls (kinds assist.*) go first: a citizen is waiting in front of the kiosk, and they are
    // independent of the other events (their own order is kept: call, then cancel or resolve).
    api::Result<std::optional<api::OutboxEntry>> head();
    api::Result<api::Unit> mark_delivered(std::int64_t id);
    api::Result<api::Unit> mark_attempt(std::int64_t id);
    // The hall refused the entry for good (a 4xx): it is kept aside with the reason, reported in
    // the log and in rejected(), and delivery moves on so one bad entry cannot block the rest.
    api::Result<api::Unit> mark_rejected(std::int64_t id, std::string_view reason);
    std::int64_t rejected();

    bool failed() const;
    std::string failure() const;

    // Called (on the appending thread) after each successful append; the Client uses it to wake
    // its sender at once. Setting a new one (or nullptr) waits for a running call to end.
    void set_on_append(std::function<void()> fn);

  private:
    Outbox() = default;
    api::Error storage_error(int rc, const char* what, std::optional<std::string> errmsg = {});
    api::Result<std::int64_t> append_locked(std::string_view kind, std::string_view payload_json,
                                            std::string_view op_key = {});
    static std::optional<api::Error> check_entry(std::string_view kind,
                                                 std::string_view payload_json);

    mutable std::mutex mutex_;
    std::unique_ptr<SQLite::Database> db_;
    bool failed_ = false;
    bool corrupt_ = false;
    std::string failure_;
    std::mutex listener_mutex_;
    std::function<void()> on_append_;
};

}  // namespace kiosk::backend
