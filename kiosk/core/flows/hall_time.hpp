// The hall's timestamps (RFC 3339, "2026-11-26T21:45:00Z" or "...+08:00") for the payment,
// progress and proof flows: to ms since the epoch (countdowns) and to local time (display).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>

namespace kiosk::flows {

// -1 when the text is not that shape.
inline std::int64_t iso_to_ms(std::string_view s) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
    char rest[8] = {};
    const std::string str(s.substr(0, 40));
    if (std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%7s", &y, &mo, &d, &h, &mi, &se, rest) < 6)
        return -1;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return -1;
    // Days from the civil date (H. Hinnant's algorithm), UTC.
    y -= mo <= 2;
    const int era = y / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
    std::int64_t secs = days * 86400 + h * 3600 + mi * 60 + se;
    // Offset: Z, +hh:mm, -hh:mm (fractions of a second are skipped).
    const char* r = rest;
    if (*r == '.')
        while (*r && *r != 'Z' && *r != '+' && *r != '-') ++r;
    if ((*r == '+' || *r == '-') && std::strlen(r) >= 6) {
        const int oh = (r[1] - '0') * 10 + (r[2] - '0'), om = (r[4] - '0') * 10 + (r[5] - '0');
        secs -= (*r == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    }
    return secs * 1000;
}

// "2026-11-02 17:12" in the kiosk's local time; the text as it came when it cannot be read.
inline std::string local_time_text(std::string_view iso) {
    const std::int64_t ms = iso_to_ms(iso);
    if (ms < 0) return std::string(iso.substr(0, 40));
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min);
    return buf;
}

}  // namespace kiosk::flows
