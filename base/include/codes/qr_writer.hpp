// Codes the kiosk shows (the guide's QR code, a payment code, a receipt link), made with
// ZXing-cpp's MultiFormatWriter: never drawn by hand.
//
// The writer gives the module matrix; this file scales it by a whole number of pixels per module
// (crisp edges on screen and on thermal printers) and adds the quiet zone in modules.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codes/grey_image.hpp"

namespace kiosk::codes {

enum class CodeFormat : std::uint8_t { QrCode, Code128, DataMatrix, Pdf417 };
enum class QrEcc : std::uint8_t { L, M, Q, H };

struct CodeOptions {
    CodeFormat format = CodeFormat::QrCode;
    QrEcc ecc = QrEcc::M;   // QR only; M survives a smudged or glossy screen
    int module_pixels = 0;  // pixels per module; 0 → the largest that fits `fit_pixels`
    int fit_pixels = 300;   // target width when module_pixels == 0
    int quiet_modules = 4;  // QR needs 4 (ISO/IEC 18004); Code 128 needs 10 (applied as max)
    int bar_height = 0;     // linear codes: height in pixels (0 → a third of the width)
};

// An image of `utf8` in the chosen format (white background, black modules); an empty image and
// `error` when the text does not fit the format or is empty. UTF-8 text is encoded with an
// ECI/UTF-8 character set so Chinese survives.
GreyImage make_code(std::string_view utf8, const CodeOptions& options = {},
                    std::string* error = nullptr);

// RGBA (4 bytes per pixel, opaque) for textures: black modules as `dark`, background as `light`.
std::vector<std::uint8_t> to_rgba(const GreyImage& image, std::uint32_t dark_rgb = 0x000000,
                                  std::uint32_t light_rgb = 0xFFFFFF);

}  // namespace kiosk::codes
