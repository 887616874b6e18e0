// Certificate pickup (证照自助取件): identify by pickup code (keypad), by QR code (any scanner, the
// camera preview is offered) or by ID card; the hall lists what waits; each certificate is
// authorised and its door opened, one door after the other (the next only once the previous one
// is shut); an optional slip; the rating.
//
// Steps: Identify → Looking → List (or Nothing / LookupFailed) → per certificate: Authorizing →
// Opening → DoorOpen → (next) … → Done → rating. Off the happy path: ItemLeft (closed with the
// certificate still sensed inside), DoorFailed (jammed / no reply / refused), AuthFailed (the hall
// refused or could not be reached), LockerDown (the locker wall is offline before a door opens).
//
// Decisions (docs: the report of issue #8 item 1):
// - Completion is recorded by the locker service, not by this flow: the wiring's reporter appends
//   `pickup.completed` to the outbox exactly once per operation key (the authorisation id), with
//   `pickup_id` when the outcome is "completed" — the hall marks the certificate collected from
//   that event. The flow therefore never calls pickup_complete (a second, racing path to the same
//   fact). To give the reporter the pickup id, the LockerPickup effect carries it in `text`
//   (docs/drivers/wiring.md); Core::locker_pickup has no parameter for it, so the flow emits the
//   effect itself. Jammed / no-reply operations are reported by the same reporter (outcome
//   "jammed" / "no_reply", no pickup_id). A "refused" operation never reaches the journal, so the
//   flow appends `pickup.door_failed` to the outbox itself: the hall hears of every failed door.
// - Compartment = 100 × cabinet number + door (the demo wall's numbering, wiring.md): "C1" door 3
//   is compartment 103. A cabinet id without a number cannot be opened (DoorFailed, reported).
// - Wrong codes: at most kMaxAttempts failed code/QR look-ups per flow (an unknown code, or a code
//   with nothing at all behind it); then the keypad and the camera are switched off and the page
//   says to call staff. The ID card stays accepted (a physical proof of identity).
// - A door open: busy() is true from the unlock request until the door's operation settled
//   (closed / jammed / no reply / refused); "back", "home" and "finish" are held with a reminder;
//   locker progress counts as activity (the person is at the wall, not touching the screen). If
//   the session still times out with a door open, the flow is destroyed and the locker service
//   finishes the operation on its own: it watches the door, journals the outcome and reports it
//   through the outbox, so the hall still learns whether the certificate was taken; the next
//   person's session never sees that operation (its updates match no flow).
// - Authorising is busy too (the hall reserves the certificate), and so is a slip being printed.
#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "api/requests.hpp"
#include "core/flows/common.hpp"
#include "core/intents.hpp"
#include "core/log.hpp"
#include "core/pii.hpp"
#include "core/scenes/scenes.hpp"

namespace kiosk::scenes {
namespace {

using flows::pick;

constexpr int kMaxAttempts = 5;
constexpr std::size_t kCodeMin = 6, kCodeMax = 8;

auto lg() {
    static auto l = log::get("pickup");
    return l;
}

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

class PickupFlow final : public Flow {
  public:
    enum class Step {
        Identify,
        Looking,
        List,
        Nothing,
        LookupFailed,
        Authorizing,
        Opening,
        DoorOpen,
        ItemLeft,
        DoorFailed,
        AuthFailed,
        LockerDown,
        Done
    };
    enum class State { Pending, Done, Left, Failed, Uncertain, Skipped, Unavailable };

    struct Item {
        api::Pickup pickup;
        State state = State::Pending;
        std::string auth_id;
        std::string expires_at;
    };

    void enter(Core& core) override { to_identify(core); }

    bool event(Core& core, const Event& ev) override {
        if (const auto* r = std::get_if<HallReply>(&ev)) return reply(core, *r);
        if (const auto* u = std::get_if<LockerUpdate>(&ev)) return locker(core, *u);
        if (const auto* p = std::get_if<PrintDone>(&ev)) {
            if (p->tag != print_tag_) return false;
            printed_ = p->ok ? 1 : (p->held ? 2 : -1);
            print_reason_ = p->reason;
            return true;
        }
        if (const auto* d = std::get_if<DeviceAvailability>(&ev)) {
            if (d->device != "locker") return false;
            if (!d->up) lg()->warn("locker wall went down during a pickup");
            return true;  // fill() reads core.device_up("locker")
        }
        if (const auto* card = std::get_if<CardRead>(&ev)) return card_read(core, *card);
        if (const auto* code = std::get_if<CodeScanned>(&ev)) return scanned(core, *code);
        const auto* in = std::get_if<Intent>(&ev);
        return in ? intent(core, *in) : false;
    }

