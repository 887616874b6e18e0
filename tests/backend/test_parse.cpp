// kiosk_api: the validating parsers and request builders (no network).
#include <string>

#include <doctest/doctest.h>

#include "api/parse.hpp"
#include "api/requests.hpp"

using namespace kiosk::api;

namespace {
const char* kOrder =
    R"({"order_id":"ORD-1","notice_number":"4306202611000001","title":{"zh-CN":"工本费","en":"Fee"},)"
    R"("amount_fen":1000,"currency":"CNY","status":"unpaid"})";
}

TEST_CASE("backend.parse accepts a valid order and reads every field") {
    auto r = parse_order(kOrder);
    REQUIRE(r.ok());
    CHECK(r->order_id == "ORD-1");
    CHECK(r->amount_fen == 1000);
    CHECK(r->title.zh == "工本费");
    CHECK(r->status == OrderStatus::unpaid);
}

TEST_CASE("backend.parse rejects missing fields, wrong types and out-of-range values with a path") {
    auto missing = parse_order(R"({"order_id":"ORD-1"})");
    REQUIRE(!missing.ok());
    CHECK(missing.error().kind == ErrorKind::contract);
    CHECK(missing.error().detail.find("$.notice_number") != std::string::npos);

    std::string wrong_type = kOrder;
    wrong_type.replace(wrong_type.find(":1000"), 5, ":\"1000\"");
    CHECK(parse_order(wrong_type).error().detail.find("amount_fen: expected an integer") !=
          std::string::npos);

    std::string negative = kOrder;
    negative.replace(negative.find(":1000"), 5, ":-5");
    CHECK(parse_order(negative).error().kind == ErrorKind::contract);

    std::string bad_enum = kOrder;
    bad_enum.replace(bad_enum.find("unpaid"), 6, "stolen");
    CHECK(parse_order(bad_enum).error().detail.find("unexpected value") != std::string::npos);

    std::string bad_id = kOrder;
    bad_id.replace(bad_id.find("ORD-1"), 5, "../..");
    CHECK(parse_order(bad_id).error().detail.find("not a valid id") != std::string::npos);

    // Paid needs a paid_at timestamp, and it must be RFC 3339.
    std::string paid = kOrder;
    paid.replace(paid.find("unpaid"), 6, "paid");
    CHECK(!parse_order(paid).ok());
    paid.insert(paid.size() - 1, R"(,"paid_at":"yesterday")");
    CHECK(parse_order(paid).error().detail.find("RFC 3339") != std::string::npos);
}

TEST_CASE("backend.parse rejects malformed, oversized, deeply nested and non-UTF-8 bodies") {
    CHECK(parse_catalog("").error().kind == ErrorKind::malformed);
    CHECK(parse_catalog("{\"version\":").error().kind == ErrorKind::malformed);
    CHECK(parse_catalog("[]").error().kind == ErrorKind::contract);
    std::string big(kMaxBodyBytes + 1, ' ');
    CHECK(parse_catalog(big).error().kind == ErrorKind::too_large);
    std::string deep(100000, '[');
    CHECK(parse_catalog(deep).error().kind == ErrorKind::malformed);
    CHECK(parse_ack("{\"id\":\"\xff\xfe\"}").error().kind == ErrorKind::malformed);
    // Strings over their limit.
    std::string long_title(2001, 'x');
    CHECK(parse_proof(R"({"proof_id":"P1","title":{"zh-CN":")" + long_title +
                      R"(","en":"x"},"pages":1,"bytes":10})")
              .error()
              .kind == ErrorKind::contract);
}

TEST_CASE("backend.parse checks PDFs for header, end marker and size") {
    CHECK(parse_proof_pdf("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n").ok());
    CHECK(parse_proof_pdf("<html>error</html>").error().kind == ErrorKind::malformed);
    CHECK(parse_proof_pdf("%PDF-1.4\n1 0 obj\n<<>>\nendobj\nxref\n0 1")
              .error()
              .detail.find("truncated") != std::string::npos);
    CHECK(parse_proof_pdf(std::string(kMaxPdfBytes + 1, '%')).error().kind == ErrorKind::too_large);
}

