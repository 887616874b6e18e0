#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "core/flows/common.hpp"
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

// Issue 19: a key a flow looks up that no catalog has shows on screen as the raw key
// ("service.ticket.title" on the rating page after a queue ticket). Every key the core's sources
// name literally, and the families built from a word (a rated service's title, a print failure's
// reason, a hall error, a rating level), must exist in every language.
TEST_CASE("core.i18n every key the flows look up exists in every catalog") {
    namespace fs = std::filesystem;
    const auto& t = test::i18n();
    std::map<std::string, std::string> wanted;  // key → where it was found
    // Literal keys: tr("k"), tr_in(lang, "k"), keys held for a later tr() (error_ = "k",
    // deposit_error("k"), show_failed(core, vm, "k"), cond ? "k" : "k2"). A literal followed by
    // `+` is a prefix, checked below as a family.
    const std::regex patterns[] = {
        std::regex(R"re(\btr\(\s*"([A-Za-z0-9_.]+)"(\s*\+)?)re"),
        std::regex(R"re(\btr_in\([^,()]*,\s*"([A-Za-z0-9_.]+)"(\s*\+)?)re"),
        std::regex(R"re((?:error|problem)\w*\s*=\s*"([a-z0-9_]+\.[a-z0-9_.]+)"())re"),
        std::regex(R"re(error\w*\(\s*(?:core,\s*vm,\s*)?"([a-z0-9_]+\.[a-z0-9_.]+)"())re"),
        std::regex(R"re(\?\s*"([a-z0-9_]+\.[a-z0-9_.]+)"())re"),
        std::regex(R"re(:\s*"([a-z0-9_]+\.[a-z0-9_.]+)"())re"),
    };
    const std::regex rated(R"re(\bcore\.rate\("([a-z_]+)")re");
    int files = 0;
    for (const auto& e : fs::recursive_directory_iterator(KIOSK_SOURCE_DIR "/kiosk/core")) {
        if (e.path().extension() != ".cpp") continue;
        ++files;
        std::ifstream in(e.path());
        std::stringstream ss;
        ss << in.rdbuf();
        const std::string src = ss.str();
        const std::string where = e.path().filename().string();
        for (const auto& re : patterns)
            for (std::sregex_iterator m(src.begin(), src.end(), re), end; m != end; ++m)
                if (!(*m)[2].matched || (*m)[2].length() == 0) wanted[(*m)[1].str()] = where;
        for (std::sregex_iterator m(src.begin(), src.end(), rated), end; m != end; ++m)
            wanted["service." + (*m)[1].str() + ".title"] = where + " (core.rate)";
    }
    CHECK(files > 10);
    CHECK(wanted.size() > 300);
    for (int r = 0; r <= static_cast<int>(PrintFailure::failed); ++r)
        wanted[flows::print_reason_key(static_cast<PrintFailure>(r))] = "PrintDone::reason";
    for (int level = 1; level <= 5; ++level)
        wanted["evaluation.level." + std::to_string(level)] = "evaluation.cpp";
    for (int k = 0; k <= static_cast<int>(api::ErrorKind::invalid_request); ++k)
        wanted[flows::error_key(api::Error{static_cast<api::ErrorKind>(k), 0, {}, {}})] =
            "flows::error_key";
    for (const auto& [key, where] : wanted)
        for (const char* lang : I18n::kLanguages)
            CHECK_MESSAGE(t.has(lang, key), lang << " lacks " << key << " (" << where << ")");
}
