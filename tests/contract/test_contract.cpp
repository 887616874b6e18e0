// The hall contract's checker (sim/hall/contract.hpp), the kiosk's requests checked with it, and
// the kiosk's parsers against the compatibility policy in the contract's description.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <nlohmann/json.hpp>

#include "api/parse.hpp"
#include "api/requests.hpp"
#include "sim/hall/contract.hpp"

using namespace kiosk;
using hallsim::contract::Contract;
using hallsim::contract::Violation;
using J = nlohmann::json;

namespace {

const Contract& hall() {
    return Contract::hall();
}

std::vector<Violation> check(const J& v, const std::string& schema, bool closed = true) {
    std::vector<Violation> out;
    const J* s = hall().schema(schema);
    REQUIRE(s != nullptr);
    hall().validate(v, *s, "$", closed, out);
    return out;
}

bool refused(const J& v, const std::string& schema, const std::string& what) {
    auto out = check(v, schema);
    for (const auto& x : out)
        if (x.what.find(what) != std::string::npos) return true;
    MESSAGE("got: " << hallsim::contract::describe(out));
    return false;
}

// Each example of the contract: (operation, "request" or status, value, schema).
struct Example {
    std::string op, where;
    J value;
    const J* schema;
};
std::vector<Example> examples() {
    std::vector<Example> out;
    auto each = [&](const std::string& op, const std::string& where, const J& media) {
        if (!media.contains("examples") || !media.contains("schema")) return;
        for (const auto& [name, ex] : media["examples"].items()) {
            const J* e = hall().resolve(ex);
            REQUIRE(e != nullptr);
            std::string at = where;
            at.append(" ").append(name);
            out.push_back({op, at, (*e)["value"], &media["schema"]});
        }
    };
    for (const auto& op : hall().operations()) {
        const J& o = *op.node;
        if (o.contains("requestBody"))
            for (const auto& [ct, media] : (*hall().resolve(o["requestBody"]))["content"].items())
                each(op.id, "request", media);
        for (const auto& [st, r] : o["responses"].items()) {
            const J* resp = hall().resolve(r);
            if (resp->contains("content"))
                for (const auto& [ct, media] : (*resp)["content"].items()) each(op.id, st, media);
        }
    }
    return out;
}

// A kiosk request as the client puts it on the wire (kiosk/backend/client.cpp).
std::vector<Violation> check_request(const api::Request& r) {
    REQUIRE_MESSAGE(r.invalid.empty(), r.invalid);
    std::map<std::string, std::string> h{{"X-Kiosk-Id", "YY-ZWFW-0007"},
                                         {"X-Hall-Contract", api::kContractVersion}};
    if (r.method == api::Method::post) {
        h["Content-Type"] = "application/json; charset=utf-8";
        h["Idempotency-Key"] = r.idempotency_key.empty() ? "k-7f3a9c21" : r.idempotency_key;
    }
    if (!r.bearer.empty()) h["Authorization"] = "Bearer " + r.bearer;
    auto header = [&](const std::string& name) -> std::optional<std::string> {
        auto it = h.find(name);
        if (it == h.end()) return std::nullopt;
        return it->second;
    };
    return hall().check_request(r.method == api::Method::get ? "GET" : "POST", r.path, header,
                                r.body);
}

void add_unknown_fields(J& v) {
    if (v.is_object()) {
        for (auto& [k, x] : v.items()) add_unknown_fields(x);
        v["x_added_in_1_9"] = J{{"nested", true}};
    } else if (v.is_array()) {
        for (auto& x : v) add_unknown_fields(x);
    }
}

const std::map<std::string, api::Op>& op_of() {
    static const std::map<std::string, api::Op> m = {
        {"registerKiosk", api::Op::register_kiosk},
        {"heartbeat", api::Op::heartbeat},
        {"postOutboxEvent", api::Op::outbox_event},
        {"getCatalog", api::Op::catalog},
        {"listGuides", api::Op::guides},
        {"getGuide", api::Op::guide},
        {"lookupPickups", api::Op::pickup_lookup},
        {"authorizePickup", api::Op::pickup_authorize},
        {"completePickup", api::Op::pickup_complete},
        {"depositCertificate", api::Op::deposit},
        {"lookupApplications", api::Op::application_lookup},
        {"getApplication", api::Op::application},
        {"takeTicket", api::Op::ticket_take},
        {"getTicket", api::Op::ticket_get},
        {"createOrder", api::Op::order_create},
        {"lookupOrders", api::Op::order_lookup},
        {"getOrder", api::Op::order_get},
        {"payByQr", api::Op::order_qr},
        {"requestProof", api::Op::proof_request},
        {"getProofPdf", api::Op::proof_pdf},
        {"submitEvaluation", api::Op::evaluation},
        {"submitComplaint", api::Op::complaint},
        {"staffLogin", api::Op::staff_login},
        {"postAudit", api::Op::audit},
        {"createAssistCall", api::Op::assist_create},
        {"listAssistCalls", api::Op::assist_list},
        {"getAssistCall", api::Op::assist_status},
        {"acknowledgeAssistCall", api::Op::assist_acknowledge},
        {"cancelAssistCall", api::Op::assist_cancel},
        {"resolveAssistCall", api::Op::assist_resolve}};
    return m;
}

}  // namespace

