// kiosk_backend's Client against the hall simulator over loopback: the contract, end to end.
#include <algorithm>

#include "helpers.hpp"

using namespace kiosk;
using namespace backend_test;
using api::ErrorKind;

namespace {
struct Fixture {
    hallsim::HallSim sim;
    std::unique_ptr<backend::Client> client;
    Fixture() {
        REQUIRE(sim.start());
        auto c = backend::Client::create(config_for(sim));
        REQUIRE(c.ok());
        client = std::move(c.value());
    }
};
}  // namespace

TEST_CASE(
    "backend.contract catalog has at least 15 services and the guides include the seed's "
    "restaurant") {
    Fixture f;
    auto cat = payload<api::Catalog>(call(*f.client, api::req::catalog()));
    CHECK(cat.services.size() >= 15);
    auto pickup = std::find_if(cat.services.begin(), cat.services.end(),
                               [](const api::Service& s) { return s.id == "pickup"; });
    REQUIRE(pickup != cat.services.end());
    CHECK(pickup->needs_hall());
    CHECK(pickup->kind == api::ServiceKind::flow);

    auto list = payload<api::GuideList>(call(*f.client, api::req::guides()));
    CHECK(list.guides.size() >= 5);

    auto g = payload<api::Guide>(call(*f.client, api::req::guide("restaurant")));
    CHECK(g.title.zh == "我要开小餐馆");
    CHECK(g.departments.size() == 4);
    REQUIRE(g.before.has_value());
    REQUIRE(g.after.has_value());
    CHECK(g.before->materials == 26);
    CHECK(g.before->working_days == doctest::Approx(14.5));
    CHECK(g.after->materials == 14);
    CHECK(g.after->working_days == doctest::Approx(8));
    CHECK(g.steps.size() == 4);
    // 情形选办: the basic case needs the 4 basic minus the agent's ID, plus licence and catering
    // materials; adding the shopfront adds the three road drawings.
    auto base = g.materials_for(g.situations_for({"agent_no", "facade_no", "taxes_no"}));
    auto road = g.materials_for(g.situations_for({"agent_no", "facade_yes", "taxes_no"}));
    CHECK(base.size() == 6);
    CHECK(road.size() == 9);
    auto all = g.materials_for(
        g.situations_for({"agent_yes", "facade_yes", "taxes_yes", "books_yes", "invoice_vat"}));
    CHECK(all.size() == 15);  // the seed's full list: 4 + 1 + 2 + 3 + 5

    CHECK(call(*f.client, api::req::guide("nope")).result.error().kind == ErrorKind::not_found);
}

TEST_CASE("backend.contract pickup by code, QR and ID number, authorise, complete is idempotent") {
    Fixture f;
    auto byCode = payload<api::PickupList>(
        call(*f.client, api::req::pickup_lookup(api::LookupBy::code, "246810")));
    REQUIRE(byCode.pickups.size() == 2);  // one person, two certificates
    CHECK(byCode.pickups[0].holder == "张*");
    CHECK(payload<api::PickupList>(
              call(*f.client, api::req::pickup_lookup(api::LookupBy::qr, "QRT-55aa66bb")))
              .pickups.size() == 3);
    CHECK(payload<api::PickupList>(call(*f.client, api::req::pickup_lookup(api::LookupBy::id_number,
                                                                           "43060319850505234X")))
              .pickups.size() == 1);
    CHECK(payload<api::PickupList>(
              call(*f.client, api::req::pickup_lookup(api::LookupBy::code, "000000")))
              .pickups.empty());

    auto auth = payload<api::PickupAuthorization>(
        call(*f.client, api::req::pickup_authorize("PK1001", "KIOSK-T1", api::LookupBy::code)));
    CHECK(auth.locker.cabinet == "C1");
    CHECK(auth.locker.door == 3);
    auto done1 = payload<api::PickupCompletion>(
        call(*f.client, api::req::pickup_complete("PK1001", auth.authorization_id, true)));
    // Same key again (a retry after a lost answer) and a fresh key: same result both times.
    auto done2 = payload<api::PickupCompletion>(
        call(*f.client, api::req::pickup_complete("PK1001", auth.authorization_id, true)));
    auto fresh = api::req::pickup_complete("PK1001", auth.authorization_id, true);
    fresh.idempotency_key = "another-key";
    auto done3 = payload<api::PickupCompletion>(call(*f.client, fresh));
    CHECK(done1.completed_at == done2.completed_at);
    CHECK(done1.completed_at == done3.completed_at);
    auto again =
        call(*f.client, api::req::pickup_authorize("PK1001", "KIOSK-T1", api::LookupBy::code));
    CHECK(again.result.error().kind == ErrorKind::conflict);
    CHECK(again.result.error().code == "already_collected");
}

