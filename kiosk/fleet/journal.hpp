// The fleet agent's bounded on-disk buffer (SQLite, WAL, synchronous=FULL) and its memory of
// command ids already received.
//
// Everything the agent publishes on a QoS 1 topic (events, telemetry, command answers, files) is
// first a row here; a row leaves only when the broker acknowledged it (PUBACK), so messages raised
// while the broker is away, or before a restart, are delivered later, in order (by seq), with the
// time they were raised. seq is AUTOINCREMENT: never reused, so it doubles as the events' sequence
// number across restarts.
//
// Bound: at most max_rows rows. Adding beyond it drops the oldest telemetry first; only when no
// telemetry is left are the oldest other rows dropped (counted in dropped(), logged).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace SQLite {
class Database;
}

namespace kiosk::fleet {

struct JournalRow {
    std::int64_t seq = 0;
    std::string kind;   // "event", "telemetry", "resp", "file"
    std::string topic;  // after kiosk/{fleet}/{id}/: "events", "telemetry", "cmd/resp", "files/…"
    std::string body;
    std::int64_t created_ms = 0;  // unix milliseconds when raised
};

class Journal {
  public:
    static std::unique_ptr<Journal> open(const std::string& path, int max_rows, std::string* error);
    ~Journal();
    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;

    // Appends a row (durable on return). Returns its seq, or nullopt on a storage error.
    std::optional<std::int64_t> add(std::string_view kind, std::string_view topic,
                                    std::string_view body, std::int64_t created_ms,
                                    std::string* error = nullptr);
    // Rows with seq > after, oldest first, at most limit.
    std::vector<JournalRow> pending(std::int64_t after, std::size_t limit);
    void remove(std::int64_t seq);
    std::int64_t count();
    std::int64_t count(std::string_view kind);
    std::int64_t dropped() const;  // rows dropped by the bound since open (not telemetry)
    std::int64_t dropped_telemetry() const;

    // Replay memory: true if `id` was not seen before (and is now remembered until expires_at),
    // false if it was. Ids whose expiry passed (plus a margin) are forgotten. nullopt on error.
    std::optional<bool> remember_command(const std::string& id, std::int64_t expires_at,
                                         std::int64_t now);

  private:
    Journal() = default;
    void enforce_bound_locked();

    mutable std::mutex mutex_;
    std::unique_ptr<SQLite::Database> db_;
    int max_rows_ = 10000;
    std::int64_t dropped_ = 0;
    std::int64_t dropped_telemetry_ = 0;
};

}  // namespace kiosk::fleet
