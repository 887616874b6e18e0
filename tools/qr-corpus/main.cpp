// qr-corpus: writes the decoding test image set (tests/data/qr): kiosk payloads encoded with
// ZXing's writer (scanner/qr_writer.hpp), degraded the ways a phone screen in front of a camera
// is (rotation, blur, noise, low contrast, perspective, inversion, tiny and huge modules), as
// greyscale PNGs plus manifest.tsv (file, format, expected text, degradation).
// Usage: qr-corpus <output dir>     Deterministic: the same program writes the same files.
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "degrade.hpp"
#include "scanner/frame_decoder.hpp"
#include "scanner/payload.hpp"
#include "scanner/qr_writer.hpp"

using namespace kiosk::scanner;
using namespace qrcorpus;

namespace {

struct Case {
    std::string name;
    CodeFormat format;
    std::string text;
    std::string what;
    GreyImage image;
};

std::string notice() {
    const std::string n19 = "4306002026000012345";
    return n19 + payment_notice_check_digit(n19);
}

GreyImage code(const std::string& text, int module, CodeFormat f = CodeFormat::QrCode,
               QrEcc ecc = QrEcc::M) {
    CodeOptions o;
    o.format = f;
    o.module_pixels = module;
    o.ecc = ecc;
    if (f == CodeFormat::Code128) o.bar_height = 60 + module * 10;
    std::string err;
    GreyImage g = make_code(text, o, &err);
    if (g.empty())
        std::fprintf(stderr, "qr-corpus: cannot encode '%s': %s\n", text.c_str(), err.c_str());
    return g;
}

// A mid-grey "screen bezel" border so codes do not touch the image edge.
GreyImage framed(const GreyImage& g, int border = 16) {
    return pad(g, border, 235);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: qr-corpus <output dir>\n");
        return 2;
    }
    const std::string out = argv[1];
    const std::vector<std::string> P = {
        "ESTN:PICKUP:12345678",
        "https://zwfw.yueyang.gov.cn/guide/open-small-restaurant",
        "https://zwfw.yueyang.gov.cn/receipt/R2026-000123",
        notice(),
        "ESTN:EID:eyJhbGciOiJFUzI1NiJ9.dGVzdC10b2tlbi0wMDAx",
        "岳阳市政务服务中心 取件码 123456",
        "https://example.com/not-for-this-kiosk",
        "https://zwfw.yueyang.gov.cn/guide/T0001?lang=zh&from=estation&items=business-licence,"
        "small-catering-permit,temporary-road-occupation,tax-registration&v=20261126",
        "12345678",
    };
    const std::vector<std::string> C = {"ESTN:CERT:YY-2026-000123", "12345678", notice()};
    const auto Q = CodeFormat::QrCode;
    const auto L = CodeFormat::Code128;
    std::vector<Case> cases;
    auto add = [&](std::string name, CodeFormat f, const std::string& text, std::string what,
                   GreyImage img) {
        cases.push_back({std::move(name), f, text, std::move(what), std::move(img)});
    };

