// Signed commands (pure checks) and the on-disk buffer.
#include <doctest/doctest.h>

#include "broker.hpp"
#include "fleet/journal.hpp"

using namespace kiosk::fleet;
using namespace fleettest;

namespace {

VerifyContext context(const Operator& op) {
    VerifyContext ctx;
    ctx.kiosk_id = "k1";
    ctx.keys = {op.trusted()};
    ctx.now = std::time(nullptr);
    return ctx;
}

Verdict check(const json& cmd, const VerifyContext& ctx) {
    return verify_command(cmd.dump(), ctx);
}

}  // namespace

TEST_CASE(
    "fleet.command a signed command verifies, canonical bytes are sorted, compact, without sig") {
    Operator op;
    auto cmd = op.command("c-1", "restart");
    auto v = check(cmd, context(op));
    REQUIRE(v.command.has_value());
    CHECK(v.command->id == "c-1");
    CHECK(v.command->type == Command::Type::Restart);
    CHECK(v.command->key_id == "ops-test");

    json unordered = json::parse(R"({"type":"x","args":{"b":1,"a":[1,2]},"id":"z","sig":"s"})");
    CHECK(*canonical_bytes(unordered) == R"({"args":{"a":[1,2],"b":1},"id":"z","type":"x"})");
    CHECK_FALSE(canonical_bytes(json::parse(R"({"a":1.5})")).has_value());

    // The same command, re-serialised with whitespace and another key order, still verifies.
    std::string spaced = "{ \"sig\": " + cmd["sig"].dump() + ",\n \"id\": \"c-1\"";
    for (const auto& [k, val] : cmd.items())
        if (k != "sig" && k != "id") spaced += ", \"" + k + "\" : " + val.dump();
    spaced += " }";
    CHECK(verify_command(spaced, context(op)).command.has_value());
}

TEST_CASE("fleet.command every rejection has its reason") {
    Operator op;
    Operator stranger;
    stranger.key_id = "ops-test";  // same id, other key → bad signature
    auto ctx = context(op);
    auto reason = [&](const std::string& payload) {
        auto v = verify_command(payload, ctx);
        CHECK_FALSE(v.command.has_value());
        return std::string(reject_name(v.reason));
    };
    CHECK(reason("not json") == "malformed");
    CHECK(reason("[1,2]") == "malformed");
    CHECK(reason(R"({"id":"x"})") == "malformed");
    CHECK(reason(std::string(300 * 1024, ' ')) == "malformed");
    {
        auto c = op.command("c-2", "restart");
        c.erase("expires_at");
        CHECK(reason(c.dump()) == "malformed");
        auto v = verify_command(c.dump(), ctx);
        CHECK(v.id == "c-2");  // the id is still echoed in the answer
        CHECK(v.message.find("expires_at") != std::string::npos);
    }
    {
        auto c = op.command("c-3", "restart");
        c["extra"] = 1;
        CHECK(reason(c.dump()) == "malformed");
    }
    {
        auto c = op.command("c-4", "restart");
        c["key_id"] = "nobody";
        CHECK(reason(c.dump()) == "unknown_key");
    }
    CHECK(reason(stranger.command("c-5", "restart").dump()) == "bad_signature");
    {
        auto c = op.command("c-6", "restart");
        c["target"] = "k2";  // tampered after signing
        CHECK(reason(c.dump()) == "bad_signature");
        c["sig"] = "!!!";
        CHECK(reason(c.dump()) == "bad_signature");
    }
    CHECK(reason(op.command("c-7", "restart", json::object(), "k2").dump()) == "wrong_target");
    CHECK(reason(op.command("c-8", "restart", json::object(), "k1", 60, -3600).dump()) ==
          "expired");
    CHECK(reason(op.command("c-9", "restart", json::object(), "k1", 60, 3600).dump()) ==
          "not_yet_valid");
    CHECK(reason(op.command("c-10", "restart", json::object(), "k1", 30 * 86400).dump()) ==
          "lifetime_too_long");
    CHECK(reason(op.command("c-11", "format_disk").dump()) == "unknown_type");
    CHECK(reason(op.command("c-12", "restart", {{"now", true}}).dump()) == "bad_args");
    CHECK(reason(op.command("c-13", "out_of_service", {{"mode", "maybe"}}).dump()) == "bad_args");
    CHECK(reason(op.command("c-14", "upload_logs", {{"max_bytes", 0}}).dump()) == "bad_args");
    CHECK(reason(op.command("c-15", "push_config", {{"toml", "[display]\nwidth = \"wide\"\n"}})
                     .dump()) == "bad_config");
    CHECK(reason(R"({"id":"bad id/with slash","target":"k1"})") == "malformed");
}

TEST_CASE("fleet.command push_config is validated by the configuration schema before acceptance") {
    Operator op;
    auto ctx = context(op);
    auto bad = verify_command(
        op.command("p-1", "push_config", {{"toml", "[display]\nwidht = 800\n"}}).dump(), ctx);
    REQUIRE_FALSE(bad.command.has_value());
    CHECK(bad.reason == Reject::BadConfig);
    CHECK(bad.message == "push_config:2: 'display.widht' is not a known key");
    auto syntax = verify_command(
        op.command("p-2", "push_config", {{"toml", "[display\nwidth = 800\n"}}).dump(), ctx);
    CHECK(syntax.reason == Reject::BadConfig);

    auto good = verify_command(
        op.command("p-3", "push_config",
                   {{"toml", "[session]\ninactivity_seconds = 90\n"}, {"restart", false}})
            .dump(),
        ctx);
    REQUIRE(good.command.has_value());
    CHECK_FALSE(good.command->interrupts_citizen());
}

