// The certificate pickup flow (kiosk/core/flows/pickup.cpp) driven through the Core with hand-made
// hall answers and locker updates: every branch the citizen can meet.
#include <algorithm>

#include "api/requests.hpp"
#include "core_fixture.hpp"
#include "effects.hpp"

using namespace kiosk;

namespace {

api::Pickup cert(std::string id, std::string zh, std::string en, std::string cabinet, int door,
                 api::PickupStatus st = api::PickupStatus::waiting) {
    api::Pickup p;
    p.pickup_id = std::move(id);
    p.title = {std::move(zh), std::move(en)};
    p.holder = "张*";
    p.status = st;
    p.locker = {std::move(cabinet), door};
    return p;
}

api::Response list(std::vector<api::Pickup> ps) {
    api::Response r;
    r.op = api::Op::pickup_lookup;
    r.result = api::Result<api::Payload>(api::Payload{api::PickupList{std::move(ps)}});
    return r;
}

api::Response auth(std::string auth_id, std::string pickup_id, std::string cabinet, int door) {
    api::Response r;
    r.op = api::Op::pickup_authorize;
    api::PickupAuthorization a;
    a.authorization_id = std::move(auth_id);
    a.pickup_id = std::move(pickup_id);
    a.locker = {std::move(cabinet), door};
    a.expires_at = "2026-11-26T13:35:00Z";
    r.result = api::Result<api::Payload>(api::Payload{a});
    return r;
}

api::Response fail(api::ErrorKind k, int status = 0) {
    api::Response r;
    r.result = api::Result<api::Payload>(api::Error{k, status, {}, {}});
    return r;
}

struct Pickup : test::Fixture {
    std::vector<Effect> fx;

    Pickup() {
        core.handle(Touch{});
        intent("tile", "pickup");
        REQUIRE(core.scene() == SceneId::Pickup);
        take();
    }
    std::vector<Effect>& take() {
        auto more = core.take_effects();
        fx.insert(fx.end(), more.begin(), more.end());
        return fx;
    }
    // The hall requests emitted since the last call (and forgets them).
    std::vector<fx::HallRequest> hall_requests() {
        take();
        return test::take_of<fx::HallRequest>(fx);
    }
    template <class T>
    std::vector<T> of() {
        take();
        auto out = test::take_of<T>(fx);
        // A staff call's audit records (core/assist.cpp) are tested in test_assist.cpp.
        if constexpr (std::is_same_v<T, fx::OutboxAppend>)
            std::erase_if(out, [](const fx::OutboxAppend& e) { return e.kind == "audit"; });
        return out;
    }
    void type(const std::string& code) {
        for (char c : code) intent("key", std::string(1, c));
        intent("key", "ok");
    }
    // Answers the single outstanding hall request of `op`.
    void answer(api::Op op, api::Response r) {
        auto reqs = hall_requests();
        REQUIRE(reqs.size() == 1);
        REQUIRE(reqs[0].request.op == op);
        r.op = op;
        core.handle(HallReply{reqs[0].tag, std::move(r)});
    }
    void locker(const std::string& key, int n, LockerStep what,
                LockerOutcome outcome = LockerOutcome::none,
                LockerRefusal refusal = LockerRefusal::none) {
        core.handle(LockerUpdate{key, n, what, outcome, refusal});
    }
    const std::string& prompt() { return core.view().prompt; }
    bool has_text(const std::string& s) {
        const auto& v = core.view();
        auto in = [&](const Element& e) {
            if (e.text.find(s) != std::string::npos || e.detail.find(s) != std::string::npos)
                return true;
            for (const auto& r : e.rows)
                if (r.label.find(s) != std::string::npos || r.value.find(s) != std::string::npos)
                    return true;
            return false;
        };
        return std::any_of(v.page.begin(), v.page.end(), in) ||
               std::any_of(v.actions.begin(), v.actions.end(), in);
    }
    const Element* find(Element::Kind k) {
        for (const auto& e : core.view().page)
            if (e.kind == k) return &e;
        return nullptr;
    }
    bool action(const std::string& a) {
        for (const auto& e : core.view().actions)
            if (e.action == a && e.enabled) return true;
        return false;
    }
    // Code 246810 → the two certificates of the demo person, list shown.
    void two_listed() {
        type("246810");
        answer(api::Op::pickup_lookup,
               list({cert("PK1001", "个体工商户营业执照", "Business licence", "C1", 3),
                     cert("PK1002", "小餐饮经营许可证", "Small catering permit", "C1", 4)}));
    }
    // From the list: authorise the first and see its door open.
    void first_door_open() {
        intent("start");
        answer(api::Op::pickup_authorize, auth("AUTH-1", "PK1001", "C1", 3));
        locker("AUTH-1", 103, LockerStep::unlock_sent);
        locker("AUTH-1", 103, LockerStep::opened);
    }
};

}  // namespace

