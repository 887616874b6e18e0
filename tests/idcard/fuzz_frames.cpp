// libFuzzer target: the SAM frame accumulator and everything that parses a reply's payload.
// Input: the first byte picks the fragment size, the rest is the byte stream from the "reader".
#include <cstddef>
#include <cstdint>
#include <span>

#include "idcard/codec.hpp"
#include "idcard/text.hpp"

using namespace kiosk::idcard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t step = 1 + data[0] % 64;
    std::span<const std::uint8_t> stream(data + 1, size - 1);
    FrameAccumulator acc(kMaxFrame);
    for (std::size_t i = 0; i < stream.size(); i += step) {
        acc.feed(stream.subspan(i, std::min(step, stream.size() - i)));
        while (auto item = acc.next()) {
            if (item->error != FrameError::None) continue;
            Response r;
            // A whole frame from the accumulator is well formed; only a request-sized body
            // (2 bytes) may fail to be a response.
            auto e = parse_response(item->frame, r);
            if (e != FrameError::None && e != FrameError::NotAResponse) __builtin_trap();
            if (e != FrameError::None) continue;
            (void)format_sam_id(r.data);
            (void)parse_address(r.data);
            for (bool fp : {false, true}) {
                CardData d;
                if (parse_card_data(r.data, fp, d) == CardDataError::None) {
                    Identity id;
                    (void)parse_text(d.text, id);
                }
            }
            Request q;
            (void)parse_request(item->frame, q);
        }
        if (acc.buffered() > kMaxFrame * 4) __builtin_trap();  // the buffer must stay bounded
    }
    return 0;
}
