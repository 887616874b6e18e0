// Camera scanner worker (see camera_scanner.hpp).
#include "scanner/camera_scanner.hpp"

#include "base/log.hpp"

namespace kiosk::scanner {

using drivers::DeviceStatus;
using Clock = std::chrono::steady_clock;

CameraScanner::CameraScanner(std::unique_ptr<FrameSource> source, CameraOptions options,
                             ScannerContext context)
    : source_(std::move(source)),
      opt_(std::move(options)),
      ctx_(std::move(context)),
      name_(source_ ? source_->describe() : "camera"),
      decoder_(opt_.decode) {}

CameraScanner::~CameraScanner() {
    stop();
}

void CameraScanner::start() {
    std::lock_guard lock(mutex_);
    if (running_ || !source_) return;
    stop_ = false;
    running_ = true;
    worker_ = std::thread([this] { run(); });
}

void CameraScanner::stop() {
    {
        std::lock_guard lock(mutex_);
        if (!running_) return;
        stop_ = true;
    }
    cv_.notify_all();
    if (worker_.joinable()) worker_.join();
    std::lock_guard lock(mutex_);
    running_ = false;
}

void CameraScanner::set_active(bool active) {
    {
        std::lock_guard lock(mutex_);
        active_ = active;
    }
    cv_.notify_all();
}

bool CameraScanner::preview(PreviewFrame& out) const {
    std::lock_guard lock(mutex_);
    if (preview_.seq == 0 || preview_.seq == out.seq) return false;
    out = preview_;
    return true;
}

CameraStats CameraScanner::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

void CameraScanner::clear_recent() {
    std::lock_guard lock(mutex_);
    recent_.clear();
}

bool CameraScanner::wait_frames(std::uint64_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return stats_.frames >= count; });
}

bool CameraScanner::wait_ended(std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return stats_.ended; });
}

void CameraScanner::run() {
    auto log = kiosk::log::get("scanner");
    bool open = false;
    std::string last_error;
    std::unique_lock lock(mutex_);
    while (!stop_) {
        if (!active_) {
            if (open) {
                source_->close();  // privacy and CPU: no capture while nobody needs it
                open = false;
            }
            cv_.wait(lock, [&] { return stop_ || active_; });
            continue;
        }
        if (stats_.ended) {
            cv_.wait(lock, [&] { return stop_; });
            continue;
        }
        if (!open) {
            lock.unlock();
            std::string err;
            open = source_->open(&err);
            lock.lock();
            if (!open) {
                status_ = DeviceStatus::NoDevice;
                if (err != last_error) log->warn("{}: {}", name_, err);
                last_error = err;
                cv_.wait_for(lock, opt_.reopen_backoff, [&] { return stop_; });
                continue;
            }
            last_error.clear();
            status_ = DeviceStatus::Online;
            log->info("{}: capturing", name_);
        }
        lock.unlock();
        Frame f;
        const FrameStatus st = source_->read(f);
        if (st == FrameStatus::Ok) handle(f);
        lock.lock();
        if (st == FrameStatus::End) {
            stats_.ended = true;
            status_ = DeviceStatus::Offline;
            source_->close();
            open = false;
            cv_.notify_all();
        } else if (st == FrameStatus::Error) {
            log->warn("{}: capture failed, reopening", name_);
            source_->close();
            open = false;
            status_ = DeviceStatus::NoDevice;
            cv_.wait_for(lock, opt_.reopen_backoff, [&] { return stop_; });
        }
    }
    if (open) source_->close();
}

void CameraScanner::handle(const Frame& f) {
    const auto t0 = Clock::now();
    std::optional<Decoded> d = decoder_.decode(f.grey);
    const auto t1 = Clock::now();
    PreviewFrame pv;
    make_preview(f, opt_.preview_width, pv);
    std::optional<ScanEvent> ev;
    if (d) {
        ev = make_decoded_scan_event(d->raw, d->text, d->encoding, d->charset_error, d->symbology,
                                     ScanSource::Camera, name_, ctx_.payload, ctx_.limits);
    }
    {
        std::lock_guard lock(mutex_);
        ++stats_.frames;
        stats_.decode_ms_total += std::chrono::duration<double, std::milli>(t1 - t0).count();
        // Outline of the code in preview coordinates, kept for a few frames so it does not flicker.
        const int factor = pv.width > 0 ? std::max(1, f.grey.width / pv.width) : 1;
        if (d) {
            outline_age_ = 0;
            for (int i = 0; i < 4; ++i) {
                preview_.outline[2 * i] = d->corners[static_cast<std::size_t>(i)].x / factor;
                preview_.outline[2 * i + 1] = d->corners[static_cast<std::size_t>(i)].y / factor;
            }
        } else {
            ++outline_age_;
        }
        std::copy(std::begin(preview_.outline), std::end(preview_.outline), std::begin(pv.outline));
        pv.has_outline = outline_age_ < 8;
        preview_ = std::move(pv);
        if (d) {
            ++stats_.decoded;
            const auto now = Clock::now();
            std::erase_if(recent_,
                          [&](const auto& kv) { return now - kv.second > opt_.repeat_window; });
            const std::string key(d->raw.begin(), d->raw.end());
            const bool repeat = recent_.count(key) > 0;
            recent_[key] = now;
            if (repeat || !active_) ev.reset();
            if (ev) ++stats_.events;
        }
    }
    cv_.notify_all();
    if (ev) {
        kiosk::log::get("scanner")->info("{}: {} scan, {}", name_, to_string(ev->symbology),
                                         to_string(ev->payload.kind));
        ctx_.queue->push(std::move(*ev));
    }
}

}  // namespace kiosk::scanner
