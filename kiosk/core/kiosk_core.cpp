#include "core/intents.hpp"
#include "core/kiosk_core.hpp"

#include <algorithm>
#include <ctime>

#include "core/log.hpp"
#include "core/scenes/scenes.hpp"

namespace kiosk {
namespace {

std::tm local_tm(std::int64_t ms) {
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    localtime_r(&t, &tm);
    return tm;
}

}  // namespace

Core::Core(Config config, const I18n& i18n, Catalog catalog)
    : config_(std::move(config)), i18n_(i18n), catalog_(std::move(catalog)) {
    lang_ = config_.kiosk.language;
    elder_ = config_.accessibility.elder_mode;
    voice_ = config_.accessibility.voice;
    rebuild_view();
}

std::string Core::tr(std::string_view key,
                     const std::vector<std::pair<std::string, std::string>>& args) const {
    return i18n_.tr(lang_, key, args);
}

std::string Core::clock_text() const {
    return time_text(now_ms_);
}

std::string Core::time_text(std::int64_t ms) const {
    const std::tm tm = local_tm(ms);
    char buf[80];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min);
    return buf;
}

std::string Core::tr_in(std::string_view lang, std::string_view key) const {
    return i18n_.tr(lang, key, {});
}

bool Core::device_up(const std::string& device) const {
    // A device nobody reported on yet counts as up: its manager reports "down" within seconds.
    auto it = devices_.find(device);
    return it == devices_.end() || it->second;
}

void Core::emit(Effect effect) {
    effects_.push_back(std::move(effect));
}

std::vector<Effect> Core::take_effects() {
    std::vector<Effect> out;
    out.swap(effects_);
    return out;
}

void Core::leave_scene() {
    if (flow_) {
        flow_->leave(*this);
        flow_->wipe();
        flow_.reset();
    }
    camera(false);
    scenes::get(scene_).on_exit(*this);
}

void Core::enter_scene() {
    const auto& sc = scenes::get(scene_);
    if (sc.make) {
        flow_ = sc.make();
        flow_->enter(*this);
    } else {
        sc.on_enter(*this);
    }
}

bool Core::to_scene(const Event& event) {
    if (flow_) return flow_->event(*this, event);
    return scenes::get(scene_).on_event(*this, event);
}

void Core::go(SceneId next) {
    if (next == scene_) return;
    leave_scene();
    if (next == SceneId::Home || next == SceneId::Attract) {
        history_.clear();
        rating_ = {};
    } else {
        history_.push_back(scene_);
    }
    scene_ = next;
    enter_scene();
    log::get("core")->info("scene {}", to_string(scene_));
}

void Core::go_back() {
    if (history_.empty()) {
        go(SceneId::Home);
        return;
    }
    const SceneId prev = history_.back();
    history_.pop_back();
    leave_scene();
    scene_ = prev;
    enter_scene();
}

std::uint64_t Core::hall(api::Request request) {
    emit(fx::HallRequest{++next_tag_, std::move(request)});
    return next_tag_;
}

void Core::hall_cancel(std::uint64_t tag) {
    emit(fx::HallCancel{tag});
}

std::uint64_t Core::outbox(std::string kind, std::string payload_json) {
    emit(fx::OutboxAppend{++next_tag_, std::move(kind), std::move(payload_json)});
    return next_tag_;
}

std::uint64_t Core::print(std::string receipt_template,
                          std::vector<std::pair<std::string, std::string>> fields) {
    emit(fx::Print{++next_tag_, std::move(receipt_template), std::move(fields), lang_});
    return next_tag_;
}

std::uint64_t Core::print_pdf(std::string pdf, std::string title) {
    emit(fx::PrintPdf{++next_tag_, std::move(pdf), std::move(title)});
    return next_tag_;
}

void Core::locker_pickup(std::string key, int compartment, std::string pickup_id) {
    emit(fx::LockerPickup{std::move(key), compartment, std::move(pickup_id)});
}

void Core::locker_deposit(std::string key, std::string min_size) {
    emit(fx::LockerDeposit{std::move(key), std::move(min_size)});
}

void Core::locker_open(std::string key, int compartment) {
    emit(fx::LockerOpen{std::move(key), compartment});
}

void Core::camera(bool on) {
    if (on == camera_on_) return;
    camera_on_ = on;
    emit(fx::Camera{on});
}

void Core::rate(std::string service_id, std::string transaction_id) {
    if (already_rated(transaction_id)) {
        go(SceneId::Home);
        return;
    }
    rating_ = {std::move(service_id), std::move(transaction_id)};
    go(SceneId::Evaluation);
}

bool Core::already_rated(const std::string& transaction_id) const {
    return std::find(rated_.begin(), rated_.end(), transaction_id) != rated_.end();
}

