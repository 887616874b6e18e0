// PrinterSimServer (see sim_server.hpp).
#include "sim_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "common/pty.hpp"
#include "common/sim_link.hpp"
#include "base/log.hpp"

namespace kiosk::printersim {

namespace {

void set_nonblocking(int fd) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

// Writes all of `b` to a non-blocking fd, waiting briefly when the peer is slow.
void write_all(int fd, const std::vector<std::uint8_t>& b) {
    std::size_t off = 0;
    int spins = 0;
    while (off < b.size() && spins < 100) {
        const ssize_t n = ::send(fd, b.data() + off, b.size() - off, MSG_NOSIGNAL);
        if (n > 0) {
            off += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == ENOTSOCK) {
            const ssize_t w = ::write(fd, b.data() + off, b.size() - off);
            if (w > 0) {
                off += static_cast<std::size_t>(w);
                continue;
            }
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOTSOCK) return;
        pollfd p{fd, POLLOUT, 0};
        ::poll(&p, 1, 10);
        ++spins;
    }
}

}  // namespace

PrinterSimServer::PrinterSimServer(VirtualPrinter& printer, SimServerOptions options)
    : printer_(printer), options_(std::move(options)) {}

PrinterSimServer::~PrinterSimServer() {
    stop();
}

std::string PrinterSimServer::pty_path() const {
    return pty_ ? pty_->device_path() : std::string{};
}

bool PrinterSimServer::start(std::string* error) {
    if (::pipe2(wake_, O_NONBLOCK | O_CLOEXEC) != 0) {
        if (error) *error = "pipe failed";
        return false;
    }
    if (options_.pty) {
        pty_ = std::make_unique<drivers::PtyPair>(options_.pty_link);
        if (pty_->open() != drivers::TransportError::None) {
            if (error) *error = "pty: " + pty_->error();
            return false;
        }
    }
    if (options_.tcp) {
        listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        int one = 1;
        ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(options_.tcp_port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
            ::listen(listen_fd_, 8) != 0 ||
            ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
            if (error) *error = "tcp listen on 127.0.0.1 failed";
            return false;
        }
        port_ = ntohs(a.sin_port);
    }
    if (!options_.sim_name.empty()) {
        drivers::register_sim_endpoint(options_.sim_name, [this](int fd) {
            set_nonblocking(fd);
            {
                std::lock_guard lock(mutex_);
                clients_.push_back(fd);
            }
            wake();
            return true;
        });
    }
    thread_ = std::thread([this] { run(); });
    return true;
}

void PrinterSimServer::stop() {
    if (!options_.sim_name.empty()) drivers::unregister_sim_endpoint(options_.sim_name);
    stopping_ = true;
    wake();
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mutex_);
    for (int fd : clients_) ::close(fd);
    clients_.clear();
    if (listen_fd_ >= 0) ::close(listen_fd_);
    listen_fd_ = -1;
    if (pty_) pty_->close();
    for (int& fd : wake_) {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
}

void PrinterSimServer::wake() {
    if (wake_[1] >= 0) {
        const char c = 1;
        [[maybe_unused]] auto n = ::write(wake_[1], &c, 1);
    }
}

void PrinterSimServer::broadcast(const std::vector<std::uint8_t>& bytes) {
    if (bytes.empty()) return;
    {
        std::lock_guard lock(mutex_);
        pending_broadcast_.insert(pending_broadcast_.end(), bytes.begin(), bytes.end());
    }
    wake();
}

void PrinterSimServer::set_paper(escpos::PaperLevel level) {
    broadcast(printer_.set_paper(level));
}
void PrinterSimServer::set_cover_open(bool open) {
    broadcast(printer_.set_cover_open(open));
}
void PrinterSimServer::set_cutter_error(bool on) {
    broadcast(printer_.set_cutter_error(on));
}

void PrinterSimServer::run() {
    std::vector<std::uint8_t> buf(16384);
    while (!stopping_) {
        std::vector<pollfd> fds;
        fds.push_back({wake_[0], POLLIN, 0});
        const int pty_fd = pty_ ? pty_->fd() : -1;
        if (pty_fd >= 0) fds.push_back({pty_fd, POLLIN, 0});
        if (listen_fd_ >= 0) fds.push_back({listen_fd_, POLLIN, 0});
        std::vector<int> clients;
        std::vector<std::uint8_t> out;
        {
            std::lock_guard lock(mutex_);
            clients = clients_;
            out.swap(pending_broadcast_);
        }
        if (!out.empty()) {
            if (pty_fd >= 0) write_all(pty_fd, out);
            for (int fd : clients) write_all(fd, out);
        }
        for (int fd : clients) fds.push_back({fd, POLLIN, 0});
        // Until bytes arrive or wake() (stop, a status change to broadcast): no timer here.
        if (::poll(fds.data(), fds.size(), wake_[0] >= 0 ? -1 : 200) <= 0) continue;
        for (const auto& p : fds) {
            if (p.revents == 0) continue;
            if (p.fd == wake_[0]) {
                char drain[64];
                while (::read(wake_[0], drain, sizeof drain) > 0) {
                }
                continue;
            }
            if (p.fd == listen_fd_) {
                const int c = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (c >= 0) {
                    std::lock_guard lock(mutex_);
                    clients_.push_back(c);
                }
                continue;
            }
            const ssize_t n = ::read(p.fd, buf.data(), buf.size());
            if (n > 0) {
                const auto reply =
                    printer_.feed(std::span(buf.data(), static_cast<std::size_t>(n)));
                if (!reply.empty()) write_all(p.fd, reply);
            } else if (p.fd != pty_fd && (n == 0 || (errno != EAGAIN && errno != EINTR))) {
                std::lock_guard lock(mutex_);
                std::erase(clients_, p.fd);
                ::close(p.fd);
            }
        }
    }
}

}  // namespace kiosk::printersim
