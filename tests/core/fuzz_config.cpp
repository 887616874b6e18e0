// libFuzzer target: the kiosk's own TOML inputs (configuration, home catalog, translations).
// Every input must end in a typed error or a value, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/catalog.hpp"
#include "core/config.hpp"
#include "core/i18n.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    kiosk::Config config;
    (void)kiosk::apply_config(config, text, "fuzz");
    kiosk::Catalog catalog;
    (void)kiosk::parse_catalog(text, catalog);
    kiosk::I18n i18n;
    (void)i18n.load_text("en", text);
    return 0;
}
