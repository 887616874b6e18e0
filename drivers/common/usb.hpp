// USB bulk transport via libusb: URI usb:VID:PID[?path=BUS-PORT.PORT&interface=N]
//
// Finds the device by vendor/product id (hex) and, with several identical readers, by its
// physical bus path (as in /sys/bus/usb/devices, e.g. 1-1.2) so each reader is bound to a port.
// Endpoints come from the active configuration's descriptors: the first interface (or the one
// named) that has a bulk IN and a bulk OUT endpoint; the kernel driver is detached for the claim
// and reattached on close. Reads go through a buffer so a full-speed packet larger than the
// caller's span is never truncated.
// split=N: for firmware that takes one frame over two OUT endpoints (the SAM reference mentions
// preamble+length on one, body on the other), the first N bytes of every write go to the first
// bulk OUT endpoint and the rest to the second (e.g. split=7 for SAM frames).
// Not done: interrupt endpoints; hot-plug callbacks (the device manager's reopen-with-backoff
// covers unplug/replug instead).
// Not testable without hardware here: tests cover URI parsing and the open-failure paths.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/transport.hpp"

struct libusb_context;
struct libusb_device_handle;

namespace kiosk::drivers {

struct UsbOptions {
    std::uint16_t vid = 0;
    std::uint16_t pid = 0;
    std::string path;    // empty: the first match
    int interface = -1;  // -1: the first interface with bulk IN + OUT
    int split = 0;       // >0: bytes [0, split) to the first OUT endpoint, the rest to a second
    std::chrono::milliseconds write_timeout{2000};
};

std::optional<UsbOptions> usb_options_from_uri(const TransportUri& uri, std::string* error);

class UsbTransport final : public Transport {
  public:
    explicit UsbTransport(UsbOptions options);
    ~UsbTransport() override;
    UsbTransport(const UsbTransport&) = delete;
    UsbTransport& operator=(const UsbTransport&) = delete;

    TransportError open() override;
    void close() override;
    bool is_open() const override { return handle_ != nullptr; }
    IoResult write(std::span<const std::uint8_t> bytes) override;
    IoResult read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) override;
    void flush() override;
    std::string describe() const override;

  private:
    IoResult bulk_out(std::uint8_t ep, std::span<const std::uint8_t> bytes);

    UsbOptions options_;
    libusb_context* ctx_ = nullptr;
    libusb_device_handle* handle_ = nullptr;
    int claimed_interface_ = -1;
    std::uint8_t ep_in_ = 0;
    std::uint8_t ep_out_ = 0;
    std::uint8_t ep_out2_ = 0;           // second bulk OUT endpoint (only used with split)
    std::vector<std::uint8_t> pending_;  // bytes of the last IN transfer not yet handed out
    std::size_t pending_pos_ = 0;
};

}  // namespace kiosk::drivers
