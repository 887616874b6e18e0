// Payload validation and recognition (drivers/scanner/payload.hpp).
#include <doctest/doctest.h>

#include <string>

#include "scanner/payload.hpp"
#include "scanner/scan_event.hpp"

using namespace kiosk::scanner;

namespace {

PayloadConfig cfg() {
    PayloadConfig c;
    c.hall_hosts = {"zwfw.yueyang.gov.cn"};
    c.eid_hosts = {"eid.example.gov.cn"};
    return c;
}

std::string notice19 = "4306002026000012345";

std::string valid_notice() {
    return notice19 + payment_notice_check_digit(notice19);
}

}  // namespace

TEST_CASE("scanner.payload validation keeps plain ASCII and strips control characters") {
    auto v =
        validate_text(std::string_view("\x02"
                                       "12345678\r\n\x1d\x7f"));
    REQUIRE(v.ok());
    CHECK(v.text == "12345678");
    CHECK(v.encoding == TextEncoding::Ascii);
}

TEST_CASE("scanner.payload validation detects UTF-8 and removes C1 controls and BOM") {
    auto v =
        validate_text(std::string_view("\xEF\xBB\xBF"
                                       "取件码\xC2\x85"
                                       "123456"));
    REQUIRE(v.ok());
    CHECK(v.encoding == TextEncoding::Utf8);
    CHECK(v.text == "取件码123456");
}

TEST_CASE("scanner.payload validation converts GB18030 to UTF-8") {
    // "岳阳" in GB18030 (= GBK here): D4 C0 D1 F4
    auto v = validate_text(std::string_view("\xD4\xC0\xD1\xF4:42"));
    REQUIRE(v.ok());
    CHECK(v.encoding == TextEncoding::Gb18030);
    CHECK(v.text == "岳阳:42");
    // A four-byte GB18030 sequence (U+20000, 𠀀): 95 32 82 36
    auto w = validate_text(std::string_view("\x95\x32\x82\x36"));
    REQUIRE(w.ok());
    CHECK(w.text == "\xF0\xA0\x80\x80");
}

TEST_CASE("scanner.payload validation rejects bad encodings, empty and over-long input") {
    CHECK(validate_text(std::string_view("\xFF\xFE\xFF")).error == ValidationError::BadEncoding);
    CHECK(validate_text(std::string_view("\x81")).error == ValidationError::BadEncoding);
    CHECK(validate_text(std::string_view("\r\n\t")).error == ValidationError::Empty);
    CHECK(validate_text(std::string_view("")).error == ValidationError::Empty);
    ValidationLimits lim;
    lim.max_bytes = 10;
    CHECK(validate_text(std::string(11, 'a'), lim).error == ValidationError::TooLong);
    CHECK(validate_text(std::string(10, 'a'), lim).ok());
    lim.max_bytes = 100;
    lim.max_chars = 3;
    CHECK(validate_text(std::string_view("岳阳岳阳"), lim).error == ValidationError::TooLong);
    // Overlong encodings and surrogates are not UTF-8.
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));
    CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));
}

TEST_CASE("scanner.payload recognises bare and prefixed pickup codes") {
    auto p = recognise("12345678", cfg());
    CHECK(p.kind == PayloadKind::PickupCode);
    CHECK(p.value == "12345678");
    CHECK(recognise(" 123456 ", cfg()).kind == PayloadKind::PickupCode);
    CHECK(recognise("12345", cfg()).kind == PayloadKind::NotForKiosk);
    CHECK(recognise("123456789", cfg()).reason == Rejection::UnknownFormat);
    auto q = recognise("ESTN:PICKUP:654321", cfg());
    CHECK(q.kind == PayloadKind::PickupCode);
    CHECK(q.value == "654321");
    CHECK(recognise("estn:pickup:654321", cfg()).kind == PayloadKind::PickupCode);
    CHECK(recognise("ESTN:PICKUP:65432A", cfg()).reason == Rejection::BadValue);
    CHECK(recognise("ESTN:NOPE:1", cfg()).reason == Rejection::UnknownFormat);
}

