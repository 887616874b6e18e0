// Receipt printer profiles (see profile.hpp).
#include "escpos/profile.hpp"

#include <toml++/toml.h>

namespace kiosk::escpos {

namespace {

PrinterProfile generic(int paper_mm) {
    PrinterProfile p;
    p.paper_mm = paper_mm;
    if (paper_mm == 58) {
        p.name = "generic-58";
        p.dots_per_line = 384;
        p.columns = 32;
    }
    return p;
}

}  // namespace

const std::vector<PrinterProfile>& builtin_profiles() {
    static const std::vector<PrinterProfile> profiles = [] {
        std::vector<PrinterProfile> v;
        v.push_back(generic(80));
        v.push_back(generic(58));
        PrinterProfile nocut = generic(58);
        nocut.name = "generic-58-nocut";
        nocut.cut = CutMode::None;
        nocut.native_qr = false;
        nocut.raster_strip_rows = 128;
        v.push_back(nocut);
        PrinterProfile ascii = generic(80);
        ascii.name = "ascii-80";
        ascii.chinese = false;
        v.push_back(ascii);
        return v;
    }();
    return profiles;
}

std::optional<PrinterProfile> find_profile(std::string_view name) {
    for (const auto& p : builtin_profiles()) {
        if (p.name == name) return p;
    }
    return std::nullopt;
}

std::optional<PrinterProfile> parse_profile_toml(std::string_view text, std::string& error) {
    toml::table t;
    try {
        t = toml::parse(text);
    } catch (const toml::parse_error& e) {
        error = std::string("profile: ") + std::string(e.description());
        return std::nullopt;
    }
    const auto paper = t["paper_mm"].value_or<int64_t>(80);
    if (paper != 58 && paper != 80) {
        error = "profile: paper_mm must be 58 or 80";
        return std::nullopt;
    }
    PrinterProfile p = generic(static_cast<int>(paper));
    p.name = t["name"].value_or(p.name);
    const auto dots = t["dots_per_line"].value_or<int64_t>(p.dots_per_line);
    const auto cols = t["columns"].value_or<int64_t>(p.columns);
    const auto strip = t["raster_strip_rows"].value_or<int64_t>(p.raster_strip_rows);
    const auto feed = t["feed_before_cut"].value_or<int64_t>(p.feed_before_cut);
    // Limits a real 58/80 mm head has; anything else is a typo in the configuration.
    if (dots < 128 || dots > 832 || dots % 8 != 0 || cols < 16 || cols > 72 || strip < 8 ||
        strip > 2048 || feed < 0 || feed > 20) {
        error = "profile: a numeric value is out of range";
        return std::nullopt;
    }
    p.dots_per_line = static_cast<int>(dots);
    p.columns = static_cast<int>(cols);
    p.raster_strip_rows = static_cast<int>(strip);
    p.feed_before_cut = static_cast<int>(feed);
    p.chinese = t["chinese"].value_or(p.chinese);
    p.gb18030_4byte = t["gb18030_4byte"].value_or(p.gb18030_4byte);
    p.native_qr = t["native_qr"].value_or(p.native_qr);
    p.native_code128 = t["native_code128"].value_or(p.native_code128);
    p.automatic_status_back = t["automatic_status_back"].value_or(p.automatic_status_back);
    const std::string cut = t["cut"].value_or(std::string("partial"));
    if (cut == "none") {
        p.cut = CutMode::None;
    } else if (cut == "full") {
        p.cut = CutMode::Full;
    } else if (cut == "partial") {
        p.cut = CutMode::Partial;
    } else {
        error = "profile: cut must be none, full or partial";
        return std::nullopt;
    }
    return p;
}

}  // namespace kiosk::escpos
