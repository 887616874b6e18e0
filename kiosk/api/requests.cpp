// Request builders and the op → parser table of the hall contract (docs/api/hall.yaml).
#include "api/requests.hpp"

#include <nlohmann/json.hpp>

#include "api/parse.hpp"

namespace kiosk::api {

const char* to_string(Op op) {
    switch (op) {
        case Op::register_kiosk:
            return "register_kiosk";
        case Op::heartbeat:
            return "heartbeat";
        case Op::outbox_event:
            return "outbox_event";
        case Op::catalog:
            return "catalog";
        case Op::guides:
            return "guides";
        case Op::guide:
            return "guide";
        case Op::pickup_lookup:
            return "pickup_lookup";
        case Op::pickup_authorize:
            return "pickup_authorize";
        case Op::pickup_complete:
            return "pickup_complete";
        case Op::deposit:
            return "deposit";
        case Op::application:
            return "application";
        case Op::application_lookup:
            return "application_lookup";
        case Op::ticket_take:
            return "ticket_take";
        case Op::ticket_get:
            return "ticket_get";
        case Op::order_create:
            return "order_create";
        case Op::order_lookup:
            return "order_lookup";
        case Op::order_get:
            return "order_get";
        case Op::order_qr:
            return "order_qr";
        case Op::proof_request:
            return "proof_request";
        case Op::proof_pdf:
            return "proof_pdf";
        case Op::evaluation:
            return "evaluation";
        case Op::complaint:
            return "complaint";
        case Op::staff_login:
            return "staff_login";
        case Op::audit:
            return "audit";
        case Op::assist_create:
            return "assist_create";
        case Op::assist_status:
            return "assist_status";
        case Op::assist_cancel:
            return "assist_cancel";
        case Op::assist_resolve:
            return "assist_resolve";
        case Op::assist_acknowledge:
            return "assist_acknowledge";
        case Op::assist_list:
            return "assist_list";
    }
    return "unknown";
}

namespace {

template <class T>
Result<Payload> wrap(Result<T> r) {
    if (!r) return r.error();
    return Payload{std::move(r.value())};
}

using J = nlohmann::json;

Request get(Op op, std::string path) {
    return Request{op, Method::get, std::move(path), {}, {}, {}, {}};
}
Request post(Op op, std::string path, const J& body) {
    // dump() with replace: a caller's invalid UTF-8 becomes U+FFFD instead of throwing.
    return Request{op,
                   Method::post,
                   std::move(path),
                   body.dump(-1, ' ', false, J::error_handler_t::replace),
                   {},
                   {},
                   {}};
}
Request refuse(Op op, std::string why) {
    Request r;
    r.op = op;
    r.invalid = std::move(why);
    return r;
}
std::string s(std::string_view v) {
    return std::string(v);
}

const char* by_name(LookupBy by) {
    switch (by) {
        case LookupBy::code:
            return "code";
        case LookupBy::qr:
            return "qr";
        case LookupBy::id_number:
            return "id_number";
    }
    return "code";
}

}  // namespace

Result<Payload> parse_response(Op op, std::string_view body) {
    switch (op) {
        case Op::register_kiosk:
            return wrap(parse_registration(body));
        case Op::heartbeat:
            return wrap(parse_heartbeat_reply(body));
        case Op::outbox_event:
            return wrap(parse_event_ack(body));
        case Op::catalog:
            return wrap(parse_catalog(body));
        case Op::guides:
            return wrap(parse_guide_list(body));
        case Op::guide:
            return wrap(parse_guide(body));
        case Op::pickup_lookup:
            return wrap(parse_pickup_list(body));
        case Op::pickup_authorize:
            return wrap(parse_pickup_authorization(body));
        case Op::pickup_complete:
            return wrap(parse_pickup_completion(body));
        case Op::deposit:
            return wrap(parse_deposit(body));
        case Op::application:
            return wrap(parse_application(body));
        case Op::application_lookup:
            return wrap(parse_application_list(body));
        case Op::ticket_take:
        case Op::ticket_get:
            return wrap(parse_ticket(body));
        case Op::order_create:
        case Op::order_get:
            return wrap(parse_order(body));
        case Op::order_lookup:
            return wrap(parse_order_list(body));
        case Op::order_qr:
            return wrap(parse_payment_qr(body));
        case Op::proof_request:
            return wrap(parse_proof(body));
        case Op::proof_pdf:
            return wrap(parse_proof_pdf(body));
        case Op::evaluation:
        case Op::complaint:
        case Op::audit:
            return wrap(parse_ack(body));
        case Op::staff_login:
            return wrap(parse_staff_session(body));
        case Op::assist_create:
        case Op::assist_status:
        case Op::assist_cancel:
        case Op::assist_resolve:
        case Op::assist_acknowledge:
            return wrap(parse_assist_call(body));
        case Op::assist_list:
            return wrap(parse_assist_call_list(body));
    }
    return Error{ErrorKind::invalid_request, 0, {}, "unknown op"};
}

namespace req {

Request register_kiosk(std::string_view kiosk_id, std::string_view version, std::string_view site) {
    if (!valid_id(kiosk_id)) return refuse(Op::register_kiosk, "kiosk id");
    return post(Op::register_kiosk, "/kiosks/register",
                J{{"kiosk_id", s(kiosk_id)}, {"version", s(version)}, {"site", s(site)}});
}

Request heartbeat(std::string_view kiosk_id, const HeartbeatInfo& info) {
    if (!valid_id(kiosk_id)) return refuse(Op::heartbeat, "kiosk id");
    J devices = J::object();
    for (const auto& [name, st] : info.devices) devices[name] = st;
    return post(
        Op::heartbeat, "/kiosks/" + s(kiosk_id) + "/heartbeat",
        J{{"state", info.state}, {"outbox_depth", info.outbox_depth}, {"devices", devices}});
}

Request catalog() {
    return get(Op::catalog, "/catalog");
}
Request guides() {
    return get(Op::guides, "/guides");
}
Request guide(std::string_view guide_id) {
    if (!valid_id(guide_id)) return refuse(Op::guide, "guide id");
    return get(Op::guide, "/guides/" + s(guide_id));
}

Request pickup_lookup(LookupBy by, std::string_view value) {
    if (value.empty() || value.size() > 512) return refuse(Op::pickup_lookup, "lookup value");
    return post(Op::pickup_lookup, "/pickups/lookup", J{{"by", by_name(by)}, {"value", s(value)}});
}

Request pickup_authorize(std::string_view pickup_id, std::string_view kiosk_id, LookupBy method) {
    if (!valid_id(pickup_id) || !valid_id(kiosk_id)) return refuse(Op::pickup_authorize, "id");
    return post(Op::pickup_authorize, "/pickups/" + s(pickup_id) + "/authorize",
                J{{"kiosk_id", s(kiosk_id)}, {"method", by_name(method)}});
}

Request pickup_complete(std::string_view pickup_id, std::string_view authorization_id,
                        bool door_closed) {
    if (!valid_id(pickup_id) || !valid_id(authorization_id))
        return refuse(Op::pickup_complete, "id");
    Request r = post(Op::pickup_complete, "/pickups/" + s(pickup_id) + "/complete",
                     J{{"authorization_id", s(authorization_id)}, {"door_closed", door_closed}});
    // Completing is idempotent per authorisation: a retry after a lost answer must not count twice.
    r.idempotency_key = "complete-" + s(authorization_id);
    return r;
}

Request deposit(std::string_view staff_token, std::string_view application_id, const Locker& at) {
    if (!valid_id(application_id) || !valid_id(at.cabinet) || at.door < 1 || at.door > 999)
        return refuse(Op::deposit, "deposit fields");
    Request r = post(Op::deposit, "/deposits",
                     J{{"application_id", s(application_id)},
                       {"locker", {{"cabinet", at.cabinet}, {"door", at.door}}}});
    r.bearer = s(staff_token);
    return r;
}

Request application(std::string_view application_id) {
    if (!valid_id(application_id)) return refuse(Op::application, "application id");
    return get(Op::application, "/applications/" + s(application_id));
}

Request application_lookup(std::string_view id_number) {
    if (id_number.size() < 15 || id_number.size() > 18)
        return refuse(Op::application_lookup, "id number length");
    return post(Op::application_lookup, "/applications/lookup", J{{"id_number", s(id_number)}});
}

Request ticket_take(std::string_view service_id, std::string_view kiosk_id,
                    std::string_view phone) {
    if (!valid_id(service_id) || !valid_id(kiosk_id)) return refuse(Op::ticket_take, "id");
    J body{{"service_id", s(service_id)}, {"kiosk_id", s(kiosk_id)}};
    if (!phone.empty()) body["phone"] = s(phone);
    return post(Op::ticket_take, "/queue/tickets", body);
}

Request ticket_get(std::string_view ticket_id) {
    if (!valid_id(ticket_id)) return refuse(Op::ticket_get, "ticket id");
    return get(Op::ticket_get, "/queue/tickets/" + s(ticket_id));
}

Request order_create(std::string_view notice_number) {
    if (notice_number.size() < 6 || notice_number.size() > 32)
        return refuse(Op::order_create, "notice number length");
    return post(Op::order_create, "/payments/orders", J{{"notice_number", s(notice_number)}});
}

Request order_lookup(OrderLookupBy by, std::string_view value) {
    if (value.empty() || value.size() > 32) return refuse(Op::order_lookup, "lookup value");
    return post(Op::order_lookup, "/payments/lookup",
                J{{"by", by == OrderLookupBy::notice_number ? "notice_number" : "id_number"},
                  {"value", s(value)}});
}

Request order_get(std::string_view order_id) {
    if (!valid_id(order_id)) return refuse(Op::order_get, "order id");
    return get(Op::order_get, "/payments/orders/" + s(order_id));
}

Request order_qr(std::string_view order_id) {
    if (!valid_id(order_id)) return refuse(Op::order_qr, "order id");
    // The contract's payByQr has no request body (hall-sim's strict mode caught a "{}" here).
    Request r = post(Op::order_qr, "/payments/orders/" + s(order_id) + "/qr", J::object());
    r.body.clear();
    return r;
}

Request proof_request(ProofKind kind, std::string_view application_id) {
    if (!valid_id(application_id)) return refuse(Op::proof_request, "application id");
    const char* k = kind == ProofKind::acceptance_receipt       ? "acceptance_receipt"
                    : kind == ProofKind::completion_certificate ? "completion_certificate"
                                                                : "payment_receipt";
    return post(Op::proof_request, "/proofs",
                J{{"kind", k}, {"application_id", s(application_id)}});
}

Request proof_pdf(std::string_view proof_id) {
    if (!valid_id(proof_id)) return refuse(Op::proof_pdf, "proof id");
    return get(Op::proof_pdf, "/proofs/" + s(proof_id) + "/pdf");
}

Request evaluation(std::string_view transaction_id, int level,
                   const std::vector<std::string>& reasons, std::string_view comment) {
    if (!valid_id(transaction_id) || level < 1 || level > 5 || reasons.size() > 8 ||
        comment.size() > 500)
        return refuse(Op::evaluation, "evaluation fields");
    if (level >= 4 && reasons.empty()) return refuse(Op::evaluation, "a bad rating needs a reason");
    return post(Op::evaluation, "/evaluations",
                J{{"transaction_id", s(transaction_id)},
                  {"level", level},
                  {"reasons", reasons},
                  {"comment", s(comment)},
                  {"channel", "kiosk"}});
}

Request complaint(ComplaintCategory category, std::string_view text, std::string_view phone) {
    if (text.empty() || text.size() > 2000 || phone.size() > 20)
        return refuse(Op::complaint, "complaint fields");
    const char* c = category == ComplaintCategory::not_done_in_one_visit ? "not_done_in_one_visit"
                    : category == ComplaintCategory::service_attitude    ? "service_attitude"
                    : category == ComplaintCategory::device_fault        ? "device_fault"
                                                                         : "other";
    J body{{"category", c}, {"text", s(text)}};
    if (!phone.empty()) body["phone"] = s(phone);
    return post(Op::complaint, "/complaints", body);
}

Request staff_login(std::string_view staff_id, std::string_view pin) {
    if (!valid_id(staff_id) || pin.size() < 4 || pin.size() > 12)
        return refuse(Op::staff_login, "staff credentials");
    return post(Op::staff_login, "/staff/login", J{{"staff_id", s(staff_id)}, {"pin", s(pin)}});
}

namespace {
std::string field(const J& o, const char* k) {
    auto it = o.find(k);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string{};
}
}  // namespace

Request assist_create(std::string_view kiosk_id, std::string_view call_id, std::string_view reason,
                      std::string_view scene, std::string_view location, std::string_view at,
                      bool after_hours) {
    if (!valid_id(kiosk_id) || !valid_id(call_id)) return refuse(Op::assist_create, "id");
    if (!valid_code(reason) || !valid_code(scene) || location.size() > 200 || at.size() > 40)
        return refuse(Op::assist_create, "staff call fields");
    Request r = post(Op::assist_create, "/assist/calls",
                     J{{"call_id", s(call_id)},
                       {"kiosk_id", s(kiosk_id)},
                       {"reason", s(reason)},
                       {"scene", s(scene)},
                       {"location", s(location)},
                       {"at", s(at)},
                       {"after_hours", after_hours}});
    // One call, one key: a retry after a lost answer (or a restart) never makes a second call.
    r.idempotency_key = "assist-" + s(call_id);
    return r;
}

Request assist_status(std::string_view call_id) {
    if (!valid_id(call_id)) return refuse(Op::assist_status, "call id");
    return get(Op::assist_status, "/assist/calls/" + s(call_id));
}

Request assist_cancel(std::string_view call_id, std::string_view reason) {
    if (!valid_id(call_id) || !valid_code(reason))
        return refuse(Op::assist_cancel, "cancel fields");
    Request r = post(Op::assist_cancel, "/assist/calls/" + s(call_id) + "/cancel",
                     J{{"reason", s(reason)}});
    r.idempotency_key = "assist-" + s(call_id) + "-cancel";
    return r;
}

Request assist_resolve(std::string_view call_id, std::string_view by) {
    if (!valid_id(call_id) || !valid_id(by)) return refuse(Op::assist_resolve, "resolve fields");
    Request r =
        post(Op::assist_resolve, "/assist/calls/" + s(call_id) + "/resolve", J{{"by", s(by)}});
    r.idempotency_key = "assist-" + s(call_id) + "-resolve";
    return r;
}

Request assist_acknowledge(std::string_view staff_token, std::string_view call_id,
                           int eta_minutes) {
    if (!valid_id(call_id) || eta_minutes < 0 || eta_minutes > 240 || staff_token.empty())
        return refuse(Op::assist_acknowledge, "acknowledge fields");
    Request r = post(Op::assist_acknowledge, "/assist/calls/" + s(call_id) + "/acknowledge",
                     J{{"eta_minutes", eta_minutes}});
    r.bearer = s(staff_token);
    return r;
}

Request assist_list(std::string_view staff_token) {
    if (staff_token.empty()) return refuse(Op::assist_list, "staff token");
    Request r = get(Op::assist_list, "/assist/calls");
    r.bearer = s(staff_token);
    return r;
}

Request outbox_event(std::string_view kiosk_id, std::int64_t seq, std::string_view kind,
                     std::string_view at, std::string_view payload_json) {
    if (!valid_id(kiosk_id)) return refuse(Op::outbox_event, "kiosk id");
    J payload = J::parse(payload_json.begin(), payload_json.end(), nullptr, false);
    if (payload.is_discarded() || !payload.is_object())
        return refuse(Op::outbox_event, "payload is not a JSON object");
    if (kind == "assist.call") {
        auto ah = payload.find("after_hours");
        // The call's own time (not the row's): a second row for the same call is the same body,
        // so the hall replays its first answer instead of refusing a reused key.
        const std::string when = field(payload, "at").empty() ? s(at) : field(payload, "at");
        return assist_create(kiosk_id, field(payload, "call_id"), field(payload, "reason"),
                             field(payload, "scene"), field(payload, "location"), when,
                             ah != payload.end() && ah->is_boolean() && ah->get<bool>());
    }
    if (kind == "assist.cancel")
        return assist_cancel(field(payload, "call_id"), field(payload, "reason"));
    if (kind == "assist.resolve")
        return assist_resolve(field(payload, "call_id"), field(payload, "by"));
    Request r = post(Op::outbox_event, "/kiosks/" + s(kiosk_id) + "/events",
                     J{{"seq", seq}, {"kind", s(kind)}, {"at", s(at)}, {"payload", payload}});
    // The key is the kiosk + its sequence: the same entry resent after a restart dedups at the
    // hall.
    r.idempotency_key = "outbox-" + s(kiosk_id) + "-" + std::to_string(seq);
    return r;
}

}  // namespace req
}  // namespace kiosk::api
