// PtyPair: a pseudo-terminal for wire-level simulators.
//
// The simulator owns the master side (this object is a Transport over the master); the driver
// opens the slave path exactly like a real serial port: `serial:<slave_path()>`. The slave is put
// in raw mode at creation and one slave descriptor is held open, so the line settings and the
// buffered bytes survive the driver closing and reopening its port, and the master never sees a
// spurious hang-up between driver reconnects.
//
// Unplug / replug: close() hangs the line up (the driver's reads report Gone) and removes the
// optional symlink; open() creates a NEW pseudo-terminal and re-points the symlink at it, which is
// what a USB-serial bridge looks like to udev rules that create a stable /dev/idcard link.
#pragma once

#include <string>

#include "common/fd_transport.hpp"

namespace kiosk::drivers {

class PtyPair final : public FdTransport {
  public:
    // link_path: optional stable symlink (e.g. in a test's mkdtemp dir) kept pointing at the slave.
    explicit PtyPair(std::string link_path = {});
    ~PtyPair() override;

    TransportError open() override;  // creates a fresh pty (and re-points the link)
    void close() override;           // hangs up: the slave side sees POLLHUP/EIO → Gone
    const std::string& slave_path() const { return slave_path_; }
    const std::string& link_path() const { return link_path_; }
    // The path a driver should open: the link when there is one, else the slave itself.
    const std::string& device_path() const { return link_path_.empty() ? slave_path_ : link_path_; }
    // Last OS error text from open(), for diagnostics.
    const std::string& error() const { return error_; }

  private:
    std::string link_path_;
    std::string slave_path_;
    std::string error_;
    int held_slave_ = -1;
};

}  // namespace kiosk::drivers
