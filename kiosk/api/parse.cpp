// Validating parsers for the hall contract (docs/api/hall.yaml). See parse.hpp for the scope.
//
// Why an internal exception: the checks nest deeply (guide → materials → Text); throwing a
// Violation from the innermost check and catching it once per parse_* keeps every check one line.
// Nothing escapes: each public function catches everything and returns an Error.
#include "api/parse.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <set>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace kiosk::api {

const char* to_string(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::network:
            return "network";
        case ErrorKind::timeout:
            return "timeout";
        case ErrorKind::tls:
            return "tls";
        case ErrorKind::too_large:
            return "too_large";
        case ErrorKind::malformed:
            return "malformed";
        case ErrorKind::contract:
            return "contract";
        case ErrorKind::http:
            return "http";
        case ErrorKind::not_found:
            return "not_found";
        case ErrorKind::conflict:
            return "conflict";
        case ErrorKind::unauthorized:
            return "unauthorized";
        case ErrorKind::offline:
            return "offline";
        case ErrorKind::storage:
            return "storage";
        case ErrorKind::cancelled:
            return "cancelled";
        case ErrorKind::invalid_request:
            return "invalid_request";
    }
    return "unknown";
}

bool Error::transient() const {
    switch (kind) {
        case ErrorKind::network:
        case ErrorKind::timeout:
        case ErrorKind::malformed:  // a truncated body is usually the network, not the hall
        case ErrorKind::offline:
            return true;
        case ErrorKind::http:
            return http_status >= 500 || http_status == 429 || http_status == 408;
        default:
            return false;
    }
}

std::string Error::describe() const {
    std::string s = to_string(kind);
    if (http_status != 0) s += " (HTTP " + std::to_string(http_status) + ")";
    if (!code.empty()) s += " [" + code + "]";
    if (!detail.empty()) s += ": " + detail;
    return s;
}

namespace {

using J = nlohmann::json;

struct Violation {
    ErrorKind kind;
    std::string detail;
};

[[noreturn]] void fail(const std::string& path, const std::string& why) {
    throw Violation{ErrorKind::contract, path + ": " + why};
}

bool id_chars(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == ':' || c == '-';
    });
}

// Nesting depth outside strings, counted before parsing so a "[[[[…" bomb never reaches the
// recursive parts of the JSON library.
bool depth_ok(std::string_view body, int max_depth) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (char c : body) {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"')
            in_string = true;
        else if (c == '[' || c == '{') {
            if (++depth > max_depth) return false;
        } else if (c == ']' || c == '}')
            --depth;
    }
    return true;
}

std::string sub(const std::string& path, const char* key) {
    return path + "." + key;
}
std::string idx(const std::string& path, std::size_t i) {
    return path + "[" + std::to_string(i) + "]";
}

const J* opt(const J& o, const char* key) {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) return nullptr;
    return &*it;
}
const J& req(const J& o, const char* key, const std::string& path) {
    const J* v = opt(o, key);
    if (!v) fail(sub(path, key), "required field missing");
    return *v;
}

