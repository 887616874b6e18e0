#include "core/i18n.hpp"

#include "core/toml_text.hpp"

namespace kiosk {
namespace {

std::optional<std::string> flatten(const toml::table& t, const std::string& prefix,
                                   std::map<std::string, std::string, std::less<>>& out) {
    for (const auto& [k, v] : t) {
        const std::string key =
            prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
        if (const auto* sub = v.as_table()) {
            if (auto e = flatten(*sub, key, out)) return e;
        } else if (auto s = v.value<std::string>(); v.is_string() && s) {
            out[key] = *s;
        } else {
            return "'" + key + "' (line " + std::to_string(v.source().begin.line) +
                   ") must be a string";
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> I18n::load_text(std::string_view lang, std::string_view toml_text) {
    std::map<std::string, std::string, std::less<>> table;
    toml::table parsed;
    if (auto err = parse_toml(toml_text, lang, parsed)) return err->message;
    if (auto e = flatten(parsed, "", table)) return e;
    tables_[std::string(lang)] = std::move(table);
    return std::nullopt;
}

std::optional<std::string> I18n::load_dir(const std::string& dir) {
    for (const char* lang : kLanguages) {
        const std::string path = dir + "/" + lang + ".toml";
        std::string text;
        if (!read_text_file(path, text)) return path + ": cannot open translation file";
        if (auto e = load_text(lang, text)) return path + ": " + *e;
    }
    return std::nullopt;
}

const std::string& I18n::get(std::string_view lang, std::string_view key) const {
    for (std::string_view l : {lang, std::string_view("zh-CN")}) {
        if (auto t = tables_.find(l); t != tables_.end()) {
            if (auto it = t->second.find(key); it != t->second.end()) return it->second;
        }
    }
    // Keep the key itself alive for the caller: missing strings are shown as their key.
    static thread_local std::map<std::string, std::string, std::less<>> missing;
    auto [it, _] = missing.emplace(std::string(key), std::string(key));
    return it->second;
}

std::string I18n::tr(std::string_view lang, std::string_view key,
                     const std::vector<std::pair<std::string, std::string>>& args) const {
    std::string s = get(lang, key);
    for (const auto& [name, value] : args) {
        const std::string token = "{" + name + "}";
        for (std::size_t pos = s.find(token); pos != std::string::npos;
             pos = s.find(token, pos + value.size()))
            s.replace(pos, token.size(), value);
    }
    return s;
}

bool I18n::has(std::string_view lang, std::string_view key) const {
    auto t = tables_.find(lang);
    return t != tables_.end() && t->second.contains(key);
}

std::vector<std::string> I18n::keys(std::string_view lang) const {
    std::vector<std::string> out;
    if (auto t = tables_.find(lang); t != tables_.end())
        for (const auto& [k, _] : t->second) out.push_back(k);
    return out;
}

}  // namespace kiosk
