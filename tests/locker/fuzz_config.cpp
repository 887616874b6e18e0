// Fuzz target for the locker configuration parser (TOML → LockerConfig): bad input must give a
// typed error, never a crash, and a config it accepts must build a bank.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "locker/bank.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string err;
    auto cfg = kiosk::locker::parse_locker_config(
        std::string_view(reinterpret_cast<const char*>(data), size), &err);
    if (cfg) {
        kiosk::locker::Bank bank(*cfg);
        for (int n : bank.numbers()) (void)bank.state(n);
    }
    return 0;
}
