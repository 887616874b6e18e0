// Staff calls (docs/api/hall.yaml "assist") end to end: the kiosk's outbox rows reach the hall
// simulator's desk through the real Client, the desk answers over HTTP with a desk login, and the
// kiosk reads the state back. No mocks: SQLite outbox, HTTP on loopback, the hall's own store.
#include <algorithm>

#include "api/requests.hpp"
#include "helpers.hpp"

using namespace kiosk;
using namespace backend_test;
using api::ErrorKind;

namespace {

struct Desk {
    TempDir dir;
    hallsim::HallSim sim;
    std::unique_ptr<backend::Outbox> outbox;
    std::unique_ptr<backend::Client> client;
    explicit Desk(hallsim::Options o = {}) : sim(std::move(o)) {
        REQUIRE(sim.start());
        backend::OutboxOptions oo;
        oo.path = dir.file("outbox.db");
        auto ob = backend::Outbox::open(oo);
        REQUIRE(ob.ok());
        outbox = std::move(ob.value());
        auto c = backend::Client::create(config_for(sim), outbox.get());
        REQUIRE(c.ok());
        client = std::move(c.value());
    }
    std::string desk_token() {
        auto s = payload<api::StaffSession>(call(*client, api::req::staff_login("S010", "2468")));
        return s.token;
    }
    std::string state_of(const std::string& id) {
        for (const auto& c : sim.assist_calls())
            if (c.call_id == id) return c.state;
        return {};
    }
};

const char* kCall =
    R"({"call_id":"KIOSK-T1-c1795786200000","kiosk_id":"KIOSK-T1","short_code":"KIOSKT1",)"
    R"("location":"大厅入口","scene":"pickup","reason":"door_jammed","at":"2026-11-26T13:30:00Z",)"
    R"("after_hours":false})";

}  // namespace

TEST_CASE("backend.assist a staff call goes from the outbox to the hall's desk and back") {
    Desk d;
    REQUIRE(d.outbox->append("assist.call", kCall).ok());
    const std::string id = "KIOSK-T1-c1795786200000";
    REQUIRE(eventually([&] { return d.state_of(id) == "open"; }));
    // The hall has the call a moment before the client marks its row delivered.
    CHECK(eventually([&] { return d.outbox->depth() == 0; }));
    auto rows = d.sim.assist_calls();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].kiosk_id == "KIOSK-T1");
    CHECK(rows[0].reason == "door_jammed");
    CHECK(rows[0].scene == "pickup");

    // The kiosk asks for its state.
    auto st = payload<api::AssistCall>(call(*d.client, api::req::assist_status(id)));
    CHECK(st.state == api::AssistState::open);
    CHECK(st.staffed);
    CHECK_FALSE(st.eta_minutes.has_value());

    // The desk lists it and acknowledges it (a desk login; a maintenance login may not).
    const std::string token = d.desk_token();
    auto list = payload<api::AssistCallList>(call(*d.client, api::req::assist_list(token)));
    REQUIRE(list.calls.size() == 1);
    CHECK(list.calls[0].call_id == id);
    auto s001 = payload<api::StaffSession>(call(*d.client, api::req::staff_login("S001", "1234")));
    CHECK(call(*d.client, api::req::assist_acknowledge(s001.token, id, 4))
              .result.error()
              .http_status == 403);
    auto ack =
        payload<api::AssistCall>(call(*d.client, api::req::assist_acknowledge(token, id, 4)));
    CHECK(ack.state == api::AssistState::acknowledged);
    REQUIRE(ack.eta_minutes.has_value());
    CHECK(*ack.eta_minutes == 4);
    st = payload<api::AssistCall>(call(*d.client, api::req::assist_status(id)));
    CHECK(st.state == api::AssistState::acknowledged);

    // Staff at the kiosk resolve it (through the outbox); a later cancel is refused (409).
    REQUIRE(
        d.outbox
            ->append("assist.resolve",
                     R"({"call_id":"KIOSK-T1-c1795786200000","kiosk_id":"KIOSK-T1","by":"S001"})")
            .ok());
    REQUIRE(eventually([&] { return d.state_of(id) == "resolved"; }));
    auto late = call(*d.client, api::req::assist_cancel(id, "citizen"));
    REQUIRE_FALSE(late.result.ok());
    CHECK(late.result.error().http_status == 409);
}

