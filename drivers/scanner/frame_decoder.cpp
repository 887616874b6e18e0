// Camera frame decoding strategy over ZXing-cpp 1.4 (see frame_decoder.hpp).
// Reference: ZXing-cpp 1.4 ReadBarcode.h / DecodeHints.h (installed headers).
#include "scanner/frame_decoder.hpp"

#include "scanner/charset.hpp"

#include <ZXing/DecodeHints.h>
#include <ZXing/ImageView.h>
#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <cmath>
#include <exception>

namespace kiosk::scanner {
namespace {

ZXing::BarcodeFormat zx(Symbology s) {
    using F = ZXing::BarcodeFormat;
    switch (s) {
        case Symbology::QrCode:
            return F::QRCode;
        case Symbology::MicroQr:
            return F::MicroQRCode;
        case Symbology::Code128:
            return F::Code128;
        case Symbology::Code39:
            return F::Code39;
        case Symbology::Ean13:
            return F::EAN13;
        case Symbology::Ean8:
            return F::EAN8;
        case Symbology::Itf:
            return F::ITF;
        case Symbology::DataMatrix:
            return F::DataMatrix;
        case Symbology::Pdf417:
            return F::PDF417;
        case Symbology::Aztec:
            return F::Aztec;
        default:
            return F::None;
    }
}

Symbology from_zx(ZXing::BarcodeFormat f) {
    using F = ZXing::BarcodeFormat;
    switch (f) {
        case F::QRCode:
            return Symbology::QrCode;
        case F::MicroQRCode:
            return Symbology::MicroQr;
        case F::Code128:
            return Symbology::Code128;
        case F::Code39:
            return Symbology::Code39;
        case F::EAN13:
            return Symbology::Ean13;
        case F::EAN8:
            return Symbology::Ean8;
        case F::ITF:
            return Symbology::Itf;
        case F::DataMatrix:
            return Symbology::DataMatrix;
        case F::PDF417:
            return Symbology::Pdf417;
        case F::Aztec:
            return Symbology::Aztec;
        default:
            return Symbology::Other;
    }
}

bool is_linear(Symbology s) {
    return s == Symbology::Code128 || s == Symbology::Code39 || s == Symbology::Ean13 ||
           s == Symbology::Ean8 || s == Symbology::Itf;
}

// How read() turns ZXing's result into text: the kiosk's charset rule, or ZXing's own text.
enum class TextRule : std::uint8_t { Kiosk, ZxingText };

// Reads one code; coordinates are mapped back by (x * scale + ox, y * scale + oy).
std::optional<Decoded> read(const GreyImage& img, const ZXing::DecodeHints& hints, int scale,
                            int ox, int oy, TextRule rule = TextRule::Kiosk) {
    if (img.width < 8 || img.height < 8) return std::nullopt;
    ZXing::ImageView view(img.pixels.data(), img.width, img.height, ZXing::ImageFormat::Lum);
    ZXing::Result r;
    try {
        r = ZXing::ReadBarcode(view, hints);
    } catch (const std::exception&) {
        return std::nullopt;  // a decoder bug must not take the camera thread down
    }
    if (!r.isValid()) return std::nullopt;
    Decoded d;
    d.symbology = from_zx(r.format());
    const auto& bytes = r.bytes();
    d.raw.assign(bytes.begin(), bytes.end());
    if (rule == TextRule::ZxingText) {
        d.text = r.text();
    } else {
        // The charset rule (charset.hpp): ECI segments from ZXing's ECI-protocol form; without
        // ECI, ZXing's own reading (its guess) is what rule 2 identifies.
        const auto eci_form = r.bytesECI();
        std::vector<EciSegment> segments;
        if (!r.hasECI() || !parse_eci_protocol(eci_form, segments)) {
            segments.assign(1, EciSegment{-1, d.raw});
        }
        TextDecision t = decide_text(segments, r.hasECI() ? std::string() : r.text());
        d.text = std::move(t.text);
        d.encoding = t.encoding;
        d.charset_error = t.error;
        d.eci = t.eci;
    }
    const auto& pos = r.position();
    for (std::size_t i = 0; i < 4; ++i) {
        d.corners[i] =
            Point{pos[static_cast<int>(i)].x * scale + ox, pos[static_cast<int>(i)].y * scale + oy};
    }
    return d;
}

// Stretches the 1st..99th percentile of grey levels to 0..255.
GreyImage stretched(GreyImage img) {
    if (img.empty()) return img;
    std::array<std::size_t, 256> hist{};
    for (auto p : img.pixels) ++hist[p];
    const std::size_t n = img.pixels.size(), cut = n / 100;
    int lo = 0, hi = 255;
    for (std::size_t acc = 0; lo < 255 && (acc += hist[static_cast<std::size_t>(lo)]) <= cut;) ++lo;
    for (std::size_t acc = 0; hi > 0 && (acc += hist[static_cast<std::size_t>(hi)]) <= cut;) --hi;
    if (hi - lo < 8 || (lo == 0 && hi == 255)) return img;
    std::array<std::uint8_t, 256> lut{};
    for (int v = 0; v < 256; ++v) {
        lut[static_cast<std::size_t>(v)] =
            static_cast<std::uint8_t>(std::clamp((v - lo) * 255 / (hi - lo), 0, 255));
    }
    for (auto& p : img.pixels) p = lut[p];
    return img;
}

// 3×3 box filter (edges replicated): averages sensor noise at full resolution.
GreyImage box3(const GreyImage& in) {
    GreyImage out = in;
    for (int y = 0; y < in.height; ++y) {
        for (int x = 0; x < in.width; ++x) {
            int sum = 0;
            for (int dy = -1; dy <= 1; ++dy) {
                const int yy = std::clamp(y + dy, 0, in.height - 1);
                for (int dx = -1; dx <= 1; ++dx)
                    sum += in.at(std::clamp(x + dx, 0, in.width - 1), yy);
            }
            out.at(x, y) = static_cast<std::uint8_t>(sum / 9);
        }
    }
    return out;
}

GreyImage inverted(const GreyImage& in) {
    GreyImage out = in;
    for (auto& p : out.pixels) p = static_cast<std::uint8_t>(255 - p);
    return out;
}

// A linear code's strip resampled and read; the corners are the strip's in the frame.
// `wanted`: the options' formats; only the linear ones (is_linear) are read from a strip.
std::optional<Decoded> read_strip(const GreyImage& frame, const LinearStrip& s,
                                  const std::vector<Symbology>& wanted) {
    ZXing::BarcodeFormats linear;
    for (Symbology w : wanted)
        if (is_linear(w)) linear |= zx(w);
    if (linear.empty()) return std::nullopt;
    const GreyImage strip = resample_strip(frame, s);
    if (strip.empty()) return std::nullopt;
    auto d = read(strip,
                  ZXing::DecodeHints()
                      .setFormats(linear)
                      .setTryHarder(true)
                      .setTryRotate(false)
                      .setTryDownscale(false)
                      .setMaxNumberOfSymbols(1),
                  1, 0, 0);
    if (!d) return d;
    const double vx = -s.uy, vy = s.ux;
    const std::array<std::array<double, 2>, 4> k{{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}}};
    for (std::size_t i = 0; i < 4; ++i) {
        const double u = k[i][0] * s.half_across, v = k[i][1] * s.half_along;
        d->corners[i] = Point{static_cast<int>(std::lround(s.cx + u * s.ux + v * vx)),
                              static_cast<int>(std::lround(s.cy + u * s.uy + v * vy))};
    }
    return d;
}

}  // namespace

