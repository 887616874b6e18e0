#include "core/toml_text.hpp"

#include <fstream>
#include <sstream>

namespace kiosk {
namespace {

TomlError to_error(const toml::parse_error& err, std::string_view source) {
    TomlError e;
    e.line = static_cast<int>(err.source().begin.line);
    e.message =
        std::string(source) + ":" + std::to_string(e.line) + ": " + std::string(err.description());
    return e;
}

}  // namespace

std::optional<TomlError> parse_toml(std::string_view text, std::string_view source,
                                    toml::table& out) {
#if TOML_EXCEPTIONS
    try {
        out = toml::parse(text, source);
    } catch (const toml::parse_error& err) {
        return to_error(err, source);
    }
#else
    toml::parse_result parsed = toml::parse(text, source);
    if (!parsed) return to_error(parsed.error(), source);
    out = std::move(parsed).table();
#endif
    return std::nullopt;
}

bool read_text_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::stringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return true;
}

}  // namespace kiosk
