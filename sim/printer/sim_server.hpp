// PrinterSimServer: serves a VirtualPrinter on the links a real receipt printer has.
//
// - a pseudo-terminal (the driver opens `serial:<pty path>` as it would a USB-serial printer),
// - a TCP port on 127.0.0.1 (raw "port 9100" printing; port 0 picks a free one),
// - optionally an in-process `sim:<name>` endpoint (common/sim_link.hpp) for the demo.
// Each link's status replies go back on that link; automatic status back frames caused by a
// fault (paper out, cover open) go to every connected link, as each would see them on hardware.
// One thread, poll() over every descriptor and a wake-up pipe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "virtual_printer.hpp"

namespace kiosk::drivers {
class PtyPair;
}

namespace kiosk::printersim {

struct SimServerOptions {
    bool pty = true;
    std::string pty_link;  // optional stable symlink to the pty slave
    bool tcp = true;
    std::uint16_t tcp_port = 0;  // 0: ephemeral
    std::string sim_name;        // non-empty: also register sim:<name>
};

class PrinterSimServer {
  public:
    PrinterSimServer(VirtualPrinter& printer, SimServerOptions options);
    ~PrinterSimServer();
    PrinterSimServer(const PrinterSimServer&) = delete;
    PrinterSimServer& operator=(const PrinterSimServer&) = delete;

    bool start(std::string* error = nullptr);
    void stop();

    std::string pty_path() const;  // the path a driver opens (the link if set)
    std::uint16_t tcp_port() const { return port_; }

    // Fault controls that also broadcast the automatic status back frame.
    void set_paper(escpos::PaperLevel level);
    void set_cover_open(bool open);
    void set_cutter_error(bool on);

  private:
    void run();
    void broadcast(const std::vector<std::uint8_t>& bytes);
    void wake();

    VirtualPrinter& printer_;
    SimServerOptions options_;
    std::unique_ptr<drivers::PtyPair> pty_;
    int listen_fd_ = -1;
    std::uint16_t port_ = 0;
    int wake_[2] = {-1, -1};
    std::mutex mutex_;
    std::vector<int> clients_;  // accepted sockets and sim links
    std::vector<std::uint8_t> pending_broadcast_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace kiosk::printersim
