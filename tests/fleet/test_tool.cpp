// kiosk-fleet-cmd (the operators' tool) against a real broker and a real agent.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include "broker.hpp"

using namespace kiosk::fleet;
using namespace fleettest;

namespace {

const std::string kTool = KIOSK_BINARY_DIR "/tools/fleet-cmd/kiosk-fleet-cmd";

// Starts the tool with stdin/stdout/stderr on files; returns its pid.
pid_t start_tool(const std::vector<std::string>& args, const TempDir& dir, const std::string& tag,
                 const std::string& stdin_file = "/dev/null") {
    std::vector<std::string> argv = {kTool};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargs;
    for (auto& a : argv) cargs.push_back(a.data());
    cargs.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    const std::string out = dir.file(tag + ".out"), err = dir.file(tag + ".err");
    posix_spawn_file_actions_addopen(&fa, 0, stdin_file.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, kTool.c_str(), &fa, nullptr, cargs.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&fa);
    return pid;
}

int wait_tool(pid_t pid) {
    int st = 0;
    ::waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int run_tool(const std::vector<std::string>& args, const TempDir& dir, const std::string& tag,
             const std::string& stdin_file = "/dev/null") {
    return wait_tool(start_tool(args, dir, tag, stdin_file));
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string between(const std::string& s, const std::string& a, const std::string& b) {
    auto i = s.find(a);
    REQUIRE(i != std::string::npos);
    i += a.size();
    return s.substr(i, s.find(b, i) - i);
}

}  // namespace

TEST_CASE("fleet.tool keygen, sign and send: message expiry, answers, the file checked by sha256") {
    Broker broker;
    TempDir dir;
    TempDir state;

    REQUIRE(run_tool({"keygen", "--id", "ops-tool", "--out", dir.file("ops.key")}, dir, "keygen") ==
            0);
    const std::string lines = slurp(dir.file("keygen.out"));
    CHECK(lines.starts_with("[[fleet.operator_key]]\nid = \"ops-tool\"\n"));
    const std::string pub = between(lines, "public_key = \"", "\"");
    struct stat st {};
    REQUIRE(::stat(dir.file("ops.key").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    // An existing key is never overwritten.
    CHECK(run_tool({"keygen", "--id", "ops-tool", "--out", dir.file("ops.key")}, dir, "again") ==
          65);

    // sign refuses what the kiosk would refuse.
    std::ofstream(dir.file("bad.toml")) << "[display]\nrotation = 45\n";
    CHECK(run_tool({"sign", "--key", dir.file("ops.key"), "--key-id", "ops-tool", "--target", "k1",
                    "--type", "push_config", "--toml", dir.file("bad.toml")},
                   dir, "badsign") == 65);
    CHECK(slurp(dir.file("badsign.err")).find("bad_config") != std::string::npos);

    REQUIRE(run_tool({"sign", "--key", dir.file("ops.key"), "--key-id", "ops-tool", "--target",
                      "k1", "--type", "screenshot", "--id", "tool-1", "--ttl", "120"},
                     dir, "sign") == 0);
    const json signed_cmd = json::parse(slurp(dir.file("sign.out")));
    CHECK(signed_cmd["id"] == "tool-1");
    CHECK(signed_cmd["expires_at"].get<std::int64_t>() -
              signed_cmd["issued_at"].get<std::int64_t>() ==
          120);

    Operator unused;
    auto cfg = agent_config(broker, state.path.string(), unused);
    cfg.operator_keys = {{"ops-tool", pub}};
    Agent agent(cfg);
    std::string err;
    REQUIRE_MESSAGE(agent.start(&err), err);
    REQUIRE(eventually([&] { return agent.status().connected; }));
    Observer obs(broker, {topic_of("cmd"), topic_of("cmd/resp")});
    wait_agent_listening(obs);

    pid_t pid = start_tool({"send", "--broker", broker.url(), "--fleet", "t", "--timeout", "30",
                            "--out", dir.file("shot.png"), dir.file("sign.out")},
                           dir, "send");
    std::optional<Command> c;
    REQUIRE(eventually([&] { return (c = agent.poll_command()).has_value(); }));
    CHECK(c->id == "tool-1");
    const std::string png = "\x89PNG fake screenshot";
    CHECK(agent.publish_file("tool-1", png));
    CHECK(agent.respond("tool-1", true, {{"width", 1080}}));
    CHECK(wait_tool(pid) == 0);
    CHECK(slurp(dir.file("shot.png")) == png);
    const std::string out = slurp(dir.file("send.out"));
    CHECK(out.find("\"state\":\"done\"") != std::string::npos);

    // The command was published with an MQTT 5 message expiry of the time it had left.
    auto sent = obs.wait_for([](const Received& r) {
        return r.topic.ends_with("/cmd") && r.payload.find("tool-1") != std::string::npos;
    });
    REQUIRE(sent.has_value());
    CHECK(sent->message_expiry > 0);
    CHECK(sent->message_expiry <= 120);

    // Sent again: the kiosk refuses the replay, and the tool says so with exit code 1.
    CHECK(run_tool({"send", "--broker", broker.url(), "--fleet", "t", "--timeout", "30", "-"}, dir,
                   "replay", dir.file("sign.out")) == 1);
    CHECK(slurp(dir.file("replay.out")).find("replayed") != std::string::npos);
    // A broker that is not there: exit 69.
    CHECK(run_tool({"send", "--broker", "mqtt://127.0.0.1:" + std::to_string(free_port()),
                    "--fleet", "t", dir.file("sign.out")},
                   dir, "nobroker") == 69);
}
