// libFuzzer target: camera frames (the pixels a camera or a file hands the decoder are outside
// bytes too). The first byte picks the width (1..256), the rest are grey pixels row by row. The
// strip search and resampling (linear_strip.hpp, our code) must never crash, hang or trip a
// sanitizer, whatever the pixels.
//
// ZXing itself is not fuzzed here: within a minute this target, run over the whole cascade, found
// a frame on which Debian's ZXing-cpp 1.4 fails an assert() in its Micro QR sampling
// (FindConcentricPatternCorners) and aborts the process; distributions keep ZXing's asserts
// (zxing-cpp issue #1154 reports the same class on 2.3). The frame is kept in
// tests/data/zxing-abort/; docs/security.md lists the gap and its remedy (a decoding process of
// its own, restarted when it dies).
#include <cstddef>
#include <cstdint>

#include "scanner/linear_strip.hpp"

using namespace kiosk::scanner;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2 || size > 256 * 256 + 1) return 0;
    const int width = data[0] + 1;
    const int height = static_cast<int>((size - 1) / static_cast<std::size_t>(width));
    if (height < 1) return 0;
    GreyImage img = make_grey(width, height);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            img.at(x, y) = data[1 + static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                                static_cast<std::size_t>(x)];
    if (auto s = find_linear_strip(img)) {
        if (!(s->half_across > 0) || !(s->half_along > 0)) __builtin_trap();
        for (const GreyImage& strip : {resample_strip(img, *s), resample_strip(img, *s, 1, 1.0),
                                       resample_strip(img, *s, 16, 2.0)}) {
            if (!strip.empty() && strip.pixels.size() != static_cast<std::size_t>(strip.width) *
                                                             static_cast<std::size_t>(strip.height))
                __builtin_trap();
        }
    }
    // The strip's geometry from the input itself (a remembered strip is reused on later frames).
    if (size >= 9) {
        LinearStrip s;
        s.cx = data[1] * 2.0 - 64, s.cy = data[2] * 2.0 - 64;
        s.ux = (data[3] - 128) / 128.0, s.uy = (data[4] - 128) / 128.0;
        s.half_across = data[5] * 4.0, s.half_along = data[6] * 2.0;
        (void)resample_strip(img, s, data[7] % 72, 0.5 + (data[8] % 5));
    }
    return 0;
}
