// kiosk-devsim as a separate process: the reader driver opens the pty it prints, and the test
// places and removes cards through its stdin control channel, as a demo script would.
#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "idcard/reader.hpp"

using namespace kiosk::idcard;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

struct Child {
    pid_t pid = -1;
    int in = -1, out = -1;
    std::string buffered;

    explicit Child(std::vector<std::string> args) {
        int to[2], from[2];
        REQUIRE(::pipe2(to, O_CLOEXEC) == 0);
        REQUIRE(::pipe2(from, O_CLOEXEC) == 0);
        pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            ::dup2(to[0], 0);
            ::dup2(from[1], 1);
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(to[0]);
        ::close(from[1]);
        in = to[1];
        out = from[0];
    }
    ~Child() {
        if (in >= 0) ::close(in);
        if (pid > 0) {
            ::kill(pid, SIGTERM);
            int st = 0;
            ::waitpid(pid, &st, 0);
        }
        if (out >= 0) ::close(out);
    }
    std::string line(std::chrono::milliseconds limit = 3s) {
        auto end = Clock::now() + limit;
        for (;;) {
            auto nl = buffered.find('\n');
            if (nl != std::string::npos) {
                std::string l = buffered.substr(0, nl);
                buffered.erase(0, nl + 1);
                return l;
            }
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
            if (left <= 0ms) return {};
            pollfd p{out, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return {};
            char buf[256];
            ssize_t n = ::read(out, buf, sizeof buf);
            if (n <= 0) return {};
            buffered.append(buf, static_cast<std::size_t>(n));
        }
    }
    std::string say(const std::string& cmd) {
        std::string l = cmd + "\n";
        REQUIRE(::write(in, l.data(), l.size()) == static_cast<ssize_t>(l.size()));
        return line();
    }
};

}  // namespace

TEST_CASE("idcard.devsim CLI serves a pty reader controlled through stdin") {
    Child sim({std::string(KIOSK_BINARY_DIR) + "/sim/devsim/kiosk-devsim", "idcard"});
    std::string path = sim.line();
    std::string uri = sim.line();
    REQUIRE(path.rfind("path /dev/pts/", 0) == 0);
    REQUIRE(uri.rfind("uri serial:", 0) == 0);

    kiosk::drivers::DeviceTiming t;
    t.poll_interval = 100ms;
    IdCardReader reader("idcard", uri.substr(4), {}, t);
    reader.start();
    CHECK(sim.say("place resident") == "ok placed resident");
    CHECK(sim.say("place nobody").rfind("error", 0) == 0);
    CHECK(sim.say("fault bogus").rfind("error", 0) == 0);

    std::vector<ReaderEvent> ev;
    auto wait = [&](auto pred) {
        auto end = Clock::now() + 3s;
        while (Clock::now() < end) {
            for (auto& e : reader.poll_events()) ev.push_back(std::move(e));
            if (pred()) return true;
            std::this_thread::sleep_for(5ms);
        }
        return false;
    };
    auto count = [&](auto tag) {
        int n = 0;
        for (auto& e : ev) n += std::holds_alternative<decltype(tag)>(e);
        return n;
    };
    REQUIRE(wait([&] { return count(CardRead{}) == 1; }));
    CHECK(sim.say("remove") == "ok removed");
    REQUIRE(wait([&] { return count(CardRemoved{}) == 1; }));
    CHECK(sim.say("unplug") == "ok unplugged");
    REQUIRE(wait([&] { return reader.status() == kiosk::drivers::DeviceStatus::NoDevice; }));
    CHECK(sim.say("quit") == "ok bye");
}
