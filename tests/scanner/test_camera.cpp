// Camera scanner: frame sources (image files, raw video, V4L2 failure paths), the worker thread,
// repeat suppression, activation and the preview.
#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "scanner/camera_scanner.hpp"
#include "scanner/qr_writer.hpp"
#include "wait_queue.hpp"
#include "common/temp_dir.hpp"

using namespace kiosk::scanner;
using namespace std::chrono_literals;
using kiosk::drivers::DeviceStatus;
using kiosk::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string corpus(const char* f) {
    return std::string(KIOSK_SOURCE_DIR) + "/tests/data/qr/" + f;
}

ScannerContext context(WaitableQueue& q) {
    ScannerContext c;
    c.queue = q.queue;
    c.payload.hall_hosts = {"zwfw.yueyang.gov.cn"};
    return c;
}

// A 1280×720 I420 frame with `code` pasted at (x, y) and neutral chroma.
std::vector<std::uint8_t> i420_scene(const GreyImage& code, int x, int y) {
    const int w = 1280, h = 720;
    std::vector<std::uint8_t> f(static_cast<std::size_t>(w * h * 3 / 2), 128);
    for (int i = 0; i < w * h; ++i) f[static_cast<std::size_t>(i)] = 180;
    for (int yy = 0; yy < code.height; ++yy) {
        for (int xx = 0; xx < code.width; ++xx) {
            f[static_cast<std::size_t>((y + yy) * w + x + xx)] = code.at(xx, yy);
        }
    }
    return f;
}

}  // namespace

TEST_CASE("scanner.camera image files on 1280x720 frames give one event per distinct code") {
    TempDir dir;
    for (const char* f :
         {"00-clean-q0.png", "13-rot30-q1.png", "38-inv-q0.png", "02-clean-q2.png"}) {
        fs::copy_file(corpus(f), dir.path + "/" + f);
    }
    WaitableQueue q;
    std::string err;
    auto s = make_scanner("camera-files:" + dir.path + "?width=1280&height=720&repeat=4",
                          context(q), &err);
    REQUIRE_MESSAGE(s, err);
    CameraScanner* cam = s->camera();
    REQUIRE(cam != nullptr);
    s->start();
    REQUIRE(cam->wait_ended(20s));
    const CameraStats st = cam->stats();
    CHECK(st.frames == 16);
    // 00 and 38 carry the same pickup code: held codes and a repeat within the window count once.
    CHECK(st.events == 3);
    std::vector<PayloadKind> kinds;
    while (auto e = q.queue->try_pop()) kinds.push_back(e->payload.kind);
    REQUIRE(kinds.size() == 3);
    CHECK(kinds[0] == PayloadKind::PickupCode);
    CHECK(kinds[1] == PayloadKind::HallReceipt);  // files in name order: 00, 02, 13, 38
    CHECK(kinds[2] == PayloadKind::HallGuide);
    CHECK(s->status() == DeviceStatus::Offline);  // the file source ran out
    PreviewFrame pv;
    REQUIRE(cam->preview(pv));
    CHECK(pv.width == 320);
    CHECK(pv.height == 180);
    CHECK(pv.rgb.size() == 320u * 180u * 3u);
    CHECK_FALSE(cam->preview(pv));  // nothing newer
    s->stop();
}

TEST_CASE("scanner.camera raw I420 video file, preview colours and outline") {
    TempDir dir;
    const std::string path = dir.path + "/video.i420";
    CodeOptions co;
    co.module_pixels = 6;
    const GreyImage code = make_code("https://zwfw.yueyang.gov.cn/guide/T0001", co);
    {
        std::ofstream out(path, std::ios::binary);
        const auto blank = i420_scene(make_grey(1, 1, 180), 0, 0);
        const auto scene = i420_scene(code, 560, 250);
        out.write(reinterpret_cast<const char*>(blank.data()),
                  static_cast<std::streamsize>(blank.size()));
        out.write(reinterpret_cast<const char*>(scene.data()),
                  static_cast<std::streamsize>(scene.size()));
        out.write("partial", 7);  // a cut last frame is ignored
    }
    WaitableQueue q;
    auto s = make_scanner("camera-raw:" + path + "?width=1280&height=720&format=i420", context(q));
    REQUIRE(s);
    s->start();
    auto ev = q.wait(10s);
    REQUIRE(ev.has_value());
    CHECK(ev->source == ScanSource::Camera);
    CHECK(ev->symbology == Symbology::QrCode);
    CHECK(ev->payload.kind == PayloadKind::HallGuide);
    REQUIRE(s->camera()->wait_ended(10s));
    CHECK(s->camera()->stats().frames == 2);
    PreviewFrame pv;
    REQUIRE(s->camera()->preview(pv));
    CHECK(pv.has_outline);
    // The outline lies around the code's place in preview coordinates (frame / 4).
    CHECK(pv.outline[0] >= 560 / 4 - 4);
    CHECK(pv.outline[0] <= (560 + code.width) / 4 + 4);
    // Neutral chroma → grey RGB: R == G == B (within rounding).
    CHECK(std::abs(pv.rgb[0] - pv.rgb[1]) <= 2);
    s->stop();
}

