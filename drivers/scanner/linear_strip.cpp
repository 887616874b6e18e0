// A linear code's strip: found by its oriented texture, resampled across its bars (see
// linear_strip.hpp).
#include "scanner/linear_strip.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

namespace kiosk::scanner {
namespace {

constexpr int kBlock = 24;             // texture block, frame pixels
constexpr int kStepX = 2, kStepY = 4;  // gradients on a sparse grid: a block is ~66 samples
constexpr double kMinEnergy = 150.0;   // mean squared gradient per sample (≈ 12 grey levels)
constexpr double kMinCoherence = 0.6;  // 1: every gradient parallel (bars); ~0: no direction
constexpr double kMaxTurn = 0.35;      // doubled-angle difference of neighbours, radians (≈ 10°)
constexpr int kMinBlocks = 6;
constexpr double kMinAcrossBlocks = 4.0;  // blocks across the bars: more than one edge
constexpr double kAmount = 1.5;           // unsharp mask across the bars

struct Block {
    double energy = 0, c2 = 0, s2 = 0;  // energy and its doubled-angle direction (weighted)
    bool on = false;
};

double sample(const GreyImage& img, double x, double y) {
    // Bilinear, edges clamped.
    x = std::clamp(x, 0.0, static_cast<double>(img.width - 1));
    y = std::clamp(y, 0.0, static_cast<double>(img.height - 1));
    const int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
    const int x1 = std::min(x0 + 1, img.width - 1), y1 = std::min(y0 + 1, img.height - 1);
    const double fx = x - x0, fy = y - y0;
    const double a = img.at(x0, y0) + (img.at(x1, y0) - img.at(x0, y0)) * fx;
    const double b = img.at(x0, y1) + (img.at(x1, y1) - img.at(x0, y1)) * fx;
    return a + (b - a) * fy;
}

// How sharp the bars come out when averaged along v: the profile's summed squared steps. The
// right direction lines the samples up along each bar; a wrong one smears neighbours together.
double sharpness(const GreyImage& frame, const LinearStrip& s, double theta) {
    const double ux = std::cos(theta), uy = std::sin(theta), vx = -uy, vy = ux;
    const double half_v = s.half_along * 0.6;
    const int width = static_cast<int>(2 * s.half_across);
    constexpr int kAlong = 12;
    std::vector<double> prof(static_cast<std::size_t>(std::max(width, 2)), 0.0);
    for (int a = 0; a < kAlong; ++a) {
        const double v = -half_v + (a + 0.5) * (2 * half_v / kAlong);
        for (int c = 0; c < width; ++c) {
            const double u = -s.half_across + c + 0.5;
            prof[static_cast<std::size_t>(c)] +=
                sample(frame, s.cx + u * ux + v * vx, s.cy + u * uy + v * vy);
        }
    }
    double e = 0;
    for (std::size_t c = 1; c < prof.size(); ++c)
        e += (prof[c] - prof[c - 1]) * (prof[c] - prof[c - 1]);
    return e;
}

// The block vote gives the direction to a few degrees; perspective and the blocks that hold a
// bar's end pull it off. Search ±3° in 0.5° steps for the sharpest profile.
void refine_angle(const GreyImage& frame, LinearStrip& s) {
    const double theta0 = std::atan2(s.uy, s.ux);
    double best = theta0, best_e = -1;
    constexpr double kStep = 0.5 * 3.14159265358979323846 / 180.0;
    for (int k = -6; k <= 6; ++k) {
        const double t = theta0 + k * kStep;
        const double e = sharpness(frame, s, t);
        if (e > best_e) best_e = e, best = t;
    }
    s.ux = std::cos(best);
    s.uy = std::sin(best);
}

}  // namespace

std::optional<LinearStrip> find_linear_strip(const GreyImage& frame) {
    if (frame.width < 3 * kBlock || frame.height < 3 * kBlock) return std::nullopt;
    const int nx = frame.width / kBlock, ny = frame.height / kBlock;
    std::vector<Block> blocks(static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny));
    const double per_block =
        ((kBlock - 2.0) / kStepX) * (kBlock / static_cast<double>(kStepY));  // samples per block
    for (int by = 0; by < ny; ++by) {
        for (int bx = 0; bx < nx; ++bx) {
            std::int64_t jxx = 0, jyy = 0, jxy = 0;
            const int x0 = std::max(bx * kBlock, 1), y0 = std::max(by * kBlock, 1);
            const int x1 = std::min((bx + 1) * kBlock, frame.width - 1);
            const int y1 = std::min((by + 1) * kBlock, frame.height - 1);
            for (int y = y0; y < y1; y += kStepY) {
                const std::uint8_t* up = &frame.pixels[static_cast<std::size_t>(y - 1) *
                                                       static_cast<std::size_t>(frame.width)];
                const std::uint8_t* row = up + frame.width;
                const std::uint8_t* dn = row + frame.width;
                for (int x = x0; x < x1; x += kStepX) {
                    const int gx = row[x + 1] - row[x - 1];
                    const int gy = dn[x] - up[x];
                    jxx += gx * gx;
                    jyy += gy * gy;
                    jxy += gx * gy;
                }
            }
            const double sum = static_cast<double>(jxx + jyy);
            Block& b = blocks[static_cast<std::size_t>(by) * static_cast<std::size_t>(nx) +
                              static_cast<std::size_t>(bx)];
            b.energy = sum / per_block;
            if (b.energy < kMinEnergy) continue;
            const double dxx = static_cast<double>(jxx - jyy), dxy = 2.0 * static_cast<double>(jxy);
            const double mag = std::sqrt(dxx * dxx + dxy * dxy);
            if (mag < kMinCoherence * sum) continue;
            b.on = true;
            b.c2 = dxx / mag;
            b.s2 = dxy / mag;
        }
    }
    // The largest group of neighbouring blocks whose bars run the same way.
    std::vector<int> group(blocks.size(), -1);
    std::vector<int> best;
    std::vector<int> todo, members;
    for (std::size_t start = 0; start < blocks.size(); ++start) {
        if (!blocks[start].on || group[start] >= 0) continue;
        members.clear();
        todo.assign(1, static_cast<int>(start));
        group[start] = static_cast<int>(start);
        while (!todo.empty()) {
            const int i = todo.back();
            todo.pop_back();
            members.push_back(i);
            const int bx = i % nx, by = i / nx;
            constexpr std::array<std::array<int, 2>, 4> kSteps{{{1, 0}, {-1, 0}, {0, 1}, {0, -1}}};
            for (const auto& d : kSteps) {
                const int x = bx + d[0], y = by + d[1];
                if (x < 0 || y < 0 || x >= nx || y >= ny) continue;
                const auto j = static_cast<std::size_t>(y) * static_cast<std::size_t>(nx) +
                               static_cast<std::size_t>(x);
                if (!blocks[j].on || group[j] >= 0) continue;
                const Block& a = blocks[static_cast<std::size_t>(i)];
                const double turn = std::atan2(a.s2 * blocks[j].c2 - a.c2 * blocks[j].s2,
                                               a.c2 * blocks[j].c2 + a.s2 * blocks[j].s2);
                if (std::abs(turn) > kMaxTurn) continue;
                group[j] = static_cast<int>(start);
                todo.push_back(static_cast<int>(j));
            }
        }
        if (members.size() > best.size()) best = members;
    }
    if (static_cast<int>(best.size()) < kMinBlocks) return std::nullopt;
    double c2 = 0, s2 = 0;
    for (int i : best) {
        const Block& b = blocks[static_cast<std::size_t>(i)];
        c2 += b.energy * b.c2;
        s2 += b.energy * b.s2;
    }
    const double theta = 0.5 * std::atan2(s2, c2);
    LinearStrip s;
    s.ux = std::cos(theta);
    s.uy = std::sin(theta);
    s.blocks = static_cast<int>(best.size());
    // Extent across (u) and along (v = u turned 90°) the bars, from the blocks' centres.
    double umin = 1e18, umax = -1e18, vmin = 1e18, vmax = -1e18;
    for (int i : best) {
        const double x = (i % nx + 0.5) * kBlock,
                     y = (std::floor(i / static_cast<double>(nx)) + 0.5) * kBlock;
        const double u = x * s.ux + y * s.uy, v = -x * s.uy + y * s.ux;
        umin = std::min(umin, u), umax = std::max(umax, u);
        vmin = std::min(vmin, v), vmax = std::max(vmax, v);
    }
    // One edge (a paper's border, a QR's timing row) is a thin line of blocks; a linear code is
    // at least four blocks long and no taller than one and a half times its length (EAN-13 is
    // about 0.7, a label's Code 128 much flatter).
    if (umax - umin < (kMinAcrossBlocks - 1.0) * kBlock) return std::nullopt;
    if (vmax - vmin > 1.5 * (umax - umin)) return std::nullopt;
    const double uc = (umin + umax) / 2, vc = (vmin + vmax) / 2;
    s.cx = uc * s.ux - vc * s.uy;
    s.cy = uc * s.uy + vc * s.ux;
    s.half_across = (umax - umin) / 2 + kBlock / 2.0;
    s.half_along = (vmax - vmin) / 2 + kBlock / 2.0;
    refine_angle(frame, s);
    return s;
}

