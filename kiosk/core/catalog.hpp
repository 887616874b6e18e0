// The home screen's service tiles. The same catalog drives every tile: a service whose scene is
// not built yet shows "coming soon"; one whose device or the hall is down is disabled with a
// notice.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk {

struct CatalogEntry {
    std::string id;  // "pickup"; titles are i18n keys service.<id>.title / .hint
    std::vector<std::string>
        needs;           // "hall", "idcard", "printer", "a4_printer", "locker", "scanner"
    bool ready = false;  // a scene exists for it
    std::string scene;   // scene id that serves it, when ready
};

struct Catalog {
    std::vector<CatalogEntry> entries;
    const CatalogEntry* find(std::string_view id) const;
};

// Parses assets/catalog.toml; returns an error message on bad input.
std::optional<std::string> parse_catalog(std::string_view toml_text, Catalog& out);
std::optional<std::string> load_catalog(const std::string& path, Catalog& out);

}  // namespace kiosk
