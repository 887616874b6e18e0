// The real kiosk-launch and kiosk-bundle programs, with slot binaries that are small shell scripts.
#include <sys/wait.h>

#include <cstring>
#include <sstream>

#include "helpers.hpp"

using namespace update_test;

namespace {
struct Run {
    pid_t pid = 0;
    std::string out;
    int status = -1;
};

Run run(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    Run r;
    r.pid = ::fork();
    REQUIRE(r.pid >= 0);
    if (r.pid == 0) {
        ::dup2(fds[1], 1);
        ::close(fds[0]);
        ::close(fds[1]);
        for (const auto& e : env) ::putenv(const_cast<char*>(e.c_str()));
        std::vector<char*> a;
        for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
        a.push_back(nullptr);
        ::execv(a[0], a.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) r.out.append(buf, static_cast<size_t>(n));
    ::close(fds[0]);
    int st = 0;
    ::waitpid(r.pid, &st, 0);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

void slot_script(const std::string& root, const std::string& slot, const std::string& name) {
    const std::string dir = root + "/slots/" + slot;
    ::mkdir((root + "/slots").c_str(), 0755);
    ::mkdir(dir.c_str(), 0755);
    ::mkdir((dir + "/bin").c_str(), 0755);
    write_file(dir + "/bin/kiosk", "#!/bin/sh\necho \"" + name + " $$ $*\"\n", true);
}

State load(const std::string& root) {
    StateLock lock(root);
    State s;
    load_state(root, s);
    return s;
}
}  // namespace

TEST_CASE(
    "update.kiosk-launch execs the active slot + counts trial boots and rolls back when "
    "they are used up") {
    TempDir t;
    const std::string root = t.path + "/root";
    ::mkdir(root.c_str(), 0755);
    const std::string factory = t.path + "/factory-kiosk";
    write_file(factory, "#!/bin/sh\necho \"factory $$ $*\"\n", true);
    const std::vector<std::string> env = {"KIOSK_UPDATE_ROOT=" + root,
                                          "KIOSK_FACTORY_BIN=" + factory};
    const std::vector<std::string> argv = {KIOSK_LAUNCH_BIN, "--config", "/etc/k.toml"};

    // No slot active: the factory binary, same PID, same arguments.
    Run r = run(argv, env);
    CHECK(r.status == 0);
    CHECK(r.out == "factory " + std::to_string(r.pid) + " --config /etc/k.toml\n");

    // Slot a is the good version; b was installed and the switch was interrupted by a power cut
    // (state says switched, `current` still points at a).
    slot_script(root, "a", "slot-a");
    slot_script(root, "b", "slot-b");
    REQUIRE(switch_current(root, "a"));
    {
        StateLock lock(root);
        State s;
        s.phase = Phase::switched;
        s.action_id = "7";
        s.version = "2.0.0";
        s.counter = 2000;
        s.target_slot = "b";
        s.previous_slot = "a";
        s.max_attempts = 2;
        s.installed_counter = 1000;
        REQUIRE(save_state(root, s));
    }
    r = run(argv, env);
    CHECK(r.out == "slot-b " + std::to_string(r.pid) + " --config /etc/k.toml\n");
    CHECK(active_slot(root) == "b");
    CHECK(load(root).attempts == 1);
    r = run(argv, env);  // the new version crashed before reporting healthy: second attempt
    CHECK(r.out.rfind("slot-b ", 0) == 0);
    CHECK(load(root).attempts == 2);
    r = run(argv, env);  // attempts used up: back to slot a
    CHECK(r.out == "slot-a " + std::to_string(r.pid) + " --config /etc/k.toml\n");
    CHECK(active_slot(root) == "a");
    State s = load(root);
    CHECK(s.phase == Phase::rolled_back);
    REQUIRE(s.pending.has_value());
    CHECK(s.pending->execution == "closed");
    CHECK(s.pending->finished == "failure");
    CHECK(s.pending->action_id == "7");
    CHECK(s.installed_counter == 1000);
    r = run(argv, env);  // stays on a
    CHECK(r.out.rfind("slot-a ", 0) == 0);

    // A slot without an executable kiosk falls back to the factory binary.
    REQUIRE(::unlink((root + "/slots/a/bin/kiosk").c_str()) == 0);
    r = run(argv, env);
    CHECK(r.out.rfind("factory ", 0) == 0);

    // A healthy report in time commits: later boots are not counted.
    slot_script(root, "a", "slot-a");
    {
        StateLock lock(root);
        State st;
        load_state(root, st);
        st.phase = Phase::switched;
        st.pending.reset();
        st.attempts = 0;
        st.target_slot = "b";
        st.previous_slot = "a";
        REQUIRE(save_state(root, st));
    }
    r = run(argv, env);
    CHECK(r.out.rfind("slot-b ", 0) == 0);
    CHECK(report_healthy(root, root + "/current/bin/kiosk"));
    for (int i = 0; i < 3; ++i) {
        r = run(argv, env);
        CHECK(r.out.rfind("slot-b ", 0) == 0);
    }
    CHECK(load(root).phase == Phase::committed);
    CHECK(load(root).installed_counter == 2000);

    // A slot with its own assets gets KIOSK_ASSETS_DIR pointed at them.
    ::mkdir((root + "/slots/b/share").c_str(), 0755);
    ::mkdir((root + "/slots/b/share/estation-kiosk").c_str(), 0755);
    ::mkdir((root + "/slots/b/share/estation-kiosk/assets").c_str(), 0755);
    write_file(root + "/slots/b/bin/kiosk", "#!/bin/sh\necho \"assets=$KIOSK_ASSETS_DIR\"\n", true);
    auto env2 = env;
    env2.push_back("KIOSK_ASSETS_DIR=/usr/share/estation-kiosk/assets");
    r = run(argv, env2);
    CHECK(r.out == "assets=" + root + "/slots/b/share/estation-kiosk/assets\n");
}

TEST_CASE("update.kiosk-bundle keygen + build + verify + sign and inspect from the command line") {
    TempDir t;
    const std::string B = KIOSK_BUNDLE_BIN;
    Run r = run({B, "keygen", "--id", "rel-2026", "--out", t.path + "/k"}, {});
    REQUIRE(r.status == 0);
    const std::string trusted = r.out.substr(0, r.out.size() - 1);
    CHECK(trusted.rfind("rel-2026:", 0) == 0);
    struct stat st {};
    REQUIRE(::stat((t.path + "/k.key").c_str(), &st) == 0);
    CHECK((st.st_mode & 077) == 0);
    ::mkdir((t.path + "/src").c_str(), 0755);
    ::mkdir((t.path + "/src/bin").c_str(), 0755);
    write_file(t.path + "/src/bin/kiosk", "#!/bin/sh\n", true);
    const std::vector<std::string> build = {
        B,           "build",     "--dir",     t.path + "/src", "--out",     t.path + "/u.bundle",
        "--version", "1.4.2",     "--counter", "1042",          "--expires", "2099-01-01T00:00:00Z",
        "--hw",      "rev2,rev3", "--key-id",  "rel-2026"};
    r = run(build, {});
    REQUIRE(r.status == 0);
    const std::vector<std::string> verify = {B,           "verify", "--in", t.path + "/u.bundle",
                                             "--trusted", trusted,  "--hw", "rev3"};
    CHECK(run(verify, {}).status == 1);  // unsigned yet
    r = run({B, "sign", "--in", t.path + "/u.bundle", "--out", t.path + "/s.bundle", "--key",
             t.path + "/k.key"},
            {});
    CHECK(r.status == 0);
    auto v2 = verify;
    v2[3] = t.path + "/s.bundle";
    r = run(v2, {});
    CHECK(r.status == 0);
    CHECK(r.out.rfind("ok: kiosk 1.4.2 counter 1042", 0) == 0);
    v2.push_back("--installed-counter");
    v2.push_back("1042");
    r = run(v2, {});
    CHECK(r.status == 1);
    CHECK(r.out.rfind("refused: same_version", 0) == 0);
    r = run({B, "inspect", "--in", t.path + "/s.bundle"}, {});
    CHECK(r.status == 0);
    CHECK(r.out.find("x bin/kiosk 10") != std::string::npos);
    CHECK(run({B, "frobnicate"}, {}).status == 64);
}
