// Fee payment flow (kiosk/core/flows/payment.cpp): every branch driven with hand-made hall
// answers on a virtual clock.
#include <doctest/doctest.h>

#include <algorithm>

#include "api/requests.hpp"
#include "core_fixture.hpp"
#include "effects.hpp"

namespace kiosk::test {
namespace {

constexpr const char* kNotice = "43062026110000000014";  // valid check digit
constexpr const char* kBadCheck = "43062026110000000015";
// The fixture's clock is 2026-11-27 13:30:00 UTC; the QR expires 15 minutes later.
constexpr const char* kExpires = "2026-11-27T13:45:00Z";

struct Pay : Fixture {
    Pay() {
        intent("tile", "payment");
        REQUIRE(core.scene() == SceneId::Payment);
        core.take_effects();
    }
    // The hall requests the last event made, in order.
    std::vector<fx::HallRequest> hall_requests() {
        auto effects = core.take_effects();
        return test::take_of<fx::HallRequest>(effects);
    }
    void answer(std::uint64_t tag, api::Op op, api::Payload p) {
        api::Response r;
        r.op = op;
        r.result = std::move(p);
        core.handle(HallReply{tag, std::move(r)});
    }
    void fail(std::uint64_t tag, api::Op op, api::ErrorKind k, std::string code = {}) {
        api::Response r;
        r.op = op;
        r.result = api::Error{k, 0, std::move(code), {}};
        core.handle(HallReply{tag, std::move(r)});
    }
    static api::Order order(api::OrderStatus s = api::OrderStatus::unpaid,
                            std::string id = "ORD-5005", std::string notice = kNotice) {
        api::Order o;
        o.order_id = std::move(id);
        o.notice_number = std::move(notice);
        o.title = {"不动产登记费", "Real estate registration fee"};
        o.amount_fen = 8000;
        o.currency = "CNY";
        o.status = s;
        if (s == api::OrderStatus::paid) o.paid_at = "2026-11-26T13:31:00Z";
        return o;
    }
    void type(const std::string& digits) {
        for (char c : digits) intent("key", std::string(1, c));
        intent("key", "ok");
    }
    // Keypad → found → Order step.
    void to_order() {
        intent("by", "number");
        type(kNotice);
        auto rq = hall_requests();
        REQUIRE(rq.size() == 1);
        CHECK(rq[0].request.op == api::Op::order_create);
        answer(rq[0].tag, api::Op::order_create, order());
    }
    // Order → QR shown (Paying).
    void to_paying() {
        to_order();
        intent("pay");
        auto rq = hall_requests();
        REQUIRE(rq.size() == 1);
        REQUIRE(rq[0].request.op == api::Op::order_qr);
        answer(rq[0].tag, api::Op::order_qr,
               api::PaymentQr{"ORD-5005", "https://pay.hall.example.gov.cn/qr/ORD-5005", kExpires});
    }
    // Polls answered "pending" until the QR's expiry, a person at the screen (touching now and
    // then); returns with the hall requests of the expiry Tick not yet taken.
    void until_expiry() {
        for (int s = 0; s < 898; s += 2) {
            advance(2);
            core.handle(Touch{});
            for (auto& r : hall_requests())
                answer(r.tag, api::Op::order_get, order(api::OrderStatus::pending));
        }
        REQUIRE(shows(tr("payment.scan_to_pay")));
        advance(3);  // past 13:45:00
    }
    bool shows(const std::string& needle) const {
        const auto& vm = core.view();
        auto in = [&](const std::string& s) { return s.find(needle) != std::string::npos; };
        for (const auto* list : {&vm.page, &vm.actions})
            for (const auto& e : *list) {
                if (in(e.text) || in(e.detail)) return true;
                for (const auto& r : e.rows)
                    if (in(r.label) || in(r.value) || in(r.detail)) return true;
            }
        return false;
    }
    const Element* element(Element::Kind k) const {
        for (const auto& e : core.view().page)
            if (e.kind == k) return &e;
        return nullptr;
    }
    std::string tr(const char* key) const { return i18n().tr("zh-CN", key); }
};

}  // namespace

TEST_CASE("core.payment keypad: a short number or a wrong check digit is refused before the hall") {
    Pay f;
    f.intent("by", "number");
    f.type("4306");
    CHECK(f.shows(f.tr("payment.number_short")));
    CHECK(f.hall_requests().empty());
    for (int i = 0; i < 4; ++i) f.intent("key", "del");
    f.type(kBadCheck);
    CHECK(f.shows(f.tr("payment.number_wrong")));
    CHECK(f.hall_requests().empty());
    CHECK(f.core.view().prompt == f.tr("payment.number_wrong"));
    // Back goes to the choice of ways, not out of the flow.
    f.intent("back");
    CHECK(f.core.scene() == SceneId::Payment);
    CHECK(f.shows(f.tr("payment.by.number")));
}

TEST_CASE(
    "core.payment by notice: order, QR with countdown, polls every 2 s, paid, receipt, rating") {
    Pay f;
    f.to_order();
    CHECK(f.shows("¥80.00"));
    CHECK(f.shows("不动产登记费"));
    CHECK_FALSE(f.shows(kNotice));  // the notice number is masked on screen
    CHECK_FALSE(f.core.busy());
    f.intent("pay");
    auto rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    f.answer(rq[0].tag, api::Op::order_qr,
             api::PaymentQr{"ORD-5005", "https://pay.hall.example.gov.cn/qr/ORD-5005", kExpires});
    const Element* qr = f.element(Element::Kind::Qr);
    REQUIRE(qr);
    CHECK(qr->text == "https://pay.hall.example.gov.cn/qr/ORD-5005");
    const Element* cd = f.element(Element::Kind::Countdown);
    REQUIRE(cd);
    CHECK(cd->value == 900);
    CHECK(f.core.busy());
    // The flow asks to be woken for the countdown and the poll.
    CHECK(f.core.next_wakeup_ms() <= f.now + 1000);

    f.advance(1);
    CHECK(f.hall_requests().empty());
    CHECK(f.element(Element::Kind::Countdown)->value == 899);
    f.advance(1);
    rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    CHECK(rq[0].request.op == api::Op::order_get);
    f.answer(rq[0].tag, api::Op::order_get, Pay::order(api::OrderStatus::pending));
    CHECK(f.core.busy());
    f.advance(2);
    rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    f.answer(rq[0].tag, api::Op::order_get, Pay::order(api::OrderStatus::paid));
    CHECK(f.shows(f.tr("payment.paid")));
    auto effects = f.core.take_effects();
    auto prints = test::take_of<fx::Print>(effects);
    REQUIRE(prints.size() == 1);
    const fx::Print* print = &prints[0];
    CHECK(print->receipt_template == "payment_receipt");
    auto field = [&](const std::string& k) {
        for (const auto& [n, v] : print->fields)
            if (n == k) return v;
        return std::string("<none>");
    };
    CHECK(field("total") == "80.00");
    CHECK(field("order_no") == "ORD-5005");
    CHECK(field("list.items").find("不动产登记费") != std::string::npos);
    CHECK(f.core.busy());  // the receipt is printing
    f.core.handle(PrintDone{print->tag, true, {}, false});
    CHECK(f.shows(f.tr("payment.printed")));
    CHECK_FALSE(f.core.busy());
    // No more polling once paid.
    f.advance(10);
    CHECK(f.hall_requests().empty());
    f.intent("done");
    CHECK(f.core.scene() == SceneId::Evaluation);
    CHECK(f.core.rating_target().transaction_id == "ORD-5005");
}

TEST_CASE("core.payment by notice: not found says so and offers retry and another way") {
    Pay f;
    f.intent("by", "number");
    f.type(kNotice);
    auto rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    f.fail(rq[0].tag, api::Op::order_create, api::ErrorKind::not_found, "not_found");
    CHECK(f.shows(f.tr("payment.not_found")));
    CHECK(f.core.view().prompt == f.tr("payment.not_found"));
    f.intent("retry");
    rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    CHECK(rq[0].request.op == api::Op::order_create);
    f.fail(rq[0].tag, api::Op::order_create, api::ErrorKind::offline);
    CHECK(f.shows(f.tr("flow.error.offline")));
    f.intent("other");
    CHECK(f.shows(f.tr("payment.by.number")));
}

TEST_CASE("core.payment already paid: found paid, or paid meanwhile when the QR is asked for") {
    Pay f;
    f.intent("by", "number");
    f.type(kNotice);
    auto rq = f.hall_requests();
    f.answer(rq[0].tag, api::Op::order_create, Pay::order(api::OrderStatus::paid));
    CHECK(f.shows(f.tr("payment.already")));
    CHECK_FALSE(f.core.busy());

    Pay g;
    g.to_order();
    g.intent("pay");
    rq = g.hall_requests();
    g.fail(rq[0].tag, api::Op::order_qr, api::ErrorKind::conflict, "already_paid");
    CHECK(g.shows(g.tr("payment.already")));
}

TEST_CASE("core.payment expired or cancelled order: contact the department, no retry") {
    Pay f;
    f.intent("by", "number");
    f.type(kNotice);
    auto rq = f.hall_requests();
    f.answer(rq[0].tag, api::Op::order_create, Pay::order(api::OrderStatus::expired));
    CHECK(f.shows(f.tr("payment.closed")));
    bool retry = false;
    for (const auto& a : f.core.view().actions) retry = retry || a.action == "retry";
    CHECK_FALSE(retry);
}

TEST_CASE("core.payment timeout: at expiry polling stops, one last check, then not paid") {
    Pay f;
    f.to_paying();
    f.until_expiry();
    auto rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    CHECK(rq[0].request.op == api::Op::order_get);
    CHECK(f.shows(f.tr("payment.checking")));
    CHECK(f.core.busy());
    f.advance(5);
    CHECK(f.hall_requests().empty());  // no polling while the last check runs
    f.answer(rq[0].tag, api::Op::order_get, Pay::order(api::OrderStatus::pending));
    CHECK(f.shows(f.tr("payment.not_paid")));
    CHECK(f.core.view().prompt == f.tr("payment.not_paid"));
    CHECK_FALSE(f.core.busy());
    f.advance(10);
    CHECK(f.hall_requests().empty());
    // Pay again asks the hall for a new QR.
    f.intent("pay");
    rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    CHECK(rq[0].request.op == api::Op::order_qr);
}

TEST_CASE(
    "core.payment timeout: a payment that landed in the last second is found by the last check") {
    Pay f;
    f.to_paying();
    f.until_expiry();
    auto rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    f.answer(rq[0].tag, api::Op::order_get, Pay::order(api::OrderStatus::paid));
    CHECK(f.shows(f.tr("payment.paid")));
}

TEST_CASE("core.payment last check finds the payment: receipt printed") {
    Pay f;
    f.to_paying();
    f.intent("home");
    CHECK(f.shows(f.tr("payment.leave_ask")));
    f.intent("leave_anyway");
    auto rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    f.answer(rq[0].tag, api::Op::order_get, Pay::order(api::OrderStatus::paid));
    CHECK(f.shows(f.tr("payment.paid")));
    CHECK(test::has<fx::Print>(f.core.take_effects()));
}

TEST_CASE("core.payment hall down mid-payment: keeps checking, says so, then paid") {
    Pay f;
    f.to_paying();
    f.advance(2);
    auto rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    f.fail(rq[0].tag, api::Op::order_get, api::ErrorKind::offline);
    CHECK(f.shows(f.tr("payment.hall_trouble")));
    CHECK(f.core.view().prompt == f.tr("payment.hall_trouble"));
    CHECK(f.core.busy());
    f.core.handle(DeviceAvailability{"hall", false});
    CHECK(f.core.scene() == SceneId::Payment);
    f.advance(2);
    rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    f.core.handle(DeviceAvailability{"hall", true});
    f.answer(rq[0].tag, api::Op::order_get, Pay::order(api::OrderStatus::paid));
    CHECK(f.shows(f.tr("payment.paid")));
}

TEST_CASE(
    "core.payment leaving while pending asks first, stay keeps the QR, leave anyway shows state") {
    Pay f;
    f.to_paying();
    for (const char* how : {"back", "home", "finish"}) {
        f.intent(how);
        CHECK(f.core.scene() == SceneId::Payment);
        CHECK(f.shows(f.tr("payment.leave_ask")));
        CHECK(f.core.view().prompt == f.tr("payment.leave_ask"));
        CHECK(f.core.busy());
        f.intent("stay");
        CHECK(f.element(Element::Kind::Qr));
    }
    // Polling goes on while the question is shown.
    f.intent("home");
    f.advance(2);
    auto rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    f.answer(rq[0].tag, api::Op::order_get, Pay::order(api::OrderStatus::pending));
    f.intent("leave_anyway");
    rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    CHECK(rq[0].request.op == api::Op::order_get);
    f.intent("home");  // waits for the answer
    CHECK(f.core.scene() == SceneId::Payment);
    f.answer(rq[0].tag, api::Op::order_get, Pay::order(api::OrderStatus::unpaid));
    CHECK(f.shows(f.tr("payment.not_paid")));
    f.intent("home");
    CHECK(f.core.scene() == SceneId::Home);
    // Nothing was left unknown: no record for staff.
    CHECK_FALSE(test::has<fx::OutboxAppend>(f.core.take_effects()));
}

TEST_CASE("core.payment the hall cannot answer the last check: unconfirmed, recorded for staff") {
    Pay f;
    f.to_paying();
    f.intent("finish");
    f.intent("leave_anyway");
    auto rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    f.fail(rq[0].tag, api::Op::order_get, api::ErrorKind::timeout);
    CHECK(f.shows(f.tr("payment.unconfirmed")));
    CHECK(f.shows("ORD-5005"));
    bool recorded = false, called = false;
    for (const auto& effect : f.core.take_effects())
        if (const auto* call = std::get_if<fx::CallStaff>(&effect)) {
            // The payment-unclear path uses the same staff call as the button (issue 17).
            called = call->kind == "assist.call" &&
                     call->payload.find("\"payment_unclear\"") != std::string::npos;
        } else if (const auto* row = std::get_if<fx::OutboxAppend>(&effect);
                   row && row->kind != "audit") {
            recorded = true;
            CHECK(row->kind == "payment.abandoned");
            CHECK(row->payload.find("\"order_id\":\"ORD-5005\"") != std::string::npos);
            CHECK(row->payload.find(kNotice) == std::string::npos);  // masked
        }
    CHECK(recorded);
    CHECK(called);
    // Leaving now records nothing twice.
    f.intent("home");
    CHECK_FALSE(test::has<fx::OutboxAppend>(f.core.take_effects()));
}

TEST_CASE("core.payment session timeout while pending records payment.abandoned in the outbox") {
    Pay f;
    f.to_paying();
    f.advance(100);  // no touch: inactivity (60 s) + warning (30 s) end the session
    CHECK(f.core.scene() == SceneId::Attract);
    bool recorded = false;
    auto effects = f.core.take_effects();
    for (const auto& row : test::take_of<fx::OutboxAppend>(effects, "payment.abandoned")) {
        recorded = true;
        CHECK(row.payload.find("\"reason\":\"left\"") != std::string::npos);
    }
    CHECK(recorded);
}

TEST_CASE("core.payment paper out: paid but no receipt, says where to get one, receipt QR") {
    Pay f;
    f.to_paying();
    f.advance(2);
    auto rq = f.hall_requests();
    f.answer(rq[0].tag, api::Op::order_get, Pay::order(api::OrderStatus::paid));
    std::uint64_t tag = 0;
    auto effects = f.core.take_effects();
    for (const auto& job : test::take_of<fx::Print>(effects)) tag = job.tag;
    REQUIRE(tag);
    f.core.handle(PrintDone{tag, false, PrintFailure::paper_out, true});
    CHECK(f.shows(f.tr("payment.no_receipt")));
    CHECK(f.shows(f.tr("print.reason.paper_out")));
    const Element* qr = f.element(Element::Kind::Qr);
    REQUIRE(qr);
    CHECK(qr->text == "ESTN:RECEIPT:ORD-5005");
    CHECK_FALSE(f.core.busy());
    f.intent("reprint");
    CHECK(test::has<fx::Print>(f.core.take_effects()));
}

TEST_CASE("core.payment printer down when paid: no print attempted, receipt QR shown") {
    Pay f;
    f.core.handle(DeviceAvailability{"printer", false});
    f.to_paying();
    f.advance(2);
    auto rq = f.hall_requests();
    f.answer(rq[0].tag, api::Op::order_get, Pay::order(api::OrderStatus::paid));
    CHECK_FALSE(test::has<fx::Print>(f.core.take_effects()));
    CHECK(f.shows(f.tr("payment.no_receipt")));
    CHECK(f.element(Element::Kind::Qr));
}

TEST_CASE("core.payment by ID card: the unpaid orders are listed, one is picked") {
    Pay f;
    f.intent("by", "idcard");
    CHECK(f.shows(f.tr("payment.card")));
    Person p;
    p.name = "王䶮";
    p.id_number = "110101199003071233";
    f.core.handle(CardRead{p});
    auto rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    CHECK(rq[0].request.op == api::Op::order_lookup);
    CHECK(rq[0].request.body.find("id_number") != std::string::npos);
    api::OrderList list;
    list.orders = {Pay::order(), Pay::order(api::OrderStatus::pending, "ORD-5006"),
                   Pay::order(api::OrderStatus::paid, "ORD-5007")};
    f.answer(rq[0].tag, api::Op::order_lookup, list);
    const Element* choices = f.element(Element::Kind::Choices);
    REQUIRE(choices);
    CHECK(choices->rows.size() == 2);
    f.intent("pick", "ORD-5006");
    CHECK(f.shows(f.tr("payment.pay")));
    f.intent("back");  // back to the list
    CHECK(f.element(Element::Kind::Choices));
}

TEST_CASE("core.payment by ID card: nothing to pay") {
    Pay f;
    Person p;
    p.id_number = "110101199003071233";
    f.core.handle(CardRead{p});  // placing the card on the first step works too
    auto rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    f.answer(rq[0].tag, api::Op::order_lookup, api::OrderList{});
    CHECK(f.shows(f.tr("payment.none")));
}

TEST_CASE("core.payment scanned notice: looked up at once, another code is explained") {
    Pay f;
    f.core.handle(CodeScanned{CodeKind::pickup, "246810", CodeRejection::none, ScanSource::inject});
    CHECK(f.shows(f.tr("payment.scan_wrong")));
    CHECK(f.hall_requests().empty());
    f.core.handle(CodeScanned{CodeKind::payment, kNotice, CodeRejection::none, ScanSource::inject});
    auto rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    CHECK(rq[0].request.op == api::Op::order_create);
    CHECK(rq[0].request.body.find(kNotice) != std::string::npos);
}

TEST_CASE("core.payment QR expiry from a hall clock far off: clamped to 1..60 minutes") {
    Pay f;
    f.to_order();
    f.intent("pay");
    auto rq = f.hall_requests();
    f.answer(rq[0].tag, api::Op::order_qr,
             api::PaymentQr{"ORD-5005", "https://pay.hall.example.gov.cn/qr/ORD-5005",
                            "2026-11-26T13:45:00Z"});  // a day in the past
    CHECK(f.element(Element::Kind::Countdown)->value == 60);
}

}  // namespace kiosk::test
