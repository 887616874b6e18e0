// Code images through ZXing-cpp 1.4's MultiFormatWriter (see qr_writer.hpp).
#include "codes/qr_writer.hpp"

#include <ZXing/BitMatrix.h>
#include <ZXing/CharacterSet.h>
#include <ZXing/MultiFormatWriter.h>

#include <algorithm>
#include <exception>

namespace kiosk::codes {
namespace {

ZXing::BarcodeFormat zx_format(CodeFormat f) {
    switch (f) {
        case CodeFormat::QrCode:
            return ZXing::BarcodeFormat::QRCode;
        case CodeFormat::Code128:
            return ZXing::BarcodeFormat::Code128;
        case CodeFormat::DataMatrix:
            return ZXing::BarcodeFormat::DataMatrix;
        case CodeFormat::Pdf417:
            return ZXing::BarcodeFormat::PDF417;
    }
    return ZXing::BarcodeFormat::QRCode;
}

// ZXing 1.4 takes 0–8 for QR and maps it to L/M/Q/H in pairs.
int zx_ecc(QrEcc e) {
    switch (e) {
        case QrEcc::L:
            return 1;
        case QrEcc::M:
            return 3;
        case QrEcc::Q:
            return 5;
        case QrEcc::H:
            return 7;
    }
    return 3;
}

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

GreyImage make_code(std::string_view utf8, const CodeOptions& o, std::string* error) {
    auto fail = [&](const char* msg) {
        if (error) *error = msg;
        return GreyImage{};
    };
    if (utf8.empty()) return fail("empty text");
    const bool linear = o.format == CodeFormat::Code128;
    if (linear && !is_ascii(utf8)) return fail("Code 128 carries ASCII only");
    ZXing::BitMatrix m;
    try {
        ZXing::MultiFormatWriter w(zx_format(o.format));
        w.setMargin(0);
        if (o.format == CodeFormat::QrCode) w.setEccLevel(zx_ecc(o.ecc));
        if (!is_ascii(utf8)) w.setEncoding(ZXing::CharacterSet::UTF8);
        m = w.encode(std::string(utf8), 0, 0);
    } catch (const std::exception&) {
        return fail("text does not fit the code format");
    }
    if (m.width() <= 0 || m.height() <= 0) return fail("writer returned an empty matrix");
    // Linear writers return one row per pixel height; keep a single row of modules.
    const int mh = linear ? 1 : m.height();
    const int quiet = linear ? std::max(o.quiet_modules, 10) : std::max(o.quiet_modules, 0);
    const int total_w = m.width() + 2 * quiet;
    int px = o.module_pixels;
    if (px <= 0) px = std::max(1, o.fit_pixels / total_w);
    if (static_cast<long long>(total_w) * px > 8192) return fail("image too large");
    const int out_w = total_w * px;
    const int out_h =
        linear ? (o.bar_height > 0 ? o.bar_height : std::max(out_w / 3, 8)) : (mh + 2 * quiet) * px;
    if (out_h > 8192) return fail("image too large");
    GreyImage img = make_grey(out_w, out_h, 255);
    const int qy = linear ? 0 : quiet;
    for (int y = 0; y < out_h; ++y) {
        const int my = linear ? 0 : y / px - qy;
        if (my < 0 || my >= mh) continue;
        for (int x = 0; x < out_w; ++x) {
            const int mx = x / px - quiet;
            if (mx >= 0 && mx < m.width() && m.get(mx, my)) img.at(x, y) = 0;
        }
    }
    return img;
}

std::vector<std::uint8_t> to_rgba(const GreyImage& image, std::uint32_t dark, std::uint32_t light) {
    std::vector<std::uint8_t> out;
    out.reserve(image.pixels.size() * 4);
    auto ch = [](std::uint32_t rgb, int shift) {
        return static_cast<unsigned>((rgb >> shift) & 0xFF);
    };
    for (std::uint8_t p : image.pixels) {
        // Greyscale input (e.g. anti-aliased) blends between the two colours.
        for (int s : {16, 8, 0}) {
            const unsigned d = ch(dark, s), l = ch(light, s);
            out.push_back(static_cast<std::uint8_t>((d * (255u - p) + l * p) / 255u));
        }
        out.push_back(255);
    }
    return out;
}

}  // namespace kiosk::codes
