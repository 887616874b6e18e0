// Character sets of decoded 2D codes: which charset a QR / Micro QR payload is in, and its text.
//
// A QR code's byte segments carry no charset unless an ECI designator declares one (ISO/IEC
// 18004 §6.4.2; ECI numbers per AIM ITS/04-023, the same table as zxing-cpp's core/src/ECI.h).
// Codes in the field declare UTF-8, GB18030 or Shift_JIS by ECI, or declare nothing and carry
// UTF-8, GB18030 (Chinese generators) or Shift_JIS (Japanese ones). The camera's rule
// (docs/drivers/scanner.md, "Character sets"):
//   1. ECI present: every segment is decoded strictly in the declared charset (an ECI wins over
//      any guess); bytes invalid there → EciMismatch; binary (899) or unassigned ECI → EciNotText.
//   2. No ECI: ZXing's own reading (Result::text(), its charset guess or the Kanji / Hanzi mode's
//      charset) is identified among UTF-8, Shift_JIS, ISO-8859-1 and GB18030 and kept if the
//      bytes are valid, plausible text in it.
//   3. Only when the bytes are valid GB18030 and not valid (or not plausible) in ZXing's charset
//      are they read as GB18030.
//   4. Otherwise → BadEncoding: the scan is rejected with a reason, never shown as mojibake.
// Pure code (glibc iconv, no I/O, no ZXing): tested on byte strings and fuzzed.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/payload.hpp"

namespace kiosk::scanner {

struct EciSegment {
    int eci = -1;  // -1: no ECI in force (the code declared none)
    std::vector<std::uint8_t> bytes;
};

// Splits the ECI protocol form of a payload (zxing-cpp's Result::bytesECI(): an optional "]cm"
// symbology identifier, "\nnnnnn" ECI designators, "\\" for a backslash; ISO/IEC 15424 and AIM
// ITS/04-023) into segments. False on a malformed designator.
bool parse_eci_protocol(std::span<const std::uint8_t> eci_protocol, std::vector<EciSegment>& out);

// The glibc iconv name of an ECI's character set; nullptr for 899 (binary) and numbers that
// name no character set.
const char* eci_charset(int eci);

// Strict conversion to UTF-8: false on any invalid or incomplete sequence (never substitutes).
bool to_utf8_strict(std::span<const std::uint8_t> bytes, const char* charset, std::string& out);

struct TextDecision {
    ValidationError error = ValidationError::None;  // BadEncoding / EciMismatch / EciNotText
    TextEncoding encoding = TextEncoding::Ascii;
    int eci = -1;      // the first ECI declared, -1 none
    std::string text;  // UTF-8; empty on error
    bool ok() const { return error == ValidationError::None; }
};

// The rule above. `zxing_text` is ZXing's UTF-8 rendering of the same payload (used only when no
// ECI is present, to learn which charset ZXing read it in).
TextDecision decide_text(const std::vector<EciSegment>& segments, std::string_view zxing_text);

}  // namespace kiosk::scanner
