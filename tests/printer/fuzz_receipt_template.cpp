// Fuzz target: receipt templates and printer profiles (configuration files, TOML), parsed and
// rendered with demo data in both languages.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "escpos/builder.hpp"
#include "escpos/profile.hpp"
#include "escpos/receipt.hpp"
#include "escpos/receipt_samples.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace kiosk::escpos;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::string err;
    PrinterProfile profile = *find_profile("generic-58");
    if (auto p = parse_profile_toml(text, err)) profile = *p;
    auto tpl = parse_receipt_template(text, err);
    if (!tpl) return 0;
    for (const char* sample : {"pickup_slip", "payment_receipt", "checklist"}) {
        for (const char* lang : {"zh-CN", "en", "fr"}) {
            Builder b(profile);
            b.init();
            (void)render_receipt(*tpl, sample_receipt_data(sample), lang, b, err);
        }
    }
    return 0;
}