    void fill(const Core& core, ViewModel& vm) const override;

    void wipe() override {
        for (auto& it : items_) secure_wipe(it.pickup.holder);
        items_.clear();
        secure_wipe(value_);
    }

    bool busy() const override { return door_busy_ || step_ == Step::Authorizing || printed_ == 0; }

  private:
    // [SECTION] Events

    bool intent(Core& core, const Intent& in) {
        const std::string& a = in.action;
        if (door_busy_ && (a == intents::back || a == intents::home || a == intents::finish)) {
            hold_ = true;  // a door is open: finish it first
            return true;
        }
        if (a == intents::back) return back(core);
        if (a == intents::home || a == intents::finish) return false;
        if (a == intents::key && step_ == Step::Identify) {
            if (locked()) return true;
            auto& code = core.session_mut().data.pickup_code;
            if (in.arg == "ok") {
                if (code.size() < kCodeMin) {
                    problem_ = "pickup.code_short";
                    return true;
                }
                log::add_redaction(code);
                lookup(core, api::LookupBy::code, code);
            } else if (flows::keypad_edit(code, in.arg, kCodeMax)) {
                problem_.clear();
            }
            return true;
        }
        if (a == intents::again && (step_ == Step::Nothing || step_ == Step::LookupFailed)) {
            to_identify(core);
            return true;
        }
        if (a == intents::retry) {
            if (step_ == Step::LookupFailed) {
                lookup(core, by_, value_);
            } else if (step_ == Step::AuthFailed || step_ == Step::LockerDown ||
                       step_ == Step::ItemLeft) {
                open_current(core);  // a new authorisation: a settled operation never fires again
            }
            return true;
        }
        if (a == intents::pickup::start && step_ == Step::List) {
            next_item(core);
            return true;
        }
        if (a == intents::pickup::skip &&
            (step_ == Step::ItemLeft || step_ == Step::DoorFailed || step_ == Step::AuthFailed ||
             step_ == Step::LockerDown)) {
            if (step_ == Step::AuthFailed || step_ == Step::LockerDown)
                items_[cur_].state = State::Skipped;
            next_item(core);
            return true;
        }
        if (a == intents::print && step_ == Step::Done) {
            print(core);
            return true;
        }
        if (a == intents::done && step_ == Step::Done) {
            if (txn_.empty())
                core.go(SceneId::Home);
            else
                core.rate("pickup", txn_);
            return true;
        }
        return false;
    }

    bool back(Core& core) {
        switch (step_) {
            case Step::Identify:
            case Step::Done:
                return false;  // leave the flow
            case Step::Looking:
                core.hall_cancel(lookup_tag_);
                lookup_tag_ = 0;
                to_identify(core);
                return true;
            case Step::List:
            case Step::Nothing:
            case Step::LookupFailed:
                to_identify(core);
                return true;
            case Step::Authorizing:
                core.hall_cancel(auth_tag_);
                auth_tag_ = 0;
                step_ = Step::List;
                return true;
            default:
                // After a door: the list, with what has been taken so far.
                step_ = pending() ? Step::List : Step::Done;
                return true;
        }
    }

    bool card_read(Core& core, const CardRead& card) {
        if (step_ != Step::Identify && step_ != Step::Nothing && step_ != Step::LookupFailed)
            return false;
        flows::take_person(core, card.person);
        lookup(core, api::LookupBy::id_number, card.person.id_number);
        return true;
    }

    bool scanned(Core& core, const CodeScanned& code) {
        if (step_ != Step::Identify && step_ != Step::Nothing && step_ != Step::LookupFailed)
            return false;
        if (locked()) return true;
        if (code.kind != CodeKind::pickup) {
            if (step_ != Step::Identify) to_identify(core);
            problem_ = "pickup.scan_wrong";
            return true;
        }
        log::add_redaction(code.value);
        // The scanner recognises a pickup QR code and gives its pickup code (ESTN:PICKUP:<code>,
        // a hall link with the code); anything else it calls a pickup is the hall's QR token.
        lookup(core, all_digits(code.value) ? api::LookupBy::code : api::LookupBy::qr, code.value);
        via_qr_ = true;
        return true;
    }

