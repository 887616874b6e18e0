// libFuzzer target: every parser of outside scanner bytes (payload validation and recognition,
// camera charset decision, serial framing, HID POS reports, keymap events). Must never crash, hang or trip a sanitizer.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "scanner/charset.hpp"
#include "scanner/framing.hpp"
#include "scanner/keymap.hpp"
#include "scanner/payload.hpp"
#include "scanner/scan_event.hpp"

using namespace kiosk::scanner;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> in(data, size);
    PayloadConfig cfg;
    cfg.hall_hosts = {"zwfw.yueyang.gov.cn"};
    cfg.eid_hosts = {"eid.example.gov.cn"};

    // Validation then recognition, as for every scan; recognition also on unvalidated bytes.
    const ScanEvent ev =
        make_scan_event({in.begin(), in.end()}, Symbology::QrCode, ScanSource::Camera, "fuzz", cfg);
    if (ev.error == ValidationError::None && !is_valid_utf8(ev.text)) __builtin_trap();
    (void)recognise(std::string_view(reinterpret_cast<const char*>(data), size), cfg);

    // Camera charset decision: the bytes as ECI-protocol form, and as one undeclared segment
    // with themselves as "ZXing's reading". Text out is UTF-8 or there is a reason.
    std::vector<EciSegment> segs;
    if (parse_eci_protocol(in, segs)) {
        const TextDecision t = decide_text(segs, {});
        if (!t.ok() && !t.text.empty()) __builtin_trap();
        if (t.ok() && !is_valid_utf8(t.text)) __builtin_trap();
    }
    const TextDecision u = decide_text({EciSegment{-1, {in.begin(), in.end()}}},
                                       std::string_view(reinterpret_cast<const char*>(data), size));
    if (u.ok() && !is_valid_utf8(u.text)) __builtin_trap();
    if (!u.ok() && !u.text.empty()) __builtin_trap();

    // Serial framing with each line end; time advances with the bytes.
    SerialFramerOptions so;
    so.aim_prefix = size > 0 && (data[0] & 1);
    so.end = static_cast<LineEnd>(size > 0 ? data[0] % 5 : 0);
    so.max_bytes = 64;
    SerialFramer sf(so);
    for (std::size_t i = 0; i < size; i += 7) {
        sf.feed(in.subspan(i, std::min<std::size_t>(7, size - i)),
                std::chrono::milliseconds(i * 13));
    }
    sf.poll(std::chrono::milliseconds(size * 13 + 1000));
    while (auto s = sf.take()) (void)validate_text(s->bytes);

    // HID POS: the input cut into 64-byte reports.
    HidPosAssembler hp({}, 128);
    for (std::size_t i = 0; i < size; i += 64)
        (void)hp.feed(in.subspan(i, std::min<std::size_t>(64, size - i)));
    while (auto s = hp.take()) (void)validate_text(s->bytes);

    // Keymap: (code, value) pairs from the bytes.
    KeymapOptions ko;
    ko.layout = static_cast<KeyLayout>(size > 1 ? data[1] % 4 : 0);
    ko.terminator = static_cast<Terminator>(size > 2 ? data[2] % 4 : 0);
    ko.max_bytes = 64;
    KeymapDecoder kd(ko);
    for (std::size_t i = 0; i + 2 < size; i += 3) {
        kd.feed(static_cast<std::uint16_t>(data[i] | ((data[i + 1] & 1) << 8)), data[i + 2] % 3,
                std::chrono::milliseconds(i * 5));
    }
    kd.poll(std::chrono::milliseconds(size * 5 + 1000));
    while (auto s = kd.take()) (void)validate_text(*s);
    return 0;
}
