// ESC/POS document builder: typed calls in, the exact bytes a receipt printer takes out.
//
// Implements: ESC @ init, ESC a alignment, GS ! character size, ESC E bold, FS & / FS . Chinese
// mode with UTF-8 → GB18030 conversion (glibc iconv), line feeds and ESC d feed, QR via GS ( k
// (model 2, module size, error correction, store, print) or — when the profile has no native QR —
// the same symbol rendered by ZXing's writer and sent as a raster image, CODE128 via GS k 73,
// raster images via GS v 0 split into strips of profile.raster_strip_rows, cut via GS V (feed
// then cut), GS a automatic status back.
// Does not implement: page mode, other barcode symbologies, NV images, code-page switching
// (a profile without a Chinese font gets '?' for anything outside ASCII).
// Reference: ../shared/reference/escpos.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "escpos/profile.hpp"

namespace kiosk::escpos {

enum class Align : std::uint8_t { Left = 0, Center = 1, Right = 2 };
enum class QrEcc : std::uint8_t { L = 48, M = 49, Q = 50, H = 51 };

// A one-bit image: `pixels` is row-major, one byte per pixel, non-zero = black.
struct MonoImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;
    bool at(int x, int y) const { return pixels[static_cast<std::size_t>(y) * width + x] != 0; }
};

// QR symbol as modules (no quiet zone), made by ZXing's writer. Empty image if the data does not
// fit a QR symbol. Shared by the builder's raster fallback and the simulator's renderer.
MonoImage qr_modules(std::string_view data, QrEcc ecc);

// Display width of UTF-8 text in font-A half-width columns: CJK and full-width forms count 2.
int display_columns(std::string_view utf8);

// Converts UTF-8 to the bytes the profile's font takes: GB18030 (two-byte GBK only unless the
// profile decodes four-byte sequences, "¥" becomes "￥"), or ASCII. Unmappable → '?'.
std::vector<std::uint8_t> encode_text(std::string_view utf8, const PrinterProfile& profile);

class Builder {
  public:
    explicit Builder(PrinterProfile profile);

    Builder& init();  // ESC @, then FS & when the profile has a Chinese font
    Builder& align(Align a);
    Builder& size(int width, int height);  // 1..8 each
    Builder& bold(bool on);
    Builder& text(std::string_view utf8);       // no newline added
    Builder& line(std::string_view utf8 = {});  // text + LF
    Builder& feed(int lines);                   // ESC d n
    Builder& qr(std::string_view data, int module_size = 6, QrEcc ecc = QrEcc::M);
    Builder& code128(std::string_view ascii, int height = 80, int module_width = 2,
                     bool hri_below = true);
    Builder& image(const MonoImage& img);
    Builder& cut();  // feed past the cutter and cut (or just feed when the model has no cutter)
    Builder& status_back(bool on);  // GS a: 0x0F (drawer, online, error, paper) or 0
    Builder& raw(std::vector<std::uint8_t> bytes);

    // Force the raster fallback for QR even on printers that have it (benchmarks, tests).
    void set_force_raster_qr(bool on) { force_raster_qr_ = on; }
    bool force_raster_qr() const { return force_raster_qr_; }

    const PrinterProfile& profile() const { return profile_; }
    const std::vector<std::uint8_t>& bytes() const { return out_; }
    std::vector<std::uint8_t> take() { return std::move(out_); }

  private:
    void put(std::initializer_list<std::uint8_t> b) { out_.insert(out_.end(), b); }
    PrinterProfile profile_;
    std::vector<std::uint8_t> out_;
    Align align_ = Align::Left;
    bool force_raster_qr_ = false;
};

}  // namespace kiosk::escpos
