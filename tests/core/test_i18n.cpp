#include <doctest/doctest.h>

#include "core_fixture.hpp"

using namespace kiosk;

TEST_CASE("core.i18n every key exists in both languages") {
    const auto& t = test::i18n();
    for (const auto& k : t.keys("zh-CN")) CHECK_MESSAGE(t.has("en", k), "en lacks " << k);
    for (const auto& k : t.keys("en")) CHECK_MESSAGE(t.has("zh-CN", k), "zh-CN lacks " << k);
}

TEST_CASE("core.i18n every catalog tile has a title and hint") {
    const auto& t = test::i18n();
    for (const auto& e : test::catalog().entries)
        for (const char* lang : I18n::kLanguages) {
            CHECK_MESSAGE(t.has(lang, "service." + e.id + ".title"), e.id << " " << lang);
            CHECK_MESSAGE(t.has(lang, "service." + e.id + ".hint"), e.id << " " << lang);
        }
}

TEST_CASE("core.i18n placeholders and missing keys") {
    I18n t;
    REQUIRE_FALSE(t.load_text("zh-CN", "a = \"{s} 秒\"\n"));
    CHECK(t.tr("zh-CN", "a", {{"s", "20"}}) == "20 秒");
    CHECK(t.tr("en", "a", {{"s", "3"}}) == "3 秒");  // falls back to zh-CN
    CHECK(t.get("en", "no.such.key") == "no.such.key");
    CHECK(t.load_text("en", "a = 3\n").has_value());
}

TEST_CASE("core.catalog rejects bad entries") {
    Catalog c;
    CHECK(parse_catalog("[[tile]]\nid = \"x\"\nstatus = \"maybe\"\n", c).has_value());
    CHECK(parse_catalog("[[tile]]\nid = \"x\"\nneeds = [\"teleporter\"]\n", c).has_value());
    CHECK(parse_catalog("[[tile]]\nid = \"x\"\n[[tile]]\nid = \"x\"\n", c).has_value());
    CHECK(parse_catalog("[[tile]]\nid = \"x\"\ncolour = 1\n", c).has_value());
    CHECK_FALSE(parse_catalog("[[tile]]\nid = \"x\"\n", c).has_value());
}