    bool reply(Core& core, const HallReply& r) {
        if (r.tag == lookup_tag_ && step_ == Step::Looking) {
            lookup_tag_ = 0;
            looked_up(core, r.response);
            return true;
        }
        if (r.tag == auth_tag_ && step_ == Step::Authorizing) {
            auth_tag_ = 0;
            authorized(core, r.response);
            return true;
        }
        if (r.tag == report_tag_) return true;
        return false;
    }

    bool locker(Core& core, const LockerUpdate& u) {
        if (!door_busy_ || cur_ >= items_.size() || u.key != items_[cur_].auth_id) return false;
        Item& it = items_[cur_];
        // The person is at the wall: that is activity, not an idle screen.
        core.session_mut().last_activity_ms = core.now_ms();
        using S = LockerStep;
        if (u.what == S::unlock_sent) return true;
        if (u.what == S::opened || u.what == S::already_open) {
            step_ = Step::DoorOpen;
            return true;
        }
        if (u.what == S::left_open) {
            left_open_ = true;
            return true;
        }
        if (u.what == S::jammed || u.what == S::no_reply) {
            door_failed(core, std::string(to_string(u.what)));
            return true;
        }
        if (u.what == S::refused) {
            door_failed(core, "refused:" + std::string(to_string(u.refusal)));
            return true;
        }
        if (u.what == S::closed) {
            door_busy_ = false;
            hold_ = false;
            left_open_ = false;
            if (u.outcome == LockerOutcome::completed) {
                it.state = State::Done;
                if (txn_.empty()) txn_ = it.auth_id;
                lg()->info("pickup {} collected from compartment {}", it.pickup.pickup_id,
                           u.compartment);
                next_item(core);
            } else if (u.outcome == LockerOutcome::no_change) {  // the certificate is inside
                it.state = State::Left;
                step_ = Step::ItemLeft;
                lg()->warn("pickup {}: door shut with the certificate inside", it.pickup.pickup_id);
            } else if (u.outcome == LockerOutcome::uncertain) {
                it.state = State::Uncertain;
                if (txn_.empty()) txn_ = it.auth_id;
                next_item(core);
            } else {
                door_failed(core, std::string(to_string(u.outcome)));  // jammed / no_reply / ...
            }
            return true;
        }
        return true;
    }

    // [SECTION] Steps

    void to_identify(Core& core) {
        step_ = Step::Identify;
        secure_wipe(core.session_mut().data.pickup_code);
        items_.clear();
        via_qr_ = false;
        core.camera(!locked());
    }

    void lookup(Core& core, api::LookupBy by, const std::string& value) {
        by_ = by;
        if (&value != &value_) value_ = value;
        problem_.clear();
        via_qr_ = false;
        core.camera(false);
        step_ = Step::Looking;
        lookup_tag_ = core.hall(api::req::pickup_lookup(by, value_));
    }

    void wrong_code(Core& core) {
        ++attempts_;
        lg()->info("pickup look-up found nothing (attempt {} of {})", attempts_, kMaxAttempts);
        to_identify(core);
        problem_ = locked() ? "pickup.locked" : "pickup.code_wrong";
    }

    void looked_up(Core& core, const api::Response& resp) {
        const bool by_card = by_ == api::LookupBy::id_number;
        if (!resp.result.ok()) {
            const auto& e = resp.result.error();
            if (e.kind == api::ErrorKind::not_found || e.kind == api::ErrorKind::invalid_request) {
                if (by_card)
                    step_ = Step::Nothing;
                else
                    wrong_code(core);
                return;
            }
            error_ = flows::error_key(e);
            step_ = Step::LookupFailed;
            lg()->warn("pickup look-up failed: {}", api::to_string(e.kind));
            return;
        }
        const auto& list = std::get<api::PickupList>(resp.result.value());
        if (list.pickups.empty() && !by_card) {
            wrong_code(core);
            return;
        }
        items_.clear();
        for (const auto& p : list.pickups) {
            Item it;
            it.pickup = p;
            if (p.status != api::PickupStatus::waiting && p.status != api::PickupStatus::authorized)
                it.state = State::Unavailable;
            items_.push_back(std::move(it));
        }
        step_ = pending() ? Step::List : Step::Nothing;
        lg()->info("pickup look-up: {} waiting of {}", count(State::Pending), items_.size());
    }