std::string as_string(const J& v, const std::string& path, std::size_t max_len,
                      std::size_t min_len = 0) {
    if (!v.is_string()) fail(path, "expected a string");
    const auto& s = v.get_ref<const std::string&>();
    if (s.size() > max_len) fail(path, "string longer than " + std::to_string(max_len));
    if (s.size() < min_len) fail(path, "string shorter than " + std::to_string(min_len));
    return s;
}
std::string str(const J& o, const char* key, const std::string& path, std::size_t max_len,
                std::size_t min_len = 0) {
    return as_string(req(o, key, path), sub(path, key), max_len, min_len);
}
std::string opt_str(const J& o, const char* key, const std::string& path, std::size_t max_len) {
    const J* v = opt(o, key);
    return v ? as_string(*v, sub(path, key), max_len) : std::string{};
}
std::string as_id(const J& v, const std::string& path) {
    std::string s = as_string(v, path, 64, 1);
    if (!id_chars(s)) fail(path, "not a valid id");
    return s;
}
std::string id(const J& o, const char* key, const std::string& path) {
    return as_id(req(o, key, path), sub(path, key));
}
std::string opt_id(const J& o, const char* key, const std::string& path) {
    const J* v = opt(o, key);
    return v ? as_id(*v, sub(path, key)) : std::string{};
}
std::string as_timestamp(const J& v, const std::string& path) {
    if (!v.is_string() || v.get_ref<const std::string&>().size() < 19 ||
        v.get_ref<const std::string&>().size() > 40)
        fail(path, "not an RFC 3339 timestamp");
    std::string s = v.get<std::string>();
    // RFC 3339 shape: YYYY-MM-DDTHH:MM:SS…
    static const char* shape = "dddd-dd-ddTdd:dd:dd";
    for (int i = 0; shape[i]; ++i) {
        char c = s[static_cast<std::size_t>(i)];
        bool good = shape[i] == 'd' ? (c >= '0' && c <= '9')
                                    : (shape[i] == 'T' ? (c == 'T' || c == 't') : c == shape[i]);
        if (!good) fail(path, "not an RFC 3339 timestamp");
    }
    return s;
}
std::string timestamp(const J& o, const char* key, const std::string& path) {
    return as_timestamp(req(o, key, path), sub(path, key));
}
std::string opt_timestamp(const J& o, const char* key, const std::string& path) {
    const J* v = opt(o, key);
    return v ? as_timestamp(*v, sub(path, key)) : std::string{};
}
std::int64_t as_integer(const J& v, const std::string& path, std::int64_t lo, std::int64_t hi) {
    if (!v.is_number_integer()) fail(path, "expected an integer");
    std::int64_t n = 0;
    if (v.is_number_unsigned()) {
        auto u = v.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(hi)) fail(path, "out of range");
        n = static_cast<std::int64_t>(u);
    } else {
        n = v.get<std::int64_t>();
    }
    if (n < lo || n > hi) fail(path, "out of range");
    return n;
}
std::int64_t integer(const J& o, const char* key, const std::string& path, std::int64_t lo,
                     std::int64_t hi) {
    return as_integer(req(o, key, path), sub(path, key), lo, hi);
}
std::optional<int> opt_int(const J& o, const char* key, const std::string& path, int lo, int hi) {
    const J* v = opt(o, key);
    if (!v) return std::nullopt;
    return static_cast<int>(as_integer(*v, sub(path, key), lo, hi));
}
double as_number(const J& v, const std::string& path, double lo, double hi) {
    if (!v.is_number()) fail(path, "expected a number");
    double d = v.get<double>();
    if (!std::isfinite(d) || d < lo || d > hi) fail(path, "out of range");
    return d;
}
bool boolean(const J& o, const char* key, const std::string& path) {
    const J& v = req(o, key, path);
    if (!v.is_boolean()) fail(sub(path, key), "expected a boolean");
    return v.get<bool>();
}
bool opt_bool(const J& o, const char* key, const std::string& path) {
    const J* v = opt(o, key);
    if (!v) return false;
    if (!v->is_boolean()) fail(sub(path, key), "expected a boolean");
    return v->get<bool>();
}
const J& object(const J& v, const std::string& path) {
    if (!v.is_object()) fail(path, "expected an object");
    return v;
}
Text as_text(const J& v, const std::string& path) {
    object(v, path);
    return Text{str(v, "zh-CN", path, 2000), str(v, "en", path, 2000)};
}
Text text(const J& o, const char* key, const std::string& path) {
    return as_text(req(o, key, path), sub(path, key));
}
std::optional<Text> opt_text(const J& o, const char* key, const std::string& path) {
    const J* v = opt(o, key);
    if (!v) return std::nullopt;
    return as_text(*v, sub(path, key));
}

template <class F>
auto array(const J& o, const char* key, const std::string& path, std::size_t lo, std::size_t hi,
           F each, bool required = true) {
    using T = decltype(each(std::declval<const J&>(), std::string{}));
    std::vector<T> out;
    const J* v = opt(o, key);
    std::string p = sub(path, key);
    if (!v) {
        if (required) fail(p, "required field missing");
        if (lo > 0) fail(p, "required field missing");
        return out;
    }
    if (!v->is_array()) fail(p, "expected an array");
    if (v->size() < lo) fail(p, "fewer than " + std::to_string(lo) + " entries");
    if (v->size() > hi) fail(p, "more than " + std::to_string(hi) + " entries");
    out.reserve(v->size());
    for (std::size_t i = 0; i < v->size(); ++i) out.push_back(each((*v)[i], idx(p, i)));
    return out;
}

