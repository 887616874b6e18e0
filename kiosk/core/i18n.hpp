// Translations: every user-facing string lives in assets/i18n/<lang>.toml (zh-CN first, en).
// Keys are dotted ("home.title"); "{name}" placeholders are filled by tr(key, {{"name", value}}).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiosk {

class I18n {
  public:
    static constexpr const char* kLanguages[] = {"zh-CN", "en"};

    // Loads <dir>/<lang>.toml for every language; returns an error message on failure.
    std::optional<std::string> load_dir(const std::string& dir);
    // Adds or replaces one language from TOML text (tests, and the loader).
    std::optional<std::string> load_text(std::string_view lang, std::string_view toml_text);
    // Adds keys to a language's table; a key defined twice is an error.
    std::optional<std::string> merge_text(std::string_view lang, std::string_view toml_text);

    // The text for key in lang; falls back to zh-CN, then to the key itself (so a missing string
    // is visible on screen and in the coverage test, never a crash).
    const std::string& get(std::string_view lang, std::string_view key) const;
    std::string tr(std::string_view lang, std::string_view key,
                   const std::vector<std::pair<std::string, std::string>>& args = {}) const;
    bool has(std::string_view lang, std::string_view key) const;
    std::vector<std::string> keys(std::string_view lang) const;

  private:
    std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> tables_;
};

}  // namespace kiosk
