// sd_notify from the kiosk (kiosk/app/sdnotify.hpp), against a real AF_UNIX datagram socket
// standing in for systemd's $NOTIFY_SOCKET: what is sent, when the watchdog is due, and whose
// watchdog it is. Times are passed explicitly: nothing here waits on a clock.
#include <doctest/doctest.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "app/sdnotify.hpp"

namespace sdn = kiosk::app::sdnotify;

namespace {

// A datagram socket bound in a fresh temp directory, named in $NOTIFY_SOCKET.
class FakeSystemd {
  public:
    FakeSystemd() {
        char tmpl[] = "/tmp/kiosk-sdnotify-XXXXXX";
        REQUIRE(mkdtemp(tmpl) != nullptr);
        dir_ = tmpl;
        path_ = dir_ + "/notify";
        fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        REQUIRE(fd_ >= 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
        REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        setenv("NOTIFY_SOCKET", path_.c_str(), 1);
    }
    ~FakeSystemd() {
        close(fd_);
        unlink(path_.c_str());
        rmdir(dir_.c_str());
        unsetenv("NOTIFY_SOCKET");
        unsetenv("WATCHDOG_USEC");
        unsetenv("WATCHDOG_PID");
        sdn::reload_environment();
    }
    FakeSystemd(const FakeSystemd&) = delete;
    FakeSystemd& operator=(const FakeSystemd&) = delete;

    // Everything sent so far (a local datagram is queued by the time sendmsg returns).
    std::vector<std::string> received() {
        std::vector<std::string> out;
        char buf[512];
        for (;;) {
            const ssize_t n = recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
            if (n < 0) break;
            out.emplace_back(buf, static_cast<std::size_t>(n));
        }
        return out;
    }

  private:
    std::string dir_, path_;
    int fd_ = -1;
};

void set_watchdog(const char* usec, long pid) {
    setenv("WATCHDOG_USEC", usec, 1);
    setenv("WATCHDOG_PID", std::to_string(pid).c_str(), 1);
    sdn::reload_environment();
}

}  // namespace

TEST_CASE("packaging.sdnotify ready sends READY=1 with a first ping, once") {
    FakeSystemd systemd;
    set_watchdog("30000000", getpid());  // WatchdogSec=30
    CHECK(sdn::under_systemd());
    CHECK(sdn::ping_interval_ms() == 15000);
    sdn::ready(1000);
    sdn::ready(2000);
    const auto got = systemd.received();
    REQUIRE(got.size() == 1);
    CHECK(got[0] == "READY=1\nWATCHDOG=1");
}

TEST_CASE("packaging.sdnotify the watchdog is due at half the interval and only ping resets it") {
    FakeSystemd systemd;
    set_watchdog("30000000", getpid());
    sdn::ready(1000);
    CHECK_FALSE(sdn::watchdog_due(1000));
    CHECK_FALSE(sdn::watchdog_due(15999));
    CHECK(sdn::watchdog_due(16000));
    // A loop that does not ping stays due: nothing else sends WATCHDOG=1.
    CHECK(sdn::watchdog_due(40000));
    sdn::ping(40000);
    CHECK_FALSE(sdn::watchdog_due(40001));
    CHECK(sdn::watchdog_due(55000));
    const auto got = systemd.received();
    REQUIRE(got.size() == 2);
    CHECK(got[1] == "WATCHDOG=1");
}

TEST_CASE("packaging.sdnotify next_ping_ms bounds the idle sleep") {
    FakeSystemd systemd;
    set_watchdog("2000000", getpid());  // WatchdogSec=2: ping every second
    sdn::ready(5000);
    CHECK(sdn::next_ping_ms(5000) == 1000);
    CHECK(sdn::next_ping_ms(5700) == 300);
    CHECK(sdn::next_ping_ms(9000) == 0);  // overdue: do not sleep
    sdn::ping(9000);
    CHECK(sdn::next_ping_ms(9000) == 1000);
}

TEST_CASE("packaging.sdnotify stopping sends STOPPING=1 once and ends the pings") {
    FakeSystemd systemd;
    set_watchdog("30000000", getpid());
    sdn::ready(0);
    sdn::stopping();
    sdn::stopping();
    CHECK_FALSE(sdn::watchdog_due(100000));
    CHECK(sdn::next_ping_ms(100000) == sdn::kNever);
    sdn::ping(100000);
    const auto got = systemd.received();
    REQUIRE(got.size() == 2);
    CHECK(got[1] == "STOPPING=1");
}

TEST_CASE("packaging.sdnotify a watchdog addressed to the parent (cage, xinit) is the kiosk's") {
    FakeSystemd systemd;
    set_watchdog("20000000", getppid());
    CHECK(sdn::ping_interval_ms() == 10000);
    // Addressed to some other process: not ours.
    set_watchdog("20000000", getpid() + getppid() + 1);
    CHECK(sdn::ping_interval_ms() == 0);
    CHECK(sdn::next_ping_ms(0) == sdn::kNever);
}

TEST_CASE("packaging.sdnotify malformed WATCHDOG_USEC turns the watchdog off, READY=1 still goes") {
    FakeSystemd systemd;
    for (const char* bad : {"", "abc", "-5", "12x", "99999999999999999999"}) {
        set_watchdog(bad, getppid());
        CHECK_MESSAGE(sdn::ping_interval_ms() == 0, bad);
    }
    setenv("WATCHDOG_USEC", "0", 1);
    sdn::reload_environment();
    CHECK(sdn::ping_interval_ms() == 0);
    sdn::ready(0);
    const auto got = systemd.received();
    REQUIRE(got.size() == 1);
    CHECK(got[0] == "READY=1");
}

TEST_CASE("packaging.sdnotify outside systemd every call is a no-op") {
    unsetenv("NOTIFY_SOCKET");
    setenv("WATCHDOG_USEC", "30000000", 1);
    setenv("WATCHDOG_PID", std::to_string(getpid()).c_str(), 1);
    sdn::reload_environment();
    CHECK_FALSE(sdn::under_systemd());
    CHECK(sdn::ping_interval_ms() == 0);
    CHECK_FALSE(sdn::watchdog_due(1'000'000));
    CHECK(sdn::next_ping_ms(0) == sdn::kNever);
    sdn::ready(0);
    sdn::ping(0);
    sdn::stopping();
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
    sdn::reload_environment();
}
