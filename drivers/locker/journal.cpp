// SQLite operation journal (see journal.hpp for the step model and the durability rules).
#include "locker/journal.hpp"

#include "base/clock.hpp"
#include "base/sqlite.hpp"

namespace kiosk::locker {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS ops(
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    kind INTEGER NOT NULL,
    compartment INTEGER NOT NULL,
    step INTEGER NOT NULL,
    outcome INTEGER NOT NULL DEFAULT 0,
    item_before INTEGER NOT NULL DEFAULT -1,
    fired INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    sensor_open_before INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS ops_open ON ops(step) WHERE step < 4;
CREATE TABLE IF NOT EXISTS inventory(
    compartment INTEGER PRIMARY KEY,
    inventory INTEGER NOT NULL,
    faulty INTEGER NOT NULL DEFAULT 0,
    updated_ms INTEGER NOT NULL);
)sql";

}  // namespace

std::int64_t wall_ms() {
    return clock::wall_ms();
}

const char* to_string(OpKind k) {
    switch (k) {
        case OpKind::Pickup:
            return "pickup";
        case OpKind::Deposit:
            return "deposit";
        case OpKind::StaffOpen:
            return "staff_open";
    }
    return "?";
}
const char* to_string(Step s) {
    switch (s) {
        case Step::Intent:
            return "intent";
        case Step::UnlockSent:
            return "unlock_sent";
        case Step::Opened:
            return "opened";
        case Step::Closed:
            return "closed";
        case Step::Reported:
            return "reported";
    }
    return "?";
}
const char* to_string(Outcome o) {
    switch (o) {
        case Outcome::None:
            return "none";
        case Outcome::Completed:
            return "completed";
        case Outcome::NoChange:
            return "no_change";
        case Outcome::Jammed:
            return "jammed";
        case Outcome::NoReply:
            return "no_reply";
        case Outcome::Cancelled:
            return "cancelled";
        case Outcome::Uncertain:
            return "uncertain";
    }
    return "?";
}

Journal::~Journal() = default;

std::unique_ptr<Journal> Journal::open(const std::string& path, std::string* error,
                                       const char* vfs) {
    std::unique_ptr<Journal> j(new Journal());
    auto db = sqlite::open(path, 5000, vfs);
    if (!db) {
        if (error) *error = db.error().message;
        return nullptr;
    }
    j->db_ = std::move(*db);
    // WAL: a commit appends to the log (one fsync with synchronous=FULL) instead of rewriting
    // pages, and readers (diagnostics) never block the writer.
    if (!j->exec("PRAGMA journal_mode=WAL") || !j->exec("PRAGMA synchronous=FULL") ||
        !j->exec(kSchema)) {
        if (error) *error = j->last_error_;
        return nullptr;
    }
    // A journal written before "sensor said open before the pulse" was recorded: add the column.
    {
        const bool has =
            sqlite::Stmt(*j->db_, "SELECT sensor_open_before FROM ops LIMIT 0").prepared() ==
            SQLITE_OK;
        if (!has && !j->exec("ALTER TABLE ops ADD COLUMN sensor_open_before INTEGER NOT NULL "
                             "DEFAULT 0")) {
            if (error) *error = j->last_error_;
            return nullptr;
        }
    }
    j->current_sync_ = Sync::Full;
    return j;
}

bool Journal::exec(const char* sql) {
    if (sqlite::exec(*db_, sql) != SQLITE_OK) {
        last_error_ = sqlite::error_message(*db_);
        return false;
    }
    return true;
}

