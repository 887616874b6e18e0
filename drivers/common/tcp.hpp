// Raw TCP transport (network printers on 9100, RS485/serial-over-IP gateways).
//
// URI: tcp:host:port?connect_timeout=3000   ([v6addr]:port also accepted)
// Non-blocking connect bounded by connect_timeout (ms); TCP_NODELAY so short command frames are
// not held back by Nagle; SO_KEEPALIVE so a dead peer is eventually noticed even when idle.
#pragma once

#include <optional>
#include <string>

#include "common/fd_transport.hpp"

namespace kiosk::drivers {

struct TcpOptions {
    std::string host;
    std::uint16_t port = 0;
    std::chrono::milliseconds connect_timeout{3000};
};

std::optional<TcpOptions> tcp_options_from_uri(const TransportUri& uri, std::string* error);

class TcpTransport final : public FdTransport {
  public:
    explicit TcpTransport(TcpOptions options);
    TransportError open() override;

  private:
    TcpOptions options_;
};

}  // namespace kiosk::drivers
