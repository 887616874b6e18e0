// The fleet agent in its own process, so a test can SIGKILL it (no DISCONNECT is ever sent and
// the broker must publish the will). Usage: fleet_agent_worker BROKER_URL STATE_DIR
// Runs until killed.
#include <unistd.h>

#include <cstdio>

#include "fleet/agent.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: fleet_agent_worker BROKER_URL STATE_DIR\n");
        return 64;
    }
    kiosk::fleet::FleetConfig c;
    c.broker = argv[1];
    c.fleet = "t";
    c.kiosk_id = "k1";
    c.heartbeat_seconds = 3600;
    c.will_delay_seconds = 1;
    c.state_dir = argv[2];
    kiosk::fleet::Agent agent(c);
    std::string err;
    if (!agent.start(&err)) {
        std::fprintf(stderr, "%s\n", err.c_str());
        return 1;
    }
    for (;;) pause();
}