template <class E>
E as_enum(const J& v, const std::string& path, std::initializer_list<std::pair<const char*, E>> m) {
    std::string s = as_string(v, path, 64);
    for (const auto& [name, e] : m)
        if (s == name) return e;
    fail(path, "unexpected value");
}
template <class E>
E enum_of(const J& o, const char* key, const std::string& path,
          std::initializer_list<std::pair<const char*, E>> m) {
    return as_enum(req(o, key, path), sub(path, key), m);
}

std::string one_of(const J& v, const std::string& path, std::initializer_list<const char*> names) {
    std::string s = as_string(v, path, 64);
    for (const char* n : names)
        if (s == n) return s;
    fail(path, "unexpected value");
}

// --- enums -------------------------------------------------------------------------------------

Need as_need(const J& v, const std::string& p) {
    return as_enum<Need>(v, p,
                         {{"hall", Need::hall},
                          {"idcard", Need::idcard},
                          {"printer", Need::printer},
                          {"locker", Need::locker},
                          {"scanner", Need::scanner},
                          {"camera", Need::camera},
                          {"payment", Need::payment},
                          {"keypad", Need::keypad}});
}
const std::initializer_list<std::pair<const char*, AppState>> kAppStates = {
    {"submitted", AppState::submitted}, {"accepted", AppState::accepted},
    {"reviewing", AppState::reviewing}, {"site_visit", AppState::site_visit},
    {"approved", AppState::approved},   {"rejected", AppState::rejected},
    {"ready", AppState::ready},         {"delivered", AppState::delivered},
    {"collected", AppState::collected}};

// --- objects -----------------------------------------------------------------------------------

Service as_service(const J& v, const std::string& p) {
    object(v, p);
    Service s;
    s.id = id(v, "id", p);
    s.title = text(v, "title", p);
    s.description = opt_text(v, "description", p);
    s.kind = enum_of<ServiceKind>(
        v, "kind", p,
        {{"flow", ServiceKind::flow}, {"query", ServiceKind::query}, {"info", ServiceKind::info}});
    s.needs = array(v, "needs", p, 0, 8, as_need);
    s.guide_id = opt_id(v, "guide_id", p);
    return s;
}

Locker as_locker(const J& v, const std::string& p) {
    object(v, p);
    return Locker{id(v, "cabinet", p), static_cast<int>(integer(v, "door", p, 1, 999))};
}

Figures as_figures(const J& v, const std::string& p) {
    object(v, p);
    Figures f;
    f.materials = static_cast<int>(integer(v, "materials", p, 0, 10000));
    f.working_days = as_number(req(v, "working_days", p), sub(p, "working_days"), 0, 10000);
    f.departments = opt_int(v, "departments", p, 0, 100);
    f.visits = opt_int(v, "visits", p, 0, 100);
    return f;
}

