// Wire-level scanner simulators: the same driver code runs against these and against hardware.
//
// SerialScannerSim  a serial/CDC scanner on a pseudo-terminal (driver URI serial:<device_path()>)
//                   or on an in-process sim link (driver URI sim:<name>): each scan is written as
//                   [AIM prefix] + bytes (UTF-8 or GB18030) + suffix, optionally byte by byte.
// EvdevScannerSim   a keyboard-wedge scanner: text → struct input_event key events (with shift,
//                   AltGr and Alt+keypad codes) on a sim link (driver URI evdev-sim:<name>).
// HidPosScannerSim  a HID POS scanner: 64-byte scanned-data reports on a sim link (the driver is
//                   built with DeviceScanner(Kind::HidPos, "sim:<name>", …) in tests).
// Faults: garbage bytes, a scan cut before its suffix, unplug (the link hangs up).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/pty.hpp"
#include "common/sim_link.hpp"
#include "scanner/framing.hpp"
#include "scanner/keymap.hpp"

namespace kiosk::scanner::sim {

// One connection at a time to a sim endpoint (the driver reconnects after an unplug).
class SimEndpoint {
  public:
    explicit SimEndpoint(std::string name);
    ~SimEndpoint();
    SimEndpoint(const SimEndpoint&) = delete;
    SimEndpoint& operator=(const SimEndpoint&) = delete;
    // Waits (bounded) until the driver has opened the link.
    bool wait_connected(std::chrono::milliseconds timeout);
    bool write(std::span<const std::uint8_t> bytes);
    void hang_up();
    const std::string& name() const { return name_; }

  private:
    std::string name_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::unique_ptr<drivers::AdoptedFdTransport> link_;
};

class SerialScannerSim {
  public:
    struct Options {
        std::string suffix = "\r";
        std::string aim;  // e.g. "]Q1" when the scanner is set to send AIM identifiers
        bool gb18030 = false;
        std::chrono::milliseconds byte_delay{0};  // 0: the whole scan in one write
    };
    // On a pseudo-terminal; `link_path` optional stable symlink (see drivers/common/pty.hpp).
    static std::unique_ptr<SerialScannerSim> on_pty(Options options, std::string link_path = {});
    // On the in-process sim link `sim:<name>`.
    static std::unique_ptr<SerialScannerSim> on_sim_link(Options options, std::string name);

    const std::string& device_path() const;                  // pty mode: what the driver opens
    bool wait_connected(std::chrono::milliseconds timeout);  // sim-link mode; pty: always true
    bool scan(std::string_view utf8);
    bool send_raw(std::string_view bytes);
    void unplug();
    bool replug();  // pty: a new pty behind the same link path

  private:
    explicit SerialScannerSim(Options o) : o_(std::move(o)) {}
    bool write(std::string_view bytes);
    Options o_;
    std::unique_ptr<drivers::PtyPair> pty_;
    std::unique_ptr<SimEndpoint> endpoint_;
};

class EvdevScannerSim {
  public:
    EvdevScannerSim(std::string name, KeyLayout layout = KeyLayout::Us,
                    Terminator terminator = Terminator::Enter);
    bool wait_connected(std::chrono::milliseconds timeout) { return ep_.wait_connected(timeout); }
    // Types `utf8` as key events; `key_delay` between events (0: one burst).
    bool type(std::string_view utf8, std::chrono::milliseconds key_delay = {});
    bool send_keys(const std::vector<std::pair<std::uint16_t, std::int32_t>>& keys);
    void unplug() { ep_.hang_up(); }

  private:
    SimEndpoint ep_;
    KeyLayout layout_;
    Terminator terminator_;
};

class HidPosScannerSim {
  public:
    explicit HidPosScannerSim(std::string name, HidPosProfile profile = {});
    bool wait_connected(std::chrono::milliseconds timeout) { return ep_.wait_connected(timeout); }
    bool scan(std::string_view bytes, std::string_view aim = "]Q1");
    bool send_report(std::span<const std::uint8_t> report);

  private:
    SimEndpoint ep_;
    HidPosAssembler codec_;
};

}  // namespace kiosk::scanner::sim
