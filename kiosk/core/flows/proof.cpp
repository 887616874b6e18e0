// Proof self-printing (证明打印): the person shows who they are with the ID card, picks one of
// their applications and the kind of proof (acceptance receipt, completion certificate, payment
// receipt); the hall issues it as a PDF and the A4 printer prints it. The job is followed to the
// end: paper out (or a jam) keeps the job, staff are called, and it prints when paper is loaded.
//
// Steps: Card → Loading → Choose → Kind → Working (issue + download) → Printing → Printed;
//        Held (printer fault, job kept), None (no applications), Failed.
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

constexpr const char* kKinds[] = {"acceptance_receipt", "completion_certificate",
                                  "payment_receipt"};

api::ProofKind kind_of(std::string_view k) {
    if (k == "completion_certificate") return api::ProofKind::completion_certificate;
    if (k == "payment_receipt") return api::ProofKind::payment_receipt;
    return api::ProofKind::acceptance_receipt;
}

class ProofFlow final : public Flow {
  public:
    enum class Step { Card, Loading, Choose, Kind, Working, Printing, Held, Printed, None, Failed };

    void enter(Core& core) override {
        const auto& p = core.session().data.person;
        if (p && !p->id_number.empty())
            lookup(core);
        else
            step_ = Step::Card;
    }

    bool event(Core& core, const Event& ev) override {
        if (const auto* r = std::get_if<HallReply>(&ev)) return reply(core, *r);
        if (const auto* p = std::get_if<PrintDone>(&ev)) return printed(core, *p);
        if (const auto* c = std::get_if<CardRead>(&ev)) {
            if (step_ != Step::Card) return false;
            flows::take_person(core, c->person);
            lookup(core);
            return true;
        }
        if (std::holds_alternative<CardReadFailed>(ev) && step_ == Step::Card) {
            card_problem_ = true;
            return true;
        }
        const auto* in = std::get_if<Intent>(&ev);
        if (!in) return false;
        const std::string& a = in->action;
        if (a == intents::back) {
            switch (step_) {
                case Step::Kind:
                    step_ = Step::Choose;
                    return true;
                case Step::Failed:
                    step_ = apps_.empty() ? Step::Card : Step::Kind;
                    return true;
                case Step::Working:
                    core.hall_cancel(tag_);
                    tag_ = 0;
                    step_ = Step::Kind;
                    return true;
                case Step::Printing:
                    return true;  // a page is on its way out: wait for it
                default:
                    return false;
            }
        }
        if (a == intents::proof::app && step_ == Step::Choose) {
            for (std::size_t i = 0; i < apps_.size(); ++i)
                if (apps_[i].application_id == in->arg) {
                    app_ = i;
                    step_ = Step::Kind;
                }
            return true;
        }
        if (a == intents::proof::kind && step_ == Step::Kind) {
            for (const char* k : kKinds)
                if (in->arg == k) {
                    kind_ = k;
                    request(core);
                }
            return true;
        }
        if (a == intents::retry && step_ == Step::Failed) {
            retry(core);
            return true;
        }
        if (a == intents::proof::another && step_ == Step::Printed) {
            step_ = Step::Choose;
            return true;
        }
        if (a == intents::done && step_ == Step::Printed) {
            core.rate("proof", proof_.proof_id);
            return true;
        }
        if (a == intents::proof::later &&
            (step_ == Step::Held || step_ == Step::None || step_ == Step::Failed)) {
            core.go(SceneId::Home);
            return true;
        }
        return false;
    }

    void fill(const Core& core, ViewModel& vm) const override;

    bool busy() const override {
        return step_ == Step::Working || step_ == Step::Printing || step_ == Step::Held;
    }

    void wipe() override {
        secure_wipe(pdf_);
        apps_.clear();
    }

  private:
    void lookup(Core& core) {
        step_ = Step::Loading;
        retry_at_ = Step::Loading;
        tag_ = core.hall(api::req::application_lookup(core.session().data.person->id_number));
    }