Guide as_guide(const J& v, const std::string& p) {
    object(v, p);
    Guide g;
    g.id = id(v, "id", p);
    g.title = text(v, "title", p);
    g.code = str(v, "code", p, 512);
    g.departments = array(v, "departments", p, 1, 50, [](const J& d, const std::string& q) {
        object(d, q);
        return Department{id(d, "id", q), text(d, "name", q)};
    });
    g.items = array(v, "items", p, 1, 64, [](const J& d, const std::string& q) {
        object(d, q);
        GuideItem it;
        it.id = id(d, "id", q);
        it.title = text(d, "title", q);
        it.department = id(d, "department", q);
        if (const J* x = opt(d, "days_before"))
            it.days_before = as_number(*x, sub(q, "days_before"), 0, 1000);
        it.materials_before = opt_int(d, "materials_before", q, 0, 1000);
        it.materials_after = opt_int(d, "materials_after", q, 0, 1000);
        return it;
    });
    g.questions = array(v, "questions", p, 0, 32, [](const J& d, const std::string& q) {
        object(d, q);
        Question qu;
        qu.id = id(d, "id", q);
        qu.text = text(d, "text", q);
        qu.options = array(d, "options", q, 2, 8, [](const J& o, const std::string& r) {
            object(o, r);
            return Option{id(o, "id", r), text(o, "label", r),
                          array(o, "selects", r, 0, 32, as_id)};
        });
        return qu;
    });
    g.situations = array(v, "situations", p, 1, 64, [](const J& d, const std::string& q) {
        object(d, q);
        return Situation{id(d, "id", q), text(d, "title", q), array(d, "items", q, 0, 64, as_id)};
    });
    g.materials = array(v, "materials", p, 0, 200, [](const J& d, const std::string& q) {
        object(d, q);
        Material m;
        m.id = id(d, "id", q);
        m.title = text(d, "title", q);
        m.item = opt_id(d, "item", q);
        m.situations = array(d, "situations", q, 1, 32, as_id);
        m.copies = static_cast<int>(integer(d, "copies", q, 1, 20));
        m.original = opt_bool(d, "original", q);
        return m;
    });
    g.form = array(v, "form", p, 0, 200, [](const J& d, const std::string& q) {
        object(d, q);
        FormField f;
        f.id = id(d, "id", q);
        f.label = text(d, "label", q);
        f.type = enum_of<FieldType>(d, "type", q,
                                    {{"text", FieldType::text},
                                     {"number", FieldType::number},
                                     {"date", FieldType::date},
                                     {"phone", FieldType::phone},
                                     {"id_number", FieldType::id_number},
                                     {"select", FieldType::select},
                                     {"area", FieldType::area}});
        f.required = boolean(d, "required", q);
        f.max_length = opt_int(d, "max_length", q, 1, 2000).value_or(0);
        f.options = array(d, "options", q, 0, 64, as_text, false);
        if (f.type == FieldType::select && f.options.empty()) fail(q, "select without options");
        return f;
    });
    g.steps = array(v, "steps", p, 1, 64, [](const J& d, const std::string& q) {
        object(d, q);
        return Step{static_cast<int>(integer(d, "n", q, 1, 64)), text(d, "title", q),
                    opt_id(d, "department", q)};
    });
    g.notes = array(v, "notes", p, 0, 64, as_text);
    if (const J* x = opt(v, "before")) g.before = as_figures(*x, sub(p, "before"));
    if (const J* x = opt(v, "after")) g.after = as_figures(*x, sub(p, "after"));
    g.source = opt_str(v, "source", p, 500);

    // Cross-references: a guide whose answers point at nothing would strand the person mid-flow.
    std::set<std::string> deps, items, sits;
    for (const auto& d : g.departments) deps.insert(d.id);
    for (const auto& it : g.items) {
        if (!deps.count(it.department)) fail(p + ".items", "unknown department " + it.department);
        items.insert(it.id);
    }
    for (const auto& s : g.situations) {
        sits.insert(s.id);
        for (const auto& i : s.items)
            if (!items.count(i)) fail(p + ".situations", "unknown item " + i);
    }
    if (!sits.count("base")) fail(p + ".situations", "no \"base\" situation");
    for (const auto& q : g.questions)
        for (const auto& o : q.options)
            for (const auto& s : o.selects)
                if (!sits.count(s)) fail(p + ".questions", "unknown situation " + s);
    for (const auto& m : g.materials) {
        for (const auto& s : m.situations)
            if (!sits.count(s)) fail(p + ".materials", "unknown situation " + s);
        if (!m.item.empty() && !items.count(m.item))
            fail(p + ".materials", "unknown item " + m.item);
    }
    return g;
}

Pickup as_pickup(const J& v, const std::string& p) {
    object(v, p);
    Pickup k;
    k.pickup_id = id(v, "pickup_id", p);
    k.title = text(v, "title", p);
    k.holder = opt_str(v, "holder", p, 64);
    k.status = enum_of<PickupStatus>(v, "status", p,
                                     {{"waiting", PickupStatus::waiting},
                                      {"authorized", PickupStatus::authorized},
                                      {"collected", PickupStatus::collected},
                                      {"returned", PickupStatus::returned}});
    k.locker = as_locker(req(v, "locker", p), sub(p, "locker"));
    k.deposited_at = opt_timestamp(v, "deposited_at", p);
    return k;
}

Application as_application(const J& v, const std::string& p) {
    object(v, p);
    Application a;
    a.application_id = id(v, "application_id", p);
    a.title = text(v, "title", p);
    a.state = enum_of<AppState>(v, "state", p, kAppStates);
    a.guide_id = opt_id(v, "guide_id", p);
    a.timeline = array(v, "timeline", p, 1, 100, [](const J& d, const std::string& q) {
        object(d, q);
        return TimelineEntry{timestamp(d, "at", q), enum_of<AppState>(d, "state", q, kAppStates),
                             text(d, "text", q), opt_id(d, "department", q)};
    });
    return a;
}

