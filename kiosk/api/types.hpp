// Plain C++ types of the hall contract (docs/api/hall.yaml, /api/v1). No I/O, no JSON library in
// this header: the core and the screens use these types; parse.hpp turns validated JSON into them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::api {

// A citizen-visible string in both languages (contract: Text {"zh-CN", "en"}).
struct Text {
    std::string zh;
    std::string en;
    bool operator==(const Text&) const = default;
};

enum class ServiceKind { flow, query, info };
enum class Need { hall, idcard, printer, locker, scanner, camera, payment, keypad };

struct Service {
    std::string id;
    Text title;
    std::optional<Text> description;
    ServiceKind kind = ServiceKind::info;
    std::vector<Need> needs;
    std::string guide_id;  // empty when the service has no one-thing guide
    bool needs_hall() const;
};

struct Catalog {
    std::string version;
    std::vector<Service> services;
};

struct GuideSummary {
    std::string id;
    Text title;
    int departments = 0;
};
struct GuideList {
    std::vector<GuideSummary> guides;
};

struct Department {
    std::string id;
    Text name;
};
struct GuideItem {
    std::string id;
    Text title;
    std::string department;
    std::optional<double> days_before;  // working days before the reform, 0 = on the spot
    std::optional<int> materials_before;
    std::optional<int> materials_after;
};
struct Option {
    std::string id;
    Text label;
    std::vector<std::string> selects;  // situation ids
};
struct Question {
    std::string id;
    Text text;
    std::vector<Option> options;
};
struct Situation {
    std::string id;  // "base" always applies
    Text title;
    std::vector<std::string> items;
};
struct Material {
    std::string id;
    Text title;
    std::string item;                     // the permit it serves; empty for basic materials
    std::vector<std::string> situations;  // needed when any of these applies
    int copies = 1;
    bool original = false;
};
enum class FieldType { text, number, date, phone, id_number, select, area };
struct FormField {
    std::string id;
    Text label;
    FieldType type = FieldType::text;
    bool required = false;
    int max_length = 0;  // 0 = not given
    std::vector<Text> options;
};
struct Step {
    int n = 0;
    Text title;
    std::string department;
};
struct Figures {
    int materials = 0;
    double working_days = 0;
    std::optional<int> departments;
    std::optional<int> visits;
};
struct Guide {
    std::string id;
    Text title;
    std::string code;
    std::vector<Department> departments;
    std::vector<GuideItem> items;
    std::vector<Question> questions;
    std::vector<Situation> situations;
    std::vector<Material> materials;
    std::vector<FormField> form;
    std::vector<Step> steps;
    std::vector<Text> notes;
    std::optional<Figures> before;
    std::optional<Figures> after;
    std::string source;

    // 情形选办: the situations that apply for a set of chosen option ids ("base" always), and the
    // materials those situations need, in guide order.
    std::vector<std::string> situations_for(const std::vector<std::string>& chosen_options) const;
    std::vector<const Material*> materials_for(const std::vector<std::string>& situations) const;
};

struct Locker {
    std::string cabinet;
    int door = 0;
};
enum class PickupStatus { waiting, authorized, collected, returned };
struct Pickup {
    std::string pickup_id;
    Text title;
    std::string holder;  // masked by the hall
    PickupStatus status = PickupStatus::waiting;
    Locker locker;
    std::string deposited_at;
};
struct PickupList {
    std::vector<Pickup> pickups;
};
struct PickupAuthorization {
    std::string authorization_id;
    std::string pickup_id;
    Locker locker;
    std::string expires_at;
};
struct PickupCompletion {
    std::string pickup_id;
    std::string completed_at;
};
struct Deposit {
    std::string pickup_id;
    Locker locker;
    bool notified = false;
};

enum class AppState {
    submitted,
    accepted,
    reviewing,
    site_visit,
    approved,
    rejected,
    ready,
    delivered,
    collected
};
struct TimelineEntry {
    std::string at;
    AppState state = AppState::submitted;
    Text text;
    std::string department;
};
struct Application {
    std::string application_id;
    Text title;
    AppState state = AppState::submitted;
    std::string guide_id;
    std::vector<TimelineEntry> timeline;
};
struct ApplicationList {
    std::vector<Application> applications;
};

enum class TicketState { waiting, called, served, missed };
struct Ticket {
    std::string ticket_id;
    std::string number;
    std::string service_id;
    int waiting_ahead = 0;
    std::optional<int> estimated_wait_min;
    std::string window;
    TicketState state = TicketState::waiting;
};

enum class OrderStatus { unpaid, pending, paid, expired, cancelled };
struct Order {
    std::string order_id;
    std::string notice_number;
    Text title;
    std::int64_t amount_fen = 0;
    std::string currency;
    OrderStatus status = OrderStatus::unpaid;
    std::string paid_at;
};
struct OrderList {
    std::vector<Order> orders;
};
struct PaymentQr {
    std::string order_id;
    std::string qr_payload;
    std::string expires_at;
};

struct Proof {
    std::string proof_id;
    Text title;
    int pages = 0;
    std::int64_t bytes = 0;
};
// A validated PDF (starts with %PDF-, ends with %%EOF, within the size limit).
struct ProofPdf {
    std::string bytes;
};

struct Ack {
    std::string id;
    std::string due;
};

struct Registration {
    std::string kiosk_id;
    int heartbeat_interval_s = 60;
    std::string server_time;
    std::optional<Text> site_name;
};
struct HeartbeatReply {
    std::string server_time;
    std::string catalog_version;
    std::vector<std::string> commands;
};

struct StaffSession {
    std::string token;
    std::string staff_id;
    std::string name;
    std::vector<std::string> roles;
    std::string expires_at;
};

struct EventAck {
    std::string event_id;
    bool duplicate = false;
};

// A staff call (呼叫工作人员) as the hall's desk sees it (contract: AssistCall). The kiosk makes
// the id; the desk acknowledges (with an estimate), the kiosk cancels or resolves.
enum class AssistState { open, acknowledged, cancelled, resolved };
struct AssistCall {
    std::string call_id;
    std::string kiosk_id;
    AssistState state = AssistState::open;
    bool staffed = true;             // someone is on duty at the hall's desk now
    std::optional<int> eta_minutes;  // once acknowledged: about how long until someone comes
    std::string reason;              // the kiosk's reason code ("citizen", "door_jam", ...)
    std::string updated_at;
};
struct AssistCallList {
    std::vector<AssistCall> calls;
};

// The hall's error body (contract: Error).
struct HallError {
    std::string code;
    Text message;
};

}  // namespace kiosk::api