TEST_CASE("scanner.payload recognises payment notice numbers and checks the check digit") {
    const std::string n = valid_notice();
    auto p = recognise(n, cfg());
    CHECK(p.kind == PayloadKind::PaymentNotice);
    CHECK(p.value == n);
    std::string bad = n;
    bad[19] = static_cast<char>('0' + ((bad[19] - '0' + 1) % 10));
    auto r = recognise(bad, cfg());
    CHECK(r.kind == PayloadKind::NotForKiosk);
    CHECK(r.reason == Rejection::BadCheckDigit);
    CHECK(std::string(message_key(r)) == "scan.check_notice_number");
    CHECK(recognise("ESTN:PAY:" + n, cfg()).kind == PayloadKind::PaymentNotice);
    CHECK(payment_notice_check_digit("123") == '\0');
    // Luhn reference value: 7992739871 has check digit 3.
    CHECK(payment_notice_check_digit("000000000799273987"
                                     "1") == '3');
}

TEST_CASE("scanner.payload recognises hall URLs") {
    auto g = recognise("https://zwfw.yueyang.gov.cn/guide/open-small-restaurant", cfg());
    CHECK(g.kind == PayloadKind::HallGuide);
    CHECK(g.value == "open-small-restaurant");
    auto g2 = recognise("HTTPS://ZWFW.Yueyang.gov.cn.:443/estation/guide/T123?lang=zh#top", cfg());
    CHECK(g2.kind == PayloadKind::HallGuide);
    CHECK(g2.value == "T123");
    auto rc = recognise("https://zwfw.yueyang.gov.cn/receipt/R2026-0001", cfg());
    CHECK(rc.kind == PayloadKind::HallReceipt);
    CHECK(rc.value == "R2026-0001");
    auto pk = recognise("https://zwfw.yueyang.gov.cn/pickup?code=12345678", cfg());
    CHECK(pk.kind == PayloadKind::PickupCode);
    CHECK(pk.value == "12345678");
    CHECK(recognise("https://zwfw.yueyang.gov.cn/pickup/123456", cfg()).kind ==
          PayloadKind::PickupCode);
    auto pay = recognise("https://zwfw.yueyang.gov.cn/pay?notice=" + valid_notice(), cfg());
    CHECK(pay.kind == PayloadKind::PaymentNotice);
    auto other = recognise("https://zwfw.yueyang.gov.cn/news/today", cfg());
    CHECK(other.kind == PayloadKind::HallLink);
    CHECK(other.value == "/news/today");
    CHECK(recognise("https://zwfw.yueyang.gov.cn", cfg()).kind == PayloadKind::HallLink);
}

TEST_CASE("scanner.payload rejects foreign, insecure and disguised URLs") {
    CHECK(recognise("https://evil.example.com/guide/x", cfg()).reason == Rejection::ForeignUrl);
    CHECK(recognise("http://zwfw.yueyang.gov.cn/guide/x", cfg()).reason == Rejection::InsecureUrl);
    CHECK(recognise("https://zwfw.yueyang.gov.cn@evil.example.com/guide/x", cfg()).reason ==
          Rejection::ForeignUrl);
    CHECK(recognise("https://user@zwfw.yueyang.gov.cn/guide/x", cfg()).reason ==
          Rejection::MalformedUrl);
    CHECK(recognise("https://zwfw.yueyang.gov.cn:8443/guide/x", cfg()).reason ==
          Rejection::MalformedUrl);
    CHECK(recognise("https://zwfw.yueyang.gov.cn.evil.com/guide/x", cfg()).reason ==
          Rejection::ForeignUrl);
    CHECK(recognise("https://zwfw.yueyang.gov.cn/guide/%2e%2e", cfg()).reason ==
          Rejection::MalformedUrl);
    CHECK(recognise("https://zwfw.yueyang.gov.cn/pickup?code=12", cfg()).reason ==
          Rejection::BadValue);
    CHECK(recognise("weixin://wxpay/bizpayurl?pr=abc", cfg()).reason == Rejection::UnknownFormat);
}

