// Scanner simulators (see scanner_sim.hpp).
#include "scanner_sim.hpp"

#include <iconv.h>
#include <linux/input.h>
#include <unistd.h>

#include <condition_variable>
#include <cstring>
#include <thread>

namespace kiosk::scanner::sim {

namespace {

std::span<const std::uint8_t> as_bytes(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string to_gb18030(std::string_view utf8) {
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    if (cd == reinterpret_cast<iconv_t>(-1)) return std::string(utf8);
    std::string in(utf8), out(utf8.size() * 4 + 4, '\0');
    char* ip = in.data();
    char* op = out.data();
    std::size_t il = in.size(), ol = out.size();
    const std::size_t rc = iconv(cd, &ip, &il, &op, &ol);
    iconv_close(cd);
    if (rc == static_cast<std::size_t>(-1)) return std::string(utf8);
    out.resize(out.size() - ol);
    return out;
}

}  // namespace

// [SECTION] SimEndpoint

SimEndpoint::SimEndpoint(std::string name) : name_(std::move(name)) {
    drivers::register_sim_endpoint(name_, [this](int fd) {
        std::lock_guard lock(mutex_);
        link_ = std::make_unique<drivers::AdoptedFdTransport>(fd, true, "sim:" + name_);
        cv_.notify_all();
        return true;
    });
}

SimEndpoint::~SimEndpoint() {
    drivers::unregister_sim_endpoint(name_);
    std::lock_guard lock(mutex_);
    link_.reset();
}

bool SimEndpoint::wait_connected(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return link_ && link_->is_open(); });
}

bool SimEndpoint::write(std::span<const std::uint8_t> bytes) {
    std::lock_guard lock(mutex_);
    return link_ && link_->write(bytes).ok();
}

void SimEndpoint::hang_up() {
    std::lock_guard lock(mutex_);
    if (link_) link_->close();
    link_.reset();
}

// [SECTION] SerialScannerSim

std::unique_ptr<SerialScannerSim> SerialScannerSim::on_pty(Options o, std::string link_path) {
    std::unique_ptr<SerialScannerSim> s(new SerialScannerSim(std::move(o)));
    s->pty_ = std::make_unique<drivers::PtyPair>(std::move(link_path));
    if (s->pty_->open() != drivers::TransportError::None) return nullptr;
    return s;
}

std::unique_ptr<SerialScannerSim> SerialScannerSim::on_sim_link(Options o, std::string name) {
    std::unique_ptr<SerialScannerSim> s(new SerialScannerSim(std::move(o)));
    s->endpoint_ = std::make_unique<SimEndpoint>(std::move(name));
    return s;
}

const std::string& SerialScannerSim::device_path() const {
    static const std::string none;
    return pty_ ? pty_->device_path() : none;
}

bool SerialScannerSim::wait_connected(std::chrono::milliseconds timeout) {
    return endpoint_ ? endpoint_->wait_connected(timeout) : true;
}

bool SerialScannerSim::write(std::string_view bytes) {
    auto put = [&](std::string_view b) {
        if (pty_) return pty_->write(as_bytes(b)).ok();
        return endpoint_ && endpoint_->write(as_bytes(b));
    };
    if (o_.byte_delay.count() == 0) return put(bytes);
    for (char c : bytes) {
        if (!put(std::string_view(&c, 1))) return false;
        std::this_thread::sleep_for(o_.byte_delay);  // pacing a wire, not synchronisation
    }
    return true;
}

bool SerialScannerSim::scan(std::string_view utf8) {
    const std::string body = o_.gb18030 ? to_gb18030(utf8) : std::string(utf8);
    return write(o_.aim + body + o_.suffix);
}

bool SerialScannerSim::send_raw(std::string_view bytes) {
    return write(bytes);
}

void SerialScannerSim::unplug() {
    if (pty_) pty_->close();
    if (endpoint_) endpoint_->hang_up();
}

bool SerialScannerSim::replug() {
    return pty_ ? pty_->open() == drivers::TransportError::None : true;
}

// [SECTION] EvdevScannerSim

EvdevScannerSim::EvdevScannerSim(std::string name, KeyLayout layout, Terminator terminator)
    : ep_(std::move(name)), layout_(layout), terminator_(terminator) {}

bool EvdevScannerSim::send_keys(const std::vector<std::pair<std::uint16_t, std::int32_t>>& keys) {
    std::vector<std::uint8_t> out;
    auto put = [&](std::uint16_t type, std::uint16_t code, std::int32_t value) {
        input_event ev{};
        ev.type = type;
        ev.code = code;
        ev.value = value;
        const auto* p = reinterpret_cast<const std::uint8_t*>(&ev);
        out.insert(out.end(), p, p + sizeof ev);
    };
    for (auto [code, value] : keys) {
        put(EV_MSC, MSC_SCAN, code);  // as the kernel does: noise the driver must skip
        put(EV_KEY, code, value);
        put(EV_SYN, SYN_REPORT, 0);
    }
    return ep_.write(out);
}

bool EvdevScannerSim::type(std::string_view utf8, std::chrono::milliseconds key_delay) {
    const auto keys = key_events_for(utf8, layout_, terminator_);
    if (key_delay.count() == 0) return send_keys(keys);
    for (const auto& k : keys) {
        if (!send_keys({k})) return false;
        std::this_thread::sleep_for(key_delay);  // pacing key strokes, not synchronisation
    }
    return true;
}

// [SECTION] HidPosScannerSim

HidPosScannerSim::HidPosScannerSim(std::string name, HidPosProfile profile)
    : ep_(std::move(name)), codec_(profile) {}

bool HidPosScannerSim::scan(std::string_view bytes, std::string_view aim) {
    for (const auto& r : codec_.encode(as_bytes(bytes), aim)) {
        if (!ep_.write(r)) return false;
    }
    return true;
}

bool HidPosScannerSim::send_report(std::span<const std::uint8_t> report) {
    return ep_.write(report);
}

}  // namespace kiosk::scanner::sim
