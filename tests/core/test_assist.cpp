// Staff calls (kiosk/core/assist.hpp) through the Core: every state the screen can show, and that
// each one is true (issue 17). The outbox and hall answers are fed by hand here; the real outbox,
// hall simulator and fleet are in tests/backend/test_assist.cpp, tests/fleet and the scenarios.
#include <algorithm>

#include "api/requests.hpp"
#include "core_fixture.hpp"
#include "effects.hpp"

using namespace kiosk;

namespace {

Config config_with(const char* duty) {
    Config c = test::default_config();
    for (auto& d : c.assist.duty) d = duty;
    c.assist.short_code = "YY0417";
    c.assist.hotline = "12345";
    return c;
}

struct Call {
    std::int64_t now = 1795786200000LL;  // 2026-11-26 13:30 UTC, a Thursday
    Core core;
    std::vector<Effect> fx;
    explicit Call(const char* duty = "00:00-24:00")
        : core(config_with(duty), test::i18n(), test::catalog()) {
        core.handle(Tick{now});
        core.handle(Touch{});
        take();
    }
    void take() {
        auto more = core.take_effects();
        fx.insert(fx.end(), more.begin(), more.end());
    }
    template <class T>
    std::vector<T> of(std::string_view kind = {}) {
        take();
        return test::take_of<T>(fx, kind);
    }
    void advance(double s) {
        now += static_cast<std::int64_t>(s * 1000);
        core.handle(Tick{now});
    }
    void intent(const std::string& a) { core.handle(Intent{a, {}}); }
    std::string banner() const {
        std::string all;
        for (const auto& b : core.view().banners) all += b + "|";
        return all;
    }
    bool says(const std::string& s) const { return banner().find(s) != std::string::npos; }
    // Presses "call staff" and stores the row: returns the call's effect.
    fx::CallStaff call_stored() {
        intent("staff");
        auto calls = of<fx::CallStaff>();
        REQUIRE(calls.size() == 1);
        core.handle(OutboxStored{calls[0].tag, true, {}});
        return calls[0];
    }
    // The status request the call makes, answered with `c` (or an error).
    void answer_status(api::Result<api::Payload> result) {
        auto reqs = of<fx::HallRequest>();
        REQUIRE(reqs.size() == 1);
        REQUIRE(reqs[0].request.op == api::Op::assist_status);
        api::Response r;
        r.op = api::Op::assist_status;
        r.result = std::move(result);
        core.handle(HallReply{reqs[0].tag, std::move(r)});
    }
    api::Result<api::Payload> state(api::AssistState s, bool staffed = true, int eta = -1) {
        api::AssistCall c;
        c.call_id = core.assist().current().call_id;
        c.kiosk_id = "demo-0001";
        c.state = s;
        c.staffed = staffed;
        if (eta >= 0) c.eta_minutes = eta;
        c.reason = "citizen";
        c.updated_at = "2026-11-26T13:31:00Z";
        return api::Payload{c};
    }
};

}  // namespace

TEST_CASE("core.assist a call is an outbox row first and says 'sent' only once it is on disk") {
    Call c;
    c.intent("staff");
    auto calls = c.of<fx::CallStaff>();
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].kind == "assist.call");
    const std::string& p = calls[0].payload;
    CHECK(p.find("\"reason\":\"citizen\"") != std::string::npos);
    CHECK(p.find("\"scene\":\"home\"") != std::string::npos);
    CHECK(p.find("\"kiosk_id\":\"demo-0001\"") != std::string::npos);
    CHECK(p.find("\"location\":\"大厅入口\"") != std::string::npos);
    CHECK(p.find("\"after_hours\":false") != std::string::npos);
    // The audit trail has the step too.
    auto audit = c.of<fx::OutboxAppend>("audit");
    REQUIRE(audit.size() == 1);
    CHECK(audit[0].payload.find("assist.call") != std::string::npos);
    // Not yet on disk: "calling", not "sent".
    CHECK(c.says("正在呼叫工作人员"));
    CHECK_FALSE(c.says("已发出"));
    CHECK(c.core.view().staff_called);  // the chrome's button now cancels
    c.core.handle(OutboxStored{calls[0].tag, true, {}});
    CHECK(c.says("呼叫已发出,正在等待工作人员回应"));
    // The hall has it: "received".
    c.advance(1.5);
    c.answer_status(c.state(api::AssistState::open));
    CHECK(c.says("服务台已收到呼叫"));
}

