#include <doctest/doctest.h>

#include "core/pii.hpp"

using namespace kiosk::pii;

TEST_CASE("core.pii masks ID numbers, names, phones and codes") {
    CHECK(mask_id_number("43060219900101123X") == "4306**********123X");
    CHECK(mask_name("张三丰") == "张**");
    CHECK(mask_name("A") == "A");
    CHECK(mask_phone("13812345678") == "138****5678");
    CHECK(mask_code("834201") == "****01");
}

TEST_CASE("core.pii redact finds ID and phone shapes and registered terms") {
    CHECK(redact("id=43060219900101123X ok") == "id=4306**********123X ok");
    CHECK(redact("call 13812345678") == "call 138****5678");
    CHECK(redact("ticket 1234 at 1700000000000") == "ticket 1234 at 1700000000000");
    CHECK(redact("name 王䶮 read", {"王䶮"}) == "name ** read");
}
