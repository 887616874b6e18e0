#include "base/sqlite.hpp"

#include <SQLiteCpp/Exception.h>

namespace kiosk::sqlite {

Result<std::unique_ptr<Database>, Error> open(const std::string& path, int busy_timeout_ms,
                                              const char* vfs) {
    try {
        return std::make_unique<Database>(
            path.c_str(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX,
            busy_timeout_ms, vfs);
    } catch (const SQLite::Exception& e) {
        return fail(Error{e.getErrorCode(), e.what()});
    }
}

int exec(Database& db, const char* sql) {
    return db.tryExec(sql);
}

std::string error_message(const Database& db) {
    return sqlite3_errmsg(db.getHandle());
}

std::string error_text(int code) {
    return sqlite3_errstr(code);
}

Stmt::Stmt(Database& db, const char* sql) {
    try {
        st_.emplace(db, sql);
    } catch (const SQLite::Exception& e) {
        prepare_rc_ = e.getErrorCode();
    }
}

// Binding fails only for an index the statement does not have: the parameter stays NULL, as
// sqlite3_bind_*'s ignored result code left it before.
void Stmt::bind(int i, std::int64_t v) {
    if (!st_) return;
    try {
        st_->bind(i, static_cast<int64_t>(v));
    } catch (const SQLite::Exception&) {
    }
}

void Stmt::bind(int i, std::string_view text) {
    if (!st_) return;
    try {
        st_->bind(i, std::string(text));
    } catch (const SQLite::Exception&) {
    }
}

void Stmt::bind_blob(int i, std::string_view bytes) {
    if (!st_) return;
    try {
        st_->bind(i, bytes.data(), static_cast<int>(bytes.size()));
    } catch (const SQLite::Exception&) {
    }
}

void Stmt::bind_null(int i) {
    if (!st_) return;
    try {
        st_->bind(i);
    } catch (const SQLite::Exception&) {
    }
}

int Stmt::step() {
    return st_ ? st_->tryExecuteStep() : prepare_rc_;
}

std::int64_t Stmt::int64(int i) const {
    return st_->getColumn(i).getInt64();
}

int Stmt::integer(int i) const {
    return st_->getColumn(i).getInt();
}

std::string Stmt::bytes(int i) const {
    const SQLite::Column c = st_->getColumn(i);
    const void* p = c.getBlob();
    return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(c.getBytes()))
             : std::string{};
}

}  // namespace kiosk::sqlite
