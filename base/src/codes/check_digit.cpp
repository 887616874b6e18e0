#include "codes/check_digit.hpp"

#include <algorithm>

namespace kiosk::codes {
namespace {

bool all_digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

char payment_notice_check_digit(std::string_view d) {
    if (d.size() != 19 || !all_digits(d)) return '\0';
    // Luhn: from the rightmost payload digit, double every other digit.
    int sum = 0;
    bool dbl = true;
    for (auto it = d.rbegin(); it != d.rend(); ++it) {
        int v = *it - '0';
        if (dbl) {
            v *= 2;
            if (v > 9) v -= 9;
        }
        sum += v;
        dbl = !dbl;
    }
    return static_cast<char>('0' + (10 - sum % 10) % 10);
}

bool payment_notice_valid(std::string_view n) {
    return n.size() == 20 && all_digits(n) && payment_notice_check_digit(n.substr(0, 19)) == n[19];
}

}  // namespace kiosk::codes