const char* to_string(DecodePass p) {
    switch (p) {
        case DecodePass::None:
            return "none";
        case DecodePass::Fast:
            return "fast";
        case DecodePass::Inverted:
            return "inverted";
        case DecodePass::Small:
            return "small full frame";
        case DecodePass::FullFrame:
            return "full frame";
        case DecodePass::InvertedFull:
            return "inverted full frame";
        case DecodePass::Roi:
            return "last code's box";
        case DecodePass::Linear:
            return "linear code's strip";
    }
    return "unknown";
}

FrameDecoder::FrameDecoder(DecodeOptions options) : opt_(std::move(options)) {
    opt_.fast_scale = std::clamp(opt_.fast_scale, 1, 8);
    opt_.fallback_every = std::max(opt_.fallback_every, 1);
    opt_.region_width = std::clamp(opt_.region_width, 0.1, 1.0);
    opt_.region_height = std::clamp(opt_.region_height, 0.1, 1.0);
    // Full resolution first: it is what plain ZXing does and catches tiny, off-centre and fine
    // linear codes (the fast pass's downscale loses them); then the inverted centre, the
    // denoised small frame, the inverted small frame.
    // A linear code's strip comes first when a linear format is wanted: it costs ~0.6 ms when
    // the frame has no bars (most frames), and reads the thin labels no other pass does.
    wants_linear_ = std::any_of(opt_.formats.begin(), opt_.formats.end(), is_linear);
    if (wants_linear_ && opt_.try_linear) fallbacks_.push_back(DecodePass::Linear);
    if (opt_.try_full_frame) fallbacks_.push_back(DecodePass::FullFrame);
    if (opt_.try_inverted) fallbacks_.push_back(DecodePass::Inverted);
    if (opt_.try_full_frame) {
        fallbacks_.push_back(DecodePass::Small);
        if (opt_.try_inverted) fallbacks_.push_back(DecodePass::InvertedFull);
    }
}

