// ddi-sim: the hawkBit DDI simulator as a program (manual tests of the updater). See ddisim.hpp.
//
//   ddi-sim [--host 127.0.0.1] [--port N] [--tenant T] [--controller C] [--token X]
//           [--sleep 00:00:30] [--bundle FILE [--version V] [--update skip|attempt|forced]
//           [--maintenance available|unavailable]]
// The first line on stdout is "listening HOST:PORT"; the second the controller base URL; every
// feedback is logged. Stops on SIGINT/SIGTERM.
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "ddisim.hpp"

namespace {
int usage() {
    std::cerr << "usage: ddi-sim [--host H] [--port N] [--tenant T] [--controller C] [--token X]\n"
                 "               [--sleep HH:MM:SS|PT..] [--bundle FILE [--version V]\n"
                 "               [--update skip|attempt|forced] [--maintenance "
                 "available|unavailable]]\n";
    return 64;
}
}  // namespace

int main(int argc, char** argv) {
    kiosk::ddisim::Options o;
    kiosk::ddisim::ActionSpec spec;
    std::string bundle;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") return usage(), 0;
        if (i + 1 >= argc) return usage();
        std::string v = argv[++i];
        if (a == "--host")
            o.host = v;
        else if (a == "--port") {
            char* end = nullptr;
            long p = std::strtol(v.c_str(), &end, 10);
            if (!end || *end || p < 0 || p > 65535) return usage();
            o.port = static_cast<int>(p);
        } else if (a == "--tenant")
            o.tenant = v;
        else if (a == "--controller")
            o.controller = v;
        else if (a == "--token")
            o.token = v;
        else if (a == "--sleep")
            o.poll_sleep = v;
        else if (a == "--bundle")
            bundle = v;
        else if (a == "--version")
            spec.version = v;
        else if (a == "--update")
            spec.update = v;
        else if (a == "--maintenance")
            spec.maintenance = v;
        else
            return usage();
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);

    kiosk::ddisim::DdiSim sim(o);
    if (!sim.start()) {
        std::cerr << "ddi-sim: cannot bind " << o.host << ":" << o.port << "\n";
        return 1;
    }
    if (!bundle.empty()) {
        std::ifstream in(bundle, std::ios::binary);
        if (!in) {
            std::cerr << "ddi-sim: cannot read " << bundle << "\n";
            return 66;
        }
        spec.artifact.assign(std::istreambuf_iterator<char>(in), {});
        auto slash = bundle.rfind('/');
        spec.filename = slash == std::string::npos ? bundle : bundle.substr(slash + 1);
        if (!spec.filename.ends_with(".bundle")) spec.filename += ".bundle";
        std::cout << "action " << sim.add_action(spec) << "\n";
    }
    std::cout << "listening " << o.host << ":" << sim.port() << std::endl;
    std::cout << "base " << sim.controller_base() << std::endl;
    int sig = 0;
    sigwait(&set, &sig);
    sim.stop();
    return 0;
}
