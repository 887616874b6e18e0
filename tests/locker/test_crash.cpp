// Crash test: 200 pickups and deposits, the kiosk process SIGKILLed at random points and
// restarted, against the simulators and a local backend receiver.
//
// The receiver is a loopback HTTP server inside this test process. What is killed is the kiosk
// worker, so the receiver's memory outlives every kill; it records each delivery and the first
// outcome per idempotency key, which is exactly the backend's duty (a repeat of a key is
// acknowledged, never counted twice). Ground truth for door openings is the simulator's pulse
// counter per compartment, compared with what the journal says each operation did.
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <sstream>

#include "rig.hpp"

extern char** environ;

using namespace lockertest;

namespace {

struct Receiver {
    httplib::Server server;
    std::thread thread;
    int port = 0;
    std::mutex mu;
    int deliveries = 0;
    int repeats = 0;
    int conflicts = 0;  // a repeated key with a different outcome
    std::map<std::string, std::string> outcome;

    Receiver() {
        server.Post("/report", [this](const httplib::Request& req, httplib::Response& res) {
            const std::string key = req.get_header_value("Idempotency-Key");
            std::istringstream in(req.body);
            std::string body_key, out;
            in >> body_key >> out;
            std::lock_guard lock(mu);
            ++deliveries;
            if (key.empty() || key != body_key) {
                res.status = 400;
                return;
            }
            auto [it, fresh] = outcome.emplace(key, out);
            if (!fresh) {
                ++repeats;
                if (it->second != out) ++conflicts;
            }
            res.status = 200;
            res.set_content("ok", "text/plain");
        });
        port = server.bind_to_any_port("127.0.0.1");
        thread = std::thread([this] { server.listen_after_bind(); });
        while (!server.is_running()) std::this_thread::sleep_for(1ms);
    }
    ~Receiver() {
        server.stop();
        thread.join();
    }
};

// Returns the exit status, or -signal when killed.
int run_worker(const std::vector<std::string>& args, const std::string& crash_env,
               std::chrono::milliseconds kill_after) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<std::string> env_store;
    for (char** e = environ; *e; ++e)
        if (std::string_view(*e).substr(0, 13) != "LOCKER_CRASH=") env_store.emplace_back(*e);
    if (!crash_env.empty()) env_store.push_back("LOCKER_CRASH=" + crash_env);
    std::vector<char*> envp;
    for (auto& e : env_store) envp.push_back(e.data());
    envp.push_back(nullptr);
    pid_t pid = 0;
    REQUIRE(::posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), envp.data()) == 0);
    const auto start = std::chrono::steady_clock::now();
    const auto limit = start + 60s;  // a hung worker fails the test instead of hanging it
    bool killed = false;
    for (;;) {
        int status = 0;
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            if (WIFSIGNALED(status)) return -WTERMSIG(status);
            return WEXITSTATUS(status);
        }
        const auto now = std::chrono::steady_clock::now();
        if (!killed && ((kill_after.count() > 0 && now - start >= kill_after) || now > limit)) {
            ::kill(pid, SIGKILL);
            killed = true;
        }
        std::this_thread::sleep_for(1ms);
    }
}

}  // namespace

