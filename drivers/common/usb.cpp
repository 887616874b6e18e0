// USB bulk transport via libusb (see usb.hpp).
#include "common/usb.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

#include <libusb.h>

#include "base/log.hpp"

namespace kiosk::drivers {
namespace {

bool parse_hex16(std::string_view s, std::uint16_t& out) {
    if (s.empty() || s.size() > 4) return false;
    unsigned v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
    if (ec != std::errc{} || p != s.data() + s.size()) return false;
    out = static_cast<std::uint16_t>(v);
    return true;
}

TransportError from_libusb(int rc) {
    switch (rc) {
        case LIBUSB_ERROR_NO_DEVICE:
        case LIBUSB_ERROR_NOT_FOUND:
        case LIBUSB_ERROR_PIPE:
            return TransportError::Gone;
        case LIBUSB_ERROR_TIMEOUT:
            return TransportError::Timeout;
        default:
            return TransportError::Io;
    }
}

// "BUS-PORT.PORT…", the name sysfs gives the device.
std::string bus_path(libusb_device* dev) {
    std::uint8_t ports[8];
    int n = libusb_get_port_numbers(dev, ports, sizeof ports);
    std::string s = std::to_string(libusb_get_bus_number(dev));
    for (int i = 0; i < n; ++i) s += (i == 0 ? "-" : ".") + std::to_string(ports[i]);
    return s;
}

}  // namespace

std::optional<UsbOptions> usb_options_from_uri(const TransportUri& uri, std::string* error) {
    auto fail = [&](std::string msg) -> std::optional<UsbOptions> {
        if (error) *error = std::move(msg);
        return std::nullopt;
    };
    UsbOptions o;
    auto colon = uri.target.find(':');
    if (colon == std::string::npos) return fail("usb target needs vid:pid");
    if (!parse_hex16(std::string_view(uri.target).substr(0, colon), o.vid) ||
        !parse_hex16(std::string_view(uri.target).substr(colon + 1), o.pid))
        return fail("bad usb vid:pid");
    o.path = uri.get("path");
    for (char c : o.path)
        if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.'))
            return fail("bad usb path");
    std::string itf = uri.get("interface");
    if (!itf.empty()) {
        int v = -1;
        auto [p, ec] = std::from_chars(itf.data(), itf.data() + itf.size(), v);
        if (ec != std::errc{} || p != itf.data() + itf.size() || v < 0 || v > 255)
            return fail("bad usb interface");
        o.interface = v;
    }
    std::string split = uri.get("split");
    if (!split.empty()) {
        int v = 0;
        auto [p, ec] = std::from_chars(split.data(), split.data() + split.size(), v);
        if (ec != std::errc{} || p != split.data() + split.size() || v < 1 || v > 4096)
            return fail("bad usb split");
        o.split = v;
    }
    return o;
}

UsbTransport::UsbTransport(UsbOptions options) : options_(std::move(options)) {}

UsbTransport::~UsbTransport() {
    UsbTransport::close();
}

std::string UsbTransport::describe() const {
    char buf[32];
    std::snprintf(buf, sizeof buf, "usb:%04x:%04x", options_.vid, options_.pid);
    return options_.path.empty() ? std::string(buf) : std::string(buf) + "?path=" + options_.path;
}

TransportError UsbTransport::open() {
    static auto log = kiosk::log::get("usb");
    close();
    if (libusb_init(&ctx_) != 0) {
        ctx_ = nullptr;
        return TransportError::Gone;  // no USB subsystem visible (e.g. a container): no device
    }
    libusb_device** list = nullptr;
    ssize_t n = libusb_get_device_list(ctx_, &list);
    libusb_device* found = nullptr;
    for (ssize_t i = 0; i < n; ++i) {
        libusb_device_descriptor d{};
        if (libusb_get_device_descriptor(list[i], &d) != 0) continue;
        if (d.idVendor != options_.vid || d.idProduct != options_.pid) continue;
        if (!options_.path.empty() && bus_path(list[i]) != options_.path) continue;
        found = list[i];
        break;
    }
    TransportError result = TransportError::Gone;
    if (found) {
        int rc = libusb_open(found, &handle_);
        if (rc != 0) {
            handle_ = nullptr;
            if (rc == LIBUSB_ERROR_ACCESS)
                log->warn("{}: permission denied (install packaging/udev rules)", describe());
            result = from_libusb(rc);
        } else {
            // Endpoints from the descriptors: never hard-coded, firmwares differ.
            libusb_config_descriptor* cfg = nullptr;
            if (libusb_get_active_config_descriptor(found, &cfg) == 0) {
                for (int i = 0; i < cfg->bNumInterfaces && claimed_interface_ < 0; ++i) {
                    const libusb_interface& itf = cfg->interface[i];
                    if (itf.num_altsetting < 1) continue;
                    const libusb_interface_descriptor& alt = itf.altsetting[0];
                    if (options_.interface >= 0 && alt.bInterfaceNumber != options_.interface)
                        continue;
                    std::uint8_t in = 0, out = 0, out2 = 0;
                    for (int e = 0; e < alt.bNumEndpoints; ++e) {
                        const libusb_endpoint_descriptor& ep = alt.endpoint[e];
                        if ((ep.bmAttributes & 0x03) != LIBUSB_TRANSFER_TYPE_BULK) continue;
                        if ((ep.bEndpointAddress & LIBUSB_ENDPOINT_IN) && !in)
                            in = ep.bEndpointAddress;
                        else if (!(ep.bEndpointAddress & LIBUSB_ENDPOINT_IN) && !out)
                            out = ep.bEndpointAddress;
                        else if (!(ep.bEndpointAddress & LIBUSB_ENDPOINT_IN) && !out2)
                            out2 = ep.bEndpointAddress;
                    }
                    if (in && out && (options_.split == 0 || out2)) {
                        ep_in_ = in;
                        ep_out_ = out;
                        ep_out2_ = out2;
                        claimed_interface_ = alt.bInterfaceNumber;
                    }
                }
                libusb_free_config_descriptor(cfg);
            }
            if (claimed_interface_ < 0) {
                log->warn("{}: no interface with bulk IN and {} OUT endpoint(s)", describe(),
                          options_.split ? 2 : 1);
                result = TransportError::Io;
            } else {
                libusb_set_auto_detach_kernel_driver(handle_, 1);
                if (libusb_kernel_driver_active(handle_, claimed_interface_) == 1)
                    libusb_detach_kernel_driver(handle_, claimed_interface_);
                rc = libusb_claim_interface(handle_, claimed_interface_);
                if (rc == 0) {
                    result = TransportError::None;
                } else {
                    claimed_interface_ = -1;
                    result = from_libusb(rc);
                }
            }
        }
    }
    if (list) libusb_free_device_list(list, 1);
    if (result != TransportError::None) close();
    return result;
}

void UsbTransport::close() {
    if (handle_) {
        if (claimed_interface_ >= 0) libusb_release_interface(handle_, claimed_interface_);
        libusb_close(handle_);  // auto-detach reattaches the kernel driver
        handle_ = nullptr;
    }
    claimed_interface_ = -1;
    pending_.clear();
    pending_pos_ = 0;
    if (ctx_) {
        libusb_exit(ctx_);
        ctx_ = nullptr;
    }
}

IoResult UsbTransport::bulk_out(std::uint8_t ep, std::span<const std::uint8_t> bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        int sent = 0;
        int rc = libusb_bulk_transfer(handle_, ep, const_cast<std::uint8_t*>(bytes.data() + done),
                                      static_cast<int>(bytes.size() - done), &sent,
                                      static_cast<unsigned>(options_.write_timeout.count()));
        done += static_cast<std::size_t>(std::max(sent, 0));
        if (rc != 0) return {from_libusb(rc), done};
    }
    return {TransportError::None, done};
}

