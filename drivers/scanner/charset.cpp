// Character sets of decoded codes (see charset.hpp and docs/drivers/scanner.md).
// References: ISO/IEC 18004 §6.4.2 (ECI) and §7.4.3 (default ISO-8859-1 interpretation of byte
// mode); AIM ITS/04-023 ECI assignments, as listed in zxing-cpp core/src/ECI.h (0/2 CP437, 1/3
// ISO-8859-1, 4–18 ISO-8859-2…16 without 14, 20 Shift_JIS, 21–24 Windows-1250/1251/1252/1256,
// 25 UTF-16BE, 26 UTF-8, 27 ASCII, 28 Big5, 29 GB2312, 30 EUC-KR, 31 GBK, 32 GB18030, 33 UTF-16LE,
// 34/35 UTF-32BE/LE, 170 ISO 646 invariant, 899 binary); JIS X 0201 (Shift_JIS single bytes
// A1–DF are half-width katakana); GB 18030-2005 and Shift_JIS via glibc iconv.
#include "scanner/charset.hpp"

#include <iconv.h>

#include <algorithm>

namespace kiosk::scanner {
namespace {

bool all_ascii(std::span<const std::uint8_t> b) {
    return std::all_of(b.begin(), b.end(), [](std::uint8_t c) { return c < 0x80; });
}

std::string_view as_view(std::span<const std::uint8_t> b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

TextEncoding encoding_of_eci(int eci) {
    switch (eci) {
        case 26:
            return TextEncoding::Utf8;
        case 27:
        case 170:
            return TextEncoding::Ascii;
        case 20:
            return TextEncoding::ShiftJis;
        case 1:
        case 3:
            return TextEncoding::Latin1;
        case 29:
        case 31:
        case 32:
            return TextEncoding::Gb18030;
        default:
            return TextEncoding::Declared;
    }
}

// Shift_JIS as written by encoders: glibc's SHIFT_JIS (JIS X 0201 Roman: 5C = yen sign) or the
// Windows superset CP932 (5C = backslash, NEC/IBM extensions), which many Japanese generators use.
bool sjis_to_utf8(std::span<const std::uint8_t> b, std::string& out, const std::string& prefer) {
    std::string a, c;
    const bool ok_a = to_utf8_strict(b, "SHIFT_JIS", a);
    const bool ok_c = to_utf8_strict(b, "CP932", c);
    if (ok_a && (a == prefer || !ok_c)) {
        out = std::move(a);
        return true;
    }
    if (ok_c) {
        out = std::move(c);
        return true;
    }
    return false;
}

// Read as ISO-8859-1, is this text in a Latin-script language? Any byte decodes, so validity says
// nothing: a GB18030 string (all bytes ≥ 0xA1) is always "valid" ISO-8859-1. Latin-1 languages put
// an accented letter inside a word, at most two in a row ("Größe", "ações"); a run of three or
// more non-ASCII characters, or a pair holding a non-letter (A0–BF, × D7, ÷ F7: the bytes ZXing's
// own guess counts against ISO-8859-1), is what double-byte text looks like in ISO-8859-1.
bool latin1_plausible(std::span<const std::uint8_t> b) {
    std::size_t run = 0;
    bool run_has_symbol = false;
    auto run_ok = [&] { return run < 3 && !(run == 2 && run_has_symbol); };
    for (std::uint8_t c : b) {
        if (c >= 0x80 && c <= 0x9F) return false;  // C1 controls: not text
        if (c >= 0xA0) {
            ++run;
            run_has_symbol |= c < 0xC0 || c == 0xD7 || c == 0xF7;
            if (!run_ok()) return false;
        } else {
            run = 0;
            run_has_symbol = false;
        }
    }
    return true;
}

// Read as Shift_JIS, does the text contain half-width katakana (U+FF61–U+FF9F)? Those single
// bytes A1–DF are exactly where GB2312 hanzi bytes land in Shift_JIS; modern Japanese text uses
// full-width (double-byte) kana. ZXing's guess counts runs of them as evidence FOR Shift_JIS.
bool has_halfwidth_katakana(std::string_view utf8) {
    // U+FF61–U+FF9F in UTF-8: EF BD A1–BF, EF BE 80–9F.
    for (std::size_t i = 0; i + 2 < utf8.size(); ++i) {
        const auto b0 = static_cast<unsigned char>(utf8[i]);
        const auto b1 = static_cast<unsigned char>(utf8[i + 1]);
        const auto b2 = static_cast<unsigned char>(utf8[i + 2]);
        if (b0 != 0xEF) continue;
        if ((b1 == 0xBD && b2 >= 0xA1) || (b1 == 0xBE && b2 <= 0x9F)) return true;
    }
    return false;
}

TextDecision fail(ValidationError e, int eci) {
    TextDecision d;
    d.error = e;
    d.eci = eci;
    return d;
}

TextDecision with_eci(const std::vector<EciSegment>& segments) {
    TextDecision d;
    for (const auto& s : segments) {
        if (s.eci >= 0 && d.eci < 0) d.eci = s.eci;
    }
    bool first = true;
    for (const auto& s : segments) {
        // Bytes before the first designator have the default interpretation, ISO-8859-1 (ECI 3).
        const int eci = s.eci < 0 ? 3 : s.eci;
        const char* cs = eci_charset(eci);
        if (!cs) return fail(ValidationError::EciNotText, d.eci);
        std::string part;
        bool ok = false;
        if (eci == 26) {
            ok = is_valid_utf8(as_view(s.bytes));
            if (ok) part.assign(as_view(s.bytes));
        } else if (eci == 20) {
            ok = sjis_to_utf8(s.bytes, part, {});
        } else {
            ok = to_utf8_strict(s.bytes, cs, part);
        }
        if (!ok) return fail(ValidationError::EciMismatch, d.eci);
        if (first && !s.bytes.empty()) {
            d.encoding = encoding_of_eci(eci);
            first = false;
        }
        d.text += part;
    }
    return d;
}

TextDecision without_eci(std::span<const std::uint8_t> bytes, std::string_view zxing_text) {
    TextDecision d;
    if (all_ascii(bytes)) {
        d.encoding = TextEncoding::Ascii;
        d.text.assign(as_view(bytes));
        return d;
    }
    // 2. Which charset did ZXing read the bytes in? Its guess only ever answers UTF-8, Shift_JIS
    // or ISO-8859-1 (zxing-cpp TextDecoder::GuessEncoding); Kanji / Hanzi mode segments are read
    // as Shift_JIS / GB2312. Identify it by decoding the bytes strictly in each and comparing.
    const std::string zx(zxing_text);
    TextEncoding guess = TextEncoding::Declared;  // Declared here means "not identified"
    std::string guessed;
    bool valid = false;
    if (is_valid_utf8(as_view(bytes))) {
        // UTF-8 well-formed with a multi-byte character: ZXing's guess answers UTF-8 then too.
        guess = TextEncoding::Utf8;
        guessed.assign(as_view(bytes));
        valid = true;
    } else if (std::string t; sjis_to_utf8(bytes, t, zx) && t == zx) {
        guess = TextEncoding::ShiftJis;
        guessed = std::move(t);
        valid = true;
    } else if (std::string l; to_utf8_strict(bytes, "ISO-8859-1", l) && l == zx) {
        guess = TextEncoding::Latin1;
        guessed = std::move(l);
        valid = std::none_of(bytes.begin(), bytes.end(),
                             [](std::uint8_t c) { return c >= 0x80 && c <= 0x9F; });
    } else if (std::string g; to_utf8_strict(bytes, "GB18030", g) && g == zx) {
        guess = TextEncoding::Gb18030;  // Hanzi mode (GB/T 18284) or ZXing's hinted charset
        guessed = std::move(g);
        valid = true;
    }
    bool plausible = valid;
    if (guess == TextEncoding::Latin1) plausible = valid && latin1_plausible(bytes);
    if (guess == TextEncoding::ShiftJis) plausible = valid && !has_halfwidth_katakana(guessed);
    if (plausible) {
        d.encoding = guess;
        d.text = std::move(guessed);
        return d;
    }
    // 3. GB18030 only when the bytes are valid there and not (plausibly) in ZXing's charset.
    if (std::string g; to_utf8_strict(bytes, "GB18030", g)) {
        d.encoding = TextEncoding::Gb18030;
        d.text = std::move(g);
        return d;
    }
    if (valid) {  // valid but implausible in ZXing's charset, and not GB18030: ZXing's reading
        d.encoding = guess;
        d.text = std::move(guessed);
        return d;
    }
    // 4. Not text in any charset the kiosk reads.
    return fail(ValidationError::BadEncoding, -1);
}

}  // namespace

bool parse_eci_protocol(std::span<const std::uint8_t> in, std::vector<EciSegment>& out) {
    out.clear();
    std::size_t i = 0;
    if (in.size() >= 3 && in[0] == ']') i = 3;  // symbology identifier "]Q2", "]d4", ...
    EciSegment cur;
    while (i < in.size()) {
        const std::uint8_t c = in[i];
        if (c != '\\') {
            cur.bytes.push_back(c);
            ++i;
            continue;
        }
        if (i + 1 < in.size() && in[i + 1] == '\\') {
            cur.bytes.push_back('\\');
            i += 2;
            continue;
        }
        if (i + 7 > in.size()) return false;
        int eci = 0;
        for (std::size_t k = 1; k <= 6; ++k) {
            const std::uint8_t d = in[i + k];
            if (d < '0' || d > '9') return false;
            eci = eci * 10 + (d - '0');
        }
        if (!cur.bytes.empty() || cur.eci >= 0) out.push_back(std::move(cur));
        cur = EciSegment{};
        cur.eci = eci;
        i += 7;
    }
    if (!cur.bytes.empty() || cur.eci >= 0) out.push_back(std::move(cur));
    return true;
}

const char* eci_charset(int eci) {
    switch (eci) {
        case 0:
        case 2:
            return "CP437";
        case 1:
        case 3:
            return "ISO-8859-1";
        case 4:
            return "ISO-8859-2";
        case 5:
            return "ISO-8859-3";
        case 6:
            return "ISO-8859-4";
        case 7:
            return "ISO-8859-5";
        case 8:
            return "ISO-8859-6";
        case 9:
            return "ISO-8859-7";
        case 10:
            return "ISO-8859-8";
        case 11:
            return "ISO-8859-9";
        case 12:
            return "ISO-8859-10";
        case 13:
            return "ISO-8859-11";
        case 15:
            return "ISO-8859-13";
        case 16:
            return "ISO-8859-14";
        case 17:
            return "ISO-8859-15";
        case 18:
            return "ISO-8859-16";
        case 20:
            return "SHIFT_JIS";
        case 21:
            return "CP1250";
        case 22:
            return "CP1251";
        case 23:
            return "CP1252";
        case 24:
            return "CP1256";
        case 25:
            return "UTF-16BE";
        case 26:
            return "UTF-8";
        case 27:
        case 170:
            return "ASCII";
        case 28:
            return "BIG5";
        case 29:  // GB2312 ⊂ GBK (31) ⊂ GB18030 (32): one strict GB18030 decoder reads all three
        case 31:
        case 32:
            return "GB18030";
        case 30:
            return "EUC-KR";
        case 33:
            return "UTF-16LE";
        case 34:
            return "UTF-32BE";
        case 35:
            return "UTF-32LE";
        default:
            return nullptr;  // 899 binary, reserved and unassigned numbers
    }
}

bool to_utf8_strict(std::span<const std::uint8_t> in, const char* charset, std::string& out) {
    out.clear();
    if (in.empty()) return true;
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == reinterpret_cast<iconv_t>(-1)) return false;
    std::string src(as_view(in));
    std::string buf(in.size() * 4 + 16, '\0');  // ≤ 4 UTF-8 bytes per input byte (UTF-16: 2→≤4)
    char* inp = src.data();
    std::size_t inleft = src.size();
    char* outp = buf.data();
    std::size_t outleft = buf.size();
    const std::size_t rc = iconv(cd, &inp, &inleft, &outp, &outleft);
    bool ok = rc != static_cast<std::size_t>(-1) && inleft == 0;
    // Flush any shift state (stateful decoders); glibc reports incomplete input above.
    if (ok) ok = iconv(cd, nullptr, nullptr, &outp, &outleft) != static_cast<std::size_t>(-1);
    iconv_close(cd);
    if (!ok) return false;
    buf.resize(buf.size() - outleft);
    if (!is_valid_utf8(buf)) return false;
    out = std::move(buf);
    return true;
}

TextDecision decide_text(const std::vector<EciSegment>& segments, std::string_view zxing_text) {
    const bool has_eci = std::any_of(segments.begin(), segments.end(),
                                     [](const EciSegment& s) { return s.eci >= 0; });
    if (has_eci) return with_eci(segments);
    std::vector<std::uint8_t> bytes;
    for (const auto& s : segments) bytes.insert(bytes.end(), s.bytes.begin(), s.bytes.end());
    return without_eci(bytes, zxing_text);
}

}  // namespace kiosk::scanner
