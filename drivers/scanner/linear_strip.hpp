// Finding a linear code (Code 128 and the like) in a camera frame and resampling it across its
// bars, for codes whose bars are too thin and noisy for ZXing's row scan (a certificate label at
// ~2 px per module under defocus, sensor noise and JPEG, turned a few degrees).
//
// Why this works where a row scan does not: a row scan sees each row's noise on its own, and a
// turned code's rows cut the bars at an angle. The strip is sampled along the bars' own
// direction, so averaging along a bar removes noise without blurring across bars; a mild
// unsharp mask across the bars then restores the thin bars' contrast that defocus took.
// The technique (structure tensor for an oriented texture, averaging along the bars) is the
// common one of barcode localisation; no code of any decoder is used.
#pragma once

#include <optional>

#include "scanner/image.hpp"

namespace kiosk::scanner {

// Where a linear code lies, in full-frame pixels.
struct LinearStrip {
    double cx = 0, cy = 0;   // centre
    double ux = 1, uy = 0;   // unit vector across the bars (the gradient's direction)
    double half_across = 0;  // half the code's extent across the bars
    double half_along = 0;   // half the bars' length
    int blocks = 0;          // how many texture blocks voted for it
};

// Looks for the largest patch of strong, coherent, parallel edges (bars) in the frame, at full
// resolution (bars of 2 px vanish in a downscaled copy) but on a sparse grid of samples. Nothing
// found: no code-like texture, which is most frames of an idle kiosk.
std::optional<LinearStrip> find_linear_strip(const GreyImage& frame);

// The strip resampled from the full-resolution frame: columns run across the bars (with a quiet
// zone either side), `rows` rows each averaging a slice of the bars' length, then sharpened across
// the bars and contrast-stretched. `upsample` > 1 samples finer than the frame's pixels.
GreyImage resample_strip(const GreyImage& frame, const LinearStrip& s, int rows = 8,
                         double upsample = 1.5);

}  // namespace kiosk::scanner
