// Queue ticket (取号): pick the business, optionally leave a mobile number for an SMS when called,
// get a number with the people ahead, and the printed ticket with its QR code.
//
// Steps: loading the hall's services → choose → phone? → (keypad) → taking → done.
// The printer being out is not a dead end: the number stays on screen with its QR code.
#include "api/requests.hpp"
#include "core/flows/common.hpp"
#include "core/intents.hpp"
#include "core/log.hpp"
#include "core/pii.hpp"
#include "core/scenes/scenes.hpp"

namespace kiosk::scenes {
namespace {

using flows::pick;

class TicketFlow final : public Flow {
  public:
    enum class Step { Loading, Choose, AskPhone, Phone, Taking, Done, Failed };

    void enter(Core& core) override { load(core); }

    bool event(Core& core, const Event& ev) override {
        if (const auto* r = std::get_if<HallReply>(&ev)) return reply(core, *r);
        if (const auto* p = std::get_if<PrintDone>(&ev)) {
            if (p->tag != print_tag_) return false;
            printed_ = p->ok ? 1 : -1;
            print_reason_ = p->reason;
            return true;
        }
        const auto* in = std::get_if<Intent>(&ev);
        if (!in) return false;
        const std::string& a = in->action;
        if (a == intents::back) {
            switch (step_) {
                case Step::AskPhone:
                    step_ = Step::Choose;
                    return true;
                case Step::Phone:
                    secure_wipe(core.session_mut().data.phone);
                    step_ = Step::AskPhone;
                    return true;
                default:
                    return false;  // leave the flow
            }
        }
        if (a == intents::pick && step_ == Step::Choose) {
            for (const auto& s : services_)
                if (s.id == in->arg) {
                    service_ = s;
                    step_ = Step::AskPhone;
                }
            return true;
        }
        if (a == intents::ticket::sms && step_ == Step::AskPhone) {
            step_ = in->arg == "yes" ? Step::Phone : (take(core), Step::Taking);
            phone_error_ = false;
            return true;
        }
        if (a == intents::key && step_ == Step::Phone) {
            auto& phone = core.session_mut().data.phone;
            if (in->arg == "ok") {
                if (!flows::valid_mobile(phone)) {
                    phone_error_ = true;
                    return true;
                }
                log::add_redaction(phone);
                take(core);
                step_ = Step::Taking;
            } else if (flows::keypad_edit(phone, in->arg, 11)) {
                phone_error_ = false;
            }
            return true;
        }
        if (a == intents::retry && step_ == Step::Failed) {
            if (services_.empty()) {
                load(core);
            } else {
                take(core);
                step_ = Step::Taking;
            }
            return true;
        }
        if (a == intents::reprint && step_ == Step::Done) {
            print(core);
            return true;
        }
        if (a == intents::done && step_ == Step::Done) {
            // The service as the home screen names it (its catalog tile "queue"): the rating
            // page shows its title, "service.<id>.title".
            core.rate("queue", ticket_.ticket_id);
            return true;
        }
        return false;
    }

