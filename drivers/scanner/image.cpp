// Greyscale image helpers (see image.hpp).
#include "scanner/image.hpp"

#include <stb_image.h>
#include <stb_image_write.h>

#include <algorithm>

namespace kiosk::scanner {

GreyImage load_grey(const std::string& path, std::string* error) {
    int w = 0, h = 0, n = 0;
    if (!stbi_info(path.c_str(), &w, &h, &n)) {
        if (error) *error = "cannot read image";
        return {};
    }
    if (w <= 0 || h <= 0 || w > 8192 || h > 8192) {
        if (error) *error = "image too large";
        return {};
    }
    unsigned char* data = stbi_load(path.c_str(), &w, &h, &n, 1);
    if (!data) {
        if (error) *error = stbi_failure_reason() ? stbi_failure_reason() : "cannot decode image";
        return {};
    }
    GreyImage g;
    g.width = w;
    g.height = h;
    g.pixels.assign(data, data + static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
    stbi_image_free(data);
    return g;
}

bool save_png(const GreyImage& image, const std::string& path) {
    if (image.empty()) return false;
    return stbi_write_png(path.c_str(), image.width, image.height, 1, image.pixels.data(),
                          image.width) != 0;
}

GreyImage downscale(const GreyImage& in, int f) {
    if (f <= 1) return in;
    const int w = in.width / f, h = in.height / f;
    GreyImage out = make_grey(w, h);
    const int area = f * f;
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            int sum = 0;
            for (int dy = 0; dy < f; ++dy) {
                const std::uint8_t* row = &in.pixels[static_cast<std::size_t>(y * f + dy) *
                                                         static_cast<std::size_t>(in.width) +
                                                     static_cast<std::size_t>(x * f)];
                for (int dx = 0; dx < f; ++dx) sum += row[dx];
            }
            out.at(x, y) = static_cast<std::uint8_t>(sum / area);
        }
    }
    return out;
}

GreyImage crop(const GreyImage& in, int x, int y, int w, int h) {
    const int x0 = std::clamp(x, 0, in.width), y0 = std::clamp(y, 0, in.height);
    const int x1 = std::clamp(x + w, x0, in.width), y1 = std::clamp(y + h, y0, in.height);
    GreyImage out = make_grey(x1 - x0, y1 - y0);
    for (int yy = y0; yy < y1; ++yy) {
        std::copy_n(
            &in.pixels[static_cast<std::size_t>(yy) * static_cast<std::size_t>(in.width) +
                       static_cast<std::size_t>(x0)],
            x1 - x0,
            &out.pixels[static_cast<std::size_t>(yy - y0) * static_cast<std::size_t>(out.width)]);
    }
    return out;
}

}  // namespace kiosk::scanner
