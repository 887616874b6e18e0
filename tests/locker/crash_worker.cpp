// locker_crash_worker: the kiosk side of the crash test (tests/locker/test_crash.cpp).
//
// Runs pickups and deposits "op-<i>" for i = 0..ops-1 against the simulators, one at a time,
// reporting each settled operation to the test's loopback HTTP receiver. It is SIGKILLed at
// random moments, or kills itself at a named step (LOCKER_CRASH=point:n), and is restarted until
// it exits 0. It keeps nothing in memory across runs: everything comes back from the journal.
//
//   locker_crash_worker <journal.db> <pty path> <tcp port> <receiver port> <ops> <seed>
#include <httplib.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

#include "locker/service.hpp"

using namespace kiosk::locker;
using namespace std::chrono_literals;

namespace {

class HttpReporter : public OperationReporter {
  public:
    explicit HttpReporter(int port) : cli_("127.0.0.1", port) {
        cli_.set_connection_timeout(1, 0);
        cli_.set_read_timeout(1, 0);
    }
    bool report(const OperationReport& r) override {
        const std::string body = r.key + " " + to_string(r.outcome) + " " +
                                 std::to_string(r.compartment) + " " + to_string(r.kind);
        auto res = cli_.Post("/report", {{"Idempotency-Key", r.key}}, body, "text/plain");
        return res && res->status == 200;
    }

  private:
    httplib::Client cli_;
};

std::uint64_t mix(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

bool wait_idle(LockerService& svc) {
    for (int i = 0; i < 20000; ++i) {
        if (svc.idle()) return true;
        std::this_thread::sleep_for(1ms);
    }
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 7) {
        std::cerr << "usage: locker_crash_worker db pty port receiver ops seed\n";
        return 2;
    }
    const std::string db = argv[1], pty = argv[2];
    const int port = std::atoi(argv[3]), receiver = std::atoi(argv[4]);
    const int ops = std::atoi(argv[5]);
    const std::uint64_t seed = std::strtoull(argv[6], nullptr, 10);

    const std::string toml = R"([locker]
poll_interval_ms = 5
idle_scan_ms = 200
open_detect_ms = 300
reply_timeout_ms = 200
silence_gap_ms = 5
report_retry_ms = 20
query_retries = 2
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
ranges = [ { first = 1, board = 1, channels = [1, 8], size = "M" },
           { first = 9, board = 2, channels = [1, 8], size = "M" } ]
[[locker.bank]]
name = "right"
bus = "b"
item_sensors = true
ranges = [ { first = 101, board = 0, channels = [1, 16], size = "M" } ]
)";
    std::string err;
    auto cfg = parse_locker_config(toml, &err);
    auto journal = Journal::open(db, &err);
    if (!cfg || !journal) {
        std::cerr << "worker: " << err << "\n";
        return 3;
    }
    ServiceOptions opt;
    std::string point;
    int at = 0, seen = 0;
    if (const char* c = std::getenv("LOCKER_CRASH")) {
        const std::string s = c;
        const auto colon = s.find(':');
        point = s.substr(0, colon);
        at = colon == std::string::npos ? 1 : std::atoi(s.c_str() + colon + 1);
        opt.crash_point = [&](const char* p) {
            if (point == p && ++seen == at) std::raise(SIGKILL);
        };
    }
    HttpReporter reporter(receiver);
    LockerService svc(*cfg, *journal, reporter, opt);
    svc.start();
    if (!wait_idle(svc)) return 4;  // recovered operations settled and reported

    std::vector<int> numbers;
    for (const auto& c : cfg->compartments) numbers.push_back(c.number);
    for (;;) {
        const auto done = journal->all();
        const int i = static_cast<int>(done.size());
        if (i >= ops) break;
        const int last = done.empty() ? 0 : done.back().compartment;
        std::vector<int> occupied, free;
        for (int n : numbers) {
            if (n == last) continue;  // consecutive operations never share a door
            const auto st = svc.state(n);
            if (st == CompartmentState::Occupied) occupied.push_back(n);
            if (st == CompartmentState::Free) free.push_back(n);
        }
        const std::uint64_t r = mix(seed ^ static_cast<std::uint64_t>(i));
        const std::string key = "op-" + std::to_string(i);
        LockerService::Admit a;
        if (!occupied.empty() && (free.empty() || (r & 1))) {
            a = svc.start_pickup(key, occupied[(r >> 8) % occupied.size()]);
        } else if (!free.empty()) {
            a = svc.start_deposit(key, free[(r >> 8) % free.size()]);
        } else {
            std::cerr << "worker: no usable compartment left\n";
            return 5;
        }
        if (a != LockerService::Admit::Accepted) {
            std::cerr << "worker: op " << i << " not admitted\n";
            return 6;
        }
        if (!wait_idle(svc)) return 4;
    }
    svc.stop();
    return 0;
}