TEST_CASE("scanner.payload recognises e-ID codes and certificates") {
    auto e = recognise("ESTN:EID:eyJhbGciOiJFUzI1NiJ9.abcdefgh", cfg());
    CHECK(e.kind == PayloadKind::EidCode);
    CHECK(recognise("ESTN:EID:short", cfg()).reason == Rejection::BadValue);
    auto u = recognise("https://eid.example.gov.cn/v?t=abc", cfg());
    CHECK(u.kind == PayloadKind::EidCode);
    CHECK(u.url == "https://eid.example.gov.cn/v?t=abc");
    auto c = recognise("ESTN:CERT:YY-2026-000123", cfg());
    CHECK(c.kind == PayloadKind::Certificate);
    CHECK(c.value == "YY-2026-000123");
    CHECK(recognise("ESTN:CERT:a b", cfg()).reason == Rejection::BadValue);
}

TEST_CASE("scanner.payload anything else is not for this kiosk") {
    for (const char* s : {"hello", "WIFI:S:x;T:WPA;P:y;;", "123-456", "", "   "}) {
        auto p = recognise(s, cfg());
        CHECK(p.kind == PayloadKind::NotForKiosk);
        CHECK_FALSE(p.recognised());
        CHECK(std::string(message_key(p)) == "scan.not_for_this_kiosk");
    }
    CHECK(std::string(message_key(recognise("12345678", cfg()))).empty());
    CHECK(std::string(message_key(recognise("http://zwfw.yueyang.gov.cn/x", cfg()))) ==
          "scan.insecure_link");
    CHECK(std::string(message_key(Payload{PayloadKind::NotForKiosk, Rejection::Invalid, {}, {}})) ==
          "scan.unreadable");
    CHECK(recognise("1234\x01"
                    "5678",
                    cfg())
              .kind == PayloadKind::NotForKiosk);
}

TEST_CASE("scanner.payload make_scan_event validates then recognises") {
    const std::string raw =
        "\xD4\xC0"
        "\r";  // GB18030 text, not a kiosk payload
    auto ev = make_scan_event({raw.begin(), raw.end()}, Symbology::QrCode, ScanSource::Serial,
                              "serial:/dev/ttyACM0", cfg());
    CHECK(ev.text == "岳");
    CHECK(ev.encoding == TextEncoding::Gb18030);
    CHECK(ev.payload.reason == Rejection::UnknownFormat);
    const std::string bad = "\xFF\xFF";
    auto e2 = make_scan_event({bad.begin(), bad.end()}, Symbology::Unknown, ScanSource::Serial, "x",
                              cfg());
    CHECK(e2.error == ValidationError::BadEncoding);
    CHECK(e2.payload.reason == Rejection::Invalid);
    CHECK(e2.raw.size() == 2);
    CHECK(symbology_from_aim("]Q1") == Symbology::QrCode);
    CHECK(symbology_from_aim("]C0") == Symbology::Code128);
    CHECK(symbology_from_aim("]E4") == Symbology::Ean8);
    CHECK(symbology_from_aim("xx") == Symbology::Unknown);
}

TEST_CASE("scanner.payload url_host gives the hall host from a backend URL") {
    CHECK(url_host("https://ZWFW.Yueyang.gov.cn:8443/api/v1") == "zwfw.yueyang.gov.cn");
    CHECK(url_host("https://user@hall.example/") == "hall.example");
    CHECK(url_host("http://127.0.0.1:8080") == "127.0.0.1");
    CHECK(url_host("no-scheme") == "");
}
