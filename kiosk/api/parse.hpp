// Validating parsers for every response of the hall contract (docs/api/hall.yaml, /api/v1).
//
// Implements: size limit, JSON well-formedness (UTF-8 checked by nlohmann_json), nesting limit,
// required fields, types, enums, ranges, string and array sizes, id syntax, timestamp shape, and
// the cross-references inside a guide (options → situations → items → departments).
// Does not implement: unknown-field rejection (the hall may add fields; they are ignored).
// Every function returns a typed Error and never throws or crashes, whatever the bytes.
#pragma once

#include <cstddef>
#include <string_view>

#include "api/result.hpp"
#include "api/types.hpp"

namespace kiosk::api {

inline constexpr std::size_t kMaxBodyBytes = 1024 * 1024;     // JSON responses
inline constexpr std::size_t kMaxPdfBytes = 4 * 1024 * 1024;  // proofs
inline constexpr int kMaxJsonDepth = 32;

Result<Catalog> parse_catalog(std::string_view body);
Result<GuideList> parse_guide_list(std::string_view body);
Result<Guide> parse_guide(std::string_view body);
Result<PickupList> parse_pickup_list(std::string_view body);
Result<PickupAuthorization> parse_pickup_authorization(std::string_view body);
Result<PickupCompletion> parse_pickup_completion(std::string_view body);
Result<Deposit> parse_deposit(std::string_view body);
Result<Application> parse_application(std::string_view body);
Result<ApplicationList> parse_application_list(std::string_view body);
Result<Ticket> parse_ticket(std::string_view body);
Result<Order> parse_order(std::string_view body);
Result<OrderList> parse_order_list(std::string_view body);
Result<PaymentQr> parse_payment_qr(std::string_view body);
Result<Proof> parse_proof(std::string_view body);
Result<ProofPdf> parse_proof_pdf(std::string_view body);
Result<Ack> parse_ack(std::string_view body);
Result<Registration> parse_registration(std::string_view body);
Result<HeartbeatReply> parse_heartbeat_reply(std::string_view body);
Result<StaffSession> parse_staff_session(std::string_view body);
Result<EventAck> parse_event_ack(std::string_view body);
Result<AssistCall> parse_assist_call(std::string_view body);
Result<AssistCallList> parse_assist_call_list(std::string_view body);
Result<HallError> parse_hall_error(std::string_view body);

// The Error for an HTTP error status: kind from the status, code from the body when it is a
// valid Error object (otherwise the body is ignored).
Error error_from_status(int status, std::string_view body);

// The contract's id syntax: 1..64 of [A-Za-z0-9._:-] (safe in a URL path segment).
bool valid_id(std::string_view id);
// A reason or scene code of the staff-call contract: 1..48 of [a-z0-9._].
bool valid_code(std::string_view code);
// Idempotency-Key syntax: 1..128 of [A-Za-z0-9._:-].
bool valid_idempotency_key(std::string_view key);
// A bearer token: 1..512 token68 characters (RFC 7235).
bool valid_bearer_token(std::string_view token);

}  // namespace kiosk::api
