// A greyscale image: the output of the code writer (codes/qr_writer.hpp) and the frame type of the
// scanner's camera pipeline (drivers/scanner/image.hpp adds loading, saving and scaling).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace kiosk::codes {

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

}  // namespace kiosk::codes
