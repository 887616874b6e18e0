// Framing of scans on byte-stream and report links (pure code: no I/O, time passed in).
//
// SerialFramer: serial/CDC scanners send each scan followed by a configurable suffix (CR, LF,
// CR LF, or nothing), optionally preceded by an AIM symbology identifier ("]Q1", ISO/IEC 15424)
// when the scanner is set to transmit it. A scan without a suffix ends when the line goes idle.
//
// HidPosAssembler: HID POS scanners (USB HID Point of Sale Usage Tables 1.02, usage page 0x8C,
// "Scanned Data Report") send a scan in 64-byte input reports. The byte layout follows the common
// vendor implementation (Honeywell/Zebra "HID POS"): report id 0x02, data length, 3-byte AIM
// symbology identifier, up to 56 data bytes, and a "more data follows" flag in the last byte.
// The layout is a profile (data, not code) because it is not read from the report descriptor.
// Does not: parse HID report descriptors, send output reports (beep/trigger).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "scanner/scan_event.hpp"

namespace kiosk::scanner {

struct RawScan {
    std::vector<std::uint8_t> bytes;
    Symbology symbology = Symbology::Unknown;
};

enum class LineEnd : std::uint8_t { Cr, Lf, CrLf, Any, None };
bool parse_line_end(std::string_view s, LineEnd& out);  // cr, lf, crlf, any, none

struct SerialFramerOptions {
    LineEnd end = LineEnd::Any;
    std::chrono::milliseconds idle_timeout{100};  // ends a scan with no suffix
    bool aim_prefix = false;  // strip a leading "]Xm" and use it as the symbology
    std::size_t max_bytes = 4096;
};

class SerialFramer {
  public:
    explicit SerialFramer(SerialFramerOptions options = {});
    void feed(std::span<const std::uint8_t> bytes, std::chrono::milliseconds now);
    void poll(std::chrono::milliseconds now);
    std::optional<RawScan> take();
    void reset();

  private:
    void complete();
    SerialFramerOptions opt_;
    std::vector<std::uint8_t> buf_;
    std::deque<RawScan> done_;
    std::optional<std::chrono::milliseconds> last_;
    bool pending_cr_ = false;
};

struct HidPosProfile {
    std::size_t report_size = 64;
    std::uint8_t report_id = 0x02;
    std::size_t length_offset = 1;
    std::size_t aim_offset = 2;  // 3 bytes
    std::size_t data_offset = 5;
    std::size_t data_max = 56;
    std::size_t more_offset = 63;
    std::uint8_t more_mask = 0x01;
};

enum class HidPosError : std::uint8_t { None, WrongReportId, ShortReport, BadLength, TooLong };

class HidPosAssembler {
  public:
    explicit HidPosAssembler(HidPosProfile profile = {}, std::size_t max_bytes = 4096);
    // One input report as read from hidraw (report id first). Reports of other ids (e.g. a
    // status report) are ignored with WrongReportId; a malformed one drops the scan in progress.
    HidPosError feed(std::span<const std::uint8_t> report);
    std::optional<RawScan> take();
    // Builds the report(s) a scanner would send for `data` (for the simulator and tests).
    std::vector<std::vector<std::uint8_t>> encode(std::span<const std::uint8_t> data,
                                                  std::string_view aim = "]Q1") const;

  private:
    HidPosProfile p_;
    std::size_t max_bytes_;
    std::vector<std::uint8_t> buf_;
    Symbology sym_ = Symbology::Unknown;
    bool overflow_ = false;
    std::deque<RawScan> done_;
};

}  // namespace kiosk::scanner
