// The one way the kiosk uses SQLite: SQLiteCpp (Debian's libsqlitecpp-dev) for the connection and
// the statements, plus a statement that reports instead of throwing, so the stores keep their
// exact error handling (a full disk, a corrupt file and a busy lock are told apart by the SQLite
// result code) and no store handles raw sqlite3 handles.
//
// Callers keep their own schema, pragmas and transaction rules (journal_mode=WAL, and
// synchronous=FULL where a write must be on disk before the call returns); this file adds none.
#pragma once

#include <sqlite3.h>  // the result codes (SQLITE_OK, SQLITE_ROW, SQLITE_DONE, ...)

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "base/result.hpp"

namespace kiosk::sqlite {

using Database = SQLite::Database;

struct Error {
    int code = 0;         // the SQLite result code of the failing call
    std::string message;  // sqlite3_errmsg() at the time
};

// Opens `path` read-write, creating it, serialized (SQLITE_OPEN_FULLMUTEX), with a busy timeout.
// `vfs` names a registered SQLite VFS (tests inject faults through one); null: the default.
Result<std::unique_ptr<Database>, Error> open(const std::string& path, int busy_timeout_ms,
                                              const char* vfs = nullptr);

// Runs `sql` (one or more statements): SQLITE_OK or the failing result code; the message is in
// error_message(db).
int exec(Database& db, const char* sql);
inline int exec(Database& db, const std::string& sql) {
    return exec(db, sql.c_str());
}

// sqlite3_errmsg() of the connection; the text of a result code (sqlite3_errstr()).
std::string error_message(const Database& db);
std::string error_text(int code);

// A prepared statement (SQLite::Statement) that never throws: a statement that did not prepare
// keeps the result code, and step() returns it. Text and blobs are copied when bound.
class Stmt {
  public:
    Stmt(Database& db, const char* sql);
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    // SQLITE_OK when prepared, else the prepare's result code.
    int prepared() const { return prepare_rc_; }
    explicit operator bool() const { return st_.has_value(); }

    void bind(int i, std::int64_t v);
    void bind(int i, int v) { bind(i, static_cast<std::int64_t>(v)); }
    void bind(int i, std::string_view text);  // as TEXT
    void bind(int i, const char* text) { bind(i, std::string_view(text)); }
    void bind(int i, const std::string& text) { bind(i, std::string_view(text)); }
    void bind_blob(int i, std::string_view bytes);
    void bind_null(int i);

    // SQLITE_ROW, SQLITE_DONE or the failing result code (the prepare's, if it failed).
    int step();

    // Columns of the current row (after step() returned SQLITE_ROW).
    std::int64_t int64(int i) const;
    int integer(int i) const;
    std::string bytes(int i) const;  // text or blob; "" when NULL

  private:
    std::optional<SQLite::Statement> st_;
    int prepare_rc_ = SQLITE_OK;
};

}  // namespace kiosk::sqlite
