// Image degradations for the decoding corpus: what a phone screen in front of a kiosk camera
// looks like (tilt, defocus, sensor noise, glare/low contrast, dark-mode inversion).
#pragma once

#include <array>
#include <cstdint>

#include "scanner/image.hpp"

namespace qrcorpus {

using kiosk::scanner::GreyImage;

GreyImage pad(const GreyImage& in, int border, std::uint8_t fill = 255);
GreyImage rotate(const GreyImage& in, double degrees, std::uint8_t fill = 255);
GreyImage blur(const GreyImage& in, double sigma);
GreyImage noise(const GreyImage& in, double sigma, std::uint32_t seed);
GreyImage contrast(const GreyImage& in, int lo, int hi);
GreyImage invert(const GreyImage& in);
// Maps the image's corners to the four given points (tl, tr, br, bl) in a w×h canvas.
GreyImage perspective(const GreyImage& in, const std::array<double, 8>& dst, int w, int h,
                      std::uint8_t fill = 255);
GreyImage resize(const GreyImage& in, int w, int h);  // bilinear
// Linear brightness gradient (glare across a phone screen): adds from 0 to `amount`, left→right.
GreyImage gradient(const GreyImage& in, int amount);
// Pastes `in` into `canvas` at (x, y), clipped.
void paste(GreyImage& canvas, const GreyImage& in, int x, int y);

}  // namespace qrcorpus
