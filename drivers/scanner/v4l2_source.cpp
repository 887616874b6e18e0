// V4L2 camera capture through libv4l2 (memory-mapped streaming).
//
// Implements: open + capability check, format negotiation asking libv4l2 for planar YUV 4:2:0
// (libv4l2 converts MJPEG/YUYV/Bayer cameras to it, so the driver handles one format), frame rate
// request, streaming with 4 buffers, poll() with a timeout so stop() is never stuck behind a
// stalled camera, and ENODEV/EIO as "camera gone" (the scanner reopens with backoff).
// Does not: camera controls (focus, exposure): UVC defaults are used; multi-planar devices.
// Reference: Linux Media Infrastructure API, "Streaming I/O (Memory Mapping)" and VIDIOC_S_FMT;
// libv4l2.h. Cannot be tested without hardware: tests cover the open-failure paths.
#include <fcntl.h>
#include <libv4l2.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "scanner/frame_source.hpp"

namespace kiosk::scanner {
namespace {

int xioctl(int fd, unsigned long request, void* arg) {
    int r;
    do {
        r = v4l2_ioctl(fd, request, arg);
    } while (r == -1 && errno == EINTR);
    return r;
}

class V4l2Source final : public FrameSource {
  public:
    explicit V4l2Source(V4l2Options o) : o_(std::move(o)) {}
    ~V4l2Source() override { close(); }