TEST_CASE("backend.contract payment: look up, create, show QR, simulated payer, status paid") {
    Fixture f;
    auto orders = payload<api::OrderList>(call(
        *f.client, api::req::order_lookup(api::OrderLookupBy::id_number, "430602199001011235")));
    CHECK(orders.orders.size() == 2);
    auto order = payload<api::Order>(call(*f.client, api::req::order_create("4306202611000002")));
    CHECK(order.amount_fen == 8000);
    auto qr = payload<api::PaymentQr>(call(*f.client, api::req::order_qr(order.order_id)));
    CHECK(qr.qr_payload.find(order.order_id) != std::string::npos);
    CHECK(payload<api::Order>(call(*f.client, api::req::order_get(order.order_id))).status ==
          api::OrderStatus::pending);
    CHECK(f.sim.pay(order.order_id));
    auto paid = payload<api::Order>(call(*f.client, api::req::order_get(order.order_id)));
    CHECK(paid.status == api::OrderStatus::paid);
    CHECK(!paid.paid_at.empty());
    CHECK(call(*f.client, api::req::order_create("9999999999")).result.error().kind ==
          ErrorKind::not_found);
}

TEST_CASE(
    "backend.contract progress, queue ticket, proof PDF, evaluation, complaint, staff deposit, "
    "kiosk") {
    Fixture f;
    auto apps = payload<api::ApplicationList>(
        call(*f.client, api::req::application_lookup("430602199001011235")));
    CHECK(apps.applications.size() == 2);
    auto app = payload<api::Application>(call(*f.client, api::req::application("APP-2026-0001")));
    CHECK(app.timeline.size() >= 3);
    CHECK(app.state == api::AppState::ready);

    auto t1 = payload<api::Ticket>(call(*f.client, api::req::ticket_take("progress", "KIOSK-T1")));
    auto t2 = payload<api::Ticket>(call(*f.client, api::req::ticket_take("progress", "KIOSK-T1")));
    CHECK(t2.waiting_ahead == t1.waiting_ahead + 1);
    CHECK(payload<api::Ticket>(call(*f.client, api::req::ticket_get(t1.ticket_id))).number ==
          t1.number);

    auto proof = payload<api::Proof>(call(
        *f.client, api::req::proof_request(api::ProofKind::acceptance_receipt, "APP-2026-0001")));
    auto pdf = payload<api::ProofPdf>(call(*f.client, api::req::proof_pdf(proof.proof_id)));
    CHECK(pdf.bytes.rfind("%PDF-1.4", 0) == 0);
    CHECK(static_cast<std::int64_t>(pdf.bytes.size()) == proof.bytes);

    CHECK(!payload<api::Ack>(call(*f.client, api::req::evaluation("TX-9", 2, {}, ""))).id.empty());
    auto second = call(*f.client, api::req::evaluation("TX-9", 1, {}, ""));
    CHECK(second.result.error().kind == ErrorKind::conflict);
    CHECK(!payload<api::Ack>(
               call(*f.client,
                    api::req::complaint(api::ComplaintCategory::not_done_in_one_visit, "跑了两次")))
               .due.empty());

    CHECK(call(*f.client, api::req::staff_login("S001", "0000")).result.error().kind ==
          ErrorKind::unauthorized);
    auto staff = payload<api::StaffSession>(call(*f.client, api::req::staff_login("S001", "1234")));
    CHECK(std::find(staff.roles.begin(), staff.roles.end(), "deposit") != staff.roles.end());
    CHECK(call(*f.client, api::req::deposit("", "APP-2026-0005", {"C3", 1})).result.error().kind ==
          ErrorKind::unauthorized);
    auto dep = payload<api::Deposit>(
        call(*f.client, api::req::deposit(staff.token, "APP-2026-0005", {"C3", 1})));
    CHECK(dep.locker.door == 1);
    CHECK(payload<api::PickupList>(call(*f.client, api::req::pickup_lookup(api::LookupBy::id_number,
                                                                           "430602199001011235")))
              .pickups.size() == 3);

    CHECK(payload<api::Registration>(
              call(*f.client, api::req::register_kiosk("KIOSK-T1", "0.1.0", "hall")))
              .heartbeat_interval_s >= 5);
    api::HeartbeatInfo hb;
    hb.devices = {{"printer", "online"}};
    CHECK(!payload<api::HeartbeatReply>(call(*f.client, api::req::heartbeat("KIOSK-T1", hb)))
               .server_time.empty());
}

