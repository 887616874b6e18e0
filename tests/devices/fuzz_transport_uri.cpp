// libFuzzer target: transport URIs from the configuration (parse + every scheme's option parser).
// make_transport only builds the transport; nothing is opened.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/transport.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string uri(reinterpret_cast<const char*>(data), size);
    kiosk::drivers::TransportUri parsed;
    if (kiosk::drivers::parse_transport_uri(uri, parsed)) {
        std::string error;
        auto t = kiosk::drivers::make_transport(parsed, &error);
        if (t) (void)t->describe();
    }
    return 0;
}
