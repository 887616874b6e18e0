// Serial and RS485 transports over termios.
//
// URI: serial:/dev/ttyUSB0?baud=115200&parity=none&data=8&stop=1&flow=none
//      rs485:/dev/ttyS1?baud=9600&rts_on_send=1&rts_after_send=0&delay_before=0&delay_after=0
// Raw mode (no echo, no line editing, no CR/LF translation), CLOCAL|CREAD, exclusive open
// (TIOCEXCL, so a second process cannot interleave bytes), input flushed on open.
// rs485 asks the kernel for RS485 direction control (TIOCSRS485); where the UART driver does not
// support it (ENOTTY/EINVAL, e.g. a pty or most USB bridges, whose adapters switch direction in
// hardware) it logs once and carries on as plain serial.
#pragma once

#include <optional>
#include <string>

#include "common/fd_transport.hpp"

namespace kiosk::drivers {

struct SerialOptions {
    std::string path;
    int baud = 115200;
    char parity = 'N';  // N, E, O
    int data_bits = 8;  // 5..8
    int stop_bits = 1;  // 1, 2
    bool rtscts = false;
    bool exclusive = true;
    // RS485 (scheme rs485)
    bool rs485 = false;
    bool rts_on_send = true;
    bool rts_after_send = false;
    int delay_before_ms = 0;
    int delay_after_ms = 0;
};

// Reads the options from a parsed serial:/rs485: URI; nullopt + error on a bad value.
std::optional<SerialOptions> serial_options_from_uri(const TransportUri& uri, std::string* error);

class SerialTransport final : public FdTransport {
  public:
    explicit SerialTransport(SerialOptions options);
    ~SerialTransport() override;
    TransportError open() override;
    // Clears TIOCEXCL before closing: on a tty that stays open elsewhere (a simulator's pty
    // holds its slave) the flag would otherwise outlive us and make our own reopen fail (EBUSY).
    void close() override;
    const SerialOptions& options() const { return options_; }
    // Whether the kernel accepted RS485 mode at the last open (false for plain serial).
    bool rs485_active() const { return rs485_active_; }

  private:
    SerialOptions options_;
    bool rs485_active_ = false;
};

}  // namespace kiosk::drivers