GreyImage resample_strip(const GreyImage& frame, const LinearStrip& s, int rows, double upsample) {
    GreyImage out;
    if (frame.empty() || rows < 1 || rows > 64 || !(upsample >= 1.0 && upsample <= 4.0) ||
        !std::isfinite(s.cx) || !std::isfinite(s.cy) || !(std::abs(s.ux) + std::abs(s.uy) > 0.5) ||
        !(s.half_across > 0 && s.half_across < 16384) ||
        !(s.half_along > 0 && s.half_along < 16384))
        return out;
    // Across: the code plus a quiet zone (a block, the finder's granularity, and a tenth).
    const double half_u = s.half_across * 1.1 + kBlock;
    // Along: the middle of the bars only (the blocks overshoot their ends by up to a block).
    const double half_v = std::max(s.half_along * 0.6, 4.0);
    // Bounded work whatever the geometry: at most 4096 columns and 256 samples along the bars
    // (spread over the bars' length when they are longer; more would average nothing new).
    const int width = std::clamp(static_cast<int>(2 * half_u * upsample), 16, 4096);
    const int along = std::clamp(static_cast<int>(2 * half_v), rows, std::max(rows, 256));
    const double vx = -s.uy, vy = s.ux;
    // One profile per slice of the bars' length: each column averages its slice.
    std::vector<double> prof(static_cast<std::size_t>(width) * static_cast<std::size_t>(rows), 0.0);
    for (int a = 0; a < along; ++a) {
        const int r = a * rows / along;
        const double v = -half_v + (a + 0.5) * (2 * half_v / along);
        double* p = &prof[static_cast<std::size_t>(r) * static_cast<std::size_t>(width)];
        for (int c = 0; c < width; ++c) {
            const double u = -half_u + (c + 0.5) / upsample;
            p[c] += sample(frame, s.cx + u * s.ux + v * vx, s.cy + u * s.uy + v * vy);
        }
    }
    // Sharpen across the bars (unsharp mask: σ 1.5 frame pixels, amount 1.5), then stretch. On
    // the camera corpus's labels every σ of 1–2 px with an amount of 1–2.5 read all three; this
    // is the middle of that range.
    const double sigma = 1.5 * upsample;
    const int rad = static_cast<int>(std::ceil(3 * sigma));
    std::vector<double> kernel;  // taps for offsets -rad..rad
    double ksum = 0;
    for (int i = -rad; i <= rad; ++i) {
        kernel.push_back(std::exp(-0.5 * i * i / (sigma * sigma)));
        ksum += kernel.back();
    }
    for (auto& k : kernel) k /= ksum;
    std::vector<double> sharp(prof.size());
    double lo = 1e18, hi = -1e18;
    for (int r = 0; r < rows; ++r) {
        const int n = (r + 1) * along / rows - r * along / rows;
        const double* p = &prof[static_cast<std::size_t>(r) * static_cast<std::size_t>(width)];
        double* q = &sharp[static_cast<std::size_t>(r) * static_cast<std::size_t>(width)];
        for (int c = 0; c < width; ++c) {
            double blur = 0;
            int at = c - rad;
            for (const double k : kernel) blur += k * p[std::clamp(at++, 0, width - 1)];
            q[c] = (p[c] + kAmount * (p[c] - blur)) / std::max(n, 1);
            lo = std::min(lo, q[c]), hi = std::max(hi, q[c]);
        }
    }
    if (hi - lo < 8) return out;  // flat: nothing there
    out.width = width;
    out.height = rows * 2;
    out.pixels.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height));
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < width; ++c) {
            const double q = sharp[static_cast<std::size_t>(r) * static_cast<std::size_t>(width) +
                                   static_cast<std::size_t>(c)];
            const auto g =
                static_cast<std::uint8_t>(std::clamp((q - lo) * 255.0 / (hi - lo), 0.0, 255.0));
            out.at(c, 2 * r) = g;
            out.at(c, 2 * r + 1) = g;
        }
    }
    return out;
}

}  // namespace kiosk::scanner
