#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/log.hpp"

TEST_CASE("core.log every line is redacted before any sink sees it") {
    char dir[] = "/tmp/kiosk-log-XXXXXX";
    REQUIRE(mkdtemp(dir));
    const std::string file = std::string(dir) + "/kiosk.log";
    kiosk::log::init({.file = file, .to_stderr = false});
    kiosk::log::add_redaction("王䶮");
    auto log = kiosk::log::get("test");
    log->info("read 43060219900101123X for 王䶮, phone 13812345678");
    kiosk::log::clear_redactions();
    kiosk::log::flush();
    std::ifstream in(file);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    CHECK(text.find("[test]") != std::string::npos);
    CHECK(text.find("4306**********123X") != std::string::npos);
    CHECK(text.find("43060219900101123X") == std::string::npos);
    CHECK(text.find("王䶮") == std::string::npos);
    CHECK(text.find("13812345678") == std::string::npos);
    kiosk::log::init({});
    std::filesystem::remove_all(dir);
}
