// Helpers shared by the printer tests: template loading and barcode decoding of rendered PNGs.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <ZXing/ReadBarcode.h>

#include "escpos/receipt.hpp"
#include "escpos/receipt_samples.hpp"
#include "sim/printer/virtual_printer.hpp"

namespace printer_test {

inline std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

inline kiosk::escpos::ReceiptTemplate load_template(const std::string& name) {
    std::string err;
    auto t = kiosk::escpos::parse_receipt_template(
        read_file(std::string(KIOSK_SOURCE_DIR) + "/assets/receipts/" + name + ".toml"), err);
    if (!t) throw std::runtime_error(err);
    return *t;
}

inline std::vector<std::uint8_t> receipt_bytes(const std::string& name, const std::string& lang,
                                               const kiosk::escpos::PrinterProfile& profile,
                                               bool raster_qr = false) {
    kiosk::escpos::Builder b(profile);
    b.set_force_raster_qr(raster_qr);
    b.init();
    std::string err;
    if (!kiosk::escpos::render_receipt(load_template(name),
                                       kiosk::escpos::sample_receipt_data(name), lang, b, err))
        throw std::runtime_error(err);
    return b.take();
}

// Decodes the first barcode of `format` in a rendered receipt; returns its raw bytes as text.
inline std::string decode(const kiosk::printersim::Canvas& c, ZXing::BarcodeFormat format) {
    ZXing::ImageView view(c.pixels.data(), c.width, c.height, ZXing::ImageFormat::Lum);
    const auto r = ZXing::ReadBarcode(view, ZXing::DecodeHints().setFormats(format));
    if (!r.isValid()) return "<no barcode>";
    return std::string(r.bytes().begin(), r.bytes().end());
}

}  // namespace printer_test
