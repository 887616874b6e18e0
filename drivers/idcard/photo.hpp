// PhotoDecoder: where a deployment plugs in its licensed WLT decoder.
//
// The card photo is 1024 bytes of the proprietary WLT format (102x126, 24-bit once decoded).
// Every known decoder is a licensed vendor library and no open implementation exists, so the
// kiosk ships none: Identity::photo stays opaque, and the UI shows a placeholder when no decoder
// is installed or decoding fails. A deployment implements this interface around its library.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace kiosk::idcard {

struct DecodedPhoto {
    int width = 0;                  // 102 for the resident card
    int height = 0;                 // 126
    std::vector<std::uint8_t> rgb;  // width * height * 3, row-major; wipe after use (personal data)
};

class PhotoDecoder {
  public:
    virtual ~PhotoDecoder() = default;
    // nullopt when the bytes are not a photo this decoder understands.
    virtual std::optional<DecodedPhoto> decode(std::span<const std::uint8_t> wlt) = 0;
};

// True when the bytes start like the WLT samples seen ("WLf", 57 4C 66): a hint for diagnostics,
// not a validation.
inline bool looks_like_wlt(std::span<const std::uint8_t> b) {
    return b.size() >= 3 && b[0] == 0x57 && b[1] == 0x4C && b[2] == 0x66;
}

// The decoder in use: none by default (the UI then shows its placeholder).
std::shared_ptr<PhotoDecoder> photo_decoder();
void set_photo_decoder(std::shared_ptr<PhotoDecoder> decoder);

}  // namespace kiosk::idcard
