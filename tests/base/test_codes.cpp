// The codes shared by the scanner driver and the screens (base/include/codes/): the payment
// notice check digit and the code writer, reachable without linking a driver.
#include <doctest/doctest.h>

#include <string>

#include "codes/check_digit.hpp"
#include "codes/qr_writer.hpp"

using namespace kiosk::codes;

TEST_CASE("base.codes the payment notice check digit is Luhn over 19 digits") {
    // 7992739871 + 3 is the textbook Luhn example; left-padded with zeros to 19 digits.
    CHECK(payment_notice_check_digit("000000000799273987"
                                     "1") == '3');
    CHECK(
        payment_notice_valid("0000000007992739871"
                             "3"));
    CHECK_FALSE(
        payment_notice_valid("0000000007992739871"
                             "4"));
    CHECK(payment_notice_check_digit("123") == '\0');
    CHECK(payment_notice_check_digit("00000000079927398a1") == '\0');
    CHECK_FALSE(payment_notice_valid(""));
    CHECK_FALSE(payment_notice_valid("0000000007992739871"));
}

TEST_CASE("base.codes the writer makes a QR image with a quiet zone, refuses what does not fit") {
    CodeOptions o;
    o.module_pixels = 2;
    std::string error;
    const GreyImage img = make_code("https://example.gov.cn/g/1", o, &error);
    REQUIRE_FALSE(img.empty());
    CHECK(error.empty());
    CHECK(img.width == img.height);
    CHECK(img.at(0, 0) == 255);  // quiet zone
    const auto rgba = to_rgba(img);
    CHECK(rgba.size() == img.pixels.size() * 4);

    CHECK(make_code("", o, &error).empty());
    CHECK(error == "empty text");
    CodeOptions linear;
    linear.format = CodeFormat::Code128;
    CHECK(make_code("中文", linear, &error).empty());
    CHECK(error == "Code 128 carries ASCII only");
}