TEST_CASE(
    "core.pickup code with two certificates opens two doors one after another then slip and "
    "rating") {
    Pickup p;
    CHECK(p.prompt().find("取件码") != std::string::npos);
    CHECK(p.find(Element::Kind::Keypad));
    CHECK(p.find(Element::Kind::Camera));
    auto cams = p.of<fx::Camera>();
    REQUIRE_FALSE(cams.empty());
    CHECK(cams.back().on);

    p.type("246810");
    auto reqs = p.hall_requests();
    REQUIRE(reqs.size() == 1);
    CHECK(reqs[0].request.op == api::Op::pickup_lookup);
    CHECK(reqs[0].request.body.find("\"code\"") != std::string::npos);
    CHECK(!p.of<fx::Camera>().back().on);
    p.core.handle(HallReply{
        reqs[0].tag, list({cert("PK1001", "个体工商户营业执照", "Business licence", "C1", 3),
                           cert("PK1002", "小餐饮经营许可证", "Small catering permit", "C1", 4),
                           cert("PK0999", "旧证", "Old", "C1", 5, api::PickupStatus::collected)})});
    CHECK(p.core.view().page[0].text == "有2件证件等您取");
    CHECK(p.has_text("C1-03"));
    CHECK(p.has_text("C1-04"));
    CHECK(p.has_text("已取走"));  // the collected one is listed, not opened
    CHECK_FALSE(p.core.busy());

    p.intent("start");
    CHECK(p.core.busy());  // authorising
    auto a = p.hall_requests();
    REQUIRE(a.size() == 1);
    CHECK(a[0].request.op == api::Op::pickup_authorize);
    CHECK(a[0].request.path.find("PK1001") != std::string::npos);
    p.core.handle(HallReply{a[0].tag, auth("AUTH-1", "PK1001", "C1", 3)});
    auto open = p.of<fx::LockerPickup>();
    REQUIRE(open.size() == 1);
    CHECK(open[0].key == "AUTH-1");
    CHECK(open[0].compartment == 103);
    CHECK(open[0].pickup_id == "PK1001");  // for the reporter's pickup.completed
    CHECK(p.core.busy());

    p.locker("AUTH-1", 103, LockerStep::unlock_sent);
    p.locker("AUTH-1", 103, LockerStep::opened);
    CHECK(p.prompt() == "C1-03号柜门已打开。请取出证件,然后关好柜门。");
    const Element* big = p.find(Element::Kind::Heading);
    REQUIRE(big);
    CHECK(big->text == "C1-03");
    CHECK(big->id == "door_number");
    CHECK(p.find(Element::Kind::Chart));  // the picture: find → take → close, with arrows
    CHECK(p.find(Element::Kind::Progress));
    // The second door waits for the first to close.
    CHECK(p.hall_requests().empty());
    CHECK(p.of<fx::LockerPickup>().empty());

    // A door open: home and finish are held.
    p.intent("home");
    CHECK(p.core.scene() == SceneId::Pickup);
    CHECK(p.prompt() == "柜门还开着,请先取出证件,关好柜门。");
    p.intent("finish");
    CHECK(p.core.session().active);

    p.locker("AUTH-1", 103, LockerStep::closed, LockerOutcome::completed);
    auto a2 = p.hall_requests();
    REQUIRE(a2.size() == 1);
    CHECK(a2[0].request.path.find("PK1002") != std::string::npos);
    p.core.handle(HallReply{a2[0].tag, auth("AUTH-2", "PK1002", "C1", 4)});
    auto open2 = p.of<fx::LockerPickup>();
    REQUIRE(open2.size() == 1);
    CHECK(open2[0].compartment == 104);
    p.locker("AUTH-2", 104, LockerStep::opened);
    CHECK(p.find(Element::Kind::Heading)->text == "C1-04");
    // An update for the earlier door is not this one's.
    p.locker("AUTH-1", 103, LockerStep::reported, LockerOutcome::completed);
    CHECK(p.core.busy());
    p.locker("AUTH-2", 104, LockerStep::closed, LockerOutcome::completed);
    CHECK_FALSE(p.core.busy());
    CHECK(p.prompt().find("全部取出") != std::string::npos);
    // Completion is the locker reporter's (outbox pickup.completed): no pickup_complete call.
    for (const auto& r : p.hall_requests()) CHECK(r.request.op != api::Op::pickup_complete);

    REQUIRE(p.action("print"));
    p.intent("print");
    CHECK(p.core.busy());
    auto pr = p.of<fx::Print>();
    REQUIRE(pr.size() == 1);
    CHECK(pr[0].receipt_template == "pickup_slip");
    std::map<std::string, std::string> f(pr[0].fields.begin(), pr[0].fields.end());
    CHECK(f["citizen_name"] == "张*");
    CHECK(f["pickup_code"].find("246810") == std::string::npos);  // masked
    CHECK(f["pickup_code"].ends_with("10"));
    CHECK(f["locker"] == "C1-03, C1-04");
    CHECK(f["item"] == "个体工商户营业执照、小餐饮经营许可证");
    CHECK(f["pickup_qr"] == "ESTN:RECEIPT:AUTH-1");
    for (const char* k : {"hall", "expires", "time"}) CHECK_FALSE(f[k].empty());
    p.core.handle(PrintDone{pr[0].tag, true, {}, false});
    CHECK(p.has_text("凭条已打印"));
    CHECK_FALSE(p.action("print"));

    p.intent("done");
    CHECK(p.core.scene() == SceneId::Evaluation);
    CHECK(p.core.rating_target().service_id == "pickup");
    CHECK(p.core.rating_target().transaction_id == "AUTH-1");
}