bool Journal::begin(Sync s) {
    // synchronous is a connection setting that cannot change inside a transaction.
    if (current_sync_ != s) {
        if (!exec(s == Sync::Full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"))
            return false;
        current_sync_ = s;
    }
    return exec("BEGIN IMMEDIATE");
}

bool Journal::commit(Sync s) {
    if (!exec("COMMIT")) {
        rollback();
        return false;
    }
    (s == Sync::Full ? commits_full_ : commits_normal_)++;
    return true;
}

void Journal::rollback() {
    sqlite::exec(*db_, "ROLLBACK");
}

bool Journal::write_inventory(int compartment, const InventoryRow& row) {
    sqlite::Stmt st(
        *db_,
        "INSERT INTO inventory(compartment, inventory, faulty, updated_ms) VALUES(?,?,?,?) "
        "ON CONFLICT(compartment) DO UPDATE SET "
        "updated_ms=CASE WHEN inventory=excluded.inventory THEN updated_ms "
        "ELSE excluded.updated_ms END, "
        "inventory=excluded.inventory, faulty=excluded.faulty");
    if (!st) return false;
    st.bind(1, compartment);
    st.bind(2, static_cast<std::int64_t>(row.inventory));
    st.bind(3, row.faulty ? 1 : 0);
    st.bind(4, row.since_ms > 0 ? row.since_ms : wall_ms());
    return st.step() == SQLITE_DONE;
}

bool Journal::add_intent(const OpRecord& r, Sync s, std::optional<InventoryRow> inv) {
    std::lock_guard lock(mu_);
    if (!begin(s)) return false;
    sqlite::Stmt st(*db_,
                    "INSERT INTO ops(key, kind, compartment, step, outcome, item_before, fired, "
                    "created_ms, updated_ms) VALUES(?,?,?,0,0,?,0,?,?)");
    const std::int64_t now = wall_ms();
    st.bind(1, r.key);
    st.bind(2, static_cast<std::int64_t>(r.kind));
    st.bind(3, r.compartment);
    st.bind(4, r.item_before);
    st.bind(5, now);
    st.bind(6, now);
    if (!st || st.step() != SQLITE_DONE || (inv && !write_inventory(r.compartment, *inv))) {
        last_error_ = sqlite::error_message(*db_);
        rollback();
        return false;
    }
    return commit(s);
}

bool Journal::advance(std::string_view key, Step to, Outcome outcome, Sync s,
                      std::optional<InventoryRow> inv, std::optional<int> item_before,
                      bool sensor_open_before) {
    std::lock_guard lock(mu_);
    if (!begin(s)) return false;
    sqlite::Stmt st(*db_,
                    "UPDATE ops SET step=?, outcome=CASE WHEN ?=0 THEN outcome ELSE ? END, "
                    "fired=fired OR ?, item_before=COALESCE(?, item_before), updated_ms=?, "
                    "sensor_open_before=sensor_open_before OR ? "
                    "WHERE key=? AND step<? RETURNING compartment");
    st.bind(1, static_cast<std::int64_t>(to));
    st.bind(2, static_cast<std::int64_t>(outcome));
    st.bind(3, static_cast<std::int64_t>(outcome));
    st.bind(4, to == Step::UnlockSent ? 1 : 0);
    if (item_before)
        st.bind(5, *item_before);
    else
        st.bind_null(5);
    st.bind(6, wall_ms());
    st.bind(7, sensor_open_before ? 1 : 0);
    st.bind(8, key);
    st.bind(9, static_cast<std::int64_t>(to));
    if (!st) {
        last_error_ = sqlite::error_message(*db_);
        rollback();
        return false;
    }
    const int rc = st.step();
    if (rc == SQLITE_ROW) {
        const int compartment = st.integer(0);
        while (st.step() == SQLITE_ROW) {
        }
        if (inv && !write_inventory(compartment, *inv)) {
            last_error_ = sqlite::error_message(*db_);
            rollback();
            return false;
        }
    } else if (rc != SQLITE_DONE) {
        last_error_ = sqlite::error_message(*db_);
        rollback();
        return false;
    }
    return commit(s);
}

std::vector<OpRecord> Journal::select(const char* where) {
    std::string sql =
        "SELECT key, kind, compartment, step, outcome, item_before, fired, created_ms, "
        "updated_ms, sensor_open_before FROM ops ";
    sql += where;
    sql += " ORDER BY seq";
    sqlite::Stmt st(*db_, sql.c_str());
    std::vector<OpRecord> out;
    if (!st) return out;
    while (st.step() == SQLITE_ROW) {
        OpRecord r;
        r.key = st.bytes(0);
        const int kind = st.integer(1);
        const int step = st.integer(3);
        const int outcome = st.integer(4);
        // The file is outside input too: refuse values this code never writes.
        if (kind < 1 || kind > 3 || step < 0 || step > 4 || outcome < 0 || outcome > 6) continue;
        r.kind = static_cast<OpKind>(kind);
        r.compartment = st.integer(2);
        r.step = static_cast<Step>(step);
        r.outcome = static_cast<Outcome>(outcome);
        r.item_before = st.integer(5);
        r.fired = st.integer(6) != 0;
        r.created_ms = st.int64(7);
        r.updated_ms = st.int64(8);
        r.sensor_open_before = st.integer(9) != 0;
        out.push_back(std::move(r));
    }
    return out;
}

std::optional<OpRecord> Journal::find(std::string_view key) {
    std::lock_guard lock(mu_);
    sqlite::Stmt st(*db_, "SELECT seq FROM ops WHERE key=?");
    st.bind(1, key);
    if (!st || st.step() != SQLITE_ROW) return std::nullopt;
    const std::string where = "WHERE seq=" + std::to_string(st.int64(0));
    auto v = select(where.c_str());
    if (v.empty()) return std::nullopt;
    return v.front();
}

std::vector<OpRecord> Journal::unfinished() {
    std::lock_guard lock(mu_);
    return select("WHERE step < 4");
}

std::vector<OpRecord> Journal::all() {
    std::lock_guard lock(mu_);
    return select("");
}

bool Journal::set_inventory(int compartment, InventoryRow row, Sync s) {
    std::lock_guard lock(mu_);
    if (!begin(s)) return false;
    if (!write_inventory(compartment, row)) {
        last_error_ = sqlite::error_message(*db_);
        rollback();
        return false;
    }
    return commit(s);
}

std::map<int, InventoryRow> Journal::inventory() {
    std::lock_guard lock(mu_);
    std::map<int, InventoryRow> out;
    sqlite::Stmt st(*db_, "SELECT compartment, inventory, faulty, updated_ms FROM inventory");
    if (!st) return out;
    while (st.step() == SQLITE_ROW) {
        const int inv = st.integer(1);
        if (inv < 0 || inv > 2) continue;
        out[st.integer(0)] = {static_cast<Inventory>(inv), st.integer(2) != 0, st.int64(3)};
    }
    return out;
}

}  // namespace kiosk::locker
