// VirtualPrinter: a thermal receipt printer you can look at.
//
// Takes the ESC/POS byte stream a driver sends (via escpos::CommandStream), draws each receipt on
// a 1-bit "paper" canvas — text through FreeType with a CJK font (font A cell 12×24, CJK 24×24,
// GS ! sizes, bold, alignment), QR codes from the GS ( k data (modules from ZXing's writer),
// CODE128 (ZXing's writer), GS v 0 raster images, feeds and cuts — and writes one PNG per cut.
// It answers DLE EOT 1–4 and sends automatic status back (GS a) on every status change.
// Faults a real printer has: paper near end / out (also after a given length of paper, to run out
// mid-job), cover open, cutter jam. While it cannot print, print data is discarded (as a printer
// that goes offline and is later reset loses its buffer) but status queries are still answered.
// Not simulated: print speed and buffer back-pressure, page mode, fonts other than A, code pages.
// Reference: ../shared/reference/escpos.md.
#pragma once

#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "escpos/status.hpp"
#include "escpos/stream.hpp"

namespace kiosk::printersim {

// An 8-bit grey image (0 black, 255 white).
struct Canvas {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;
};

bool write_png(const Canvas& c, const std::string& path);

struct VirtualPrinterOptions {
    int dots_per_line = 576;  // 80 mm head; 384 for 58 mm
    std::string font_path = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    int font_face = 2;                   // Noto Sans CJK SC in the collection
    std::string out_dir;                 // where receipt-NNNN.png go; empty: kept in memory only
    long paper_dots = -1;                // paper left in dot rows; -1 = endless roll
    long near_end_dots = 2000;           // the near-end sensor trips when this little is left
    std::size_t max_kept_receipts = 32;  // in memory (receipts()); the PNG files all stay
    // A GS v 0 image taller than the receive buffer holds overflows it, and the printer prints
    // the image bytes as text (what the reference warns of): send strips.
    int raster_buffer_rows = 1024;
};

struct PrintedReceipt {
    Canvas image;          // the paper with margins, as the citizen would see it
    std::string path;      // the PNG written, when out_dir is set
    bool complete = true;  // false: paper ran out or the cover opened before the cut
};

class VirtualPrinter {
  public:
    explicit VirtualPrinter(VirtualPrinterOptions options = {});
    ~VirtualPrinter();
    VirtualPrinter(const VirtualPrinter&) = delete;
    VirtualPrinter& operator=(const VirtualPrinter&) = delete;

    // Feeds host → printer bytes; returns printer → host bytes (status replies, ASB frames).
    std::vector<std::uint8_t> feed(std::span<const std::uint8_t> bytes);

    // Fault controls. Each returns the ASB frame to broadcast when status back is on (else empty).
    std::vector<std::uint8_t> set_paper(escpos::PaperLevel level);
    std::vector<std::uint8_t> set_cover_open(bool open);
    std::vector<std::uint8_t> set_cutter_error(bool on);
    // Paper left (dot rows) before it runs out; -1 = endless. Reloading paper: set_paper(Ok).
    void set_paper_remaining(long dots);

    escpos::PrinterStatus status() const;
    std::vector<PrintedReceipt> receipts() const;  // completed (cut) receipts so far
    std::size_t receipt_count() const;
    // Ends the receipt in progress without a cut (printers without a cutter, tests).
    void finish_receipt();

    struct Stats {
        std::size_t bytes = 0;
        std::size_t commands = 0;
        std::size_t errors = 0;         // malformed commands
        std::size_t dropped_bytes = 0;  // print data that arrived while it could not print
        std::size_t status_queries = 0;
        std::size_t overflows = 0;  // raster images too tall for the buffer
    };
    Stats stats() const;

  private:
    struct Impl;
    mutable std::mutex mutex_;
    Impl* impl_;
};

}  // namespace kiosk::printersim
