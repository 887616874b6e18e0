// Requests of the hall contract (docs/api/hall.yaml), built as plain data: the core builds them
// without any network library; kiosk_backend sends them and parses the answer for `op`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/result.hpp"
#include "api/types.hpp"

namespace kiosk::api {

// The contract version (docs/api/hall.yaml info.version) this kiosk was built against: sent on
// every call as X-Hall-Contract (the compatibility policy in the contract's description).
inline constexpr const char* kContractVersion = "1.1.0";

enum class Method { get, post };

enum class Op {
    register_kiosk,
    heartbeat,
    outbox_event,
    catalog,
    guides,
    guide,
    pickup_lookup,
    pickup_authorize,
    pickup_complete,
    deposit,
    application,
    application_lookup,
    ticket_take,
    ticket_get,
    order_create,
    order_lookup,
    order_get,
    order_qr,
    proof_request,
    proof_pdf,
    evaluation,
    complaint,
    staff_login,
    audit,
    assist_create,
    assist_status,
    assist_cancel,
    assist_resolve,
    assist_acknowledge,  // the hall's desk (tests, tools), not the kiosk
    assist_list          // the hall's desk (tests, tools), not the kiosk
};
const char* to_string(Op op);

struct Request {
    Op op = Op::catalog;
    Method method = Method::get;
    std::string path;             // below /api/v1, e.g. "/guides/restaurant"
    std::string body;             // JSON for POST
    std::string idempotency_key;  // POST only; the client makes one when empty
    std::string bearer;           // staff token for staff calls
    std::string invalid;          // non-empty: the builder refused its input (never sent)
    // Safe calls (GET) may be retried by the client; POST never is (except outbox delivery,
    // which reuses its key).
    bool safe() const { return method == Method::get; }
};

// The payload of a successful response, by op.
using Payload =
    std::variant<std::monostate, Registration, HeartbeatReply, EventAck, Catalog, GuideList, Guide,
                 PickupList, PickupAuthorization, PickupCompletion, Deposit, Application,
                 ApplicationList, Ticket, Order, OrderList, PaymentQr, Proof, ProofPdf, Ack,
                 StaffSession, AssistCall, AssistCallList>;

// Validates a 2xx body for `op` against the contract.
Result<Payload> parse_response(Op op, std::string_view body);

enum class LookupBy { code, qr, id_number };
enum class OrderLookupBy { notice_number, id_number };
enum class ProofKind { acceptance_receipt, completion_certificate, payment_receipt };
enum class ComplaintCategory { not_done_in_one_visit, service_attitude, device_fault, other };

struct HeartbeatInfo {
    std::string state = "in_service";  // in_service, degraded, out_of_service, maintenance
    std::int64_t outbox_depth = 0;
    std::vector<std::pair<std::string, std::string>> devices;  // name → DeviceStatus name
};

// Builders. Ids are checked against the contract's id syntax here, so nothing odd ever reaches
// a URL; a refused input gives a Request with `invalid` set, answered at once with
// ErrorKind::invalid_request.
namespace req {
Request register_kiosk(std::string_view kiosk_id, std::string_view version, std::string_view site);
Request heartbeat(std::string_view kiosk_id, const HeartbeatInfo& info);
Request catalog();
Request guides();
Request guide(std::string_view guide_id);
Request pickup_lookup(LookupBy by, std::string_view value);
Request pickup_authorize(std::string_view pickup_id, std::string_view kiosk_id, LookupBy method);
Request pickup_complete(std::string_view pickup_id, std::string_view authorization_id,
                        bool door_closed);
Request deposit(std::string_view staff_token, std::string_view application_id, const Locker& at);
Request application(std::string_view application_id);
Request application_lookup(std::string_view id_number);
Request ticket_take(std::string_view service_id, std::string_view kiosk_id,
                    std::string_view phone = {});
Request ticket_get(std::string_view ticket_id);
Request order_create(std::string_view notice_number);
Request order_lookup(OrderLookupBy by, std::string_view value);
Request order_get(std::string_view order_id);
Request order_qr(std::string_view order_id);
Request proof_request(ProofKind kind, std::string_view application_id);
Request proof_pdf(std::string_view proof_id);
Request evaluation(std::string_view transaction_id, int level,
                   const std::vector<std::string>& reasons, std::string_view comment);
Request complaint(ComplaintCategory category, std::string_view text, std::string_view phone = {});
Request staff_login(std::string_view staff_id, std::string_view pin);
// Staff calls (docs/api/hall.yaml "assist"). reason and scene: 1..48 of [a-z0-9._]; the location
// is the kiosk's configured place text (never personal data).
Request assist_create(std::string_view kiosk_id, std::string_view call_id, std::string_view reason,
                      std::string_view scene, std::string_view location, std::string_view at,
                      bool after_hours);
Request assist_status(std::string_view call_id);
Request assist_cancel(std::string_view call_id, std::string_view reason);
Request assist_resolve(std::string_view call_id, std::string_view by);
Request assist_acknowledge(std::string_view staff_token, std::string_view call_id, int eta_minutes);
Request assist_list(std::string_view staff_token);
// One outbox entry as the hall wants it (used by the outbox sender). Kinds assist.call,
// assist.cancel and assist.resolve go to the staff-call endpoints (their payload is the body);
// every other kind goes to the events endpoint.
Request outbox_event(std::string_view kiosk_id, std::int64_t seq, std::string_view kind,
                     std::string_view at, std::string_view payload_json);
}  // namespace req

}  // namespace kiosk::api