    void request(Core& core) {
        if (!core.device_up("a4_printer")) {
            fail("proof.printer_down", Step::Kind);
            return;
        }
        secure_wipe(pdf_);
        step_ = Step::Working;
        retry_at_ = Step::Working;
        tag_ = core.hall(api::req::proof_request(kind_of(kind_), apps_[app_].application_id));
    }

    void print(Core& core) {
        step_ = Step::Printing;
        retry_at_ = Step::Printing;
        print_reason_ = PrintFailure::none;
        print_tag_ = core.print_pdf(pdf_, "proof-" + proof_.proof_id);
    }

    void retry(Core& core) {
        switch (retry_at_) {
            case Step::Loading:
                if (core.session().data.person)
                    lookup(core);
                else
                    step_ = Step::Card;
                break;
            case Step::Printing:
                if (!pdf_.empty()) {
                    print(core);
                    break;
                }
                [[fallthrough]];
            default:
                request(core);
        }
    }

    void fail(std::string key, Step retry_at) {
        error_ = std::move(key);
        retry_at_ = retry_at;
        step_ = Step::Failed;
    }

    bool reply(Core& core, const HallReply& r) {
        if (r.tag != tag_ || !tag_) return false;
        tag_ = 0;
        const auto& res = r.response.result;
        if (!res.ok()) {
            const auto& e = res.error();
            if (r.response.op == api::Op::application_lookup &&
                e.kind == api::ErrorKind::not_found) {
                step_ = Step::None;
                return true;
            }
            fail(flows::error_key(e), retry_at_);
            return true;
        }
        if (const auto* list = std::get_if<api::ApplicationList>(&res.value())) {
            apps_ = list->applications;
            app_ = 0;
            step_ = apps_.empty() ? Step::None : Step::Choose;
            return true;
        }
        if (const auto* p = std::get_if<api::Proof>(&res.value())) {
            proof_ = *p;
            tag_ = core.hall(api::req::proof_pdf(proof_.proof_id));
            return true;
        }
        if (const auto* pdf = std::get_if<api::ProofPdf>(&res.value())) {
            pdf_ = pdf->bytes;
            log::get("proof")->info("proof {} ready ({} bytes)", proof_.proof_id, pdf_.size());
            if (!core.device_up("a4_printer")) {
                fail("proof.printer_down", Step::Printing);
                return true;
            }
            print(core);
            return true;
        }
        fail("flow.error.failed", retry_at_);
        return true;
    }

    bool printed(Core& core, const PrintDone& p) {
        if (p.tag != print_tag_ || !print_tag_) return false;
        if (p.ok) {
            step_ = Step::Printed;
            secure_wipe(pdf_);
            log::get("proof")->info("proof {} printed", proof_.proof_id);
            return true;
        }
        print_reason_ = p.reason;
        if (p.held) {
            // The printer keeps the job and prints it when the fault is cleared; staff come.
            if (step_ != Step::Held) core.call_staff("proof." + std::string(to_string(p.reason)));
            step_ = Step::Held;
        } else {
            fail("proof.print_failed", Step::Printing);
        }
        return true;
    }

    Step step_ = Step::Card;
    Step retry_at_ = Step::Loading;
    bool card_problem_ = false;
    std::vector<api::Application> apps_;
    std::size_t app_ = 0;
    std::string kind_ = kKinds[0];
    api::Proof proof_;
    std::string pdf_;
    std::uint64_t tag_ = 0, print_tag_ = 0;
    std::string error_;
    PrintFailure print_reason_ = PrintFailure::none;
};