    bool open(std::string* error) override {
        close();
        auto fail = [&](std::string msg) {
            if (error) *error = msg + " (" + o_.device + ")";
            close();
            return false;
        };
        // Plain open first so "missing" and "not a camera" are told apart; libv4l2 then wraps
        // the descriptor (and fails on anything that is not a V4L2 device).
        const int raw = ::open(o_.device.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (raw < 0) return fail(std::string("cannot open camera: ") + std::strerror(errno));
        fd_ = v4l2_fd_open(raw, 0);
        if (fd_ < 0) {
            ::close(raw);
            return fail("not a V4L2 device");
        }
        v4l2_capability cap{};
        if (xioctl(fd_, VIDIOC_QUERYCAP, &cap) < 0) return fail("not a V4L2 device");
        const auto caps =
            (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
        if (!(caps & V4L2_CAP_VIDEO_CAPTURE)) return fail("not a video capture device");
        if (!(caps & V4L2_CAP_STREAMING)) return fail("camera does not support streaming");
        v4l2_format fmt{};
        fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        fmt.fmt.pix.width = static_cast<unsigned>(o_.width);
        fmt.fmt.pix.height = static_cast<unsigned>(o_.height);
        fmt.fmt.pix.pixelformat = V4L2_PIX_FMT_YUV420;
        fmt.fmt.pix.field = V4L2_FIELD_ANY;
        if (xioctl(fd_, VIDIOC_S_FMT, &fmt) < 0) return fail("cannot set the capture format");
        if (fmt.fmt.pix.pixelformat != V4L2_PIX_FMT_YUV420)
            return fail("camera format unsupported");
        width_ = static_cast<int>(fmt.fmt.pix.width);
        height_ = static_cast<int>(fmt.fmt.pix.height);
        stride_ = static_cast<int>(fmt.fmt.pix.bytesperline ? fmt.fmt.pix.bytesperline
                                                            : fmt.fmt.pix.width);
        if (width_ < 16 || height_ < 16 || width_ > 8192 || height_ > 8192 || stride_ < width_ ||
            width_ % 2 || height_ % 2) {
            return fail("camera returned an unusable frame size");
        }
        if (o_.fps > 0) {  // best effort: many UVC cameras ignore it in low light
            v4l2_streamparm parm{};
            parm.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
            parm.parm.capture.timeperframe.numerator = 1;
            parm.parm.capture.timeperframe.denominator = static_cast<unsigned>(o_.fps);
            xioctl(fd_, VIDIOC_S_PARM, &parm);
        }
        v4l2_requestbuffers req{};
        req.count = 4;
        req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        req.memory = V4L2_MEMORY_MMAP;
        if (xioctl(fd_, VIDIOC_REQBUFS, &req) < 0 || req.count < 2)
            return fail("cannot get capture buffers");
        for (unsigned i = 0; i < req.count; ++i) {
            v4l2_buffer b{};
            b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
            b.memory = V4L2_MEMORY_MMAP;
            b.index = i;
            if (xioctl(fd_, VIDIOC_QUERYBUF, &b) < 0) return fail("cannot query a capture buffer");
            void* p =
                v4l2_mmap(nullptr, b.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, b.m.offset);
            if (p == MAP_FAILED) return fail("cannot map a capture buffer");
            buffers_.push_back({p, b.length});
            if (xioctl(fd_, VIDIOC_QBUF, &b) < 0) return fail("cannot queue a capture buffer");
        }
        v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        if (xioctl(fd_, VIDIOC_STREAMON, &type) < 0) return fail("cannot start streaming");
        streaming_ = true;
        return true;
    }

    void close() override {
        if (fd_ < 0) return;
        if (streaming_) {
            v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
            xioctl(fd_, VIDIOC_STREAMOFF, &type);
            streaming_ = false;
        }
        for (auto& b : buffers_) v4l2_munmap(b.start, b.length);
        buffers_.clear();
        v4l2_close(fd_);
        fd_ = -1;
    }

    FrameStatus read(Frame& out) override {
        if (fd_ < 0) return FrameStatus::Error;
        pollfd p{fd_, POLLIN, 0};
        const int r = ::poll(&p, 1, 500);
        if (r == 0) return FrameStatus::Timeout;
        if (r < 0) return errno == EINTR ? FrameStatus::Timeout : FrameStatus::Error;
        if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) return FrameStatus::Error;
        v4l2_buffer b{};
        b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        b.memory = V4L2_MEMORY_MMAP;
        if (xioctl(fd_, VIDIOC_DQBUF, &b) < 0) {
            return errno == EAGAIN ? FrameStatus::Timeout : FrameStatus::Error;  // ENODEV: gone
        }
        FrameStatus st = FrameStatus::Error;
        if (b.index < buffers_.size()) st = convert(buffers_[b.index], b.bytesused, out);
        if (xioctl(fd_, VIDIOC_QBUF, &b) < 0) return FrameStatus::Error;
        return st;
    }

    std::string describe() const override { return "camera:" + o_.device; }

  private:
    struct Buffer {
        void* start;
        std::size_t length;
    };

    FrameStatus convert(const Buffer& buf, std::size_t used, Frame& out) {
        const auto w = static_cast<std::size_t>(width_), h = static_cast<std::size_t>(height_);
        const auto s = static_cast<std::size_t>(stride_);
        const std::size_t need = s * h + 2 * (s / 2) * (h / 2);
        if (used < need || buf.length < need) return FrameStatus::Timeout;  // short frame: skip
        const auto* d = static_cast<const std::uint8_t*>(buf.start);
        out.grey.width = width_;
        out.grey.height = height_;
        out.grey.pixels.resize(w * h);
        for (std::size_t y = 0; y < h; ++y) std::memcpy(&out.grey.pixels[y * w], d + y * s, w);
        const std::uint8_t* u = d + s * h;
        const std::uint8_t* v = u + (s / 2) * (h / 2);
        out.u.resize((w / 2) * (h / 2));
        out.v.resize((w / 2) * (h / 2));
        for (std::size_t y = 0; y < h / 2; ++y) {
            std::memcpy(&out.u[y * (w / 2)], u + y * (s / 2), w / 2);
            std::memcpy(&out.v[y * (w / 2)], v + y * (s / 2), w / 2);
        }
        out.seq = ++seq_;
        return FrameStatus::Ok;
    }

    V4l2Options o_;
    int fd_ = -1;
    bool streaming_ = false;
    int width_ = 0, height_ = 0, stride_ = 0;
    std::vector<Buffer> buffers_;
    std::uint64_t seq_ = 0;
};

}  // namespace

std::unique_ptr<FrameSource> make_v4l2_source(V4l2Options o) {
    return std::make_unique<V4l2Source>(std::move(o));
}

}  // namespace kiosk::scanner
