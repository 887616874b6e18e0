#include "core/catalog.hpp"

#include "core/toml_text.hpp"

namespace kiosk {

const CatalogEntry* Catalog::find(std::string_view id) const {
    for (const auto& e : entries)
        if (e.id == id) return &e;
    return nullptr;
}

namespace {

std::optional<std::string> from_table(const toml::table& root, Catalog& out) {
    static const char* known_needs[] = {"hall",       "idcard", "printer",
                                        "a4_printer", "locker", "scanner"};
    const auto* tiles = root["tile"].as_array();
    if (!tiles) return "catalog: expected [[tile]] entries";
    Catalog c;
    for (const auto& node : *tiles) {
        const auto* t = node.as_table();
        if (!t) return "catalog: each tile must be a table";
        const int line = static_cast<int>(t->source().begin.line);
        auto where = [&] { return "catalog:" + std::to_string(line) + ": "; };
        CatalogEntry e;
        for (const auto& [k, v] : *t) {
            const std::string_view key = k.str();
            if (key == "id" && v.is_string()) {
                e.id = *v.value<std::string>();
            } else if (key == "status" && v.is_string()) {
                const auto s = *v.value<std::string>();
                if (s != "ready" && s != "coming_soon")
                    return where() + "status must be \"ready\" or \"coming_soon\"";
                e.ready = s == "ready";
            } else if (key == "scene" && v.is_string()) {
                e.scene = *v.value<std::string>();
            } else if (key == "needs" && v.is_array()) {
                for (const auto& n : *v.as_array()) {
                    auto s = n.value<std::string>();
                    bool ok = false;
                    for (const char* kn : known_needs) ok = ok || (s && *s == kn);
                    if (!ok) return where() + "unknown need";
                    e.needs.push_back(*s);
                }
            } else {
                return where() + "unknown or mistyped key '" + std::string(key) + "'";
            }
        }
        if (e.id.empty()) return where() + "a tile needs an id";
        if (e.ready && e.scene.empty()) return where() + "a ready tile needs a scene";
        if (c.find(e.id)) return where() + "duplicate tile '" + e.id + "'";
        c.entries.push_back(std::move(e));
    }
    out = std::move(c);
    return std::nullopt;
}

}  // namespace

std::optional<std::string> parse_catalog(std::string_view text, Catalog& out) {
    toml::table root;
    if (auto err = parse_toml(text, "catalog", root)) return err->message;
    return from_table(root, out);
}

std::optional<std::string> load_catalog(const std::string& path, Catalog& out) {
    std::string text;
    if (!read_text_file(path, text)) return path + ": cannot open";
    return parse_catalog(text, out);
}

}  // namespace kiosk
