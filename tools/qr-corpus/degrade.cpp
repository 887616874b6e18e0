// Image degradations for the decoding corpus (see degrade.hpp). Deterministic: fixed seeds.
#include "degrade.hpp"

#include <stb_image.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace qrcorpus {
namespace {

std::uint8_t clamp8(double v) {
    return static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
}

double sample(const GreyImage& in, double x, double y, std::uint8_t fill) {
    const int x0 = static_cast<int>(std::floor(x)), y0 = static_cast<int>(std::floor(y));
    const double fx = x - x0, fy = y - y0;
    auto px = [&](int xx, int yy) -> double {
        if (xx < 0 || yy < 0 || xx >= in.width || yy >= in.height) return fill;
        return in.at(xx, yy);
    };
    return (px(x0, y0) * (1 - fx) + px(x0 + 1, y0) * fx) * (1 - fy) +
           (px(x0, y0 + 1) * (1 - fx) + px(x0 + 1, y0 + 1) * fx) * fy;
}

void box_h(const GreyImage& in, GreyImage& out, int r) {
    for (int y = 0; y < in.height; ++y) {
        for (int x = 0; x < in.width; ++x) {
            int sum = 0, n = 0;
            for (int k = -r; k <= r; ++k) {
                const int xx = std::clamp(x + k, 0, in.width - 1);
                sum += in.at(xx, y);
                ++n;
            }
            out.at(x, y) = static_cast<std::uint8_t>(sum / n);
        }
    }
}

void box_v(const GreyImage& in, GreyImage& out, int r) {
    for (int y = 0; y < in.height; ++y) {
        for (int x = 0; x < in.width; ++x) {
            int sum = 0, n = 0;
            for (int k = -r; k <= r; ++k) {
                const int yy = std::clamp(y + k, 0, in.height - 1);
                sum += in.at(x, yy);
                ++n;
            }
            out.at(x, y) = static_cast<std::uint8_t>(sum / n);
        }
    }
}

}  // namespace

GreyImage pad(const GreyImage& in, int b, std::uint8_t fill) {
    GreyImage out = kiosk::scanner::make_grey(in.width + 2 * b, in.height + 2 * b, fill);
    paste(out, in, b, b);
    return out;
}

void paste(GreyImage& canvas, const GreyImage& in, int x, int y) {
    for (int yy = 0; yy < in.height; ++yy) {
        for (int xx = 0; xx < in.width; ++xx) {
            const int cx = x + xx, cy = y + yy;
            if (cx >= 0 && cy >= 0 && cx < canvas.width && cy < canvas.height) {
                canvas.at(cx, cy) = in.at(xx, yy);
            }
        }
    }
}

GreyImage rotate(const GreyImage& in, double deg, std::uint8_t fill) {
    const double a = deg * M_PI / 180.0, c = std::cos(a), s = std::sin(a);
    const int w = static_cast<int>(std::ceil(std::abs(in.width * c) + std::abs(in.height * s)));
    const int h = static_cast<int>(std::ceil(std::abs(in.width * s) + std::abs(in.height * c)));
    GreyImage out = kiosk::scanner::make_grey(w, h, fill);
    const double cx = in.width / 2.0, cy = in.height / 2.0, ox = w / 2.0, oy = h / 2.0;
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            const double dx = x - ox, dy = y - oy;
            out.at(x, y) = clamp8(sample(in, c * dx + s * dy + cx, -s * dx + c * dy + cy, fill));
        }
    }
    return out;
}

GreyImage blur(const GreyImage& in, double sigma) {
    // Three box blurs approximate a Gaussian (central limit); r from the variance of a box.
    const int r = std::max(
        1, static_cast<int>(std::lround(std::sqrt(4.0 * sigma * sigma / 3.0 + 1.0) / 2.0)));
    GreyImage a = in, b = in;
    for (int i = 0; i < 3; ++i) {
        box_h(a, b, r);
        box_v(b, a, r);
    }
    return a;
}

GreyImage noise(const GreyImage& in, double sigma, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> n(0.0, sigma);
    GreyImage out = in;
    for (auto& p : out.pixels) p = clamp8(p + n(rng));
    return out;
}

GreyImage contrast(const GreyImage& in, int lo, int hi) {
    GreyImage out = in;
    for (auto& p : out.pixels) p = clamp8(lo + (hi - lo) * (p / 255.0));
    return out;
}

GreyImage invert(const GreyImage& in) {
    GreyImage out = in;
    for (auto& p : out.pixels) p = static_cast<std::uint8_t>(255 - p);
    return out;
}

