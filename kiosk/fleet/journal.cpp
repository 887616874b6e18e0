// The fleet agent's on-disk buffer; see journal.hpp.
#include "fleet/journal.hpp"

#include <sqlite3.h>

#include "core/log.hpp"

namespace kiosk::fleet {

namespace {

auto logger() {
    static auto log = kiosk::log::get("fleet");
    return log;
}

// One prepared statement, finalized on scope exit.
struct Stmt {
    sqlite3_stmt* st = nullptr;
    int rc = SQLITE_OK;
    Stmt(sqlite3* db, const char* sql) { rc = sqlite3_prepare_v2(db, sql, -1, &st, nullptr); }
    ~Stmt() { sqlite3_finalize(st); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    void text(int i, std::string_view s) {
        sqlite3_bind_text(st, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    }
    void blob(int i, std::string_view s) {
        sqlite3_bind_blob64(st, i, s.data(), s.size(), SQLITE_TRANSIENT);
    }
    void integer(int i, std::int64_t v) { sqlite3_bind_int64(st, i, v); }
    int step() { return rc = sqlite3_step(st); }
    std::string column_bytes(int i) {
        const void* p = sqlite3_column_blob(st, i);
        const int n = sqlite3_column_bytes(st, i);
        return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n))
                 : std::string{};
    }
    std::int64_t column_int(int i) { return sqlite3_column_int64(st, i); }
};

}  // namespace

std::unique_ptr<Journal> Journal::open(const std::string& path, int max_rows, std::string* error) {
    std::unique_ptr<Journal> j(new Journal());
    j->max_rows_ = max_rows < 1 ? 1 : max_rows;
    auto fail = [&](const std::string& what) -> std::unique_ptr<Journal> {
        if (error)
            *error = "fleet buffer " + path + ": " + what +
                     (j->db_ ? std::string(" (") + sqlite3_errmsg(j->db_) + ")" : "");
        return nullptr;
    };
    if (sqlite3_open_v2(path.c_str(), &j->db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK)
        return fail("cannot open");
    sqlite3_busy_timeout(j->db_, 2000);
    const char* setup =
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=FULL;"
        "CREATE TABLE IF NOT EXISTS outq("
        " seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, topic TEXT NOT NULL,"
        " body BLOB NOT NULL, created_ms INTEGER NOT NULL);"
        "CREATE INDEX IF NOT EXISTS outq_kind ON outq(kind, seq);"
        "CREATE TABLE IF NOT EXISTS seen_cmd(id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);";
    if (sqlite3_exec(j->db_, setup, nullptr, nullptr, nullptr) != SQLITE_OK)
        return fail("cannot set up (not a database, or a read-only directory?)");
    {
        Stmt check(j->db_, "PRAGMA quick_check");
        if (check.rc != SQLITE_OK || check.step() != SQLITE_ROW || check.column_bytes(0) != "ok")
            return fail("integrity check failed");
    }
    return j;
}

Journal::~Journal() {
    if (db_) sqlite3_close(db_);
}

void Journal::enforce_bound_locked() {
    auto total = [&] {
        Stmt s(db_, "SELECT count(*) FROM outq");
        return s.step() == SQLITE_ROW ? s.column_int(0) : 0;
    };
    std::int64_t n = total();
    if (n <= max_rows_) return;
    const std::int64_t excess = n - max_rows_;
    std::int64_t removed_tel = 0;
    {
        Stmt del(db_,
                 "DELETE FROM outq WHERE seq IN (SELECT seq FROM outq WHERE kind='telemetry' "
                 "ORDER BY seq LIMIT ?1)");
        del.integer(1, excess);
        if (del.step() == SQLITE_DONE) removed_tel = sqlite3_changes(db_);
    }
    dropped_telemetry_ += removed_tel;
    if (removed_tel >= excess) return;
    Stmt del(db_, "DELETE FROM outq WHERE seq IN (SELECT seq FROM outq ORDER BY seq LIMIT ?1)");
    del.integer(1, excess - removed_tel);
    if (del.step() == SQLITE_DONE) {
        const int gone = sqlite3_changes(db_);
        dropped_ += gone;
        logger()->warn("buffer full ({} rows): dropped the {} oldest non-telemetry rows", max_rows_,
                       gone);
    }
}

std::optional<std::int64_t> Journal::add(std::string_view kind, std::string_view topic,
                                         std::string_view body, std::int64_t created_ms,
                                         std::string* error) {
    std::lock_guard lock(mutex_);
    sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    Stmt ins(db_, "INSERT INTO outq(kind, topic, body, created_ms) VALUES(?1, ?2, ?3, ?4)");
    ins.text(1, kind);
    ins.text(2, topic);
    ins.blob(3, body);
    ins.integer(4, created_ms);
    if (ins.step() != SQLITE_DONE) {
        if (error) *error = std::string("fleet buffer: ") + sqlite3_errmsg(db_);
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        return std::nullopt;
    }
    const std::int64_t seq = sqlite3_last_insert_rowid(db_);
    enforce_bound_locked();
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
        if (error) *error = std::string("fleet buffer: ") + sqlite3_errmsg(db_);
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        return std::nullopt;
    }
    return seq;
}

std::vector<JournalRow> Journal::pending(std::int64_t after, std::size_t limit) {
    std::lock_guard lock(mutex_);
    std::vector<JournalRow> rows;
    Stmt s(db_,
           "SELECT seq, kind, topic, body, created_ms FROM outq WHERE seq > ?1 ORDER BY seq "
           "LIMIT ?2");
    s.integer(1, after);
    s.integer(2, static_cast<std::int64_t>(limit));
    while (s.step() == SQLITE_ROW) {
        JournalRow r;
        r.seq = s.column_int(0);
        r.kind = s.column_bytes(1);
        r.topic = s.column_bytes(2);
        r.body = s.column_bytes(3);
        r.created_ms = s.column_int(4);
        rows.push_back(std::move(r));
    }
    return rows;
}

void Journal::remove(std::int64_t seq) {
    std::lock_guard lock(mutex_);
    Stmt s(db_, "DELETE FROM outq WHERE seq = ?1");
    s.integer(1, seq);
    s.step();
}

std::int64_t Journal::count() {
    std::lock_guard lock(mutex_);
    Stmt s(db_, "SELECT count(*) FROM outq");
    return s.step() == SQLITE_ROW ? s.column_int(0) : -1;
}

std::int64_t Journal::count(std::string_view kind) {
    std::lock_guard lock(mutex_);
    Stmt s(db_, "SELECT count(*) FROM outq WHERE kind = ?1");
    s.text(1, kind);
    return s.step() == SQLITE_ROW ? s.column_int(0) : -1;
}

std::int64_t Journal::dropped() const {
    std::lock_guard lock(mutex_);
    return dropped_;
}

std::int64_t Journal::dropped_telemetry() const {
    std::lock_guard lock(mutex_);
    return dropped_telemetry_;
}

std::optional<bool> Journal::remember_command(const std::string& id, std::int64_t expires_at,
                                              std::int64_t now) {
    std::lock_guard lock(mutex_);
    {
        // An id is kept a day past its expiry: a command can never be accepted after it
        // expired, so an id forgotten later cannot be replayed.
        Stmt prune(db_, "DELETE FROM seen_cmd WHERE expires_at < ?1");
        prune.integer(1, now - 86400);
        prune.step();
    }
    Stmt ins(db_, "INSERT OR IGNORE INTO seen_cmd(id, expires_at) VALUES(?1, ?2)");
    ins.text(1, id);
    ins.integer(2, expires_at);
    if (ins.step() != SQLITE_DONE) return std::nullopt;
    return sqlite3_changes(db_) == 1;
}

}  // namespace kiosk::fleet
