// The frame fuzz target's invariant on every seed of tests/locker/corpus/locker_frames and on
// random and mutated inputs, in the ordinary test run (the libFuzzer build needs clang; this
// keeps the new frames -- 81 family, Kerong variants, 32, 37/38 -- covered everywhere).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <vector>

#include "fuzz_frames.cpp"  // LLVMFuzzerTestOneInput

TEST_CASE("locker.fuzz frame target replays its corpus and random mutations without a crash") {
    const std::filesystem::path dir =
        std::filesystem::path(KIOSK_SOURCE_DIR) / "tests/locker/corpus/locker_frames";
    std::vector<std::vector<std::uint8_t>> seeds;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        std::ifstream in(e.path(), std::ios::binary);
        seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    REQUIRE(seeds.size() >= 15);
    std::mt19937 rng(16);
    for (const auto& s : seeds) {
        CHECK(LLVMFuzzerTestOneInput(s.data(), s.size()) == 0);
        for (int i = 0; i < 200; ++i) {  // flips, cuts and splices of each seed
            auto m = s;
            if (!m.empty()) m[rng() % m.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
            if (rng() % 3 == 0 && m.size() > 2) m.resize(rng() % m.size());
            if (rng() % 3 == 0) {
                const auto& o = seeds[rng() % seeds.size()];
                m.insert(m.end(), o.begin(), o.end());
            }
            LLVMFuzzerTestOneInput(m.data(), m.size());
        }
    }
    for (int i = 0; i < 2000; ++i) {
        std::vector<std::uint8_t> r(rng() % 64);
        for (auto& b : r) b = static_cast<std::uint8_t>(rng());
        LLVMFuzzerTestOneInput(r.data(), r.size());
    }
}
