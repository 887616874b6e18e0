// The scanner part of Devices: every ScanEvent → CodeScanned; fx::Camera → set_active on the
// camera; the camera's preview for the UI.
//   devices.scanner = "sim:scanner"  an in-process inject scanner: simulate("scanner", "scan …")
//                     any other URI → scanner::make_scanner (docs/drivers/scanner.md)
//   devices.camera  = "sim:camera"   camera-files: over generated code images (a blank frame, a
//                     pickup code, a payment notice) in <state_dir>/camera-sim; "" = none
#include <atomic>
#include <filesystem>

#include "app/devices_parts.hpp"
#include "core/log.hpp"
#include "scanner/camera_scanner.hpp"
#include "scanner/device_scanners.hpp"
#include "scanner/qr_writer.hpp"
#include "scanner/scanner.hpp"
#if KIOSK_WITH_SIMULATORS
#include "sim/printer/virtual_printer.hpp"
#endif

namespace kiosk::app::detail {
namespace {

auto lg() {
    static auto l = log::get("devices");
    return l;
}

CodeKind kind_of(scanner::PayloadKind k) {
    using K = scanner::PayloadKind;
    switch (k) {
        case K::PickupCode:
            return CodeKind::pickup;
        case K::PaymentNotice:
            return CodeKind::payment;
        case K::HallGuide:
            return CodeKind::guide;
        case K::HallReceipt:
            return CodeKind::receipt;
        case K::HallLink:
            return CodeKind::hall_link;
        case K::EidCode:
            return CodeKind::eid;
        case K::Certificate:
            return CodeKind::certificate;
        case K::NotForKiosk:
            break;
    }
    return CodeKind::not_for_kiosk;
}

CodeRejection rejection_of(scanner::Rejection r) {
    using R = scanner::Rejection;
    switch (r) {
        case R::None:
            return CodeRejection::none;
        case R::Invalid:
            return CodeRejection::invalid;
        case R::ForeignUrl:
            return CodeRejection::foreign_url;
        case R::InsecureUrl:
            return CodeRejection::insecure_url;
        case R::MalformedUrl:
            return CodeRejection::malformed_url;
        case R::BadCheckDigit:
            return CodeRejection::bad_check_digit;
        case R::BadValue:
            return CodeRejection::bad_value;
        case R::UnknownFormat:
            return CodeRejection::unknown_format;
    }
    return CodeRejection::unknown_format;
}

ScanSource source_of(scanner::ScanSource s) {
    using S = scanner::ScanSource;
    switch (s) {
        case S::KeyboardWedge:
            return ScanSource::evdev;
        case S::HidPos:
            return ScanSource::hid;
        case S::Serial:
            return ScanSource::serial;
        case S::Camera:
            return ScanSource::camera;
        case S::Injected:
            return ScanSource::inject;
    }
    return ScanSource::inject;
}

bool is_up(drivers::DeviceStatus s) {
    return s == drivers::DeviceStatus::Online || s == drivers::DeviceStatus::Busy;
}

#if KIOSK_WITH_SIMULATORS
std::atomic<int> inject_counter{0};

// A code image as a PNG (white page, the code in the middle), for the simulated camera.
bool write_code_png(const std::string& text, const std::string& path) {
    printersim::Canvas c;
    c.width = 480;
    c.height = 480;
    c.pixels.assign(static_cast<std::size_t>(c.width * c.height), 255);
    if (!text.empty()) {
        scanner::CodeOptions o;
        o.fit_pixels = 360;
        std::string err;
        auto img = scanner::make_code(text, o, &err);
        if (img.empty()) return false;
        const int ox = (c.width - img.width) / 2, oy = (c.height - img.height) / 2;
        for (int y = 0; y < img.height && y + oy < c.height; ++y)
            for (int x = 0; x < img.width && x + ox < c.width; ++x)
                if (x + ox >= 0 && y + oy >= 0)
                    c.pixels[static_cast<std::size_t>((y + oy) * c.width + x + ox)] =
                        img.pixels[static_cast<std::size_t>(y * img.width + x)];
    }
    return printersim::write_png(c, path);
}
#endif

}  // namespace

struct ScannerPart::Impl {
    explicit Impl(Env& e) : env(e), queue(std::make_shared<scanner::ScanQueue>()) {}
    ~Impl() {
        if (camera) camera->stop();
        if (main) main->stop();
    }

