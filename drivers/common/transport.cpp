// Transport URI parsing and the scheme → transport factory (see transport.hpp).
#include "common/transport.hpp"

#include <cctype>

#include "common/hidraw.hpp"
#include "common/serial.hpp"
#include "common/sim_link.hpp"
#include "common/tcp.hpp"
#include "common/usb.hpp"

namespace kiosk::drivers {

const char* to_string(TransportError e) {
    switch (e) {
        case TransportError::None:
            return "none";
        case TransportError::Timeout:
            return "timeout";
        case TransportError::Gone:
            return "gone";
        case TransportError::Io:
            return "i/o error";
        case TransportError::NotOpen:
            return "not open";
        case TransportError::BadUri:
            return "bad uri";
    }
    return "unknown";
}

std::string TransportUri::get(std::string_view key, std::string_view fallback) const {
    for (const auto& [k, v] : query)
        if (k == key) return v;
    return std::string(fallback);
}

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// %XX decoding; false on a malformed escape or a decoded control character.
bool percent_decode(std::string_view in, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '%') {
            if (i + 2 >= in.size()) return false;
            int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
            if (hi < 0 || lo < 0) return false;
            c = static_cast<char>(hi * 16 + lo);
            i += 2;
        }
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
        out.push_back(c);
    }
    return true;
}

}  // namespace

bool parse_transport_uri(std::string_view uri, TransportUri& out) {
    out = TransportUri{};
    auto colon = uri.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    for (char c : uri.substr(0, colon)) {
        if (!std::islower(static_cast<unsigned char>(c)) &&
            !std::isdigit(static_cast<unsigned char>(c)))
            return false;
    }
    out.scheme = std::string(uri.substr(0, colon));
    std::string_view rest = uri.substr(colon + 1);
    auto q = rest.find('?');
    std::string_view target = rest.substr(0, q);
    if (target.empty() || !percent_decode(target, out.target)) return false;
    if (q != std::string_view::npos) {
        std::string_view query = rest.substr(q + 1);
        while (!query.empty()) {
            auto amp = query.find('&');
            std::string_view pair = query.substr(0, amp);
            query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
            if (pair.empty()) continue;
            auto eq = pair.find('=');
            std::string k, v;
            if (!percent_decode(pair.substr(0, eq), k) || k.empty()) return false;
            if (eq != std::string_view::npos && !percent_decode(pair.substr(eq + 1), v))
                return false;
            out.query.emplace_back(std::move(k), std::move(v));
        }
    }
    return true;
}

std::unique_ptr<Transport> make_transport(const TransportUri& uri, std::string* error) {
    auto fail = [&](std::string msg) -> std::unique_ptr<Transport> {
        if (error) *error = std::move(msg);
        return nullptr;
    };
    if (uri.scheme == "serial" || uri.scheme == "rs485") {
        auto o = serial_options_from_uri(uri, error);
        if (!o) return nullptr;
        return std::make_unique<SerialTransport>(std::move(*o));
    }
    if (uri.scheme == "tcp") {
        auto o = tcp_options_from_uri(uri, error);
        if (!o) return nullptr;
        return std::make_unique<TcpTransport>(std::move(*o));
    }
    if (uri.scheme == "hidraw") {
        if (uri.target.empty() || uri.target[0] != '/') return fail("hidraw path must be absolute");
        return std::make_unique<HidrawTransport>(uri.target);
    }
    if (uri.scheme == "usb") {
        auto o = usb_options_from_uri(uri, error);
        if (!o) return nullptr;
        return std::make_unique<UsbTransport>(std::move(*o));
    }
    if (uri.scheme == "sim") return std::make_unique<SimTransport>(uri.target);
    return fail("unknown transport scheme: " + uri.scheme);
}

std::unique_ptr<Transport> make_transport(std::string_view uri, std::string* error) {
    TransportUri parsed;
    if (!parse_transport_uri(uri, parsed)) {
        if (error) *error = "malformed transport uri";
        return nullptr;
    }
    return make_transport(parsed, error);
}

}  // namespace kiosk::drivers
