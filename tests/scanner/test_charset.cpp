// Character sets of camera-decoded codes (scanner/charset.hpp): ECI honoured, ZXing's own reading
// when there is none, GB18030 only when the bytes are valid GB18030 and not text in ZXing's
// charset, and a typed rejection for bytes that are text in no charset.
//
// Facts the cases encode, with their sources:
// - ECI numbers (AIM ITS/04-023, as tabulated in zxing-cpp core/src/ECI.h): 3 ISO-8859-1,
//   20 Shift_JIS, 26 UTF-8, 28 Big5, 29 GB2312, 30 EUC-KR, 32 GB18030, 899 binary.
// - ECI protocol form (ISO/IEC 15424; zxing-cpp Result::bytesECI(), observed with Debian's
//   libzxing 1.4.0): "]Q2", then "\nnnnnn" per ECI, "\\" for a backslash.
// - ZXing's guess without ECI (zxing-cpp TextDecoder::GuessEncoding) answers only UTF-8,
//   Shift_JIS or ISO-8859-1: GB2312 text comes out as ISO-8859-1 mojibake ("ÔÀÑô" for 岳阳;
//   zxing-cpp issues #192 and #430, "chinese garbled") or as half-width katakana (zxingify-objc
//   issue #462: GBK read as Japanese).
// - Debian's ZXing 1.4.0 renders ECI 32 (GB18030) and 31 (GBK) as ISO-8859-1 (observed: "ÔÀÑô"),
//   so the kiosk decodes declared charsets itself instead of trusting Result::text().
// - Shift_JIS: JIS X 0201 puts half-width katakana at single bytes A1–DF; 日本語 is 93 FA 96 7B
//   8C EA, bytes that are also valid GBK (the old GB18030 fallback read them as Chinese).
#include <doctest/doctest.h>

#include <ZXing/BitMatrix.h>
#include <ZXing/CharacterSet.h>
#include <ZXing/MultiFormatWriter.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "scanner/charset.hpp"
#include "scanner/frame_decoder.hpp"
#include "scanner/scan_event.hpp"

using namespace kiosk::scanner;

namespace {

std::vector<std::uint8_t> B(std::string_view s) {
    return {s.begin(), s.end()};
}

TextDecision no_eci(std::string_view bytes, std::string_view zxing_text) {
    return decide_text({EciSegment{-1, B(bytes)}}, zxing_text);
}

TextDecision with_eci(int eci, std::string_view bytes) {
    return decide_text({EciSegment{eci, B(bytes)}}, {});
}

// 岳阳市政务服务中心 取件码 123456 in GB18030 (GB2312 area: every byte A1–FE).
const std::string kGb =
    "\xD4\xC0\xD1\xF4\xCA\xD0\xD5\xFE\xCE\xF1\xB7\xFE\xCE\xF1\xD6\xD0\xD0\xC4 "
    "\xC8\xA1\xBC\xFE\xC2\xEB 123456";
const std::string kGbUtf8 = "岳阳市政务服务中心 取件码 123456";
// 日本語のテキスト in Shift_JIS.
const std::string kSjis = "\x93\xFA\x96\x7B\x8C\xEA\x82\xCC\x83\x65\x83\x4C\x83\x58\x83\x67";
const std::string kSjisUtf8 = "日本語のテキスト";

// A QR code image of `bytes` through ZXing's writer. ECI: the writer adds one for any charset
// but Unknown (observed with Debian's 1.4.0: Shift_JIS → 20, UTF8 → 26, GB18030 → 29,
// ISO8859_1 → 3); with Unknown each wchar_t ≤ 0xFF is one byte and no ECI is written.
GreyImage qr(const std::wstring& contents, ZXing::CharacterSet cs) {
    ZXing::MultiFormatWriter w(ZXing::BarcodeFormat::QRCode);
    w.setMargin(4);
    w.setEncoding(cs);
    const ZXing::BitMatrix m = w.encode(contents, 0, 0);
    GreyImage img = make_grey(m.width() * 4, m.height() * 4);
    for (int y = 0; y < img.height; ++y)
        for (int x = 0; x < img.width; ++x)
            if (m.get(x / 4, y / 4)) img.at(x, y) = 0;
    return img;
}

std::wstring bytes_as_wide(std::string_view bytes) {
    std::wstring w;
    for (char c : bytes) w.push_back(static_cast<wchar_t>(static_cast<unsigned char>(c)));
    return w;
}

std::wstring wide(std::string_view utf8) {
    // Test strings here are BMP only: a small UTF-8 → UTF-32 for the writer's wstring input.
    std::wstring w;
    for (std::size_t i = 0; i < utf8.size();) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        char32_t cp = n == 1 ? c : c & (0xFF >> (n + 1));
        for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
        w.push_back(static_cast<wchar_t>(cp));
        i += static_cast<std::size_t>(n);
    }
    return w;
}

Decoded decode_one(const GreyImage& img) {
    FrameDecoder dec;
    auto d = dec.decode_thorough(img);
    REQUIRE(d.has_value());
    return *d;
}

}  // namespace