TEST_CASE("backend.parse checks the cross-references inside a guide") {
    std::string g = R"({"id":"g","title":{"zh-CN":"a","en":"a"},"code":"c",
        "departments":[{"id":"d1","name":{"zh-CN":"部门","en":"Dept"}}],
        "items":[{"id":"i1","title":{"zh-CN":"a","en":"a"},"department":"d1"}],
        "questions":[{"id":"q","text":{"zh-CN":"a","en":"a"},"options":[
            {"id":"y","label":{"zh-CN":"是","en":"Yes"},"selects":["extra"]},
            {"id":"n","label":{"zh-CN":"否","en":"No"},"selects":[]}]}],
        "situations":[{"id":"base","title":{"zh-CN":"a","en":"a"},"items":["i1"]},
                      {"id":"extra","title":{"zh-CN":"b","en":"b"},"items":[]}],
        "materials":[{"id":"m1","title":{"zh-CN":"a","en":"a"},"situations":["base"],"copies":1},
                     {"id":"m2","title":{"zh-CN":"b","en":"b"},"situations":["extra"],"copies":2}],
        "form":[],"steps":[{"n":1,"title":{"zh-CN":"a","en":"a"}}],"notes":[]})";
    auto ok = parse_guide(g);
    REQUIRE(ok.ok());
    CHECK(ok->situations_for({"n"}) == std::vector<std::string>{"base"});
    CHECK(ok->materials_for(ok->situations_for({"y"})).size() == 2);
    std::string dangling = g;
    dangling.replace(dangling.find("[\"extra\"]"), 9, "[\"nowhere\"]");
    CHECK(parse_guide(dangling).error().detail.find("unknown situation nowhere") !=
          std::string::npos);
}

TEST_CASE("backend.parse maps HTTP errors to kinds and keeps the hall's code") {
    auto e = error_from_status(
        409, R"({"error":{"code":"already_rated","message":{"zh-CN":"已评价","en":"rated"}}})");
    CHECK(e.kind == ErrorKind::conflict);
    CHECK(e.code == "already_rated");
    CHECK(error_from_status(404, "<html>").kind == ErrorKind::not_found);
    CHECK(error_from_status(503, "").transient());
    CHECK(!error_from_status(400, "").transient());
}

TEST_CASE("backend.requests refuse ids that could escape a URL path and bad ratings") {
    CHECK(!req::guide("../admin").invalid.empty());
    CHECK(!req::order_get("a/b").invalid.empty());
    CHECK(req::guide("restaurant").path == "/guides/restaurant");
    CHECK(!req::evaluation("TX1", 5, {}, "").invalid.empty());  // a bad rating needs a reason
    CHECK(req::evaluation("TX1", 1, {}, "").invalid.empty());
    auto ev = req::outbox_event("K1", 7, "audit", "2026-11-26T00:00:00Z", R"({"a":1})");
    CHECK(ev.idempotency_key == "outbox-K1-7");
    CHECK(!req::outbox_event("K1", 7, "audit", "x", "[1]").invalid.empty());
}

TEST_CASE(
    "backend.parse a staff token must be token68, so it cannot break the next request's headers") {
    std::string good = R"({"token":"0123456789abcdef0123","staff_id":"S001","roles":["deposit"],)"
                       R"("expires_at":"2026-11-26T12:00:00Z"})";
    CHECK(parse_staff_session(good).ok());
    std::string bad = good;
    bad.replace(bad.find("0123456789abcdef0123"), 20, "0123456789\\r\\nX-Evil: 1");
    CHECK(parse_staff_session(bad).error().detail.find("not a bearer token") != std::string::npos);
}
