// Linux hidraw transport (see hidraw.hpp).
#include "common/hidraw.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <linux/hidraw.h>
#include <unistd.h>

namespace kiosk::drivers {

HidrawTransport::HidrawTransport(std::string path)
    : FdTransport("hidraw:" + path), path_(std::move(path)) {}

TransportError HidrawTransport::open() {
    close();
    int fd = ::open(path_.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return transport_error_from_errno(errno);
    // Refuse anything that is not a hidraw node: a misconfigured path must not get HID writes.
    hidraw_devinfo info{};
    if (::ioctl(fd, HIDIOCGRAWINFO, &info) != 0) {
        ::close(fd);
        return TransportError::BadUri;
    }
    adopt(fd, false);
    return TransportError::None;
}

}  // namespace kiosk::drivers
