// File-backed frame sources and frame conversions (see frame_source.hpp).
// Pixel formats after the V4L2 definitions (linux/videodev2.h: GREY, YUV420, YUYV, RGB24);
// YUV → RGB with the BT.601 limited-range matrix.
#include "scanner/frame_source.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

namespace kiosk::scanner {
namespace {

namespace fs = std::filesystem;

void pace(int fps, std::chrono::steady_clock::time_point& next) {
    if (fps <= 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (next > now) std::this_thread::sleep_until(next);
    next = std::max(next, now) + std::chrono::microseconds(1000000 / fps);
}

bool image_ext(const fs::path& p) {
    std::string e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return std::tolower(c); });
    return e == ".png" || e == ".jpg" || e == ".jpeg" || e == ".pgm" || e == ".bmp";
}

// Centres `img` on a width×height grey canvas, downscaling by an integer factor if needed.
GreyImage on_canvas(const GreyImage& img, int width, int height) {
    if (width <= 0 || height <= 0) return img;
    int f = 1;
    while (img.width / f > width || img.height / f > height) ++f;
    const GreyImage s = downscale(img, f);
    GreyImage c = make_grey(width, height, 200);
    const int ox = (width - s.width) / 2, oy = (height - s.height) / 2;
    for (int y = 0; y < s.height; ++y) {
        std::copy_n(&s.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(s.width)],
                    s.width,
                    &c.pixels[static_cast<std::size_t>(y + oy) * static_cast<std::size_t>(width) +
                              static_cast<std::size_t>(ox)]);
    }
    return c;
}

class ImageFilesSource final : public FrameSource {
  public:
    explicit ImageFilesSource(ImageFilesOptions o) : o_(std::move(o)) {}

    bool open(std::string* error) override {
        files_.clear();
        std::error_code ec;
        if (fs::is_directory(o_.path, ec)) {
            for (const auto& e : fs::directory_iterator(o_.path, ec)) {
                if (e.is_regular_file() && image_ext(e.path())) files_.push_back(e.path().string());
            }
            std::sort(files_.begin(), files_.end());
        } else if (fs::is_regular_file(o_.path, ec)) {
            files_.push_back(o_.path);
        }
        if (files_.empty()) {
            if (error) *error = "no image files at " + o_.path;
            return false;
        }
        index_ = 0;
        shown_ = 0;
        next_ = std::chrono::steady_clock::now();
        return true;
    }
    void close() override { files_.clear(); }

    FrameStatus read(Frame& out) override {
        if (files_.empty()) return FrameStatus::Error;
        if (index_ >= files_.size()) {
            if (!o_.loop) return FrameStatus::End;
            index_ = 0;
        }
        if (shown_ == 0) {
            std::string err;
            current_ = on_canvas(load_grey(files_[index_], &err), o_.width, o_.height);
        }
        pace(o_.fps, next_);
        if (++shown_ >= std::max(o_.repeat, 1)) {
            shown_ = 0;
            ++index_;
        }
        if (current_.empty()) return FrameStatus::Error;  // unreadable file: report, go on
        out.grey = current_;
        out.u.clear();
        out.v.clear();
        out.seq = ++seq_;
        return FrameStatus::Ok;
    }
    std::string describe() const override { return "camera-files:" + o_.path; }

  private:
    ImageFilesOptions o_;
    std::vector<std::string> files_;
    std::size_t index_ = 0;
    int shown_ = 0;
    GreyImage current_;
    std::uint64_t seq_ = 0;
    std::chrono::steady_clock::time_point next_;
};

class RawVideoSource final : public FrameSource {
  public:
    explicit RawVideoSource(RawVideoOptions o) : o_(std::move(o)) {}

    bool open(std::string* error) override {
        if (o_.width <= 0 || o_.height <= 0 || o_.width > 8192 || o_.height > 8192 ||
            (o_.format != RawFormat::Grey && o_.format != RawFormat::Rgb24 &&
             (o_.width % 2 || o_.height % 2))) {
            if (error) *error = "bad raw video geometry";
            return false;
        }
        in_.close();
        in_.clear();
        in_.open(o_.path, std::ios::binary);
        if (!in_) {
            if (error) *error = "cannot open " + o_.path;
            return false;
        }
        buf_.resize(raw_frame_bytes(o_.format, o_.width, o_.height));
        next_ = std::chrono::steady_clock::now();
        return true;
    }
    void close() override { in_.close(); }

    FrameStatus read(Frame& out) override {
        if (!in_.is_open()) return FrameStatus::Error;
        for (int attempt = 0; attempt < 2; ++attempt) {
            in_.read(reinterpret_cast<char*>(buf_.data()),
                     static_cast<std::streamsize>(buf_.size()));
            if (static_cast<std::size_t>(in_.gcount()) == buf_.size()) {
                pace(o_.fps, next_);
                if (!frame_from_raw(buf_.data(), buf_.size(), o_.format, o_.width, o_.height,
                                    out)) {
                    return FrameStatus::Error;
                }
                out.seq = ++seq_;
                return FrameStatus::Ok;
            }
            // A partial last frame is ignored, like the end of a capture.
            if (!o_.loop) return FrameStatus::End;
            in_.clear();
            in_.seekg(0);
        }
        return FrameStatus::End;  // file shorter than one frame
    }
    std::string describe() const override { return "camera-raw:" + o_.path; }