    // Clean references.
    for (std::size_t i = 0; i < P.size(); ++i) {
        add("clean-q" + std::to_string(i), Q, P[i], "clean, 4 px modules", framed(code(P[i], 4)));
    }
    for (std::size_t i = 0; i < C.size(); ++i) {
        add("clean-c" + std::to_string(i), L, C[i], "clean Code 128, 2 px modules",
            framed(code(C[i], 2, L)));
    }
    // Rotation.
    const double angles[] = {10, 30, 45, 90, 135, 200, 315};
    for (std::size_t i = 0; i < std::size(angles); ++i) {
        const auto& t = P[i % 4];
        add("rot" + std::to_string(static_cast<int>(angles[i])) + "-q" + std::to_string(i % 4), Q,
            t, "rotated " + std::to_string(static_cast<int>(angles[i])) + " deg",
            rotate(framed(code(t, 5)), angles[i], 235));
    }
    add("rot5-c0", L, C[0], "Code 128 rotated 5 deg", rotate(framed(code(C[0], 3, L)), 5, 235));
    add("rot90-c1", L, C[1], "Code 128 rotated 90 deg", rotate(framed(code(C[1], 3, L)), 90, 235));
    // Blur.
    const double sigmas[] = {1.0, 1.6, 2.2};
    for (std::size_t i = 0; i < std::size(sigmas); ++i) {
        add("blur" + std::to_string(i) + "-q" + std::to_string(i + 1), Q, P[i + 1],
            "gaussian blur sigma " + std::to_string(sigmas[i]).substr(0, 3),
            blur(framed(code(P[i + 1], 6)), sigmas[i]));
    }
    add("blur-c2", L, C[2], "Code 128 blur sigma 1.0", blur(framed(code(C[2], 3, L)), 1.0));
    // Sensor noise.
    const double noises[] = {20, 35, 50};
    for (std::size_t i = 0; i < std::size(noises); ++i) {
        add("noise" + std::to_string(static_cast<int>(noises[i])) + "-q" + std::to_string(i), Q,
            P[i], "gaussian noise sigma " + std::to_string(static_cast<int>(noises[i])),
            noise(framed(code(P[i], 5)), noises[i], 1000 + static_cast<std::uint32_t>(i)));
    }
    add("noise25-c0", L, C[0], "Code 128 noise sigma 25", noise(framed(code(C[0], 3, L)), 25, 77));
    // Low contrast and glare.
    add("lowc-q3", Q, P[3], "contrast 110..150", contrast(framed(code(P[3], 5)), 110, 150));
    add("lowc-q4", Q, P[4], "contrast 90..140 (dim)", contrast(framed(code(P[4], 5)), 90, 140));
    add("lowc-q5", Q, P[5], "contrast 200..240 (washed out)",
        contrast(framed(code(P[5], 5)), 200, 240));
    add("glare-q0", Q, P[0], "glare gradient, contrast 60..200",
        gradient(contrast(framed(code(P[0], 5)), 40, 160), 90));
    add("lowc-c1", L, C[1], "Code 128 contrast 100..160",
        contrast(framed(code(C[1], 3, L)), 100, 160));
    // Perspective (phone tilted towards the camera).
    {
        const GreyImage a = framed(code(P[1], 6));
        add("persp0-q1", Q, P[1], "perspective: left edge far",
            perspective(a, {60, 40, 400, 0, 400, 460, 60, 420}, 460, 460, 235));
        const GreyImage b = framed(code(P[2], 6));
        add("persp1-q2", Q, P[2], "perspective: top edge far",
            perspective(b, {70, 40, 330, 40, 400, 380, 0, 380}, 400, 400, 235));
        const GreyImage c = framed(code(P[0], 6));
        add("persp2-q0", Q, P[0], "perspective: corner far",
            perspective(c, {20, 10, 300, 60, 280, 330, 40, 300}, 340, 340, 235));
        const GreyImage d = framed(code(P[8], 6));
        add("persp3-q8", Q, P[8], "perspective + rotation",
            perspective(d, {120, 0, 330, 110, 220, 330, 0, 210}, 340, 340, 235));
    }
    // Inverted (dark mode screens).
    add("inv-q0", Q, P[0], "inverted", invert(framed(code(P[0], 5))));
    add("inv-q1", Q, P[1], "inverted, rotated 20 deg",
        rotate(invert(framed(code(P[1], 5))), 20, 20));
    add("inv-q2", Q, P[2], "inverted, noise 20", noise(invert(framed(code(P[2], 5))), 20, 5));
    add("inv-c0", L, C[0], "Code 128 inverted", invert(framed(code(C[0], 3, L))));
    // Tiny codes.
    add("tiny2-q0", Q, P[0], "tiny: 2 px modules", framed(code(P[0], 2), 8));
    add("tiny2-q8", Q, P[8], "tiny: 2 px modules", framed(code(P[8], 2), 8));
    add("tiny2-q1", Q, P[1], "tiny: 2 px modules", framed(code(P[1], 2), 8));
    {
        const GreyImage g = code(P[8], 4);
        add("tiny15-q8", Q, P[8], "tiny: 1.5 px modules (resampled)",
            framed(resize(g, g.width * 3 / 8, g.height * 3 / 8), 8));
    }
    add("tiny-c1", L, C[1], "tiny Code 128: 1 px modules", framed(code(C[1], 1, L), 8));
    // Huge codes (phone held very close).
    add("huge-q8", Q, P[8], "huge: 24 px modules", code(P[8], 24));
    add("huge-q0", Q, P[0], "huge: 20 px modules", code(P[0], 20));
    add("huge-q2", Q, P[2], "huge: 16 px modules, blur 3", blur(code(P[2], 16), 3.0));
    // Combinations.
    add("combo0-q1", Q, P[1], "rotated 25 deg, blur 1.2, noise 15",
        noise(blur(rotate(framed(code(P[1], 6)), 25, 235), 1.2), 15, 11));
    add("combo1-q3", Q, P[3], "rotated 160 deg, blur 1.0, noise 25",
        noise(blur(rotate(framed(code(P[3], 6)), 160, 235), 1.0), 25, 12));
    add("combo2-q7", Q, P[7], "long URL (high version), rotated 8 deg, noise 12",
        noise(rotate(framed(code(P[7], 4)), 8, 235), 12, 13));
    add("combo3-q5", Q, P[5], "perspective, contrast 80..180, noise 15",
        noise(contrast(perspective(framed(code(P[5], 6)), {30, 30, 380, 10, 400, 400, 10, 370}, 420,
                                   420, 235),
                       80, 180),
              15, 14));
    add("combo4-q6", Q, P[6], "inverted, blur 1.2, low contrast",
        contrast(blur(invert(framed(code(P[6], 5))), 1.2), 60, 170));
    // Occlusion: a finger or a logo over the middle of an ECC-H code.
    {
        GreyImage g = framed(code(P[0], 6, Q, QrEcc::H));
        paste(g, make_grey(g.width / 5, g.height / 5, 128), g.width * 2 / 5, g.height * 2 / 5);
        add("occl-q0", Q, P[0], "ECC H, centre 20% occluded", g);
        GreyImage h = framed(code(P[2], 5, Q, QrEcc::H));
        paste(h, make_grey(h.width / 4, h.height / 6, 255), h.width / 2, h.height / 3);
        add("occl-q2", Q, P[2], "ECC H, white patch", h);
    }
    // Other kiosk payloads with mixed degradations.
    for (std::size_t i = 4; i < P.size(); ++i) {
        add("mixed-q" + std::to_string(i), Q, P[i], "rotated 12 deg, blur 0.8, noise 10",
            noise(blur(rotate(framed(code(P[i], 5)), 12, 235), 0.8), 10,
                  20 + static_cast<std::uint32_t>(i)));
    }