TEST_CASE("locker.crash 200 operations survive SIGKILL at random points") {
    constexpr int kOps = 200;
    TempDir dir;
    sim::SimConfig ca = Rig::cfg_a();
    sim::SimConfig cb = Rig::cfg_b();
    cb.boards = {{0, 16, true}};
    sim::LockerSim simA(ca), simB(cb);
    // The person behind the door: takes the item or leaves one, then pushes the door shut.
    simA.set_auto_person(15ms);
    simB.set_auto_person(15ms);
    sim::SimServer srvA(simA), srvB(simB);
    const std::string pty = srvA.open_pty();
    const auto port = srvB.listen_tcp(0);
    REQUIRE(!pty.empty());
    REQUIRE(port != 0);
    srvA.start();
    srvB.start();
    Receiver receiver;
    REQUIRE(receiver.port > 0);

    const std::string db = dir.path + "/journal.db";
    const std::string worker = std::string(KIOSK_BINARY_DIR) + "/tests/locker/locker_crash_worker";
    const std::vector<std::string> args{
        worker, db, pty, std::to_string(port), std::to_string(receiver.port), std::to_string(kOps),
        "7"};
    const char* points[] = {"intent", "unlock_sent", "unlock_written",
                            "opened", "closed",      "reported"};
    std::mt19937 rng(20261126);
    int runs = 0, timed_kills = 0, point_kills = 0;
    std::map<std::string, int> by_point;
    int status = -1;
    for (; runs < 400; ++runs) {
        const bool last_chance = runs >= 120;  // enough crashes: let it finish
        std::string crash;
        std::chrono::milliseconds after{0};
        if (!last_chance) {
            if (rng() % 2) {
                after = std::chrono::milliseconds(5 + rng() % 250);
            } else {
                crash = std::string(points[rng() % 6]) + ":" + std::to_string(1 + rng() % 6);
            }
        }
        status = run_worker(args, crash, after);
        if (status == 0) break;
        REQUIRE_MESSAGE(status == -SIGKILL, "worker failed with status " << status);
        if (crash.empty())
            ++timed_kills;
        else {
            ++point_kills;
            ++by_point[crash.substr(0, crash.find(':'))];
        }
    }
    REQUIRE(status == 0);
    srvA.stop();
    srvB.stop();

    std::string err;
    auto journal = Journal::open(db, &err);
    REQUIRE(journal);
    const auto ops = journal->all();
    REQUIRE(ops.size() == kOps);

    std::map<Outcome, int> outcomes;
    struct Expect {
        int lo = 0, hi = 0;
    };
    std::map<int, Expect> expect;  // per compartment
    for (const auto& op : ops) {
        CHECK(op.step == Step::Reported);
        ++outcomes[op.outcome];
        auto& e = expect[op.compartment];
        if (op.fired && op.outcome == Outcome::Completed) ++e.lo, ++e.hi;
        if (op.fired && op.outcome == Outcome::Uncertain) ++e.hi;
        // Uncertain only where no item sensor can tell.
        if (op.outcome == Outcome::Uncertain) CHECK(op.compartment <= 16);
    }
    // Zero lost, zero duplicated: every key heard, each exactly once in effect, one outcome.
    {
        std::lock_guard lock(receiver.mu);
        CHECK(receiver.outcome.size() == kOps);
        CHECK(receiver.conflicts == 0);
        for (const auto& op : ops) {
            REQUIRE(receiver.outcome.count(op.key) == 1);
            CHECK(receiver.outcome[op.key] == to_string(op.outcome));
        }
    }
    // Zero doubled openings: the boards' own pulse counters against what the journal allows.
    int total_pulses = 0;
    const auto inventory = journal->inventory();
    auto wire = [](int n) -> std::pair<int, int> {
        if (n <= 8) return {1, n};
        if (n <= 16) return {2, n - 8};
        return {0, n - 100};
    };
    for (int n : std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}) {
        const auto [b, c] = wire(n);
        const int p = simA.pulses(b, c);
        total_pulses += p;
        CHECK_MESSAGE(p >= expect[n].lo, "compartment " << n);
        CHECK_MESSAGE(p <= expect[n].hi, "compartment " << n);
        CHECK(simA.openings(b, c) == p);
        auto it = inventory.find(n);
        if (it != inventory.end() && !it->second.faulty)
            CHECK_MESSAGE((it->second.inventory == Inventory::Occupied) == simA.item(b, c),
                          "compartment " << n);
    }
    for (int n = 101; n <= 116; ++n) {
        const int p = simB.pulses(0, n - 100);
        total_pulses += p;
        CHECK_MESSAGE(p == expect[n].lo, "compartment " << n);  // sensed: exact
        CHECK(expect[n].lo == expect[n].hi);
        auto it = inventory.find(n);
        const bool occupied = it != inventory.end() && it->second.inventory == Inventory::Occupied;
        CHECK_MESSAGE(occupied == simB.item(0, n - 100), "compartment " << n);
    }
    std::lock_guard lock(receiver.mu);
    MESSAGE("runs " << runs + 1 << ": " << timed_kills << " timed SIGKILLs, " << point_kills
                    << " at named steps (intent " << by_point["intent"] << ", unlock_sent "
                    << by_point["unlock_sent"] << ", unlock_written " << by_point["unlock_written"]
                    << ", opened " << by_point["opened"] << ", closed " << by_point["closed"]
                    << ", reported " << by_point["reported"] << ")");
    MESSAGE("outcomes: completed "
            << outcomes[Outcome::Completed] << ", no_change " << outcomes[Outcome::NoChange]
            << ", cancelled " << outcomes[Outcome::Cancelled] << ", uncertain "
            << outcomes[Outcome::Uncertain] << "; pulses " << total_pulses << "; deliveries "
            << receiver.deliveries << " (repeats " << receiver.repeats << ")");
}
