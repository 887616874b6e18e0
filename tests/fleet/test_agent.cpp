// The fleet agent against a real mosquitto on loopback.
#include <doctest/doctest.h>

#include "broker.hpp"
#include "fleet/journal.hpp"

using namespace kiosk::fleet;
using namespace fleettest;

namespace {

std::string topic(const std::string& suffix) {
    return std::string(kPrefix) + suffix;
}

std::optional<Command> wait_command(Agent& a, bool busy = false) {
    std::optional<Command> c;
    eventually([&] { return (c = a.poll_command(busy)).has_value(); }, 20s);
    return c;
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

TEST_CASE("fleet.status retained online after CONNACK, retained will after the agent is killed") {
    Broker broker;
    TempDir state;
    Child worker(spawn(
        {KIOSK_BINARY_DIR "/tests/fleet/fleet_agent_worker", broker.url(), state.path.string()}));
    {
        Observer first(broker, {topic("status")}, "first");
        auto online = first.wait_for([](const Received& r) {
            return json::parse(r.payload, nullptr, false).value("online", false);
        });
        REQUIRE(online.has_value());
        auto j = json::parse(online->payload);
        CHECK(j["version"] == KIOSK_VERSION);
        CHECK(j["boot_id"].get<std::string>().size() >= 32);
    }
    worker.kill();
    const auto killed = std::chrono::steady_clock::now();

    // A second client, connecting after the kill: the retained status turns to offline (after the
    // will delay of 1 s, never before).
    Observer second(broker, {topic("status")}, "second");
    auto offline = second.wait_for([](const Received& r) {
        auto j = json::parse(r.payload, nullptr, false);
        return j.is_object() && j.contains("online") && j["online"] == false;
    });
    REQUIRE(offline.has_value());
    CHECK(offline->payload == R"({"online":false})");
    CHECK(std::chrono::steady_clock::now() - killed >= 900ms);
    // And it is retained: a third client sees it at once.
    Observer third(broker, {topic("status")}, "third");
    auto retained = third.wait_for([](const Received& r) { return r.retain; });
    REQUIRE(retained.has_value());
    CHECK(retained->payload == R"({"online":false})");
}

TEST_CASE("fleet.telemetry heartbeat carries the snapshot, disk free and buffer depth") {
    Broker broker;
    TempDir state;
    Operator op;
    Observer obs(broker, {topic("telemetry"), topic("status")});
    auto cfg = agent_config(broker, state.path.string(), op);
    cfg.heartbeat_seconds = 1;
    Agent agent(cfg);
    agent.set_snapshot_provider([] {
        Snapshot s;
        s.version = "9.9.9";
        s.state = "attract";
        s.uptime_s = 42;
        s.devices = {{"idcard", "ready"}, {"printer", "paper_low"}};
        s.paper = "low";
        s.lockers_free = 10;
        s.lockers_occupied = 20;
        s.lockers_faulty = 1;
        s.lockers_overdue = 2;
        s.outbox_depth = 3;
        return s;
    });
    std::string err;
    REQUIRE_MESSAGE(agent.start(&err), err);
    // Two heartbeats: the interval comes from the configuration.
    REQUIRE(eventually([&] { return obs.on(topic("telemetry")).size() >= 2; }));
    auto t = json::parse(obs.on(topic("telemetry"))[1].payload);
    CHECK(t["version"] == "9.9.9");
    CHECK(t["state"] == "attract");
    CHECK(t["uptime_s"] == 42);
    CHECK(t["devices"] == json::parse(R"([{"name":"idcard","status":"ready"},
                                         {"name":"printer","status":"paper_low"}])"));
    CHECK(t["paper"] == "low");
    CHECK(t["lockers"] == json{{"free", 10}, {"occupied", 20}, {"faulty", 1}, {"overdue", 2}});
    CHECK(t["disk_free_mb"].get<std::int64_t>() > 0);  // measured on the state dir
    CHECK(t["outbox_depth"] == 3);
    CHECK(t.contains("buffered"));
    CHECK(t["seq"].get<std::int64_t>() > json::parse(obs.on(topic("telemetry"))[0].payload)["seq"]);
    CHECK(t["ts"].get<std::string>().ends_with("Z"));
    CHECK(agent.status().connected);
    CHECK(agent.status().last_error.empty());
    // The status topic says online with our version.
    auto st = obs.wait_for([](const Received& r) { return r.topic.ends_with("/status"); });
    REQUIRE(st.has_value());
    CHECK(json::parse(st->payload)["online"] == true);
    {
        // Retained: a client that subscribes later gets it at once, with the retain flag.
        Observer late(broker, {topic("status")}, "late");
        auto r = late.wait_for([](const Received& r) { return r.topic.ends_with("/status"); });
        REQUIRE(r.has_value());
        CHECK(r->retain);
        CHECK(json::parse(r->payload)["version"] == KIOSK_VERSION);
    }
    agent.stop();
    // A clean stop says offline on the retained status.
    CHECK(obs.wait_for([](const Received& r) {
                 return r.topic.ends_with("/status") && json::parse(r.payload)["online"] == false;
             })
              .has_value());
}

TEST_CASE("fleet.events raised while the broker is down arrive later, in order, with their times") {
    Broker broker;
    TempDir state;
    Operator op;
    Agent agent(agent_config(broker, state.path.string(), op));
    std::string err;
    REQUIRE_MESSAGE(agent.start(&err), err);
    REQUIRE(eventually([&] { return agent.status().connected; }));
    {
        Observer obs(broker, {topic("events")});
        CHECK(agent.post_event("device_up", {{"device", "printer"}}));
        REQUIRE(obs.wait_for([](const Received& r) { return r.topic.ends_with("/events"); }));
    }

    broker.stop();
    REQUIRE(eventually([&] { return !agent.status().connected; }));
    const std::int64_t before = now_ms();
    const char* types[] = {"paper_out", "door_jam", "tamper", "device_down", "device_up"};
    for (int i = 0; i < 5; ++i) CHECK(agent.post_event(types[i], {{"n", i}}));
    const std::int64_t after = now_ms();
    CHECK(agent.status().buffered >= 5);
    std::this_thread::sleep_for(1100ms);  // so delivery time and raise time differ
    broker.start();

    // A durable observer session would be the operator's; here the observer subscribes first
    // and the agent reconnects with backoff (at most 300 ms in tests).
    Observer obs(broker, {topic("events")}, "late");
    REQUIRE(eventually([&] { return obs.on(topic("events")).size() >= 5; }));
    auto got = obs.on(topic("events"));
    std::int64_t last_seq = 0;
    for (int i = 0; i < 5; ++i) {
        auto e = json::parse(got[static_cast<std::size_t>(i)].payload);
        CHECK(e["type"] == types[i]);
        CHECK(e["details"]["n"] == i);
        CHECK(e["seq"].get<std::int64_t>() > last_seq);
        last_seq = e["seq"];
        CHECK(e["ts_ms"].get<std::int64_t>() >= before);
        CHECK(e["ts_ms"].get<std::int64_t>() <= after);  // raised, not delivered, time
        CHECK(got[static_cast<std::size_t>(i)].qos == 1);
    }
    REQUIRE(eventually([&] { return agent.status().buffered == 0; }));
}

TEST_CASE("fleet.events buffered survive a restart of the agent") {
    Broker broker;
    TempDir state;
    Operator op;
    broker.stop();
    {
        Agent agent(agent_config(broker, state.path.string(), op));
        std::string err;
        REQUIRE_MESSAGE(agent.start(&err), err);
        CHECK(agent.post_event("tamper", {{"door", "service"}}));
        CHECK(agent.post_event("paper_out", {{"printer", "receipt"}}));
        CHECK(agent.status().buffered >= 2);
        CHECK_FALSE(agent.status().connected);
        REQUIRE(eventually([&] { return !agent.status().last_error.empty(); }));
        CHECK(agent.status().last_error.find("cannot connect") != std::string::npos);
    }  // the kiosk stops (or is restarted) while the broker is away
    broker.start();
    Observer obs(broker, {topic("events")});
    Agent agent(agent_config(broker, state.path.string(), op));
    std::string err;
    REQUIRE_MESSAGE(agent.start(&err), err);
    REQUIRE(eventually([&] { return obs.on(topic("events")).size() >= 2; }));
    auto got = obs.on(topic("events"));
    CHECK(json::parse(got[0].payload)["type"] == "tamper");
    CHECK(json::parse(got[1].payload)["type"] == "paper_out");
    CHECK(json::parse(got[0].payload)["seq"] < json::parse(got[1].payload)["seq"]);
}

TEST_CASE("fleet.buffer bound drops telemetry before events while the broker is away") {
    Broker broker;
    TempDir state;
    Operator op;
    broker.stop();
    auto cfg = agent_config(broker, state.path.string(), op);
    cfg.buffer_max_rows = 4;
    cfg.heartbeat_seconds = 1;
    {
        Agent agent(cfg);
        std::string err;
        REQUIRE_MESSAGE(agent.start(&err), err);
        CHECK(agent.post_event("door_jam", {{"n", 1}}));
        CHECK(agent.post_event("door_jam", {{"n", 2}}));
        CHECK(agent.post_event("door_jam", {{"n", 3}}));
        // Heartbeats keep coming while offline; each new one pushes an older one out.
        std::this_thread::sleep_for(2500ms);
        CHECK(agent.status().buffered == 4);
        CHECK(agent.status().dropped == 0);  // no event was lost
    }
    auto j = Journal::open(state.file("fleet.sqlite"), 4, nullptr);
    REQUIRE(j);
    CHECK(j->count("event") == 3);
    CHECK(j->count("telemetry") == 1);
}

TEST_CASE("fleet.commands each rejection is answered on cmd/resp with its reason") {
    Broker broker;
    TempDir state;
    Operator op;
    Operator stranger;
    stranger.key_id = "ops-other";
    Observer obs(broker, {topic("cmd/resp")});
    Agent agent(agent_config(broker, state.path.string(), op));
    std::string err;
    REQUIRE_MESSAGE(agent.start(&err), err);
    REQUIRE(eventually([&] { return agent.status().connected; }));
    wait_agent_listening(obs);

    auto tampered = op.command("r-sig", "restart");
    tampered["args"] = {{"x", 1}};
    const std::pair<std::string, std::string> cases[] = {
        {op.command("r-key", "restart").dump(), ""},
        {stranger.command("r-unknown", "restart").dump(), "unknown_key"},
        {tampered.dump(), "bad_signature"},
        {op.command("r-target", "restart", json::object(), "k9").dump(), "wrong_target"},
        {op.command("r-exp", "restart", json::object(), "k1", 10, -100).dump(), "expired"},
        {op.command("r-type", "reboot_bios").dump(), "unknown_type"},
        {op.command("r-cfg", "push_config", {{"toml", "[display]\nwidht = 1\n"}}).dump(),
         "bad_config"},
    };
    for (const auto& [payload, _] : cases) obs.publish(topic("cmd"), payload);
    obs.publish(topic("cmd"), "{not json");
    obs.publish(topic("cmd"), cases[0].first);  // the same id again: replayed

    for (const auto& [payload, reason] : cases) {
        if (reason.empty()) continue;
        const std::string id = json::parse(payload)["id"];
        auto a = obs.answer(kPrefix, id, "rejected");
        REQUIRE_MESSAGE(a.has_value(), id);
        CHECK((*a)["reason"] == reason);
        CHECK((*a)["ok"] == false);
        CHECK((*a)["kiosk"] == "k1");
        CHECK_FALSE((*a)["message"].get<std::string>().empty());
    }
    auto cfg_answer = obs.answer(kPrefix, "r-cfg", "rejected");
    CHECK((*cfg_answer)["message"] == "push_config:2: 'display.widht' is not a known key");
    auto malformed = obs.wait_for([](const Received& r) {
        auto j = json::parse(r.payload, nullptr, false);
        return j.is_object() && j["id"].is_null() && j["message"] == "not valid JSON";
    });
    CHECK(malformed.has_value());
    auto replay = obs.answer(kPrefix, "r-key", "rejected");
    REQUIRE(replay.has_value());
    CHECK((*replay)["reason"] == "replayed");
    // The valid one reached the application, once.
    auto c = wait_command(agent);
    REQUIRE(c.has_value());
    CHECK(c->id == "r-key");
    CHECK_FALSE(agent.poll_command().has_value());
}

TEST_CASE("fleet.commands replayed ids are refused after an agent restart too") {
    Broker broker;
    TempDir state;
    Operator op;
    Observer obs(broker, {topic("cmd/resp")});
    const std::string cmd = op.command("once", "screenshot").dump();
    {
        Agent agent(agent_config(broker, state.path.string(), op));
        std::string err;
        REQUIRE_MESSAGE(agent.start(&err), err);
        REQUIRE(eventually([&] { return agent.status().connected; }));
        wait_agent_listening(obs);
        obs.publish(topic("cmd"), cmd);
        REQUIRE(wait_command(agent).has_value());
    }
    Agent agent(agent_config(broker, state.path.string(), op));
    std::string err;
    REQUIRE_MESSAGE(agent.start(&err), err);
    REQUIRE(eventually([&] { return agent.status().connected; }));
    wait_agent_listening(obs);
    obs.publish(topic("cmd"), cmd);
    auto a = obs.answer(kPrefix, "once", "rejected");
    REQUIRE(a.has_value());
    CHECK((*a)["reason"] == "replayed");
}

TEST_CASE("fleet.commands deferred while a citizen is served: deferred first, final answer later") {
    Broker broker;
    TempDir state;
    Operator op;
    Observer obs(broker, {topic("cmd/resp")});
    Agent agent(agent_config(broker, state.path.string(), op));
    std::string err;
    REQUIRE_MESSAGE(agent.start(&err), err);
    REQUIRE(eventually([&] { return agent.status().connected; }));
    wait_agent_listening(obs);
    obs.publish(topic("cmd"), op.command("d-restart", "restart").dump());
    obs.publish(topic("cmd"), op.command("d-oos", "out_of_service", {{"mode", "enter"}}).dump());
    obs.publish(topic("cmd"), op.command("d-shot", "screenshot").dump());

    // Citizen busy: the screenshot still runs; restart and out_of_service wait.
    auto shot = wait_command(agent, true);
    REQUIRE(shot.has_value());
    CHECK(shot->id == "d-shot");
    CHECK_FALSE(agent.poll_command(true).has_value());
    auto d1 = obs.answer(kPrefix, "d-restart", "deferred");
    auto d2 = obs.answer(kPrefix, "d-oos", "deferred");
    REQUIRE(d1.has_value());
    REQUIRE(d2.has_value());
    CHECK(agent.poll_command(true) == std::nullopt);  // told once, not at every poll
    CHECK(agent.respond("d-shot", true, json::object()));

    // The citizen leaves: commands come in arrival order and get their final answers.
    auto c1 = agent.poll_command(false);
    auto c2 = agent.poll_command(false);
    REQUIRE(c1.has_value());
    REQUIRE(c2.has_value());
    CHECK(c1->id == "d-restart");
    CHECK(c2->id == "d-oos");
    CHECK(c2->args["mode"] == "enter");
    CHECK(agent.respond("d-restart", true, {{"restarting", true}}));
    CHECK(agent.respond("d-oos", false, {{"error", "already out of service"}}));
    CHECK_FALSE(agent.respond("d-oos", true, json::object()));  // answered already
    CHECK_FALSE(agent.respond("never-sent", true, json::object()));

    auto f1 = obs.answer(kPrefix, "d-restart", "done");
    auto f2 = obs.answer(kPrefix, "d-oos", "done");
    REQUIRE(f1.has_value());
    REQUIRE(f2.has_value());
    CHECK((*f1)["ok"] == true);
    CHECK((*f1)["result"]["restarting"] == true);
    CHECK((*f2)["ok"] == false);
    std::size_t answers = 0;
    for (const auto& r : obs.on(topic("cmd/resp")))
        if (!json::parse(r.payload)["id"].is_null()) ++answers;
    CHECK(answers == 5);  // deferred ×2, done ×3, nothing more
    // Deferred answers precede final ones on the wire.
    auto all = obs.on(topic("cmd/resp"));
    std::vector<std::string> states;
    for (const auto& r : all)
        if (json::parse(r.payload)["id"] == "d-restart")
            states.push_back(json::parse(r.payload)["state"]);
    CHECK(states == std::vector<std::string>{"deferred", "done"});
}

TEST_CASE("fleet.commands push_config: bad TOML refused with the config error, good one accepted") {
    Broker broker;
    TempDir state;
    Operator op;
    Observer obs(broker, {topic("cmd/resp")});
    Agent agent(agent_config(broker, state.path.string(), op));
    std::string err;
    REQUIRE_MESSAGE(agent.start(&err), err);
    REQUIRE(eventually([&] { return agent.status().connected; }));
    wait_agent_listening(obs);
    obs.publish(topic("cmd"),
                op.command("cfg-bad", "push_config", {{"toml", "[session]\nwarning_seconds = 5\n"}})
                    .dump());
    obs.publish(topic("cmd"), op.command("cfg-good", "push_config",
                                         {{"toml", "[session]\nwarning_seconds = 40\n"}})
                                  .dump());
    auto bad = obs.answer(kPrefix, "cfg-bad", "rejected");
    REQUIRE(bad.has_value());
    CHECK((*bad)["reason"] == "bad_config");
    CHECK((*bad)["message"] ==
          "push_config:2: 'session.warning_seconds' must be between 20 and 300");
    auto good = wait_command(agent);
    REQUIRE(good.has_value());
    CHECK(good->id == "cfg-good");
    CHECK(good->type == Command::Type::PushConfig);
    CHECK(good->interrupts_citizen());  // restart defaults to true
    CHECK_FALSE(agent.poll_command().has_value());
}

TEST_CASE(
    "fleet.commands files: screenshot bytes and redacted logs on files/{id} with size and sha256") {
    Broker broker;
    TempDir state;
    Operator op;
    Observer obs(broker, {topic("cmd/resp"), topic("files/#")});
    Agent agent(agent_config(broker, state.path.string(), op));
    std::string err;
    REQUIRE_MESSAGE(agent.start(&err), err);
    REQUIRE(eventually([&] { return agent.status().connected; }));
    wait_agent_listening(obs);
    obs.publish(topic("cmd"), op.command("f-shot", "screenshot").dump());
    obs.publish(topic("cmd"), op.command("f-logs", "upload_logs", {{"max_bytes", 4096}}).dump());
    obs.publish(topic("cmd"), op.command("f-restart", "restart").dump());

    auto shot = wait_command(agent);
    auto logs = wait_command(agent);
    auto restart = wait_command(agent);
    REQUIRE(shot.has_value());
    REQUIRE(logs.has_value());
    REQUIRE(restart.has_value());
    const char raw[] = "\x89PNG\r\n\x1a\n\0\0\0binary";
    const std::string png(raw, sizeof raw - 1);
    CHECK(agent.publish_file("f-shot", png));
    CHECK(agent.respond("f-shot", true, json::object()));
    std::string log_text = "2026-11-26 info [idcard] read 430602199001011234 ok\n";
    for (int i = 0; i < 200; ++i)
        log_text += "2026-11-26 info [ui] tick " + std::to_string(i) + "\n";
    log_text += "2026-11-26 info [backend] sms to 13812345678 queued\n";
    CHECK(agent.publish_file("f-logs", log_text));
    CHECK(agent.respond("f-logs", true, {{"lines", 202}}));
    CHECK_FALSE(agent.publish_file("f-restart", "x"));  // a restart has no file
    CHECK_FALSE(agent.publish_file("unknown", "x"));

    auto shot_file =
        obs.wait_for([](const Received& r) { return r.topic.ends_with("/files/f-shot"); });
    REQUIRE(shot_file.has_value());
    CHECK(shot_file->payload == png);
    auto a = obs.answer(kPrefix, "f-shot", "done");
    REQUIRE(a.has_value());
    CHECK((*a)["file"]["size"] == png.size());
    CHECK((*a)["file"]["sha256"] == sha256_hex(png));
    CHECK((*a)["file"]["topic"] == topic("files/f-shot"));

    auto log_file =
        obs.wait_for([](const Received& r) { return r.topic.ends_with("/files/f-logs"); });
    REQUIRE(log_file.has_value());
    CHECK(log_file->payload.size() <= 4096);  // the newest part, within max_bytes
    CHECK(log_file->payload.find("13812345678") == std::string::npos);
    CHECK(log_file->payload.find("138****5678") != std::string::npos);
    auto b = obs.answer(kPrefix, "f-logs", "done");
    REQUIRE(b.has_value());
    CHECK((*b)["file"]["size"] == log_file->payload.size());
    CHECK((*b)["file"]["sha256"] == sha256_hex(log_file->payload));
    CHECK((*b)["result"]["lines"] == 202);
}

TEST_CASE("fleet.commands upload_logs masks ID numbers before the bytes leave") {
    Broker broker;
    TempDir state;
    Operator op;
    Observer obs(broker, {topic("cmd/resp"), topic("files/#")});
    Agent agent(agent_config(broker, state.path.string(), op));
    std::string err;
    REQUIRE_MESSAGE(agent.start(&err), err);
    REQUIRE(eventually([&] { return agent.status().connected; }));
    wait_agent_listening(obs);
    obs.publish(topic("cmd"), op.command("l-1", "upload_logs").dump());
    auto c = wait_command(agent);
    REQUIRE(c.has_value());
    CHECK(agent.publish_file("l-1", "card 430602199001011234 read\n"));
    auto f = obs.wait_for([](const Received& r) { return r.topic.ends_with("/files/l-1"); });
    REQUIRE(f.has_value());
    CHECK(f->payload.find("430602199001011234") == std::string::npos);
    CHECK(f->payload.find("4306") != std::string::npos);
}

TEST_CASE("fleet.agent start refuses a bad configuration with a clear message") {
    TempDir state;
    Operator op;
    auto refuse = [&](auto edit) {
        FleetConfig c;
        c.broker = "mqtt://127.0.0.1:1";
        c.fleet = "t";
        c.kiosk_id = "k1";
        c.state_dir = state.path.string();
        c.operator_keys = {op.trusted()};
        edit(c);
        Agent a(c);
        std::string err;
        CHECK_FALSE(a.start(&err));
        return err;
    };
    CHECK(refuse([](FleetConfig& c) { c.broker = "http://x"; }).find("mqtt://") !=
          std::string::npos);
    CHECK(refuse([](FleetConfig& c) { c.broker = "mqtt://h:99999"; }).find("bad port") !=
          std::string::npos);
    CHECK(refuse([](FleetConfig& c) { c.kiosk_id = "a/b"; }).find("kiosk id") != std::string::npos);
    CHECK(refuse([](FleetConfig& c) { c.fleet = "+"; }).find("fleet name") != std::string::npos);
    CHECK(refuse([](FleetConfig& c) {
              c.operator_keys[0].public_key = "AAAA";
          }).find("operator key 'ops-test'") != std::string::npos);
    CHECK(refuse([](FleetConfig& c) { c.client_cert = "/x.pem"; }).find("client_key") !=
          std::string::npos);
    CHECK(refuse([](FleetConfig& c) { c.state_dir = "/proc/no-such/dir"; }).find("fleet buffer") !=
          std::string::npos);
}

TEST_CASE("fleet.config the [fleet] section maps onto FleetConfig") {
    kiosk::Config c;
    REQUIRE_FALSE(kiosk::load_config(c, ""));
    CHECK(c.fleet.broker.empty());  // fleet disabled by default
    CHECK(c.fleet.operator_keys.empty());
    Operator op;
    TempDir state;
    const std::string toml = "[kiosk]\nid = \"yy-0001\"\nstate_dir = \"" + state.path.string() +
                             "\"\n[fleet]\nbroker = \"mqtts://broker.example:8883\"\n"
                             "name = \"yueyang\"\nheartbeat_seconds = 30\n"
                             "[[fleet.operator_key]]\nid = \"ops-2026\"\npublic_key = \"" +
                             op.trusted().public_key + "\"\n";
    auto e = kiosk::apply_config(c, toml, "site.toml");
    REQUIRE_FALSE(e);
    auto f = fleet_config_from(c);
    CHECK(f.broker == "mqtts://broker.example:8883");
    CHECK(f.fleet == "yueyang");
    CHECK(f.kiosk_id == "yy-0001");
    CHECK(f.heartbeat_seconds == 30);
    CHECK(f.state_dir == state.path.string());
    REQUIRE(f.operator_keys.size() == 1);
    CHECK(f.operator_keys[0].id == "ops-2026");

    CHECK(kiosk::apply_config(c, "[fleet]\nbroker = \"http://x\"\n", "s")->kind ==
          kiosk::ConfigError::Kind::BadValue);
    CHECK(kiosk::apply_config(c, "[[fleet.operator_key]]\nid = \"a\"\n", "s")->kind ==
          kiosk::ConfigError::Kind::BadValue);
    CHECK(kiosk::apply_config(c, "[fleet]\nheartbeat_seconds = 0\n", "s")->kind ==
          kiosk::ConfigError::Kind::BadValue);
}

TEST_CASE("fleet.tls mqtts with the CA and a client certificate, a wrong CA never connects") {
    Broker broker(true);
    TempDir state;
    Operator op;
    Observer obs(broker, {topic("status")});
    auto cfg = agent_config(broker, state.path.string(), op);
    cfg.broker = "mqtts://127.0.0.1:" + std::to_string(broker.tls_port);
    cfg.ca_file = Broker::tls_file("ca.pem");
    cfg.client_cert = Broker::tls_file("client.pem");
    cfg.client_key = Broker::tls_file("client.key");
    {
        Agent agent(cfg);
        std::string err;
        REQUIRE_MESSAGE(agent.start(&err), err);
        REQUIRE(eventually([&] { return agent.status().connected; }));
        CHECK(obs.wait_for([](const Received& r) {
                     auto j = json::parse(r.payload, nullptr, false);
                     return r.topic.ends_with("/status") && j.value("online", false);
                 })
                  .has_value());
    }
    TempDir state2;
    cfg.state_dir = state2.path.string();
    cfg.ca_file = Broker::tls_file("other-ca.pem");
    Agent impostor_ca(cfg);
    std::string err;
    REQUIRE_MESSAGE(impostor_ca.start(&err), err);
    REQUIRE(eventually([&] { return !impostor_ca.status().last_error.empty(); }));
    CHECK_FALSE(impostor_ca.status().connected);
}
