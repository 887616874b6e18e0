// Raw TCP transport (see tcp.hpp).
#include "common/tcp.hpp"

#include <cerrno>
#include <charconv>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace kiosk::drivers {

std::optional<TcpOptions> tcp_options_from_uri(const TransportUri& uri, std::string* error) {
    auto fail = [&](std::string msg) -> std::optional<TcpOptions> {
        if (error) *error = std::move(msg);
        return std::nullopt;
    };
    TcpOptions o;
    std::string_view t = uri.target;
    std::string_view host, port;
    if (!t.empty() && t.front() == '[') {
        auto close = t.find(']');
        if (close == std::string_view::npos || close + 1 >= t.size() || t[close + 1] != ':')
            return fail("bad tcp target");
        host = t.substr(1, close - 1);
        port = t.substr(close + 2);
    } else {
        auto colon = t.rfind(':');
        if (colon == std::string_view::npos) return fail("tcp target needs host:port");
        host = t.substr(0, colon);
        port = t.substr(colon + 1);
    }
    unsigned p = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (host.empty() || ec != std::errc{} || end != port.data() + port.size() || p == 0 ||
        p > 65535)
        return fail("bad tcp host or port");
    o.host = std::string(host);
    o.port = static_cast<std::uint16_t>(p);
    std::string ct = uri.get("connect_timeout");
    if (!ct.empty()) {
        int ms = 0;
        auto [e2, ec2] = std::from_chars(ct.data(), ct.data() + ct.size(), ms);
        if (ec2 != std::errc{} || e2 != ct.data() + ct.size() || ms <= 0 || ms > 60000)
            return fail("bad connect_timeout");
        o.connect_timeout = std::chrono::milliseconds(ms);
    }
    return o;
}

TcpTransport::TcpTransport(TcpOptions options)
    : FdTransport("tcp:" + options.host + ":" + std::to_string(options.port)),
      options_(std::move(options)) {}

TransportError TcpTransport::open() {
    close();
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    std::string port = std::to_string(options_.port);
    if (::getaddrinfo(options_.host.c_str(), port.c_str(), &hints, &res) != 0 || !res) {
        return TransportError::Gone;  // name not resolvable now: treat like an absent device
    }
    TransportError last = TransportError::Gone;
    for (addrinfo* ai = res; ai; ai = ai->ai_next) {
        int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                          ai->ai_protocol);
        if (fd < 0) {
            last = TransportError::Io;
            continue;
        }
        int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            pollfd p{fd, POLLOUT, 0};
            int r;
            do {
                r = ::poll(&p, 1, static_cast<int>(options_.connect_timeout.count()));
            } while (r < 0 && errno == EINTR);
            if (r == 0) {
                ::close(fd);
                last = TransportError::Timeout;
                continue;
            }
            int soerr = 0;
            socklen_t len = sizeof soerr;
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
            rc = soerr == 0 ? 0 : -1;
            errno = soerr;
        }
        if (rc != 0) {
            last = transport_error_from_errno(errno);
            ::close(fd);
            continue;
        }
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
        adopt(fd, true);
        ::freeaddrinfo(res);
        return TransportError::None;
    }
    ::freeaddrinfo(res);
    return last;
}

}  // namespace kiosk::drivers