TEST_CASE("contract.checker loads the built-in contract: every operation, the kiosk's version") {
    CHECK(hall().operations().size() == 30);
    CHECK(hall().version() == api::kContractVersion);
    for (const auto& op : hall().operations())
        CHECK_MESSAGE(op_of().count(op.id) == 1, op.id << " has no kiosk op (add it to op_of)");
}

TEST_CASE("contract.checker every example of the contract passes the C++ checker too") {
    auto all = examples();
    CHECK(all.size() >= 160);
    for (const auto& e : all) {
        std::vector<Violation> out;
        hall().validate(e.value, *e.schema, "$", true, out);
        CHECK_MESSAGE(out.empty(), e.op << " " << e.where << ": " << describe(out));
    }
}

TEST_CASE("contract.checker refuses each kind of broken value with a path") {
    const J ticket = {{"ticket_id", "T12"}, {"number", "A012"},    {"service_id", "progress"},
                      {"waiting_ahead", 2}, {"window", "3号窗口"}, {"state", "waiting"}};
    CHECK(check(ticket, "Ticket").empty());
    J t = ticket;
    t["waiting_ahead"] = "2";
    CHECK(refused(t, "Ticket", "expected integer"));
    t = ticket;
    t.erase("state");
    CHECK(refused(t, "Ticket", "required field state missing"));
    t = ticket;
    t["state"] = "teleported";
    CHECK(refused(t, "Ticket", "not in the enum"));
    t = ticket;
    t["waiting_ahead"] = -1;
    CHECK(refused(t, "Ticket", "below the minimum"));
    t = ticket;
    t["ticket_id"] = "../T12";
    CHECK(refused(t, "Ticket", "does not match"));
    // maxLength counts code points: 16 Chinese characters (48 bytes) fit, 17 do not.
    t = ticket;
    t["window"] = "一二三四五六七八九十一二三四五六";
    CHECK(check(t, "Ticket").empty());
    t["window"] = "一二三四五六七八九十一二三四五六七";
    CHECK(refused(t, "Ticket", "longer than 16"));
    // Undeclared fields: refused for our own traffic (closed), allowed as JSON Schema allows.
    t = ticket;
    t["extra"] = 1;
    CHECK(refused(t, "Ticket", "field not in the contract"));
    CHECK(check(t, "Ticket", false).empty());
    // Nested: a Text inside a list inside an object, and formats.
    J order = {{"order_id", "ORD-5003"},
               {"notice_number", "4306202611000003"},
               {"title", {{"zh-CN", "交通违法罚款"}}},
               {"amount_fen", 20000},
               {"currency", "CNY"},
               {"status", "paid"},
               {"paid_at", "2026-11-26 12:02"}};
    auto out = check(J{{"orders", J::array({order})}}, "OrderList");
    REQUIRE(out.size() == 2);
    CHECK(out[0].where == "$.orders[0].paid_at");
    CHECK(out[0].what == "not an RFC 3339 date-time");
    CHECK(out[1].where == "$.orders[0].title");
    CHECK(out[1].what == "required field en missing");
    // additionalProperties with a schema (the heartbeat's device map).
    CHECK(
        check(J{{"state", "in_service"}, {"devices", {{"printer", "online"}}}}, "HeartbeatRequest")
            .empty());
    CHECK(refused(J{{"state", "in_service"}, {"devices", {{"printer", "on fire"}}}},
                  "HeartbeatRequest", "not in the enum"));
}