GreyImage resize(const GreyImage& in, int w, int h) {
    GreyImage out = kiosk::scanner::make_grey(w, h);
    const double sx = static_cast<double>(in.width) / w, sy = static_cast<double>(in.height) / h;
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            out.at(x, y) = clamp8(sample(in, (x + 0.5) * sx - 0.5, (y + 0.5) * sy - 0.5, 255));
        }
    }
    return out;
}

GreyImage gradient(const GreyImage& in, int amount) {
    GreyImage out = in;
    for (int y = 0; y < in.height; ++y) {
        for (int x = 0; x < in.width; ++x) {
            out.at(x, y) = clamp8(in.at(x, y) + amount * static_cast<double>(x) / in.width);
        }
    }
    return out;
}

// Homography from the unit square's image corners to dst, inverted per pixel (Heckbert 1989).
GreyImage perspective(const GreyImage& in, const std::array<double, 8>& d, int w, int h,
                      std::uint8_t fill) {
    // Square → quad mapping coefficients.
    const double x0 = d[0], y0 = d[1], x1 = d[2], y1 = d[3], x2 = d[4], y2 = d[5], x3 = d[6],
                 y3 = d[7];
    const double dx1 = x1 - x2, dx2 = x3 - x2, dx3 = x0 - x1 + x2 - x3;
    const double dy1 = y1 - y2, dy2 = y3 - y2, dy3 = y0 - y1 + y2 - y3;
    const double den = dx1 * dy2 - dx2 * dy1;
    const double g = (dx3 * dy2 - dx2 * dy3) / den, hh = (dx1 * dy3 - dx3 * dy1) / den;
    const double a = x1 - x0 + g * x1, b = x3 - x0 + hh * x3, c = x0;
    const double dd = y1 - y0 + g * y1, e = y3 - y0 + hh * y3, f = y0;
    // Inverse (adjugate) of [[a b c][dd e f][g hh 1]].
    const double A = e - f * hh, B = c * hh - b, C = b * f - c * e;
    const double D = f * g - dd, E = a - c * g, F = c * dd - a * f;
    const double G = dd * hh - e * g, H = b * g - a * hh, I = a * e - b * dd;
    GreyImage out = kiosk::scanner::make_grey(w, h, fill);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            const double z = G * x + H * y + I;
            const double u = (A * x + B * y + C) / z, v = (D * x + E * y + F) / z;
            if (u < 0 || u > 1 || v < 0 || v > 1) continue;
            out.at(x, y) = clamp8(sample(in, u * (in.width - 1), v * (in.height - 1), fill));
        }
    }
    return out;
}

}  // namespace qrcorpus

// [SECTION] Photographic degradations

