// PtyPair (see pty.hpp).
#include "common/pty.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace kiosk::drivers {

PtyPair::PtyPair(std::string link_path) : FdTransport("pty"), link_path_(std::move(link_path)) {}

PtyPair::~PtyPair() {
    PtyPair::close();
}

TransportError PtyPair::open() {
    close();
    auto fail = [&](const char* what) {
        error_ = std::string(what) + ": " + std::strerror(errno);
        if (held_slave_ >= 0) ::close(held_slave_), held_slave_ = -1;
        FdTransport::close();
        return TransportError::Io;
    };
    int m = ::posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (m < 0) return fail("posix_openpt");
    adopt(m, false);
    if (::grantpt(m) != 0) return fail("grantpt");
    if (::unlockpt(m) != 0) return fail("unlockpt");
    char name[128];
    if (::ptsname_r(m, name, sizeof name) != 0) return fail("ptsname_r");
    slave_path_ = name;
    held_slave_ = ::open(name, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (held_slave_ < 0) return fail("open slave");
    termios tio{};
    if (::tcgetattr(held_slave_, &tio) != 0) return fail("tcgetattr");
    ::cfmakeraw(&tio);  // no echo, no CR/LF mangling: the simulator's bytes pass unchanged
    tio.c_cc[VMIN] = 0;
    tio.c_cc[VTIME] = 0;
    if (::tcsetattr(held_slave_, TCSANOW, &tio) != 0) return fail("tcsetattr");
    if (!link_path_.empty()) {
        // Atomic re-point: a temporary link renamed over the stable one.
        std::string tmp = link_path_ + ".new";
        ::unlink(tmp.c_str());
        if (::symlink(slave_path_.c_str(), tmp.c_str()) != 0) return fail("symlink");
        if (::rename(tmp.c_str(), link_path_.c_str()) != 0) return fail("rename link");
    }
    error_.clear();
    return TransportError::None;
}

void PtyPair::close() {
    if (!link_path_.empty() && is_open()) ::unlink(link_path_.c_str());
    FdTransport::close();
    if (held_slave_ >= 0) {
        ::close(held_slave_);
        held_slave_ = -1;
    }
}

}  // namespace kiosk::drivers
