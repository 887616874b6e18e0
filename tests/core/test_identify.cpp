// The one identify step (kiosk/core/flows/common.cpp take_person), tested once: every flow that
// reads an ID card and the ID-card scene go through it (issue #19, "One way to do each citizen
// step"; the scene once left the ID number unmasked).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/flows/common.hpp"
#include "core/log.hpp"
#include "core_fixture.hpp"

using namespace kiosk;

namespace {

Person person(std::string name, std::string id, std::string address) {
    Person p;
    p.name = std::move(name);
    p.id_number = std::move(id);
    p.address = std::move(address);
    p.card_type = "resident";
    return p;
}

}  // namespace

TEST_CASE("core.identify one redaction rule: name, ID number and address never reach the log") {
    char dir[] = "/tmp/kiosk-identify-XXXXXX";
    REQUIRE(mkdtemp(dir));
    const std::string file = std::string(dir) + "/kiosk.log";
    log::init({.file = file, .to_stderr = false});
    test::Fixture f;
    const Person& kept = flows::take_person(
        f.core, person("欧阳娜娜", "430602199001011235", "湖南省岳阳市岳阳楼区金鹗中路1号"));
    CHECK(kept.name == "欧阳娜娜");
    REQUIRE(f.core.session().data.person.has_value());
    // A line that (wrongly) holds each field, in a shape the generic rules would not catch.
    log::get("test")->info("n={} a={} id-as-words={}", "欧阳娜娜",
                           "湖南省岳阳市岳阳楼区金鹗中路1号", "430602199001011235");
    // A second card in the same session replaces the first.
    flows::take_person(f.core, person("李雷", "43060219850505123X", "湖南省岳阳市君山区"));
    CHECK(f.core.session().data.person->name == "李雷");
    log::get("test")->info("second: {}", "李雷");
    log::clear_redactions();
    log::flush();
    std::ifstream in(file);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    CHECK(text.find("[test]") != std::string::npos);
    for (const char* personal : {"欧阳娜娜", "430602199001011235", "金鹗中路", "李雷"})
        CHECK_MESSAGE(text.find(personal) == std::string::npos, personal);
    log::init({});
    std::filesystem::remove_all(dir);
}
