// Serves a LockerSim on a pseudo-terminal (the driver opens `serial:<path>`) and/or a TCP port
// on 127.0.0.1 that behaves like a TCP-to-RS485 gateway (the driver opens `tcp:127.0.0.1:<port>`).
// One thread; replies leave after the simulator's reply_delay; the automatic person runs here.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "common/pty.hpp"
#include "locker_sim.hpp"

namespace kiosk::locker::sim {

class SimServer {
  public:
    explicit SimServer(LockerSim& sim);
    ~SimServer();
    SimServer(const SimServer&) = delete;
    SimServer& operator=(const SimServer&) = delete;

    // Returns the device path for the driver, or "" on failure. Call before start().
    std::string open_pty(const std::string& link_path = {});
    // Returns the bound port (port 0: an ephemeral one), or 0 on failure. Call before start().
    std::uint16_t listen_tcp(std::uint16_t port = 0);
    void start();
    void stop();
    // Drops every TCP client (a gateway reboot); they may reconnect.
    void drop_clients();

  private:
    void run();

    LockerSim& sim_;
    std::unique_ptr<drivers::PtyPair> pty_;
    int listen_fd_ = -1;
    int wake_[2] = {-1, -1};
    std::atomic<bool> running_{false};
    std::atomic<bool> drop_{false};
    std::thread thread_;
};

}  // namespace kiosk::locker::sim
