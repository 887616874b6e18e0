#include "codes/grey_image.hpp"

namespace kiosk::codes {

GreyImage make_grey(int width, int height, std::uint8_t fill) {
    GreyImage g;
    if (width <= 0 || height <= 0) return g;
    g.width = width;
    g.height = height;
    g.pixels.assign(static_cast<std::size_t>(width) * static_cast<std::size_t>(height), fill);
    return g;
}

}  // namespace kiosk::codes
