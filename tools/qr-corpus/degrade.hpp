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

// [SECTION] Photographic degradations (issue 16)

// Motion blur: a line of `length` px at `degrees`.
GreyImage motion_blur(const GreyImage& in, double length, double degrees);
// Specular glare: a bright elliptic highlight at (cx, cy) (shares of the size), saturating.
GreyImage glare_spot(const GreyImage& in, double cx, double cy, double radius, double strength);
// Curvature: the image wrapped round a vertical cylinder (bottle, curved phone edge); `bend` 0..1
// is the share of a half turn the width covers; the edges are darker (falling light).
GreyImage cylinder(const GreyImage& in, double bend, std::uint8_t fill = 255);
// Multiplicative vignetting: brightness falls to (1 - strength) in the corners.
GreyImage vignette(const GreyImage& in, double strength);
// A real JPEG round trip (stb_image_write at `quality`, read back): 8×8 block artefacts.
GreyImage jpeg(const GreyImage& in, int quality);
// Damages finder pattern `which` (0 top-left, 1 top-right, 2 bottom-left) of a code whose
// symbol starts at `origin` px with `module` px modules: `diagonal` a smear from its outer corner
// covering `share` of it (this also breaks the diagonal cross-check finder detectors make),
// else a scratch along its outer edge over `share` of the edge's length.
GreyImage damage_finder(const GreyImage& in, int origin, int module, int which, double share,
                        std::uint8_t paint, bool diagonal = true);
// Sensor noise of a photograph: shot noise (σ ∝ √signal) plus read noise, seeded.
GreyImage sensor_noise(const GreyImage& in, double shot, double read, std::uint32_t seed);

// [SECTION] Camera model

// A printed code photographed by the kiosk's camera: the paper (code plus white margin) is placed
// in a 1280×720 scene at `centre` with `width_px`, rotated, tilted (perspective), the lens adds
// barrel distortion and defocus, the hand motion blur, the sensor vignetting, exposure, noise
// and the camera's JPEG compression.
struct CameraShot {
    double cx = 640, cy = 360;  // where the paper's centre lands
    double width_px = 300;      // the code's width in the frame (before tilt)
    double rotate_deg = 0;
    double tilt_x = 0, tilt_y = 0;  // degrees about the horizontal / vertical axis
    double barrel = 0.0;            // k1 of r' = r (1 + k1 r²), r in half-diagonals
    double defocus = 0.8;           // Gaussian σ in px
    double motion = 0;              // px
    double vignette = 0.25;
    int black = 40, white = 200;  // ink and paper after exposure
    double shot = 1.2, read = 2.0;
    int jpeg_quality = 85;
    std::uint32_t seed = 1;
};
GreyImage camera_frame(const GreyImage& printed, const CameraShot& shot);

}  // namespace qrcorpus
