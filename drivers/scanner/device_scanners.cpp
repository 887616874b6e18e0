// Keyboard-wedge, serial, HID POS and injected scanners (see device_scanners.hpp).
// References: Linux input subsystem (struct input_event, EV_KEY, EVIOCGRAB in linux/input.h);
// serial and hidraw links from drivers/common; framing.hpp for the scan framing.
#include "scanner/device_scanners.hpp"

#include <fcntl.h>
#include <linux/input.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/log.hpp"

namespace kiosk::scanner {

using drivers::DeviceStatus;
using drivers::TransportError;
using namespace std::chrono_literals;

namespace {

std::chrono::milliseconds now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now().time_since_epoch());
}

void push_scan(const ScannerContext& ctx, std::vector<std::uint8_t> bytes, Symbology sym,
               ScanSource src, const std::string& name) {
    ScanEvent ev = make_scan_event(std::move(bytes), sym, src, name, ctx.payload, ctx.limits);
    kiosk::log::get("scanner")->info(
        "{}: scan, {} ({})", name, to_string(ev.payload.kind),
        ev.error == ValidationError::None ? "valid" : to_string(ev.error));
    ctx.queue->push(std::move(ev));
}

}  // namespace

// [SECTION] EvdevTransport

EvdevTransport::EvdevTransport(std::string path)
    : FdTransport("evdev:" + path), path_(std::move(path)) {}

TransportError EvdevTransport::open() {
    if (is_open()) return TransportError::None;
    const int fd = ::open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        error_ = std::strerror(errno);
        return errno == ENOENT || errno == ENODEV ? TransportError::Gone : TransportError::Io;
    }
    if (::ioctl(fd, EVIOCGRAB, 1) != 0) {
        // Without the grab the scanner's keys would also type into the UI: refuse to run.
        error_ = std::string("cannot grab: ") + std::strerror(errno);
        ::close(fd);
        return TransportError::Io;
    }
    error_.clear();
    adopt(fd, false);
    return TransportError::None;
}

void EvdevTransport::close() {
    if (is_open()) ::ioctl(fd(), EVIOCGRAB, 0);
    FdTransport::close();
}

// [SECTION] EvdevScanner

EvdevScanner::EvdevScanner(std::unique_ptr<drivers::Transport> transport, KeymapOptions keymap,
                           ScannerContext context, std::string name)
    : transport_(std::move(transport)),
      keymap_(keymap),
      ctx_(std::move(context)),
      name_(std::move(name)) {}

EvdevScanner::~EvdevScanner() {
    stop();
}

void EvdevScanner::start() {
    if (worker_.joinable()) return;
    stop_ = false;
    worker_ = std::thread([this] { run(); });
}

void EvdevScanner::stop() {
    stop_ = true;
    if (worker_.joinable()) worker_.join();
    transport_->close();
}

void EvdevScanner::emit(std::vector<std::uint8_t> bytes) {
    if (!active_) return;
    push_scan(ctx_, std::move(bytes), Symbology::Unknown, ScanSource::KeyboardWedge, name_);
}

void EvdevScanner::run() {
    auto log = kiosk::log::get("scanner");
    KeymapDecoder dec(keymap_);
    std::vector<std::uint8_t> pending;  // a partial input_event record between reads
    std::uint8_t buf[sizeof(input_event) * 64];
    auto backoff = 100ms;
    while (!stop_) {
        if (!transport_->is_open()) {
            const TransportError e = transport_->open();
            if (e != TransportError::None) {
                status_ = e == TransportError::Gone ? DeviceStatus::NoDevice
                                                    : DeviceStatus::HardwareError;
                for (auto waited = 0ms; waited < backoff && !stop_; waited += 20ms)
                    std::this_thread::sleep_for(20ms);
                backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
                continue;
            }
            backoff = 100ms;
            dec.reset();
            pending.clear();
            status_ = DeviceStatus::Online;
            log->info("{}: open and grabbed", name_);
        }
        // Wake at the keymap's deadline so a scan without terminator ends on time.
        auto wait = 50ms;
        if (auto d = dec.deadline()) wait = std::clamp(*d - now_ms(), 1ms, 50ms);
        const auto r = transport_->read(std::span<std::uint8_t>(buf, sizeof buf), wait);
        if (r.ok() && r.bytes > 0) {
            pending.insert(pending.end(), buf, buf + r.bytes);
            std::size_t off = 0;
            const auto t = now_ms();
            for (; off + sizeof(input_event) <= pending.size(); off += sizeof(input_event)) {
                input_event ev;
                std::memcpy(&ev, &pending[off], sizeof ev);
                if (ev.type == EV_KEY) dec.feed(ev.code, ev.value, t);
            }
            pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(off));
        } else if (r.error == TransportError::Gone ||
                   (!r.ok() && r.error != TransportError::Timeout)) {
            log->warn("{}: device gone", name_);
            transport_->close();
            status_ = DeviceStatus::NoDevice;
            continue;
        }
        dec.poll(now_ms());
        while (auto s = dec.take()) emit(std::move(*s));
    }
}