TEST_CASE("core.pickup a short code is refused without asking the hall") {
    Pickup p;
    p.type("12345");
    CHECK(p.hall_requests().empty());
    CHECK(p.prompt() == "取件码是6到8位数字,请看一下短信再输入。");
    // At most 8 digits are taken.
    p.type("6789012345");
    auto r = p.hall_requests();
    REQUIRE(r.size() == 1);
    CHECK(r[0].request.body.find("12345678") != std::string::npos);
    CHECK(r[0].request.body.find("123456789") == std::string::npos);
}

TEST_CASE("core.pickup five wrong codes lock the keypad and the camera but not the ID card") {
    Pickup p;
    for (int i = 1; i <= 5; ++i) {
        p.type("123456");
        // The hall answers an unknown code with 404 or with an empty list: both count.
        p.answer(api::Op::pickup_lookup, i % 2 ? fail(api::ErrorKind::not_found, 404) : list({}));
        CHECK(p.core.scene() == SceneId::Pickup);
        CHECK(p.core.session().data.pickup_code.empty());
        if (i < 5)
            CHECK(p.prompt() ==
                  "没有找到这个取件码,请核对后再输。还可以试" + std::to_string(5 - i) + "次。");
    }
    CHECK(p.prompt() == "输错次数太多,已停止输入。请呼叫工作人员帮忙。");
    const Element* k = p.find(Element::Kind::Keypad);
    REQUIRE(k);
    CHECK_FALSE(k->enabled);
    CHECK_FALSE(p.find(Element::Kind::Camera));
    CHECK(!p.of<fx::Camera>().back().on);
    CHECK(p.action("staff"));
    // Keys and scans are ignored now.
    p.type("246810");
    p.core.handle(CodeScanned{CodeKind::pickup, "246810", CodeRejection::none, ScanSource::inject});
    CHECK(p.hall_requests().empty());
    // The call-staff button is the chrome's.
    p.intent("staff");
    CHECK(p.of<fx::CallStaff>().size() == 1);
    CHECK(p.core.view().staff_called);
    // An ID card still works.
    Person who;
    who.name = "张三";
    who.id_number = "430602199001011235";
    p.core.handle(CardRead{who});
    auto r = p.hall_requests();
    REQUIRE(r.size() == 1);
    CHECK(r[0].request.body.find("id_number") != std::string::npos);
}