    std::ofstream manifest(out + "/manifest.tsv");
    manifest << "# file\tformat\ttext\tdegradation (generated by tools/qr-corpus)\n";
    FrameDecoder dec;
    int n = 0, ok_kiosk = 0, ok_plain = 0;
    for (std::size_t i = 0; i < cases.size(); ++i) {
        auto& c = cases[i];
        char idx[24];
        std::snprintf(idx, sizeof idx, "%02zu", i);
        const std::string file = std::string(idx) + "-" + c.name + ".png";
        if (c.image.empty() || !save_png(c.image, out + "/" + file)) {
            std::fprintf(stderr, "qr-corpus: failed to write %s\n", file.c_str());
            return 1;
        }
        manifest << file << '\t' << (c.format == Q ? "QR" : "Code128") << '\t' << c.text << '\t'
                 << c.what << '\n';
        auto k = dec.decode_thorough(c.image);
        auto p = decode_plain(c.image);
        const bool kok = k && k->text == c.text;
        const bool pok = p && p->text == c.text;
        ok_kiosk += kok;
        ok_plain += pok;
        ++n;
        std::printf("%-28s %4dx%-4d kiosk:%s plain:%s  %s\n", file.c_str(), c.image.width,
                    c.image.height, kok ? "ok  " : "FAIL", pok ? "ok  " : "FAIL", c.what.c_str());
    }
    std::printf("%d images; decoded by the kiosk decoder: %d, by plain ZXing: %d\n", n, ok_kiosk,
                ok_plain);
    return 0;
}
