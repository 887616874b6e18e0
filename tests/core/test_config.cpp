#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

#include "core/config.hpp"

using namespace kiosk;

TEST_CASE("core.config the built-in default is the documented file and parses") {
    Config c;
    auto e = load_config(c, "");
    REQUIRE_FALSE(e);
    CHECK(c.display.width == 1080);
    CHECK(c.display.height == 1920);
    CHECK(c.session.warning_seconds >= 20);
    CHECK(c.attract.notices.size() == 3);
    CHECK(c.kiosk.hall_name.get("en").find("Yueyang") != std::string::npos);
    CHECK(c.devices.idcard == "sim:idcard");
}

TEST_CASE("core.config an unknown key names the key and line and exits 78") {
    Config c;
    auto e = apply_config(c, "[display]\nwidth = 800\nwidht = 600\n", "site.toml");
    REQUIRE(e);
    CHECK(e->kind == ConfigError::Kind::UnknownKey);
    CHECK(e->key == "display.widht");
    CHECK(e->line == 3);
    CHECK(e->exit_code() == 78);
    CHECK(e->message == "site.toml:3: 'display.widht' is not a known key");
}

TEST_CASE("core.config a wrong type names the key and line") {
    Config c;
    auto e = apply_config(c, "[session]\n\ninactivity_seconds = \"sixty\"\n", "x.toml");
    REQUIRE(e);
    CHECK(e->kind == ConfigError::Kind::WrongType);
    CHECK(e->key == "session.inactivity_seconds");
    CHECK(e->line == 3);
}

TEST_CASE("core.config out-of-range values and bad enums are rejected") {
    Config c;
    CHECK(apply_config(c, "[session]\nwarning_seconds = 5\n", "x")->kind ==
          ConfigError::Kind::BadValue);
    CHECK(apply_config(c, "[display]\nrotation = 45\n", "x")->kind == ConfigError::Kind::BadValue);
    CHECK(apply_config(c, "[kiosk]\nlanguage = \"fr\"\n", "x")->kind ==
          ConfigError::Kind::BadValue);
    CHECK(apply_config(c, "display = 3\n", "x")->kind == ConfigError::Kind::WrongType);
    // The message says what would do.
    auto e = apply_config(c, "[kiosk]\nlanguage = \"fr\"\n", "x");
    REQUIRE(e);
    CHECK(e->message.find("must be \"zh-CN\" or \"en\"") != std::string::npos);
    e = apply_config(c, "[log]\nlevel = \"loud\"\n", "x");
    REQUIRE(e);
    CHECK(e->message.find("must be one of trace, debug, info, warn, error, critical, off") !=
          std::string::npos);
    e = apply_config(c, "[service_menu]\nstaff_cards = [\"12345\"]\n", "x");
    REQUIRE(e);
    CHECK(e->message.find("64 lowercase hex digits") != std::string::npos);
    CHECK(apply_config(c, "[[attract.notice]]\nen = \"only english\"\n", "x")->kind ==
          ConfigError::Kind::BadValue);
}

TEST_CASE("core.config a syntax error gives the line") {
    Config c;
    auto e = apply_config(c, "[display]\nwidth = = 3\n", "bad.toml");
    REQUIRE(e);
    CHECK(e->kind == ConfigError::Kind::Syntax);
    CHECK(e->line == 2);
    CHECK(e->exit_code() == 78);
}

TEST_CASE("core.config a missing file exits 66") {
    Config c;
    auto e = load_config(c, "/nonexistent/kiosk.toml");
    REQUIRE(e);
    CHECK(e->kind == ConfigError::Kind::MissingFile);
    CHECK(e->exit_code() == 66);
}

TEST_CASE("core.config a deployment file overrides only what it names") {
    char path[] = "/tmp/kiosk-config-XXXXXX";
    const int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    {
        std::ofstream out(path);
        out << "[display]\nrotation = 90\n[session]\ninactivity_seconds = 120\n";
    }
    Config c;
    auto e = load_config(c, path);
    std::remove(path);
    REQUIRE_FALSE(e);
    CHECK(c.display.rotation == 90);
    CHECK(c.session.inactivity_seconds == 120);
    CHECK(c.display.width == 1080);
}
