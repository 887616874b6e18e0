// Greyscale images: the frame type of the camera pipeline and the output of the code writer,
// plus PNG load/save (stb_image / stb_image_write from Debian's libstb) for test images.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codes/grey_image.hpp"

namespace kiosk::scanner {

// The image type is the code writer's (base layer), so the screens need no driver for it.
using codes::GreyImage;
using codes::make_grey;

// Loads any image stb_image reads (PNG, JPEG, BMP, PGM) as greyscale. Empty image + error on
// failure (missing file, corrupt data, over 8192×8192).
GreyImage load_grey(const std::string& path, std::string* error = nullptr);
bool save_png(const GreyImage& image, const std::string& path);

// Box-filter downscale by an integer factor (>= 1); the remainder rows/columns are dropped.
GreyImage downscale(const GreyImage& in, int factor);
// Copy of a rectangle, clipped to the image.
GreyImage crop(const GreyImage& in, int x, int y, int w, int h);

}  // namespace kiosk::scanner
