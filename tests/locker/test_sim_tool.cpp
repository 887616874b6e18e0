// The locker-sim program: serves a pty and a TCP gateway port and obeys stdin commands.
#include <doctest/doctest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "common/transport.hpp"
#include "locker/board_bus.hpp"

extern char** environ;

using namespace kiosk::locker;
using namespace std::chrono_literals;

namespace {

struct Child {
    pid_t pid = -1;
    int in = -1;   // its stdin
    int out = -1;  // its stdout
    std::string buf;

    explicit Child(std::vector<std::string> args) {
        int pin[2], pout[2];
        REQUIRE(::pipe(pin) == 0);
        REQUIRE(::pipe(pout) == 0);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, pin[0], 0);
        posix_spawn_file_actions_adddup2(&fa, pout[1], 1);
        posix_spawn_file_actions_addclose(&fa, pin[1]);
        posix_spawn_file_actions_addclose(&fa, pout[0]);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        REQUIRE(::posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) == 0);
        posix_spawn_file_actions_destroy(&fa);
        ::close(pin[0]);
        ::close(pout[1]);
        in = pin[1];
        out = pout[0];
    }
    ~Child() {
        if (in >= 0) ::close(in);
        if (out >= 0) ::close(out);
        if (pid > 0) {
            int st = 0;
            for (int i = 0; i < 500 && ::waitpid(pid, &st, WNOHANG) == 0; ++i)
                std::this_thread::sleep_for(10ms);
            if (::waitpid(pid, &st, WNOHANG) == 0) {
                ::kill(pid, SIGKILL);
                ::waitpid(pid, &st, 0);
            }
        }
    }
    void send(const std::string& line) {
        const std::string l = line + "\n";
        REQUIRE(::write(in, l.data(), l.size()) == static_cast<ssize_t>(l.size()));
    }
    // A line starting with `prefix`, waiting at most 5 s.
    std::string line(const std::string& prefix) {
        const auto until = std::chrono::steady_clock::now() + 5s;
        for (;;) {
            for (auto nl = buf.find('\n'); nl != std::string::npos; nl = buf.find('\n')) {
                std::string l = buf.substr(0, nl);
                buf.erase(0, nl + 1);
                if (l.rfind(prefix, 0) == 0) return l;
            }
            if (std::chrono::steady_clock::now() > until) return {};
            pollfd p{out, POLLIN, 0};
            if (::poll(&p, 1, 100) > 0) {
                char tmp[256];
                const auto n = ::read(out, tmp, sizeof tmp);
                if (n <= 0) return {};
                buf.append(tmp, static_cast<std::size_t>(n));
            }
        }
    }
};

}  // namespace

TEST_CASE("locker.sim tool serves a pty and a TCP gateway and obeys stdin commands") {
    Child sim({std::string(KIOSK_BINARY_DIR) + "/sim/locker/locker-sim", "--dialect", "8a80",
               "--board", "1:8", "--board", "2:16", "--pty", "--tcp", "0"});
    const std::string pty = sim.line("pty ");
    const std::string tcp = sim.line("tcp ");
    REQUIRE(!pty.empty());
    REQUIRE(!tcp.empty());
    const auto* p = find_profile("8a80");
    for (const std::string& uri :
         {"serial:" + pty.substr(4) + "?baud=9600", "tcp:" + tcp.substr(4)}) {
        CAPTURE(uri);
        std::string err;
        auto t = kiosk::drivers::make_transport(uri, &err);
        REQUIRE_MESSAGE(t, err);
        BoardBus bus(std::move(t), *p, 200ms, 10ms, 1);
        bool raw = true;
        REQUIRE(bus.query_lock(2, 5, raw) == BusError::None);
        CHECK_FALSE(raw);  // closed
        auto u = bus.unlock(2, 5);
        REQUIRE(u.error == BusError::None);
        CHECK(u.replied);
        CHECK(u.lock_raw);
        BoardRead rd;
        REQUIRE(bus.query_board(2, 16, rd) == BusError::None);
        CHECK(rd.lock_raw.at(4));
        sim.send("close 2 5");
        sim.send("status 2 5");
        CHECK(sim.line("door ") == "door closed item absent");
        REQUIRE(bus.query_lock(2, 5, raw) == BusError::None);
        CHECK_FALSE(raw);
        sim.send("missing 1 1");
        sim.send("status 1 1");  // a round trip on stdin: the command above has been applied
        sim.line("door ");
        CHECK(bus.query_board(1, 8, rd) == BusError::NoReply);
        sim.send("missing 1 0");
    }
    sim.send("pulses 2 5");
    CHECK(sim.line("pulses ") == "pulses 2 openings 2");
    sim.send("quit");
}

TEST_CASE("locker.sim tool --variant runs a board behaviour seen in the field") {
    {
        Child list({std::string(KIOSK_BINARY_DIR) + "/sim/locker/locker-sim", "--variant", "list"});
        int st = 0;
        REQUIRE(::waitpid(list.pid, &st, 0) == list.pid);
        list.pid = -1;
        CHECK(WIFEXITED(st));
        CHECK(WEXITSTATUS(st) == 0);
    }
    Child sim({std::string(KIOSK_BINARY_DIR) + "/sim/locker/locker-sim", "--variant",
               "kerong-reply31", "--board", "0:16:ir", "--tcp", "0"});
    const std::string tcp = sim.line("tcp ");
    REQUIRE(!tcp.empty());
    std::string err;
    auto t = kiosk::drivers::make_transport("tcp:" + tcp.substr(4), &err);
    REQUIRE_MESSAGE(t, err);
    BoardBus bus(std::move(t), *find_profile("kerong-cu16"), 200ms, 10ms, 1);
    auto u = bus.unlock(0, 3);
    REQUIRE(u.error == BusError::None);
    CHECK(u.replied);  // this variant answers an unlock with a 31 state frame
    CHECK(u.has_state);
    CHECK_FALSE(u.lock_raw);  // Kerong default wiring: clear = unlocked/open
    CHECK(bus.variants().count("kerong unlock reply 31") == 1);
    sim.send("stuck 0 3 closed");
    sim.send("status 0 3");
    CHECK(sim.line("door ") == "door open item absent");
    BoardRead rd;
    REQUIRE(bus.query_board(0, 16, rd) == BusError::None);
    CHECK(rd.lock_raw.at(2));  // the stuck sensor reads closed (set) though the door is open
    sim.send("quit");
}
