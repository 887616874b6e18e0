// The whole staff-call path through the real kiosk program (issue 17): the citizen presses "call
// staff"; the kiosk writes the outbox row, the hall simulator's desk gets it, and the fleet sees an
// `assist` event on a real mosquitto; an operator answers with a signed assist_ack command and the
// kiosk's screen then says someone is coming; the citizen cancels and the fleet hears that too.
#include <fstream>

#include "broker.hpp"

using namespace fleettest;

namespace {

std::vector<json> assist_events(Observer& obs, const std::string& topic) {
    std::vector<json> out;
    for (const auto& r : obs.on(topic)) {
        auto j = json::parse(r.payload, nullptr, false);
        if (j.is_object() && j.value("type", "") == "assist") out.push_back(j);
    }
    return out;
}

std::string kiosk_config(const TempDir& state, const Broker& broker, const Operator& op) {
    const std::string cfg = state.file("kiosk.toml");
    std::ofstream(cfg) << "[kiosk]\nstate_dir = \"" << state.file("state") << "\"\n"
                       << "[fleet]\nbroker = \"" << broker.url() << "\"\nname = \"t\"\n"
                       << "[[fleet.operator_key]]\nid = \"" << op.key_id << "\"\npublic_key = \""
                       << op.trusted().public_key << "\"\n";
    return cfg;
}

// Runs the kiosk on `steps` (then `hold` seconds on the live loop) and asks for a screenshot
// once it is there; returns the answer.
std::optional<json> screenshot_at(const std::string& steps, const std::string& id) {
    Broker broker;
    TempDir state;
    Operator op;
    const std::string prefix = "kiosk/t/demo-0001/";
    Observer obs(broker, {prefix + "cmd/resp", prefix + "status"});
    const std::string cfg = kiosk_config(state, broker, op);
    const std::string scenario = state.file("s.toml");
    std::ofstream(scenario) << "hold = 15\n" << steps;
    ::setenv("SDL_VIDEODRIVER", "offscreen", 1);
    ::setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
    ::setenv("KIOSK_STATE_DIR", state.file("state").c_str(), 1);
    Child kiosk(spawn({KIOSK_PROGRAM, "--config", cfg, "--scenario", scenario}));
    // The steps are done when the kiosk holds; a retained online status comes first.
    REQUIRE(eventually([&] { return !obs.on(prefix + "status").empty(); }, 60s));
    std::this_thread::sleep_for(5s);
    obs.publish(prefix + "cmd", op.command(id, "screenshot", json::object(), "demo-0001").dump());
    return obs.answer(prefix, id, "done");
}

}  // namespace

TEST_CASE("fleet.screen a staff view of the screen: home yes, a citizen's pickup page no") {
    auto home = screenshot_at("[[step]]\ntap = \"start\"\nexpect_scene = \"home\"\n", "shot-home");
    REQUIRE(home.has_value());
    CHECK((*home)["ok"] == true);
    CHECK((*home)["file"]["size"].get<std::int64_t>() > 1000);  // the PNG went out on files/{id}
    auto pickup = screenshot_at(
        "[[step]]\ntap = \"start\"\n[[step]]\ntap = \"tile.pickup\"\nexpect_scene = \"pickup\"\n",
        "shot-pickup");
    REQUIRE(pickup.has_value());
    CHECK((*pickup)["ok"] == false);
    CHECK((*pickup)["result"]["error"].get<std::string>().find("personal data") !=
          std::string::npos);
    CHECK((*pickup)["result"]["scene"] == "pickup");
}

TEST_CASE(
    "fleet.assist a staff call reaches the fleet and a signed assist_ack reaches the screen") {
    Broker broker;
    TempDir state;
    Operator op;
    const std::string prefix = "kiosk/t/demo-0001/";
    Observer obs(broker, {prefix + "events", prefix + "cmd/resp"});

    const std::string cfg = state.file("kiosk.toml");
    std::ofstream(cfg) << "[kiosk]\nstate_dir = \"" << state.file("state") << "\"\n"
                       << "[fleet]\nbroker = \"" << broker.url() << "\"\nname = \"t\"\n"
                       << "[[fleet.operator_key]]\nid = \"" << op.key_id << "\"\npublic_key = \""
                       << op.trusted().public_key << "\"\n"
                       << "[assist.duty]\n"
                       << "sun = \"00:00-24:00\"\nmon = \"00:00-24:00\"\ntue = \"00:00-24:00\"\n"
                       << "wed = \"00:00-24:00\"\nthu = \"00:00-24:00\"\nfri = \"00:00-24:00\"\n"
                       << "sat = \"00:00-24:00\"\n";
    const std::string scenario = state.file("assist.toml");
    std::ofstream(scenario) << "hold = 3\n[[step]]\ntap = \"start\"\nexpect_scene = \"home\"\n"
                            << "[[step]]\ntap = \"staff\"\nwithin = 60\n"
                            << "expect_text = \"大约 2 分钟后到\"\n"
                            << "[[step]]\ntap = \"staff_cancel\"\n"
                            << "expect_text = \"已取消呼叫工作人员\"\n";
    ::setenv("SDL_VIDEODRIVER", "offscreen", 1);
    ::setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
    ::setenv("KIOSK_STATE_DIR", state.file("state").c_str(), 1);
    Child kiosk(spawn({KIOSK_PROGRAM, "--config", cfg, "--scenario", scenario}));

    // The call arrives on the fleet's events topic, with codes and places, no person.
    json call;
    REQUIRE(eventually(
        [&] {
            for (const auto& e : assist_events(obs, prefix + "events"))
                if (e["details"].value("action", "") == "call") call = e;
            return !call.is_null();
        },
        60s));
    const json& d = call["details"];
    CHECK(d.value("reason", "") == "citizen");
    CHECK(d.value("scene", "") == "home");
    CHECK(d.value("kiosk_id", "") == "demo-0001");
    CHECK(d.value("short_code", "") == "DEMO0001");
    CHECK(d.value("location", "") == "大厅入口");
    CHECK(d.value("after_hours", true) == false);
    const std::string id = d.value("call_id", "");
    REQUIRE_FALSE(id.empty());

    // An operator answers it with a signed command.
    obs.publish(prefix + "cmd", op.command("ack-1", "assist_ack",
                                           {{"call_id", id}, {"eta_minutes", 2}}, "demo-0001")
                                    .dump());
    auto done = obs.answer(prefix, "ack-1", "done");
    if (!done)
        for (const auto& r : obs.on(prefix + "cmd/resp")) MESSAGE(r.payload);
    REQUIRE(done.has_value());
    CHECK((*done)["ok"] == true);

    // The scenario (the screen says "about 2 minutes", then the citizen cancels) passes.
    int status = -1;
    REQUIRE(eventually([&] { return ::waitpid(kiosk.pid, &status, WNOHANG) == kiosk.pid; }, 90s));
    kiosk.pid = -1;
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    REQUIRE(eventually(
        [&] {
            for (const auto& e : assist_events(obs, prefix + "events"))
                if (e["details"].value("action", "") == "cancel") return true;
            return false;
        },
        10s));
    for (const auto& e : assist_events(obs, prefix + "events")) {
        CHECK(e.dump().find("430602") == std::string::npos);
        CHECK(e["details"].value("call_id", "") == id);
    }
}