void Core::mark_rated(const std::string& transaction_id) {
    if (!already_rated(transaction_id)) rated_.push_back(transaction_id);
}

bool Core::busy() const {
    return session_.active && flow_ && flow_->busy();
}

void Core::start_session() {
    session_.active = true;
    session_.started_ms = now_ms_;
    session_.last_activity_ms = now_ms_;
    ++session_.serial;
    emit(fx::SessionStarted{});
    log::get("session")->info("session {} started", session_.serial);
    go(SceneId::Home);
}

void Core::end_session(const std::string& reason) {
    if (!session_.active) return;
    if (maintenance_) {
        // Ended by the inactivity timeout (the menu's own exit clears the flag first): the
        // devices go back to the citizens, and the hall hears of it.
        maintenance_ = false;
        outbox("audit", staff::audit_json(maintenance_actor_, "maintenance.end", reason, now_ms_));
        log::get("service")->info("maintenance ended ({})", reason);
    }
    service_interrupted_ = false;
    emit(fx::CancelDeviceCommands{});
    leave_scene();
    scene_ = SceneId::Attract;
    rating_ = {};
    rated_.clear();
    history_.clear();
    session_.data.wipe();
    session_.active = false;
    selected_service.clear();
    idcard_state = {};
    // An open staff call ends with the session, and the desk hears why; except when staff took
    // the kiosk over (the service gesture): their login resolves it, and if nobody logs in, the
    // end of that session cancels it.
    if (assist_.open() && reason != "maintenance") assist_.cancel(*this, "session_" + reason);
    assist_.forget_shown();
    // The next person starts fresh: the default language and mode, not the last person's.
    lang_ = config_.kiosk.language;
    elder_ = config_.accessibility.elder_mode;
    voice_ = config_.accessibility.voice;
    attract_since_ms_ = now_ms_;
    emit(fx::SessionEnded{reason});
    log::get("session")->info("session {} ended ({})", session_.serial, reason);
    if (service_pending_) start_service();
}

// [SECTION] Maintenance handshake (docs/service-menu.md)

std::int64_t Core::inactivity_ms() const {
    const bool staff = maintenance_ || scene_ == SceneId::Service;
    std::int64_t ms =
        (staff ? config_.service_menu.idle_seconds : config_.session.inactivity_seconds) * 1000LL;
    // A person told "please wait here" for staff does not touch the screen: while the call is
    // open the session waits as long as the answer time, or the estimate and a minute more
    // (at most 15 minutes), so a timeout does not cancel the call staff are walking to.
    if (!staff && assist_.open()) {
        std::int64_t wait = config_.assist.answer_seconds * 1000LL;
        if (assist_.current().eta_minutes >= 0)
            wait = std::max<std::int64_t>(wait, (assist_.current().eta_minutes + 1) * 60000LL);
        ms = std::max(ms, std::min<std::int64_t>(wait, 15 * 60000LL));
    }
    return ms;
}

void Core::set_maintenance(bool on, std::string actor) {
    maintenance_ = on;
    maintenance_actor_ = on ? std::move(actor) : std::string{};
    service_pending_ = false;
    log::get("service")->info("maintenance {}", on ? "on" : "off");
}

void Core::start_service() {
    service_pending_ = false;
    service_interrupted_ = false;
    if (!session_.active) start_session();
    go(SceneId::Service);
}

void Core::corner_tap() {
    if (config_.service_menu.gesture != "corner-taps" || scene_ == SceneId::Service) return;
    if (!gesture_.tap(now_ms_)) return;
    log::get("service")->info("service menu gesture in scene {}", to_string(scene_));
    if (maintenance_ || !session_.active) {
        start_service();
    } else if (scene_ == SceneId::Home || scene_ == SceneId::Attract) {
        // Nothing under way: the citizen's session (and its data) ends, the menu opens.
        service_pending_ = true;
        end_session("maintenance");
    } else if (busy()) {
        // A door is open or a payment pending: the person finishes first.
        service_pending_ = true;
    } else {
        service_interrupted_ = true;
        go(SceneId::Service);
    }
}