Order as_order(const J& v, const std::string& p) {
    object(v, p);
    Order o;
    o.order_id = id(v, "order_id", p);
    o.notice_number = str(v, "notice_number", p, 32, 1);
    o.title = text(v, "title", p);
    o.amount_fen = integer(v, "amount_fen", p, 1, 100000000);
    o.currency = str(v, "currency", p, 8);
    if (o.currency != "CNY") fail(sub(p, "currency"), "unexpected value");
    o.status = enum_of<OrderStatus>(v, "status", p,
                                    {{"unpaid", OrderStatus::unpaid},
                                     {"pending", OrderStatus::pending},
                                     {"paid", OrderStatus::paid},
                                     {"expired", OrderStatus::expired},
                                     {"cancelled", OrderStatus::cancelled}});
    o.paid_at = opt_timestamp(v, "paid_at", p);
    if (o.status == OrderStatus::paid && o.paid_at.empty()) fail(p, "paid without paid_at");
    return o;
}

// --- the driver --------------------------------------------------------------------------------

template <class T, class F>
Result<T> run(std::string_view body, F f) {
    if (body.size() > kMaxBodyBytes)
        return Error{ErrorKind::too_large, 0, {}, std::to_string(body.size()) + " bytes"};
    if (body.empty()) return Error{ErrorKind::malformed, 0, {}, "empty body"};
    if (!depth_ok(body, kMaxJsonDepth))
        return Error{ErrorKind::malformed, 0, {}, "nested too deep"};
    try {
        J j = J::parse(body.begin(), body.end(), nullptr, false);
        if (j.is_discarded()) return Error{ErrorKind::malformed, 0, {}, "not valid JSON"};
        object(j, "$");
        return f(j);
    } catch (const Violation& v) {
        return Error{v.kind, 0, {}, v.detail};
    } catch (const std::exception& e) {
        return Error{ErrorKind::contract, 0, {}, e.what()};
    } catch (...) {
        return Error{ErrorKind::contract, 0, {}, "unexpected failure"};
    }
}

}  // namespace

bool valid_bearer_token(std::string_view s) {
    if (s.empty() || s.size() > 512) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
    });
}

bool valid_code(std::string_view c) {
    if (c.empty() || c.size() > 48) return false;
    for (char ch : c)
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_'))
            return false;
    return true;
}

bool valid_id(std::string_view s) {
    return !s.empty() && s.size() <= 64 && id_chars(s);
}
bool valid_idempotency_key(std::string_view s) {
    return !s.empty() && s.size() <= 128 && id_chars(s);
}

Result<Catalog> parse_catalog(std::string_view body) {
    return run<Catalog>(body, [](const J& j) {
        Catalog c{str(j, "version", "$", 64, 1), array(j, "services", "$", 1, 200, as_service)};
        std::set<std::string> seen;
        for (const auto& s : c.services)
            if (!seen.insert(s.id).second) fail("$.services", "duplicate id " + s.id);
        return c;
    });
}

Result<GuideList> parse_guide_list(std::string_view body) {
    return run<GuideList>(body, [](const J& j) {
        return GuideList{array(j, "guides", "$", 0, 500, [](const J& d, const std::string& q) {
            object(d, q);
            return GuideSummary{id(d, "id", q), text(d, "title", q),
                                static_cast<int>(integer(d, "departments", q, 1, 50))};
        })};
    });
}

Result<Guide> parse_guide(std::string_view body) {
    return run<Guide>(body, [](const J& j) { return as_guide(j, "$"); });
}

Result<PickupList> parse_pickup_list(std::string_view body) {
    return run<PickupList>(
        body, [](const J& j) { return PickupList{array(j, "pickups", "$", 0, 32, as_pickup)}; });
}

Result<PickupAuthorization> parse_pickup_authorization(std::string_view body) {
    return run<PickupAuthorization>(body, [](const J& j) {
        return PickupAuthorization{id(j, "authorization_id", "$"), id(j, "pickup_id", "$"),
                                   as_locker(req(j, "locker", "$"), "$.locker"),
                                   timestamp(j, "expires_at", "$")};
    });
}

Result<PickupCompletion> parse_pickup_completion(std::string_view body) {
    return run<PickupCompletion>(body, [](const J& j) {
        if (str(j, "status", "$", 16) != "collected") fail("$.status", "unexpected value");
        return PickupCompletion{id(j, "pickup_id", "$"), timestamp(j, "completed_at", "$")};
    });
}