TEST_CASE("core.pickup ID card with nothing waiting says so and offers another way") {
    Pickup p;
    Person who;
    who.name = "李四";
    who.id_number = "110101199003071233";
    p.core.handle(CardRead{who});
    p.answer(api::Op::pickup_lookup, list({}));
    CHECK(p.prompt() == "没有找到等您取的证件");
    CHECK(p.action("again"));
    CHECK(p.action("staff"));
    // Nothing waiting by ID card is not a wrong code.
    p.intent("again");
    CHECK(p.prompt().find("请输入短信里的取件码") == 0);
    // A not_found answer for an ID card is the same "nothing waiting".
    p.core.handle(CardRead{who});
    p.answer(api::Op::pickup_lookup, fail(api::ErrorKind::not_found, 404));
    CHECK(p.prompt() == "没有找到等您取的证件");
    // Everything already collected: nothing waiting, the list shows why.
    p.intent("again");
    p.core.handle(CardRead{who});
    p.answer(
        api::Op::pickup_lookup,
        list({cert("PK1", "户口簿", "Household register", "C2", 1, api::PickupStatus::collected)}));
    CHECK(p.prompt() == "没有找到等您取的证件");
    CHECK(p.has_text("已取走"));
}

TEST_CASE("core.pickup ID card with certificates authorises with method id_number") {
    Pickup p;
    Person who;
    who.name = "王五";
    who.id_number = "430621197712123452";
    p.core.handle(CardRead{who});
    p.answer(api::Op::pickup_lookup,
             list({cert("PK1004", "户口簿", "Household register", "C2", 1)}));
    p.intent("start");
    auto r = p.hall_requests();
    REQUIRE(r.size() == 1);
    CHECK(r[0].request.body.find("id_number") != std::string::npos);
}

TEST_CASE("core.pickup QR code from a scanner looks the code up and authorises as qr") {
    Pickup p;
    p.core.handle(CodeScanned{CodeKind::payment, "43062026110000010000", CodeRejection::none,
                              ScanSource::camera});
    CHECK(p.prompt() == "这个二维码不是取件码,请换一个再试。");
    CHECK(p.hall_requests().empty());
    p.core.handle(CodeScanned{CodeKind::pickup, "246810", CodeRejection::none, ScanSource::camera});
    auto r = p.hall_requests();
    REQUIRE(r.size() == 1);
    CHECK(r[0].request.body.find("\"code\"") != std::string::npos);
    p.core.handle(HallReply{r[0].tag, list({cert("PK1001", "执照", "Licence", "C1", 3)})});
    p.intent("start");
    auto a = p.hall_requests();
    REQUIRE(a.size() == 1);
    CHECK(a[0].request.body.find("\"qr\"") != std::string::npos);
}

TEST_CASE("core.pickup hall down on look-up shows a notice and retries") {
    Pickup p;
    p.type("246810");
    p.answer(api::Op::pickup_lookup, fail(api::ErrorKind::offline));
    CHECK(p.prompt() == p.core.tr("flow.error.offline"));
    CHECK(p.action("retry"));
    p.intent("retry");
    auto r = p.hall_requests();
    REQUIRE(r.size() == 1);
    CHECK(r[0].request.op == api::Op::pickup_lookup);
    CHECK(r[0].request.body.find("246810") != std::string::npos);
    p.core.handle(HallReply{r[0].tag, fail(api::ErrorKind::timeout)});
    CHECK(p.prompt() == p.core.tr("flow.error.offline"));
    // A hall failure is not a wrong code: five of them do not lock anything.
    for (int i = 0; i < 5; ++i) {
        p.intent("retry");
        p.answer(api::Op::pickup_lookup, fail(api::ErrorKind::network));
    }
    p.intent("again");
    const Element* k = p.find(Element::Kind::Keypad);
    REQUIRE(k);
    CHECK(k->enabled);
    // A malformed answer is a plain failure.
    p.type("246810");
    p.answer(api::Op::pickup_lookup, fail(api::ErrorKind::contract));
    CHECK(p.prompt() == p.core.tr("flow.error.failed"));
}

