// Offline cache of catalog and guides; see cache.hpp.
#include "backend/cache.hpp"

#include <sqlite3.h>

#include "core/log.hpp"

namespace kiosk::backend {

api::Result<std::unique_ptr<Cache>> Cache::open(const std::string& path) {
    std::unique_ptr<Cache> c(new Cache());
    int rc = sqlite3_open(path.c_str(), &c->db_);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(
            c->db_,
            "PRAGMA journal_mode=WAL;"
            "CREATE TABLE IF NOT EXISTS cache(k TEXT PRIMARY KEY, body BLOB, at INTEGER);",
            nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        return api::Error{
            api::ErrorKind::storage, 0, {}, std::string("cache: ") + sqlite3_errstr(rc)};
    return c;
}

Cache::~Cache() {
    if (db_) sqlite3_close(db_);
}

void Cache::put(const std::string& key, const std::string& body) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO cache VALUES(?,?,strftime('%s','now'))", -1,
                           &st, nullptr) != SQLITE_OK)
        return;
    sqlite3_bind_text(st, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 2, body.data(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE)
        kiosk::log::get("backend")->warn("cache write failed: {}", sqlite3_errmsg(db_));
    sqlite3_finalize(st);
}

std::optional<std::string> Cache::get(const std::string& key) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT body FROM cache WHERE k=?", -1, &st, nullptr) != SQLITE_OK)
        return std::nullopt;
    sqlite3_bind_text(st, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
    std::optional<std::string> out;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const void* p = sqlite3_column_blob(st, 0);
        int n = sqlite3_column_bytes(st, 0);
        out = p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n))
                : std::string{};
    }
    sqlite3_finalize(st);
    return out;
}

}  // namespace kiosk::backend