// [SECTION] Serial and HID POS devices

class StreamScannerDevice final : public drivers::Device {
  public:
    StreamScannerDevice(DeviceScanner::Kind kind, std::string name, std::string uri,
                        SerialFramerOptions framing, HidPosProfile profile, ScannerContext ctx)
        : Device(name, std::move(uri), timing_for(framing)),
          kind_(kind),
          framer_(framing),
          profile_(profile),
          hidpos_(profile, ctx.limits.max_bytes),
          ctx_(std::move(ctx)),
          name_(std::move(name)) {}
    ~StreamScannerDevice() override { stop(); }

    drivers::DeviceCapabilities capabilities() const override {
        return {"scanner",
                {kind_ == DeviceScanner::Kind::Serial ? "scanner.serial" : "scanner.hidpos"}};
    }
    std::atomic<bool> active{true};
    std::atomic<std::size_t> dropped{0};
    DeviceScanner::Kind kind() const { return kind_; }

  protected:
    drivers::CommandResult on_connect(drivers::CommandContext&) override {
        std::lock_guard lock(mutex_);
        framer_.reset();
        reports_.clear();
        return drivers::CommandResult::Ok;
    }
    void on_unsolicited(std::span<const std::uint8_t> bytes) override {
        std::lock_guard lock(mutex_);
        if (kind_ == DeviceScanner::Kind::Serial) {
            framer_.feed(bytes, now_ms());
        } else {
            // hidraw returns one report per read; a stream link (simulator) may carry several or
            // split one, so reports are cut at the profile's size here.
            reports_.insert(reports_.end(), bytes.begin(), bytes.end());
            const std::size_t size = profile_.report_size;
            std::size_t off = 0;
            for (; off + size <= reports_.size(); off += size) {
                const auto e = hidpos_.feed(std::span<const std::uint8_t>(&reports_[off], size));
                if (e != HidPosError::None && e != HidPosError::WrongReportId) {
                    kiosk::log::get("scanner")->warn("{}: bad HID POS report", name_);
                }
            }
            reports_.erase(reports_.begin(), reports_.begin() + static_cast<std::ptrdiff_t>(off));
        }
        drain();
    }
    void on_poll(drivers::CommandContext&) override {
        std::lock_guard lock(mutex_);
        framer_.poll(now_ms());
        drain();
    }

  private:
    static drivers::DeviceTiming timing_for(const SerialFramerOptions& f) {
        drivers::DeviceTiming t;
        // The idle timeout of a suffix-less scan is checked from on_poll.
        t.poll_interval = std::max(std::chrono::milliseconds(10), f.idle_timeout / 2);
        return t;
    }
    void drain() {
        for (;;) {
            std::optional<RawScan> s =
                kind_ == DeviceScanner::Kind::Serial ? framer_.take() : hidpos_.take();
            if (!s) break;
            if (!active) {
                ++dropped;
                continue;
            }
            push_scan(
                ctx_, std::move(s->bytes), s->symbology,
                kind_ == DeviceScanner::Kind::Serial ? ScanSource::Serial : ScanSource::HidPos,
                name_);
        }
    }

    DeviceScanner::Kind kind_;
    std::mutex mutex_;
    SerialFramer framer_;
    HidPosProfile profile_;
    HidPosAssembler hidpos_;
    std::vector<std::uint8_t> reports_;
    ScannerContext ctx_;
    std::string name_;
};

DeviceScanner::DeviceScanner(Kind kind, std::string transport_uri, SerialFramerOptions framing,
                             HidPosProfile profile, ScannerContext context, std::string name)
    : device_(std::make_shared<StreamScannerDevice>(kind, name, std::move(transport_uri), framing,
                                                    profile, std::move(context))),
      name_(std::move(name)) {}

DeviceScanner::~DeviceScanner() {
    device_->stop();
}
void DeviceScanner::start() {
    device_->start();
}
void DeviceScanner::stop() {
    device_->stop();
}
DeviceStatus DeviceScanner::status() const {
    return device_->status();
}
ScanSource DeviceScanner::source() const {
    return device_->kind() == Kind::Serial ? ScanSource::Serial : ScanSource::HidPos;
}
void DeviceScanner::set_active(bool a) {
    device_->active = a;
}
std::size_t DeviceScanner::dropped() const {
    return device_->dropped;
}

// [SECTION] InjectScanner

InjectScanner::InjectScanner(ScannerContext context, std::string name)
    : ctx_(std::move(context)), name_(std::move(name)) {}

bool InjectScanner::inject(std::string_view bytes, Symbology symbology) {
    if (!started_ || !active_) return false;
    push_scan(ctx_, std::vector<std::uint8_t>(bytes.begin(), bytes.end()), symbology,
              ScanSource::Injected, name_);
    return true;
}

}  // namespace kiosk::scanner