TEST_CASE("backend.assist the same call sent twice is one call, a cancel follows it in order") {
    Desk d;
    // Two rows for the same call (a retry after a crash before the row was marked delivered):
    // the idempotency key (assist-<call id>) and the call id make it one call at the hall.
    REQUIRE(d.outbox->append("assist.call", kCall).ok());
    REQUIRE(d.outbox->append("assist.call", kCall).ok());
    REQUIRE(d.outbox
                ->append("assist.cancel",
                         R"({"call_id":"KIOSK-T1-c1795786200000","kiosk_id":"KIOSK-T1",)"
                         R"("reason":"session_timeout"})")
                .ok());
    REQUIRE(eventually([&] { return d.state_of("KIOSK-T1-c1795786200000") == "cancelled"; }));
    CHECK(d.sim.assist_calls().size() == 1);
    // The hall has the cancel a moment before the client marks its row delivered.
    CHECK(eventually([&] { return d.outbox->depth() == 0; }));
    CHECK(d.outbox->rejected() == 0);
}

TEST_CASE("backend.assist staff calls leave the outbox ahead of a backlog of other events") {
    TempDir dir;
    backend::OutboxOptions oo;
    oo.path = dir.file("outbox.db");
    auto ob = backend::Outbox::open(oo);
    REQUIRE(ob.ok());
    // The hall was away: 30 ordinary events wait. Then a citizen calls staff.
    for (int i = 0; i < 30; ++i) REQUIRE(ob.value()->append("audit", R"({"i":1})").ok());
    REQUIRE(ob.value()->append("assist.call", kCall).ok());
    auto head = ob.value()->head();
    REQUIRE(head.ok());
    REQUIRE(head.value().has_value());
    CHECK(head.value()->kind == "assist.call");
    // The others keep their own order after it.
    REQUIRE(ob.value()->mark_delivered(head.value()->id).ok());
    auto next = ob.value()->head();
    REQUIRE(next.ok());
    CHECK(next.value()->kind == "audit");
    CHECK(next.value()->id == 1);
}

TEST_CASE("backend.assist the desk's duty hours say whether anyone is staffed") {
    hallsim::Options o;
    o.desk_hours = "00:00-00:01";  // practically never
    o.desk_days = "";
    Desk d(o);
    REQUIRE(d.outbox->append("assist.call", kCall).ok());
    REQUIRE(eventually([&] { return d.state_of("KIOSK-T1-c1795786200000") == "open"; }));
    auto st = payload<api::AssistCall>(
        call(*d.client, api::req::assist_status("KIOSK-T1-c1795786200000")));
    CHECK_FALSE(st.staffed);
    d.sim.set_desk(1);  // someone came in
    st = payload<api::AssistCall>(
        call(*d.client, api::req::assist_status("KIOSK-T1-c1795786200000")));
    CHECK(st.staffed);
}

TEST_CASE("backend.assist bad staff-call input is refused before it is sent") {
    Desk d;
    const auto before = d.sim.requests();
    CHECK_FALSE(api::req::assist_create("KIOSK-T1", "c1", "Door Jam", "pickup", "", "", false)
                    .invalid.empty());
    CHECK_FALSE(api::req::assist_status("../etc").invalid.empty());
    CHECK_FALSE(api::req::assist_cancel("c1", "").invalid.empty());
    CHECK_FALSE(api::req::assist_acknowledge("t", "c1", 999).invalid.empty());
    CHECK(call(*d.client, api::req::assist_status("bad/id")).result.error().kind ==
          ErrorKind::invalid_request);
    CHECK(d.sim.requests() == before);
    // An unknown call is a 404, not a crash; a payload without a call id is rejected for good.
    CHECK(call(*d.client, api::req::assist_status("nope")).result.error().kind ==
          ErrorKind::not_found);
    REQUIRE(d.outbox->append("assist.call", R"({"reason":"citizen"})").ok());
    CHECK(eventually([&] { return d.outbox->rejected() == 1; }));
}
