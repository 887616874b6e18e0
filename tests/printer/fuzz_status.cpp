// Fuzz target: the printer → host status stream (DLE EOT replies and ASB frames).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "escpos/status.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace kiosk::escpos;
    if (size == 0) return 0;
    // First byte picks the split point, so frames cut across reads are exercised too.
    const std::size_t split = size > 1 ? data[0] % size : 0;
    std::span<const std::uint8_t> all(data + 1, size - 1);
    StatusStream s;
    std::vector<StatusMessage> out;
    s.feed(all.first(std::min(split, all.size())), out);
    s.feed(all.subspan(std::min(split, all.size())), out);
    PrinterStatus st;
    int n = 1;
    for (const auto& m : out) {
        if (m.kind == StatusMessage::Kind::Asb) {
            (void)decode_asb(m.asb, st);
        } else if (m.kind == StatusMessage::Kind::Realtime) {
            (void)apply_realtime_reply(n, m.realtime, st);
            n = n % 5 + 1;  // includes the invalid n = 5
        }
    }
    // The encoder's output must always decode again to the same state.
    PrinterStatus back;
    if (decode_asb(encode_asb(st), back) != StatusError::None) __builtin_trap();
    (void)describe(st);
    return 0;
}
