// TOML text and files, one way for the whole kiosk: configuration, translations, the catalog and
// scenarios all parse through here, whether toml++ was built with exceptions or not.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <toml++/toml.h>

namespace kiosk {

struct TomlError {
    int line = 0;         // 1-based
    std::string message;  // "source:line: description"
};

// Parses `text` (named `source` in messages) into `out`.
std::optional<TomlError> parse_toml(std::string_view text, std::string_view source,
                                    toml::table& out);

// The whole file as bytes; false when it cannot be opened.
bool read_text_file(const std::string& path, std::string& out);

}  // namespace kiosk