std::optional<Decoded> FrameDecoder::decode(const GreyImage& frame) {
    last_pass_ = DecodePass::None;
    if (!valid(frame)) return std::nullopt;
    prepare(frame);
    if (roi_age_ < opt_.roi_frames) {
        ++roi_age_;
        if (auto d = pass(DecodePass::Roi, frame)) {
            misses_ = 0;
            return d;
        }
    }
    if (auto d = pass(DecodePass::Fast, frame)) {
        misses_ = 0;
        remember(*d, DecodePass::Fast, frame);
        return d;
    }
    ++misses_;
    if (misses_ % opt_.fallback_every != 0) return std::nullopt;
    // One fallback per due frame, in turn: the frame time stays bounded and a held phone meets
    // every fallback within a few frames.
    const auto& order = fallbacks();
    if (order.empty()) return std::nullopt;
    DecodePass p = order[next_fallback_ % order.size()];
    next_fallback_ = (next_fallback_ + 1) % order.size();
    strip_seen_ = false;
    auto d = pass(p, frame);
    if (!d && p == DecodePass::Linear && !strip_seen_ && order.size() > 1) {
        // No bars in the frame: the strip search was cheap, so this frame gets the next one.
        p = order[next_fallback_ % order.size()];
        next_fallback_ = (next_fallback_ + 1) % order.size();
        d = pass(p, frame);
    }
    if (d) {
        misses_ = 0;
        remember(*d, p, frame);
    }
    return d;
}

// The hit's bounding box, grown by half its size each way, for the next frames' Roi pass.
void FrameDecoder::remember(const Decoded& d, DecodePass p, const GreyImage& frame) {
    if (opt_.roi_frames <= 0) return;
    int x0 = frame.width, y0 = frame.height, x1 = 0, y1 = 0;
    for (const auto& c : d.corners) {
        x0 = std::min(x0, c.x), y0 = std::min(y0, c.y);
        x1 = std::max(x1, c.x), y1 = std::max(y1, c.y);
    }
    if (x1 <= x0 || y1 <= y0) return;
    const int mx = std::max((x1 - x0) / 2, 24), my = std::max((y1 - y0) / 2, 24);
    roi_x_ = std::clamp(x0 - mx, 0, frame.width);
    roi_y_ = std::clamp(y0 - my, 0, frame.height);
    roi_w_ = std::min(x1 + mx, frame.width) - roi_x_;
    roi_h_ = std::min(y1 + my, frame.height) - roi_y_;
    roi_inverted_ = p == DecodePass::Inverted || p == DecodePass::InvertedFull;
    if (p != DecodePass::Linear) roi_strip_.reset();
    // Found at full resolution (FullFrame, or a still's Small pass): keep full resolution.
    roi_scale_ = (p == DecodePass::FullFrame ||
                  (p != DecodePass::Fast && p != DecodePass::Inverted && small_scale_ == 1))
                     ? 1
                     : opt_.fast_scale;
    roi_age_ = 0;
}

std::optional<Decoded> FrameDecoder::decode_thorough(const GreyImage& frame) {
    last_pass_ = DecodePass::None;
    if (!valid(frame)) return std::nullopt;
    prepare(frame);
    if (auto d = pass(DecodePass::Fast, frame)) return d;
    for (DecodePass p : fallbacks()) {
        if (auto d = pass(p, frame)) return d;
    }
    return std::nullopt;
}