    void next_item(Core& core) {
        hold_ = false;
        for (std::size_t i = 0; i < items_.size(); ++i)
            if (items_[i].state == State::Pending) {
                cur_ = i;
                open_current(core);
                return;
            }
        step_ = Step::Done;
        if (!core.device_up("printer")) printed_ = -3;
    }

    void open_current(Core& core) {
        Item& it = items_[cur_];
        it.state = State::Pending;
        if (!core.device_up("locker")) {
            step_ = Step::LockerDown;
            return;
        }
        const api::LookupBy method = via_qr_ ? api::LookupBy::qr : by_;
        step_ = Step::Authorizing;
        auth_tag_ = core.hall(
            api::req::pickup_authorize(it.pickup.pickup_id, core.config().kiosk.id, method));
    }

    void authorized(Core& core, const api::Response& resp) {
        Item& it = items_[cur_];
        if (!resp.result.ok()) {
            const auto& e = resp.result.error();
            error_ = flows::error_key(e);
            step_ = Step::AuthFailed;
            lg()->warn("pickup {} not authorised: {}", it.pickup.pickup_id, api::to_string(e.kind));
            return;
        }
        const auto& auth = std::get<api::PickupAuthorization>(resp.result.value());
        it.auth_id = auth.authorization_id;
        it.expires_at = auth.expires_at;
        it.pickup.locker = auth.locker;  // the authorisation names the door to open
        if (!core.device_up("locker")) {
            step_ = Step::LockerDown;
            return;
        }
        const int n = compartment(auth.locker);
        door_busy_ = true;
        left_open_ = false;
        step_ = Step::Opening;
        if (n <= 0) {
            door_failed(core, "refused:no_such_compartment");
            return;
        }
        // With the hall's pickup id: the locker reporter puts it in pickup.completed, which is
        // what marks the certificate collected at the hall.
        core.locker_pickup(it.auth_id, n, it.pickup.pickup_id);
        lg()->info("pickup {} authorised: opening compartment {}", it.pickup.pickup_id, n);
    }

    void door_failed(Core& core, const std::string& why) {
        Item& it = items_[cur_];
        const bool was_busy = door_busy_;
        door_busy_ = false;
        hold_ = false;
        left_open_ = false;
        if (step_ == Step::DoorFailed && it.state == State::Failed) return;  // closed after jammed
        it.state = State::Failed;
        step_ = Step::DoorFailed;
        lg()->warn("pickup {}: door could not open ({})", it.pickup.pickup_id, why);
        // A person stands at a shut door with their certificate behind it: a real staff call.
        core.call_staff(why.starts_with("refused:") ? "door_refused" : "door_" + why);
        if (why.starts_with("refused:") && was_busy) {
            // Never journaled, so the locker reporter will not tell the hall: the flow does.
            nlohmann::json p{{"authorization_id", it.auth_id},
                             {"pickup_id", it.pickup.pickup_id},
                             {"compartment", compartment(it.pickup.locker)},
                             {"reason", why.substr(8)}};
            report_tag_ = core.outbox("pickup.door_failed", p.dump());
        }
    }

    void print(Core& core) {
        if (!core.device_up("printer")) {
            printed_ = -3;
            return;
        }
        std::string titles, doors;
        for (const auto& it : items_) {
            if (it.state != State::Done && it.state != State::Uncertain) continue;
            if (!titles.empty()) titles += core.lang() == "en" ? ", " : "、";
            if (!doors.empty()) doors += ", ";
            titles += pick(core, it.pickup.title);
            doors += door_label(it.pickup.locker);
        }
        const auto& data = core.session().data;
        std::string name;
        if (data.person)
            name = pii::mask_name(data.person->name);
        else if (!items_.empty())
            name = pii::mask_name(items_.front().pickup.holder);
        printed_ = 0;
        print_tag_ = core.print(
            "pickup_slip",
            {{"hall", core.config().kiosk.hall_name.get(core.lang())},
             {"citizen_name", name.empty() ? "-" : name},
             {"item", titles},
             {"locker", doors},
             {"pickup_code",
              by_ == api::LookupBy::id_number ? core.tr("pickup.by_card") : pii::mask_code(value_)},
             {"pickup_qr", "ESTN:RECEIPT:" + txn_},
             // The template's "collect before" line: after the pickup it says it was collected
             // (the authorisation's expiry is UTC and no longer means anything to the person).
             {"expires", core.tr("pickup.state.done")},
             {"time", core.clock_text()}});
    }