TEST_CASE("core.pickup hall errors on authorise offer retry and skip") {
    Pickup p;
    p.two_listed();
    p.intent("start");
    p.answer(api::Op::pickup_authorize, fail(api::ErrorKind::conflict, 409));
    CHECK(p.prompt() == p.core.tr("flow.error.conflict"));
    CHECK_FALSE(p.core.busy());
    CHECK(p.of<fx::LockerPickup>().empty());
    p.intent("retry");
    p.answer(api::Op::pickup_authorize, fail(api::ErrorKind::offline));
    CHECK(p.prompt() == p.core.tr("flow.error.offline"));
    p.intent("skip");  // the next certificate
    auto r = p.hall_requests();
    REQUIRE(r.size() == 1);
    CHECK(r[0].request.path.find("PK1002") != std::string::npos);
    p.core.handle(HallReply{r[0].tag, auth("AUTH-2", "PK1002", "C1", 4)});
    p.locker("AUTH-2", 104, LockerStep::opened);
    p.locker("AUTH-2", 104, LockerStep::closed, LockerOutcome::completed);
    // Done, but not everything: the page says so and offers staff.
    CHECK(p.prompt() == "还有证件没有取出,请呼叫工作人员帮忙。");
    CHECK(p.has_text("未取"));
    CHECK(p.action("staff"));
    p.intent("done");
    CHECK(p.core.rating_target().transaction_id == "AUTH-2");
}

TEST_CASE("core.pickup jammed door calls staff for real and moves on") {
    Pickup p;
    p.two_listed();
    p.intent("start");
    p.answer(api::Op::pickup_authorize, auth("AUTH-1", "PK1001", "C1", 3));
    p.locker("AUTH-1", 103, LockerStep::unlock_sent);
    CHECK(p.core.busy());
    p.locker("AUTH-1", 103, LockerStep::jammed);
    CHECK_FALSE(p.core.busy());
    CHECK(p.prompt() == "C1-03号柜门打不开,正在为您呼叫工作人员,屏幕上方会显示是否有人来。");
    CHECK(p.action("staff_cancel"));  // the call is open: the button cancels it now
    CHECK(p.action("skip"));
    // The call is a real one (an assist.call outbox row through the CallStaff effect).
    auto calls = p.of<fx::CallStaff>();
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].kind == "assist.call");
    CHECK(calls[0].payload.find("\"door_jammed\"") != std::string::npos);
    // The settled report follows; it changes nothing. The locker reporter tells the hall
    // (pickup.completed, outcome jammed): the flow adds nothing to the outbox.
    p.locker("AUTH-1", 103, LockerStep::closed, LockerOutcome::jammed);
    CHECK(p.prompt() == "C1-03号柜门打不开,正在为您呼叫工作人员,屏幕上方会显示是否有人来。");
    CHECK(p.of<fx::OutboxAppend>().empty());
    // Home works again (no door is open).
    p.intent("skip");
    auto r = p.hall_requests();
    REQUIRE(r.size() == 1);
    CHECK(r[0].request.path.find("PK1002") != std::string::npos);
}

TEST_CASE("core.pickup no reply and refused doors fail too and a refusal is reported by the flow") {
    Pickup p;
    p.two_listed();
    p.intent("start");
    p.answer(api::Op::pickup_authorize, auth("AUTH-1", "PK1001", "C1", 3));
    p.locker("AUTH-1", 103, LockerStep::no_reply);
    CHECK(p.has_text("这个柜门打不开"));
    CHECK(p.of<fx::OutboxAppend>().empty());  // the locker reporter has it
    p.intent("skip");
    p.answer(api::Op::pickup_authorize, auth("AUTH-2", "PK1002", "C1", 4));
    p.locker("AUTH-2", 104, LockerStep::refused, LockerOutcome::none, LockerRefusal::not_available);
    CHECK(p.has_text("这个柜门打不开"));
    auto ob = p.of<fx::OutboxAppend>();
    REQUIRE(ob.size() == 1);
    CHECK(ob[0].kind == "pickup.door_failed");
    CHECK(ob[0].payload.find("\"AUTH-2\"") != std::string::npos);
    CHECK(ob[0].payload.find("\"not_available\"") != std::string::npos);
    CHECK(ob[0].payload.find("104") != std::string::npos);
    p.core.handle(OutboxStored{ob[0].tag, true, {}});
    p.intent("skip");  // nothing left
    CHECK(p.prompt() == "还有证件没有取出,请呼叫工作人员帮忙。");
    CHECK_FALSE(p.action("print"));  // nothing collected: no slip
    p.intent("done");
    CHECK(p.core.scene() == SceneId::Home);  // no door opened: nothing to rate
}

