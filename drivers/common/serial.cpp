// Serial / RS485 over termios (see serial.hpp).
#include "common/serial.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <linux/serial.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "base/log.hpp"

namespace kiosk::drivers {
namespace {

std::optional<int> to_int(std::string_view s) {
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

std::optional<speed_t> speed_constant(int baud) {
    switch (baud) {
        case 1200:
            return B1200;
        case 2400:
            return B2400;
        case 4800:
            return B4800;
        case 9600:
            return B9600;
        case 19200:
            return B19200;
        case 38400:
            return B38400;
        case 57600:
            return B57600;
        case 115200:
            return B115200;
        case 230400:
            return B230400;
        case 460800:
            return B460800;
        case 921600:
            return B921600;
        case 1000000:
            return B1000000;
        case 2000000:
            return B2000000;
        default:
            return std::nullopt;
    }
}

bool to_bool(std::string_view s, bool& out) {
    if (s == "1" || s == "true" || s == "yes" || s == "on") return out = true, true;
    if (s == "0" || s == "false" || s == "no" || s == "off") return out = false, true;
    return false;
}

}  // namespace

std::optional<SerialOptions> serial_options_from_uri(const TransportUri& uri, std::string* error) {
    auto fail = [&](std::string msg) -> std::optional<SerialOptions> {
        if (error) *error = std::move(msg);
        return std::nullopt;
    };
    SerialOptions o;
    o.rs485 = uri.scheme == "rs485";
    o.path = uri.target;
    if (o.path.empty() || o.path[0] != '/') return fail("serial path must be absolute");
    for (const auto& [k, v] : uri.query) {
        if (k == "baud") {
            auto b = to_int(v);
            if (!b || !speed_constant(*b)) return fail("unsupported baud rate: " + v);
            o.baud = *b;
        } else if (k == "parity") {
            if (v == "none" || v == "n" || v == "N")
                o.parity = 'N';
            else if (v == "even" || v == "e" || v == "E")
                o.parity = 'E';
            else if (v == "odd" || v == "o" || v == "O")
                o.parity = 'O';
            else
                return fail("bad parity: " + v);
        } else if (k == "data" || k == "databits") {
            auto d = to_int(v);
            if (!d || *d < 5 || *d > 8) return fail("bad data bits: " + v);
            o.data_bits = *d;
        } else if (k == "stop" || k == "stopbits") {
            auto s = to_int(v);
            if (!s || (*s != 1 && *s != 2)) return fail("bad stop bits: " + v);
            o.stop_bits = *s;
        } else if (k == "flow") {
            if (v == "none")
                o.rtscts = false;
            else if (v == "rtscts")
                o.rtscts = true;
            else
                return fail("bad flow control: " + v);
        } else if (k == "exclusive") {
            if (!to_bool(v, o.exclusive)) return fail("bad exclusive: " + v);
        } else if (k == "rts_on_send") {
            if (!to_bool(v, o.rts_on_send)) return fail("bad rts_on_send: " + v);
        } else if (k == "rts_after_send") {
            if (!to_bool(v, o.rts_after_send)) return fail("bad rts_after_send: " + v);
        } else if (k == "delay_before" || k == "delay_after") {
            auto d = to_int(v);
            if (!d || *d < 0 || *d > 1000) return fail("bad " + k + ": " + v);
            (k == "delay_before" ? o.delay_before_ms : o.delay_after_ms) = *d;
        } else {
            // Device-level options (e.g. a reader's "proto=") may share the URI: ignored here.
        }
    }
    return o;
}

SerialTransport::SerialTransport(SerialOptions options)
    : FdTransport((options.rs485 ? "rs485:" : "serial:") + options.path +
                  "?baud=" + std::to_string(options.baud)),
      options_(std::move(options)) {}

SerialTransport::~SerialTransport() {
    SerialTransport::close();
}

void SerialTransport::close() {
    if (is_open() && options_.exclusive) ::ioctl(fd(), TIOCNXCL);
    FdTransport::close();
}

TransportError SerialTransport::open() {
    static auto log = kiosk::log::get("serial");
    close();
    rs485_active_ = false;
    int fd = ::open(options_.path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return transport_error_from_errno(errno);
    adopt(fd, false);

    termios tio{};
    if (::tcgetattr(fd, &tio) != 0) {
        int err = errno;
        close();
        // ENOTTY: the path is not a serial device at all: a configuration error, not unplugged.
        return err == ENOTTY ? TransportError::BadUri : transport_error_from_errno(err);
    }
    ::cfmakeraw(&tio);
    speed_t sp = *speed_constant(options_.baud);  // validated when the options were parsed
    ::cfsetispeed(&tio, sp);
    ::cfsetospeed(&tio, sp);
    tio.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);
    switch (options_.data_bits) {
        case 5:
            tio.c_cflag |= CS5;
            break;
        case 6:
            tio.c_cflag |= CS6;
            break;
        case 7:
            tio.c_cflag |= CS7;
            break;
        default:
            tio.c_cflag |= CS8;
            break;
    }
    if (options_.parity == 'E') tio.c_cflag |= PARENB;
    if (options_.parity == 'O') tio.c_cflag |= PARENB | PARODD;
    if (options_.stop_bits == 2) tio.c_cflag |= CSTOPB;
    if (options_.rtscts) tio.c_cflag |= CRTSCTS;
    tio.c_cflag |= CLOCAL | CREAD;
    tio.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
    tio.c_cc[VMIN] = 0;  // reads never block: poll() does the waiting
    tio.c_cc[VTIME] = 0;
    if (::tcsetattr(fd, TCSANOW, &tio) != 0) {
        int err = errno;
        close();
        return transport_error_from_errno(err);
    }
    if (options_.exclusive) ::ioctl(fd, TIOCEXCL);  // best effort: not every tty supports it

    if (options_.rs485) {
        serial_rs485 rs{};
        rs.flags = SER_RS485_ENABLED;
        if (options_.rts_on_send) rs.flags |= SER_RS485_RTS_ON_SEND;
        if (options_.rts_after_send) rs.flags |= SER_RS485_RTS_AFTER_SEND;
        rs.delay_rts_before_send = static_cast<__u32>(options_.delay_before_ms);
        rs.delay_rts_after_send = static_cast<__u32>(options_.delay_after_ms);
        if (::ioctl(fd, TIOCSRS485, &rs) == 0) {
            rs485_active_ = true;
        } else {
            log->warn(
                "{}: kernel RS485 mode not available ({}); using plain serial "
                "(the adapter must switch direction itself)",
                options_.path, std::strerror(errno));
        }
    }
    ::tcflush(fd, TCIOFLUSH);
    return TransportError::None;
}

}  // namespace kiosk::drivers
