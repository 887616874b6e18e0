// A Core on the real default configuration, translations and catalog, with a virtual clock.
#pragma once

#include <doctest/doctest.h>

#include "core/catalog.hpp"
#include "core/config.hpp"
#include "core/i18n.hpp"
#include "core/kiosk_core.hpp"

namespace kiosk::test {

inline const I18n& i18n() {
    static I18n t = [] {
        I18n i;
        auto e = i.load_dir(KIOSK_SOURCE_DIR "/assets/i18n");
        REQUIRE_MESSAGE(!e, (e ? *e : ""));
        return i;
    }();
    return t;
}

inline Catalog catalog() {
    Catalog c;
    auto e = load_catalog(KIOSK_SOURCE_DIR "/assets/catalog.toml", c);
    REQUIRE_MESSAGE(!e, (e ? *e : ""));
    return c;
}

inline Config default_config() {
    Config c;
    auto e = load_config(c, "");
    REQUIRE_MESSAGE(!e, (e ? e->message : ""));
    return c;
}

struct Fixture {
    // 2026-11-26 21:30:00 UTC+8 expressed in UTC ms.
    std::int64_t now = 1795786200000LL;
    Core core{default_config(), i18n(), catalog()};
    Fixture() { core.handle(Tick{now}); }
    void advance(double seconds) {
        now += static_cast<std::int64_t>(seconds * 1000);
        core.handle(Tick{now});
    }
    void intent(std::string a, std::string arg = {}) {
        core.handle(Intent{std::move(a), std::move(arg)});
    }
};

}  // namespace kiosk::test
