// What the voice says (kiosk/core/speech.hpp, issue 18), and that espeak-ng speaks every zh-CN
// string of the kiosk as Mandarin, with no switch to another language.
#include <cstdio>
#include <fstream>
#include <regex>

#include "core/speech.hpp"
#include "core_fixture.hpp"
#include "common/temp_dir.hpp"

using namespace kiosk;

TEST_CASE("core.speech codes digit by digit, money in 元角分, years as digits") {
    using speech::spoken;
    CHECK(spoken("请拨打 12345,报本机编号 DEMO0001。", "zh-CN") ==
          "请拨打 幺二三四五,报本机编号 D E M O 零零零幺。");
    CHECK(spoken("取件码 246810", "zh-CN") == "取件码 二四六八幺零");
    CHECK(spoken("C1-03号柜门", "zh-CN") == "C 幺零三号柜门");
    CHECK(spoken("应缴 12.50元", "zh-CN") == "应缴 12元5角");
    CHECK(spoken("0.05元", "zh-CN") == "5分");
    CHECK(spoken("12.05元", "zh-CN") == "12元零5分");
    CHECK(spoken("100元", "zh-CN") == "100元");
    CHECK(spoken("2035年1月1日", "zh-CN") == "二零三五年1月1日");
    // Counts and times stay numbers.
    CHECK(spoken("大约 3 分钟后到", "zh-CN") == "大约 3 分钟后到");
    CHECK(spoken("第3项,共8项", "zh-CN") == "第3项,共8项");
    CHECK(spoken("周一至周五 8:30-17:30", "zh-CN") == "周一至周五 8:30-17:30");
    CHECK(spoken("Call 12345 and give this kiosk's code DEMO0001.", "en") ==
          "Call 1 2 3 4 5 and give this kiosk's code D E M O 0 0 0 1.");
    CHECK(spoken("Door C1-03", "en") == "Door C 1 0 3");
    CHECK(std::string(speech::voice("zh-CN")) == "cmn-latn-pinyin");
}

TEST_CASE("core.speech espeak-ng speaks every zh-CN string as Mandarin (no language switch)") {
    // Source of the check: espeak-ng's -x output marks a switch of language as "(en)", "(cmn)"…
    // (seen with `espeak-ng -v cmn -x -q "请插入身份证"` → "(en)kI55NTr'i:55…").
    const I18n& i18n = test::i18n();
    test::TempDir dir;
    const std::string in = dir.path + "/zh.txt";
    std::vector<std::string> lines;
    {
        std::ofstream f(in);
        const std::regex placeholder(R"(\{[a-z_]+\})");
        for (const auto& key : i18n.keys("zh-CN")) {
            std::string text = std::regex_replace(i18n.get("zh-CN", key), placeholder, "3");
            if (text.empty()) continue;
            // One line per string; the synthesiser sees what the kiosk would hand it.
            std::string said = speech::spoken(text, "zh-CN");
            for (char& c : said)
                if (c == '\n') c = ' ';
            f << said << "\n";
            lines.push_back(key);
        }
    }
    REQUIRE(lines.size() > 100);
    const std::string cmd =
        "espeak-ng -q -x -v " + std::string(speech::voice("zh-CN")) + " -f " + in + " 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p);
    std::string out;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    REQUIRE(pclose(p) == 0);
    REQUIRE_FALSE(out.empty());
    const std::regex sw(R"(\((en|cmn|zh|[a-z]{2,3}(-[a-z]+)*)\))");
    std::smatch m;
    const bool switched = std::regex_search(out, m, sw);
    CHECK_MESSAGE(!switched,
                  "espeak-ng switched language: "
                      << (switched ? m.str() : "") << " near '"
                      << (switched ? out.substr(std::max<long>(0, m.position() - 80), 160) : "")
                      << "'");
}
