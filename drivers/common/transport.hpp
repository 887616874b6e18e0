// Transport: the one small interface every device talks through.
//
// A device never knows which link carries its bytes. The link is chosen by a URI in the
// configuration (see docs/ARCHITECTURE.md, "Transports"):
//   serial:/dev/ttyUSB0?baud=115200&parity=none      termios serial
//   rs485:/dev/ttyS1?baud=9600                      serial with the kernel's RS485 mode
//   usb:0400:c35a[?path=1-1.2]                      USB bulk via libusb
//   hidraw:/dev/hidraw0                             Linux hidraw
//   tcp:127.0.0.1:9100                              raw TCP (printers, RS485 gateways)
//   sim:idcard                                      an in-process simulator link
//
// Reads take a timeout; a vanished device is an error (TransportError::Gone), never a hang.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::drivers {

enum class TransportError {
    None,
    Timeout,  // nothing arrived within the timeout (not an error for polling reads)
    Gone,     // the device vanished (unplugged, EOF, ENODEV, EIO)
    Io,       // any other OS-level failure
    NotOpen,
    BadUri,
};

const char* to_string(TransportError e);

struct IoResult {
    TransportError error = TransportError::None;
    std::size_t bytes = 0;
    bool ok() const { return error == TransportError::None; }
};

class Transport {
  public:
    virtual ~Transport() = default;
    virtual TransportError open() = 0;
    virtual void close() = 0;
    virtual bool is_open() const = 0;
    // Writes every byte or fails.
    virtual IoResult write(std::span<const std::uint8_t> bytes) = 0;
    // Reads what is available, waiting at most `timeout` for the first byte.
    virtual IoResult read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) = 0;
    // Like read(), but also returns (with TransportError::Timeout and no bytes) as soon as the
    // eventfd `wake_fd` becomes readable: an idle device waits for bytes *or* a queued command
    // without waking on a timer. Transports that cannot wait on two things return false from
    // can_wake() and the caller keeps its reads short instead.
    virtual IoResult read_or_wake(std::span<std::uint8_t> into, std::chrono::milliseconds timeout,
                                  int /*wake_fd*/) {
        return read(into, timeout);
    }
    virtual bool can_wake() const { return false; }
    // Discards pending input.
    virtual void flush() = 0;
    // The URI it was made from, for logs and diagnostics (never contains personal data).
    virtual std::string describe() const = 0;
};

// Parsed form of a transport URI.
struct TransportUri {
    std::string scheme;                                      // serial, rs485, usb, hidraw, tcp, sim
    std::string target;                                      // path, host:port, vid:pid, sim name
    std::vector<std::pair<std::string, std::string>> query;  // ?k=v&k=v
    std::string get(std::string_view key, std::string_view fallback = {}) const;
};

// Returns false (and leaves `out` unspecified) on a malformed URI.
bool parse_transport_uri(std::string_view uri, TransportUri& out);

// Builds the transport a URI names (not yet opened). Returns nullptr and fills `error` (when
// given) for an unknown scheme or bad options. Schemes: serial, rs485, tcp, usb, hidraw, sim.
std::unique_ptr<Transport> make_transport(const TransportUri& uri, std::string* error = nullptr);
std::unique_ptr<Transport> make_transport(std::string_view uri, std::string* error = nullptr);

}  // namespace kiosk::drivers