    // [SECTION] Helpers

    bool locked() const { return attempts_ >= kMaxAttempts; }
    bool pending() const { return count(State::Pending) > 0; }
    // Another certificate still waits after the current one.
    bool pending_after() const {
        for (std::size_t i = 0; i < items_.size(); ++i)
            if (i != cur_ && items_[i].state == State::Pending) return true;
        return false;
    }
    std::size_t count(State s) const {
        return static_cast<std::size_t>(std::count_if(items_.begin(), items_.end(),
                                                      [s](const Item& i) { return i.state == s; }));
    }

    static int compartment(const api::Locker& l) {
        int cab = 0;
        bool digits = false;
        for (char c : l.cabinet)
            if (c >= '0' && c <= '9') {
                digits = true;
                cab = cab * 10 + (c - '0');
                if (cab > 9999) return 0;
            }
        if (!digits || cab <= 0 || l.door <= 0 || l.door > 99) return 0;
        return cab * 100 + l.door;
    }

    // The chrome's "call staff" as a page action (its own tap id: the chrome's is "staff").
    static Element staff_button(const Core& core, bool primary = false) {
        // One call at a time: while it is open this button cancels it, as the chrome's does.
        if (core.assist().open()) {
            Element c =
                page::button(core.tr("chrome.staff_cancel"), intents::staff_cancel, {}, false);
            c.id = "call_staff_cancel";
            return c;
        }
        Element e = page::button(core.tr("pickup.call_staff"), intents::staff, {}, primary);
        e.id = "call_staff";
        return e;
    }

    static std::string door_label(const api::Locker& l) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "-%02d", l.door);
        return l.cabinet + buf;
    }

    std::string state_text(const Core& core, State s) const {
        switch (s) {
            case State::Pending:
                return core.tr("pickup.state.waiting");
            case State::Done:
                return core.tr("pickup.state.done");
            case State::Left:
                return core.tr("pickup.state.left");
            case State::Failed:
                return core.tr("pickup.state.failed");
            case State::Uncertain:
                return core.tr("pickup.state.uncertain");
            case State::Skipped:
                return core.tr("pickup.state.skipped");
            case State::Unavailable:
                return core.tr("pickup.state.collected");
        }
        return {};
    }

    void fill_items(const Core& core, ViewModel& vm) const {
        std::vector<std::pair<std::string, std::string>> rows;
        for (const auto& it : items_)
            rows.push_back({door_label(it.pickup.locker),
                            pick(core, it.pickup.title) + " · " + state_text(core, it.state)});
        vm.page.push_back(page::fields(std::move(rows)));
    }

    void fill_progress(const Core& core, ViewModel& vm) const {
        const std::size_t total = items_.size() - count(State::Unavailable);
        if (total < 2) return;
        std::size_t i = 0;
        for (std::size_t k = 0; k <= cur_ && k < items_.size(); ++k)
            if (items_[k].state != State::Unavailable) ++i;
        Element p;
        p.kind = Element::Kind::Progress;
        p.value = static_cast<int>(i);
        p.max = static_cast<int>(total);
        p.text =
            core.tr("pickup.progress", {{"i", std::to_string(i)}, {"n", std::to_string(total)}});
        vm.page.push_back(std::move(p));
    }

    Step step_ = Step::Identify;
    api::LookupBy by_ = api::LookupBy::code;
    std::string
        value_;  // what was looked up (a code or a QR token; the ID number stays in session)
    bool via_qr_ = false;
    int attempts_ = 0;
    std::string problem_;  // i18n key of the identify step's notice
    std::string error_;    // i18n key of a hall error
    std::vector<Item> items_;
    std::size_t cur_ = 0;
    std::uint64_t lookup_tag_ = 0, auth_tag_ = 0, print_tag_ = 0, report_tag_ = 0;
    bool door_busy_ = false, left_open_ = false, hold_ = false;
    std::string txn_;   // the first authorisation that opened a door: what the rating is about
    int printed_ = -2;  // -2 not asked, 0 printing, 1 printed, 2 held (fault), -1 failed, -3 none
    PrintFailure print_reason_ = PrintFailure::none;
};

