// CameraScanner: a frame source (V4L2 or a simulator) → FrameDecoder on a worker thread →
// validated ScanEvents in the shared queue, plus the latest preview frame for the UI.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "scanner/frame_decoder.hpp"
#include "scanner/frame_source.hpp"
#include "scanner/scanner.hpp"

namespace kiosk::scanner {

struct CameraOptions {
    DecodeOptions decode;
    int preview_width = 320;  // preview is box-downscaled to at most this width
    // The same code seen again within this window (since it was last seen) is not a new scan:
    // a phone held in front of the camera is decoded on every frame.
    std::chrono::milliseconds repeat_window{2000};
    std::chrono::milliseconds reopen_backoff{1000};
};

struct CameraStats {
    std::uint64_t frames = 0;    // frames decoded
    std::uint64_t decoded = 0;   // frames where a code was found
    std::uint64_t events = 0;    // scan events pushed (after repeat suppression)
    double decode_ms_total = 0;  // time in the decoder
    bool ended = false;          // a file source ran out
};

class CameraScanner final : public Scanner {
  public:
    CameraScanner(std::unique_ptr<FrameSource> source, CameraOptions options,
                  ScannerContext context);
    ~CameraScanner() override;

    void start() override;
    void stop() override;
    drivers::DeviceStatus status() const override { return status_.load(); }
    std::string describe() const override { return name_; }
    ScanSource source() const override { return ScanSource::Camera; }
    void set_active(bool active) override;
    CameraScanner* camera() override { return this; }

    // Copies the latest preview into `out` if it is newer than out.seq; false if nothing new.
    bool preview(PreviewFrame& out) const;
    CameraStats stats() const;
    // Forgets recently seen codes (call on session reset: the next person may show the same code).
    void clear_recent();
    // Test helpers: bounded waits on the worker's progress.
    bool wait_frames(std::uint64_t count, std::chrono::milliseconds timeout) const;
    bool wait_ended(std::chrono::milliseconds timeout) const;

  private:
    void run();
    void handle(const Frame& f);

    std::unique_ptr<FrameSource> source_;
    CameraOptions opt_;
    ScannerContext ctx_;
    std::string name_;
    FrameDecoder decoder_;
    std::atomic<drivers::DeviceStatus> status_{drivers::DeviceStatus::Starting};
    std::thread worker_;
    mutable std::mutex mutex_;
    mutable std::condition_variable cv_;
    bool stop_ = false;
    bool active_ = true;
    bool running_ = false;
    PreviewFrame preview_;
    int outline_age_ = 1 << 20;
    CameraStats stats_;
    std::map<std::string, std::chrono::steady_clock::time_point> recent_;
};

}  // namespace kiosk::scanner