namespace qrcorpus {

GreyImage motion_blur(const GreyImage& in, double length, double degrees) {
    const int n = std::max(1, static_cast<int>(std::lround(length)));
    const double a = degrees * M_PI / 180.0, dx = std::cos(a), dy = std::sin(a);
    GreyImage out = in;
    for (int y = 0; y < in.height; ++y) {
        for (int x = 0; x < in.width; ++x) {
            double sum = 0;
            for (int k = 0; k < n; ++k) {
                const double t = k - (n - 1) / 2.0;
                sum += sample(in, x + t * dx, y + t * dy, in.at(x, y));
            }
            out.at(x, y) = clamp8(sum / n);
        }
    }
    return out;
}

GreyImage glare_spot(const GreyImage& in, double cx, double cy, double radius, double strength) {
    GreyImage out = in;
    const double px = cx * in.width, py = cy * in.height;
    const double r = radius * std::max(in.width, in.height);
    for (int y = 0; y < in.height; ++y) {
        for (int x = 0; x < in.width; ++x) {
            const double d2 = ((x - px) * (x - px) + 1.8 * (y - py) * (y - py)) / (r * r);
            const double g = strength * std::exp(-d2);
            // Glare adds light and washes contrast out: blend towards white.
            out.at(x, y) = clamp8(in.at(x, y) + (255.0 - in.at(x, y)) * std::min(1.0, g));
        }
    }
    return out;
}

GreyImage cylinder(const GreyImage& in, double bend, std::uint8_t fill) {
    // The flat image has width W; wrapped on a cylinder whose visible arc is `bend` * π, seen
    // from far away: x_screen = R sin(θ), θ = x_flat / R.
    const double half = std::max(0.05, std::min(bend, 0.95)) * M_PI / 2.0;
    const double R = in.width / 2.0 / half;
    const int w = static_cast<int>(std::ceil(2 * R * std::sin(half)));
    GreyImage out = kiosk::scanner::make_grey(w, in.height, fill);
    for (int x = 0; x < w; ++x) {
        const double s = (x - w / 2.0) / R;
        if (s < -1 || s > 1) continue;
        const double theta = std::asin(s);
        const double u = theta * R + in.width / 2.0;
        const double shade = 0.75 + 0.25 * std::cos(theta);
        for (int y = 0; y < in.height; ++y) {
            out.at(x, y) = clamp8(sample(in, u, y, fill) * shade);
        }
    }
    return out;
}

GreyImage vignette(const GreyImage& in, double strength) {
    GreyImage out = in;
    const double cx = in.width / 2.0, cy = in.height / 2.0, r2 = cx * cx + cy * cy;
    for (int y = 0; y < in.height; ++y) {
        for (int x = 0; x < in.width; ++x) {
            const double d = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / r2;
            out.at(x, y) = clamp8(in.at(x, y) * (1.0 - strength * d));
        }
    }
    return out;
}

GreyImage jpeg(const GreyImage& in, int quality) {
    std::vector<unsigned char> buf;
    auto sink = [](void* ctx, void* data, int size) {
        auto* b = static_cast<std::vector<unsigned char>*>(ctx);
        b->insert(b->end(), static_cast<unsigned char*>(data),
                  static_cast<unsigned char*>(data) + size);
    };
    if (!stbi_write_jpg_to_func(sink, &buf, in.width, in.height, 1, in.pixels.data(), quality)) {
        return in;
    }
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load_from_memory(buf.data(), static_cast<int>(buf.size()), &w, &h, &n, 1);
    if (!px) return in;
    GreyImage out = kiosk::scanner::make_grey(w, h);
    std::copy(px, px + static_cast<std::size_t>(w) * static_cast<std::size_t>(h), out.pixels.begin());
    stbi_image_free(px);
    return out;
}

GreyImage damage_finder(const GreyImage& in, int origin, int module, int which, double share,
                        std::uint8_t paint, bool diagonal) {
    GreyImage out = in;
    const int side = 7 * module;
    // Finder origins in symbol coordinates: (0,0), (size-7,0), (0,size-7).
    const int size_px = in.width - 2 * origin;
    const int fx = origin + (which == 1 ? size_px - side : 0);
    const int fy = origin + (which == 2 ? size_px - side : 0);
    if (!diagonal) {  // a scratch along the finder's outer (top or bottom) edge
        const int len = static_cast<int>(side * std::clamp(share, 0.0, 1.0));
        const int y0 = which == 2 ? fy + side - module : fy;
        for (int y = y0; y < y0 + module * 2 / 3; ++y)
            for (int x = fx + side / 4; x < fx + side / 4 + len; ++x)
                if (x >= 0 && y >= 0 && x < out.width && y < out.height) out.at(x, y) = paint;
        return out;
    }
    // A diagonal smear from the finder's outer corner inwards.
    const int n = static_cast<int>(side * std::sqrt(std::clamp(share, 0.0, 1.0)));
    for (int y = 0; y < n; ++y) {
        for (int x = 0; x < n - y / 2; ++x) {
            const int px = which == 1 ? fx + side - 1 - x : fx + x;
            const int py = which == 2 ? fy + side - 1 - y : fy + y;
            if (px >= 0 && py >= 0 && px < out.width && py < out.height) out.at(px, py) = paint;
        }
    }
    return out;
}

GreyImage sensor_noise(const GreyImage& in, double shot, double read, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> n(0.0, 1.0);
    GreyImage out = in;
    for (auto& p : out.pixels) {
        const double sigma = std::sqrt(shot * shot * p / 16.0 + read * read);
        p = clamp8(p + sigma * n(rng));
    }
    return out;
}

// [SECTION] Camera model

namespace {

// Homography mapping the unit square's corners to a quad (tl, tr, br, bl), and its inverse
// (Heckbert 1989, as in perspective() above).
struct Homography {
    double A, B, C, D, E, F, G, H, I;
    explicit Homography(const std::array<double, 8>& d) {
        const double x0 = d[0], y0 = d[1], x1 = d[2], y1 = d[3], x2 = d[4], y2 = d[5], x3 = d[6],
                     y3 = d[7];
        const double dx1 = x1 - x2, dx2 = x3 - x2, dx3 = x0 - x1 + x2 - x3;
        const double dy1 = y1 - y2, dy2 = y3 - y2, dy3 = y0 - y1 + y2 - y3;
        const double den = dx1 * dy2 - dx2 * dy1;
        const double g = (dx3 * dy2 - dx2 * dy3) / den, hh = (dx1 * dy3 - dx3 * dy1) / den;
        const double a = x1 - x0 + g * x1, b = x3 - x0 + hh * x3, c = x0;
        const double dd = y1 - y0 + g * y1, e = y3 - y0 + hh * y3, f = y0;
        A = e - f * hh, B = c * hh - b, C = b * f - c * e;
        D = f * g - dd, E = a - c * g, F = c * dd - a * f;
        G = dd * hh - e * g, H = b * g - a * hh, I = a * e - b * dd;
    }
    bool to_unit(double x, double y, double& u, double& v) const {
        const double z = G * x + H * y + I;
        if (std::abs(z) < 1e-12) return false;
        u = (A * x + B * y + C) / z;
        v = (D * x + E * y + F) / z;
        return true;
    }
};

}  // namespace

GreyImage camera_frame(const GreyImage& printed, const CameraShot& s) {
    constexpr int W = 1280, H = 720;
    std::mt19937 rng(s.seed);
    // Paper: the printed code with a white margin (a slip of paper or a phone screen's border).
    const GreyImage paper = pad(printed, printed.width / 8, 255);
    const double scale = s.width_px / printed.width;
    const double pw = paper.width * scale, ph = paper.height * scale;
    // Corners of the paper in 3D (centre at origin), rotated in plane, tilted, projected with a
    // focal length of 1000 px from 1000 px away.
    const double rz = s.rotate_deg * M_PI / 180, rx = s.tilt_x * M_PI / 180,
                 ry = s.tilt_y * M_PI / 180;
    std::array<double, 8> quad{};
    const double corners[4][2] = {{-pw / 2, -ph / 2}, {pw / 2, -ph / 2}, {pw / 2, ph / 2},
                                  {-pw / 2, ph / 2}};
    for (int i = 0; i < 4; ++i) {
        double x = corners[i][0], y = corners[i][1], z = 0;
        const double x1 = x * std::cos(rz) - y * std::sin(rz), y1 = x * std::sin(rz) + y * std::cos(rz);
        const double y2 = y1 * std::cos(rx), z2 = y1 * std::sin(rx);
        const double x3 = x1 * std::cos(ry) + z2 * std::sin(ry), z3 = -x1 * std::sin(ry) + z2 * std::cos(ry);
        z = 1000 + z3;
        quad[2 * i] = s.cx + 1000 * x3 / z;
        quad[2 * i + 1] = s.cy + 1000 * y2 / z;
    }
    const Homography hom(quad);
    // Scene: a desk / hand in soft light behind the paper.
    GreyImage f = kiosk::scanner::make_grey(W, H);
    const double phase = std::uniform_real_distribution<double>(0, 6.28)(rng);
    const double hd = std::hypot(W / 2.0, H / 2.0);
    for (int y = 0; y < H; ++y) {
        for (int x = 0; x < W; ++x) {
            // Barrel distortion: the ideal (pinhole) point seen at pixel (x, y).
            const double nx = (x - W / 2.0) / hd, ny = (y - H / 2.0) / hd;
            const double k = 1 + s.barrel * (nx * nx + ny * ny);
            const double ix = W / 2.0 + nx * k * hd, iy = H / 2.0 + ny * k * hd;
            double u = 0, v = 0;
            double val = 0.35 + 0.12 * std::sin(ix / 97.0 + phase) * std::cos(iy / 131.0);
            if (hom.to_unit(ix, iy, u, v) && u >= 0 && u <= 1 && v >= 0 && v <= 1) {
                val = sample(paper, u * (paper.width - 1), v * (paper.height - 1), 255) / 255.0;
            }
            f.at(x, y) = clamp8(val * 255);
        }
    }
    if (s.defocus > 0.3) f = blur(f, s.defocus);
    if (s.motion >= 1.5) f = motion_blur(f, s.motion, std::uniform_real_distribution<double>(0, 180)(rng));
    // Exposure: paper white → `white`, ink → `black`; then vignetting, noise, JPEG.
    for (auto& p : f.pixels) p = clamp8(s.black + (s.white - s.black) * (p / 255.0));
    f = vignette(f, s.vignette);
    f = sensor_noise(f, s.shot, s.read, s.seed * 7919u + 1u);
    if (s.jpeg_quality > 0) f = jpeg(f, s.jpeg_quality);
    return f;
}

}  // namespace qrcorpus