void PickupFlow::fill(const Core& core, ViewModel& vm) const {
    vm.title = core.tr("service.pickup.title");
    vm.can_go_back = true;
    const bool locker_up = core.device_up("locker");
    const std::string door = cur_ < items_.size() ? door_label(items_[cur_].pickup.locker) : "";
    switch (step_) {
        case Step::Identify: {
            if (locked()) {
                vm.prompt = core.tr("pickup.locked");
                vm.page.push_back(
                    page::notice(vm.prompt, Tone::Bad, core.tr("pickup.locked_card")));
                vm.actions.push_back(staff_button(core, true));
                Element k = page::keypad({}, core.tr("pickup.code_hint"));
                k.enabled = false;
                vm.page.push_back(std::move(k));
                break;
            }
            vm.prompt = core.tr("pickup.identify_prompt");
            vm.page.push_back(page::heading(core.tr("pickup.identify")));
            if (!problem_.empty()) {
                const int left = kMaxAttempts - attempts_;
                vm.prompt = core.tr(problem_, {{"n", std::to_string(left)}});
                vm.page.push_back(page::notice(vm.prompt, Tone::Warn));
            }
            vm.page.push_back(
                page::keypad(core.session().data.pickup_code, core.tr("pickup.code_hint")));
            vm.page.push_back(page::text(core.tr("pickup.or_card")));
            Element cam;
            cam.kind = Element::Kind::Camera;
            cam.text = core.tr("pickup.or_scan");
            vm.page.push_back(std::move(cam));
            break;
        }
        case Step::Looking:
            vm.prompt = core.tr("pickup.looking");
            vm.page.push_back(page::text(vm.prompt));
            break;
        case Step::List: {
            const auto n = std::to_string(count(State::Pending));
            vm.prompt = core.tr("pickup.list_prompt", {{"n", n}});
            vm.page.push_back(page::heading(core.tr("pickup.list_title", {{"n", n}})));
            if (!items_.empty() && !items_.front().pickup.holder.empty())
                vm.page.push_back(page::fields(
                    {{core.tr("pickup.name"), pii::mask_name(items_.front().pickup.holder)}}));
            fill_items(core, vm);
            vm.page.push_back(page::text(core.tr("pickup.list_hint")));
            if (!locker_up)
                vm.page.push_back(page::notice(core.tr("pickup.locker_down"), Tone::Warn));
            vm.actions.push_back(
                page::button(core.tr("pickup.start"), intents::pickup::start, {}, true));
            break;
        }
        case Step::Nothing:
            vm.prompt = core.tr("pickup.nothing");
            vm.page.push_back(
                page::notice(vm.prompt, Tone::Info, core.tr("pickup.nothing_detail")));
            if (!items_.empty()) fill_items(core, vm);
            vm.actions.push_back(page::button(core.tr("pickup.again"), intents::again, {}, true));
            vm.actions.push_back(staff_button(core));
            break;
        case Step::LookupFailed:
            flows::show_failed(core, vm, error_);
            vm.actions.push_back(page::button(core.tr("pickup.again"), intents::again));
            break;
        case Step::Authorizing:
            vm.prompt = core.tr("pickup.authorizing");
            fill_progress(core, vm);
            vm.page.push_back(page::text(vm.prompt));
            break;
        case Step::Opening:
        case Step::DoorOpen: {
            const bool open = step_ == Step::DoorOpen;
            vm.prompt = hold_        ? core.tr("pickup.hold")
                        : left_open_ ? core.tr("pickup.left_open")
                        : open       ? core.tr("pickup.door_open_prompt", {{"door", door}})
                                     : core.tr("pickup.opening", {{"door", door}});
            fill_progress(core, vm);
            Element big = page::heading(door);
            big.id = "door_number";
            big.detail = open ? core.tr("pickup.door_open") : core.tr("pickup.your_door");
            vm.page.push_back(std::move(big));
            if (hold_ || left_open_) vm.page.push_back(page::notice(vm.prompt, Tone::Warn));
            if (!locker_up)
                vm.page.push_back(page::notice(core.tr("pickup.locker_down_busy"), Tone::Warn));
            if (cur_ < items_.size())
                vm.page.push_back(page::fields(
                    {{core.tr("pickup.item"), pick(core, items_[cur_].pickup.title)}}));
            Element chart;
            chart.kind = Element::Kind::Chart;
            const char* steps[] = {"pickup.step_find", "pickup.step_take", "pickup.step_close"};
            for (int i = 0; i < 3; ++i) {
                PageRow r;
                r.label = core.tr(steps[i], {{"door", door}});
                r.flag = open ? i == 1 : i == 0;
                chart.rows.push_back(std::move(r));
            }
            vm.page.push_back(std::move(chart));
            break;
        }
        case Step::ItemLeft:
            vm.prompt = core.tr("pickup.item_left_prompt", {{"door", door}});
            vm.page.push_back(page::heading(door));
            vm.page.push_back(page::notice(core.tr("pickup.item_left"), Tone::Warn, vm.prompt));
            vm.actions.push_back(page::button(core.tr("pickup.reopen"), intents::retry, {}, true));
            vm.actions.push_back(staff_button(core));
            vm.actions.push_back(
                page::button(core.tr(pending_after() ? "pickup.skip" : "pickup.finish_here"),
                             intents::pickup::skip));
            break;
        case Step::DoorFailed:
            vm.prompt = core.tr("pickup.door_failed_prompt", {{"door", door}});
            vm.page.push_back(page::heading(door));
            vm.page.push_back(page::notice(core.tr("pickup.door_failed"), Tone::Bad, vm.prompt));
            vm.actions.push_back(staff_button(core, true));
            vm.actions.push_back(
                page::button(core.tr(pending_after() ? "pickup.skip" : "pickup.finish_here"),
                             intents::pickup::skip));
            break;
        case Step::AuthFailed:
            vm.prompt = core.tr(error_);
            if (cur_ < items_.size())
                vm.page.push_back(page::fields(
                    {{core.tr("pickup.item"), pick(core, items_[cur_].pickup.title)}}));
            vm.page.push_back(page::notice(vm.prompt, Tone::Bad, core.tr("flow.error.hint")));
            vm.actions.push_back(page::button(core.tr("flow.retry"), intents::retry, {}, true));
            vm.actions.push_back(
                page::button(core.tr(pending_after() ? "pickup.skip" : "pickup.finish_here"),
                             intents::pickup::skip));
            break;
        case Step::LockerDown:
            vm.prompt = core.tr("pickup.locker_down_prompt");
            vm.page.push_back(page::notice(core.tr("pickup.locker_down"), Tone::Bad, vm.prompt));
            vm.actions.push_back(
                page::button(core.tr("flow.retry"), intents::retry, {}, true, locker_up));
            vm.actions.push_back(staff_button(core));
            vm.actions.push_back(
                page::button(core.tr(pending_after() ? "pickup.skip" : "pickup.finish_here"),
                             intents::pickup::skip));
            break;
        case Step::Done: {
            // Uncertain counts as taken (the door opened and closed); the page asks to check.
            const bool all = count(State::Done) + count(State::Uncertain) ==
                             items_.size() - count(State::Unavailable);
            vm.prompt = all ? core.tr("pickup.done_prompt") : core.tr("pickup.done_partial");
            vm.page.push_back(page::notice(all ? core.tr("pickup.done_title") : vm.prompt,
                                           all ? Tone::Good : Tone::Warn,
                                           all ? core.tr("pickup.done_detail") : std::string{}));
            fill_items(core, vm);
            if (count(State::Uncertain) > 0)
                vm.page.push_back(page::notice(core.tr("pickup.uncertain"), Tone::Warn));
            const bool any = count(State::Done) + count(State::Uncertain) > 0;
            if (printed_ == 0)
                vm.page.push_back(page::notice(core.tr("pickup.printing"), Tone::Info));
            else if (printed_ == 1)
                vm.page.push_back(page::notice(core.tr("pickup.printed"), Tone::Good));
            else if (printed_ == 2 || printed_ == -1)
                vm.page.push_back(page::notice(core.tr("pickup.print_failed"), Tone::Warn,
                                               core.tr(flows::print_reason_key(print_reason_))));
            else if (printed_ == -3 && any)
                vm.page.push_back(page::notice(core.tr("pickup.no_printer"), Tone::Info));
            if (any && printed_ != 0 && printed_ != 1 && printed_ != 2)
                vm.actions.push_back(page::button(core.tr("pickup.print"), intents::print, {},
                                                  false, core.device_up("printer")));
            if (!all) vm.actions.push_back(staff_button(core));
            vm.actions.push_back(page::button(core.tr("flow.done"), intents::done, {}, true));
            break;
        }
    }
}

}  // namespace

std::unique_ptr<Flow> make_pickup_flow() {
    return std::make_unique<PickupFlow>();
}

}  // namespace kiosk::scenes