Result<Deposit> parse_deposit(std::string_view body) {
    return run<Deposit>(body, [](const J& j) {
        return Deposit{id(j, "pickup_id", "$"), as_locker(req(j, "locker", "$"), "$.locker"),
                       opt_bool(j, "notified", "$")};
    });
}

Result<Application> parse_application(std::string_view body) {
    return run<Application>(body, [](const J& j) { return as_application(j, "$"); });
}

Result<ApplicationList> parse_application_list(std::string_view body) {
    return run<ApplicationList>(body, [](const J& j) {
        return ApplicationList{array(j, "applications", "$", 0, 50, as_application)};
    });
}

Result<Ticket> parse_ticket(std::string_view body) {
    return run<Ticket>(body, [](const J& j) {
        Ticket t;
        t.ticket_id = id(j, "ticket_id", "$");
        t.number = str(j, "number", "$", 16, 1);
        t.service_id = id(j, "service_id", "$");
        t.waiting_ahead = static_cast<int>(integer(j, "waiting_ahead", "$", 0, 10000));
        t.estimated_wait_min = opt_int(j, "estimated_wait_min", "$", 0, 10000);
        t.window = opt_str(j, "window", "$", 16);
        t.state = enum_of<TicketState>(j, "state", "$",
                                       {{"waiting", TicketState::waiting},
                                        {"called", TicketState::called},
                                        {"served", TicketState::served},
                                        {"missed", TicketState::missed}});
        return t;
    });
}

Result<Order> parse_order(std::string_view body) {
    return run<Order>(body, [](const J& j) { return as_order(j, "$"); });
}

Result<OrderList> parse_order_list(std::string_view body) {
    return run<OrderList>(
        body, [](const J& j) { return OrderList{array(j, "orders", "$", 0, 50, as_order)}; });
}

Result<PaymentQr> parse_payment_qr(std::string_view body) {
    return run<PaymentQr>(body, [](const J& j) {
        return PaymentQr{id(j, "order_id", "$"), str(j, "qr_payload", "$", 1024, 1),
                         timestamp(j, "expires_at", "$")};
    });
}

Result<Proof> parse_proof(std::string_view body) {
    return run<Proof>(body, [](const J& j) {
        return Proof{id(j, "proof_id", "$"), text(j, "title", "$"),
                     static_cast<int>(integer(j, "pages", "$", 1, 50)),
                     integer(j, "bytes", "$", 1, static_cast<std::int64_t>(kMaxPdfBytes))};
    });
}

Result<ProofPdf> parse_proof_pdf(std::string_view body) {
    if (body.size() > kMaxPdfBytes)
        return Error{ErrorKind::too_large, 0, {}, std::to_string(body.size()) + " bytes"};
    if (body.size() < 16 || body.substr(0, 5) != "%PDF-")
        return Error{ErrorKind::malformed, 0, {}, "not a PDF (no %PDF- header)"};
    // A complete PDF ends with %%EOF (optionally followed by a line end): a truncated transfer
    // fails here instead of reaching the printer.
    std::string_view tail = body.substr(body.size() - std::min<std::size_t>(body.size(), 32));
    if (tail.find("%%EOF") == std::string_view::npos)
        return Error{ErrorKind::malformed, 0, {}, "truncated PDF (no %%EOF)"};
    return ProofPdf{std::string(body)};
}

Result<Ack> parse_ack(std::string_view body) {
    return run<Ack>(body, [](const J& j) {
        return Ack{id(j, "id", "$"), opt_timestamp(j, "due", "$")};
    });
}

Result<Registration> parse_registration(std::string_view body) {
    return run<Registration>(body, [](const J& j) {
        return Registration{id(j, "kiosk_id", "$"),
                            static_cast<int>(integer(j, "heartbeat_interval_s", "$", 5, 3600)),
                            timestamp(j, "server_time", "$"), opt_text(j, "site_name", "$")};
    });
}

Result<HeartbeatReply> parse_heartbeat_reply(std::string_view body) {
    return run<HeartbeatReply>(body, [](const J& j) {
        HeartbeatReply h;
        h.server_time = timestamp(j, "server_time", "$");
        h.catalog_version = opt_str(j, "catalog_version", "$", 64);
        // An open list (the contract's compatibility policy): a command a newer hall added is
        // ignored, never a reason to refuse the whole reply.
        auto all = array(
            j, "commands", "$", 0, 16,
            [](const J& c, const std::string& q) { return as_string(c, q, 64); }, false);
        for (auto& c : all)
            if (c == "refresh_catalog" || c == "restart" || c == "maintenance")
                h.commands.push_back(std::move(c));
        return h;
    });
}

