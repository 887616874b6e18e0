#include "core/assist.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <limits>

#include <nlohmann/json.hpp>

#include "api/parse.hpp"
#include "api/requests.hpp"
#include "core/kiosk_core.hpp"
#include "core/log.hpp"
#include "core/staff.hpp"

namespace kiosk {

namespace duty {

bool parse_ranges(std::string_view text, std::vector<std::pair<int, int>>* out) {
    std::vector<std::pair<int, int>> ranges;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find(',', pos);
        if (end == std::string_view::npos) end = text.size();
        const std::string part(text.substr(pos, end - pos));
        int h1 = 0, m1 = 0, h2 = 0, m2 = 0;
        char tail = 0;
        if (part.size() != 11 ||
            std::sscanf(part.c_str(), "%2d:%2d-%2d:%2d%c", &h1, &m1, &h2, &m2, &tail) != 4)
            return false;
        const int a = h1 * 60 + m1, b = h2 * 60 + m2;
        if (h1 > 24 || h2 > 24 || m1 > 59 || m2 > 59 || a >= b || b > 24 * 60) return false;
        ranges.emplace_back(a, b);
        pos = end + 1;
        if (end == text.size()) break;
        if (pos == text.size()) return false;  // a trailing comma
    }
    if (out) *out = std::move(ranges);
    return true;
}

bool on_duty(const Config::Assist& cfg, int weekday, const std::string& date, int minute_of_day) {
    if (std::find(cfg.holidays.begin(), cfg.holidays.end(), date) != cfg.holidays.end())
        return false;
    const bool workday =
        std::find(cfg.workdays.begin(), cfg.workdays.end(), date) != cfg.workdays.end();
    const std::size_t day = workday ? 1u : static_cast<std::size_t>(weekday % 7);
    if (day >= cfg.duty.size()) return false;
    std::vector<std::pair<int, int>> ranges;
    if (!parse_ranges(cfg.duty[day], &ranges)) return false;
    for (const auto& [a, b] : ranges)
        if (minute_of_day >= a && minute_of_day < b) return true;
    return false;
}

}  // namespace duty

namespace {

auto lg() {
    return log::get("assist");
}

std::tm local(std::int64_t ms) {
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    localtime_r(&t, &tm);
    return tm;
}

}  // namespace

const char* StaffCall::phase_name(Phase p) {
    switch (p) {
        case Phase::none:
            return "none";
        case Phase::storing:
            return "storing";
        case Phase::sent:
            return "sent";
        case Phase::received:
            return "received";
        case Phase::acknowledged:
            return "acknowledged";
        case Phase::after_hours:
            return "after_hours";
        case Phase::hall_down:
            return "hall_down";
        case Phase::unanswered:
            return "unanswered";
        case Phase::not_stored:
            return "not_stored";
        case Phase::cancelled:
            return "cancelled";
        case Phase::resolved:
            return "resolved";
    }
    return "none";
}

std::string StaffCall::short_code(const Config& config) {
    if (!config.assist.short_code.empty()) return config.assist.short_code;
    std::string code;
    for (char c : config.kiosk.id)
        if (std::isalnum(static_cast<unsigned char>(c)))
            code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (code.size() > 8) code = code.substr(code.size() - 8);
    return code.empty() ? "KIOSK" : code;
}

bool StaffCall::open() const {
    switch (current_.phase) {
        case Phase::storing:
        case Phase::sent:
        case Phase::received:
        case Phase::acknowledged:
        case Phase::after_hours:
        case Phase::hall_down:
        case Phase::unanswered:
            return true;
        default:
            return false;
    }
}

bool StaffCall::recorded() const {
    return open() && current_.phase != Phase::storing;
}

void StaffCall::set_phase(Core& core, Phase p, std::string note) {
    if (current_.phase == p && note.empty()) return;
    lg()->info("staff call {}: {} -> {}", current_.call_id, phase_name(current_.phase),
               phase_name(p));
    current_.phase = p;
    current_.updated_ms = core.now_ms();
    if (!note.empty()) current_.note = std::move(note);
    for (auto& r : recent_)
        if (r.call_id == current_.call_id) r = current_;
}

void StaffCall::append(Core& core, const char* kind, const std::string& payload,
                       std::uint64_t* tag) {
    // One effect does both: the outbox row (the durable request) and the fleet `assist` event.
    // The app handles it (app.cpp): there is no staff-call path that is only a log line.
    fx::CallStaff call{core.next_tag(), kind, payload};
    if (tag) *tag = call.tag;
    core.emit(std::move(call));
}