TEST_CASE("scanner.charset ECI protocol form splits into segments") {
    std::vector<EciSegment> s;
    REQUIRE(parse_eci_protocol(B("]Q2\\000026a\\\\b\\000020\x93\xFA"), s));
    REQUIRE(s.size() == 2);
    CHECK(s[0].eci == 26);
    CHECK(s[0].bytes == B("a\\b"));
    CHECK(s[1].eci == 20);
    CHECK(s[1].bytes == B("\x93\xFA"));
    REQUIRE(parse_eci_protocol(B("]Q2plain"), s));
    REQUIRE(s.size() == 1);
    CHECK(s[0].eci == -1);
    CHECK_FALSE(parse_eci_protocol(B("]Q2\\0000"), s));    // truncated designator
    CHECK_FALSE(parse_eci_protocol(B("]Q2\\00002x1"), s));  // not digits
    CHECK(eci_charset(899) == nullptr);
    CHECK(eci_charset(14) == nullptr);  // reserved
    CHECK(std::string(eci_charset(32)) == "GB18030");
}

TEST_CASE("scanner.charset Shift_JIS without ECI is Japanese, not GB18030 mojibake") {
    // The bytes are valid GBK too: the old fallback turned them into Chinese characters.
    std::string as_gb;
    REQUIRE(to_utf8_strict(B(kSjis), "GB18030", as_gb));
    CHECK(as_gb != kSjisUtf8);
    auto t = no_eci(kSjis, kSjisUtf8);  // ZXing's own guess read them as Shift_JIS
    CHECK(t.ok());
    CHECK(t.encoding == TextEncoding::ShiftJis);
    CHECK(t.text == kSjisUtf8);
}

TEST_CASE("scanner.charset declared ECIs are honoured over any guess") {
    auto u = with_eci(26, kGbUtf8);
    CHECK(u.ok());
    CHECK(u.encoding == TextEncoding::Utf8);
    CHECK(u.text == kGbUtf8);
    CHECK(u.eci == 26);
    for (int eci : {29, 31, 32}) {
        CAPTURE(eci);
        auto g = with_eci(eci, kGb);
        CHECK(g.ok());
        CHECK(g.encoding == TextEncoding::Gb18030);
        CHECK(g.text == kGbUtf8);
    }
    auto j = with_eci(20, kSjis);
    CHECK(j.encoding == TextEncoding::ShiftJis);
    CHECK(j.text == kSjisUtf8);
    auto big5 = with_eci(28, "\xA4\xA4\xA4\xE5");
    CHECK(big5.encoding == TextEncoding::Declared);
    CHECK(big5.text == "中文");
    auto kr = with_eci(30, "\xC7\xD1\xB1\xDB");
    CHECK(kr.text == "한글");
    // An ECI says what the bytes are: GB bytes declared ISO-8859-1 are Latin-1, as declared.
    auto l = with_eci(3, "caf\xE9");
    CHECK(l.encoding == TextEncoding::Latin1);
    CHECK(l.text == "café");
    // Segments with different ECIs concatenate.
    auto mix = decide_text({EciSegment{26, B("中 ")}, EciSegment{20, B(kSjis)}}, {});
    CHECK(mix.text == "中 " + kSjisUtf8);
}

TEST_CASE("scanner.charset undeclared GB18030 is read as GB18030 only when ZXing's reading is not text") {
    // ZXing 1.4 reads these bytes as ISO-8859-1 (observed): valid bytes, but no Latin-script text.
    auto t = no_eci(kGb, "ÔÀÑôÊÐÕþÎñ·þÎñÖÐÐÄ È¡¼þÂë 123456");
    CHECK(t.ok());
    CHECK(t.encoding == TextEncoding::Gb18030);
    CHECK(t.text == kGbUtf8);
    // 中心 (D6 D0 D0 C4) is four half-width katakana in Shift_JIS: ZXing guesses Shift_JIS.
    std::string kana;
    REQUIRE(to_utf8_strict(B("\xD6\xD0\xD0\xC4"), "SHIFT_JIS", kana));
    auto k = no_eci("\xD6\xD0\xD0\xC4", kana);
    CHECK(k.encoding == TextEncoding::Gb18030);
    CHECK(k.text == "中心");
    // ... and when ZXing renders nothing at all (1.4.0 does, for these bytes), the same.
    CHECK(no_eci("\xD6\xD0\xD0\xC4", "").text == "中心");
}

TEST_CASE("scanner.charset Latin-1 and UTF-8 readings by ZXing stay") {
    // "Größe café": F6 DF is a valid GB18030 pair, but Latin-1 text with accented letters in words.
    auto l = no_eci("Gr\xF6\xDF" "e caf\xE9", "Größe café");
    CHECK(l.encoding == TextEncoding::Latin1);
    CHECK(l.text == "Größe café");
    auto u = no_eci("\xE4\xB8\xAD", "中");
    CHECK(u.encoding == TextEncoding::Utf8);
    CHECK(u.text == "中");
    auto a = no_eci("ESTN:PICKUP:12345678", "ESTN:PICKUP:12345678");
    CHECK(a.encoding == TextEncoding::Ascii);
    // Half-width katakana that is not valid GB18030 stays Shift_JIS (ﾃｽﾄ: C3 BD C4, odd length).
    std::string tesuto;
    REQUIRE(to_utf8_strict(B("\xC3\xBD\xC4"), "SHIFT_JIS", tesuto));
    auto s = no_eci("\xC3\xBD\xC4", tesuto);
    CHECK(s.encoding == TextEncoding::ShiftJis);
    CHECK(s.text == tesuto);
}

