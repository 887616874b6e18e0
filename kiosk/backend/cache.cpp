// Offline cache of catalog and guides; see cache.hpp.
#include "backend/cache.hpp"

#include "base/sqlite.hpp"
#include "core/log.hpp"

namespace kiosk::backend {

api::Result<std::unique_ptr<Cache>> Cache::open(const std::string& path) {
    std::unique_ptr<Cache> c(new Cache());
    auto db = sqlite::open(path, 0);
    int rc = db ? SQLITE_OK : db.error().code;
    if (db) {
        c->db_ = std::move(*db);
        rc = sqlite::exec(
            *c->db_,
            "PRAGMA journal_mode=WAL;"
            "CREATE TABLE IF NOT EXISTS cache(k TEXT PRIMARY KEY, body BLOB, at INTEGER);");
    }
    if (rc != SQLITE_OK)
        return api::Error{api::ErrorKind::storage, 0, {}, "cache: " + sqlite::error_text(rc)};
    return c;
}

Cache::~Cache() = default;

void Cache::put(const std::string& key, const std::string& body) {
    sqlite::Stmt st(*db_, "INSERT OR REPLACE INTO cache VALUES(?,?,strftime('%s','now'))");
    if (!st) return;
    st.bind(1, key);
    st.bind_blob(2, body);
    if (st.step() != SQLITE_DONE)
        kiosk::log::get("backend")->warn("cache write failed: {}", sqlite::error_message(*db_));
}

std::optional<std::string> Cache::get(const std::string& key) {
    sqlite::Stmt st(*db_, "SELECT body FROM cache WHERE k=?");
    if (!st) return std::nullopt;
    st.bind(1, key);
    std::optional<std::string> out;
    if (st.step() == SQLITE_ROW) out = st.bytes(0);
    return out;
}

}  // namespace kiosk::backend
