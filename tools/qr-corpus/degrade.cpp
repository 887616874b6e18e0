// Image degradations for the decoding corpus (see degrade.hpp). Deterministic: fixed seeds.
#include "degrade.hpp"

#include <algorithm>
#include <cmath>
#include <random>

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
