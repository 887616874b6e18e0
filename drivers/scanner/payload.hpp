// Scan payloads: validation of raw scanner bytes and typed recognition of what the kiosk
// understands.
//
// Implements: length caps, removal of control characters, UTF-8 / GB18030 detection (GB18030 is
// what many Chinese keyboard-wedge and serial scanners emit for Chinese text) with conversion to
// UTF-8 via iconv, and recognition of the payload formats defined in docs/drivers/scanner.md:
// pickup codes, hall URLs (guide, receipt, pickup, payment links), non-tax payment notice numbers,
// e-ID codes and staff certificate barcodes. Anything else is a typed NotForKiosk result.
// Does not: fetch URLs, verify e-ID tokens (the backend does), or keep any scanned value.
// Pure code: no I/O, no clock, no logging. Every value here is personal data: never log it raw
// (use kiosk::pii::mask_code).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "codes/check_digit.hpp"

namespace kiosk::scanner {

// [SECTION] Validation

// What the raw bytes were read as. validate_text() only ever answers Ascii, Utf8 or Gb18030; the
// camera's charset rule (charset.hpp) also reads Shift_JIS, ISO-8859-1 and any character set an
// ECI declares (Declared: Big5, EUC-KR, UTF-16, ISO-8859-n, Windows code pages, ...).
enum class TextEncoding : std::uint8_t { Ascii, Utf8, Gb18030, ShiftJis, Latin1, Declared };
enum class ValidationError : std::uint8_t {
    None,
    Empty,        // nothing left after removing control characters
    TooLong,      // over the byte or character cap: rejected whole (a cut URL is a different URL)
    BadEncoding,  // not valid text in any character set the kiosk reads (binary, garbage)
    EciMismatch,  // camera: the bytes are not valid in the character set their ECI declares
    EciNotText,   // camera: the ECI declares binary data (899) or a number with no character set
};

const char* to_string(TextEncoding e);
const char* to_string(ValidationError e);

struct ValidationLimits {
    std::size_t max_bytes = 4096;  // raw bytes accepted from a device for one scan
    std::size_t max_chars = 2048;  // code points after conversion
};

struct ValidatedText {
    ValidationError error = ValidationError::None;
    TextEncoding encoding = TextEncoding::Ascii;
    std::string text;  // UTF-8, no C0/C1 control characters, no DEL, no BOM; empty on error
    bool ok() const { return error == ValidationError::None; }
};

// Detects the encoding (valid UTF-8 wins; else GB18030; else BadEncoding), converts to UTF-8 and
// removes control characters (scanner terminators, GS separators, stray escape sequences).
ValidatedText validate_text(std::span<const std::uint8_t> raw, const ValidationLimits& limits = {});
ValidatedText validate_text(std::string_view raw, const ValidationLimits& limits = {});

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, max U+10FFFF).
bool is_valid_utf8(std::string_view s);

// [SECTION] Recognition

enum class PayloadKind : std::uint8_t {
    PickupCode,     // value: the 6–8 digit code
    PaymentNotice,  // value: the 20-digit notice number (check digit verified)
    HallGuide,      // value: the "one thing" id of a guide link; url: the link
    HallReceipt,    // value: the receipt id; url: the link
    HallLink,       // another page on the hall host; url: the link, value: its path
    EidCode,        // value: the token or link, passed to the backend for verification
    Certificate,    // staff: value: the certificate reference loaded into a locker
    NotForKiosk,    // reason says why
};

enum class Rejection : std::uint8_t {
    None,
    Invalid,        // the bytes did not validate (see ScanEvent::error)
    ForeignUrl,     // a URL of another host
    InsecureUrl,    // http:// (or any non-https scheme) on a hall host
    MalformedUrl,   // a hall URL with userinfo, bad id, bad query
    BadCheckDigit,  // 20 digits shaped like a payment notice, check digit wrong
    BadValue,       // an ESTN: prefix with a malformed value
    UnknownFormat,  // anything else
};

const char* to_string(PayloadKind k);
const char* to_string(Rejection r);

struct PayloadConfig {
    // Hosts whose https links the kiosk acts on (lower case, no port), e.g. "zwfw.yueyang.gov.cn".
    std::vector<std::string> hall_hosts;
    // Hosts of the e-ID service whose https links are e-ID codes.
    std::vector<std::string> eid_hosts;
    std::size_t pickup_min_digits = 6;
    std::size_t pickup_max_digits = 8;
};

struct Payload {
    PayloadKind kind = PayloadKind::NotForKiosk;
    Rejection reason = Rejection::UnknownFormat;
    std::string value;
    std::string url;
    bool recognised() const { return kind != PayloadKind::NotForKiosk; }
};

// The i18n key of the message a screen shows for a scan it cannot use: "scan.unreadable"
// (Invalid), "scan.check_notice_number" (BadCheckDigit), "scan.insecure_link" (InsecureUrl),
// "scan.not_for_this_kiosk" (everything else); "" for a recognised payload.
const char* message_key(const Payload& p);

// The host of an http(s) URL, lower case, without port or userinfo ("" if none): main uses it
// to fill PayloadConfig::hall_hosts from the backend URL of the configuration.
std::string url_host(std::string_view url);

// Recognises validated text (call validate_text first; recognise() itself never trusts its input
// and rejects control characters and over-long text as UnknownFormat).
Payload recognise(std::string_view text, const PayloadConfig& config);

// Payment notice numbers: 19 digits + a Luhn check digit (base/include/codes/check_digit.hpp,
// shared with the payment flow).
using codes::payment_notice_check_digit;
using codes::payment_notice_valid;

}  // namespace kiosk::scanner
