// locker-sim: a locker bank on a pseudo-terminal and/or a TCP gateway port, driven from stdin.
//
//   locker-sim --dialect 8a80 --board 1:16 --board 2:16 --pty --tcp 0 [--auto-close 2000]
//              [--door-open-when set|clear] [--reply-delay 600] [--link /path/to/symlink]
//              [--variant NAME]   (a board behaviour seen in the field; --variant list)
//   --board ADDR:CHANNELS[:ir]   (ir: item sensors fitted)
// --door-open-when defaults to the dialect's field default (Kerong: a set bit = closed).
// Prints "pty <path>" and "tcp 127.0.0.1:<port>" once listening, then reads commands:
//   close B C | open B C | item B C 0|1 | jam B C 0|1 | hold B C 0|1 | missing B 0|1
//   noreply 0|1 | garble N garbled|truncated|noise | swap 0|1 | auto MS|off
//   status B C | pulses B C | stuck B C open|closed|off | unlockreply B 0|1
//   race before|after|off | quit
#include <iostream>
#include <sstream>
#include <string>

#include "locker_sim.hpp"
#include "sim_server.hpp"

using namespace kiosk::locker;

int main(int argc, char** argv) {
    sim::SimConfig cfg;
    cfg.dialect = find_profile("8a80");
    bool want_pty = false;
    int tcp_port = -1;
    std::string link;
    std::optional<std::chrono::milliseconds> auto_close;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto val = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--dialect") {
            cfg.dialect = find_profile(val());
            if (!cfg.dialect) {
                std::cerr << "unknown dialect (8a80, kerong-cu16)\n";
                return 2;
            }
        } else if (a == "--variant") {
            const std::string name = val();
            const auto* v = sim::find_variant(name);
            if (!v) {
                std::cerr << (name == "list" ? "" : "unknown variant " + name + "; ")
                          << "variants:\n";
                for (const auto& x : sim::variants())
                    std::cerr << "  " << x.name << "  " << x.what << "\n";
                return name == "list" ? 0 : 2;
            }
            cfg.dialect = find_profile(v->dialect);
            cfg.behaviour = v->behaviour;
        } else if (a == "--board") {
            const std::string v = val();
            sim::BoardSpec b;
            char sep = 0;
            std::istringstream in(v);
            if (!(in >> b.address >> sep >> b.channels) || sep != ':') {
                std::cerr << "--board ADDR:CHANNELS[:ir]\n";
                return 2;
            }
            b.item_sensors = v.find(":ir") != std::string::npos;
            cfg.boards.push_back(b);
        } else if (a == "--pty") {
            want_pty = true;
        } else if (a == "--link") {
            link = val();
        } else if (a == "--tcp") {
            tcp_port = std::atoi(val().c_str());
        } else if (a == "--door-open-when") {
            cfg.door_open_reads_set = val() != "clear";
        } else if (a == "--reply-delay") {
            cfg.reply_delay = std::chrono::milliseconds(std::atoi(val().c_str()));
        } else if (a == "--auto-close") {
            auto_close = std::chrono::milliseconds(std::atoi(val().c_str()));
        } else {
            std::cerr << "unknown option " << a << "\n";
            return 2;
        }
    }
    if (cfg.boards.empty()) cfg.boards.push_back({cfg.dialect->min_board, 16, false});
    if (!want_pty && tcp_port < 0) want_pty = true;

    sim::LockerSim model(cfg);
    model.set_auto_person(auto_close);
    sim::SimServer server(model);
    if (want_pty) {
        const auto path = server.open_pty(link);
        if (path.empty()) {
            std::cerr << "cannot open a pseudo-terminal\n";
            return 1;
        }
        std::cout << "pty " << path << std::endl;
    }
    if (tcp_port >= 0) {
        const auto port = server.listen_tcp(static_cast<std::uint16_t>(tcp_port));
        if (!port) {
            std::cerr << "cannot listen on 127.0.0.1:" << tcp_port << "\n";
            return 1;
        }
        std::cout << "tcp 127.0.0.1:" << port << std::endl;
    }
    server.start();

    std::string line;
    while (std::getline(std::cin, line)) {
        std::istringstream in(line);
        std::string cmd, arg;
        int b = 0, c = 0, v = 0;
        in >> cmd;
        if (cmd == "quit") break;
        if (cmd == "close" && in >> b >> c)
            model.close_door(b, c);
        else if (cmd == "open" && in >> b >> c)
            model.open_by_hand(b, c);
        else if (cmd == "item" && in >> b >> c >> v)
            model.set_item(b, c, v != 0);
        else if (cmd == "jam" && in >> b >> c >> v)
            model.set_jammed(b, c, v != 0);
        else if (cmd == "hold" && in >> b >> c >> v)
            model.set_hold_open(b, c, v != 0);
        else if (cmd == "missing" && in >> b >> v)
            model.set_board_missing(b, v != 0);
        else if (cmd == "noreply" && in >> v)
            model.set_no_reply(v != 0);
        else if (cmd == "swap" && in >> v)
            model.set_swapped_polarity(v != 0);
        else if (cmd == "garble" && in >> v >> arg)
            model.garble_next(v, arg == "truncated" ? sim::Garble::Truncated
                                 : arg == "noise"   ? sim::Garble::Noise
                                                    : sim::Garble::Garbled);
        else if (cmd == "auto" && in >> arg)
            model.set_auto_person(
                arg == "off" ? std::nullopt
                             : std::optional(std::chrono::milliseconds(std::atoi(arg.c_str()))));
        else if (cmd == "status" && in >> b >> c)
            std::cout << "door " << (model.door_open(b, c) ? "open" : "closed") << " item "
                      << (model.item(b, c) ? "present" : "absent") << std::endl;
        else if (cmd == "stuck" && in >> b >> c >> arg)
            model.set_sensor_stuck(b, c,
                                   arg == "open"     ? std::optional<bool>(true)
                                   : arg == "closed" ? std::optional<bool>(false)
                                                     : std::nullopt);
        else if (cmd == "unlockreply" && in >> b >> v)
            model.set_unlock_reply(b, v != 0);
        else if (cmd == "race" && in >> arg)
            model.set_report_race(arg == "before"  ? std::optional<bool>(true)
                                  : arg == "after" ? std::optional<bool>(false)
                                                   : std::nullopt);
        else if (cmd == "pulses" && in >> b >> c)
            std::cout << "pulses " << model.pulses(b, c) << " openings " << model.openings(b, c)
                      << std::endl;
        else if (!cmd.empty())
            std::cout << "? " << line << std::endl;
    }
    server.stop();
    return 0;
}
