// The in-process simulator link (see sim_link.hpp).
#include "common/sim_link.hpp"

#include <map>
#include <mutex>
#include <sys/socket.h>
#include <unistd.h>

namespace kiosk::drivers {
namespace {

std::mutex& registry_mutex() {
    static std::mutex m;
    return m;
}
std::map<std::string, SimAcceptor>& registry() {
    static std::map<std::string, SimAcceptor> r;
    return r;
}

}  // namespace

void register_sim_endpoint(const std::string& name, SimAcceptor acceptor) {
    std::lock_guard lock(registry_mutex());
    registry()[name] = std::move(acceptor);
}

void unregister_sim_endpoint(const std::string& name) {
    std::lock_guard lock(registry_mutex());
    registry().erase(name);
}

SimTransport::SimTransport(std::string name) : FdTransport("sim:" + name), name_(std::move(name)) {}

TransportError SimTransport::open() {
    close();
    SimAcceptor acceptor;
    {
        std::lock_guard lock(registry_mutex());
        auto it = registry().find(name_);
        if (it == registry().end()) return TransportError::Gone;
        acceptor = it->second;  // copied: the simulator may unregister while we connect
    }
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0)
        return TransportError::Io;
    if (!acceptor(fds[1])) {
        ::close(fds[0]);
        ::close(fds[1]);
        return TransportError::Gone;
    }
    adopt(fds[0], true);
    return TransportError::None;
}

AdoptedFdTransport::AdoptedFdTransport(int fd, bool is_socket, std::string description)
    : FdTransport(std::move(description)) {
    if (fd >= 0) adopt(fd, is_socket);
}

}  // namespace kiosk::drivers
