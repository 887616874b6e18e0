// USB printer class discovery (see usb_printer.hpp).
#include "printer/usb_printer.hpp"

#include <libusb.h>

#include <cstdio>

#include "common/transport.hpp"
#include "common/usb.hpp"

namespace kiosk::drivers {

UsbPrinterInterface find_printer_interface(const libusb_config_descriptor* config) {
    UsbPrinterInterface best;
    if (!config) return best;
    for (int i = 0; i < config->bNumInterfaces; ++i) {
        const libusb_interface& itf = config->interface[i];
        for (int a = 0; a < itf.num_altsetting; ++a) {
            const libusb_interface_descriptor& d = itf.altsetting[a];
            if (d.bInterfaceClass != LIBUSB_CLASS_PRINTER) continue;
            UsbPrinterInterface c;
            c.interface = d.bInterfaceNumber;
            c.alt_setting = d.bAlternateSetting;
            c.protocol = d.bInterfaceProtocol;
            for (int e = 0; e < d.bNumEndpoints; ++e) {
                const libusb_endpoint_descriptor& ep = d.endpoint[e];
                if ((ep.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) != LIBUSB_TRANSFER_TYPE_BULK)
                    continue;
                if ((ep.bEndpointAddress & LIBUSB_ENDPOINT_DIR_MASK) == LIBUSB_ENDPOINT_IN) {
                    if (!c.ep_in) c.ep_in = ep.bEndpointAddress;
                } else if (!c.ep_out) {
                    c.ep_out = ep.bEndpointAddress;
                }
            }
            if (!c.found()) continue;
            // Bidirectional beats unidirectional: without IN there is no status.
            if (!best.found() || (best.ep_in == 0 && c.ep_in != 0)) best = c;
        }
    }
    return best;
}

std::string resolve_usb_printer_uri(const std::string& uri, std::string* error) {
    TransportUri u;
    if (!parse_transport_uri(uri, u) || u.scheme != "usb") {
        if (error) *error = "not a usb: uri";
        return {};
    }
    if (!u.get("interface").empty()) return uri;
    auto opts = usb_options_from_uri(u, error);
    if (!opts) return {};
    libusb_context* ctx = nullptr;
    if (libusb_init(&ctx) != 0) {
        if (error) *error = "libusb_init failed";
        return {};
    }
    libusb_device** list = nullptr;
    const ssize_t n = libusb_get_device_list(ctx, &list);
    UsbPrinterInterface found;
    for (ssize_t i = 0; i < n && !found.found(); ++i) {
        libusb_device_descriptor dd{};
        if (libusb_get_device_descriptor(list[i], &dd) != 0) continue;
        if (dd.idVendor != opts->vid || dd.idProduct != opts->pid) continue;
        if (!opts->path.empty()) {
            std::uint8_t ports[8];
            const int np = libusb_get_port_numbers(list[i], ports, 8);
            std::string path = std::to_string(libusb_get_bus_number(list[i])) + "-";
            for (int k = 0; k < np; ++k) path += (k ? "." : "") + std::to_string(ports[k]);
            if (path != opts->path) continue;
        }
        libusb_config_descriptor* cfg = nullptr;
        if (libusb_get_active_config_descriptor(list[i], &cfg) == 0) {
            found = find_printer_interface(cfg);
            libusb_free_config_descriptor(cfg);
        }
    }
    if (list) libusb_free_device_list(list, 1);
    libusb_exit(ctx);
    if (!found.found()) {
        if (error) *error = "no USB printer-class interface on " + u.target;
        return {};
    }
    return uri + (uri.find('?') == std::string::npos ? "?" : "&") +
           "interface=" + std::to_string(found.interface);
}

}  // namespace kiosk::drivers
