// FrameDecoder: the camera pipeline's decoding strategy for one greyscale frame (ZXing-cpp 1.4).
//
// A phone held up to the kiosk's camera sits near the middle of a 1280×720 frame with a code
// 150–400 px wide. So the fast pass decodes only the centre region, box-downscaled (by 2 by
// default), for the few formats the kiosk uses, with ZXing's own retries off; after a hit, the
// hit's box is tried first for a few frames (ROI reuse). When the fast pass finds nothing the
// fallbacks run: the full frame at full resolution with ZXing's thorough settings (tiny,
// off-centre, fine linear codes), the centre inverted (light-on-dark codes, which ZXing 1.4 does
// not try by itself), the denoised small frame, and it inverted. Text: charset.hpp. In live use the
// fallbacks run on every `fallback_every`-th frame whose fast pass failed, one fallback per frame
// in turn, so a camera at 30 fps keeps a short latency while still catching the hard cases within a
// few frames; bench/scanner measures both. Does not: multi-code frames (the first code wins),
// structured append.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scanner/image.hpp"
#include "scanner/linear_strip.hpp"
#include "scanner/scan_event.hpp"

namespace kiosk::scanner {

struct DecodeOptions {
    // Formats of the fast pass and of the fallbacks. Default: QR, Micro QR (ZXing-cpp reads it
    // since 1.4.0; small labels and receipts) and Code 128 (staff certificate labels); add
    // DataMatrix / Pdf417 / Code39 / Ean13 if a hall needs them. rMQR: not in ZXing 1.4.
    std::vector<Symbology> formats = {Symbology::QrCode, Symbology::MicroQr, Symbology::Code128};
    double region_width = 0.6;  // centre region of the fast pass, as a share of the frame
    double region_height = 0.8;
    int fast_scale = 2;      // box-downscale factor of the fast pass (1 = none)
    int fallback_every = 1;  // 1: every failed frame gets the fallbacks; n: every n-th
    bool try_inverted = true;
    bool try_full_frame = true;
    // A linear code's strip (linear_strip.hpp) when a linear format is in `formats`.
    bool try_linear = true;
    // ROI reuse: for this many frames after a hit, the hit's box (plus a margin) is decoded
    // first, at the resolution and polarity that found it (a held phone barely moves). 0: off.
    int roi_frames = 15;
};

struct Point {
    int x = 0, y = 0;
};

struct Decoded {
    Symbology symbology = Symbology::Unknown;
    std::vector<std::uint8_t> raw;  // the symbol's content bytes, as coded (no ECI designators)
    // UTF-8 by the charset rule of charset.hpp (ECI, else ZXing's reading, else GB18030); empty
    // when `charset_error` is set (the payload is not valid text: rejected, never mojibake).
    // decode_plain() puts ZXing's own Result::text() here instead, whatever it is.
    std::string text;
    TextEncoding encoding = TextEncoding::Ascii;
    ValidationError charset_error = ValidationError::None;
    int eci = -1;                    // first ECI declared in the symbol, -1 none
    std::array<Point, 4> corners{};  // in frame coordinates
};

// Which pass found the code (for statistics and the bench).
enum class DecodePass : std::uint8_t {
    None,
    Fast,          // centre region, downscaled, fast hints
    Inverted,      // the same region inverted (ZXing 1.4 has no inverted-code option)
    Small,         // whole frame box-downscaled (denoised) and contrast-stretched, thorough hints
    FullFrame,     // whole frame at full resolution, thorough hints (tiny codes)
    InvertedFull,  // Small, inverted
    Roi,           // the last hit's box, at the scale and polarity that found it
    Linear,        // a linear code's strip, resampled along its bars (linear_strip.hpp)
};
const char* to_string(DecodePass p);

class FrameDecoder {
  public:
    explicit FrameDecoder(DecodeOptions options = {});
    // The live cascade: the fast pass, then (on every `fallback_every`-th miss) ONE fallback pass,
    // taking the fallbacks in turn.
    std::optional<Decoded> decode(const GreyImage& frame);
    // The fast pass then every fallback in order (for still images and tests).
    std::optional<Decoded> decode_thorough(const GreyImage& frame);
    DecodePass last_pass() const { return last_pass_; }
    const DecodeOptions& options() const { return opt_; }

  private:
    static bool valid(const GreyImage& frame);
    void prepare(const GreyImage& frame);
    const GreyImage& small(const GreyImage& frame);
    const std::vector<DecodePass>& fallbacks() const;
    std::optional<Decoded> pass(DecodePass p, const GreyImage& frame);

    void remember(const Decoded& d, DecodePass p, const GreyImage& frame);

    DecodeOptions opt_;
    std::vector<DecodePass> fallbacks_;
    int roi_age_ = 1 << 20, roi_x_ = 0, roi_y_ = 0, roi_w_ = 0, roi_h_ = 0, roi_scale_ = 1;
    bool roi_inverted_ = false;
    std::optional<LinearStrip> roi_strip_;  // the last hit was a Linear pass: its strip
    bool strip_seen_ = false;               // the last Linear pass found bars
    bool wants_linear_ = false;             // a linear format is in the options
    std::size_t next_fallback_ = 0;
    int misses_ = 0;
    DecodePass last_pass_ = DecodePass::None;
    GreyImage region_, small_;
    int rx_ = 0, ry_ = 0, small_scale_ = 1;
};

// Plain ZXing::ReadBarcode on the whole frame with default hints (every format, ZXing's retries):
// the bench's baseline, and a reference in tests.
std::optional<Decoded> decode_plain(const GreyImage& frame);

}  // namespace kiosk::scanner