TEST_CASE("scanner.charset bytes that are text in no charset are rejected with a reason") {
    // FF is never a lead byte in GB18030, Shift_JIS or UTF-8; 80–9F are C1 controls in Latin-1.
    auto bad = no_eci("\xFF\xFE\x80\x81zz", "\xC3\xBF\xC3\xBEzz");
    CHECK_FALSE(bad.ok());
    CHECK(bad.error == ValidationError::BadEncoding);
    CHECK(bad.text.empty());
    auto mismatch = with_eci(26, "\xFF\xFE abc");  // declared UTF-8, not UTF-8
    CHECK(mismatch.error == ValidationError::EciMismatch);
    CHECK(mismatch.text.empty());
    auto binary = with_eci(899, "\x01\x02\x03");
    CHECK(binary.error == ValidationError::EciNotText);
    auto unknown = with_eci(999, "abc");
    CHECK(unknown.error == ValidationError::EciNotText);
    auto gb_declared_bad = with_eci(32, "\xD4");  // incomplete GB18030 sequence
    CHECK(gb_declared_bad.error == ValidationError::EciMismatch);
    // The scan event carries the reason and no text.
    auto ev = make_decoded_scan_event(B("\xFF\xFE"), "", TextEncoding::Ascii,
                                      ValidationError::BadEncoding, Symbology::QrCode,
                                      ScanSource::Camera, "camera", {});
    CHECK(ev.error == ValidationError::BadEncoding);
    CHECK(ev.text.empty());
    CHECK(ev.payload.kind == PayloadKind::NotForKiosk);
    CHECK(ev.payload.reason == Rejection::Invalid);
    CHECK(std::string(message_key(ev.payload)) == "scan.unreadable");
}

TEST_CASE("scanner.charset codes from ZXing's writer decode to their text through the camera") {
    // Shift_JIS byte mode, no ECI (raw bytes through the writer's Unknown charset).
    {
        Decoded d = decode_one(qr(bytes_as_wide(kSjis), ZXing::CharacterSet::Unknown));
        CHECK(d.eci == -1);
        CHECK(d.encoding == TextEncoding::ShiftJis);
        CHECK(d.text == kSjisUtf8);
        CHECK(d.raw == B(kSjis));
    }
    // Shift_JIS with ECI 20 (mixed text: the writer uses byte mode plus the ECI).
    {
        Decoded d = decode_one(qr(wide(kSjisUtf8 + " abc"), ZXing::CharacterSet::Shift_JIS));
        CHECK(d.eci == 20);
        CHECK(d.text == kSjisUtf8 + " abc");
    }
    // UTF-8 with ECI 26 (what the kiosk's own make_code writes).
    {
        Decoded d = decode_one(qr(wide(kGbUtf8), ZXing::CharacterSet::UTF8));
        CHECK(d.eci == 26);
        CHECK(d.encoding == TextEncoding::Utf8);
        CHECK(d.text == kGbUtf8);
    }
    // GB18030 declared: ZXing 1.4's writer writes it as ECI 29.
    {
        Decoded d = decode_one(qr(wide(kGbUtf8), ZXing::CharacterSet::GB18030));
        CHECK(d.eci == 29);
        CHECK(d.encoding == TextEncoding::Gb18030);
        CHECK(d.text == kGbUtf8);
    }
    // Undeclared GB18030: plain ZXing shows mojibake, the kiosk the Chinese text.
    {
        const GreyImage img = qr(bytes_as_wide(kGb), ZXing::CharacterSet::Unknown);
        Decoded d = decode_one(img);
        CHECK(d.eci == -1);
        CHECK(d.encoding == TextEncoding::Gb18030);
        CHECK(d.text == kGbUtf8);
        auto plain = decode_plain(img);
        REQUIRE(plain.has_value());
        CHECK(plain->text != kGbUtf8);
    }
    // Bytes that are no text: the camera's event is a typed rejection.
    {
        Decoded d = decode_one(qr(bytes_as_wide("\xFF\xFE\x80\x81zz"), ZXing::CharacterSet::Unknown));
        CHECK(d.charset_error == ValidationError::BadEncoding);
        CHECK(d.text.empty());
        auto ev = make_decoded_scan_event(d.raw, d.text, d.encoding, d.charset_error, d.symbology,
                                          ScanSource::Camera, "camera", {});
        CHECK(ev.error == ValidationError::BadEncoding);
        CHECK(ev.payload.reason == Rejection::Invalid);
    }
}