TEST_CASE("fleet.command interrupts_citizen: restart, push_config with restart, out_of_service") {
    Operator op;
    auto ctx = context(op);
    auto cmd = [&](const std::string& type, json args) {
        auto v = verify_command(op.command("i-" + type, type, args).dump(), ctx);
        REQUIRE(v.command.has_value());
        return *v.command;
    };
    CHECK(cmd("restart", json::object()).interrupts_citizen());
    CHECK(cmd("out_of_service", {{"mode", "enter"}}).interrupts_citizen());
    CHECK(cmd("push_config", {{"toml", ""}}).interrupts_citizen());
    CHECK_FALSE(cmd("screenshot", json::object()).interrupts_citizen());
    CHECK_FALSE(cmd("upload_logs", {{"max_bytes", 1000}}).interrupts_citizen());
}

TEST_CASE("fleet.command assist_ack: a staff call seen, checked, never held back for a citizen") {
    Operator op;
    auto ctx = context(op);
    auto ok = verify_command(
        op.command("a-1", "assist_ack", {{"call_id", "demo-0001-c1795786200000"}, {"eta_minutes", 4}})
            .dump(),
        ctx);
    REQUIRE(ok.command.has_value());
    CHECK(ok.command->type == Command::Type::AssistAck);
    // It tells the waiting citizen someone is coming: it must not wait for the citizen to leave.
    CHECK_FALSE(ok.command->interrupts_citizen());
    auto bad = [&](const std::string& id, json args) {
        auto v = verify_command(op.command(id, "assist_ack", std::move(args)).dump(), ctx);
        CHECK_FALSE(v.command.has_value());
        CHECK(v.reason == Reject::BadArgs);
    };
    bad("a-2", {{"eta_minutes", 4}});
    bad("a-3", {{"call_id", "x/../y"}, {"eta_minutes", 4}});
    bad("a-4", {{"call_id", "c1"}, {"eta_minutes", 999}});
    bad("a-5", {{"call_id", "c1"}});
    bad("a-6", {{"call_id", "c1"}, {"eta_minutes", 3}, {"name", "张三"}});
}

TEST_CASE("fleet.journal bound drops old telemetry first, keeps events, survives reopen") {
    TempDir dir;
    const std::string path = dir.file("fleet.sqlite");
    {
        std::string err;
        auto j = Journal::open(path, 5, &err);
        REQUIRE_MESSAGE(j, err);
        CHECK(j->add("telemetry", "telemetry", "{\"n\":1}", 1));
        CHECK(j->add("event", "events", "{\"n\":2}", 2));
        CHECK(j->add("telemetry", "telemetry", "{\"n\":3}", 3));
        CHECK(j->add("event", "events", "{\"n\":4}", 4));
        CHECK(j->add("telemetry", "telemetry", "{\"n\":5}", 5));
        CHECK(j->add("event", "events", "{\"n\":6}", 6));  // 6 > 5: oldest telemetry goes
        CHECK(j->add("event", "events", "{\"n\":7}", 7));  // then the next oldest telemetry
        CHECK(j->count() == 5);
        CHECK(j->count("event") == 4);
        CHECK(j->dropped() == 0);
        CHECK(j->dropped_telemetry() == 2);
    }
    std::string err;
    auto j = Journal::open(path, 5, &err);
    REQUIRE(j);
    auto rows = j->pending(0, 100);
    REQUIRE(rows.size() == 5);
    CHECK(rows[0].body == "{\"n\":2}");
    CHECK(rows[1].body == "{\"n\":4}");
    CHECK(rows[2].body == "{\"n\":5}");  // the latest telemetry is kept
    CHECK(rows[3].created_ms == 6);
    // Only events left beyond the bound: the oldest event goes, and it is counted.
    CHECK(j->add("event", "events", "{\"n\":8}", 8));
    CHECK(j->add("event", "events", "{\"n\":9}", 9));
    CHECK(j->count("telemetry") == 0);
    CHECK(j->dropped() == 1);
    CHECK(j->pending(0, 1)[0].body == "{\"n\":4}");
    // seq is never reused, so it is a sequence number across restarts.
    CHECK(j->pending(0, 100).back().seq == 9);
}

TEST_CASE("fleet.journal remembers command ids across reopen") {
    TempDir dir;
    const std::int64_t now = std::time(nullptr);
    {
        auto j = Journal::open(dir.file("f.sqlite"), 10, nullptr);
        REQUIRE(j);
        CHECK(*j->remember_command("a", now + 60, now) == true);
        CHECK(*j->remember_command("a", now + 60, now) == false);
    }
    auto j = Journal::open(dir.file("f.sqlite"), 10, nullptr);
    CHECK(*j->remember_command("a", now + 60, now) == false);
    CHECK(*j->remember_command("b", now + 60, now) == true);
}

TEST_CASE("fleet.journal a file that is not a database is a clear error") {
    TempDir dir;
    std::ofstream(dir.file("bad.sqlite")) << std::string(4096, 'x');
    std::string err;
    CHECK_FALSE(Journal::open(dir.file("bad.sqlite"), 10, &err));
    CHECK(err.find("bad.sqlite") != std::string::npos);
}
