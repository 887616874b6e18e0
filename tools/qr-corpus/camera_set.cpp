// The camera corpus (see camera_set.hpp). Shot parameters are chosen for what a kiosk camera
// at 40–60 cm sees: codes 90–420 px wide in a 1280×720 frame, tilts up to 55°, defocus σ up to
// 2.5 px, hand motion up to 8 px, dim halls (ink 60 / paper 140) and bright ones.
#include "camera_set.hpp"

#include "scanner/payload.hpp"
#include "scanner/qr_writer.hpp"

namespace qrcorpus {
namespace {

GreyImage printed(const std::string& text, bool linear) {
    kiosk::scanner::CodeOptions o;
    o.format = linear ? kiosk::scanner::CodeFormat::Code128 : kiosk::scanner::CodeFormat::QrCode;
    o.module_pixels = linear ? 3 : 8;
    if (linear) o.bar_height = 120;
    return kiosk::scanner::make_code(text, o);
}

std::string notice() {
    const std::string n19 = "4306002026000012345";
    return n19 + kiosk::scanner::payment_notice_check_digit(n19);
}

}  // namespace

std::vector<CameraScene> camera_set(bool with_frames) {
    const std::vector<std::string> P = {
        "ESTN:PICKUP:12345678",
        "https://zwfw.yueyang.gov.cn/guide/open-small-restaurant",
        "https://zwfw.yueyang.gov.cn/receipt/R2026-000123",
        notice(),
        "岳阳市政务服务中心 取件码 123456",
        "https://zwfw.yueyang.gov.cn/guide/T0001?lang=zh&from=estation&items=business-licence",
    };
    std::vector<CameraScene> out;
    std::uint32_t seed = 500;
    auto add = [&](const std::string& cat, std::size_t i, CameraShot s, bool linear = false) {
        CameraScene c;
        const std::string text = linear ? std::string("ESTN:CERT:YY-2026-000123") : P[i % P.size()];
        c.name = cat + "-" + std::to_string(out.size());
        c.category = cat;
        c.format = linear ? "Code128" : "QR";
        c.text = text;
        c.printed = printed(text, linear);
        s.seed = ++seed;
        c.shot = s;
        out.push_back(std::move(c));
    };
    // Near and centred: the common case.
    for (std::size_t i = 0; i < 5; ++i) {
        CameraShot s;
        s.width_px = 260 + 35.0 * static_cast<double>(i);
        s.cx = 600 + 30.0 * static_cast<double>(i);
        s.cy = 340 + 10.0 * static_cast<double>(i);
        s.rotate_deg = -8 + 4.0 * static_cast<double>(i);
        s.tilt_x = 10;
        s.tilt_y = -8;
        add("cam-near", i, s);
    }
    // Far: small codes (90–150 px).
    for (std::size_t i = 0; i < 5; ++i) {
        CameraShot s;
        s.width_px = 90 + 15.0 * static_cast<double>(i);
        s.cx = 560 + 40.0 * static_cast<double>(i);
        s.rotate_deg = 5.0 * static_cast<double>(i);
        s.defocus = 0.7;
        add("cam-far", i, s);
    }
    // Tilted 35–55° (the slip held flat, the phone angled).
    for (std::size_t i = 0; i < 5; ++i) {
        CameraShot s;
        s.width_px = 300;
        s.tilt_x = i % 2 ? 45 + 2.0 * static_cast<double>(i) : 20;
        s.tilt_y = i % 2 ? 10 : 35 + 4.0 * static_cast<double>(i);
        s.rotate_deg = 15.0 * static_cast<double>(i);
        add("cam-tilt", i, s);
    }
    // Defocused (phone too close for the fixed-focus lens).
    for (std::size_t i = 0; i < 5; ++i) {
        CameraShot s;
        s.width_px = 330 + 20.0 * static_cast<double>(i);
        s.defocus = 1.5 + 0.25 * static_cast<double>(i);
        s.rotate_deg = -10 + 5.0 * static_cast<double>(i);
        add("cam-defocus", i, s);
    }
    // Hand motion.
    for (std::size_t i = 0; i < 5; ++i) {
        CameraShot s;
        s.width_px = 280 + 20.0 * static_cast<double>(i);
        s.motion = 3 + static_cast<double>(i);
        s.tilt_y = 12;
        add("cam-motion", i, s);
    }
    // Dim hall at night: low exposure, high gain noise.
    for (std::size_t i = 0; i < 5; ++i) {
        CameraShot s;
        s.width_px = 240 + 30.0 * static_cast<double>(i);
        s.black = 55;
        s.white = 120 + 5 * static_cast<int>(i);
        s.shot = 3.0;
        s.read = 5.0;
        s.vignette = 0.45;
        s.rotate_deg = 20.0 * static_cast<double>(i);
        add("cam-dim", i, s);
    }
    // Off-centre near the frame edge: barrel distortion and vignetting are strongest there.
    for (std::size_t i = 0; i < 5; ++i) {
        CameraShot s;
        s.width_px = 200 + 20.0 * static_cast<double>(i);
        s.cx = i % 2 ? 200 : 1080;
        s.cy = i < 2 ? 170 : 550;
        s.barrel = 0.12;
        s.vignette = 0.4;
        s.tilt_y = i % 2 ? 20 : -20;
        add("cam-edge", i, s);
    }
    // Staff certificate labels (Code 128) on a loading trolley.
    for (std::size_t i = 0; i < 3; ++i) {
        CameraShot s;
        s.width_px = 700 + 60.0 * static_cast<double>(i);  // ~2 px per bar module
        s.rotate_deg = -6 + 6.0 * static_cast<double>(i);
        s.tilt_x = 15;
        s.defocus = 0.9;
        add("cam-label", i, s, true);
    }
    if (with_frames) {
        for (auto& c : out) c.frame = camera_frame(c.printed, c.shot);
    }
    return out;
}

}  // namespace qrcorpus
