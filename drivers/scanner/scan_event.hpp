// ScanEvent: the one event every scanner kind (keyboard wedge, HID POS, serial, camera) delivers.
//
// A scan is validated (payload.hpp) before anyone sees its text, and carries the recognised payload
// type so the core decides on a typed value, never on raw scanner output.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/payload.hpp"

namespace kiosk::scanner {

// Symbologies the kiosk meets; anything else a decoder reports is Other.
enum class Symbology : std::uint8_t {
    Unknown,  // the device does not tell (keyboard wedges without AIM prefix)
    QrCode,
    MicroQr,
    Code128,
    Code39,
    Ean13,
    Ean8,
    Itf,
    DataMatrix,
    Pdf417,
    Aztec,
    Other,
};

const char* to_string(Symbology s);
// From an AIM symbology identifier ("]Q1", "]C0", ...), as HID POS and many serial scanners send.
Symbology symbology_from_aim(std::string_view aim);

enum class ScanSource : std::uint8_t {
    KeyboardWedge,  // evdev HID keyboard
    HidPos,         // hidraw, usage page 0x8C
    Serial,         // serial / USB CDC-ACM
    Camera,         // V4L2 + ZXing
    Injected,       // a simulator or scenario injected it in-process
};

const char* to_string(ScanSource s);

struct ScanEvent {
    Symbology symbology = Symbology::Unknown;
    ScanSource source = ScanSource::Injected;
    std::string device;             // which scanner (its URI, never contains scanned data)
    std::vector<std::uint8_t> raw;  // bytes as received (capped), before any conversion
    std::string text;               // validated UTF-8, control characters removed
    TextEncoding encoding = TextEncoding::Ascii;    // what `raw` was detected as
    ValidationError error = ValidationError::None;  // set when raw could not become text
    Payload payload;                                // what the kiosk recognised in `text`
};

// Builds an event: validates `raw` and recognises its payload with `config`.
ScanEvent make_scan_event(std::vector<std::uint8_t> raw, Symbology symbology, ScanSource source,
                          std::string device, const PayloadConfig& config,
                          const ValidationLimits& limits = {});

// For a decoder that chose the charset itself (the camera: ECI, ZXing's reading, GB18030; see
// charset.hpp): `utf8` is its text of `raw`, validated again here (caps, control characters) and
// recognised; `charset_error` set means the bytes were not valid text, and the event says so
// (error, payload Invalid) without any text.
ScanEvent make_decoded_scan_event(std::vector<std::uint8_t> raw, std::string_view utf8,
                                  TextEncoding encoding, ValidationError charset_error,
                                  Symbology symbology, ScanSource source, std::string device,
                                  const PayloadConfig& config, const ValidationLimits& limits = {});

}  // namespace kiosk::scanner
