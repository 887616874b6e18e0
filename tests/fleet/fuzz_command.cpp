// Fuzz target: a command payload as received on kiosk/{fleet}/{id}/cmd. Parsing, the canonical
// form, the signature check and the argument checks (push_config's TOML) must never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fleet/command.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const kiosk::fleet::VerifyContext ctx = [] {
        kiosk::fleet::VerifyContext c;
        c.kiosk_id = "k1";
        // The public key that signed the seed corpus (its secret key was thrown away), and a
        // time within the seeds' lifetime, so the fuzzer reaches the argument checks.
        c.keys = {{"ops-fuzz", "OeJ1SwY47fKR3oBFOT6+5iYJfLYEGpyRvGqlpJZDuGw="}};
        c.now = 1795706300;
        return c;
    }();
    auto v = kiosk::fleet::verify_command(
        std::string_view(reinterpret_cast<const char*>(data), size), ctx);
    if (v.command) (void)v.command->interrupts_citizen();
    (void)kiosk::fleet::reject_name(v.reason);
    return 0;
}