Result<StaffSession> parse_staff_session(std::string_view body) {
    return run<StaffSession>(body, [](const J& j) {
        StaffSession s;
        s.token = str(j, "token", "$", 512, 16);
        // The token goes back in an Authorization header: only token68 characters (RFC 7235),
        // so a hostile answer cannot smuggle a line break into our next request.
        if (!valid_bearer_token(s.token)) fail("$.token", "not a bearer token");
        s.staff_id = id(j, "staff_id", "$");
        s.name = opt_str(j, "name", "$", 64);
        s.roles = array(j, "roles", "$", 1, 8, [](const J& r, const std::string& q) {
            return one_of(r, q, {"deposit", "maintenance", "supervisor", "desk"});
        });
        s.expires_at = timestamp(j, "expires_at", "$");
        return s;
    });
}

Result<EventAck> parse_event_ack(std::string_view body) {
    return run<EventAck>(body, [](const J& j) {
        return EventAck{id(j, "event_id", "$"), boolean(j, "duplicate", "$")};
    });
}

namespace {
AssistCall as_assist_call(const J& j, const std::string& path) {
    AssistCall c;
    c.call_id = id(j, "call_id", path);
    c.kiosk_id = id(j, "kiosk_id", path);
    c.state = enum_of<AssistState>(j, "state", path,
                                   {{"open", AssistState::open},
                                    {"acknowledged", AssistState::acknowledged},
                                    {"cancelled", AssistState::cancelled},
                                    {"resolved", AssistState::resolved}});
    c.staffed = boolean(j, "staffed", path);
    c.eta_minutes = opt_int(j, "eta_minutes", path, 0, 240);
    c.reason = str(j, "reason", path, 48, 1);
    c.updated_at = timestamp(j, "updated_at", path);
    return c;
}
}  // namespace

Result<AssistCall> parse_assist_call(std::string_view body) {
    return run<AssistCall>(body, [](const J& j) { return as_assist_call(j, "$"); });
}

Result<AssistCallList> parse_assist_call_list(std::string_view body) {
    return run<AssistCallList>(body, [](const J& j) {
        return AssistCallList{array(j, "calls", "$", 0, 200, as_assist_call)};
    });
}

Result<HallError> parse_hall_error(std::string_view body) {
    return run<HallError>(body, [](const J& j) {
        const J& e = object(req(j, "error", "$"), "$.error");
        return HallError{str(e, "code", "$.error", 64, 1), text(e, "message", "$.error")};
    });
}

Error error_from_status(int status, std::string_view body) {
    Error e;
    e.http_status = status;
    if (status == 404)
        e.kind = ErrorKind::not_found;
    else if (status == 409)
        e.kind = ErrorKind::conflict;
    else if (status == 401 || status == 403)
        e.kind = ErrorKind::unauthorized;
    else
        e.kind = ErrorKind::http;
    if (auto he = parse_hall_error(body)) {
        e.code = he->code;
        e.detail = he->message.en;
    }
    return e;
}

// --- guide logic (情形选办) ----------------------------------------------------------------------

bool Service::needs_hall() const {
    return std::find(needs.begin(), needs.end(), Need::hall) != needs.end();
}

std::vector<std::string> Guide::situations_for(const std::vector<std::string>& chosen) const {
    std::set<std::string> selected{"base"};
    for (const auto& q : questions)
        for (const auto& o : q.options)
            if (std::find(chosen.begin(), chosen.end(), o.id) != chosen.end())
                selected.insert(o.selects.begin(), o.selects.end());
    std::vector<std::string> out;
    for (const auto& s : situations)
        if (selected.count(s.id)) out.push_back(s.id);
    return out;
}

std::vector<const Material*> Guide::materials_for(const std::vector<std::string>& sits) const {
    std::vector<const Material*> out;
    for (const auto& m : materials)
        for (const auto& s : m.situations)
            if (std::find(sits.begin(), sits.end(), s) != sits.end()) {
                out.push_back(&m);
                break;
            }
    return out;
}

}  // namespace kiosk::api
