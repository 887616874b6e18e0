// Scanner: the one interface main and the core see for every kind of code scanner, and the factory
// that builds one from a URI.
//
//   evdev:/dev/input/by-id/usb-…-event-kbd?layout=us&terminator=enter&timeout_ms=60
//       HID keyboard-wedge scanner, grabbed exclusively (EVIOCGRAB) so its keys never reach the UI
//   hidpos:/dev/hidraw3            HID POS barcode scanner (usage page 0x8C) through hidraw
//   serial:/dev/ttyACM0?baud=9600&terminator=cr&timeout_ms=100&aim=0
//       serial / USB CDC scanner (also rs485:, tcp:, sim: transports from drivers/common)
//   camera:/dev/video0?width=1280&height=720&fps=15      V4L2 camera + ZXing
//   camera-files:<file|dir>?loop=1&fps=10&width=1280&height=720&repeat=1  camera simulator
//   camera-raw:<file>?width=1280&height=720&format=i420&loop=1&fps=15      camera simulator
//   inject:<name>                  in-process: scenarios call inject() (see InjectScanner)
//
// Every scanner validates and recognises what it reads (payload.hpp) and pushes ScanEvents into
// the shared ScanQueue, which the core drains once per frame (never blocking on a device).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/device_status.hpp"
#include "common/event_queue.hpp"
#include "scanner/payload.hpp"
#include "scanner/scan_event.hpp"

namespace kiosk::scanner {

using ScanQueue = drivers::EventQueue<ScanEvent>;

// What every scanner needs besides its URI.
struct ScannerContext {
    std::shared_ptr<ScanQueue> queue;  // required
    PayloadConfig payload;
    ValidationLimits limits;
};

class CameraScanner;

class Scanner {
  public:
    virtual ~Scanner() = default;
    virtual void
    start() = 0;              // starts its worker; the device opens (and reopens) in the background
    virtual void stop() = 0;  // joins the worker and releases the device (also the grab)
    virtual drivers::DeviceStatus status() const = 0;
    virtual std::string describe() const = 0;  // the URI, for logs (no scanned data)
    virtual ScanSource source() const = 0;
    // Scanning wanted or not. The camera closes the device while inactive (its light goes off and
    // no CPU is spent); other kinds keep reading but drop scans while inactive, so a code scanned
    // on a screen that does not expect one never reaches a later screen.
    virtual void set_active(bool active) = 0;
    // The camera scanner (for the UI's preview), or nullptr.
    virtual CameraScanner* camera() { return nullptr; }
};

// Builds (does not start) a scanner from its URI; nullptr + error for an unknown scheme or a bad
// option. Scanners start active.
std::unique_ptr<Scanner> make_scanner(std::string_view uri, const ScannerContext& context,
                                      std::string* error = nullptr);

}  // namespace kiosk::scanner