void StaffCall::audit(Core& core, std::string_view actor, std::string_view action) {
    core.outbox("audit", staff::audit_json(actor, action, current_.call_id, core.now_ms()));
}

bool StaffCall::call(Core& core, std::string_view reason) {
    if (open()) {
        lg()->info("staff call {} already open ({}): {} adds nothing", current_.call_id,
                   phase_name(current_.phase), reason);
        return false;
    }
    const Config& cfg = core.config();
    const std::string why = api::valid_code(reason) ? std::string(reason) : std::string("citizen");
    std::string scene(to_string(core.scene()));
    if (!api::valid_code(scene)) scene = "unknown";
    const std::int64_t now = core.now_ms();
    std::string id = cfg.kiosk.id.substr(0, 40);
    if (id.empty()) id = "kiosk";
    current_ = {};
    current_.call_id = id + "-c" + std::to_string(now);
    current_.reason = why;
    current_.scene = scene;
    current_.created_ms = current_.updated_ms = now;
    current_.phase = Phase::storing;
    hall_seen_ = false;
    stored_ms_ = 0;
    const std::tm tm = local(now);
    char date[48];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday);
    staffed_ = duty::on_duty(cfg.assist, tm.tm_wday, date, tm.tm_hour * 60 + tm.tm_min);
    const LocalText& place =
        cfg.assist.location.by_lang.empty() ? cfg.kiosk.hall_name : cfg.assist.location;
    nlohmann::json p{{"call_id", current_.call_id},
                     {"kiosk_id", cfg.kiosk.id},
                     {"short_code", short_code(cfg)},
                     {"location", place.get("zh-CN")},
                     {"scene", scene},
                     {"reason", why},
                     {"at", staff::iso_utc(now)},
                     {"after_hours", !staffed_}};
    append(core, "assist.call", p.dump(), &store_tag_);
    audit(core, "citizen", "assist.call");
    recent_.push_back(current_);
    if (recent_.size() > 10) recent_.erase(recent_.begin());
    lg()->warn("staff call {} ({}, scene {}{})", current_.call_id, why, scene,
               staffed_ ? "" : ", outside duty hours");
    return true;
}

void StaffCall::cancel(Core& core, std::string_view why) {
    if (!open()) return;
    const std::string reason = api::valid_code(why) ? std::string(why) : std::string("other");
    // Even while the call is being stored: the cancel row comes after it in the outbox.
    nlohmann::json p{{"call_id", current_.call_id},
                     {"kiosk_id", core.config().kiosk.id},
                     {"reason", reason},
                     {"at", staff::iso_utc(core.now_ms())}};
    append(core, "assist.cancel", p.dump(), nullptr);
    audit(core, reason == "citizen" ? "citizen" : "kiosk", "assist.cancel." + reason);
    if (poll_tag_) core.hall_cancel(poll_tag_);
    poll_tag_ = 0;
    set_phase(core, Phase::cancelled, reason);
    shown_until_ms_ = core.now_ms() + 15'000;
}

void StaffCall::resolve(Core& core, std::string_view by) {
    if (!open()) return;
    const std::string who = by.empty() ? std::string("staff") : std::string(by);
    nlohmann::json p{{"call_id", current_.call_id},
                     {"kiosk_id", core.config().kiosk.id},
                     {"by", who},
                     {"at", staff::iso_utc(core.now_ms())}};
    append(core, "assist.resolve", p.dump(), nullptr);
    audit(core, who, "assist.resolve");
    if (poll_tag_) core.hall_cancel(poll_tag_);
    poll_tag_ = 0;
    set_phase(core, Phase::resolved, who);
    shown_until_ms_ = core.now_ms() + 15'000;
}

void StaffCall::acknowledged(Core& core, std::string_view call_id, int eta_minutes,
                             std::string_view source) {
    if (!open() || call_id != current_.call_id) return;
    const int eta = std::clamp(eta_minutes, 0, 240);
    if (current_.phase == Phase::acknowledged && current_.eta_minutes == eta) return;
    current_.eta_minutes = eta;
    audit(core, source, "assist.acknowledged");
    set_phase(core, Phase::acknowledged, std::string(source));
}

