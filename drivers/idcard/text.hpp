// The 256-byte text block of the card: the four layouts, code tables and the GB 11643 check.
//
// Implements (reference: shared/reference/idcard-sam.md, "The 256-byte text block"): UCS-2 LE
// decoding (UTF-16 surrogates accepted, so rare characters outside the BMP survive too), the
// resident, 'J', 'I' and 'Y' layouts, sex (GB/T 2261.1) and nation (GB 3304) tables, "长期"
// validity, and the ISO 7064 MOD 11-2 check character of GB 11643 — a bad one is reported in
// Identity::id_check, never silently trusted. Also the inverse (encode_text) for the simulator.
// Does not implement: the naming of 'Y' bytes 220-241 is uncertain in the reference (read as a
// foreign-name continuation); 'I' card numbers have their own check scheme (not verified).
// Pure: no I/O, no logging.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "idcard/identity.hpp"

namespace kiosk::idcard {
inline constexpr std::size_t kTextBlockSize = 256;
}

namespace kiosk::idcard {

enum class TextError {
    None,
    WrongSize,        // not 256 bytes
    UnknownCardType,  // bytes 248-249 are none of ' ', 'I', 'Y', 'J'
    BadEncoding,      // a control character or an unpaired surrogate inside a field
    BadField,         // a date, sex or number that is not shaped as the layout says
};
const char* to_string(TextError e);

// Parses the text block; on error `out` is wiped.
TextError parse_text(std::span<const std::uint8_t> text, Identity& out);
// Builds a text block from an Identity (simulator, tests, fuzz seeds). Fields longer than their
// slot are cut; UTF-8 is converted to UTF-16 LE and padded with spaces.
std::vector<std::uint8_t> encode_text(const Identity& id);

// Appended address (reply to 30 03): UCS-2 LE, spaces trimmed; nullopt on bad encoding.
std::optional<std::string> parse_address(std::span<const std::uint8_t> data);
std::vector<std::uint8_t> encode_address(std::string_view utf8);

// GB 11643: the check character for 17 digits ('0'-'9' or 'X'); 0 when the input is not 17 digits.
char gb11643_check_character(std::string_view first17);
IdCheck gb11643_check(std::string_view id18);

// GB 3304 two-digit code → name (nullptr when unknown).
const char* nation_name(std::string_view code);
// Two-character-wide UCS-2 "长期".
inline constexpr std::string_view kLongTerm = "长期";

// UTF-16 LE → UTF-8, trailing spaces and NULs trimmed; nullopt on an unpaired surrogate or a
// control character.
std::optional<std::string> utf16le_to_utf8(std::span<const std::uint8_t> bytes);
std::vector<std::uint8_t> utf8_to_utf16le(std::string_view utf8);

}  // namespace kiosk::idcard
