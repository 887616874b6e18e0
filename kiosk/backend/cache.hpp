// Offline cache of published information (catalog, guide list, guides): the raw bodies the hall
// last sent, in SQLite, so the kiosk can show them while the hall is unreachable. Bodies are
// re-validated by the same parsers when served, so a damaged cache is an error, never a crash.
// Used only from the Client's worker thread.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "api/result.hpp"

namespace SQLite {
class Database;
}

namespace kiosk::backend {

class Cache {
  public:
    static api::Result<std::unique_ptr<Cache>> open(const std::string& path);
    ~Cache();
    Cache(const Cache&) = delete;
    Cache& operator=(const Cache&) = delete;

    void put(const std::string& key, const std::string& body);
    std::optional<std::string> get(const std::string& key);

  private:
    Cache() = default;
    std::unique_ptr<SQLite::Database> db_;
};

}  // namespace kiosk::backend
