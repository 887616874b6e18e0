// The durable outbox: in-order exactly-once delivery through outages and restarts, and loud
// failure on a corrupt database or a full disk.
#include <fstream>

#include <sqlite3.h>

#include "helpers.hpp"

using namespace kiosk;
using namespace backend_test;
using api::ErrorKind;

TEST_CASE(
    "backend.outbox 500 events arrive exactly once and in order across an outage and a restart") {
    TempDir dir;
    hallsim::Options so;
    so.db = dir.file("hall.db");
    hallsim::HallSim sim(so);
    REQUIRE(sim.start());
    // Connections dropped after the hall applied an event force resends that must be deduplicated.
    hallsim::Faults faults;
    faults.reset_rate = 0.05;
    sim.set_faults(faults);

    backend::OutboxOptions oo;
    oo.path = dir.file("outbox.db");
    auto cfg = config_for(sim);
    constexpr int kTotal = 500;
    {
        auto ob = backend::Outbox::open(oo);
        REQUIRE(ob.ok());
        auto client = backend::Client::create(cfg, ob.value().get());
        REQUIRE(client.ok());
        for (int i = 1; i <= 200; ++i) {
            auto id =
                ob.value()->append("audit", R"({"action":"test","n":)" + std::to_string(i) + "}");
            REQUIRE(id.ok());
        }
        client.value()->kick_outbox();
        REQUIRE(eventually([&] { return sim.events().size() >= 50; }));
        // The hall goes down while events keep being recorded.
        sim.stop();
        for (int i = 201; i <= 400; ++i)
            REQUIRE(ob.value()
                        ->append("evaluation.submitted", R"({"n":)" + std::to_string(i) + "}")
                        .ok());
        REQUIRE(eventually([&] { return !client.value()->status().reachable; }));
        CHECK(client.value()->status().outbox_depth > 0);
        // The kiosk restarts during the outage (client and outbox closed).
    }
    {
        auto ob = backend::Outbox::open(oo);
        REQUIRE(ob.ok());
        CHECK(ob.value()->depth() > 100);
        for (int i = 401; i <= kTotal; ++i)
            REQUIRE(
                ob.value()->append("pickup.completed", R"({"n":)" + std::to_string(i) + "}").ok());
        auto client = backend::Client::create(cfg, ob.value().get());
        REQUIRE(client.ok());
        std::this_thread::sleep_for(
            std::chrono::milliseconds(100));  // still down: retries back off
        REQUIRE(sim.start());                 // the hall is back, same port, same database
        REQUIRE(eventually([&] { return ob.value()->depth() == 0; }, std::chrono::seconds(40)));
        CHECK(ob.value()->rejected() == 0);
        CHECK(eventually([&] { return client.value()->status().outbox_depth == 0; }));
    }
    auto arrived = sim.events();
    REQUIRE(arrived.size() == kTotal);
    for (int i = 0; i < kTotal; ++i) {
        CHECK(arrived[static_cast<std::size_t>(i)].seq == i + 1);
        if (arrived[static_cast<std::size_t>(i)].seq != i + 1) break;
    }
    CHECK(arrived.front().kind == "audit");
    CHECK(arrived.back().kind == "pickup.completed");
}

TEST_CASE("backend.outbox a corrupt database is detected and reported") {
    TempDir dir;
    {
        std::ofstream f(dir.file("outbox.db"), std::ios::binary);
        f << std::string(8192, 'x');
    }
    backend::OutboxOptions oo;
    oo.path = dir.file("outbox.db");
    auto ob = backend::Outbox::open(oo);
    REQUIRE(!ob.ok());
    CHECK(ob.error().kind == ErrorKind::storage);
    CHECK(ob.error().detail.find("corrupt") != std::string::npos);
}

TEST_CASE("backend.outbox a full disk fails append loudly and keeps what was stored") {
    TempDir dir;
    backend::OutboxOptions oo;
    oo.path = dir.file("outbox.db");
    oo.max_bytes = 64 * 1024;
    auto ob = backend::Outbox::open(oo);
    REQUIRE(ob.ok());
    std::string payload = R"({"pad":")" + std::string(2000, 'p') + "\"}";
    int stored = 0;
    api::Result<std::int64_t> last = std::int64_t{0};
    for (int i = 0; i < 200; ++i) {
        last = ob.value()->append("audit", payload);
        if (!last.ok()) break;
        ++stored;
    }
    REQUIRE(!last.ok());
    CHECK(last.error().kind == ErrorKind::storage);
    CHECK(last.error().detail.find("full") != std::string::npos);
    CHECK(ob.value()->failed());
    CHECK(stored > 5);
    CHECK(ob.value()->depth() == stored);
}