bool StaffCall::handle(Core& core, const Event& event) {
    if (const auto* s = std::get_if<OutboxStored>(&event); s && s->tag && s->tag == store_tag_) {
        store_tag_ = 0;
        if (current_.phase != Phase::storing) return true;  // cancelled meanwhile
        if (!s->ok) {
            lg()->error("staff call {} NOT stored: {}", current_.call_id, s->error);
            set_phase(core, Phase::not_stored, s->error);
            return true;
        }
        stored_ms_ = core.now_ms();
        next_poll_ms_ = stored_ms_ + 1000;
        set_phase(core, !staffed_                 ? Phase::after_hours
                        : !core.device_up("hall") ? Phase::hall_down
                                                  : Phase::sent);
        return true;
    }
    if (const auto* r = std::get_if<HallReply>(&event); r && r->tag && r->tag == poll_tag_) {
        poll_tag_ = 0;
        if (!open()) return true;
        const auto& res = r->response.result;
        const bool late =
            core.now_ms() - stored_ms_ >= core.config().assist.answer_seconds * 1000LL;
        if (res.ok()) {
            const auto& c = std::get<api::AssistCall>(res.value());
            hall_seen_ = true;
            if (!c.staffed) staffed_ = false;
            switch (c.state) {
                case api::AssistState::acknowledged:
                    acknowledged(core, c.call_id, c.eta_minutes.value_or(5), "hall");
                    break;
                case api::AssistState::resolved:
                    audit(core, "hall", "assist.resolved");
                    set_phase(core, Phase::resolved, "hall");
                    shown_until_ms_ = core.now_ms() + 15'000;
                    break;
                case api::AssistState::cancelled:
                    set_phase(core, Phase::cancelled, "hall");
                    shown_until_ms_ = core.now_ms() + 15'000;
                    break;
                case api::AssistState::open:
                    if (current_.phase == Phase::acknowledged) break;  // keep the estimate
                    set_phase(core, !staffed_ ? Phase::after_hours
                                    : late    ? Phase::unanswered
                                              : Phase::received);
                    break;
            }
        } else if (current_.phase != Phase::acknowledged) {
            const auto kind = res.error().kind;
            // 404: the hall has not got it yet (still in the outbox). Within a few seconds that
            // is delivery on its way; later, the hall is not hearing us.
            const bool undelivered = kind == api::ErrorKind::not_found;
            if (!undelivered || core.now_ms() - stored_ms_ > 20'000)
                set_phase(core, !staffed_ ? Phase::after_hours : Phase::hall_down);
        }
        return true;
    }
    return false;
}

void StaffCall::poll(Core& core) {
    if (poll_tag_ || !recorded()) return;
    poll_tag_ = core.hall(api::req::assist_status(current_.call_id));
}

void StaffCall::tick(Core& core) {
    const std::int64_t now = core.now_ms();
    if (shown_until_ms_ && now >= shown_until_ms_) shown_until_ms_ = 0;
    if (!recorded()) return;
    if ((current_.phase == Phase::sent || current_.phase == Phase::received) &&
        now - stored_ms_ >= core.config().assist.answer_seconds * 1000LL)
        set_phase(core, Phase::unanswered);
    if (now >= next_poll_ms_) {
        next_poll_ms_ = now + core.config().assist.poll_seconds * 1000LL;
        poll(core);
    }
}

std::int64_t StaffCall::next_wakeup_ms() const {
    if (!open())
        return shown_until_ms_ ? shown_until_ms_ : std::numeric_limits<std::int64_t>::max();
    if (current_.phase == Phase::storing) return std::numeric_limits<std::int64_t>::max();
    return next_poll_ms_;
}

void StaffCall::forget_shown() {
    if (!open()) shown_until_ms_ = 0;
}

std::string StaffCall::banner(const Core& core) const {
    const Config& cfg = core.config();
    const auto help = [&](const char* why) {
        return core.tr(std::string("assist.") + why) + "\n" +
               core.tr("assist.hotline",
                       {{"hotline", cfg.assist.hotline}, {"code", short_code(cfg)}}) +
               (cfg.assist.counter_hours.by_lang.empty()
                    ? std::string{}
                    : " " + core.tr("assist.counter",
                                    {{"hours", cfg.assist.counter_hours.get(core.lang())}}));
    };
    switch (current_.phase) {
        case Phase::none:
            return {};
        case Phase::storing:
            return core.tr("assist.storing");
        case Phase::sent:
            return core.tr("assist.sent");
        case Phase::received:
            return core.tr("assist.received");
        case Phase::acknowledged:
            return core.tr("assist.acknowledged",
                           {{"minutes", std::to_string(std::max(1, current_.eta_minutes))}});
        case Phase::after_hours:
            return help("after_hours");
        case Phase::hall_down:
            return help("hall_down");
        case Phase::unanswered:
            return help("unanswered");
        case Phase::not_stored:
            return help("not_stored");
        case Phase::cancelled:
        case Phase::resolved:
            if (core.now_ms() >= shown_until_ms_) return {};
            return core.tr(current_.phase == Phase::cancelled ? "assist.cancelled"
                                                              : "assist.resolved");
    }
    return {};
}

}  // namespace kiosk
