// FdTransport: poll()-based I/O over a non-blocking descriptor (see fd_transport.hpp).
#include "common/fd_transport.hpp"

#include <cerrno>
#include <poll.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

namespace kiosk::drivers {

TransportError transport_error_from_errno(int err) {
    switch (err) {
        case EIO:
        case ENODEV:
        case ENXIO:
        case ENOENT:
        case ECONNRESET:
        case ECONNREFUSED:
        case EHOSTUNREACH:
        case ENETUNREACH:
        case ENOTCONN:
        case EPIPE:
        case ESHUTDOWN:
            return TransportError::Gone;
        case ETIMEDOUT:
            return TransportError::Timeout;
        default:
            return TransportError::Io;
    }
}

FdTransport::~FdTransport() {
    FdTransport::close();
}

void FdTransport::adopt(int fd, bool is_socket) {
    close();
    fd_ = fd;
    is_socket_ = is_socket;
}

void FdTransport::close() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

IoResult FdTransport::write(std::span<const std::uint8_t> bytes) {
    if (fd_ < 0) return {TransportError::NotOpen, 0};
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = is_socket_ ? ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL)
                               : ::write(fd_, bytes.data() + done, bytes.size() - done);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            return {transport_error_from_errno(errno), done};
        }
        pollfd p{fd_, POLLOUT, 0};
        int r = ::poll(&p, 1, static_cast<int>(write_timeout_.count()));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return {TransportError::Io, done};
        if (r == 0) return {TransportError::Timeout, done};
        if ((p.revents & (POLLHUP | POLLERR | POLLNVAL)) && !(p.revents & POLLOUT)) {
            return {TransportError::Gone, done};
        }
    }
    return {TransportError::None, done};
}

IoResult FdTransport::read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) {
    return read_or_wake(into, timeout, -1);
}

IoResult FdTransport::read_or_wake(std::span<std::uint8_t> into, std::chrono::milliseconds timeout,
                                   int wake_fd) {
    if (fd_ < 0) return {TransportError::NotOpen, 0};
    if (into.empty()) return {TransportError::None, 0};
    for (;;) {
        pollfd p[2] = {{fd_, POLLIN, 0}, {wake_fd, POLLIN, 0}};
        int ms = timeout.count() < 0 ? 0 : static_cast<int>(timeout.count());
        int r = ::poll(p, wake_fd >= 0 ? 2 : 1, ms);
        if (r < 0 && errno == EINTR) continue;  // a signal: retry (timeout restarts; bounded use)
        if (r < 0) return {TransportError::Io, 0};
        if (r == 0) return {TransportError::Timeout, 0};
        if (p[0].revents & POLLNVAL) return {TransportError::Gone, 0};
        if (p[0].revents & POLLIN) {
            ssize_t n = ::read(fd_, into.data(), into.size());
            if (n > 0) return {TransportError::None, static_cast<std::size_t>(n)};
            if (n == 0) return {TransportError::Gone, 0};  // EOF: peer closed / hung up
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
            return {transport_error_from_errno(errno), 0};
        }
        if (p[0].revents & (POLLHUP | POLLERR)) return {TransportError::Gone, 0};
        // Woken: the caller has something else to do (it drains the eventfd itself).
        if (wake_fd >= 0 && (p[1].revents & POLLIN)) return {TransportError::Timeout, 0};
    }
}

void FdTransport::flush() {
    if (fd_ < 0) return;
    if (!is_socket_ && ::tcflush(fd_, TCIFLUSH) == 0) return;
    // Not a tty (socket, hidraw): drain whatever is already queued, without waiting.
    std::uint8_t buf[512];
    for (int i = 0; i < 64; ++i) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN)) break;
        if (::read(fd_, buf, sizeof buf) <= 0) break;
    }
}

}  // namespace kiosk::drivers