TEST_CASE("scanner.camera raw frame conversions") {
    Frame f;
    std::vector<std::uint8_t> yuyv = {10, 128, 20, 128, 30, 128, 40, 128,
                                      50, 128, 60, 128, 70, 128, 80, 128};
    REQUIRE(frame_from_raw(yuyv.data(), yuyv.size(), RawFormat::Yuyv, 4, 2, f));
    CHECK(f.grey.pixels == std::vector<std::uint8_t>{10, 20, 30, 40, 50, 60, 70, 80});
    CHECK(f.u.size() == 2);
    std::vector<std::uint8_t> rgb = {255, 255, 255, 0, 0, 0};
    REQUIRE(frame_from_raw(rgb.data(), rgb.size(), RawFormat::Rgb24, 2, 1, f));
    CHECK(f.grey.pixels[0] == 255);
    CHECK(f.grey.pixels[1] == 0);
    CHECK_FALSE(frame_from_raw(rgb.data(), rgb.size(), RawFormat::Rgb24, 3, 1, f));
    CHECK_FALSE(frame_from_raw(yuyv.data(), yuyv.size(), RawFormat::I420, 3, 3, f));
    RawFormat rf;
    CHECK(parse_raw_format("i420", rf));
    CHECK_FALSE(parse_raw_format("nv12", rf));
}

TEST_CASE("scanner.camera V4L2 open failures are typed errors and the scanner reports no device") {
    std::string err;
    auto missing = make_v4l2_source({"/nonexistent/video9", 1280, 720, 15});
    CHECK_FALSE(missing->open(&err));
    CHECK(err.find("cannot open camera") != std::string::npos);
    auto notv4l2 = make_v4l2_source({"/dev/null", 1280, 720, 15});
    err.clear();
    CHECK_FALSE(notv4l2->open(&err));
    CHECK(err.find("not a V4L2 device") != std::string::npos);
    Frame f;
    CHECK(notv4l2->read(f) == FrameStatus::Error);

    WaitableQueue q;
    auto s = make_scanner("camera:/nonexistent/video9", context(q));
    REQUIRE(s);
    s->start();
    const auto until = std::chrono::steady_clock::now() + 3s;
    while (s->status() != DeviceStatus::NoDevice && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(5ms);  // polling a status with a bound
    }
    CHECK(s->status() == DeviceStatus::NoDevice);
    s->stop();
    auto nofiles = make_image_files_source({"/nonexistent", false, 0, 0, 0, 1});
    CHECK_FALSE(nofiles->open(&err));
    auto noraw = make_raw_video_source({"/nonexistent.raw", 1280, 720, RawFormat::Grey, false, 0});
    CHECK_FALSE(noraw->open(&err));
    auto badgeom = make_raw_video_source({"/dev/null", 1281, 720, RawFormat::I420, false, 0});
    CHECK_FALSE(badgeom->open(&err));
}

TEST_CASE("scanner.camera inactive camera captures nothing, clear_recent allows a repeat") {
    // (This case never ran until its name lost a ';' - ctest split it - and it named a file
    // where camera-files: wants a directory.)
    TempDir dir;
    fs::copy_file(corpus("00-clean-q0.png"), dir.path + "/00-clean-q0.png");
    WaitableQueue q;
    std::string err;
    auto s = make_scanner("camera-files:" + dir.path + "?loop=1&fps=120", context(q), &err);
    REQUIRE_MESSAGE(s, err);
    CameraScanner* cam = s->camera();
    s->set_active(false);
    s->start();
    CHECK_FALSE(cam->wait_frames(1, 100ms));
    s->set_active(true);
    REQUIRE(cam->wait_frames(3, 5s));
    auto ev = q.wait(5s);
    REQUIRE(ev.has_value());
    const auto frames = cam->stats().frames;
    REQUIRE(cam->wait_frames(frames + 3, 5s));
    CHECK(cam->stats().events == 1);  // the same code held up: one event
    cam->clear_recent();              // a new session: the same code counts again
    REQUIRE(q.wait(5s).has_value());
    s->stop();
}
