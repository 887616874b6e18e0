#include "base/pii.hpp"

#include <cctype>

namespace kiosk::pii {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

std::size_t utf8_char_len(unsigned char lead) {
    if (lead < 0x80) return 1;
    if ((lead >> 5) == 0x6) return 2;
    if ((lead >> 4) == 0xE) return 3;
    if ((lead >> 3) == 0x1E) return 4;
    return 1;  // stray continuation byte: count it alone
}

}  // namespace

std::size_t utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); i += utf8_char_len(static_cast<unsigned char>(s[i]))) ++n;
    return n;
}

std::string mask_id_number(std::string_view id) {
    if (id.size() <= 8) return std::string(id.size(), '*');
    return std::string(id.substr(0, 4)) + std::string(id.size() - 8, '*') +
           std::string(id.substr(id.size() - 4));
}

std::string mask_name(std::string_view name) {
    if (name.empty()) return {};
    const std::size_t first = utf8_char_len(static_cast<unsigned char>(name[0]));
    if (first >= name.size()) return std::string(name);
    return std::string(name.substr(0, first)) + std::string(utf8_length(name.substr(first)), '*');
}

std::string mask_phone(std::string_view phone) {
    if (phone.size() < 7) return std::string(phone.size(), '*');
    return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') +
           std::string(phone.substr(phone.size() - 4));
}

std::string mask_code(std::string_view code) {
    if (code.size() <= 2) return std::string(code.size(), '*');
    return std::string(code.size() - 2, '*') + std::string(code.substr(code.size() - 2));
}

std::string redact(std::string_view text, const std::vector<std::string>& terms) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (is_digit(text[i]) && (i == 0 || !is_digit(text[i - 1]))) {
            std::size_t j = i;
            while (j < text.size() && is_digit(text[j])) ++j;
            std::size_t run = j - i;
            const bool x_tail = run == 17 && j < text.size() && (text[j] == 'X' || text[j] == 'x');
            if (x_tail) ++j, ++run;
            const bool id_like = run == 18 || run == 15;
            const bool phone_like = run == 11 && text[i] == '1' && text[i + 1] >= '3';
            if (id_like) {
                out += mask_id_number(text.substr(i, run));
            } else if (phone_like) {
                out += mask_phone(text.substr(i, run));
            } else {
                out.append(text.substr(i, run));
            }
            i = j;
            continue;
        }
        out.push_back(text[i]);
        ++i;
    }
    for (const auto& term : terms) {
        if (term.empty()) continue;
        const std::string masked = std::string(utf8_length(term), '*');
        for (std::size_t pos = out.find(term); pos != std::string::npos;
             pos = out.find(term, pos + masked.size())) {
            out.replace(pos, term.size(), masked);
        }
    }
    return out;
}

}  // namespace kiosk::pii