TEST_CASE("core.pickup a cabinet without a number cannot be opened and is reported") {
    Pickup p;
    p.type("246810");
    p.answer(api::Op::pickup_lookup, list({cert("PK9", "证", "Cert", "X", 3)}));
    p.intent("start");
    p.answer(api::Op::pickup_authorize, auth("AUTH-9", "PK9", "WALL", 3));
    CHECK(p.of<fx::LockerPickup>().empty());
    CHECK(p.has_text("这个柜门打不开"));
    auto ob = p.of<fx::OutboxAppend>();
    REQUIRE(ob.size() == 1);
    CHECK(ob[0].payload.find("no_such_compartment") != std::string::npos);
}

TEST_CASE(
    "core.pickup certificate left in the locker offers to open again with a new authorisation") {
    Pickup p;
    p.type("112233");
    p.answer(api::Op::pickup_lookup,
             list({cert("PK1004", "户口簿", "Household register", "C2", 1)}));
    p.intent("start");
    p.answer(api::Op::pickup_authorize, auth("AUTH-4", "PK1004", "C2", 1));
    CHECK(p.of<fx::LockerPickup>().at(0).compartment == 201);
    p.locker("AUTH-4", 201, LockerStep::opened);
    p.locker("AUTH-4", 201, LockerStep::closed, LockerOutcome::no_change);
    CHECK_FALSE(p.core.busy());
    CHECK(p.prompt() == "C2-01号柜子里的证件还没取走。请点“再开一次门”取走,或呼叫工作人员。");
    CHECK(p.action("retry"));
    CHECK(p.action("staff"));
    p.intent("retry");
    p.answer(api::Op::pickup_authorize, auth("AUTH-4b", "PK1004", "C2", 1));
    auto open = p.of<fx::LockerPickup>();
    REQUIRE(open.size() == 1);
    CHECK(open[0].key == "AUTH-4b");  // a settled operation never fires again
    p.locker("AUTH-4b", 201, LockerStep::opened);
    p.locker("AUTH-4b", 201, LockerStep::closed, LockerOutcome::completed);
    CHECK(p.prompt().find("全部取出") != std::string::npos);
}

TEST_CASE("core.pickup left open reminds and locker progress keeps the session alive") {
    Pickup p;
    p.two_listed();
    p.first_door_open();
    p.advance(50);
    p.locker("AUTH-1", 103, LockerStep::left_open);
    CHECK(p.prompt() == "柜门还开着。请取出证件,然后把柜门关好。");
    p.advance(50);  // 100 s since the last touch, 50 s since the door's news
    CHECK_FALSE(p.core.view().warning);
    p.locker("AUTH-1", 103, LockerStep::closed, LockerOutcome::completed);
    CHECK(p.prompt().find("C1-04") == std::string::npos);  // authorising the next one
}

TEST_CASE("core.pickup session timeout with a door open leaves the locker to finish") {
    Pickup p;
    p.two_listed();
    p.first_door_open();
    CHECK(p.core.busy());
    p.advance(91);  // nobody at the screen, the door still open, no news from it
    CHECK(p.core.scene() == SceneId::Attract);
    CHECK_FALSE(p.core.session().active);
    CHECK_FALSE(p.core.busy());
    CHECK(p.core.session().data.pickup_code.empty());
    // The locker service settles and reports the operation on its own; its updates reach no flow
    // and nothing for the next person is started.
    p.take();
    p.fx.clear();
    p.locker("AUTH-1", 103, LockerStep::closed, LockerOutcome::completed);
    CHECK(p.hall_requests().empty());
    CHECK(p.of<fx::LockerPickup>().empty());
    CHECK(p.core.scene() == SceneId::Attract);
}

