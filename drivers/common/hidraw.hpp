// Linux hidraw transport: URI hidraw:/dev/hidraw0
//
// Moves whole HID reports: each write() is one output report (first byte the report id, 0 when
// the device uses none), each read() returns one input report. Any vendor envelope around the
// payload (e.g. the 64-byte reports of HID ID-card readers) belongs to the device's codec, not
// here. Not testable without hardware: tests cover URI parsing and the open-failure paths only.
#pragma once

#include <string>

#include "common/fd_transport.hpp"

namespace kiosk::drivers {

class HidrawTransport final : public FdTransport {
  public:
    explicit HidrawTransport(std::string path);
    TransportError open() override;

  private:
    std::string path_;
};

}  // namespace kiosk::drivers
