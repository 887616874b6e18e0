// Fuzz target: a one-thing guide from the hall, then 情形选办 over it. The parser must accept or
// refuse any bytes; for an accepted guide, choosing any subset of its options must select only
// situations and materials that exist (the cross-reference checks make that hold).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "api/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view body(reinterpret_cast<const char*>(data), size);
    auto g = kiosk::api::parse_guide(body);
    if (!g.ok()) return 0;
    std::vector<std::string> chosen;
    std::size_t bit = 0;
    for (const auto& q : g->questions)
        for (const auto& o : q.options)
            if ((data[bit++ % size] & 1) != 0) chosen.push_back(o.id);
    auto situations = g->situations_for(chosen);
    if (situations.empty() || situations.size() > g->situations.size()) std::abort();
    for (const auto* m : g->materials_for(situations))
        if (m == nullptr) std::abort();
    return 0;
}
