// Application progress (办件进度查询): by ID card (the person's applications) or by the receipt's
// QR code (one application). Several applications → a list first; one → a timeline of what
// happened (time, what, which department; done steps filled, the next step hollow), the current
// state in words and what happens next.
//
// Steps: Start → (Card) → Loading → (List) → Detail; Failed / None.
// Nothing personal is shown beyond the masked name read from the card.
#include "api/requests.hpp"
#include "core/flows/common.hpp"
#include "core/flows/hall_time.hpp"
#include "core/intents.hpp"
#include "core/log.hpp"
#include "core/pii.hpp"
#include "core/scenes/scenes.hpp"

namespace kiosk::scenes {
namespace {

using flows::pick;

const char* state_name(api::AppState s) {
    switch (s) {
        case api::AppState::submitted:
            return "submitted";
        case api::AppState::accepted:
            return "accepted";
        case api::AppState::reviewing:
            return "reviewing";
        case api::AppState::site_visit:
            return "site_visit";
        case api::AppState::approved:
            return "approved";
        case api::AppState::rejected:
            return "rejected";
        case api::AppState::ready:
            return "ready";
        case api::AppState::delivered:
            return "delivered";
        case api::AppState::collected:
            return "collected";
    }
    return "submitted";
}

// The step that normally comes next (shown hollow at the end of the timeline); none when done.
const char* next_state(api::AppState s) {
    switch (s) {
        case api::AppState::submitted:
            return "accepted";
        case api::AppState::accepted:
        case api::AppState::site_visit:
            return "reviewing";
        case api::AppState::reviewing:
            return "approved";
        case api::AppState::approved:
            return "ready";
        case api::AppState::ready:
            return "collected";
        default:
            return nullptr;
    }
}

class ProgressFlow final : public Flow {
  public:
    enum class Step { Start, Card, Loading, List, Detail, None, Failed };

    void enter(Core& core) override {
        step_ = Step::Start;
        core.camera(true);
    }

    bool event(Core& core, const Event& ev) override {
        if (const auto* r = std::get_if<HallReply>(&ev)) return reply(core, *r);
        if (const auto* c = std::get_if<CodeScanned>(&ev)) return scanned(core, *c);
        if (const auto* c = std::get_if<CardRead>(&ev)) return card(core, *c);
        if (std::holds_alternative<CardReadFailed>(ev) && step_ == Step::Card) {
            card_problem_ = true;
            return true;
        }
        const auto* in = std::get_if<Intent>(&ev);
        if (!in) return false;
        const std::string& a = in->action;
        if (a == intents::back) {
            switch (step_) {
                case Step::Card:
                case Step::None:
                case Step::Failed:
                case Step::List:
                    to_start(core);
                    return true;
                case Step::Loading:
                    core.hall_cancel(tag_);
                    tag_ = 0;
                    to_start(core);
                    return true;
                case Step::Detail:
                    if (apps_.size() > 1)
                        step_ = Step::List;
                    else
                        to_start(core);
                    return true;
                default:
                    return false;
            }
        }
        if (a == intents::by && step_ == Step::Start && in->arg == "idcard") {
            card_problem_ = false;
            step_ = Step::Card;
            const auto& p = core.session().data.person;
            if (p && !p->id_number.empty()) lookup(core);
            return true;
        }
        if (a == intents::open && step_ == Step::List) {
            for (std::size_t i = 0; i < apps_.size(); ++i)
                if (apps_[i].application_id == in->arg) {
                    current_ = i;
                    step_ = Step::Detail;
                }
            return true;
        }
        if (a == intents::retry && step_ == Step::Failed) {
            if (by_id_)
                lookup(core);
            else
                fetch(core, receipt_);
            return true;
        }
        if (a == intents::other &&
            (step_ == Step::Detail || step_ == Step::None || step_ == Step::Failed)) {
            to_start(core);
            return true;
        }
        if (a == intents::done && (step_ == Step::Detail || step_ == Step::None)) {
            core.go(SceneId::Home);
            return true;
        }
        return false;
    }

    void fill(const Core& core, ViewModel& vm) const override;

    void wipe() override {
        apps_.clear();
        secure_wipe(receipt_);
    }

  private:
    void to_start(Core& core) {
        step_ = Step::Start;
        problem_.clear();
        core.camera(true);
    }

    bool scanned(Core& core, const CodeScanned& c) {
        if (step_ != Step::Start && step_ != Step::Card && step_ != Step::None &&
            step_ != Step::Failed)
            return false;
        if (c.kind == CodeKind::receipt && !c.value.empty()) {
            problem_.clear();
            fetch(core, c.value);
        } else {
            to_start(core);
            problem_ = "progress.scan_wrong";
        }
        return true;
    }

    bool card(Core& core, const CardRead& c) {
        if (step_ != Step::Start && step_ != Step::Card) return false;
        flows::take_person(core, c.person);
        lookup(core);
        return true;
    }

    void lookup(Core& core) {
        const auto& p = core.session().data.person;
        if (!p) {
            to_start(core);
            return;
        }
        by_id_ = true;
        core.camera(false);
        step_ = Step::Loading;
        tag_ = core.hall(api::req::application_lookup(p->id_number));
    }

    void fetch(Core& core, const std::string& id) {
        by_id_ = false;
        receipt_ = id;
        core.camera(false);
        step_ = Step::Loading;
        tag_ = core.hall(api::req::application(id));
    }

