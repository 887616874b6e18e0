// The in-process simulator link: URI `sim:<name>`.
//
// A simulator running in the same process registers an endpoint under a name. Opening
// `sim:<name>` creates a fresh AF_UNIX socketpair, hands one end to the simulator and keeps the
// other; from then on bytes flow exactly as over a serial line (same FdTransport rules: the
// simulator closing its end is an unplug → Gone). No endpoint registered → open() reports Gone,
// like an absent device. The demo uses this so it needs no pty and no hardware.
#pragma once

#include <functional>
#include <string>

#include "common/fd_transport.hpp"

namespace kiosk::drivers {

// Called on the opening thread with the simulator's end of the new link (ownership passes to the
// callee, which must close it eventually). Return false to refuse the connection; the opener then
// closes the fd itself.
using SimAcceptor = std::function<bool(int fd)>;

void register_sim_endpoint(const std::string& name, SimAcceptor acceptor);
void unregister_sim_endpoint(const std::string& name);

class SimTransport final : public FdTransport {
  public:
    explicit SimTransport(std::string name);
    TransportError open() override;

  private:
    std::string name_;
};

// Wraps a descriptor the caller already has (the simulator's end of a sim link, a socket from an
// accept()) in the common poll()-based I/O. open() only reports whether the fd is still held.
class AdoptedFdTransport final : public FdTransport {
  public:
    AdoptedFdTransport(int fd, bool is_socket, std::string description);
    TransportError open() override {
        return is_open() ? TransportError::None : TransportError::Gone;
    }
};

}  // namespace kiosk::drivers