void ProofFlow::fill(const Core& core, ViewModel& vm) const {
    vm.title = core.tr("service.proof.title");
    vm.can_go_back = true;
    const auto& person = core.session().data.person;
    switch (step_) {
        case Step::Card:
            vm.prompt = core.tr("proof.card");
            vm.page.push_back(page::heading(vm.prompt));
            if (card_problem_)
                vm.page.push_back(page::notice(core.tr("proof.card_again"), Tone::Warn));
            vm.page.push_back(page::text(core.tr("proof.card_why")));
            break;
        case Step::Loading:
        case Step::Working:
            vm.prompt = step_ == Step::Working ? core.tr("proof.working") : core.tr("flow.wait");
            vm.page.push_back(page::text(vm.prompt));
            break;
        case Step::Choose: {
            vm.prompt = core.tr("proof.choose");
            vm.page.push_back(page::heading(vm.prompt));
            if (person)
                vm.page.push_back(
                    page::fields({{core.tr("proof.holder"), pii::mask_name(person->name)}}));
            Element c;
            c.kind = Element::Kind::Choices;
            for (const auto& a : apps_) {
                PageRow r;
                r.label = pick(core, a.title);
                r.detail = a.application_id;
                if (!a.timeline.empty())
                    r.detail += " · " + flows::local_time_text(a.timeline.front().at);
                r.action = intents::proof::app;
                r.arg = a.application_id;
                c.rows.push_back(std::move(r));
            }
            vm.page.push_back(std::move(c));
            break;
        }
        case Step::Kind: {
            vm.prompt = core.tr("proof.kind");
            vm.page.push_back(page::heading(vm.prompt));
            vm.page.push_back(
                page::fields({{core.tr("proof.application"), pick(core, apps_[app_].title)}}));
            Element c;
            c.kind = Element::Kind::Choices;
            for (const char* k : kKinds) {
                PageRow r;
                r.label = core.tr(std::string("proof.kinds.") + k);
                r.detail = core.tr(std::string("proof.kinds.") + k + "_hint");
                r.action = intents::proof::kind;
                r.arg = k;
                c.rows.push_back(std::move(r));
            }
            vm.page.push_back(std::move(c));
            break;
        }
        case Step::Printing: {
            vm.prompt = core.tr("proof.printing");
            vm.page.push_back(page::heading(vm.prompt));
            Element p;
            p.kind = Element::Kind::Progress;
            p.value = 0;
            p.max = std::max(1, proof_.pages);
            p.text = core.tr("proof.pages", {{"n", std::to_string(std::max(1, proof_.pages))}});
            vm.page.push_back(std::move(p));
            vm.page.push_back(page::text(core.tr("proof.printing_hint")));
            break;
        }
        case Step::Held:
            vm.prompt = core.tr("proof.held");
            vm.page.push_back(page::notice(
                vm.prompt, Tone::Warn,
                core.tr(flows::print_reason_key(print_reason_)) + " " +
                    core.tr(print_reason_ == PrintFailure::paper_out ? "proof.held_paper"
                                                                     : "proof.held_detail")));
            vm.actions.push_back(page::button(core.tr("proof.later"), intents::proof::later));
            break;
        case Step::Printed:
            vm.prompt = core.tr("proof.printed");
            vm.page.push_back(page::notice(vm.prompt, Tone::Good, core.tr("proof.printed_detail")));
            vm.page.push_back(page::fields(
                {{core.tr("proof.application"), pick(core, apps_[app_].title)},
                 {core.tr("proof.what"), core.tr(std::string("proof.kinds.") + kind_)}}));
            vm.actions.push_back(page::button(core.tr("proof.another"), intents::proof::another));
            vm.actions.push_back(page::button(core.tr("flow.done"), intents::done, {}, true));
            break;
        case Step::None:
            vm.prompt = core.tr("proof.none");
            vm.page.push_back(page::notice(vm.prompt, Tone::Info, core.tr("proof.none_hint")));
            vm.actions.push_back(
                page::button(core.tr("flow.done"), intents::proof::later, {}, true));
            break;
        case Step::Failed:
            vm.prompt = core.tr(error_);
            vm.page.push_back(
                page::notice(vm.prompt, Tone::Bad,
                             (print_reason_ == PrintFailure::none || error_ != "proof.print_failed"
                                  ? std::string()
                                  : core.tr(flows::print_reason_key(print_reason_)) + " ") +
                                 core.tr("flow.error.hint")));
            vm.actions.push_back(page::button(core.tr("proof.later"), intents::proof::later));
            vm.actions.push_back(page::button(core.tr("flow.retry"), intents::retry, {}, true));
            break;
    }
}

}  // namespace

std::unique_ptr<Flow> make_proof_flow() {
    return std::make_unique<ProofFlow>();
}

}  // namespace kiosk::scenes