TEST_CASE("backend.client answers refused requests at once, never sending them") {
    Fixture f;
    auto before = f.sim.requests();
    auto r = call(*f.client, api::req::guide("../../etc"));
    CHECK(r.result.error().kind == ErrorKind::invalid_request);
    CHECK(f.sim.requests() == before);
}

TEST_CASE("backend.client refuses configurations that would weaken TLS") {
    backend::ClientConfig c;
    c.kiosk_id = "K1";
    c.base_url = "http://10.0.0.5/api/v1";
    c.insecure_loopback = true;
    CHECK(backend::Client::create(c).error().kind ==
          ErrorKind::invalid_request);  // http off loopback
    c.base_url = "http://127.0.0.1:9/api/v1";
    c.insecure_loopback = false;
    CHECK(!backend::Client::create(c).ok());  // loopback http still needs the explicit switch
    c.base_url = "https://hall.example/api/v1";
    c.ca_file = "/nonexistent/ca.pem";
    CHECK(!backend::Client::create(c).ok());
    c.ca_file.clear();
    c.client_cert = "/nonexistent/cert.pem";
    CHECK(!backend::Client::create(c).ok());  // a cert without its key
    c.client_cert.clear();
    c.pinned_public_key = "sha256//AAAA";
    CHECK(backend::Client::create(c).ok());
}

TEST_CASE("backend.faults malformed, oversized and truncated answers are clear errors") {
    Fixture f;
    hallsim::Faults faults;
    faults.malformed_rate = 1;
    f.sim.set_faults(faults);
    auto r = call(*f.client, api::req::pickup_lookup(api::LookupBy::code, "246810"));
    CHECK(r.result.error().kind == ErrorKind::malformed);

    faults = {};
    faults.oversize_rate = 1;
    f.sim.set_faults(faults);
    r = call(*f.client, api::req::pickup_lookup(api::LookupBy::code, "246810"));
    CHECK(r.result.error().kind == ErrorKind::too_large);

    faults = {};
    faults.truncate_rate = 1;
    f.sim.set_faults(faults);
    r = call(*f.client, api::req::pickup_lookup(api::LookupBy::code, "246810"));
    CHECK(r.result.error().kind == ErrorKind::malformed);
    CHECK(r.result.error().detail.find("truncated") != std::string::npos);

    faults = {};
    faults.reset_rate = 1;
    f.sim.set_faults(faults);
    r = call(*f.client, api::req::pickup_lookup(api::LookupBy::code, "246810"));
    CHECK(!r.result.ok());
    CHECK(r.result.error().transient());

    f.sim.set_faults({});
    CHECK(call(*f.client, api::req::pickup_lookup(api::LookupBy::code, "246810")).result.ok());
}

TEST_CASE("backend.faults GET is retried with backoff, POST is not") {
    Fixture f;
    hallsim::Faults faults;
    faults.error_rate = 1;
    f.sim.set_faults(faults);
    auto before = f.sim.requests();
    auto r = call(*f.client, api::req::application("APP-2026-0001"));
    CHECK(r.result.error().http_status == 503);
    CHECK(f.sim.requests() - before == 3);  // 1 + max_retries (2)

    before = f.sim.requests();
    r = call(*f.client, api::req::ticket_take("progress", "KIOSK-T1"));
    CHECK(r.result.error().http_status == 503);
    CHECK(f.sim.requests() - before == 1);
}

TEST_CASE("backend.faults total timeout gives a timeout error without blocking the caller") {
    Fixture f;
    hallsim::Faults faults;
    faults.latency_ms = 600;
    f.sim.set_faults(faults);
    auto cfg = config_for(f.sim);
    cfg.total_timeout = std::chrono::milliseconds(150);
    cfg.max_retries = 0;
    auto c = backend::Client::create(cfg);
    REQUIRE(c.ok());
    auto t0 = std::chrono::steady_clock::now();
    auto id = c.value()->submit(api::req::catalog());
    CHECK(std::chrono::steady_clock::now() - t0 <
          std::chrono::milliseconds(50));  // submit returns at once
    CHECK(!c.value()->poll().has_value());
    auto r = c.value()->wait(id, std::chrono::seconds(5));
    REQUIRE(r.has_value());
    CHECK(r->result.error().kind == ErrorKind::timeout);
}