bool FrameDecoder::valid(const GreyImage& frame) {
    return !frame.empty() && frame.width <= 16384 && frame.height <= 16384 &&
           frame.pixels.size() ==
               static_cast<std::size_t>(frame.width) * static_cast<std::size_t>(frame.height);
}

const std::vector<DecodePass>& FrameDecoder::fallbacks() const {
    return fallbacks_;
}

void FrameDecoder::prepare(const GreyImage& frame) {
    const int rw = static_cast<int>(frame.width * opt_.region_width);
    const int rh = static_cast<int>(frame.height * opt_.region_height);
    rx_ = (frame.width - rw) / 2;
    ry_ = (frame.height - rh) / 2;
    region_ = downscale(crop(frame, rx_, ry_, rw, rh), opt_.fast_scale);
    small_.pixels.clear();
    small_.width = small_.height = 0;
}

// The whole frame box-downscaled (which also averages sensor noise away) and contrast-stretched
// (washed-out screens), computed once per frame when a pass needs it.
const GreyImage& FrameDecoder::small(const GreyImage& frame) {
    if (small_.empty()) {
        // Camera frames are box-downscaled; small stills (a code image on its own) are box
        // filtered at full size instead, so their modules keep at least 2 px.
        small_scale_ = frame.width >= 1000 ? opt_.fast_scale : 1;
        small_ = stretched(small_scale_ > 1 ? downscale(frame, small_scale_) : box3(frame));
    }
    return small_;
}

std::optional<Decoded> FrameDecoder::pass(DecodePass p, const GreyImage& frame) {
    ZXing::BarcodeFormats formats;
    for (Symbology s : opt_.formats) formats |= zx(s);
    if (formats.empty()) formats = ZXing::BarcodeFormat::QRCode;
    const auto fast = ZXing::DecodeHints()
                          .setFormats(formats)
                          .setTryHarder(false)
                          .setTryRotate(false)
                          .setTryDownscale(false)
                          .setMaxNumberOfSymbols(1);
    const auto thorough = ZXing::DecodeHints()
                              .setFormats(formats)
                              .setTryHarder(true)
                              .setTryRotate(true)
                              .setTryDownscale(false)
                              .setMaxNumberOfSymbols(1);
    std::optional<Decoded> d;
    switch (p) {
        case DecodePass::Fast:
            d = read(region_, fast, opt_.fast_scale, rx_, ry_);
            break;
        case DecodePass::Inverted:
            d = read(inverted(region_), fast, opt_.fast_scale, rx_, ry_);
            break;
        case DecodePass::Small:
            d = read(small(frame), thorough, small_scale_, 0, 0);
            break;
        case DecodePass::FullFrame:
            // No 90° retry for linear codes here when the strip pass runs: it reads them at any
            // angle, and the retry is a third of this pass's time.
            d = read(frame,
                     ZXing::DecodeHints(thorough).setTryDownscale(true).setTryRotate(
                         !(opt_.try_linear && wants_linear_)),
                     1, 0, 0);
            break;
        case DecodePass::InvertedFull:
            d = read(inverted(small(frame)), thorough, small_scale_, 0, 0);
            break;
        case DecodePass::Linear: {
            // The strip's own geometry, not ZXing's corners in the resampled image.
            auto strip = find_linear_strip(frame);
            strip_seen_ = strip.has_value();
            if (strip) d = read_strip(frame, *strip, opt_.formats);
            if (d) roi_strip_ = strip;
            break;
        }
        case DecodePass::Roi: {
            if (roi_strip_) {  // a held label barely moves: its strip again, without the search
                d = read_strip(frame, *roi_strip_, opt_.formats);
                break;
            }
            GreyImage roi = downscale(crop(frame, roi_x_, roi_y_, roi_w_, roi_h_), roi_scale_);
            if (roi_inverted_) roi = inverted(roi);
            d = read(roi, fast, roi_scale_, roi_x_, roi_y_);
            break;
        }
        case DecodePass::None:
            break;
    }
    if (d) last_pass_ = p;
    return d;
}

std::optional<Decoded> decode_plain(const GreyImage& frame) {
    if (frame.empty()) return std::nullopt;
    return read(frame, ZXing::DecodeHints(), 1, 0, 0, TextRule::ZxingText);
}

}  // namespace kiosk::scanner
