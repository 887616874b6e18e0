// Evaluation (好差评) and the "could not get it done in one visit" complaint.
//
// After every service the flow that served the person calls core.rate(service, transaction):
// five levels (非常满意 … 非常不满意); the bottom two ask for at least one reason; one rating per
// transaction (the core remembers rated transactions for the session, the hall refuses a second
// one with 409). The rating and the complaint go through the outbox: stored on disk before the
// screen says "thank you", delivered when the hall can be reached.
//
// From the home tile (no transaction yet) the person scans the receipt QR code of the service
// they want to rate, or goes to the complaint form. The complaint carries no phone number and no
// free text (no keyboard for Chinese on a kiosk): the person picks what went wrong.
#include "api/requests.hpp"
#include "core/flows/common.hpp"
#include "core/intents.hpp"
#include "core/log.hpp"
#include "core/scenes/scenes.hpp"

namespace kiosk::scenes {
namespace {

constexpr const char* kReasons[] = {"slow",          "attitude",      "materials",
                                    "repeat_visits", "unclear_guide", "device_fault",
                                    "not_one_visit", "other"};
constexpr const char* kProblems[] = {"many_visits", "repeat_materials", "passed_around",
                                     "long_wait",   "system_down",      "unclear_rules"};

class EvaluationFlow final : public Flow {
  public:
    enum class Step { Scan, Level, Reasons, Saving, Thanks, Failed };

    void enter(Core& core) override {
        target_ = core.rating_target();
        if (target_.transaction_id.empty()) {
            step_ = Step::Scan;
            core.camera(true);
        } else {
            step_ = Step::Level;
        }
    }

    bool event(Core& core, const Event& ev) override {
        if (const auto* s = std::get_if<OutboxStored>(&ev)) {
            if (s->tag != save_tag_) return false;
            if (s->ok) {
                core.mark_rated(target_.transaction_id);
                step_ = Step::Thanks;
                log::get("evaluation")
                    ->info("rating stored for {} (level {})", target_.service_id, level_);
            } else {
                error_ = "flow.error.storage";
                step_ = Step::Failed;
            }
            return true;
        }
        if (const auto* code = std::get_if<CodeScanned>(&ev)) {
            if (step_ != Step::Scan) return false;
            if (code->kind == CodeKind::receipt) {
                target_ = {"receipt", code->value};
                scan_problem_.clear();
                step_ = core.already_rated(code->value) ? Step::Thanks : Step::Level;
                core.camera(false);
            } else {
                scan_problem_ = "evaluation.scan_wrong";
            }
            return true;
        }
        const auto* in = std::get_if<Intent>(&ev);
        if (!in) return false;
        const std::string& a = in->action;
        if (a == intents::back && step_ == Step::Reasons) {
            step_ = Step::Level;
            return true;
        }
        if (a == intents::evaluation::complaint) {
            core.go(SceneId::Complaint);
            return true;
        }
        if (a == intents::evaluation::level && step_ == Step::Level) {
            level_ = std::atoi(in->arg.c_str());
            if (level_ < 1 || level_ > 5) return true;
            reasons_.clear();
            if (level_ >= 4) {
                step_ = Step::Reasons;
            } else {
                save(core);
            }
            return true;
        }
        if (a == intents::evaluation::reason && step_ == Step::Reasons) {
            auto it = std::find(reasons_.begin(), reasons_.end(), in->arg);
            if (it != reasons_.end())
                reasons_.erase(it);
            else
                for (const char* r : kReasons)
                    if (in->arg == r) reasons_.push_back(in->arg);
            return true;
        }
        if (a == intents::submit && step_ == Step::Reasons) {
            if (!reasons_.empty()) save(core);
            return true;
        }
        if (a == intents::retry && step_ == Step::Failed) {
            save(core);
            return true;
        }
        if (a == intents::done && (step_ == Step::Thanks || step_ == Step::Failed)) {
            core.go(SceneId::Home);
            return true;
        }
        return false;
    }

    void fill(const Core& core, ViewModel& vm) const override {
        vm.title = core.tr("service.evaluation.title");
        vm.can_go_back = true;
        switch (step_) {
            case Step::Scan:
                vm.prompt = core.tr("evaluation.scan");
                vm.page.push_back(page::heading(vm.prompt));
                if (!scan_problem_.empty())
                    vm.page.push_back(page::notice(core.tr(scan_problem_), Tone::Warn));
                {
                    Element cam;
                    cam.kind = Element::Kind::Camera;
                    cam.text = core.tr("evaluation.scan_hint");
                    vm.page.push_back(std::move(cam));
                }
                vm.actions.push_back(page::button(core.tr("evaluation.to_complaint"),
                                                  intents::evaluation::complaint));
                break;
            case Step::Level: {
                vm.prompt = core.tr("evaluation.ask");
                vm.page.push_back(page::heading(vm.prompt));
                if (!target_.service_id.empty() && target_.service_id != "receipt")
                    vm.page.push_back(
                        page::fields({{core.tr("evaluation.service"),
                                       core.tr("service." + target_.service_id + ".title")}}));
                Element r;
                r.kind = Element::Kind::Rating;
                for (int level = 1; level <= 5; ++level) {
                    PageRow row;
                    row.label = core.tr("evaluation.level." + std::to_string(level));
                    row.action = intents::evaluation::level;
                    row.arg = std::to_string(level);
                    row.flag = level == level_;
                    r.rows.push_back(std::move(row));
                }
                vm.page.push_back(std::move(r));
                break;
            }
            case Step::Reasons: {
                vm.prompt = core.tr("evaluation.why");
                vm.page.push_back(page::heading(vm.prompt));
                vm.page.push_back(page::text(core.tr("evaluation.why_hint")));
                Element c;
                c.kind = Element::Kind::Choices;
                c.columns = 2;
                for (const char* id : kReasons) {
                    PageRow row;
                    row.label = core.tr(std::string("evaluation.reason.") + id);
                    row.action = intents::evaluation::reason;
                    row.arg = id;
                    row.flag = std::find(reasons_.begin(), reasons_.end(), id) != reasons_.end();
                    c.rows.push_back(std::move(row));
                }
                vm.page.push_back(std::move(c));
                vm.actions.push_back(page::button(core.tr("evaluation.submit"), intents::submit, {},
                                                  true, !reasons_.empty()));
                break;
            }
            case Step::Saving:
                flows::show_wait(core, vm);
                break;
            case Step::Thanks:
                vm.prompt = core.tr("evaluation.thanks");
                vm.page.push_back(
                    page::notice(vm.prompt, Tone::Good, core.tr("evaluation.thanks_detail")));
                vm.actions.push_back(page::button(core.tr("flow.done"), intents::done, {}, true));
                break;
            case Step::Failed:
                flows::show_failed(core, vm, error_);
                vm.actions.push_back(page::button(core.tr("flow.done"), intents::done));
                break;
        }
    }

