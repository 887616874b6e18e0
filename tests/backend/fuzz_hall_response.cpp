// Fuzz target: any bytes as the answer to any operation of the hall contract. The first byte picks
// the operation; the parsers must return a value or a typed error, never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/parse.hpp"
#include "api/requests.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    constexpr int kOps = static_cast<int>(kiosk::api::Op::assist_list) + 1;
    auto op = static_cast<kiosk::api::Op>(data[0] % kOps);
    std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
    auto r = kiosk::api::parse_response(op, body);
    if (!r.ok()) (void)r.error().describe();
    (void)kiosk::api::error_from_status(500, body);
    return 0;
}
