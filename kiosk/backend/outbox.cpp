// The durable outbox; see outbox.hpp for the guarantees.
#include "backend/outbox.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>

#include <nlohmann/json.hpp>

#include "base/sqlite.hpp"
#include "core/log.hpp"

namespace kiosk::backend {

using api::Error;
using api::ErrorKind;
using api::Result;

namespace {

auto logger() {
    static auto log = kiosk::log::get("outbox");
    return log;
}

std::string now_iso() {
    auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

bool valid_kind(std::string_view k) {
    if (k.empty() || k.size() > 64) return false;
    for (char c : k)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_'))
            return false;
    return true;
}

}  // namespace

Result<std::unique_ptr<Outbox>> Outbox::open(const OutboxOptions& options) {
    std::unique_ptr<Outbox> ob(new Outbox());
    auto db = sqlite::open(options.path, 2000);
    if (!db) return ob->storage_error(db.error().code, "open", db.error().message);
    ob->db_ = std::move(*db);
    int rc = SQLITE_OK;
    // The journal mode query is the first read of the file: a file that is not a database fails
    // here with SQLITE_NOTADB.
    const char* setup =
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=FULL;"
        "CREATE TABLE IF NOT EXISTS outbox("
        " id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, payload TEXT NOT NULL,"
        " created_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
        " state TEXT NOT NULL DEFAULT 'pending', reason TEXT);"
        "CREATE INDEX IF NOT EXISTS outbox_state ON outbox(state, id);";
    rc = sqlite::exec(*ob->db_, setup);
    if (rc != SQLITE_OK) return ob->storage_error(rc, "setup");
    {
        // Migration: op_key (append_once) came later; older databases get the column here.
        bool has_key = false;
        sqlite::Stmt cols(*ob->db_, "PRAGMA table_info(outbox)");
        if (cols.prepared() != SQLITE_OK) return ob->storage_error(cols.prepared(), "setup");
        while (cols.step() == SQLITE_ROW)
            if (cols.bytes(1) == "op_key") has_key = true;
        if (!has_key) {
            rc = sqlite::exec(*ob->db_, "ALTER TABLE outbox ADD COLUMN op_key TEXT");
            if (rc != SQLITE_OK) return ob->storage_error(rc, "migration (op_key)");
        }
        rc = sqlite::exec(*ob->db_,
                          "CREATE UNIQUE INDEX IF NOT EXISTS outbox_op_key ON outbox(op_key)");
        if (rc != SQLITE_OK) return ob->storage_error(rc, "setup");
    }
    {
        sqlite::Stmt check(*ob->db_, "PRAGMA quick_check");
        if (check.prepared() != SQLITE_OK)
            return ob->storage_error(check.prepared(), "integrity check");
        int s = check.step();
        if (s != SQLITE_ROW) return ob->storage_error(s, "integrity check");
        if (check.bytes(0) != "ok") {
            ob->corrupt_ = true;
            return ob->storage_error(SQLITE_CORRUPT, "integrity check");
        }
    }
    if (options.max_bytes > 0) {
        sqlite::Stmt ps(*ob->db_, "PRAGMA page_size");
        std::int64_t page = ps.step() == SQLITE_ROW ? ps.int64(0) : 4096;
        std::string sql = "PRAGMA max_page_count=" +
                          std::to_string(std::max<std::int64_t>(2, options.max_bytes / page));
        sqlite::exec(*ob->db_, sql.c_str());
    }
    logger()->info("outbox open, {} pending", ob->depth());
    return ob;
}

Outbox::~Outbox() = default;

Error Outbox::storage_error(int rc, const char* what, std::optional<std::string> errmsg) {
    // Called with mutex_ held (or before the object is shared). errmsg: the connection's message
    // when there is no connection (the open failed).
    std::string msg = std::string(what) + ": " + sqlite::error_text(rc);
    if (!errmsg && db_ && rc != SQLITE_OK) errmsg = sqlite::error_message(*db_);
    if (errmsg && *errmsg != sqlite::error_text(rc)) msg += " (" + *errmsg + ")";
    int primary = rc & 0xff;
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) corrupt_ = true;
    failed_ = true;
    failure_ = (corrupt_                 ? "outbox database corrupt: "
                : primary == SQLITE_FULL ? "outbox disk full: "
                                         : "outbox storage failure: ") +
               msg;
    logger()->error("{}", failure_);
    return Error{ErrorKind::storage, 0, {}, failure_};
}

std::optional<Error> Outbox::check_entry(std::string_view kind, std::string_view payload_json) {
    if (!valid_kind(kind))
        return Error{ErrorKind::invalid_request, 0, {}, "outbox kind must be 1..64 of [a-z0-9._]"};
    if (payload_json.size() > 64 * 1024)
        return Error{ErrorKind::invalid_request, 0, {}, "outbox payload over 64 KiB"};
    auto j = nlohmann::json::parse(payload_json.begin(), payload_json.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return Error{ErrorKind::invalid_request, 0, {}, "outbox payload must be a JSON object"};
    return std::nullopt;
}

Result<std::int64_t> Outbox::append_once(std::string_view kind, std::string_view op_key,
                                         std::string_view payload_json) {
    if (auto e = check_entry(kind, payload_json)) return *e;
    bool key_ok = !op_key.empty() && op_key.size() <= 128;
    for (char c : op_key)
        if (c < 0x21 || c > 0x7e) key_ok = false;
    if (!key_ok)
        return Error{
            ErrorKind::invalid_request, 0, {}, "outbox key must be 1..128 printable ASCII"};
    bool fresh = false;
    std::int64_t id = 0;
    {
        std::lock_guard lock(mutex_);
        if (corrupt_) return Error{ErrorKind::storage, 0, {}, failure_};
        sqlite::Stmt q(*db_, "SELECT id FROM outbox WHERE op_key=?");
        if (q.prepared() != SQLITE_OK) return storage_error(q.prepared(), "append");
        q.bind(1, op_key);
        const int rc = q.step();
        if (rc == SQLITE_ROW) {
            id = q.int64(0);
        } else if (rc != SQLITE_DONE) {
            return storage_error(rc, "append");
        }
    }
    if (id == 0) {
        auto r = append_locked(kind, payload_json, op_key);
        if (!r.ok()) return r;
        id = r.value();
        fresh = true;
    }
    if (fresh) {
        std::lock_guard listener(listener_mutex_);
        if (on_append_) on_append_();
    }
    return id;
}

Result<std::int64_t> Outbox::append(std::string_view kind, std::string_view payload_json) {
    if (auto e = check_entry(kind, payload_json)) return *e;

    std::int64_t id = 0;
    {
        auto r = append_locked(kind, payload_json);
        if (!r.ok()) return r;
        id = r.value();
    }
    std::lock_guard listener(listener_mutex_);
    if (on_append_) on_append_();
    return id;
}

void Outbox::set_on_append(std::function<void()> fn) {
    std::lock_guard listener(listener_mutex_);
    on_append_ = std::move(fn);
}

Result<std::int64_t> Outbox::append_locked(std::string_view kind, std::string_view payload_json,
                                           std::string_view op_key) {
    std::lock_guard lock(mutex_);
    if (corrupt_) return Error{ErrorKind::storage, 0, {}, failure_};
    // An append must be on disk before we return (the caller then opens a locker door, say).
    sqlite::exec(*db_, "PRAGMA synchronous=FULL");
    sqlite::Stmt ins(*db_, "INSERT INTO outbox(kind, payload, created_at, op_key) VALUES(?,?,?,?)");
    if (ins.prepared() != SQLITE_OK) return storage_error(ins.prepared(), "append");
    ins.bind(1, kind);
    ins.bind(2, payload_json);
    ins.bind(3, now_iso());
    if (op_key.empty())
        ins.bind_null(4);
    else
        ins.bind(4, op_key);
    int rc = ins.step();
    if ((rc & 0xff) == SQLITE_CONSTRAINT && !op_key.empty()) {
        // The key arrived meanwhile (another process on the same file): the existing entry.
        sqlite::Stmt q(*db_, "SELECT id FROM outbox WHERE op_key=?");
        q.bind(1, op_key);
        if (q.prepared() == SQLITE_OK && q.step() == SQLITE_ROW) return q.int64(0);
    }
    if (rc != SQLITE_DONE) return storage_error(rc, "append");
    if (failed_ && !corrupt_) {
        logger()->info("outbox writable again");
        failed_ = false;
        failure_.clear();
    }
    return static_cast<std::int64_t>(db_->getLastInsertRowid());
}

std::int64_t Outbox::depth() {
    std::lock_guard lock(mutex_);
    sqlite::Stmt q(*db_, "SELECT COUNT(*) FROM outbox WHERE state='pending'");
    if (q.prepared() != SQLITE_OK || q.step() != SQLITE_ROW) return -1;
    return q.int64(0);
}

std::int64_t Outbox::rejected() {
    std::lock_guard lock(mutex_);
    sqlite::Stmt q(*db_, "SELECT COUNT(*) FROM outbox WHERE state='rejected'");
    if (q.prepared() != SQLITE_OK || q.step() != SQLITE_ROW) return -1;
    return q.int64(0);
}

Result<std::optional<api::OutboxEntry>> Outbox::head() {
    std::lock_guard lock(mutex_);
    if (corrupt_) return Error{ErrorKind::storage, 0, {}, failure_};
    sqlite::Stmt q(
        *db_,
        "SELECT id, kind, payload, created_at, attempts FROM outbox WHERE state='pending' "
        "ORDER BY kind NOT LIKE 'assist.%', id LIMIT 1");
    if (q.prepared() != SQLITE_OK) return storage_error(q.prepared(), "read");
    int rc = q.step();
    if (rc == SQLITE_DONE) return std::optional<api::OutboxEntry>{};
    if (rc != SQLITE_ROW) return storage_error(rc, "read");
    api::OutboxEntry e;
    e.id = q.int64(0);
    e.kind = q.bytes(1);
    e.payload = q.bytes(2);
    e.created_at = q.bytes(3);
    e.attempts = q.integer(4);
    return std::optional<api::OutboxEntry>{std::move(e)};
}

Result<api::Unit> Outbox::mark_delivered(std::int64_t id) {
    std::lock_guard lock(mutex_);
    // Delivered entries are deleted: the table holds only what the hall has not heard yet, and
    // AUTOINCREMENT keeps the next id above every id ever used.
    // Losing this delete in a power cut only means one resend, which the hall deduplicates by
    // key: no need to wait for the disk here (WAL + NORMAL still never corrupts the file).
    sqlite::exec(*db_, "PRAGMA synchronous=NORMAL");
    // A keyed entry (append_once) stays as a small 'delivered' row, so its key is still known
    // when the same report is repeated after a crash.
    sqlite::Stmt d(*db_, "DELETE FROM outbox WHERE id=? AND op_key IS NULL");
    if (d.prepared() != SQLITE_OK) return storage_error(d.prepared(), "mark delivered");
    d.bind(1, id);
    int rc = d.step();
    if (rc != SQLITE_DONE) return storage_error(rc, "mark delivered");
    sqlite::Stmt k(
        *db_,
        "UPDATE outbox SET state='delivered', payload='{}' WHERE id=? AND op_key IS NOT NULL");
    if (k.prepared() != SQLITE_OK) return storage_error(k.prepared(), "mark delivered");
    k.bind(1, id);
    rc = k.step();
    if (rc != SQLITE_DONE) return storage_error(rc, "mark delivered");
    return api::Unit{};
}

Result<api::Unit> Outbox::mark_attempt(std::int64_t id) {
    std::lock_guard lock(mutex_);
    sqlite::exec(*db_, "PRAGMA synchronous=NORMAL");
    sqlite::Stmt u(*db_, "UPDATE outbox SET attempts=attempts+1 WHERE id=?");
    if (u.prepared() != SQLITE_OK) return storage_error(u.prepared(), "mark attempt");
    u.bind(1, id);
    int rc = u.step();
    if (rc != SQLITE_DONE) return storage_error(rc, "mark attempt");
    return api::Unit{};
}

Result<api::Unit> Outbox::mark_rejected(std::int64_t id, std::string_view reason) {
    std::lock_guard lock(mutex_);
    sqlite::exec(*db_, "PRAGMA synchronous=FULL");
    sqlite::Stmt u(*db_, "UPDATE outbox SET state='rejected', reason=? WHERE id=?");
    if (u.prepared() != SQLITE_OK) return storage_error(u.prepared(), "mark rejected");
    u.bind(1, reason);
    u.bind(2, id);
    int rc = u.step();
    if (rc != SQLITE_DONE) return storage_error(rc, "mark rejected");
    logger()->error("outbox entry {} rejected by the hall, kept aside: {}", id, reason);
    return api::Unit{};
}

bool Outbox::failed() const {
    std::lock_guard lock(mutex_);
    return failed_;
}

std::string Outbox::failure() const {
    std::lock_guard lock(mutex_);
    return failure_;
}

}  // namespace kiosk::backend
