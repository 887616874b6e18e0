// Locker simulator server: pty and TCP gateway front ends (see sim_server.hpp).
#include "sim_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <deque>
#include <map>

namespace kiosk::locker::sim {
namespace {

using Clock = std::chrono::steady_clock;

void write_all(int fd, const std::vector<std::uint8_t>& b) {
    std::size_t off = 0;
    for (int spins = 0; off < b.size() && spins < 1000; ++spins) {
        const ssize_t n = ::write(fd, b.data() + off, b.size() - off);
        if (n > 0) {
            off += static_cast<std::size_t>(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            pollfd p{fd, POLLOUT, 0};
            ::poll(&p, 1, 10);
        } else {
            return;  // the peer is gone; the read side will notice
        }
    }
}

}  // namespace

SimServer::SimServer(LockerSim& sim) : sim_(sim) {
    if (::pipe2(wake_, O_NONBLOCK | O_CLOEXEC) != 0) wake_[0] = wake_[1] = -1;
    // Door reports the boards send on their own: wake the loop to write them out.
    const int w = wake_[1];
    sim_.set_poke([w] {
        if (w < 0) return;
        const char c = 'u';
        [[maybe_unused]] auto n = ::write(w, &c, 1);
    });
}

SimServer::~SimServer() {
    sim_.set_poke(nullptr);
    stop();
    if (listen_fd_ >= 0) ::close(listen_fd_);
    if (wake_[0] >= 0) ::close(wake_[0]);
    if (wake_[1] >= 0) ::close(wake_[1]);
}

std::string SimServer::open_pty(const std::string& link_path) {
    pty_ = std::make_unique<drivers::PtyPair>(link_path);
    if (pty_->open() != drivers::TransportError::None) {
        pty_.reset();
        return {};
    }
    return pty_->device_path();
}

std::uint16_t SimServer::listen_tcp(std::uint16_t port) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (listen_fd_ < 0) return 0;
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(listen_fd_, 8) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        ::close(listen_fd_);
        listen_fd_ = -1;
        return 0;
    }
    return ntohs(a.sin_port);
}

void SimServer::start() {
    if (running_.exchange(true)) return;
    thread_ = std::thread([this] { run(); });
}

void SimServer::stop() {
    if (!running_.exchange(false)) return;
    if (wake_[1] >= 0) {
        const char c = 'q';
        [[maybe_unused]] auto n = ::write(wake_[1], &c, 1);
    }
    if (thread_.joinable()) thread_.join();
}

void SimServer::drop_clients() {
    drop_ = true;
    if (wake_[1] >= 0) {
        const char c = 'd';
        [[maybe_unused]] auto n = ::write(wake_[1], &c, 1);
    }
}

void SimServer::run() {
    constexpr int kPtyConn = 0;
    std::map<int, int> clients;  // fd → connection id
    int next_conn = 1;
    struct Pending {
        Clock::time_point due;
        int fd;
        std::vector<std::uint8_t> bytes;
    };
    std::deque<Pending> pending;
    std::array<std::uint8_t, 512> buf{};
    const auto delay = sim_.config().reply_delay;

    while (running_) {
        if (drop_.exchange(false)) {
            for (auto& [fd, conn] : clients) {
                sim_.drop_connection(conn);
                ::close(fd);
            }
            clients.clear();
            pending.clear();
        }
        std::vector<pollfd> fds;
        if (wake_[0] >= 0) fds.push_back({wake_[0], POLLIN, 0});
        if (pty_) fds.push_back({pty_->fd(), POLLIN, 0});
        if (listen_fd_ >= 0) fds.push_back({listen_fd_, POLLIN, 0});
        for (auto& [fd, conn] : clients) fds.push_back({fd, POLLIN, 0});

        auto now = Clock::now();
        auto next = sim_.tick(now);
        if (!pending.empty() && (!next || pending.front().due < *next)) next = pending.front().due;
        // Sleep until bytes arrive, stop()/drop() write the wake pipe, or the next timed event
        // (a door that closes by itself, a half frame's silence gap): every timer is set while
        // handling bytes, so nothing else can be due. An idle wall costs nothing.
        int timeout = wake_[0] >= 0 ? -1 : 50;  // no wake pipe: look at stop() now and then
        if (next) {
            const auto ms =
                std::chrono::duration_cast<std::chrono::milliseconds>(*next - now).count();
            timeout = static_cast<int>(std::clamp<long long>(ms + 1, 0, 60'000));
        }
        ::poll(fds.data(), fds.size(), timeout);

        now = Clock::now();
        while (!pending.empty() && pending.front().due <= now) {
            write_all(pending.front().fd, pending.front().bytes);
            pending.pop_front();
        }
        auto reply = [&](int fd, std::vector<std::uint8_t> out) {
            if (out.empty()) return;
            if (delay.count() == 0)
                write_all(fd, out);
            else
                pending.push_back({Clock::now() + delay, fd, std::move(out)});
        };
        // Unsolicited bytes (81 door reports) go to every link, as on a shared RS485 line.
        if (auto u = sim_.take_unsolicited(); !u.empty()) {
            if (pty_) reply(pty_->fd(), u);
            for (auto& [fd, conn] : clients) reply(fd, u);
        }
        for (const auto& p : fds) {
            if (!p.revents) continue;
            if (p.fd == wake_[0]) {
                char c[16];
                while (::read(wake_[0], c, sizeof c) > 0) {
                }
            } else if (pty_ && p.fd == pty_->fd()) {
                const ssize_t n = ::read(p.fd, buf.data(), buf.size());
                if (n > 0)
                    reply(p.fd, sim_.on_bytes(kPtyConn, {buf.data(), static_cast<std::size_t>(n)}));
            } else if (p.fd == listen_fd_) {
                const int c = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (c >= 0) {
                    int one = 1;
                    ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    clients[c] = next_conn++;
                }
            } else if (auto it = clients.find(p.fd); it != clients.end()) {
                const ssize_t n = ::read(p.fd, buf.data(), buf.size());
                if (n > 0) {
                    reply(p.fd,
                          sim_.on_bytes(it->second, {buf.data(), static_cast<std::size_t>(n)}));
                } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                    sim_.drop_connection(it->second);
                    std::erase_if(pending, [&](const Pending& x) { return x.fd == p.fd; });
                    ::close(p.fd);
                    clients.erase(it);
                }
            }
        }
    }
    for (auto& [fd, conn] : clients) ::close(fd);
}

}  // namespace kiosk::locker::sim
