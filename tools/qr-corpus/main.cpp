// qr-corpus: writes the decoding test image set (tests/data/qr): kiosk payloads encoded with
// ZXing's writer (scanner/qr_writer.hpp) and libqrencode (exact bytes with or without ECI, Micro
// QR), degraded the ways a phone screen or a printed slip in front of a camera is (rotation,
// blur, noise, low contrast, glare, perspective, curvature, inversion, damaged finder patterns,
// photographic noise and JPEG, tiny and huge modules), as greyscale PNGs plus manifest.tsv
// (file, format, category, expected text, degradation, expectation).
// Usage: qr-corpus <output dir> [--camera <dir>]   Deterministic: the same files every run.
// --camera also writes the camera-model frames bench_scanner builds in memory (1280×720 JPEG-
// degraded PNGs, not kept in the repository).
#include <cstdio>
#include <array>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "camera_set.hpp"
#include "degrade.hpp"
#include "qrenc.hpp"
#include "scanner/frame_decoder.hpp"
#include "scanner/payload.hpp"
#include "scanner/qr_writer.hpp"

using namespace kiosk::scanner;
using namespace qrcorpus;

namespace {

struct Case {
    std::string name;
    std::string format;    // QR, MicroQR, Code128
    std::string category;  // bench_scanner reports the decode rate per category
    std::string text;      // expected UTF-8 text ("" when the expectation is an error)
    std::string what;
    GreyImage image;
    std::string expect;  // "", "encoding=<name>", "error=<name>" or "hard" (not required)
};

// The category of the original cases, from their names.
std::string category_of(const std::string& name) {
    static const std::pair<const char*, const char*> prefixes[] = {
        {"clean", "clean"},     {"rot", "rotation"},     {"blur", "blur"},
        {"noise", "noise"},     {"lowc", "contrast"},    {"glare", "glare"},
        {"persp", "perspective"}, {"inv", "inverted"},   {"tiny", "tiny"},
        {"huge", "huge"},       {"combo", "combination"}, {"occl", "occlusion"},
        {"mixed", "combination"}};
    for (const auto& [p, c] : prefixes) {
        if (name.rfind(p, 0) == 0) return c;
    }
    return "other";
}

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
    if (argc != 2 && !(argc == 4 && std::string(argv[2]) == "--camera")) {
        std::fprintf(stderr, "usage: qr-corpus <output dir> [--camera <dir>]\n");
        return 2;
    }
    const std::string out = argv[1];
    const std::string camera_dir = argc == 4 ? argv[3] : "";
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
        std::string cat = category_of(name);
        cases.push_back({std::move(name), f == CodeFormat::Code128 ? "Code128" : "QR",
                         std::move(cat), text, std::move(what), std::move(img), ""});
    };
    auto add_as = [&](std::string name, std::string format, std::string category,
                      const std::string& text, std::string what, GreyImage img,
                      std::string expect = "") {
        cases.push_back({std::move(name), std::move(format), std::move(category), text,
                         std::move(what), std::move(img), std::move(expect)});
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

    // ---- Issue 16: what real photographs of codes show (appended: earlier names stay). ----
    // Photographic: sensor noise (shot + read), slight defocus, uneven light, JPEG.
    for (std::size_t k = 0; k < 4; ++k) {
        const std::size_t i = std::array<std::size_t, 4>{0, 1, 2, 5}[k];
        add_as("photo-q" + std::to_string(i), "QR", "photo", P[i],
               "photo: defocus 1.0, light gradient, shot+read noise, JPEG q" +
                   std::to_string(60 + 10 * k),
               jpeg(sensor_noise(gradient(contrast(blur(framed(code(P[i], 5)), 1.0), 50, 200),
                                          -40 + 25 * static_cast<int>(k)),
                                 2.0, 3.0, 300 + static_cast<std::uint32_t>(k)),
                    60 + 10 * static_cast<int>(k)));
    }
    // Motion blur (hand shake).
    add_as("motion-q1", "QR", "blur", P[1], "motion blur 6 px at 30 deg",
           motion_blur(framed(code(P[1], 6)), 6, 30));
    add_as("motion-q3", "QR", "blur", P[3], "motion blur 8 px at 100 deg",
           motion_blur(framed(code(P[3], 6)), 8, 100));
    // Steeper perspective.
    add_as("persp4-q1", "QR", "perspective", P[1], "perspective: steep, left edge far (55%)",
           perspective(framed(code(P[1], 6)), {100, 110, 420, 0, 420, 460, 100, 350}, 460, 460,
                       235));
    add_as("persp5-q4", "QR", "perspective", P[4], "perspective: steep, bottom edge far",
           perspective(framed(code(P[4], 6)), {0, 0, 440, 0, 340, 330, 100, 330}, 440, 340, 235));
    // Curvature: a slip round a bottle, a curved phone edge.
    add_as("curve50-q0", "QR", "curvature", P[0], "wrapped on a cylinder, 50% of a half turn",
           cylinder(framed(code(P[0], 6)), 0.5, 235));
    add_as("curve70-q1", "QR", "curvature", P[1], "wrapped on a cylinder, 70% of a half turn",
           cylinder(framed(code(P[1], 6)), 0.7, 235));
    add_as("curve85-q2", "QR", "curvature", P[2], "cylinder 85%, noise 10",
           noise(cylinder(framed(code(P[2], 6)), 0.85, 235), 10, 41), "hard");
    // Specular glare spots.
    add_as("glare2-q1", "QR", "glare", P[1], "glare spot 0.7 over the centre",
           glare_spot(contrast(framed(code(P[1], 5)), 30, 220), 0.5, 0.5, 0.18, 0.7));
    add_as("glare3-q2", "QR", "glare", P[2], "glare spot 0.9 near a finder",
           glare_spot(contrast(framed(code(P[2], 5)), 30, 220), 0.3, 0.3, 0.15, 0.9), "hard");
    add_as("glare4-q0", "QR", "glare", P[0], "glare band across, contrast 60..190",
           glare_spot(gradient(contrast(framed(code(P[0], 5)), 60, 190), 40), 0.6, 0.45, 0.25,
                      0.6));
    // More inverted (dark-mode screens photographed).
    add_as("inv-persp-q1", "QR", "inverted", P[1], "inverted, perspective",
           perspective(invert(framed(code(P[1], 6))), {40, 20, 400, 40, 420, 440, 20, 400}, 440,
                       460, 20));
    add_as("inv-photo-q4", "QR", "inverted", P[4], "inverted, sensor noise, JPEG q70",
           jpeg(sensor_noise(contrast(invert(framed(code(P[4], 5))), 30, 210), 2.0, 3.0, 77), 70));
    // Damaged finder patterns (a scratch, a sticker, a fold over one corner).
    {
        const GreyImage a = code(P[0], 6, Q, QrEcc::H);
        add_as("finder15-q0", "QR", "finder", P[0], "top-left finder: white scratch on its edge",
               framed(damage_finder(a, 4 * 6, 6, 0, 0.6, 255, false)), "hard");
        const GreyImage b = code(P[2], 6, Q, QrEcc::Q);
        add_as("finder25-q2", "QR", "finder", P[2], "top-right finder: grey scratch on its edge, ECC Q",
               framed(damage_finder(b, 4 * 6, 6, 1, 0.5, 150, false)));
        add_as("finder20-q1", "QR", "finder", P[1], "top-left finder corner 20% smeared white, ECC H",
               framed(damage_finder(code(P[1], 6, Q, QrEcc::H), 4 * 6, 6, 0, 0.2, 255)), "hard");
        const GreyImage c = code(P[3], 6, Q, QrEcc::M);
        add_as("finder40-q3", "QR", "finder", P[3], "bottom-left finder 40% inked black, ECC M",
               framed(damage_finder(c, 4 * 6, 6, 2, 0.4, 0)), "hard");
    }
    // Character sets (libqrencode: exact bytes, ECI header or none). The text column is what the
    // kiosk must show; expect says which charset it must have read, or which rejection.
    {
        const std::string gb =
            "\xD4\xC0\xD1\xF4\xCA\xD0\xD5\xFE\xCE\xF1\xB7\xFE\xCE\xF1\xD6\xD0\xD0\xC4 "
            "\xC8\xA1\xBC\xFE\xC2\xEB 123456";
        const std::string gb_utf8 = "岳阳市政务服务中心 取件码 123456";
        const std::string sjis = "\x93\xFA\x96\x7B\x8C\xEA\x82\xCC\x83\x65\x83\x4C\x83\x58\x83\x67";
        const std::string sjis_utf8 = "日本語のテキスト";
        struct Cs {
            const char* name;
            std::string bytes;
            int eci;
            std::string text, what, expect;
        };
        const Cs cs[] = {
            {"sjis", sjis, -1, sjis_utf8, "Shift_JIS byte mode, no ECI", "encoding=shift_jis"},
            {"sjis-eci20", sjis + " 2026", 20, sjis_utf8 + " 2026", "Shift_JIS, ECI 20",
             "encoding=shift_jis"},
            {"utf8-eci26", gb_utf8, 26, gb_utf8, "UTF-8, ECI 26", "encoding=utf-8"},
            {"gb-eci32", gb, 32, gb_utf8, "GB18030, ECI 32", "encoding=gb18030"},
            {"gb-eci29", gb, 29, gb_utf8, "GB2312, ECI 29", "encoding=gb18030"},
            {"gb", gb, -1, gb_utf8, "GB18030 (GB2312 area), no ECI", "encoding=gb18030"},
            {"gb-short", "\xD6\xD0\xD0\xC4 A1", -1, "中心 A1",
             "GB18030 no ECI, reads as half-width katakana in Shift_JIS", "encoding=gb18030"},
            {"big5-eci28", "\xA4\xA4\xA4\xE5 Big5", 28, "中文 Big5", "Big5, ECI 28",
             "encoding=declared by eci"},
            {"euckr-eci30", "\xC7\xD1\xB1\xDB EUC-KR", 30, "한글 EUC-KR", "EUC-KR, ECI 30",
             "encoding=declared by eci"},
            {"latin1", "Gr\xF6\xDF" "e caf\xE9", -1, "Größe café", "ISO-8859-1, no ECI",
             "encoding=iso-8859-1"},
            {"bad-bytes", "\xFF\xFE\x80\x81zz", -1, "", "bytes valid in no charset",
             "error=bad encoding"},
            {"bad-utf8-eci26", "\xFF\xFE abc", 26, "", "ECI 26 declared, bytes not UTF-8",
             "error=bytes invalid for their eci"},
            {"binary-eci899", "\x01\x02\x03\x04", 899, "", "ECI 899 (binary)",
             "error=eci is not a character set"},
        };
        for (const auto& c : cs) {
            add_as(std::string("cs-") + c.name, "QR", "charset", c.text, c.what,
                   framed(qr_bytes(c.bytes, c.eci, 4)), c.expect);
        }
        // Two photographed: the charset rule must not depend on a clean image.
        add_as("cs-sjis-photo", "QR", "charset", sjis_utf8, "Shift_JIS no ECI, rotated, noise, JPEG",
               jpeg(sensor_noise(rotate(framed(qr_bytes(sjis, -1, 5)), 15, 235), 2, 3, 91), 75),
               "encoding=shift_jis");
        add_as("cs-gb-photo", "QR", "charset", gb_utf8, "GB18030 no ECI, blur, noise, JPEG",
               jpeg(sensor_noise(blur(framed(qr_bytes(gb, -1, 5)), 1.0), 2, 3, 92), 75),
               "encoding=gb18030");
    }
    // Micro QR (libqrencode; ZXing 1.4 reads it, its writer cannot make it).
    {
        const std::string m1 = "12345", m2 = "12345678", m3 = "ESTN:PICKUP:1234",
                          m4 = "ESTN:PICKUP:123456";
        const std::string F = "MicroQR", C = "microqr";
        add_as("mqr1", F, C, m1, "Micro QR M1, 6 px modules", framed(micro_qr(m1, 1, 6)));
        add_as("mqr2", F, C, m2, "Micro QR M2 (a pickup code), 6 px", framed(micro_qr(m2, 2, 6)));
        add_as("mqr3", F, C, m3, "Micro QR M3, 6 px", framed(micro_qr(m3, 3, 6)));
        add_as("mqr4", F, C, m4, "Micro QR M4, 5 px", framed(micro_qr(m4, 4, 5)));
        add_as("mqr4-rot30", F, C, m4, "Micro QR M4 rotated 30 deg",
               rotate(framed(micro_qr(m4, 4, 6)), 30, 235));
        add_as("mqr3-blur", F, C, m3, "Micro QR M3 blur 1.2", blur(framed(micro_qr(m3, 3, 6)), 1.2));
        add_as("mqr4-noise", F, C, m4, "Micro QR M4 noise 20",
               noise(framed(micro_qr(m4, 4, 6)), 20, 93));
        add_as("mqr2-persp", F, C, m2, "Micro QR M2 perspective",
               perspective(framed(micro_qr(m2, 2, 8)), {30, 10, 190, 30, 200, 200, 10, 180}, 210,
                           210, 235));
        add_as("mqr4-inv", F, C, m4, "Micro QR M4 inverted", invert(framed(micro_qr(m4, 4, 6))));
        add_as("mqr4-tiny", F, C, m4, "Micro QR M4 2 px modules", framed(micro_qr(m4, 4, 2), 8));
        add_as("mqr3-photo", F, C, m3, "Micro QR M3 photo: noise, light gradient, JPEG q70",
               jpeg(sensor_noise(gradient(contrast(blur(framed(micro_qr(m3, 3, 6)), 0.8), 50,
                                                   200),
                                          30),
                                 2, 3, 94),
                    70));
    }

    std::ofstream manifest(out + "/manifest.tsv");
    manifest << "# file\tformat\tcategory\ttext\tdegradation\texpect (generated by "
                "tools/qr-corpus)\n";
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
        manifest << file << '\t' << c.format << '\t' << c.category << '\t' << c.text << '\t'
                 << c.what << '\t' << c.expect << '\n';
        auto k = dec.decode_thorough(c.image);
        auto p = decode_plain(c.image);
        const bool want_error = c.expect.rfind("error=", 0) == 0;
        const bool kok = k && (want_error ? std::string("error=") + to_string(k->charset_error) ==
                                                c.expect
                                          : k->text == c.text);
        const bool pok = p && !want_error && p->text == c.text;
        ok_kiosk += kok;
        ok_plain += pok;
        ++n;
        std::printf("%-28s %4dx%-4d kiosk:%s plain:%s  %s\n", file.c_str(), c.image.width,
                    c.image.height, kok ? "ok  " : "FAIL", pok ? "ok  " : "FAIL", c.what.c_str());
    }
    std::printf("%d images; decoded by the kiosk decoder: %d, by plain ZXing: %d\n", n, ok_kiosk,
                ok_plain);
    if (!camera_dir.empty()) {
        const auto shots = camera_set();
        for (std::size_t i = 0; i < shots.size(); ++i) {
            char idx[24];
            std::snprintf(idx, sizeof idx, "%02zu", i);
            save_png(shots[i].frame, camera_dir + "/" + idx + "-" + shots[i].name + ".png");
        }
        std::printf("%zu camera frames written to %s\n", shots.size(), camera_dir.c_str());
    }
    return 0;
}
