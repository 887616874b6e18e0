// The fleet agent's on-disk buffer; see journal.hpp.
#include "fleet/journal.hpp"

#include "base/sqlite.hpp"
#include "core/log.hpp"

namespace kiosk::fleet {

namespace {

auto logger() {
    static auto log = kiosk::log::get("fleet");
    return log;
}

}  // namespace

std::unique_ptr<Journal> Journal::open(const std::string& path, int max_rows, std::string* error) {
    std::unique_ptr<Journal> j(new Journal());
    j->max_rows_ = max_rows < 1 ? 1 : max_rows;
    auto fail = [&](const std::string& what,
                    std::optional<std::string> detail = {}) -> std::unique_ptr<Journal> {
        if (!detail && j->db_) detail = sqlite::error_message(*j->db_);
        if (error)
            *error = "fleet buffer " + path + ": " + what + (detail ? " (" + *detail + ")" : "");
        return nullptr;
    };
    auto db = sqlite::open(path, 2000);
    if (!db) return fail("cannot open", db.error().message);
    j->db_ = std::move(*db);
    const char* setup =
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=FULL;"
        "CREATE TABLE IF NOT EXISTS outq("
        " seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, topic TEXT NOT NULL,"
        " body BLOB NOT NULL, created_ms INTEGER NOT NULL);"
        "CREATE INDEX IF NOT EXISTS outq_kind ON outq(kind, seq);"
        "CREATE TABLE IF NOT EXISTS seen_cmd(id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);";
    if (sqlite::exec(*j->db_, setup) != SQLITE_OK)
        return fail("cannot set up (not a database, or a read-only directory?)");
    {
        sqlite::Stmt check(*j->db_, "PRAGMA quick_check");
        if (check.prepared() != SQLITE_OK || check.step() != SQLITE_ROW || check.bytes(0) != "ok")
            return fail("integrity check failed");
    }
    return j;
}

Journal::~Journal() = default;

void Journal::enforce_bound_locked() {
    auto total = [&] {
        sqlite::Stmt s(*db_, "SELECT count(*) FROM outq");
        return s.step() == SQLITE_ROW ? s.int64(0) : 0;
    };
    std::int64_t n = total();
    if (n <= max_rows_) return;
    const std::int64_t excess = n - max_rows_;
    std::int64_t removed_tel = 0;
    {
        sqlite::Stmt del(
            *db_,
            "DELETE FROM outq WHERE seq IN (SELECT seq FROM outq WHERE kind='telemetry' "
            "ORDER BY seq LIMIT ?1)");
        del.bind(1, excess);
        if (del.step() == SQLITE_DONE) removed_tel = db_->getChanges();
    }
    dropped_telemetry_ += removed_tel;
    if (removed_tel >= excess) return;
    sqlite::Stmt del(*db_,
                     "DELETE FROM outq WHERE seq IN (SELECT seq FROM outq ORDER BY seq LIMIT ?1)");
    del.bind(1, excess - removed_tel);
    if (del.step() == SQLITE_DONE) {
        const int gone = db_->getChanges();
        dropped_ += gone;
        logger()->warn("buffer full ({} rows): dropped the {} oldest non-telemetry rows", max_rows_,
                       gone);
    }
}

std::optional<std::int64_t> Journal::add(std::string_view kind, std::string_view topic,
                                         std::string_view body, std::int64_t created_ms,
                                         std::string* error) {
    std::lock_guard lock(mutex_);
    sqlite::exec(*db_, "BEGIN IMMEDIATE");
    sqlite::Stmt ins(*db_,
                     "INSERT INTO outq(kind, topic, body, created_ms) VALUES(?1, ?2, ?3, ?4)");
    ins.bind(1, kind);
    ins.bind(2, topic);
    ins.bind_blob(3, body);
    ins.bind(4, created_ms);
    if (ins.step() != SQLITE_DONE) {
        if (error) *error = std::string("fleet buffer: ") + sqlite::error_message(*db_);
        sqlite::exec(*db_, "ROLLBACK");
        return std::nullopt;
    }
    const std::int64_t seq = db_->getLastInsertRowid();
    enforce_bound_locked();
    if (sqlite::exec(*db_, "COMMIT") != SQLITE_OK) {
        if (error) *error = std::string("fleet buffer: ") + sqlite::error_message(*db_);
        sqlite::exec(*db_, "ROLLBACK");
        return std::nullopt;
    }
    return seq;
}

std::vector<JournalRow> Journal::pending(std::int64_t after, std::size_t limit) {
    std::lock_guard lock(mutex_);
    std::vector<JournalRow> rows;
    sqlite::Stmt s(
        *db_,
        "SELECT seq, kind, topic, body, created_ms FROM outq WHERE seq > ?1 ORDER BY seq "
        "LIMIT ?2");
    s.bind(1, after);
    s.bind(2, static_cast<std::int64_t>(limit));
    while (s.step() == SQLITE_ROW) {
        JournalRow r;
        r.seq = s.int64(0);
        r.kind = s.bytes(1);
        r.topic = s.bytes(2);
        r.body = s.bytes(3);
        r.created_ms = s.int64(4);
        rows.push_back(std::move(r));
    }
    return rows;
}

void Journal::remove(std::int64_t seq) {
    std::lock_guard lock(mutex_);
    sqlite::Stmt s(*db_, "DELETE FROM outq WHERE seq = ?1");
    s.bind(1, seq);
    s.step();
}

std::int64_t Journal::count() {
    std::lock_guard lock(mutex_);
    sqlite::Stmt s(*db_, "SELECT count(*) FROM outq");
    return s.step() == SQLITE_ROW ? s.int64(0) : -1;
}

std::int64_t Journal::count(std::string_view kind) {
    std::lock_guard lock(mutex_);
    sqlite::Stmt s(*db_, "SELECT count(*) FROM outq WHERE kind = ?1");
    s.bind(1, kind);
    return s.step() == SQLITE_ROW ? s.int64(0) : -1;
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
        sqlite::Stmt prune(*db_, "DELETE FROM seen_cmd WHERE expires_at < ?1");
        prune.bind(1, now - 86400);
        prune.step();
    }
    sqlite::Stmt ins(*db_, "INSERT OR IGNORE INTO seen_cmd(id, expires_at) VALUES(?1, ?2)");
    ins.bind(1, id);
    ins.bind(2, expires_at);
    if (ins.step() != SQLITE_DONE) return std::nullopt;
    return db_->getChanges() == 1;
}

}  // namespace kiosk::fleet