TEST_CASE("backend.outbox refuses bad kinds and payloads before storing them") {
    TempDir dir;
    backend::OutboxOptions oo;
    oo.path = dir.file("outbox.db");
    auto ob = backend::Outbox::open(oo);
    REQUIRE(ob.ok());
    CHECK(ob.value()->append("Bad Kind", "{}").error().kind == ErrorKind::invalid_request);
    CHECK(ob.value()->append("audit", "[1,2]").error().kind == ErrorKind::invalid_request);
    CHECK(ob.value()->append("audit", "{nope").error().kind == ErrorKind::invalid_request);

    hallsim::HallSim sim;
    REQUIRE(sim.start());
    auto cfg = config_for(sim);
    auto client = backend::Client::create(cfg, ob.value().get());
    REQUIRE(client.ok());
    // Valid entries go through, in order, and leave the table.
    REQUIRE(ob.value()->append("audit", R"({"ok":1})").ok());
    REQUIRE(ob.value()->append("audit", R"({"ok":2})").ok());
    client.value()->kick_outbox();
    REQUIRE(eventually([&] { return ob.value()->depth() == 0; }));
    CHECK(sim.events().size() == 2);
}

TEST_CASE(
    "backend.outbox an entry the hall refuses for good is set aside and the rest still flow") {
    TempDir dir;
    backend::OutboxOptions oo;
    oo.path = dir.file("outbox.db");
    auto ob = backend::Outbox::open(oo);
    REQUIRE(ob.ok());
    REQUIRE(ob.value()->append("audit", R"({"n":1})").ok());
    REQUIRE(ob.value()->append("audit", R"({"n":2})").ok());
    hallsim::HallSim sim;
    REQUIRE(sim.start());
    hallsim::Faults faults;
    faults.fail_next = 1;
    faults.fail_status = 422;
    sim.set_faults(faults);
    auto client = backend::Client::create(config_for(sim), ob.value().get());
    REQUIRE(client.ok());
    REQUIRE(eventually([&] { return ob.value()->depth() == 0; }));
    CHECK(ob.value()->rejected() == 1);
    auto arrived = sim.events();
    REQUIRE(arrived.size() == 1);
    CHECK(arrived[0].seq == 2);
}

TEST_CASE("backend.outbox a storage failure shows in the client's status") {
    TempDir dir;
    backend::OutboxOptions oo;
    oo.path = dir.file("outbox.db");
    oo.max_bytes = 48 * 1024;
    auto ob = backend::Outbox::open(oo);
    REQUIRE(ob.ok());
    backend::ClientConfig cfg;  // nothing listens on port 9: the hall is down, entries pile up
    cfg.base_url = "http://127.0.0.1:9/api/v1";
    cfg.kiosk_id = "KIOSK-T1";
    cfg.insecure_loopback = true;
    auto client = backend::Client::create(cfg, ob.value().get());
    REQUIRE(client.ok());
    std::string payload = R"({"pad":")" + std::string(4000, 'p') + "\"}";
    bool failed = false;
    for (int i = 0; i < 100 && !failed; ++i) failed = !ob.value()->append("audit", payload).ok();
    REQUIRE(failed);
    CHECK(eventually([&] { return client.value()->status().outbox_failed; }));
    CHECK(client.value()->status().outbox_error.find("full") != std::string::npos);
    CHECK(client.value()->status().outbox_depth > 0);
}

TEST_CASE("backend.outbox append_once stores a key once also after delivery and on an old file") {
    TempDir dir;
    backend::OutboxOptions oo;
    oo.path = dir.file("outbox.db");
    {
        // A database from before op_key existed, with one pending entry: it is migrated.
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(oo.path.c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db,
                             "CREATE TABLE outbox(id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT "
                             "NOT NULL, payload TEXT NOT NULL, created_at TEXT NOT NULL, attempts "
                             "INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL DEFAULT 'pending', "
                             "reason TEXT);"
                             "INSERT INTO outbox(kind, payload, created_at) "
                             "VALUES('audit', '{\"old\":1}', '2026-01-01T00:00:00Z');",
                             nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    hallsim::HallSim sim;
    REQUIRE(sim.start());
    std::int64_t first = 0;
    {
        auto ob = backend::Outbox::open(oo);
        REQUIRE(ob.ok());
        CHECK(ob.value()->depth() == 1);
        auto a = ob.value()->append_once("pickup.completed", "AUTH-PK1001-1", R"({"n":1})");
        REQUIRE(a.ok());
        first = a.value();
        auto b = ob.value()->append_once("pickup.completed", "AUTH-PK1001-1", R"({"n":2})");
        REQUIRE(b.ok());
        CHECK(b.value() == first);
        CHECK(ob.value()->depth() == 2);
        CHECK_FALSE(ob.value()->append_once("pickup.completed", "", "{}").ok());
        CHECK_FALSE(ob.value()->append_once("pickup.completed", "bad key", "{}").ok());
        auto client = backend::Client::create(config_for(sim), ob.value().get());
        REQUIRE(client.ok());
        REQUIRE(eventually([&] { return ob.value()->depth() == 0; }));
        CHECK(sim.events().size() == 2);
    }
    // Reopened (a restart) after the hall acknowledged it: the key is still known.
    auto ob = backend::Outbox::open(oo);
    REQUIRE(ob.ok());
    auto again = ob.value()->append_once("pickup.completed", "AUTH-PK1001-1", R"({"n":3})");
    REQUIRE(again.ok());
    CHECK(again.value() == first);
    CHECK(ob.value()->depth() == 0);
    auto other = ob.value()->append_once("deposit.made", "DEP-1", R"({"n":4})");
    REQUIRE(other.ok());
    CHECK(other.value() > first);
    CHECK(ob.value()->depth() == 1);
    CHECK(sim.events().size() == 2);
}