TEST_CASE("contract.checker refuses a contract it could not apply fully") {
    std::string error;
    auto base = [](const J& schema) {
        return J{{"openapi", "3.0.3"},
                 {"info", {{"title", "t"}, {"version", "1.0.0"}}},
                 {"paths", J::object()},
                 {"components", {{"schemas", {{"A", schema}}}}}}
            .dump();
    };
    CHECK(Contract::from_json(base({{"type", "string"}}), error) != nullptr);
    CHECK(Contract::from_json(base({{"oneOf", J::array()}}), error) == nullptr);
    CHECK(error.find("keyword oneOf is not implemented") != std::string::npos);
    CHECK(Contract::from_json(base({{"$ref", "#/components/schemas/Missing"}}), error) == nullptr);
    CHECK(error.find("does not resolve") != std::string::npos);
    CHECK(Contract::from_json(base({{"$ref", "https://example.org/s.json"}}), error) == nullptr);
    CHECK(Contract::from_json(base({{"pattern", "(["}}), error) == nullptr);
    CHECK(error.find("does not compile") != std::string::npos);
    CHECK(Contract::from_json("{\"openapi\": \"2.0\"}", error) == nullptr);
    CHECK(Contract::from_json("not json", error) == nullptr);
}

TEST_CASE("contract.checker finds operations by method and path, literal segments first") {
    std::map<std::string, std::string> p;
    const auto* op = hall().match("POST", "/payments/orders/ORD-5003/qr", &p);
    REQUIRE(op != nullptr);
    CHECK(op->id == "payByQr");
    CHECK(p["orderId"] == "ORD-5003");
    CHECK(hall().match("POST", "/payments/lookup")->id == "lookupOrders");
    CHECK(hall().match("GET", "/assist/calls")->id == "listAssistCalls");
    CHECK(hall().match("POST", "/assist/calls")->id == "createAssistCall");
    CHECK(hall().match("DELETE", "/assist/calls") == nullptr);
    CHECK(hall().match("GET", "/catalog/extra") == nullptr);
    // A response is checked against its status's schema, else default (Error).
    CHECK(hall().check_response("GET", "/catalog", 200, "application/json", "{}").size() == 2);
    CHECK(hall()
              .check_response(
                  "GET", "/catalog", 429, "application/json; charset=utf-8",
                  R"({"error":{"code":"rate_limited","message":{"zh-CN":"稍后","en":"later"}}})")
              .empty());
    CHECK(!hall().check_response("GET", "/catalog", 200, "text/html", "<html>").empty());
    CHECK(hall().check_response("GET", "/proofs/PR1/pdf", 200, "application/pdf", "%PDF-").empty());
}

TEST_CASE("contract.client every request the kiosk builds passes the contract") {
    api::HeartbeatInfo hb;
    hb.state = "degraded";
    hb.outbox_depth = 3;
    hb.devices = {{"printer", "user_error"}, {"idcard", "online"}};
    const std::vector<api::Request> all = {
        api::req::register_kiosk("YY-ZWFW-0007", "0.1.0", "岳阳市政务服务中心一楼大厅"),
        api::req::heartbeat("YY-ZWFW-0007", hb),
        api::req::catalog(),
        api::req::guides(),
        api::req::guide("restaurant"),
        api::req::pickup_lookup(api::LookupBy::code, "135790"),
        api::req::pickup_lookup(api::LookupBy::id_number, "43060319850505234X"),
        api::req::pickup_authorize("PK1003", "YY-ZWFW-0007", api::LookupBy::qr),
        api::req::pickup_complete("PK1003", "AUTH-PK1003-94047149", true),
        api::req::deposit("d1bc355f8e7c4812188b4a8646ddba84", "APP-2026-0002", {"C2", 6}),
        api::req::application("APP-2026-0001"),
        api::req::application_lookup("43060319850505234X"),
        api::req::ticket_take("progress", "YY-ZWFW-0007"),
        api::req::ticket_take("progress", "YY-ZWFW-0007", "13800005678"),
        api::req::ticket_get("T12"),
        api::req::order_create("4306202611000003"),
        api::req::order_lookup(api::OrderLookupBy::notice_number, "4306202611000001"),
        api::req::order_get("ORD-5003"),
        api::req::order_qr("ORD-5003"),
        api::req::proof_request(api::ProofKind::acceptance_receipt, "APP-2026-0001"),
        api::req::proof_pdf("PR7"),
        api::req::evaluation("APP-2026-0001", 4, {"waiting_too_long"}, "取件柜门开得慢"),
        api::req::evaluation("APP-2026-0001", 1, {}, ""),
        api::req::complaint(api::ComplaintCategory::device_fault, "打印机卡纸"),
        api::req::staff_login("S001", "1234"),
        api::req::assist_create("YY-ZWFW-0007", "YY-ZWFW-0007-c1795786200000", "door_jammed",
                                "pickup.door", "一楼大厅东侧", "2026-11-26T13:31:00Z", false),
        api::req::assist_status("YY-ZWFW-0007-c1795786200000"),
        api::req::assist_cancel("YY-ZWFW-0007-c1795786200000", "session_timeout"),
        api::req::assist_resolve("YY-ZWFW-0007-c1795786200000", "S003"),
        api::req::assist_acknowledge("d1bc355f8e7c4812188b4a8646ddba84",
                                     "YY-ZWFW-0007-c1795786200000", 4),
        api::req::assist_list("d1bc355f8e7c4812188b4a8646ddba84"),
        api::req::outbox_event("YY-ZWFW-0007", 42, "pickup.completed", "2026-11-26T11:55:02Z",
                               R"({"pickup_id":"PK1003"})"),
    };
    std::set<std::string> covered;
    for (const auto& r : all) {
        auto out = check_request(r);
        CHECK_MESSAGE(out.empty(), api::to_string(r.op) << " " << r.path << ": " << describe(out));
        if (const auto* op = hall().match(r.method == api::Method::get ? "GET" : "POST", r.path))
            covered.insert(op->id);
    }
    // Every operation but the audit batch (sent by no kiosk code today) is built by the kiosk.
    CHECK(covered.size() == hall().operations().size() - 1);
    CHECK(covered.count("postAudit") == 0);
}

