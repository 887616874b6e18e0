// kiosk-devsim: wire-level device simulators on pseudo-terminals, for the demo and manual tests.
//
//   kiosk-devsim idcard [--pty-link PATH] [--baud N] [--card KEY] [--no-pace]
//                       [--processing-ms N] [--fingerprint-bytes 0|512|1024]
//
// Prints "path <device path>" and "uri <transport uri>" on stdout, then serves until SIGINT/
// SIGTERM or "quit". Control channel: one command per line on stdin (answers "ok ..." or
// "error ..." on stdout):
//   place <card>        cards: resident resident-longterm permit-hk foreign-2017 foreign-2023
//                       bad-check
//   remove
//   fault <name> [v]    sam_failure|mute|fragment|garbage|find_fails_after_read on|off,
//                       delay <ms>, corrupt <n>, lift, stall, clear
//   unplug | replug | status | help | quit
// When stdin closes (e.g. started with </dev/null) it keeps serving until a signal.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

#include <poll.h>
#include <unistd.h>

#include "sim/idcard/simulator.hpp"

namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) {
    g_stop = 1;
}

int usage() {
    std::cerr << "usage: kiosk-devsim idcard [--pty-link PATH] [--baud N] [--card KEY] "
                 "[--no-pace] [--processing-ms N] [--fingerprint-bytes N]\n";
    return 2;
}

bool parse_int(const std::string& s, int lo, int hi, int& out) {
    try {
        std::size_t pos = 0;
        int v = std::stoi(s, &pos);
        if (pos != s.size() || v < lo || v > hi) return false;
        out = v;
        return true;
    } catch (...) {
        return false;
    }
}

bool on_off(const std::string& v, bool& out) {
    if (v == "on" || v == "1" || v == "true") return out = true, true;
    if (v == "off" || v == "0" || v == "false") return out = false, true;
    return false;
}

std::string control(kiosk::idcard::IdCardSimulator& sim, const std::string& line, bool& quit) {
    std::istringstream in(line);
    std::string cmd, a, b;
    in >> cmd >> a >> b;
    if (cmd.empty()) return "";
    if (cmd == "quit" || cmd == "exit") return quit = true, "ok bye";
    if (cmd == "place") return sim.place(a) ? "ok placed " + a : "error unknown card '" + a + "'";
    if (cmd == "remove") return sim.remove(), "ok removed";
    if (cmd == "unplug") return sim.unplug(), "ok unplugged";
    if (cmd == "replug") return sim.replug(), "ok replugged path " + sim.device_path();
    if (cmd == "status")
        return std::string("ok card ") + (sim.card_present() ? "present" : "absent") + " reads " +
               std::to_string(sim.reads_served());
    if (cmd == "fault") {
        auto f = sim.faults();
        bool ok = true;
        int n = 0;
        if (a == "clear")
            f = {};
        else if (a == "sam_failure")
            ok = on_off(b, f.sam_failure);
        else if (a == "mute")
            ok = on_off(b, f.mute);
        else if (a == "fragment")
            ok = on_off(b, f.fragment);
        else if (a == "garbage")
            ok = on_off(b, f.garbage_before_reply);
        else if (a == "find_fails_after_read")
            ok = on_off(b, f.find_fails_after_read);
        else if (a == "delay")
            ok = parse_int(b, 0, 60000, n), f.reply_delay = std::chrono::milliseconds(n);
        else if (a == "corrupt")
            ok = parse_int(b, 0, 1000, n), f.corrupt_replies = n;
        else if (a == "lift")
            f.lift_mid_read = true;
        else if (a == "stall")
            f.stall_mid_read = true;
        else
            return "error unknown fault '" + a + "'";
        if (!ok) return "error bad value for " + a;
        sim.set_faults(f);
        return "ok fault " + a;
    }
    if (cmd == "help")
        return "ok commands: place <card> | remove | fault <name> [v] | unplug | replug | status "
               "| quit";
    return "error unknown command '" + cmd + "'";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::string(argv[1]) != "idcard") return usage();
    kiosk::idcard::IdCardSimulator::Options o;
    std::string card;
    for (int i = 2; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        int n = 0;
        if (arg == "--pty-link")
            o.link_path = value();
        else if (arg == "--baud") {
            if (!parse_int(value(), 300, 4000000, n)) return usage();
            o.baud = n;
        } else if (arg == "--card")
            card = value();
        else if (arg == "--no-pace")
            o.pace = false;
        else if (arg == "--processing-ms") {
            if (!parse_int(value(), 0, 10000, n)) return usage();
            o.processing = std::chrono::milliseconds(n);
        } else if (arg == "--fingerprint-bytes") {
            if (!parse_int(value(), 0, 1024, n) || (n != 0 && n != 512 && n != 1024))
                return usage();
            o.fingerprint_bytes = static_cast<std::size_t>(n);
        } else
            return usage();
    }
    kiosk::idcard::IdCardSimulator sim(o);
    std::string err;
    if (!sim.start_pty(&err)) {
        std::cerr << "kiosk-devsim: cannot open a pseudo-terminal: " << err << "\n";
        return 1;
    }
    if (!card.empty() && !sim.place(card)) {
        std::cerr << "kiosk-devsim: unknown card '" << card << "'\n";
        return 2;
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    std::cout << "path " << sim.device_path() << "\nuri " << sim.uri() << std::endl;

    // stdin is polled, not blocked on, so a signal still ends the program promptly.
    bool quit = false, stdin_open = true;
    std::string pending;
    while (!quit && !g_stop) {
        if (!stdin_open) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            continue;
        }
        pollfd p{STDIN_FILENO, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        char buf[512];
        ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
        if (n <= 0) {
            stdin_open = false;  // keep serving until a signal
            continue;
        }
        pending.append(buf, static_cast<std::size_t>(n));
        for (auto nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n')) {
            std::string answer = control(sim, pending.substr(0, nl), quit);
            pending.erase(0, nl + 1);
            if (!answer.empty()) std::cout << answer << std::endl;
        }
    }
    sim.stop();
    return 0;
}