  private:
    RawVideoOptions o_;
    std::ifstream in_;
    std::vector<std::uint8_t> buf_;
    std::uint64_t seq_ = 0;
    std::chrono::steady_clock::time_point next_;
};

std::uint8_t clamp8(int v) {
    return static_cast<std::uint8_t>(std::clamp(v, 0, 255));
}

}  // namespace

bool parse_raw_format(std::string_view s, RawFormat& out) {
    if (s == "grey" || s == "gray" || s == "y8") return out = RawFormat::Grey, true;
    if (s == "i420" || s == "yuv420") return out = RawFormat::I420, true;
    if (s == "yuyv" || s == "yuy2") return out = RawFormat::Yuyv, true;
    if (s == "rgb24" || s == "rgb") return out = RawFormat::Rgb24, true;
    return false;
}

std::size_t raw_frame_bytes(RawFormat f, int width, int height) {
    const auto n = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
    switch (f) {
        case RawFormat::Grey:
            return n;
        case RawFormat::I420:
            return n + n / 2;
        case RawFormat::Yuyv:
            return n * 2;
        case RawFormat::Rgb24:
            return n * 3;
    }
    return n;
}

bool frame_from_raw(const std::uint8_t* d, std::size_t size, RawFormat f, int w, int h,
                    Frame& out) {
    if (w <= 0 || h <= 0 || size != raw_frame_bytes(f, w, h)) return false;
    if (f != RawFormat::Grey && f != RawFormat::Rgb24 && (w % 2 || h % 2)) return false;
    const auto n = static_cast<std::size_t>(w) * static_cast<std::size_t>(h);
    out.grey.width = w;
    out.grey.height = h;
    out.u.clear();
    out.v.clear();
    switch (f) {
        case RawFormat::Grey:
            out.grey.pixels.assign(d, d + n);
            break;
        case RawFormat::I420:
            out.grey.pixels.assign(d, d + n);
            out.u.assign(d + n, d + n + n / 4);
            out.v.assign(d + n + n / 4, d + n + n / 2);
            break;
        case RawFormat::Yuyv: {
            out.grey.pixels.resize(n);
            out.u.resize(n / 4);
            out.v.resize(n / 4);
            for (int y = 0; y < h; ++y) {
                for (int x = 0; x < w; x += 2) {
                    const std::uint8_t* p = d + (static_cast<std::size_t>(y) * w + x) * 2;
                    out.grey.pixels[static_cast<std::size_t>(y) * w + x] = p[0];
                    out.grey.pixels[static_cast<std::size_t>(y) * w + x + 1] = p[2];
                    if (y % 2 == 0) {
                        const std::size_t c = static_cast<std::size_t>(y / 2) * (w / 2) + x / 2;
                        out.u[c] = p[1];
                        out.v[c] = p[3];
                    }
                }
            }
            break;
        }
        case RawFormat::Rgb24:
            out.grey.pixels.resize(n);
            for (std::size_t i = 0; i < n; ++i) {
                const std::uint8_t* p = d + i * 3;
                out.grey.pixels[i] =
                    static_cast<std::uint8_t>((306 * p[0] + 601 * p[1] + 117 * p[2] + 512) >> 10);
            }
            break;
    }
    return true;
}

void make_preview(const Frame& f, int max_width, PreviewFrame& out) {
    const GreyImage& g = f.grey;
    if (g.empty()) return;
    int factor = 1;
    while (max_width > 0 && g.width / factor > max_width) ++factor;
    const GreyImage s = downscale(g, factor);
    out.width = s.width;
    out.height = s.height;
    out.rgb.resize(static_cast<std::size_t>(s.width) * static_cast<std::size_t>(s.height) * 3);
    const bool colour = !f.u.empty() && f.u.size() == f.v.size() &&
                        f.u.size() == static_cast<std::size_t>(g.width / 2) * (g.height / 2);
    for (int y = 0; y < s.height; ++y) {
        for (int x = 0; x < s.width; ++x) {
            std::uint8_t* o = &out.rgb[(static_cast<std::size_t>(y) * s.width + x) * 3];
            const int Y = s.at(x, y);
            if (!colour) {
                o[0] = o[1] = o[2] = static_cast<std::uint8_t>(Y);
                continue;
            }
            const std::size_t ci = static_cast<std::size_t>(y * factor / 2) * (g.width / 2) +
                                   static_cast<std::size_t>(x * factor / 2);
            const int c = 298 * (Y - 16), d = f.u[ci] - 128, e = f.v[ci] - 128;
            o[0] = clamp8((c + 409 * e + 128) >> 8);
            o[1] = clamp8((c - 100 * d - 208 * e + 128) >> 8);
            o[2] = clamp8((c + 516 * d + 128) >> 8);
        }
    }
    out.seq = f.seq;
}

std::unique_ptr<FrameSource> make_image_files_source(ImageFilesOptions o) {
    return std::make_unique<ImageFilesSource>(std::move(o));
}

std::unique_ptr<FrameSource> make_raw_video_source(RawVideoOptions o) {
    return std::make_unique<RawVideoSource>(std::move(o));
}

}  // namespace kiosk::scanner
