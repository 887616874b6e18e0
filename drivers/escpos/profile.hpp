// Receipt printer profiles: what one model can do, as data.
//
// Models differ in paper width, whether they carry a Chinese font (and whether it takes GB18030
// four-byte sequences or only two-byte GBK), whether they have a cutter, whether they print QR
// natively (GS ( k) and how tall a raster strip their buffer takes. The builder consults the
// profile; an unknown model works through a profile written in TOML (see parse_profile_toml).
// Reference: ../shared/reference/escpos.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::escpos {

enum class CutMode { None, Full, Partial };

struct PrinterProfile {
    std::string name = "generic-80";
    int paper_mm = 80;
    int dots_per_line = 576;     // printable width at 203 dpi: 384 for 58 mm, 576 for 80 mm
    int columns = 48;            // font A (12×24) characters per line
    bool chinese = true;         // has a GB font and takes FS & Chinese mode
    bool gb18030_4byte = false;  // firmware decodes GB18030 four-byte sequences
    CutMode cut = CutMode::Partial;
    bool native_qr = true;              // GS ( k
    bool native_code128 = true;         // GS k 73
    int raster_strip_rows = 256;        // rows per GS v 0 strip (the buffer's limit)
    bool automatic_status_back = true;  // GS a
    int feed_before_cut = 4;            // lines fed so the last line clears the cutter
};

// Built-in profiles: generic-80, generic-58, generic-58-nocut (cheap 58 mm panel printers with
// no cutter and no QR), ascii-80 (a model without a Chinese font).
const std::vector<PrinterProfile>& builtin_profiles();
std::optional<PrinterProfile> find_profile(std::string_view name);

// Parses a profile from TOML, starting from the generic profile of the same paper width:
//   name = "xprinter-58"  paper_mm = 58  chinese = true  cut = "none"  native_qr = false
// Returns nullopt and sets `error` on malformed input or out-of-range values.
std::optional<PrinterProfile> parse_profile_toml(std::string_view text, std::string& error);

}  // namespace kiosk::escpos
