#include "core/i18n.hpp"

#include <algorithm>
#include <filesystem>

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

std::optional<std::string> I18n::merge_text(std::string_view lang, std::string_view toml_text) {
    std::map<std::string, std::string, std::less<>> table;
    toml::table parsed;
    if (auto err = parse_toml(toml_text, lang, parsed)) return err->message;
    if (auto e = flatten(parsed, "", table)) return e;
    auto& into = tables_[std::string(lang)];
    for (auto& [k, v] : table) {
        if (into.contains(k)) return "'" + k + "' is defined twice";
        into.emplace(k, std::move(v));
    }
    return std::nullopt;
}

std::optional<std::string> I18n::load_dir(const std::string& dir) {
    namespace fs = std::filesystem;
    for (const char* lang : kLanguages) {
        // <lang>.toml (the shell), then every <lang>/*.toml in name order (one file per flow).
        std::vector<std::string> files = {dir + "/" + lang + ".toml"};
        std::error_code ec;
        std::vector<std::string> more;
        for (const auto& e : fs::directory_iterator(dir + "/" + lang, ec))
            if (e.path().extension() == ".toml") more.push_back(e.path().string());
        std::sort(more.begin(), more.end());
        files.insert(files.end(), more.begin(), more.end());
        tables_.erase(lang);
        for (const auto& path : files) {
            std::string text;
            if (!read_text_file(path, text)) return path + ": cannot open translation file";
            if (auto e = merge_text(lang, text)) return path + ": " + *e;
        }
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
