// make_scanner(): scanner URIs → scanners (see scanner.hpp for the URI forms).
#include "scanner/scanner.hpp"

#include <algorithm>
#include <charconv>

#include "common/sim_link.hpp"
#include "common/transport.hpp"
#include "scanner/camera_scanner.hpp"
#include "scanner/device_scanners.hpp"

namespace kiosk::scanner {
namespace {

bool to_int(std::string_view s, int& out, int lo, int hi) {
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v < lo || v > hi) return false;
    out = v;
    return true;
}

bool to_bool(std::string_view s, bool& out) {
    if (s == "1" || s == "true" || s == "yes" || s == "on") return out = true, true;
    if (s == "0" || s == "false" || s == "no" || s == "off") return out = false, true;
    return false;
}

// Rebuilds a transport URI without the scanner's own options.
std::string transport_uri(const drivers::TransportUri& u,
                          std::initializer_list<std::string_view> drop) {
    std::string s = u.scheme + ":" + u.target;
    char sep = '?';
    for (const auto& [k, v] : u.query) {
        bool mine = false;
        for (auto d : drop) mine = mine || k == d;
        if (mine) continue;
        s += sep + k + "=" + v;
        sep = '&';
    }
    return s;
}

}  // namespace

std::unique_ptr<Scanner> make_scanner(std::string_view uri_text, const ScannerContext& ctx,
                                      std::string* error) {
    auto fail = [&](std::string msg) -> std::unique_ptr<Scanner> {
        if (error) *error = std::move(msg);
        return nullptr;
    };
    if (!ctx.queue) return fail("scanner needs a queue");
    // Scanner schemes may contain '-' (camera-files), which transport URIs do not allow: parse
    // the scheme here and the rest (target, percent-decoding, query) with the transport parser.
    const auto colon = uri_text.find(':');
    const std::string scheme(uri_text.substr(0, colon));
    const bool scheme_ok = colon != std::string_view::npos && colon > 0 &&
                           std::all_of(scheme.begin(), scheme.end(), [](char c) {
                               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                           });
    drivers::TransportUri u;
    if (!scheme_ok ||
        !drivers::parse_transport_uri("x:" + std::string(uri_text.substr(colon + 1)), u)) {
        return fail("malformed scanner uri");
    }
    u.scheme = scheme;
    const std::string name(uri_text.substr(0, uri_text.find('?')));
    auto bad = [&](const std::string& k, const std::string& v) {
        return fail("bad scanner option " + k + "=" + v);
    };

    if (u.scheme == "inject") return std::make_unique<InjectScanner>(ctx, name);

    if (u.scheme == "evdev" || u.scheme == "evdev-sim") {
        KeymapOptions k;
        k.max_bytes = ctx.limits.max_bytes;
        for (const auto& [key, v] : u.query) {
            int ms = 0;
            if (key == "layout") {
                if (!parse_layout(v, k.layout)) return bad(key, v);
            } else if (key == "terminator") {
                if (!parse_terminator(v, k.terminator)) return bad(key, v);
            } else if (key == "timeout_ms") {
                if (!to_int(v, ms, 5, 2000)) return bad(key, v);
                k.inter_key_timeout = std::chrono::milliseconds(ms);
            } else {
                return fail("unknown evdev option " + key);
            }
        }
        std::unique_ptr<drivers::Transport> t;
        if (u.scheme == "evdev") {
            if (u.target.empty() || u.target[0] != '/') return fail("evdev path must be absolute");
            t = std::make_unique<EvdevTransport>(u.target);
        } else {
            t = std::make_unique<drivers::SimTransport>(u.target);
        }
        return std::make_unique<EvdevScanner>(std::move(t), k, ctx, name);
    }

    if (u.scheme == "hidpos") {
        if (u.target.empty() || u.target[0] != '/') return fail("hidpos path must be absolute");
        return std::make_unique<DeviceScanner>(DeviceScanner::Kind::HidPos, "hidraw:" + u.target,
                                               SerialFramerOptions{}, HidPosProfile{}, ctx, name);
    }

    if (u.scheme == "serial" || u.scheme == "rs485" || u.scheme == "tcp" || u.scheme == "sim") {
        SerialFramerOptions f;
        f.max_bytes = ctx.limits.max_bytes;
        for (const auto& [key, v] : u.query) {
            int ms = 0;
            if (key == "terminator") {
                if (!parse_line_end(v, f.end)) return bad(key, v);
            } else if (key == "timeout_ms") {
                if (!to_int(v, ms, 5, 5000)) return bad(key, v);
                f.idle_timeout = std::chrono::milliseconds(ms);
            } else if (key == "aim") {
                if (!to_bool(v, f.aim_prefix)) return bad(key, v);
            }
        }
        std::string terr;
        const std::string turi = transport_uri(u, {"terminator", "timeout_ms", "aim"});
        if (!drivers::make_transport(turi, &terr)) return fail(terr);  // validate options now
        return std::make_unique<DeviceScanner>(DeviceScanner::Kind::Serial, turi, f,
                                               HidPosProfile{}, ctx, name);
    }

    if (u.scheme == "camera" || u.scheme == "camera-files" || u.scheme == "camera-raw") {
        CameraOptions co;
        V4l2Options vo;
        vo.device = u.target;
        ImageFilesOptions io;
        io.path = u.target;
        RawVideoOptions ro;
        ro.path = u.target;
        for (const auto& [key, v] : u.query) {
            int n = 0;
            bool b = false;
            if (key == "width" && to_int(v, n, 16, 8192)) {
                vo.width = io.width = ro.width = n;
            } else if (key == "height" && to_int(v, n, 16, 8192)) {
                vo.height = io.height = ro.height = n;
            } else if (key == "fps" && to_int(v, n, 0, 120)) {
                vo.fps = io.fps = ro.fps = n;
            } else if (key == "loop" && to_bool(v, b)) {
                io.loop = ro.loop = b;
            } else if (key == "repeat" && to_int(v, n, 1, 1000)) {
                io.repeat = n;
            } else if (key == "format" && parse_raw_format(v, ro.format)) {
            } else if (key == "preview_width" && to_int(v, n, 16, 4096)) {
                co.preview_width = n;
            } else if (key == "fallback_every" && to_int(v, n, 1, 100)) {
                co.decode.fallback_every = n;
            } else {
                return bad(key, v);
            }
        }
        if (u.target.empty()) return fail("camera needs a device or file");
        std::unique_ptr<FrameSource> src;
        if (u.scheme == "camera") src = make_v4l2_source(vo);
        if (u.scheme == "camera-files") src = make_image_files_source(io);
        if (u.scheme == "camera-raw") src = make_raw_video_source(ro);
        return std::make_unique<CameraScanner>(std::move(src), co, ctx);
    }
    return fail("unknown scanner scheme: " + u.scheme);
}

}  // namespace kiosk::scanner