TEST_CASE("core.assist pressing again or a flow calling while one is open sends nothing new") {
    Call c;
    c.call_stored();
    c.intent("staff");
    CHECK(c.of<fx::CallStaff>().empty());
    CHECK_FALSE(c.core.call_staff("door_jammed"));
    CHECK(c.of<fx::CallStaff>().empty());
    c.intent("tile");  // another screen
    CHECK_FALSE(c.core.call_staff("proof.paper_out"));
    CHECK(c.of<fx::CallStaff>().empty());
}

TEST_CASE("core.assist acknowledged by the hall's desk: 'staff have seen it, about N minutes'") {
    Call c;
    c.call_stored();
    c.advance(1.5);
    c.answer_status(c.state(api::AssistState::acknowledged, true, 4));
    CHECK(c.says("工作人员已看到呼叫,大约 4 分钟后到"));
    CHECK(c.core.assist().phase() == StaffCall::Phase::acknowledged);
    // It keeps asking while open, and a later "open" answer does not undo the estimate.
    c.advance(6);
    c.answer_status(c.state(api::AssistState::open));
    CHECK(c.says("大约 4 分钟后到"));
    // English too.
    c.intent("lang");
    CHECK(c.says("Staff have seen your call and will be here in about 4 min"));
}

TEST_CASE("core.assist acknowledged by a signed fleet command (AssistAck)") {
    Call c;
    c.call_stored();
    const std::string id = c.core.assist().current().call_id;
    c.core.handle(AssistAck{"someone-else", 3, "fleet:ops"});
    CHECK_FALSE(c.says("分钟后到"));
    c.core.handle(AssistAck{id, 3, "fleet:ops"});
    CHECK(c.says("大约 3 分钟后到"));
    auto audit = c.of<fx::OutboxAppend>("audit");
    CHECK(std::any_of(audit.begin(), audit.end(), [](const fx::OutboxAppend& e) {
        return e.payload.find("assist.acknowledged") != std::string::npos &&
               e.payload.find("fleet:ops") != std::string::npos;
    }));
}

TEST_CASE("core.assist no answer in answer_seconds: the hotline, the short code, what to do") {
    Call c;
    c.call_stored();
    c.advance(1.5);
    c.answer_status(c.state(api::AssistState::open));
    const int limit = c.core.config().assist.answer_seconds;
    for (int t = 0; t < limit; t += 5) {
        c.advance(5);
        auto reqs = c.of<fx::HallRequest>();
        for (auto& r : reqs) {
            api::Response resp;
            resp.op = api::Op::assist_status;
            resp.result = c.state(api::AssistState::open);
            c.core.handle(HallReply{r.tag, resp});
        }
    }
    CHECK(c.core.assist().phase() == StaffCall::Phase::unanswered);
    CHECK(c.says("暂时还没有工作人员回应"));
    CHECK(c.says("请拨打 12345,报本机编号 YY0417"));
    CHECK(c.says("周一至周五 8:30-17:30"));
    CHECK_FALSE(c.says("已看到"));
    // The call stays open: a late acknowledgement still reaches the screen.
    c.core.handle(AssistAck{c.core.assist().current().call_id, 2, "fleet:ops"});
    CHECK(c.says("大约 2 分钟后到"));
}