void Core::handle(const Event& event) {
    if (const auto* tick = std::get_if<Tick>(&event)) {
        // Nothing the screen shows can change before the next wake-up: skip the rebuild (the
        // idle loop ticks on every wake, and idle must cost nothing).
        const bool quiet =
            tick->now_ms >= now_ms_ && tick->now_ms < next_wakeup_ms() && attract_since_ms_ != 0;
        now_ms_ = tick->now_ms;
        // Monotonic: never backwards; without one (tests) the wall time stands in.
        mono_ms_ = std::max(mono_ms_, tick->mono_ms != 0 ? tick->mono_ms : tick->now_ms);
        if (quiet) return;
        // The first tick, or a clock set backwards: the notices start over.
        if (attract_since_ms_ == 0 || now_ms_ < attract_since_ms_) attract_since_ms_ = now_ms_;
        assist_.tick(*this);
        if (session_.active) {
            const std::int64_t warn_at = session_.last_activity_ms + inactivity_ms();
            const std::int64_t reset_at = warn_at + config_.session.warning_seconds * 1000LL;
            if (now_ms_ >= reset_at) end_session("timeout");
        }
        // Flows poll and count down on the clock (next_wakeup_ms asks for these Ticks).
        if (flow_) to_scene(event);
    } else if (const auto* dev = std::get_if<DeviceAvailability>(&event)) {
        devices_[dev->device] = dev->up;
        log::get("core")->info("{} is {}", dev->device, dev->up ? "up" : "down");
        to_scene(event);
    } else if (assist_.handle(*this, event)) {
        // The staff call's own answers (its outbox row, the hall's status).
    } else if (const auto* ack = std::get_if<AssistAck>(&event)) {
        assist_.acknowledged(*this, ack->call_id, ack->eta_minutes, ack->source);
    } else if (std::holds_alternative<Touch>(event)) {
        if (!session_.active) {
            start_session();
        } else {
            session_.last_activity_ms = now_ms_;
        }
    } else if (const auto* intent = std::get_if<Intent>(&event);
               intent && intent->action == intents::corner) {
        // The hidden service-menu target: counts taps, is not a citizen's activity.
        corner_tap();
    } else if (const auto* paused = std::get_if<Intent>(&event);
               paused && maintenance_ && !flow_ && paused->action != intents::extend) {
        // Maintenance with the menu put aside (out of service): the public side does nothing.
    } else if (const auto* intent = std::get_if<Intent>(&event)) {
        if (!session_.active) {
            // An intent without a session (the first touch's own button) starts one first.
            start_session();
        }
        session_.last_activity_ms = now_ms_;
        const std::string& a = intent->action;
        // A flow hears its own buttons first, and "back", "home" and "finish" too: it may step
        // back inside itself, or hold a person who still has a door open.
        const bool chrome = a == intents::lang || a == intents::elder || a == intents::voice ||
                            a == intents::extend || a == intents::staff ||
                            a == intents::staff_cancel;
        if (flow_ && !chrome && flow_->event(*this, event)) {
            // used by the flow
        } else if (a == intents::finish) {
            end_session("finish");
        } else if (a == intents::home) {
            go(SceneId::Home);
        } else if (a == intents::back) {
            go_back();
        } else if (a == intents::lang) {
            lang_ = intent->arg.empty() ? (lang_ == "zh-CN" ? "en" : "zh-CN") : intent->arg;
            if (lang_ != "zh-CN" && lang_ != "en") lang_ = "zh-CN";
        } else if (a == intents::elder) {
            elder_ = !elder_;
        } else if (a == intents::voice) {
            voice_ = !voice_;
        } else if (a == intents::extend) {
            // Activity was recorded above; nothing else to do.
        } else if (a == intents::staff) {
            call_staff("citizen");
        } else if (a == intents::staff_cancel) {
            assist_.cancel(*this, "citizen");
        } else if (!flow_) {
            scenes::get(scene_).on_event(*this, event);
        }
    } else {
        // Device events are activity (a card placed, a code scanned); answers to our own
        // requests are not.
        const bool answer = std::holds_alternative<HallReply>(event) ||
                            std::holds_alternative<OutboxStored>(event) ||
                            std::holds_alternative<PrintDone>(event) ||
                            std::holds_alternative<LockerUpdate>(event) ||
                            std::holds_alternative<DeviceReport>(event);
        if (session_.active && !answer) session_.last_activity_ms = now_ms_;
        to_scene(event);
    }
    rebuild_view();
}

std::int64_t Core::next_wakeup_ms() const {
    std::int64_t next = (now_ms_ / 60000 + 1) * 60000;  // the clock's next minute
    if (!session_.active) {
        if (!config_.attract.notices.empty()) {
            const std::int64_t period = config_.attract.notice_seconds * 1000LL;
            const std::int64_t since = now_ms_ - attract_since_ms_;
            next = std::min(next, attract_since_ms_ + (since / period + 1) * period);
        }
        return next;
    }
    if (flow_) next = std::min(next, flow_->next_wakeup_ms());
    next = std::min(next, assist_.next_wakeup_ms());
    const std::int64_t warn_at = session_.last_activity_ms + inactivity_ms();
    if (now_ms_ < warn_at) return std::min(next, warn_at);
    // During the warning the countdown changes every second.
    const std::int64_t into = now_ms_ - warn_at;
    return std::min(next, warn_at + (into / 1000 + 1) * 1000);
}