    bool reply(Core&, const HallReply& r) {
        if (r.tag != tag_ || !tag_) return false;
        tag_ = 0;
        const auto& res = r.response.result;
        if (!res.ok()) {
            const auto& e = res.error();
            if (e.kind == api::ErrorKind::not_found) {
                step_ = Step::None;
                none_key_ = by_id_ ? "progress.none" : "progress.receipt_unknown";
            } else {
                error_ = flows::error_key(e);
                step_ = Step::Failed;
            }
            return true;
        }
        apps_.clear();
        current_ = 0;
        if (by_id_)
            apps_ = std::get<api::ApplicationList>(res.value()).applications;
        else
            apps_.push_back(std::get<api::Application>(res.value()));
        if (apps_.empty()) {
            step_ = Step::None;
            none_key_ = "progress.none";
        } else {
            step_ = apps_.size() == 1 ? Step::Detail : Step::List;
        }
        log::get("progress")->info("{} application(s) found", apps_.size());
        return true;
    }

    Step step_ = Step::Start;
    bool by_id_ = false;
    bool card_problem_ = false;
    std::string problem_, error_, none_key_;
    std::string receipt_;
    std::uint64_t tag_ = 0;
    std::vector<api::Application> apps_;
    std::size_t current_ = 0;
};

void ProgressFlow::fill(const Core& core, ViewModel& vm) const {
    vm.title = core.tr("service.progress.title");
    vm.can_go_back = true;
    const auto& person = core.session().data.person;
    auto who = [&] {
        if (by_id_ && person)
            vm.page.push_back(
                page::fields({{core.tr("progress.holder"), pii::mask_name(person->name)}}));
    };
    auto state_word = [&](api::AppState s) {
        return core.tr(std::string("progress.state.") + state_name(s));
    };
    switch (step_) {
        case Step::Start: {
            vm.prompt = core.tr("progress.how");
            vm.page.push_back(page::heading(vm.prompt));
            if (!problem_.empty()) vm.page.push_back(page::notice(core.tr(problem_), Tone::Warn));
            Element c;
            c.kind = Element::Kind::Choices;
            PageRow r;
            r.label = core.tr("progress.by_idcard");
            r.detail = core.tr("progress.by_idcard_hint");
            r.action = intents::by;
            r.arg = "idcard";
            r.enabled = core.device_up("idcard");
            c.rows.push_back(std::move(r));
            vm.page.push_back(std::move(c));
            vm.page.push_back(page::notice(core.tr("progress.by_scan"), Tone::Info,
                                           core.tr("progress.by_scan_hint")));
            break;
        }
        case Step::Card:
            vm.prompt = core.tr("progress.card");
            vm.page.push_back(page::heading(vm.prompt));
            if (card_problem_)
                vm.page.push_back(page::notice(core.tr("progress.card_again"), Tone::Warn));
            break;
        case Step::Loading:
            flows::show_wait(core, vm);
            break;
        case Step::List: {
            vm.prompt = core.tr("progress.choose", {{"n", std::to_string(apps_.size())}});
            vm.page.push_back(page::heading(vm.prompt));
            who();
            Element c;
            c.kind = Element::Kind::Choices;
            for (const auto& a : apps_) {
                PageRow r;
                r.label = pick(core, a.title);
                r.detail = state_word(a.state);
                if (!a.timeline.empty())
                    r.detail += " · " + flows::local_time_text(a.timeline.back().at);
                r.action = intents::open;
                r.arg = a.application_id;
                c.rows.push_back(std::move(r));
            }
            vm.page.push_back(std::move(c));
            break;
        }
        case Step::Detail: {
            const auto& a = apps_[current_];
            vm.prompt = core.tr("progress.now",
                                {{"what", pick(core, a.title)}, {"state", state_word(a.state)}});
            vm.page.push_back(page::heading(pick(core, a.title)));
            who();
            const Tone tone =
                a.state == api::AppState::rejected ? Tone::Warn
                : (a.state == api::AppState::ready || a.state == api::AppState::collected ||
                   a.state == api::AppState::delivered)
                    ? Tone::Good
                    : Tone::Info;
            vm.page.push_back(
                page::notice(core.tr("progress.current", {{"state", state_word(a.state)}}), tone,
                             core.tr(std::string("progress.next.") + state_name(a.state))));
            Element t;
            t.kind = Element::Kind::Timeline;
            for (const auto& e : a.timeline) {
                PageRow r;
                r.label = flows::local_time_text(e.at);
                r.value = pick(core, e.text);
                if (!e.department.empty()) {
                    const std::string key = "progress.dept." + e.department;
                    const std::string name = core.tr(key);
                    if (name != key) r.detail = name;
                }
                r.flag = true;
                t.rows.push_back(std::move(r));
            }
            if (const char* next = next_state(a.state)) {
                PageRow r;
                r.label = core.tr("progress.next_label");
                r.value = core.tr(std::string("progress.state.") + next);
                r.flag = false;
                t.rows.push_back(std::move(r));
            }
            vm.page.push_back(std::move(t));
            vm.page.push_back(page::fields({{core.tr("progress.number"), a.application_id}}));
            vm.actions.push_back(page::button(core.tr("progress.other"), intents::other));
            vm.actions.push_back(page::button(core.tr("flow.done"), intents::done, {}, true));
            break;
        }
        case Step::None:
            vm.prompt = core.tr(none_key_);
            vm.page.push_back(page::notice(vm.prompt, Tone::Info, core.tr("progress.none_hint")));
            vm.actions.push_back(page::button(core.tr("progress.other"), intents::other));
            vm.actions.push_back(page::button(core.tr("flow.done"), intents::done, {}, true));
            break;
        case Step::Failed:
            vm.actions.push_back(page::button(core.tr("progress.other"), intents::other));
            flows::show_failed(core, vm, error_);
            break;
    }
}

}  // namespace

std::unique_ptr<Flow> make_progress_flow() {
    return std::make_unique<ProgressFlow>();
}

}  // namespace kiosk::scenes
