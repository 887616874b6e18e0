// libFuzzer target: the 256-byte text block parser (all four layouts) and the UCS-2 decoder.
#include <cstddef>
#include <cstdint>
#include <span>

#include "idcard/text.hpp"

using namespace kiosk::idcard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::span<const std::uint8_t> in(data, size);
    (void)utf16le_to_utf8(in);
    (void)parse_address(in);
    Identity id;
    if (parse_text(in, id) == TextError::None) {
        // What parsed must encode and parse again (the simulator relies on this round trip).
        auto again = encode_text(id);
        Identity id2;
        if (again.size() != 256) __builtin_trap();
        (void)parse_text(again, id2);
        (void)gb11643_check(id.id_number);
    }
    return 0;
}