IoResult UsbTransport::write(std::span<const std::uint8_t> bytes) {
    if (!handle_) return {TransportError::NotOpen, 0};
    const auto split = static_cast<std::size_t>(options_.split);
    if (split == 0 || bytes.size() <= split) return bulk_out(ep_out_, bytes);
    IoResult head = bulk_out(ep_out_, bytes.first(split));
    if (!head.ok()) return head;
    IoResult body = bulk_out(ep_out2_, bytes.subspan(split));
    return {body.error, head.bytes + body.bytes};
}

IoResult UsbTransport::read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout) {
    if (!handle_) return {TransportError::NotOpen, 0};
    if (pending_pos_ >= pending_.size()) {
        pending_.assign(4096, 0);
        pending_pos_ = 0;
        int got = 0;
        // libusb treats 0 as "wait forever": a zero timeout becomes 1 ms.
        unsigned ms = static_cast<unsigned>(std::max<long long>(1, timeout.count()));
        int rc = libusb_bulk_transfer(handle_, ep_in_, pending_.data(),
                                      static_cast<int>(pending_.size()), &got, ms);
        pending_.resize(static_cast<std::size_t>(std::max(got, 0)));
        if (pending_.empty()) return {rc == 0 ? TransportError::Timeout : from_libusb(rc), 0};
    }
    std::size_t n = std::min(into.size(), pending_.size() - pending_pos_);
    std::memcpy(into.data(), pending_.data() + pending_pos_, n);
    pending_pos_ += n;
    return {TransportError::None, n};
}

void UsbTransport::flush() {
    pending_.clear();
    pending_pos_ = 0;
    if (!handle_) return;
    std::uint8_t buf[512];
    for (int i = 0; i < 16; ++i) {
        int got = 0;
        if (libusb_bulk_transfer(handle_, ep_in_, buf, sizeof buf, &got, 1) != 0 || got == 0) break;
    }
}

}  // namespace kiosk::drivers
