// The code writer lives in the base layer (base/include/codes/qr_writer.hpp, kiosk_codes) so the
// screens can draw a QR code without linking this driver; the scanner's code keeps its names.
#pragma once

#include "codes/qr_writer.hpp"
#include "scanner/image.hpp"

namespace kiosk::scanner {

using codes::CodeFormat;
using codes::CodeOptions;
using codes::make_code;
using codes::QrEcc;
using codes::to_rgba;

}  // namespace kiosk::scanner
