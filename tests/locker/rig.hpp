// Test rig: two simulated buses (8A/80 on a pseudo-terminal, Kerong CU16 behind a TCP gateway),
// a journal in a mkdtemp directory, an in-memory reporter and an event recorder.
#pragma once

#include <doctest/doctest.h>

#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "locker/service.hpp"
#include "sim/locker/locker_sim.hpp"
#include "sim/locker/sim_server.hpp"
#include "common/temp_dir.hpp"

namespace lockertest {

using namespace kiosk::locker;
using kiosk::test::TempDir;
using namespace std::chrono_literals;

class MemoryReporter : public OperationReporter {
  public:
    bool report(const OperationReport& r) override {
        std::lock_guard lock(mu);
        ++deliveries;
        if (refuse) return false;
        if (!outcomes.count(r.key)) outcomes[r.key] = r.outcome;
        return true;
    }
    std::mutex mu;
    bool refuse = false;
    int deliveries = 0;
    std::map<std::string, Outcome> outcomes;
};

class Events {
  public:
    void push(const LockerEvent& e) {
        {
            std::lock_guard lock(mu_);
            all_.push_back(e);
        }
        cv_.notify_all();
    }
    // Waits (bounded) for an event of `type` on `compartment` (0: any).
    bool wait(LockerEvent::Type type, int compartment = 0, int at_least = 1,
              std::chrono::milliseconds t = 3000ms) {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, t, [&] { return count_locked(type, compartment) >= at_least; });
    }
    int count(LockerEvent::Type type, int compartment = 0) {
        std::lock_guard lock(mu_);
        return count_locked(type, compartment);
    }
    std::optional<LockerEvent> last(LockerEvent::Type type, int compartment) {
        std::lock_guard lock(mu_);
        for (auto it = all_.rbegin(); it != all_.rend(); ++it)
            if (it->type == type && it->compartment == compartment) return *it;
        return std::nullopt;
    }

  private:
    int count_locked(LockerEvent::Type type, int compartment) {
        int n = 0;
        for (const auto& e : all_)
            if (e.type == type && (compartment == 0 || e.compartment == compartment)) ++n;
        return n;
    }
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<LockerEvent> all_;
};

struct Rig {
    TempDir dir;
    sim::LockerSim simA;
    sim::LockerSim simB;
    sim::SimServer srvA{simA};
    sim::SimServer srvB{simB};
    std::string pty;
    std::uint16_t port = 0;
    std::string toml;
    std::unique_ptr<Journal> journal;
    MemoryReporter reporter;
    Events events;
    std::unique_ptr<LockerService> svc;

    static sim::SimConfig cfg_a() {
        sim::SimConfig c;
        c.dialect = find_profile("8a80");
        c.boards = {{1, 8, false}, {2, 8, false}};
        return c;
    }
    static sim::SimConfig cfg_b() {
        sim::SimConfig c;
        c.dialect = find_profile("kerong-cu16");
        c.boards = {{0, 16, true}, {1, 16, true}};
        return c;
    }

    explicit Rig(std::string left_polarity = "set") : simA(cfg_a()), simB(cfg_b()) {
        pty = srvA.open_pty();
        REQUIRE(!pty.empty());
        port = srvB.listen_tcp(0);
        REQUIRE(port != 0);
        srvA.start();
        srvB.start();
        toml = R"([locker]
poll_interval_ms = 10
idle_scan_ms = 40
open_detect_ms = 150
left_open_alarm_ms = 200
reply_timeout_ms = 150
silence_gap_ms = 8
report_retry_ms = 30
query_retries = 1
[[locker.bus]]
name = "a"
uri = "serial:)" +
               pty + R"(?baud=9600"
dialect = "8a80"
[[locker.bus]]
name = "b"
uri = "tcp:127.0.0.1:)" +
               std::to_string(port) + R"("
dialect = "kerong-cu16"
[[locker.bank]]
name = "left"
bus = "a"
door_open_when = ")" +
               left_polarity + R"("
ranges = [ { first = 1, board = 1, channels = [1, 8], size = "S" },
           { first = 9, board = 2, channels = [1, 8], size = "M" } ]
[[locker.bank]]
name = "right"
bus = "b"
item_sensors = true
ranges = [ { first = 101, board = 0, channels = [1, 16], size = "L" } ]
compartments = [ { number = 200, board = 1, channel = 1, size = "XL" } ]
)";
        open_journal();
    }
    ~Rig() {
        svc.reset();
        srvA.stop();
        srvB.stop();
    }
    void open_journal() {
        std::string err;
        journal = Journal::open(dir.path + "/locker.db", &err);
        REQUIRE_MESSAGE(journal, err);
    }
    LockerConfig config() {
        std::string err;
        auto cfg = parse_locker_config(toml, &err);
        REQUIRE_MESSAGE(cfg, err);
        return *cfg;
    }
    void start(ServiceOptions opt = {}) {
        svc = std::make_unique<LockerService>(config(), *journal, reporter, std::move(opt));
        svc->set_event_handler([this](const LockerEvent& e) { events.push(e); });
        REQUIRE(svc->start());
    }
    // Where a compartment is wired in the simulators.
    struct Wire {
        sim::LockerSim* sim;
        int board;
        int channel;
    };
    Wire wire(int n) {
        if (n <= 8) return {&simA, 1, n};
        if (n <= 16) return {&simA, 2, n - 8};
        if (n == 200) return {&simB, 1, 1};
        return {&simB, 0, n - 100};
    }
    void close(int n) {
        auto w = wire(n);
        w.sim->close_door(w.board, w.channel);
    }
    int pulses(int n) {
        auto w = wire(n);
        return w.sim->pulses(w.board, w.channel);
    }
    bool wait_state(int n, CompartmentState s, std::chrono::milliseconds t = 3000ms) {
        const auto until = std::chrono::steady_clock::now() + t;
        while (std::chrono::steady_clock::now() < until) {
            if (svc->state(n) == s) return true;
            std::this_thread::sleep_for(2ms);
        }
        return false;
    }
    bool wait_idle(std::chrono::milliseconds t = 3000ms) {
        const auto until = std::chrono::steady_clock::now() + t;
        while (std::chrono::steady_clock::now() < until) {
            if (svc->idle()) return true;
            std::this_thread::sleep_for(2ms);
        }
        return false;
    }
    // Deposits an item the ordinary way and returns once it is reported.
    void deposit(int n, const std::string& key) {
        auto w = wire(n);
        const int opened = events.count(LockerEvent::Type::Opened, n);
        REQUIRE(svc->start_deposit(key, n) == LockerService::Admit::Accepted);
        REQUIRE(events.wait(LockerEvent::Type::Opened, n, opened + 1));
        w.sim->set_item(w.board, w.channel, true);
        w.sim->close_door(w.board, w.channel);
        REQUIRE(wait_idle());
        REQUIRE(svc->state(n) == CompartmentState::Occupied);
    }
};

}  // namespace lockertest
