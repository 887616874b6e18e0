// ESC/POS command stream parser: the printer's side, host → printer bytes in, typed commands out.
//
// Used by the virtual printer (sim/printer) and fuzzed. Incremental: bytes may arrive in
// any split; a command is emitted once complete.
// Implements: text runs, LF/CR/FF, DLE EOT n (real-time status), ESC @ a E ! d J - 3 2 M t R,
// FS & . (Chinese mode), GS ! h w H a V, GS ( k (QR fn 165/167/169/180/181; other functions are
// skipped by their length), GS v 0 (raster), GS k (barcodes, both formats). Other known ESC/FS/GS
// commands are skipped with their argument bytes; unknown ones are reported and skipped.
// Does not implement: page mode, user-defined characters (skipped), real-time commands inside the
// data of another command (a real printer may take them; this parser does not).
// Limits (bad input → Command::Op::Error, the stream resyncs after the offending header):
// raster at most 256 bytes per row and 4096 rows per command, QR data 7089 bytes.
// Reference: ../shared/reference/escpos.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace kiosk::escpos {

struct Command {
    enum class Op : std::uint8_t {
        Text,          // data: raw bytes (GB18030 in Chinese mode)
        LineFeed,      // LF
        Init,          // ESC @
        Align,         // a: 0 left, 1 centre, 2 right
        PrintMode,     // ESC ! a
        CharSize,      // GS ! a
        Bold,          // a: 0/1
        Underline,     // a
        ChineseOn,     // FS &
        ChineseOff,    // FS .
        FeedLines,     // ESC d a
        FeedDots,      // ESC J a
        LineSpacing,   // ESC 3 a; ESC 2 → a = -1 (default)
        QrModel,       // a: 49/50
        QrModuleSize,  // a
        QrEcc,         // a: 48..51
        QrStore,       // data
        QrPrint,
        BarcodeHeight,   // a
        BarcodeWidth,    // a
        BarcodeHri,      // a
        Barcode,         // a: m, data
        Raster,          // a: mode, b: bytes per row, c: rows, data
        Cut,             // a: m, b: n (feed for 65/66)
        StatusBack,      // GS a, a: n
        RealtimeStatus,  // DLE EOT, a: n
        Skipped,         // a known command the printer does not act on here
        Error,           // a malformed or unknown command (a: first byte), skipped
    };
    Op op = Op::Error;
    int a = 0;
    int b = 0;
    int c = 0;
    std::vector<std::uint8_t> data;
};

class CommandStream {
  public:
    // Parses as much of the buffered stream as is complete, appending to `out`.
    void feed(std::span<const std::uint8_t> bytes, std::vector<Command>& out);
    // Bytes buffered waiting for the rest of a command.
    std::size_t pending() const { return buf_.size(); }
    void reset() { buf_.clear(); }

    static constexpr int kMaxRasterRowBytes = 256;
    static constexpr int kMaxRasterRows = 4096;
    static constexpr std::size_t kMaxQrData = 7089;

  private:
    std::vector<std::uint8_t> buf_;
};

}  // namespace kiosk::escpos
