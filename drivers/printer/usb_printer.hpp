// USB printer class (interface class 7) discovery for the receipt printer.
//
// A USB receipt printer exposes a printer-class interface (class 7, subclass 1; protocol 1 =
// unidirectional, 2 = bidirectional) with one bulk OUT and, when bidirectional, one bulk IN
// endpoint. Endpoint numbers differ between models, so they are read from the descriptors.
// The byte transport itself is common/usb.hpp (UsbTransport), which claims the interface named
// in the URI and detaches the kernel's usblp driver for the claim (reattached on close); this
// file only finds WHICH interface is the printer on composite devices (printer + HID keypad,
// printer + CDC) and says when status cannot be read (unidirectional: no IN endpoint).
// Not testable without hardware: tests feed hand-built descriptors to find_printer_interface.
// Users hit LIBUSB_ERROR_ACCESS until a udev rule grants the kiosk's group
// (docs/drivers/printer.md). Reference: ../shared/reference/escpos.md ("Links").
#pragma once

#include <cstdint>
#include <string>

struct libusb_config_descriptor;

namespace kiosk::drivers {

struct UsbPrinterInterface {
    int interface = -1;  // bInterfaceNumber; -1: none found
    int alt_setting = 0;
    int protocol = 0;         // 1 unidirectional, 2 bidirectional, 3 IEEE 1284.4
    std::uint8_t ep_out = 0;  // bulk OUT endpoint address
    std::uint8_t ep_in = 0;   // bulk IN endpoint address (0: none, status cannot be read)
    bool found() const { return interface >= 0 && ep_out != 0; }
};

// Picks the printer-class interface from a configuration descriptor: the first class-7
// alternate setting with a bulk OUT, preferring a bidirectional one.
UsbPrinterInterface find_printer_interface(const libusb_config_descriptor* config);

// usb:VID:PID[?path=…] → the same URI with interface=N of the printer-class interface added
// (unchanged if it already names one). Empty string + error when the device is absent.
std::string resolve_usb_printer_uri(const std::string& uri, std::string* error);

}  // namespace kiosk::drivers