TEST_CASE("core.assist after hours: recorded, nobody promised, the hotline instead") {
    Call c("");  // nobody on duty any day
    auto call = c.call_stored();
    CHECK(call.payload.find("\"after_hours\":true") != std::string::npos);
    CHECK(c.core.assist().phase() == StaffCall::Phase::after_hours);
    CHECK(c.says("现在无人值守,您的求助已记录。"));
    CHECK(c.says("12345"));
    CHECK(c.says("YY0417"));
    CHECK_FALSE(c.says("已发出,正在等待"));
}

TEST_CASE("core.assist the hall's own roster says nobody is staffed") {
    Call c;
    c.call_stored();
    c.advance(1.5);
    c.answer_status(c.state(api::AssistState::open, false));
    CHECK(c.core.assist().phase() == StaffCall::Phase::after_hours);
    CHECK(c.says("12345"));
}

TEST_CASE("core.assist holidays and make-up working days decide duty") {
    Config::Assist a;
    a.duty = {"", "08:30-12:00,13:30-17:30", "", "", "", "", ""};
    a.holidays = {"2026-10-01"};
    a.workdays = {"2026-10-11"};  // a Sunday worked as a Monday
    CHECK(duty::on_duty(a, 1, "2026-10-05", 9 * 60));
    CHECK_FALSE(duty::on_duty(a, 1, "2026-10-05", 12 * 60 + 30));  // lunch
    CHECK_FALSE(duty::on_duty(a, 4, "2026-10-01", 9 * 60));        // holiday
    CHECK(duty::on_duty(a, 0, "2026-10-11", 14 * 60));             // make-up day
    CHECK_FALSE(duty::on_duty(a, 0, "2026-10-18", 14 * 60));
    std::vector<std::pair<int, int>> r;
    CHECK(duty::parse_ranges("", &r));
    CHECK(r.empty());
    CHECK(duty::parse_ranges("00:00-24:00", &r));
    CHECK_FALSE(duty::parse_ranges("9:00-17:00", nullptr));
    CHECK_FALSE(duty::parse_ranges("17:00-09:00", nullptr));
    CHECK_FALSE(duty::parse_ranges("08:00-12:00,", nullptr));
    // A bad spelling in the configuration is an error naming the key.
    Config c;
    auto e = apply_config(c, "[assist.duty]\nmon = \"8-17\"\n", "t.toml");
    REQUIRE(e);
    CHECK(e->key == "assist.duty.mon");
    e = apply_config(c, "[assist]\nholidays = [\"10/01\"]\n", "t.toml");
    REQUIRE(e);
    CHECK(e->key == "assist.holidays");
}

TEST_CASE("core.assist the hall cannot be reached: recorded, sent later, the hotline now") {
    Call c;
    c.call_stored();
    c.advance(1.5);
    c.answer_status(api::Error{api::ErrorKind::offline, 0, {}, "down"});
    CHECK(c.core.assist().phase() == StaffCall::Phase::hall_down);
    CHECK(c.says("暂时联系不上服务台,您的求助已记录,联网后送达。"));
    CHECK(c.says("12345"));
    // The hall comes back and has it.
    c.advance(5);
    c.answer_status(c.state(api::AssistState::open));
    CHECK(c.core.assist().phase() == StaffCall::Phase::received);
}

TEST_CASE("core.assist a 404 is delivery on its way, for a while, then the hall is not hearing") {
    Call c;
    c.call_stored();
    c.advance(1.5);
    c.answer_status(api::Error{api::ErrorKind::not_found, 404, "not_found", {}});
    CHECK(c.core.assist().phase() == StaffCall::Phase::sent);
    for (int i = 0; i < 5; ++i) {
        c.advance(5);
        c.answer_status(api::Error{api::ErrorKind::not_found, 404, "not_found", {}});
    }
    CHECK(c.core.assist().phase() == StaffCall::Phase::hall_down);
}