  private:
    void save(Core& core) {
        const api::Request r = api::req::evaluation(target_.transaction_id, level_, reasons_, {});
        if (!r.invalid.empty()) {
            error_ = "flow.error.invalid";
            step_ = Step::Failed;
            return;
        }
        step_ = Step::Saving;
        save_tag_ = core.outbox("evaluation.submitted", r.body);
    }

    Step step_ = Step::Level;
    Core::Rating target_;
    int level_ = 0;
    std::vector<std::string> reasons_;
    std::uint64_t save_tag_ = 0;
    std::string error_, scan_problem_;
};

class ComplaintFlow final : public Flow {
  public:
    enum class Step { Choose, Saving, Done, Failed };

    bool event(Core& core, const Event& ev) override {
        if (const auto* s = std::get_if<OutboxStored>(&ev)) {
            if (s->tag != save_tag_) return false;
            step_ = s->ok ? Step::Done : Step::Failed;
            if (s->ok) log::get("complaint")->info("complaint stored");
            return true;
        }
        const auto* in = std::get_if<Intent>(&ev);
        if (!in) return false;
        if (in->action == intents::complaint::problem && step_ == Step::Choose) {
            auto it = std::find(chosen_.begin(), chosen_.end(), in->arg);
            if (it != chosen_.end())
                chosen_.erase(it);
            else
                for (const char* p : kProblems)
                    if (in->arg == p) chosen_.push_back(in->arg);
            return true;
        }
        if ((in->action == intents::submit && step_ == Step::Choose && !chosen_.empty()) ||
            (in->action == intents::retry && step_ == Step::Failed)) {
            // The hall reads the complaint in Chinese; the categories travel as words it knows.
            std::string text;
            for (const auto& p : chosen_) {
                if (!text.empty()) text += ";";
                text += core.tr_in("zh-CN", "complaint.problem." + p);
            }
            const api::Request r =
                api::req::complaint(api::ComplaintCategory::not_done_in_one_visit, text);
            if (!r.invalid.empty()) {
                step_ = Step::Failed;
                return true;
            }
            step_ = Step::Saving;
            save_tag_ = core.outbox("complaint.submitted", r.body);
            return true;
        }
        if (in->action == intents::done) {
            core.go(SceneId::Home);
            return true;
        }
        return false;
    }

    void fill(const Core& core, ViewModel& vm) const override {
        vm.title = core.tr("complaint.title");
        vm.can_go_back = true;
        switch (step_) {
            case Step::Choose: {
                vm.prompt = core.tr("complaint.ask");
                vm.page.push_back(page::heading(vm.prompt));
                vm.page.push_back(page::text(core.tr("complaint.explain")));
                Element c;
                c.kind = Element::Kind::Choices;
                c.columns = 1;
                for (const char* id : kProblems) {
                    PageRow row;
                    row.label = core.tr(std::string("complaint.problem.") + id);
                    row.action = intents::complaint::problem;
                    row.arg = id;
                    row.flag = std::find(chosen_.begin(), chosen_.end(), id) != chosen_.end();
                    c.rows.push_back(std::move(row));
                }
                vm.page.push_back(std::move(c));
                vm.actions.push_back(page::button(core.tr("complaint.submit"), intents::submit, {},
                                                  true, !chosen_.empty()));
                break;
            }
            case Step::Saving:
                flows::show_wait(core, vm);
                break;
            case Step::Done:
                vm.prompt = core.tr("complaint.done");
                vm.page.push_back(
                    page::notice(vm.prompt, Tone::Good, core.tr("complaint.done_detail")));
                vm.page.push_back(page::qr("ESTN:GUIDE:complaint", core.tr("complaint.qr")));
                vm.actions.push_back(page::button(core.tr("flow.done"), intents::done, {}, true));
                break;
            case Step::Failed:
                vm.prompt = core.tr("flow.error.storage");
                vm.page.push_back(page::notice(vm.prompt, Tone::Bad, core.tr("flow.error.hint")));
                vm.actions.push_back(page::button(core.tr("flow.retry"), intents::retry, {}, true));
                break;
        }
    }

  private:
    Step step_ = Step::Choose;
    std::vector<std::string> chosen_;
    std::uint64_t save_tag_ = 0;
};

}  // namespace

std::unique_ptr<Flow> make_evaluation_flow() {
    return std::make_unique<EvaluationFlow>();
}
std::unique_ptr<Flow> make_complaint_flow() {
    return std::make_unique<ComplaintFlow>();
}

}  // namespace kiosk::scenes