TEST_CASE("contract.client a request that drifts from the contract is caught") {
    auto r = api::req::ticket_take("progress", "YY-ZWFW-0007");
    r.body = R"({"service_id":"progress","kiosk_id":"YY-ZWFW-0007","priority":"vip"})";
    CHECK(describe(check_request(r)).find("$.priority: field not in the contract") !=
          std::string::npos);
    auto q = api::req::order_qr("ORD-5003");
    q.body = "{}";  // the drift strict mode found (payByQr has no body)
    CHECK(describe(check_request(q)).find("a body where the contract has none") !=
          std::string::npos);
    auto no_key = hall().check_request(
        "POST", "/queue/tickets",
        [](const std::string& n) -> std::optional<std::string> {
            if (n == "Content-Type") return "application/json";
            if (n == "X-Kiosk-Id") return "YY-ZWFW-0007";
            return std::nullopt;
        },
        R"({"service_id":"progress","kiosk_id":"YY-ZWFW-0007"})");
    CHECK(describe(no_key).find("header Idempotency-Key: required, missing") != std::string::npos);
    auto bad_version = check_request(api::req::catalog());
    CHECK(bad_version.empty());
}

TEST_CASE("contract.compat the kiosk's parsers read every example and ignore unknown fields") {
    int parsed = 0;
    for (const auto& e : examples()) {
        if (e.where.rfind("200 ", 0) != 0) continue;
        auto op = op_of().at(e.op);
        auto plain = api::parse_response(op, e.value.dump());
        CHECK_MESSAGE(plain.ok(), e.op << ": " << (plain.ok() ? "" : plain.error().describe()));
        J extended = e.value;
        add_unknown_fields(extended);
        auto more = api::parse_response(op, extended.dump());
        CHECK_MESSAGE(more.ok(), e.op << " with fields a newer hall added: "
                                      << (more.ok() ? "" : more.error().describe()));
        ++parsed;
    }
    CHECK(parsed == 29);  // every operation with a JSON success body (not the proof PDF)
}

TEST_CASE("contract.compat open lists take new values, closed enums refuse them") {
    // Open: HeartbeatReply.commands (an unknown command is ignored).
    auto hb = api::parse_heartbeat_reply(
        R"({"server_time":"2026-11-26T11:54:37Z","commands":["refresh_catalog","rotate_keys"]})");
    REQUIRE(hb.ok());
    CHECK(hb.value().commands == std::vector<std::string>{"refresh_catalog"});
    // Open: Error.error.code (handled by its HTTP status, the code kept for the log).
    auto e = api::error_from_status(
        409,
        R"({"error":{"code":"quota_exhausted","message":{"zh-CN":"今日已满","en":"full today"}}})");
    CHECK(e.kind == api::ErrorKind::conflict);
    CHECK(e.code == "quota_exhausted");
    // Closed for the major version: a state the kiosk does not know is refused, not guessed.
    CHECK(!api::parse_order(R"({"order_id":"ORD-5003","notice_number":"4306202611000003",
        "title":{"zh-CN":"交通违法罚款","en":"Traffic fine"},"amount_fen":20000,"currency":"CNY",
        "status":"refunded"})")
               .ok());
    CHECK(!api::parse_pickup_list(
               R"({"pickups":[{"pickup_id":"PK1003","title":{"zh-CN":"不动产权证书",
        "en":"Title"},"status":"in_transit","locker":{"cabinet":"C1","door":7}}]})")
               .ok());
}
