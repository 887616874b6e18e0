#include "core/speech.hpp"

#include <cctype>

namespace kiosk::speech {

namespace {

bool digit(char c) {
    return c >= '0' && c <= '9';
}
bool alnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

const char* zh_digit(char c, bool phone) {
    static const char* d[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (c == '1' && phone) return "幺";
    return d[c - '0'];
}

bool starts(std::string_view s, std::size_t at, std::string_view what) {
    return s.substr(at, what.size()) == what;
}

std::string zh(std::string_view t) {
    std::string out;
    std::size_t i = 0;
    while (i < t.size()) {
        if (t[i] == '+') {  // read as English ("plus") otherwise
            out += "加";
            ++i;
            continue;
        }
        if (!alnum(t[i])) {
            out += t[i++];
            continue;
        }
        // One token: ASCII letters and digits; a code with letters may go on after '-'
        // ("C1-03"), a number after '.' ("12.50").
        std::size_t j = i;
        bool has_letter = false;
        for (;;) {
            while (j < t.size() && alnum(t[j])) {
                has_letter = has_letter || std::isalpha(static_cast<unsigned char>(t[j]));
                ++j;
            }
            const bool more = j + 1 < t.size() && alnum(t[j + 1]);
            if (more && t[j] == '-' && has_letter) {
                ++j;
                continue;
            }
            if (more && t[j] == '.' && !has_letter && digit(t[j + 1])) {
                ++j;
                while (j < t.size() && digit(t[j])) ++j;
            }
            break;
        }
        const std::string_view tok = t.substr(i, j - i);
        bool letters = false, digits_only = true, dot = false;
        for (char c : tok) {
            letters = letters || std::isalpha(static_cast<unsigned char>(c));
            digits_only = digits_only && digit(c);
            dot = dot || c == '.';
        }
        // Money: 12.50元 → 12元5角; 0.05元 → 5分.
        if (!letters && starts(t, j, "元")) {
            const auto p = tok.find('.');
            std::string yuan(tok.substr(0, p));
            std::string frac = p == std::string_view::npos ? "" : std::string(tok.substr(p + 1));
            frac.resize(2, '0');
            if (yuan != "0" || frac == "00") out += yuan + "元";
            if (frac[0] != '0') out += std::string(1, frac[0]) + "角";
            if (frac[1] != '0')
                out += (frac[0] == '0' && yuan != "0" ? "零" : "") + std::string(1, frac[1]) + "分";
            i = j + std::string_view("元").size();
            continue;
        }
        const bool year = digits_only && tok.size() == 4 && starts(t, j, "年");
        const bool code = letters || (digits_only && tok.size() >= 3);
        if (!code && !year) {
            out += tok;  // a count or an amount: "第3项", "3 分钟", "4.5"
            i = j;
            continue;
        }
        // A code, said character by character: letters as letters, digits as on a telephone
        // (a year's digits plainly); a space wherever a letter meets another character.
        bool prev_letter = false, any = false;
        for (char c : tok) {
            if (c == '-' || c == '.') continue;
            const bool is_letter = !digit(c);
            if (any && (is_letter || prev_letter)) out += ' ';
            if (is_letter)
                out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            else
                out += zh_digit(c, !year);
            prev_letter = is_letter;
            any = true;
        }
        i = j;
    }
    return out;
}

std::string en(std::string_view t) {
    // Codes of digits (3 or more) and letter-digit codes are spelt: "code 2 4 6 8 1 0".
    std::string out;
    std::size_t i = 0;
    while (i < t.size()) {
        if (!alnum(t[i])) {
            out += t[i++];
            continue;
        }
        std::size_t j = i;
        while (j < t.size() &&
               (alnum(t[j]) || (t[j] == '-' && j + 1 < t.size() && alnum(t[j + 1]))))
            ++j;
        const std::string_view tok = t.substr(i, j - i);
        bool letters = false, digits = false, lower = false;
        for (char c : tok) {
            letters = letters || std::isalpha(static_cast<unsigned char>(c));
            digits = digits || digit(c);
            lower = lower || std::islower(static_cast<unsigned char>(c));
        }
        const bool code = digits && ((!letters && tok.size() >= 3) || (letters && !lower));
        if (!code) {
            out += tok;
        } else {
            for (std::size_t k = 0; k < tok.size(); ++k) {
                if (tok[k] == '-') continue;
                if (k) out += ' ';
                out += tok[k];
            }
        }
        i = j;
    }
    return out;
}

}  // namespace

std::string spoken(std::string_view text, std::string_view lang) {
    return lang == "en" ? en(text) : zh(text);
}

const char* voice(std::string_view lang) {
    return lang == "en" ? "en" : "cmn-latn-pinyin";
}

}  // namespace kiosk::speech
