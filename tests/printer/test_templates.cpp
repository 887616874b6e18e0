// Receipt template tests: every template renders in zh-CN and en, personal data is masked.
#include <doctest/doctest.h>

#include <algorithm>

#include "escpos/builder.hpp"
#include "printer_test_util.hpp"

using namespace kiosk;

namespace {
bool contains(const std::vector<std::uint8_t>& hay, const std::vector<std::uint8_t>& needle) {
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}
}  // namespace

TEST_CASE("printer.templates all render in zh-CN and en on 58 and 80 mm") {
    for (const char* name : {"queue_ticket", "pickup_slip", "payment_receipt", "checklist"}) {
        for (const char* lang : {"zh-CN", "en"}) {
            for (const char* prof : {"generic-80", "generic-58", "generic-58-nocut"}) {
                CAPTURE(name);
                CAPTURE(lang);
                const auto p = *escpos::find_profile(prof);
                std::vector<std::uint8_t> b;
                CHECK_NOTHROW(b = printer_test::receipt_bytes(name, lang, p));
                CHECK(b.size() > 200);
            }
        }
    }
    // The language's own strings are used.
    const auto p80 = *escpos::find_profile("generic-80");
    const auto zh = printer_test::receipt_bytes("pickup_slip", "zh-CN", p80);
    const auto en = printer_test::receipt_bytes("pickup_slip", "en", p80);
    CHECK(contains(zh, escpos::encode_text("取件凭条", p80)));
    CHECK(contains(en, escpos::encode_text("Pickup slip", p80)));
}

TEST_CASE("printer.templates never print personal data unmasked") {
    const auto p80 = *escpos::find_profile("generic-80");
    const auto pay = printer_test::receipt_bytes("payment_receipt", "zh-CN", p80);
    CHECK_FALSE(contains(pay, escpos::encode_text("110105199001011234", p80)));
    CHECK(contains(pay, escpos::encode_text("1101**********1234", p80)));
    CHECK_FALSE(contains(pay, escpos::encode_text("李四", p80)));
    const auto slip = printer_test::receipt_bytes("pickup_slip", "en", p80);
    CHECK_FALSE(contains(slip, escpos::encode_text("张三丰", p80)));
    CHECK(contains(slip, escpos::encode_text("张**", p80)));

    // Free text that happens to carry an ID or phone number is masked as well.
    auto tpl = printer_test::load_template("queue_ticket");
    auto data = escpos::sample_receipt_data("queue_ticket");
    data.fields["service"] = "回电 13912345678";
    escpos::Builder b(p80);
    std::string err;
    REQUIRE(escpos::render_receipt(tpl, data, "zh-CN", b, err));
    CHECK_FALSE(contains(b.bytes(), escpos::encode_text("13912345678", p80)));
}

TEST_CASE("printer.templates report a missing field before anything is built") {
    auto tpl = printer_test::load_template("pickup_slip");
    auto data = escpos::sample_receipt_data("pickup_slip");
    data.fields.erase("locker");
    escpos::Builder b(*escpos::find_profile("generic-80"));
    std::string err;
    CHECK_FALSE(escpos::render_receipt(tpl, data, "en", b, err));
    CHECK(err.find("field locker") != std::string::npos);
    CHECK(b.bytes().empty());
    // Optional blocks are skipped instead.
    auto q = escpos::sample_receipt_data("queue_ticket");
    q.fields.erase("status_url");
    CHECK(escpos::render_receipt(printer_test::load_template("queue_ticket"), q, "en", b, err));
    auto big = escpos::sample_receipt_data("pickup_slip");
    big.fields["pickup_qr"] = std::string(3000, 'x');
    escpos::Builder b2(*escpos::find_profile("generic-80"));
    CHECK_FALSE(escpos::render_receipt(tpl, big, "en", b2, err));
    CHECK(err.find("too long") != std::string::npos);
    std::string e2;
    CHECK_FALSE(escpos::parse_receipt_template("name = \"x\"\n[[block]]\ntype = \"laser\"\n", e2));
    CHECK_FALSE(escpos::parse_receipt_template("[[block]]\ntype = \"text\"\n", e2));
}

TEST_CASE("printer.templates wrap CJK anywhere and English at spaces") {
    CHECK(escpos::wrap_text("abc def ghi", 7) == std::vector<std::string>{"abc def", "ghi"});
    CHECK(escpos::wrap_text("中文中文中文", 5) == std::vector<std::string>{"中文", "中文", "中文"});
    CHECK(escpos::wrap_text("1. 中文中文", 7) == std::vector<std::string>{"1. 中文", "中文"});
}

TEST_CASE("printer.templates a guide checklist prints without an applicant and lists every item") {
    // The one-thing guide's personalised checklist (kiosk/core/flows/guides.cpp) is anonymous:
    // no applicant field, the materials as a list, the QR link to the checklist.
    const auto p80 = *escpos::find_profile("generic-80");
    auto tpl = printer_test::load_template("checklist");
    auto data = escpos::sample_receipt_data("checklist");
    data.fields.erase("applicant");
    data.fields["guide_url"] = "https://hall.example.gov.cn/guide/restaurant?s=road";
    data.lists["items"] = {{{"title", "经营场所使用证明"}}, {{"title", "现状图(实景照片)"}}};
    escpos::Builder b(p80);
    std::string err;
    REQUIRE_MESSAGE(escpos::render_receipt(tpl, data, "zh-CN", b, err), err);
    CHECK(contains(b.bytes(), escpos::encode_text("□ 2. 现状图(实景照片)", p80)));
    CHECK_FALSE(contains(b.bytes(), escpos::encode_text("申请人", p80)));
}