    struct Slot {
        std::string name;
        drivers::DeviceStatus last = drivers::DeviceStatus::Starting;
        bool known = false;
        std::string last_error;
    };

    Env& env;
    std::shared_ptr<scanner::ScanQueue> queue;
    std::unique_ptr<scanner::Scanner> main, camera;  // camera: the devices.camera scanner
    scanner::InjectScanner* inject = nullptr;
    Slot main_slot{"scanner", drivers::DeviceStatus::Starting, false, {}};
    Slot camera_slot{"camera", drivers::DeviceStatus::Starting, false, {}};
    scanner::PreviewFrame preview;
    std::int64_t scans = 0, rejected = 0;

    scanner::ScannerContext context() const {
        scanner::ScannerContext ctx{queue, {}, {}};
        ctx.payload.hall_hosts = env.config.devices.hall_hosts;
        if (ctx.payload.hall_hosts.empty()) {
            const std::string& url = env.config.backend.url;
            if (url.starts_with("sim:"))
                ctx.payload.hall_hosts.push_back("hall.example.gov.cn");  // hall-sim's links
            else if (auto h = scanner::url_host(url); !h.empty())
                ctx.payload.hall_hosts.push_back(h);
        }
        ctx.payload.eid_hosts = env.config.devices.eid_hosts;
        return ctx;
    }
    // The camera(s) that fx::Camera switches: devices.camera, or a camera as devices.scanner.
    std::vector<scanner::Scanner*> cameras() {
        std::vector<scanner::Scanner*> out;
        if (main && main->camera()) out.push_back(main.get());
        if (camera) out.push_back(camera.get());
        return out;
    }
    std::unique_ptr<scanner::Scanner> build(const std::string& uri, Slot& slot);
#if KIOSK_WITH_SIMULATORS
    std::string camera_sim_dir();
#endif
    void check(scanner::Scanner* s, Slot& slot);
};

#if KIOSK_WITH_SIMULATORS
std::string ScannerPart::Impl::camera_sim_dir() {
    namespace fs = std::filesystem;
    const std::string dir = env.state_dir + "/camera-sim";
    std::error_code ec;
    fs::create_directories(dir, ec);
    // A blank frame first (nobody in front of the camera), then a phone with a pickup code, then
    // a payment notice (20 digits with its check digit).
    const std::string nineteen = "4306202611000000001";
    const std::string notice = nineteen + scanner::payment_notice_check_digit(nineteen);
    const std::pair<const char*, std::string> images[] = {
        {"0-blank.png", ""}, {"1-pickup.png", "ESTN:PICKUP:246810"}, {"2-payment.png", notice}};
    for (const auto& [name, text] : images)
        if (!fs::exists(dir + "/" + name, ec) && !write_code_png(text, dir + "/" + name))
            lg()->warn("camera sim: could not write {}", name);
    return dir;
}
#endif

std::unique_ptr<scanner::Scanner> ScannerPart::Impl::build(const std::string& setting, Slot& slot) {
    std::string uri = setting;
#if KIOSK_WITH_SIMULATORS
    if (setting == "sim:scanner")
        uri = "inject:kiosk-scanner-" + std::to_string(++inject_counter);
    else if (setting == "sim:camera")
        uri = "camera-files:" + camera_sim_dir() + "?loop=1&fps=5&repeat=10";
    else
#endif
        if (setting.starts_with("sim:")) {
        slot.last_error = "unknown simulator '" + setting + "'";
        lg()->error("{}: {}", slot.name, slot.last_error);
        env.post(DeviceAvailability{slot.name, false});
        return nullptr;
    }
    std::string err;
    auto s = scanner::make_scanner(uri, context(), &err);
    if (!s) {
        slot.last_error = err;
        lg()->error("{} on {}: {}", slot.name, setting, err);
        env.post(DeviceAvailability{slot.name, false});
        return nullptr;
    }
    s->start();
    lg()->info("{} on {}", slot.name, s->describe());
    return s;
}

void ScannerPart::Impl::check(scanner::Scanner* s, Slot& slot) {
    if (!s) return;
    auto st = s->status();
    if (st == drivers::DeviceStatus::Starting) return;
    if (slot.known && is_up(slot.last) == is_up(st)) {
        slot.last = st;
        return;
    }
    // A camera switched off is idle, not broken: availability follows the device when open.
    slot.known = true;
    slot.last = st;
    env.post(DeviceAvailability{slot.name, is_up(st)});
}

ScannerPart::ScannerPart(Env& env) : impl_(std::make_unique<Impl>(env)) {}

ScannerPart::~ScannerPart() = default;

void ScannerPart::start() {
    if (impl_->env.wake) impl_->queue->set_notifier(impl_->env.wake);
    const auto& d = impl_->env.config.devices;
    if (!d.scanner.empty()) {
        impl_->main = impl_->build(d.scanner, impl_->main_slot);
        impl_->inject = dynamic_cast<scanner::InjectScanner*>(impl_->main.get());
    }
    if (!d.camera.empty()) impl_->camera = impl_->build(d.camera, impl_->camera_slot);
    // Cameras stay closed until a step wants a scan (fx::Camera): no light, no CPU.
    for (auto* c : impl_->cameras()) c->set_active(false);
    impl_->check(impl_->main.get(), impl_->main_slot);
    if (impl_->camera) {
        // Inactive means closed; say it is there (it opens when a step wants it).
        impl_->camera_slot.known = true;
        impl_->camera_slot.last = drivers::DeviceStatus::Online;
        impl_->env.post(DeviceAvailability{"camera", true});
    }
}

void ScannerPart::apply(const fx::Camera& camera) {
    for (auto* c : impl_->cameras()) {
        c->set_active(camera.on);
        if (camera.on && c->camera()) c->camera()->clear_recent();
    }
}

void ScannerPart::poll(std::vector<Event>& out) {
    impl_->check(impl_->main.get(), impl_->main_slot);
    while (auto ev = impl_->queue->try_pop()) {
        ++impl_->scans;
        if (!ev->payload.recognised()) ++impl_->rejected;
        // The value is personal data: it goes to the core, never to a log.
        out.push_back(CodeScanned{kind_of(ev->payload.kind), ev->payload.value,
                                  rejection_of(ev->payload.reason), source_of(ev->source)});
    }
}

void ScannerPart::cancel_all() {
    // Scans in flight belong to the person who left.
    impl_->queue->drain();
    for (auto* c : impl_->cameras())
        if (c->camera()) c->camera()->clear_recent();
}

bool ScannerPart::simulate(const std::string& device, const std::string& action) {
    if (device == "scanner" && impl_->inject && action.starts_with("scan ")) {
        // A scan while the scanner is stopped or inactive is dropped, as on a real one.
        impl_->inject->inject(action.substr(5));
        return true;
    }
    return false;
}

bool ScannerPart::preview(int& w, int& h, std::vector<std::uint8_t>& rgb) {
    for (auto* c : impl_->cameras()) {
        auto* cam = c->camera();
        if (!cam || !cam->preview(impl_->preview)) continue;
        w = impl_->preview.width;
        h = impl_->preview.height;
        rgb = impl_->preview.rgb;
        return true;
    }
    return false;
}

std::vector<DeviceInfo> ScannerPart::info() const {
    std::vector<DeviceInfo> out;
    auto one = [&](const scanner::Scanner* s, const Impl::Slot& slot) {
        DeviceInfo i;
        i.name = slot.name;
        i.status = s ? drivers::to_string(s->status()) : "no device";
        i.last_error = slot.last_error;
        if (slot.name == "scanner") {
            i.counters["scans"] = impl_->scans;
            i.counters["not_for_kiosk"] = impl_->rejected;
        }
        out.push_back(std::move(i));
    };
    if (impl_->main || !impl_->main_slot.last_error.empty())
        one(impl_->main.get(), impl_->main_slot);
    if (impl_->camera || !impl_->camera_slot.last_error.empty())
        one(impl_->camera.get(), impl_->camera_slot);
    return out;
}

}  // namespace kiosk::app::detail
