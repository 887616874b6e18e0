// The camera corpus: kiosk codes printed (the kiosk's own writer, as on a pickup slip or a
// phone screen) and photographed through the camera model of degrade.hpp (perspective, barrel
// distortion, defocus, motion blur, vignetting, exposure, sensor noise, JPEG) into 1280×720
// frames. Deterministic; bench_scanner builds it in memory, `qr-corpus --camera` writes it.
#pragma once

#include <string>
#include <vector>

#include "degrade.hpp"

namespace qrcorpus {

struct CameraScene {
    std::string name, category, format, text;  // format: QR or Code128
    GreyImage printed;                         // the code as printed (before the camera)
    CameraShot shot;
    GreyImage frame;  // camera_frame(printed, shot); filled by camera_set()
};

// The scenes, frames rendered (seed `shot.seed`); `with_frames` false leaves `frame` empty.
std::vector<CameraScene> camera_set(bool with_frames = true);

}  // namespace qrcorpus
