// Fuzz target for the locker frame parsers: whole-frame parsers of both dialects and both
// directions, and the accumulators fed the input in pieces, with expectations and line-silence
// marks taken from the input itself. Invariant: no crash, no UB, and every frame the reader
// hands out parses cleanly.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "locker/codec.hpp"

using namespace kiosk::locker;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::span<const std::uint8_t> in(data + 1, size - 1);
    const std::uint8_t ctl = data[0];
    for (const auto& p : profiles()) {
        (void)parse_reply(p, in);
        (void)parse_request(p, in);
        for (auto dir : {FrameReader::Direction::Replies, FrameReader::Direction::Requests}) {
            FrameReader rd(p, dir);
            std::size_t off = 0;
            std::size_t step = 1 + (ctl & 7);
            while (off < in.size()) {
                const std::size_t n = std::min(step, in.size() - off);
                rd.feed(in.subspan(off, n));
                off += n;
                Expect e;
                e.kind = static_cast<Expect::Kind>((ctl >> 3) % 3);
                e.status_bytes = (ctl >> 5) + 1;
                const bool silence = ((off + ctl) % 3) == 0;
                while (auto f = rd.next(e, silence)) {
                    const bool ok = dir == FrameReader::Direction::Replies
                                        ? parse_reply(p, *f).ok()
                                        : parse_request(p, *f).ok();
                    if (!ok) std::abort();
                }
                step = 1 + ((step * 5 + n) % 13);
            }
            while (rd.next({}, true)) {
            }
            if (rd.pending() > 4096) std::abort();
        }
    }
    return 0;
}