TEST_CASE(
    "backend.cache catalog and guides are served from the offline cache when the hall is down") {
    TempDir dir;
    hallsim::HallSim sim;
    REQUIRE(sim.start());
    auto cfg = config_for(sim);
    cfg.cache_path = dir.file("cache.db");
    cfg.max_retries = 0;
    {
        auto c = backend::Client::create(cfg);
        REQUIRE(c.ok());
        auto r = call(*c.value(), api::req::catalog());
        CHECK(!r.from_cache);
        CHECK(call(*c.value(), api::req::guide("restaurant")).result.ok());
    }
    sim.stop();
    // A new client (as after a reboot) with the hall down.
    auto c = backend::Client::create(cfg);
    REQUIRE(c.ok());
    auto cat = call(*c.value(), api::req::catalog());
    CHECK(cat.from_cache);
    CHECK(payload<api::Catalog>(cat).services.size() >= 15);
    auto g = call(*c.value(), api::req::guide("restaurant"));
    CHECK(g.from_cache);
    CHECK(payload<api::Guide>(g).title.zh == "我要开小餐馆");
    // Never fetched: a plain "offline" error; and services needing the hall fail as network.
    CHECK(call(*c.value(), api::req::guide("hospital")).result.error().kind == ErrorKind::offline);
    auto lookup = call(*c.value(), api::req::pickup_lookup(api::LookupBy::code, "246810"));
    CHECK(lookup.result.error().kind == ErrorKind::network);
    CHECK(!c.value()->status().reachable);
}

TEST_CASE("backend.faults a GET that fails twice then succeeds is answered once, after backoff") {
    Fixture f;
    hallsim::Faults faults;
    faults.fail_next = 2;
    f.sim.set_faults(faults);
    auto before = f.sim.requests();
    auto r = call(*f.client, api::req::application("APP-2026-0002"));
    CHECK(payload<api::Application>(r).application_id == "APP-2026-0002");
    CHECK(f.sim.requests() - before == 3);
    CHECK(f.client->status().reachable);
}

TEST_CASE("backend.client cancel answers cancelled at once, even while the hall is slow") {
    Fixture f;
    hallsim::Faults faults;
    faults.latency_ms = 1000;
    f.sim.set_faults(faults);
    auto t0 = std::chrono::steady_clock::now();
    auto id = f.client->submit(api::req::catalog());
    f.client->cancel(id);
    auto r = f.client->wait(id, std::chrono::seconds(5));
    REQUIRE(r.has_value());
    CHECK(r->result.error().kind == ErrorKind::cancelled);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(800));
    f.sim.set_faults({});
}

TEST_CASE(
    "backend.client sends heartbeats by itself when configured, replies arrive through poll") {
    hallsim::HallSim sim;
    REQUIRE(sim.start());
    auto cfg = config_for(sim);
    cfg.heartbeat_interval = std::chrono::milliseconds(50);
    auto c = backend::Client::create(cfg);
    REQUIRE(c.ok());
    api::HeartbeatInfo info;
    info.state = "degraded";
    info.devices = {{"printer", "offline"}};
    c.value()->set_heartbeat(info);
    int replies = 0;
    CHECK(eventually([&] {
        while (auto r = c.value()->poll())
            if (r->op == api::Op::heartbeat && r->result.ok()) ++replies;
        return replies >= 2;
    }));
}

TEST_CASE("backend.client refuses header or path injection from a request it did not build") {
    Fixture f;
    auto before = f.sim.requests();
    auto r = api::req::deposit("tok\r\nX-Evil: 1", "APP-2026-0005", {"C3", 1});
    CHECK(call(*f.client, r).result.error().kind == ErrorKind::invalid_request);
    r = api::req::ticket_take("progress", "KIOSK-T1");
    r.idempotency_key = "key\nX-Evil: 1";
    CHECK(call(*f.client, r).result.error().kind == ErrorKind::invalid_request);
    r = api::req::catalog();
    r.path = "/catalog HTTP/1.1\r\nHost: evil";
    CHECK(call(*f.client, r).result.error().kind == ErrorKind::invalid_request);
    CHECK(f.sim.requests() == before);
}

TEST_CASE("backend.outbox wakes the client's sender on append (no kick needed)") {
    TempDir dir;
    backend::OutboxOptions oo;
    oo.path = dir.file("outbox.db");
    auto ob = backend::Outbox::open(oo);
    REQUIRE(ob.ok());
    hallsim::HallSim sim;
    REQUIRE(sim.start());
    auto client = backend::Client::create(config_for(sim), ob.value().get());
    REQUIRE(client.ok());
    for (int i = 1; i <= 20; ++i) REQUIRE(ob.value()->append("audit", R"({"i":1})").ok());
    CHECK(eventually([&] { return sim.events().size() == 20; }));
    client.value().reset();  // unregisters from the outbox: appends after this must not crash
    CHECK(ob.value()->append("audit", R"({"i":2})").ok());
}
