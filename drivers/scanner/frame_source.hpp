// Frame sources of the camera scanner: V4L2 cameras (through libv4l2, which converts whatever the
// camera sends to planar YUV 4:2:0 for us), image files, and raw video files (simulators, tests,
// the bench). All give greyscale frames plus, where the source has colour, quarter-size chroma
// planes for the preview.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "scanner/image.hpp"

namespace kiosk::scanner {

struct Frame {
    GreyImage grey;                  // luminance, what the decoder reads
    std::vector<std::uint8_t> u, v;  // I420 chroma (width/2 × height/2) or empty for grey
    std::uint64_t seq = 0;
};

enum class FrameStatus : std::uint8_t { Ok, Timeout, End, Error };

class FrameSource {
  public:
    virtual ~FrameSource() = default;
    // False + error: missing device, not a capture device, unsupported format, unreadable file.
    virtual bool open(std::string* error) = 0;
    virtual void close() = 0;
    // The next frame; End when a file source without looping is exhausted, Error when a camera
    // vanished (the scanner then reopens it with backoff).
    virtual FrameStatus read(Frame& out) = 0;
    virtual std::string describe() const = 0;
};

// camera:/dev/video0?width=1280&height=720&fps=15
struct V4l2Options {
    std::string device = "/dev/video0";
    int width = 1280;
    int height = 720;
    int fps = 15;
};
std::unique_ptr<FrameSource> make_v4l2_source(V4l2Options options);

// camera-files:<file or directory>?loop=1&fps=0  (fps 0: as fast as the decoder takes them)
// Directory: every .png/.jpg/.jpeg/.pgm/.bmp in name order. Frames keep the image's own size
// unless width/height are given, in which case each image is centred on a grey canvas of that
// size (scaled down by an integer factor if it does not fit).
struct ImageFilesOptions {
    std::string path;
    bool loop = false;
    int fps = 0;
    int width = 0, height = 0;
    int repeat = 1;  // frames per image (a phone is held for a while)
};
std::unique_ptr<FrameSource> make_image_files_source(ImageFilesOptions options);

// camera-raw:<file>?width=1280&height=720&format=grey|i420|yuyv|rgb24&loop=1&fps=0
enum class RawFormat : std::uint8_t { Grey, I420, Yuyv, Rgb24 };
struct RawVideoOptions {
    std::string path;
    int width = 1280, height = 720;
    RawFormat format = RawFormat::Grey;
    bool loop = false;
    int fps = 0;
};
bool parse_raw_format(std::string_view s, RawFormat& out);
std::size_t raw_frame_bytes(RawFormat f, int width, int height);
std::unique_ptr<FrameSource> make_raw_video_source(RawVideoOptions options);

// Converts one raw frame (raw_frame_bytes long) to a Frame; false if the size does not match.
bool frame_from_raw(const std::uint8_t* data, std::size_t size, RawFormat f, int width, int height,
                    Frame& out);

// Preview for the UI: the latest frame, downscaled, as packed RGB (3 bytes per pixel).
struct PreviewFrame {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgb;
    std::uint64_t seq = 0;  // changes when a new frame arrived (upload the texture only then)
    // The last decoded code's outline in preview coordinates (for a highlight), if recent.
    bool has_outline = false;
    int outline[8] = {};
};
// Box-downscales to at most `max_width` wide (integer factor) and converts YUV → RGB (BT.601).
void make_preview(const Frame& f, int max_width, PreviewFrame& out);

}  // namespace kiosk::scanner
