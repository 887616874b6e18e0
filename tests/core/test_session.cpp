#include <doctest/doctest.h>

#include <sstream>

#include "core_fixture.hpp"

using namespace kiosk;
using kiosk::test::Fixture;

namespace {

Person zhang() {
    Person p;
    p.name = "张䶮";
    p.id_number = "43060219900101123X";
    p.address = "湖南省岳阳市岳阳楼区南湖大道1号";
    p.valid_to = "20350101";
    p.card_type = "resident";
    p.check_digit_ok = true;
    return p;
}

// Everything the core exposes, as text, to search for personal data.
std::string dump(const Core& core) {
    const ViewModel& v = core.view();
    std::ostringstream s;
    s << v.title << v.prompt << v.body << v.notice << v.idcard.masked_name << v.idcard.masked_id
      << v.idcard.message;
    for (const auto& b : v.banners) s << b;
    const SessionData& d = core.session().data;
    if (d.person) s << d.person->name << d.person->id_number << d.person->address;
    s << d.pickup_code << d.phone;
    for (const auto& [k, val] : d.form) s << k << val;
    return s.str();
}

}  // namespace

TEST_CASE("core.session first touch starts a session on the home scene") {
    Fixture f;
    CHECK(f.core.scene() == SceneId::Attract);
    CHECK_FALSE(f.core.session().active);
    f.core.handle(Touch{});
    CHECK(f.core.scene() == SceneId::Home);
    CHECK(f.core.session().active);
    CHECK(f.core.view().tiles.size() >= 8);
}

TEST_CASE("core.session inactivity warning counts down, a touch extends, expiry resets") {
    Fixture f;
    f.core.handle(Touch{});
    const int idle = f.core.config().session.inactivity_seconds;
    const int warn = f.core.config().session.warning_seconds;
    f.advance(idle - 1);
    CHECK_FALSE(f.core.view().warning);
    f.advance(1);
    CHECK(f.core.view().warning);
    CHECK(f.core.view().warning_seconds_left == warn);
    f.advance(5);
    CHECK(f.core.view().warning_seconds_left == warn - 5);
    f.core.handle(Touch{});  // extend
    CHECK_FALSE(f.core.view().warning);
    CHECK(f.core.scene() == SceneId::Home);
    f.advance(idle + warn - 1);
    CHECK(f.core.view().warning);
    CHECK(f.core.view().warning_seconds_left == 1);
    f.advance(1);
    CHECK(f.core.scene() == SceneId::Attract);
    CHECK_FALSE(f.core.session().active);
}

TEST_CASE("core.session the warning's countdown is at least 20 s") {
    Config c;
    CHECK(apply_config(c, "[session]\nwarning_seconds = 19\n", "x").has_value());
}

TEST_CASE("core.session reset wipes every piece of personal data") {
    Fixture f;
    f.core.handle(Touch{});
    f.intent("tile", "idcheck");
    REQUIRE(f.core.scene() == SceneId::IdCard);
    f.core.handle(CardRead{zhang()});
    f.core.session_mut().data.pickup_code = "834201";
    f.core.session_mut().data.phone = "13812345678";
    f.core.session_mut().data.form["shop_name"] = "岳阳楼小馆";
    CHECK(f.core.view().idcard.masked_name == "张*");
    CHECK(f.core.view().idcard.masked_id == "4306**********123X");
    const std::string before = dump(f.core);
    CHECK(before.find("43060219900101123X") != std::string::npos);  // held during the session

    SUBCASE("by finish") {
        f.intent("finish");
    }
    SUBCASE("by timeout") {
        f.advance(f.core.config().session.inactivity_seconds +
                  f.core.config().session.warning_seconds);
    }
    CHECK(f.core.scene() == SceneId::Attract);
    CHECK(f.core.session().data.empty());
    const std::string after = dump(f.core);
    for (const char* pii : {"张䶮", "43060219900101123X", "834201", "13812345678", "岳阳楼小馆",
                            "南湖大道", "张*", "4306**"})
        CHECK_MESSAGE(after.find(pii) == std::string::npos, "survived reset: " << pii);
    // The next person starts on a clean scene with no identity.
    f.core.handle(Touch{});
    f.intent("tile", "idcheck");
    CHECK(f.core.view().idcard.state == IdCardView::State::Waiting);
    CHECK(f.core.view().idcard.masked_name.empty());
}

TEST_CASE("core.session language and elder mode are per session") {
    Fixture f;
    f.core.handle(Touch{});
    f.intent("lang");
    f.intent("elder");
    CHECK(f.core.view().lang == "en");
    CHECK(f.core.view().elder);
    CHECK(f.core.view().title == "What would you like to do?");
    f.intent("finish");
    CHECK(f.core.view().lang == "zh-CN");
    CHECK_FALSE(f.core.view().elder);
}

TEST_CASE("core.scene coming-soon tiles, back and home") {
    Fixture f;
    f.core.handle(Touch{});
    // A tile no scene serves yet (tiles become ready as their flows are added).
    std::string soon;
    for (const auto& e : f.core.catalog().entries)
        if (!e.ready && soon.empty()) soon = e.id;
    if (soon.empty()) return;
    f.intent("tile", soon);
    CHECK(f.core.scene() == SceneId::ComingSoon);
    CHECK(f.core.view().title == f.core.tr("service." + soon + ".title"));
    CHECK(f.core.view().can_go_back);
    f.intent("back");
    CHECK(f.core.scene() == SceneId::Home);
    f.intent("tile", "guides");
    f.intent("home");
    CHECK(f.core.scene() == SceneId::Home);
}

TEST_CASE("core.scene a device going down disables only the tiles that need it") {
    Fixture f;
    f.core.handle(Touch{});
    f.core.handle(DeviceAvailability{"idcard", false});
    bool idcheck_enabled = true, guides_enabled = false;
    for (const auto& t : f.core.view().tiles) {
        if (t.id == "idcheck") idcheck_enabled = t.enabled;
        if (t.id == "guides") guides_enabled = t.enabled;
    }
    CHECK_FALSE(idcheck_enabled);
    CHECK(guides_enabled);
    REQUIRE(f.core.view().banners.size() == 1);
    CHECK(f.core.view().banners[0] == "身份证阅读器暂不可用");
    f.intent("tile", "idcheck");
    CHECK(f.core.scene() == SceneId::Home);  // a disabled tile does nothing
    f.core.handle(DeviceAvailability{"idcard", true});
    CHECK(f.core.view().banners.empty());
}

TEST_CASE("core.render the view changes only when something visible changes") {
    Fixture f;
    const auto r0 = f.core.revision();
    f.advance(0.5);  // same minute, same notice
    CHECK(f.core.revision() == r0);
    const auto wake = f.core.next_wakeup_ms();
    CHECK(wake > f.now);
    CHECK(wake - f.now <= f.core.config().attract.notice_seconds * 1000);
    f.advance(static_cast<double>(wake - f.now) / 1000.0);
    CHECK(f.core.revision() > r0);  // the notice rotated
}

TEST_CASE("core.attract shows the time to the minute and rotating notices") {
    Fixture f;
    const auto& v = f.core.view();
    CHECK(v.clock.size() == 5);
    CHECK(v.notice_count == 3);
    const std::string first = v.notice;
    f.advance(f.core.config().attract.notice_seconds);
    CHECK(f.core.view().notice != first);
}
