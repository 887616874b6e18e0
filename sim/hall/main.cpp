// hall-sim: the hall backend simulator as a program (demo and manual tests). See hallsim.hpp.
//
//   hall-sim [--host 127.0.0.1] [--port N] [--db PATH] [--auto-pay-ms N] [--latency-ms N]
//            [--tls-cert PEM --tls-key PEM [--tls-client-ca PEM]]
//            [--error-rate P] [--reset-rate P] [--truncate-rate P] [--malformed-rate P]
//            [--oversize-rate P] [--fail-next N] [--desk-hours HH:MM-HH:MM [--desk-days 12345]]
// The first line on stdout is "listening HOST:PORT" (port 0 picks a free one); then the seed's
// demo pickup codes. Stops on SIGINT/SIGTERM.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

#include "hallsim.hpp"
#include "seed.hpp"

namespace {

int usage() {
    std::cerr
        << "usage: hall-sim [--host H] [--port N] [--db PATH] [--auto-pay-ms N] [--latency-ms N]\n"
           "                [--error-rate P] [--reset-rate P] [--truncate-rate P]\n"
           "                [--malformed-rate P] [--oversize-rate P] [--fail-next N]\n"
           "                [--tls-cert PEM --tls-key PEM [--tls-client-ca PEM]]\n"
           "                [--desk-hours HH:MM-HH:MM [--desk-days 12345]] [--strict-contract]\n"
           "--strict-contract (or HALLSIM_STRICT_CONTRACT=1 or =COUNTS_FILE): check all traffic "
           "against\n"
           "docs/api/hall.yaml; the exit status is 3 when anything broke it.\n";
    return 2;
}

bool number(const char* s, double lo, double hi, double& out) {
    char* end = nullptr;
    out = std::strtod(s, &end);
    return end && *end == '\0' && out >= lo && out <= hi;
}

}  // namespace

int main(int argc, char** argv) {
    kiosk::hallsim::Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") return usage(), 0;
        if (a == "--strict-contract") {
            o.strict_contract = true;
            continue;
        }
        if (i + 1 >= argc) return usage();
        const char* v = argv[++i];
        double d = 0;
        if (a == "--host")
            o.host = v;
        else if (a == "--db")
            o.db = v;
        else if (a == "--tls-cert")
            o.tls_cert = v;
        else if (a == "--tls-key")
            o.tls_key = v;
        else if (a == "--desk-hours")
            o.desk_hours = v;
        else if (a == "--desk-days")
            o.desk_days = v;
        else if (a == "--tls-client-ca")
            o.tls_client_ca = v;
        else if (a == "--port" && number(v, 0, 65535, d))
            o.port = static_cast<int>(d);
        else if (a == "--auto-pay-ms" && number(v, 0, 3600000, d))
            o.auto_pay_ms = static_cast<int>(d);
        else if (a == "--latency-ms" && number(v, 0, 600000, d))
            o.faults.latency_ms = static_cast<int>(d);
        else if (a == "--error-rate" && number(v, 0, 1, d))
            o.faults.error_rate = d;
        else if (a == "--reset-rate" && number(v, 0, 1, d))
            o.faults.reset_rate = d;
        else if (a == "--truncate-rate" && number(v, 0, 1, d))
            o.faults.truncate_rate = d;
        else if (a == "--malformed-rate" && number(v, 0, 1, d))
            o.faults.malformed_rate = d;
        else if (a == "--oversize-rate" && number(v, 0, 1, d))
            o.faults.oversize_rate = d;
        else if (a == "--fail-next" && number(v, 0, 1000000, d))
            o.faults.fail_next = static_cast<int>(d);
        else
            return usage();
    }

    // Block the stop signals before any thread starts, so only sigwait below receives them.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);

    kiosk::hallsim::HallSim sim(o);
    if (!sim.start()) {
        std::cerr << "hall-sim: " << sim.error() << "\n";
        return 1;
    }
    std::cout << "listening " << o.host << ":" << sim.port() << std::endl;
    std::cout << "api " << sim.base_url() << "\n";
    std::cout << "demo pickup codes (fictitious people):";
    std::string last;
    for (const auto& c : kiosk::hallsim::seed::certificates())
        if (c.status == "waiting" && c.code != last) std::cout << " " << (last = c.code);
    std::cout << "\ndemo staff: S001/1234 (deposit, maintenance), S002/5678 (supervisor)\n"
              << "demo payment notices: 4306202611000001..4306202611000004; pay with "
                 "POST /sim/pay/{order_id}\n"
              << std::flush;

    int sig = 0;
    sigwait(&set, &sig);
    sim.stop();
    return sim.contract_counts().violations > 0 ? 3 : 0;
}
