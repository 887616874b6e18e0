// ScanEvent construction and names. AIM symbology identifiers after ISO/IEC 15424.
#include "scanner/scan_event.hpp"

namespace kiosk::scanner {

const char* to_string(Symbology s) {
    switch (s) {
        case Symbology::Unknown:
            return "unknown";
        case Symbology::QrCode:
            return "QR";
        case Symbology::MicroQr:
            return "Micro QR";
        case Symbology::Code128:
            return "Code 128";
        case Symbology::Code39:
            return "Code 39";
        case Symbology::Ean13:
            return "EAN-13";
        case Symbology::Ean8:
            return "EAN-8";
        case Symbology::Itf:
            return "ITF";
        case Symbology::DataMatrix:
            return "Data Matrix";
        case Symbology::Pdf417:
            return "PDF417";
        case Symbology::Aztec:
            return "Aztec";
        case Symbology::Other:
            return "other";
    }
    return "unknown";
}

const char* to_string(ScanSource s) {
    switch (s) {
        case ScanSource::KeyboardWedge:
            return "keyboard wedge";
        case ScanSource::HidPos:
            return "hid pos";
        case ScanSource::Serial:
            return "serial";
        case ScanSource::Camera:
            return "camera";
        case ScanSource::Injected:
            return "injected";
    }
    return "unknown";
}

Symbology symbology_from_aim(std::string_view aim) {
    if (aim.size() < 2 || aim[0] != ']') return Symbology::Unknown;
    const char m = aim.size() >= 3 ? aim[2] : '\0';
    switch (aim[1]) {
        case 'Q':
            return Symbology::QrCode;
        case 'C':
            return Symbology::Code128;
        case 'A':
            return Symbology::Code39;
        case 'E':
            return m == '4' ? Symbology::Ean8 : Symbology::Ean13;
        case 'I':
            return Symbology::Itf;
        case 'd':
            return Symbology::DataMatrix;
        case 'L':
            return Symbology::Pdf417;
        case 'z':
            return Symbology::Aztec;
        default:
            return Symbology::Other;
    }
}

ScanEvent make_scan_event(std::vector<std::uint8_t> raw, Symbology symbology, ScanSource source,
                          std::string device, const PayloadConfig& config,
                          const ValidationLimits& limits) {
    ScanEvent ev;
    ev.symbology = symbology;
    ev.source = source;
    ev.device = std::move(device);
    ValidatedText v = validate_text(raw, limits);
    // Keep at most the byte cap of raw input: an over-long scan still reports what arrived.
    if (raw.size() > limits.max_bytes) raw.resize(limits.max_bytes);
    ev.raw = std::move(raw);
    ev.error = v.error;
    ev.encoding = v.encoding;
    if (!v.ok()) {
        ev.payload = Payload{PayloadKind::NotForKiosk, Rejection::Invalid, {}, {}};
        return ev;
    }
    ev.text = std::move(v.text);
    ev.payload = recognise(ev.text, config);
    return ev;
}

ScanEvent make_decoded_scan_event(std::vector<std::uint8_t> raw, std::string_view utf8,
                                  TextEncoding encoding, ValidationError charset_error,
                                  Symbology symbology, ScanSource source, std::string device,
                                  const PayloadConfig& config, const ValidationLimits& limits) {
    ScanEvent ev;
    ev.symbology = symbology;
    ev.source = source;
    ev.device = std::move(device);
    ev.encoding = encoding;
    ValidationError err = charset_error;
    ValidatedText v;
    if (err == ValidationError::None && raw.size() > limits.max_bytes)
        err = ValidationError::TooLong;
    if (err == ValidationError::None) {
        v = validate_text(utf8, limits);  // UTF-8 in, so only caps and control characters act
        err = v.error;
    }
    if (raw.size() > limits.max_bytes) raw.resize(limits.max_bytes);
    ev.raw = std::move(raw);
    ev.error = err;
    if (err != ValidationError::None) {
        ev.payload = Payload{PayloadKind::NotForKiosk, Rejection::Invalid, {}, {}};
        return ev;
    }
    ev.text = std::move(v.text);
    ev.payload = recognise(ev.text, config);
    return ev;
}

}  // namespace kiosk::scanner
