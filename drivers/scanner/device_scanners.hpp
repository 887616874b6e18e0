// The non-camera scanners: keyboard wedge (evdev), serial/CDC, HID POS (hidraw), and the
// in-process injector for scenarios. Normally built by make_scanner() from a URI (scanner.hpp).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "common/device.hpp"
#include "common/fd_transport.hpp"
#include "scanner/framing.hpp"
#include "scanner/keymap.hpp"
#include "scanner/scanner.hpp"

namespace kiosk::scanner {

// [SECTION] Keyboard wedge

// An evdev node opened non-blocking and grabbed (EVIOCGRAB): while grabbed, the kernel delivers
// the scanner's keys to this descriptor only, so scanned text never reaches the UI (or a console)
// as typing. Closing releases the grab. Open fails with Io if the grab is refused (EBUSY: another
// process holds it) or the node is not an evdev device (ENOTTY).
class EvdevTransport final : public drivers::FdTransport {
  public:
    explicit EvdevTransport(std::string path);
    drivers::TransportError open() override;
    void close() override;
    const std::string& error() const { return error_; }

  private:
    std::string path_;
    std::string error_;
};

// Reads struct input_event records from its transport (EvdevTransport, or a simulator link for
// `evdev-sim:<name>`), decodes EV_KEY events with KeymapDecoder and pushes ScanEvents.
class EvdevScanner final : public Scanner {
  public:
    EvdevScanner(std::unique_ptr<drivers::Transport> transport, KeymapOptions keymap,
                 ScannerContext context, std::string name);
    ~EvdevScanner() override;
    void start() override;
    void stop() override;
    drivers::DeviceStatus status() const override { return status_.load(); }
    std::string describe() const override { return name_; }
    ScanSource source() const override { return ScanSource::KeyboardWedge; }
    void set_active(bool active) override { active_ = active; }

  private:
    void run();
    void emit(std::vector<std::uint8_t> bytes);
    std::unique_ptr<drivers::Transport> transport_;
    KeymapOptions keymap_;
    ScannerContext ctx_;
    std::string name_;
    std::atomic<drivers::DeviceStatus> status_{drivers::DeviceStatus::Starting};
    std::atomic<bool> active_{true};
    std::atomic<bool> stop_{false};
    std::thread worker_;
};

// [SECTION] Serial and HID POS (drivers::Device workers over drivers/common transports)

class StreamScannerDevice;

// Serial / CDC-ACM / TCP / sim-link scanner: bytes framed by SerialFramer.
// HID POS scanner: hidraw reports assembled by HidPosAssembler.
class DeviceScanner final : public Scanner {
  public:
    enum class Kind { Serial, HidPos };
    DeviceScanner(Kind kind, std::string transport_uri, SerialFramerOptions framing,
                  HidPosProfile profile, ScannerContext context, std::string name);
    ~DeviceScanner() override;
    void start() override;
    void stop() override;
    drivers::DeviceStatus status() const override;
    std::string describe() const override { return name_; }
    ScanSource source() const override;
    void set_active(bool active) override;
    // Scans dropped because the scanner was inactive.
    std::size_t dropped() const;

  private:
    std::shared_ptr<StreamScannerDevice> device_;
    std::string name_;
};

// [SECTION] In-process injection

// `inject:<name>`: no device; a scenario or the demo calls inject() and the text goes through the
// same validation and recognition as a real scan.
class InjectScanner final : public Scanner {
  public:
    InjectScanner(ScannerContext context, std::string name);
    void start() override { started_ = true; }
    void stop() override { started_ = false; }
    drivers::DeviceStatus status() const override {
        return started_ ? drivers::DeviceStatus::Online : drivers::DeviceStatus::Offline;
    }
    std::string describe() const override { return name_; }
    ScanSource source() const override { return ScanSource::Injected; }
    void set_active(bool active) override { active_ = active; }
    // False if the scanner is stopped or inactive (the scan is dropped, as a real one would be).
    bool inject(std::string_view bytes, Symbology symbology = Symbology::QrCode);

  private:
    ScannerContext ctx_;
    std::string name_;
    std::atomic<bool> started_{false};
    std::atomic<bool> active_{true};
};

}  // namespace kiosk::scanner
