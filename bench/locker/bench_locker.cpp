// bench_locker: how long from "pickup authorised" to the unlock frame on the wire, and how many
// journal fsyncs one pickup costs. Prints figures; asserts nothing.
//
// Latency: start_pickup() is the authorisation (the core calls it once the code/ID is checked).
// Two end points are taken: the driver handing the unlock frame to the transport
// (ServiceOptions::on_unlock_written) and the simulated board decoding it (LockerSim's
// on_unlock), over a pty (8A/80) and a TCP gateway (Kerong). The path in between is: journal
// intent (no fsync), wake the service thread, read the door, journal unlock_sent (fsync), write.
//
// fsyncs: this executable defines fsync() and fdatasync(), which the dynamic linker binds
// libsqlite3's calls to (a symbol a linked shared library references is exported from the
// executable), then forwards to libc. So the count is what the OS was actually asked to sync,
// checkpoints included, not what we believe SQLite does.
#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <numeric>
#include <thread>
#include <vector>

#include "base/log.hpp"
#include "locker/service.hpp"
#include "sim/locker/locker_sim.hpp"
#include "sim/locker/sim_server.hpp"

namespace {
std::atomic<long> g_syncs{0};
}

extern "C" int fdatasync(int fd) {
    using Fn = int (*)(int);
    static Fn real = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "fdatasync"));
    g_syncs++;
    return real ? real(fd) : -1;
}
extern "C" int fsync(int fd) {
    using Fn = int (*)(int);
    static Fn real = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "fsync"));
    g_syncs++;
    return real ? real(fd) : -1;
}

using namespace kiosk::locker;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

class NullReporter : public OperationReporter {
  public:
    bool report(const OperationReport&) override { return true; }
};

struct Stats {
    std::vector<double> us;
    void add(Clock::duration d) {
        us.push_back(std::chrono::duration<double, std::micro>(d).count());
    }
    void print(const char* what) {
        if (us.empty()) {
            std::printf("  %-44s no samples\n", what);
            return;
        }
        std::sort(us.begin(), us.end());
        auto q = [&](double p) { return us[std::min(us.size() - 1, std::size_t(p * us.size()))]; };
        std::printf("  %-44s median %7.0f us  p90 %7.0f us  p99 %7.0f us  max %7.0f us\n", what,
                    q(0.5), q(0.9), q(0.99), us.back());
    }
};

bool wait_idle(LockerService& s) {
    for (int i = 0; i < 10000; ++i) {
        if (s.idle()) return true;
        std::this_thread::sleep_for(200us);
    }
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::max(1, std::atoi(argv[1])) : 100;
    kiosk::log::Options log_options;
    log_options.level = "warn";  // per-event lines would distort the timings
    kiosk::log::init(log_options);
    std::string dir = (std::filesystem::temp_directory_path() / "bench-locker-XXXXXX").string();
    if (!::mkdtemp(dir.data())) return 1;

    sim::SimConfig ca;
    ca.dialect = find_profile("8a80");
    ca.boards = {{1, 16, false}};
    sim::SimConfig cb;
    cb.dialect = find_profile("kerong-cu16");
    cb.boards = {{0, 16, true}};
    sim::LockerSim simA(ca), simB(cb);
    simA.set_auto_person(2ms);
    simB.set_auto_person(2ms);
    std::mutex mu;
    Clock::time_point t_auth{}, t_written{}, t_wire{};
    simA.set_on_unlock([&](int, int) { t_wire = Clock::now(); });
    simB.set_on_unlock([&](int, int) { t_wire = Clock::now(); });
    sim::SimServer srvA(simA), srvB(simB);
    const auto pty = srvA.open_pty();
    const auto port = srvB.listen_tcp(0);
    srvA.start();
    srvB.start();

    const std::string toml = R"([locker]
poll_interval_ms = 5
idle_scan_ms = 1000
open_detect_ms = 500
silence_gap_ms = 5
[[locker.bus]]
name = "a"
uri = "serial:)" + pty + R"(?baud=9600"
dialect = "8a80"
[[locker.bus]]
name = "b"
uri = "tcp:127.0.0.1:)" + std::to_string(port) +
                             R"("
dialect = "kerong-cu16"
[[locker.bank]]
name = "left"
bus = "a"
ranges = [ { first = 1, board = 1, channels = [1, 16], size = "M" } ]
[[locker.bank]]
name = "right"
bus = "b"
item_sensors = true
ranges = [ { first = 101, board = 0, channels = [1, 16], size = "M" } ]
)";
    std::string err;
    auto cfg = parse_locker_config(toml, &err);
    auto journal = Journal::open(dir + "/locker.db", &err);
    if (!cfg || !journal) {
        std::fprintf(stderr, "setup: %s\n", err.c_str());
        return 1;
    }
    NullReporter reporter;
    ServiceOptions opt;
    opt.on_unlock_written = [&](int) { t_written = Clock::now(); };
    LockerService svc(*cfg, *journal, reporter, opt);
    svc.start();

    std::printf("locker bench: %d pickups per bus (each after a deposit), simulated boards\n", n);
    long pickup_syncs = 0;
    std::uint64_t full = 0, normal = 0;
    int pickups = 0;
    for (int bank : {0, 1}) {
        Stats written, wire;
        for (int i = 0; i < n; ++i) {
            const int c = (bank == 0 ? 1 : 101) + i % 16;
            const std::string tag = std::to_string(bank) + "-" + std::to_string(i);
            if (svc.start_deposit("dep-" + tag, c) != LockerService::Admit::Accepted ||
                !wait_idle(svc)) {
                std::fprintf(stderr, "deposit %s failed\n", tag.c_str());
                return 1;
            }
            const long s0 = g_syncs.load();
            const auto f0 = journal->commits_full(), n0 = journal->commits_normal();
            {
                std::lock_guard lock(mu);
                t_auth = Clock::now();
            }
            if (svc.start_pickup("pick-" + tag, c) != LockerService::Admit::Accepted ||
                !wait_idle(svc)) {
                std::fprintf(stderr, "pickup %s failed\n", tag.c_str());
                return 1;
            }
            written.add(t_written - t_auth);
            wire.add(t_wire - t_auth);
            pickup_syncs += g_syncs.load() - s0;
            full += journal->commits_full() - f0;
            normal += journal->commits_normal() - n0;
            ++pickups;
        }
        std::printf("%s\n",
                    bank == 0 ? "8A/80 board over a pty:" : "Kerong CU16 over a TCP gateway:");
        written.print("authorised -> unlock frame written");
        wire.print("authorised -> unlock frame decoded by board");
    }
    std::printf(
        "journal per pickup: %.2f fsync/fdatasync calls (OS level, checkpoints included); "
        "%.2f synchronous=FULL commits, %.2f synchronous=NORMAL commits\n",
        double(pickup_syncs) / pickups, double(full) / pickups, double(normal) / pickups);
    svc.stop();
    srvA.stop();
    srvB.stop();
    std::filesystem::remove_all(dir);
    return 0;
}