TEST_CASE("core.pickup locker down before a door opens and while one is open") {
    Pickup p;
    p.two_listed();
    p.core.handle(DeviceAvailability{"locker", false});
    CHECK(p.has_text("取件柜暂时连不上"));
    p.intent("start");
    CHECK(p.hall_requests().empty());  // not authorised while the wall is down
    CHECK(p.prompt() == "取件柜暂时连不上,请稍后再试,或呼叫工作人员。");
    CHECK_FALSE(p.action("retry"));  // disabled until it is back
    p.core.handle(DeviceAvailability{"locker", true});
    CHECK(p.action("retry"));
    p.intent("retry");
    p.answer(api::Op::pickup_authorize, auth("AUTH-1", "PK1001", "C1", 3));
    CHECK(p.of<fx::LockerPickup>().size() == 1);
    p.locker("AUTH-1", 103, LockerStep::opened);
    p.core.handle(DeviceAvailability{"locker", false});
    CHECK(p.core.busy());
    CHECK(p.has_text("柜门会自动处理"));
    // Authorised while it went down: no door is fired.
    p.core.handle(DeviceAvailability{"locker", true});
    p.locker("AUTH-1", 103, LockerStep::closed, LockerOutcome::completed);
    auto r = p.hall_requests();
    REQUIRE(r.size() == 1);
    p.core.handle(DeviceAvailability{"locker", false});
    p.core.handle(HallReply{r[0].tag, auth("AUTH-2", "PK1002", "C1", 4)});
    CHECK(p.of<fx::LockerPickup>().empty());
    CHECK(p.prompt() == "取件柜暂时连不上,请稍后再试,或呼叫工作人员。");
    p.intent("skip");
    CHECK(p.prompt() == "还有证件没有取出,请呼叫工作人员帮忙。");
}

TEST_CASE("core.pickup uncertain outcome asks the person to check") {
    Pickup p;
    p.type("135790");
    p.answer(api::Op::pickup_lookup, list({cert("PK1003", "不动产权证书", "Title", "C1", 7)}));
    p.first_door_open();  // (answers AUTH-1 for PK1003's door: the authorisation's door wins)
    p.locker("AUTH-1", 103, LockerStep::closed, LockerOutcome::uncertain);
    CHECK(p.has_text("没能确认证件是否已取走"));
    CHECK(p.prompt().find("全部取出") != std::string::npos);
    CHECK(p.action("print"));
}

TEST_CASE("core.pickup back steps inside the flow and leaves from the first step") {
    Pickup p;
    p.two_listed();
    p.intent("back");
    CHECK(p.core.scene() == SceneId::Pickup);
    CHECK(p.find(Element::Kind::Keypad));
    CHECK(p.core.session().data.pickup_code.empty());
    p.type("246810");
    auto r = p.hall_requests();
    REQUIRE(r.size() == 1);
    p.intent("back");  // while looking: cancelled
    CHECK(p.of<fx::HallCancel>().size() == 1);
    p.core.handle(HallReply{r[0].tag, list({})});  // late answer: ignored, no attempt counted
    CHECK(p.prompt().find("请输入短信里的取件码") == 0);
    p.intent("back");
    CHECK(p.core.scene() == SceneId::Home);
}

TEST_CASE("core.pickup printer down or failing does not block the end") {
    Pickup p;
    p.type("135790");
    p.answer(api::Op::pickup_lookup, list({cert("PK1003", "不动产权证书", "Title", "C1", 7)}));
    p.intent("start");
    p.answer(api::Op::pickup_authorize, auth("AUTH-3", "PK1003", "C1", 7));
    p.locker("AUTH-3", 107, LockerStep::opened);
    p.core.handle(DeviceAvailability{"printer", false});
    p.locker("AUTH-3", 107, LockerStep::closed, LockerOutcome::completed);
    CHECK(p.has_text("打印机暂时不能用"));
    p.core.handle(DeviceAvailability{"printer", true});
    p.intent("print");
    auto pr = p.of<fx::Print>();
    REQUIRE(pr.size() == 1);
    p.core.handle(PrintDone{pr[0].tag, false, PrintFailure::paper_out, true});
    CHECK(p.has_text("凭条没有打印出来"));
    CHECK(p.has_text("打印机缺纸"));
    p.intent("done");
    CHECK(p.core.scene() == SceneId::Evaluation);
}

TEST_CASE("core.pickup every string exists in both languages") {
    Pickup p;
    p.intent("lang", "en");
    CHECK(p.prompt().find("Type the pickup code") == 0);
    p.two_listed();
    CHECK(p.core.view().page[0].text == "2 waiting for you");
    CHECK(p.has_text("Business licence"));
    p.first_door_open();
    CHECK(p.prompt() == "Door C1-03 is open. Take your certificate, then close the door.");
}