TEST_CASE("core.assist the outbox refused the row: nothing went out, and the screen says so") {
    Call c;
    c.intent("staff");
    auto calls = c.of<fx::CallStaff>();
    REQUIRE(calls.size() == 1);
    c.core.handle(OutboxStored{calls[0].tag, false, "disk full"});
    CHECK(c.core.assist().phase() == StaffCall::Phase::not_stored);
    CHECK(c.says("呼叫没能发出"));
    CHECK(c.says("12345"));
    CHECK_FALSE(c.core.view().staff_called);  // the button calls again
    c.intent("staff");
    CHECK(c.of<fx::CallStaff>().size() == 1);
}

TEST_CASE("core.assist the citizen cancels, the desk hears it") {
    Call c;
    c.call_stored();
    c.intent("staff_cancel");
    auto steps = c.of<fx::CallStaff>();
    REQUIRE(steps.size() == 1);
    CHECK(steps[0].kind == "assist.cancel");
    CHECK(steps[0].payload.find("\"reason\":\"citizen\"") != std::string::npos);
    CHECK(c.says("已取消呼叫工作人员"));
    CHECK_FALSE(c.core.view().staff_called);
    // No more status requests.
    c.advance(10);
    CHECK(c.of<fx::HallRequest>().empty());
    // The note goes away after a while.
    c.advance(20);
    CHECK_FALSE(c.says("已取消"));
}

TEST_CASE("core.assist a person waiting for staff is not timed out before the answer time") {
    Call c;
    c.call_stored();
    const auto& s = c.core.config().session;
    c.advance(s.inactivity_seconds + s.warning_seconds + 1);
    CHECK(c.core.session().active);
    CHECK(c.core.assist().open());
}

TEST_CASE("core.assist a session timeout cancels the open call and says why to the staff side") {
    Call c;
    c.call_stored();
    const auto& s = c.core.config().session;
    c.advance(c.core.config().assist.answer_seconds + s.warning_seconds + 1);
    CHECK_FALSE(c.core.session().active);
    auto steps = c.of<fx::CallStaff>();
    REQUIRE(steps.size() == 1);
    CHECK(steps[0].kind == "assist.cancel");
    CHECK(steps[0].payload.find("\"reason\":\"session_timeout\"") != std::string::npos);
    CHECK(c.core.assist().phase() == StaffCall::Phase::cancelled);
}

TEST_CASE("core.assist a staff member at the kiosk resolves the open call") {
    Call c;
    c.call_stored();
    c.core.assist().resolve(c.core, "S001");
    c.core.handle(Touch{});  // (in the kiosk the service flow calls it inside an event)
    auto steps = c.of<fx::CallStaff>();
    REQUIRE(steps.size() == 1);
    CHECK(steps[0].kind == "assist.resolve");
    CHECK(steps[0].payload.find("\"by\":\"S001\"") != std::string::npos);
    CHECK(c.says("工作人员已处理这次呼叫"));
    REQUIRE(c.core.assist().recent().size() == 1);
    CHECK(c.core.assist().recent()[0].phase == StaffCall::Phase::resolved);
}

TEST_CASE("core.assist no staff-call payload carries personal data") {
    Call c;
    c.intent("tile");
    Person who;
    who.name = "张三";
    who.id_number = "430602199001011235";
    c.core.handle(CardRead{who});
    c.core.call_staff("citizen");
    c.core.assist().cancel(c.core, "citizen");
    for (const auto& e : c.of<fx::CallStaff>()) {
        CHECK(e.payload.find("430602") == std::string::npos);
        CHECK(e.payload.find("张三") == std::string::npos);
    }
}

TEST_CASE("core.assist with voice on, each change of the call's note is spoken") {
    Call c;
    c.intent("voice");
    c.of<fx::Speak>();
    c.call_stored();
    auto said = c.of<fx::Speak>();
    REQUIRE_FALSE(said.empty());
    CHECK(said.back().words == "呼叫已发出,正在等待工作人员回应。");
    c.core.handle(AssistAck{c.core.assist().current().call_id, 3, "fleet:ops"});
    said = c.of<fx::Speak>();
    REQUIRE(said.size() == 1);
    CHECK(said[0].words.find("大约 3 分钟后到") != std::string::npos);
}
