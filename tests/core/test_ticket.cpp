// The queue-ticket flow (kiosk/core/flows/ticket.cpp) through the core: the hall's answers and
// the printer's are fed by hand (the real program against the hall simulator is
// tests/scenarios/ticket.toml).
#include <doctest/doctest.h>

#include <map>

#include "api/requests.hpp"
#include "core/intents.hpp"
#include "core_fixture.hpp"
#include "effects.hpp"

namespace kiosk::test {
namespace {

struct TicketF : Fixture {
    std::vector<Effect> fx;

    TicketF() {
        intent(intents::tile, "queue");
        REQUIRE(core.scene() == SceneId::Ticket);
    }
    template <class T>
    std::vector<T> of() {
        for (auto& e : core.take_effects()) fx.push_back(std::move(e));
        return take_of<T>(fx);
    }
    // The single outstanding hall request, which must be of `op`.
    fx::HallRequest request(api::Op op) {
        auto r = of<fx::HallRequest>();
        REQUIRE(r.size() == 1);
        CHECK(r[0].request.op == op);
        return r[0];
    }
    void answer(std::uint64_t tag, api::Op op, api::Result<api::Payload> result) {
        api::Response r;
        r.op = op;
        r.result = std::move(result);
        core.handle(HallReply{tag, std::move(r)});
    }
    static api::Error error(api::ErrorKind k) { return api::Error{k, 0, {}, {}}; }
    // Two counter businesses (with a guide) and one without, which is not offered.
    static api::Catalog catalog() {
        api::Catalog c;
        api::Service a;
        a.id = "restaurant";
        a.title = {"开小餐馆", "Open a restaurant"};
        a.guide_id = "restaurant";
        api::Service b;
        b.id = "residence";
        b.title = {"居住证办理", "Residence permit"};
        b.guide_id = "residence";
        api::Service c3;
        c3.id = "weather";
        c3.title = {"天气查询", "Weather"};
        c.services = {a, b, c3};
        return c;
    }
    static api::Ticket ticket() {
        api::Ticket t;
        t.ticket_id = "T-0042";
        t.number = "A042";
        t.service_id = "restaurant";
        t.waiting_ahead = 3;
        t.estimated_wait_min = 12;
        return t;
    }
    void load() {
        answer(request(api::Op::catalog).tag, api::Op::catalog, api::Payload{catalog()});
    }
    std::string tr(const std::string& key,
                   std::vector<std::pair<std::string, std::string>> a = {}) {
        return core.tr(key, a);
    }
    bool shows(const std::string& needle) const { return test::view_shows(core.view(), needle); }
    const Element* choices() const {
        for (const auto& e : core.view().page)
            if (e.kind == Element::Kind::Choices) return &e;
        return nullptr;
    }
    void type(const std::string& digits) {
        for (char d : digits) intent(intents::key, std::string(1, d));
        intent(intents::key, "ok");
    }
};

}  // namespace

TEST_CASE("core.ticket happy path: choose, SMS number, ticket with people ahead, printed, rated") {
    TicketF f;
    CHECK(f.core.view().title == f.tr("service.queue.title"));
    f.load();
    CHECK(f.core.view().prompt == f.tr("ticket.choose"));
    const Element* c = f.choices();
    REQUIRE(c);
    REQUIRE(c->rows.size() == 2);  // the service without a guide is not a counter business
    CHECK(c->rows[0].label == "开小餐馆");
    CHECK(c->rows[0].action == intents::pick);
    f.intent(intents::pick, "restaurant");
    CHECK(f.core.view().prompt == f.tr("ticket.ask_phone"));
    f.intent(intents::ticket::sms, "yes");
    CHECK(f.core.view().prompt == f.tr("ticket.phone"));
    f.type("13800138000");
    auto rq = f.request(api::Op::ticket_take);
    CHECK(rq.request.body.find("\"service_id\":\"restaurant\"") != std::string::npos);
    CHECK(rq.request.body.find("\"phone\":\"13800138000\"") != std::string::npos);
    f.answer(rq.tag, api::Op::ticket_take, api::Payload{TicketF::ticket()});
    CHECK(f.core.view().prompt == f.tr("ticket.done", {{"n", "A042"}, {"k", "3"}}));
    CHECK(f.shows(f.tr("ticket.minutes", {{"m", "12"}})));
    CHECK(f.shows("138****8000"));
    CHECK_FALSE(f.shows("13800138000"));
    CHECK(f.shows(f.tr("ticket.printing")));
    auto pr = f.of<fx::Print>();
    REQUIRE(pr.size() == 1);
    CHECK(pr[0].receipt_template == "queue_ticket");
    std::map<std::string, std::string> fields(pr[0].fields.begin(), pr[0].fields.end());
    CHECK(fields["ticket"] == "A042");
    CHECK(fields["waiting"] == "3");
    CHECK(fields["status_url"] == "ESTN:TICKET:T-0042");
    CHECK(fields.count("phone") == 0);  // the number is not printed
    f.core.handle(PrintDone{pr[0].tag, true, {}, false});
    CHECK(f.shows(f.tr("ticket.printed")));
    f.intent(intents::done);
    CHECK(f.core.scene() == SceneId::Evaluation);
    CHECK(f.core.rating_target().transaction_id == "T-0042");
}

TEST_CASE("core.ticket without SMS: taken at once, no phone in the request") {
    TicketF f;
    f.load();
    f.intent(intents::pick, "residence");
    f.intent(intents::ticket::sms, "no");
    auto rq = f.request(api::Op::ticket_take);
    CHECK(rq.request.body.find("phone") == std::string::npos);
    CHECK(rq.request.body.find("\"service_id\":\"residence\"") != std::string::npos);
}

TEST_CASE("core.ticket hall failures: the catalog and the ticket, each with retry") {
    TicketF f;
    f.answer(f.request(api::Op::catalog).tag, api::Op::catalog,
             TicketF::error(api::ErrorKind::offline));
    CHECK(f.shows(f.tr("flow.error.offline")));
    f.intent(intents::retry);
    f.load();  // asked again, answered this time
    CHECK(f.choices());
    f.intent(intents::pick, "restaurant");
    f.intent(intents::ticket::sms, "no");
    f.answer(f.request(api::Op::ticket_take).tag, api::Op::ticket_take,
             TicketF::error(api::ErrorKind::conflict));
    CHECK(f.shows(f.tr("flow.error.conflict")));
    CHECK(f.of<fx::Print>().empty());
    f.intent(intents::retry);  // the same business again, not the catalog
    auto rq = f.request(api::Op::ticket_take);
    f.answer(rq.tag, api::Op::ticket_take, api::Payload{TicketF::ticket()});
    CHECK(f.shows("A042"));
}

TEST_CASE("core.ticket printer down or out of paper: the number and its QR code stay on screen") {
    TicketF f;
    f.core.handle(DeviceAvailability{"printer", false});
    f.load();
    f.intent(intents::pick, "restaurant");
    f.intent(intents::ticket::sms, "no");
    f.answer(f.request(api::Op::ticket_take).tag, api::Op::ticket_take,
             api::Payload{TicketF::ticket()});
    CHECK(f.of<fx::Print>().empty());
    CHECK(f.shows(f.tr("ticket.print_failed")));
    CHECK(f.shows(f.tr("print.reason.offline")));
    bool qr = false;
    for (const auto& e : f.core.view().page)
        qr |= e.kind == Element::Kind::Qr && e.text == "ESTN:TICKET:T-0042";
    CHECK(qr);
    // Back up: a reprint is offered, and a failed one says why.
    f.core.handle(DeviceAvailability{"printer", true});
    f.intent(intents::reprint);
    auto pr = f.of<fx::Print>();
    REQUIRE(pr.size() == 1);
    f.core.handle(PrintDone{pr[0].tag, false, PrintFailure::paper_out, true});
    CHECK(f.shows(f.tr("print.reason.paper_out")));
}

TEST_CASE("core.ticket back steps inside the flow, wipes the typed number, then leaves") {
    TicketF f;
    f.load();
    f.intent(intents::pick, "restaurant");
    f.intent(intents::ticket::sms, "yes");
    f.intent(intents::key, "1");
    f.intent(intents::key, "3");
    CHECK(f.core.session().data.phone == "13");
    f.intent(intents::back);
    CHECK(f.core.session().data.phone.empty());
    CHECK(f.core.view().prompt == f.tr("ticket.ask_phone"));
    f.intent(intents::back);
    CHECK(f.core.view().prompt == f.tr("ticket.choose"));
    f.intent(intents::back);
    CHECK(f.core.scene() == SceneId::Home);
}

TEST_CASE("core.ticket inactivity timeout mid-number ends the session and wipes the number") {
    TicketF f;
    f.load();
    f.intent(intents::pick, "restaurant");
    f.intent(intents::ticket::sms, "yes");
    f.intent(intents::key, "1");
    const auto& s = f.core.config().session;
    f.advance(s.inactivity_seconds + s.warning_seconds + 1);
    CHECK(f.core.scene() == SceneId::Attract);
    CHECK_FALSE(f.core.session().active);
    CHECK(f.core.session().data.phone.empty());
}

TEST_CASE("core.ticket bad input: a wrong mobile number, an unknown business, stray intents") {
    TicketF f;
    f.load();
    f.intent(intents::pick, "no-such-business");
    CHECK(f.core.view().prompt == f.tr("ticket.choose"));  // still choosing
    f.intent(intents::ticket::sms, "yes");                 // not on this step: ignored
    CHECK(f.core.view().prompt == f.tr("ticket.choose"));
    f.intent(intents::pick, "restaurant");
    f.intent(intents::ticket::sms, "yes");
    f.type("123");
    CHECK(f.core.view().prompt == f.tr("ticket.phone_bad"));
    CHECK(f.of<fx::HallRequest>().empty());
    // At most 11 digits; a number starting 12 is not a mobile number.
    f.type("45678901234567");
    CHECK(f.core.session().data.phone == "12345678901");
    CHECK(f.core.view().prompt == f.tr("ticket.phone_bad"));
    CHECK(f.of<fx::HallRequest>().empty());
    for (int i = 0; i < 11; ++i) f.intent(intents::key, "del");
    f.type("13800138000");
    CHECK(f.request(api::Op::ticket_take).request.body.find("13800138000") != std::string::npos);
}

TEST_CASE("core.ticket the rating after a ticket names the queue service, not a raw key") {
    TicketF f;
    f.load();
    f.intent(intents::pick, "restaurant");
    f.intent(intents::ticket::sms, "no");
    f.answer(f.request(api::Op::ticket_take).tag, api::Op::ticket_take,
             api::Payload{TicketF::ticket()});
    f.intent(intents::done);
    REQUIRE(f.core.scene() == SceneId::Evaluation);
    bool named = false;
    for (const auto& e : f.core.view().page)
        for (const auto& r : e.rows)
            if (r.label == f.tr("evaluation.service")) {
                named = true;
                CHECK(r.value == f.tr("service.queue.title"));
                CHECK(r.value.find("service.") == std::string::npos);
            }
    CHECK(named);
}

}  // namespace kiosk::test