    void fill(const Core& core, ViewModel& vm) const override {
        vm.title = core.tr("service.queue.title");
        vm.can_go_back = true;
        switch (step_) {
            case Step::Loading:
            case Step::Taking:
                flows::show_wait(core, vm);
                break;
            case Step::Choose: {
                vm.prompt = core.tr("ticket.choose");
                vm.page.push_back(page::heading(vm.prompt));
                Element c;
                c.kind = Element::Kind::Choices;
                c.columns = 1;
                for (const auto& s : services_) {
                    PageRow r;
                    r.label = pick(core, s.title);
                    if (s.description) r.detail = pick(core, *s.description);
                    r.action = intents::pick;
                    r.arg = s.id;
                    c.rows.push_back(std::move(r));
                }
                vm.page.push_back(std::move(c));
                break;
            }
            case Step::AskPhone:
                vm.prompt = core.tr("ticket.ask_phone");
                vm.page.push_back(
                    page::fields({{core.tr("ticket.business"), pick(core, service_.title)}}));
                vm.page.push_back(page::heading(vm.prompt));
                vm.page.push_back(page::text(core.tr("ticket.phone_why")));
                vm.actions.push_back(
                    page::button(core.tr("ticket.sms_no"), intents::ticket::sms, "no", true));
                vm.actions.push_back(
                    page::button(core.tr("ticket.sms_yes"), intents::ticket::sms, "yes"));
                break;
            case Step::Phone: {
                const auto& phone = core.session().data.phone;
                vm.prompt = phone_error_ ? core.tr("ticket.phone_bad") : core.tr("ticket.phone");
                vm.page.push_back(page::heading(core.tr("ticket.phone")));
                if (phone_error_)
                    vm.page.push_back(page::notice(core.tr("ticket.phone_bad"), Tone::Bad));
                vm.page.push_back(page::keypad(phone, core.tr("ticket.phone_hint")));
                break;
            }
            case Step::Done: {
                vm.prompt = core.tr("ticket.done", {{"n", ticket_.number},
                                                    {"k", std::to_string(ticket_.waiting_ahead)}});
                Element big = page::heading(ticket_.number);
                big.id = "ticket_number";
                big.detail = core.tr("ticket.your_number");
                vm.page.push_back(std::move(big));
                std::vector<std::pair<std::string, std::string>> rows = {
                    {core.tr("ticket.business"), pick(core, service_.title)},
                    {core.tr("ticket.ahead"),
                     core.tr("ticket.people", {{"k", std::to_string(ticket_.waiting_ahead)}})}};
                if (ticket_.estimated_wait_min)
                    rows.push_back({core.tr("ticket.wait"),
                                    core.tr("ticket.minutes",
                                            {{"m", std::to_string(*ticket_.estimated_wait_min)}})});
                if (!core.session().data.phone.empty())
                    rows.push_back(
                        {core.tr("ticket.sms_to"), pii::mask_phone(core.session().data.phone)});
                vm.page.push_back(page::fields(std::move(rows)));
                if (printed_ == 0)
                    vm.page.push_back(page::notice(core.tr("ticket.printing"), Tone::Info));
                else if (printed_ > 0)
                    vm.page.push_back(page::notice(core.tr("ticket.printed"), Tone::Good));
                else
                    vm.page.push_back(
                        page::notice(core.tr("ticket.print_failed"), Tone::Warn,
                                     core.tr(flows::print_reason_key(print_reason_))));
                vm.page.push_back(page::qr(status_link(), core.tr("ticket.qr")));
                if (printed_ < 0)
                    vm.actions.push_back(page::button(core.tr("ticket.reprint"), intents::reprint));
                vm.actions.push_back(page::button(core.tr("flow.done"), intents::done, {}, true));
                break;
            }
            case Step::Failed:
                flows::show_failed(core, vm, error_);
                break;
        }
    }

    void wipe() override { phone_error_ = false; }

  private:
    void load(Core& core) {
        step_ = Step::Loading;
        catalog_tag_ = core.hall(api::req::catalog());
    }

    void take(Core& core) {
        take_tag_ = core.hall(
            api::req::ticket_take(service_.id, core.config().kiosk.id, core.session().data.phone));
    }

    void print(Core& core) {
        printed_ = 0;
        print_tag_ =
            core.print("queue_ticket", {{"hall", core.config().kiosk.hall_name.get(core.lang())},
                                        {"ticket", ticket_.number},
                                        {"service", pick(core, service_.title)},
                                        {"waiting", std::to_string(ticket_.waiting_ahead)},
                                        {"time", core.clock_text()},
                                        {"status_url", status_link()}});
    }

    std::string status_link() const { return "ESTN:TICKET:" + ticket_.ticket_id; }

    bool reply(Core& core, const HallReply& r) {
        if (r.tag == catalog_tag_) {
            if (!r.response.result.ok()) {
                error_ = flows::error_key(r.response.result.error());
                step_ = Step::Failed;
                return true;
            }
            const auto& cat = std::get<api::Catalog>(r.response.result.value());
            services_.clear();
            // Counter businesses: the services with a one-thing guide, i.e. done at a window.
            for (const auto& s : cat.services)
                if (!s.guide_id.empty()) services_.push_back(s);
            if (services_.empty()) services_ = cat.services;
            step_ = Step::Choose;
            return true;
        }
        if (r.tag == take_tag_) {
            if (!r.response.result.ok()) {
                error_ = flows::error_key(r.response.result.error());
                step_ = Step::Failed;
                return true;
            }
            ticket_ = std::get<api::Ticket>(r.response.result.value());
            log::get("ticket")->info("ticket taken for {}", service_.id);
            step_ = Step::Done;
            if (core.device_up("printer"))
                print(core);
            else {
                printed_ = -1;
                print_reason_ = PrintFailure::offline;
            }
            return true;
        }
        return false;
    }

    Step step_ = Step::Loading;
    std::uint64_t catalog_tag_ = 0, take_tag_ = 0, print_tag_ = 0;
    std::vector<api::Service> services_;
    api::Service service_;
    api::Ticket ticket_;
    bool phone_error_ = false;
    int printed_ = 0;  // 0 printing, 1 printed, -1 failed
    PrintFailure print_reason_ = PrintFailure::none;
    std::string error_;
};

}  // namespace

std::unique_ptr<Flow> make_ticket_flow() {
    return std::make_unique<TicketFlow>();
}

}  // namespace kiosk::scenes
