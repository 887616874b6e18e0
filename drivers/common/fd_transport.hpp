// FdTransport: the poll()-based read/write shared by every file-descriptor transport (serial,
// rs485, tcp, hidraw, the simulator link).
//
// Why one base: the "vanished device" rules must be the same everywhere. POLLHUP/POLLERR/POLLNVAL,
// EOF, EIO, ENODEV, ENXIO, ECONNRESET and EPIPE all mean TransportError::Gone, so a device layer
// above reacts to an unplugged USB-serial bridge and a closed socket alike, and never hangs.
#pragma once

#include <string>

#include "common/transport.hpp"

namespace kiosk::drivers {

class FdTransport : public Transport {
  public:
    ~FdTransport() override;
    FdTransport(const FdTransport&) = delete;
    FdTransport& operator=(const FdTransport&) = delete;

    void close() override;
    bool is_open() const override { return fd_ >= 0; }
    IoResult write(std::span<const std::uint8_t> bytes) override;
    IoResult read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) override;
    IoResult read_or_wake(std::span<std::uint8_t> into, std::chrono::milliseconds timeout,
                          int wake_fd) override;
    bool can_wake() const override { return true; }
    void flush() override;
    std::string describe() const override { return description_; }

    // How long a write may wait for the OS to accept bytes before it reports Timeout.
    void set_write_timeout(std::chrono::milliseconds t) { write_timeout_ = t; }
    int fd() const { return fd_; }

  protected:
    explicit FdTransport(std::string description) : description_(std::move(description)) {}
    // Takes ownership of an open, non-blocking descriptor.
    void adopt(int fd, bool is_socket);

  private:
    int fd_ = -1;
    bool is_socket_ = false;
    std::string description_;
    std::chrono::milliseconds write_timeout_{2000};
};

// errno → TransportError, with the "device vanished" family mapped to Gone.
TransportError transport_error_from_errno(int err);

}  // namespace kiosk::drivers
