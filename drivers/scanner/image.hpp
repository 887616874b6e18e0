// Greyscale images: the frame type of the camera pipeline and the output of the code writer,
// plus PNG load/save (stb_image / stb_image_write from Debian's libstb) for test images.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kiosk::scanner {

struct GreyImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;  // row-major, stride == width, 0 = black

    bool empty() const { return width <= 0 || height <= 0; }
    std::uint8_t at(int x, int y) const {
        return pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                      static_cast<std::size_t>(x)];
    }
    std::uint8_t& at(int x, int y) {
        return pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                      static_cast<std::size_t>(x)];
    }
};

GreyImage make_grey(int width, int height, std::uint8_t fill = 255);

// Loads any image stb_image reads (PNG, JPEG, BMP, PGM) as greyscale. Empty image + error on
// failure (missing file, corrupt data, over 8192×8192).
GreyImage load_grey(const std::string& path, std::string* error = nullptr);
bool save_png(const GreyImage& image, const std::string& path);

// Box-filter downscale by an integer factor (>= 1); the remainder rows/columns are dropped.
GreyImage downscale(const GreyImage& in, int factor);
// Copy of a rectangle, clipped to the image.
GreyImage crop(const GreyImage& in, int x, int y, int w, int h);

}  // namespace kiosk::scanner