bool Core::entry_enabled(const CatalogEntry& e) const {
    for (const auto& need : e.needs)
        if (!device_up(need)) return false;
    return true;
}

void Core::rebuild_view() {
    ViewModel vm;
    vm.scene = scene_;
    vm.lang = lang_;
    vm.elder = elder_;
    vm.voice = voice_;
    vm.hall_name = config_.kiosk.hall_name.get(lang_);
    const std::tm tm = local_tm(now_ms_);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%02d:%02d", tm.tm_hour, tm.tm_min);
    vm.clock = buf;
    vm.date = tr("clock.date", {{"y", std::to_string(tm.tm_year + 1900)},
                                {"m", std::to_string(tm.tm_mon + 1)},
                                {"d", std::to_string(tm.tm_mday)},
                                {"w", tr("clock.weekday." + std::to_string(tm.tm_wday))}});
    auto& l = vm.labels;
    l.back = tr("chrome.back");
    l.home = tr("chrome.home");
    l.finish = tr("chrome.finish");
    l.other_language = tr("chrome.other_language");
    l.elder = tr("chrome.elder_on");
    l.elder_off = tr("chrome.elder_off");
    l.voice_on = tr("chrome.voice_on");
    l.voice_off = tr("chrome.voice_off");
    l.staff = tr("chrome.staff");
    l.staff_cancel = tr("chrome.staff_cancel");
    l.touch_to_start = tr("attract.touch");
    l.coming_soon = tr("home.coming_soon");
    l.unavailable = tr("home.unavailable");
    l.id_name = tr("idcard.name");
    l.id_number = tr("idcard.number");
    l.id_valid_to = tr("idcard.valid_to");
    l.retry = tr("idcard.retry");
    l.keypad_del = tr("keypad.del");
    l.keypad_ok = tr("keypad.ok");
    l.scroll_up = tr("page.up");
    l.scroll_down = tr("page.down");

    vm.open_hours = tr("attract.open_hours");
    if (!session_.active && !config_.attract.notices.empty()) {
        const std::int64_t period = config_.attract.notice_seconds * 1000LL;
        const auto n = static_cast<std::int64_t>(config_.attract.notices.size());
        vm.notice_count = static_cast<int>(n);
        vm.notice_index = static_cast<int>(((now_ms_ - attract_since_ms_) / period) % n);
        vm.notice = config_.attract.notices[static_cast<std::size_t>(vm.notice_index)].get(lang_);
    }

    for (const auto& e : catalog_.entries) {
        TileView t;
        t.id = e.id;
        t.title = tr("service." + e.id + ".title");
        t.hint = tr("service." + e.id + ".hint");
        t.enabled = entry_enabled(e);
        t.coming_soon = !e.ready;
        vm.tiles.push_back(std::move(t));
    }
    for (const auto& [device, up] : devices_)
        // The staff call's own note already says the hall cannot be reached (and what to do).
        if (!up && !(device == "hall" && assist_.phase() == StaffCall::Phase::hall_down))
            vm.banners.push_back(tr("banner.down." + device));

    if (flow_)
        flow_->fill(*this, vm);
    else
        scenes::get(scene_).fill(*this, vm);

    if (session_.active) {
        const std::int64_t warn_at = session_.last_activity_ms + inactivity_ms();
        if (now_ms_ >= warn_at) {
            const std::int64_t left_ms =
                warn_at + config_.session.warning_seconds * 1000LL - now_ms_;
            vm.warning = true;
            vm.warning_seconds_left = static_cast<int>((left_ms + 999) / 1000);
            vm.warning_title = tr("warning.title");
            vm.warning_text = tr("warning.text", {{"s", std::to_string(vm.warning_seconds_left)}});
            vm.warning_button = tr("warning.extend");
        }
    }
    vm.staff_called = assist_.open();
    const std::string call_note = assist_.banner(*this);
    if (!call_note.empty()) vm.banners.push_back(call_note);
    // A blind person hears what the staff call's note says, each time it changes.
    if (voice_ && call_note != last_call_note_ && !call_note.empty()) emit(fx::Speak{call_note});
    last_call_note_ = call_note;

    const std::string prompt = vm.warning ? vm.warning_title : vm.prompt;
    if (voice_ && prompt != last_prompt_ && !prompt.empty()) emit(fx::Speak{prompt});
    last_prompt_ = prompt;

    if (!(vm == view_)) {
        view_ = std::move(vm);
        ++revision_;
    }
}

}  // namespace kiosk
