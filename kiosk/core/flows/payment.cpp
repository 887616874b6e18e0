// Fee payment (扫码缴费): find the bill by its payment notice number (keypad, or the notice's QR
// at the scanner) or by ID card (the person's unpaid bills), show it, show the hall's payment QR
// with a countdown to its expiry, poll the order every 2 s until it is paid, print the receipt,
// then the rating.
//
// Steps: Start → (Keypad | Card) → Finding → (List) → Order → Paying → Paid
//                                                         ↘ ConfirmLeave / Checking → NotPaid
//                                                                                  → Unconfirmed
// No payment is ever left unexplained:
// - at the QR's expiry the flow stops polling and asks the hall once more (a payment may land in
//   the last second), then says "not paid, nothing was taken" or shows the receipt;
// - back / home / finish while the payment is pending ask first; leaving anyway checks the order
//   once more and shows the result;
// - if the flow is left while the state is still unknown (inactivity timeout, or the hall does
//   not answer the last check) the order is recorded in the outbox as "payment.abandoned" so
//   staff can follow it.
// The notice number is personal data: it is masked on screen and never logged.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>

#include "api/requests.hpp"
#include "core/flows/common.hpp"
#include "core/flows/hall_time.hpp"
#include "core/intents.hpp"
#include "core/log.hpp"
#include "core/pii.hpp"
#include "core/scenes/scenes.hpp"
#include "codes/check_digit.hpp"

namespace kiosk::scenes {
namespace {

using flows::pick;

constexpr std::int64_t kPollMs = 2000;
constexpr std::size_t kNoticeDigits = 20;

// "4306 2026 1100 0000 0017" (readable in groups of four as typed).
std::string grouped(const std::string& digits) {
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && i % 4 == 0) out += ' ';
        out += digits[i];
    }
    return out;
}

std::string amount_plain(std::int64_t fen) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(fen / 100),
                  static_cast<long long>(fen % 100));
    return buf;
}

std::string json_str(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out + "\"";
}

// The notice number on screen: its last four digits only ("尾号 0014").
std::string notice_tail(const Core& core, const std::string& n) {
    return core.tr("payment.notice_tail", {{"d", n.size() > 4 ? n.substr(n.size() - 4) : n}});
}

const char* status_name(api::OrderStatus s) {
    switch (s) {
        case api::OrderStatus::unpaid:
            return "unpaid";
        case api::OrderStatus::pending:
            return "pending";
        case api::OrderStatus::paid:
            return "paid";
        case api::OrderStatus::expired:
            return "expired";
        case api::OrderStatus::cancelled:
            return "cancelled";
    }
    return "unknown";
}

class PaymentFlow final : public Flow {
  public:
    enum class Step {
        Start,         // how to find the bill (scanning works here too)
        Keypad,        // type the notice number
        Card,          // place the ID card
        Finding,       // waiting for the hall (lookup or QR)
        List,          // several unpaid bills: pick one
        Order,         // the bill: title, amount, notice (masked)
        Paying,        // the payment QR, countdown, polling
        ConfirmLeave,  // leaving while pending: asked first
        Checking,      // the last check (expiry or leaving anyway)
        Paid,          // paid: the receipt prints
        AlreadyPaid,   // the bill found was paid before
        NotPaid,       // the time ran out (or the person left) and nothing was paid
        Unconfirmed,   // the hall could not say: recorded for staff
        Failed,        // a lookup failed: say why, another way
    };

    void enter(Core& core) override {
        step_ = Step::Start;
        core.camera(true);
    }

    bool event(Core& core, const Event& ev) override {
        if (const auto* t = std::get_if<Tick>(&ev)) return tick(core, t->now_ms);
        if (const auto* r = std::get_if<HallReply>(&ev)) return reply(core, *r);
        if (const auto* p = std::get_if<PrintDone>(&ev)) {
            if (p->tag != print_tag_ || !print_tag_) return false;
            // A held job (paper out) would print only after the session: this person has no
            // receipt now, so it counts as not printed and they are told where to get one.
            printed_ = p->ok ? 1 : -1;
            print_reason_ = p->reason;
            return true;
        }
        if (const auto* s = std::get_if<OutboxStored>(&ev)) return s->tag == record_tag_;
        if (const auto* d = std::get_if<DeviceAvailability>(&ev)) {
            if (d->device == "hall" && pending()) hall_trouble_ = !d->up;
            return false;
        }
        if (const auto* c = std::get_if<CodeScanned>(&ev)) return scanned(core, *c);
        if (const auto* c = std::get_if<CardRead>(&ev)) return card(core, *c);
        if (std::holds_alternative<CardReadFailed>(ev) && step_ == Step::Card) {
            card_problem_ = true;
            return true;
        }
        const auto* in = std::get_if<Intent>(&ev);
        if (!in) return false;
        return intent(core, *in);
    }

    void fill(const Core& core, ViewModel& vm) const override;

    bool busy() const override {
        return pending() || (step_ == Step::Paid && printed_ == 0 && print_tag_ != 0);
    }

    std::int64_t next_wakeup_ms() const override {
        if (step_ != Step::Paying && step_ != Step::ConfirmLeave)
            return std::numeric_limits<std::int64_t>::max();
        // The countdown's next second, the next poll, the expiry.
        const std::int64_t left = deadline_ms_ - now_ms_;
        const std::int64_t next_second = left > 0 ? now_ms_ + ((left - 1) % 1000) + 1 : now_ms_;
        return std::min({next_poll_ms_, next_second, deadline_ms_});
    }

    void leave(Core& core) override {
        if (pending()) record(core, step_ == Step::Checking ? "left_during_check" : "left");
    }

    void wipe() override {
        secure_wipe(typed_);
        secure_wipe(lookup_);
        for (auto& o : orders_) secure_wipe(o.notice_number);
        secure_wipe(order_.notice_number);
        orders_.clear();
    }

  private:
    // The payment may be under way: a QR was issued and no final answer came yet.
    bool pending() const {
        return step_ == Step::Paying || step_ == Step::ConfirmLeave || step_ == Step::Checking;
    }

    bool intent(Core& core, const Intent& in) {
        const std::string& a = in.action;
        if (a == intents::back || a == intents::home || a == intents::finish) {
            if (step_ == Step::Paying) {
                leave_action_ = a;
                step_ = Step::ConfirmLeave;
                return true;
            }
            if (step_ == Step::ConfirmLeave) {
                if (a == intents::back) {
                    step_ = Step::Paying;
                    return true;
                }
                leave_anyway(core);
                return true;
            }
            if (step_ == Step::Checking) return true;  // a second or two: the answer is coming
            if (a != intents::back) return false;
            switch (step_) {
                case Step::Keypad:
                case Step::Card:
                case Step::Failed:
                case Step::AlreadyPaid:
                    to_start(core);
                    return true;
                case Step::Finding:
                    core.hall_cancel(lookup_tag_);
                    lookup_tag_ = 0;
                    to_start(core);
                    return true;
                case Step::List:
                    to_start(core);
                    return true;
                case Step::Order:
                    if (orders_.size() > 1)
                        step_ = Step::List;
                    else
                        to_start(core);
                    return true;
                default:
                    return false;
            }
        }
        if (a == intents::by && step_ == Step::Start) {
            if (in.arg == "number") {
                secure_wipe(typed_);
                problem_.clear();
                step_ = Step::Keypad;
            } else if (in.arg == "idcard") {
                card_problem_ = false;
                step_ = Step::Card;
                const auto& person = core.session().data.person;
                if (person && !person->id_number.empty()) find_by_id(core, person->id_number);
            }
            return true;
        }
        if (a == intents::key && step_ == Step::Keypad) {
            if (in.arg == "ok") {
                if (typed_.size() != kNoticeDigits) {
                    problem_ = "payment.number_short";
                } else if (!codes::payment_notice_valid(typed_)) {
                    problem_ = "payment.number_wrong";
                } else {
                    problem_.clear();
                    find_by_notice(core, typed_);
                }
            } else if (flows::keypad_edit(typed_, in.arg, kNoticeDigits)) {
                problem_.clear();
            }
            return true;
        }
        if (a == intents::pick && step_ == Step::List) {
            for (const auto& o : orders_)
                if (o.order_id == in.arg) show_order(core, o);
            return true;
        }
        if (a == intents::payment::pay && (step_ == Step::Order || step_ == Step::NotPaid)) {
            request_qr(core);
            return true;
        }
        if (a == intents::retry && step_ == Step::Failed) {
            retry_(core);
            return true;
        }
        if (a == intents::other && (step_ == Step::Failed || step_ == Step::NotPaid ||
                                    step_ == Step::AlreadyPaid || step_ == Step::Unconfirmed)) {
            to_start(core);
            return true;
        }
        if (a == intents::payment::stay && step_ == Step::ConfirmLeave) {
            step_ = Step::Paying;
            return true;
        }
        if (a == intents::payment::leave_anyway && step_ == Step::ConfirmLeave) {
            leave_anyway(core);
            return true;
        }
        if (a == intents::reprint && step_ == Step::Paid && printed_ < 0) {
            print(core);
            return true;
        }
        if (a == intents::done) {
            if (step_ == Step::Paid) {
                core.rate("payment", order_.order_id);
                return true;
            }
            if (step_ == Step::NotPaid || step_ == Step::AlreadyPaid ||
                step_ == Step::Unconfirmed || step_ == Step::Failed) {
                core.go(SceneId::Home);
                return true;
            }
        }
        return false;
    }

    void to_start(Core& core) {
        step_ = Step::Start;
        problem_.clear();
        core.camera(true);
    }

    bool scanned(Core& core, const CodeScanned& c) {
        const bool finding = step_ == Step::Start || step_ == Step::Keypad || step_ == Step::Card ||
                             step_ == Step::Failed;
        if (!finding) return false;
        if (c.kind == CodeKind::payment && codes::payment_notice_valid(c.value)) {
            problem_.clear();
            find_by_notice(core, c.value);
        } else {
            if (step_ == Step::Failed) to_start(core);
            problem_ = c.reason == CodeRejection::bad_check_digit ? "payment.scan_bad"
                                                                  : "payment.scan_wrong";
        }
        return true;
    }

    bool card(Core& core, const CardRead& c) {
        if (step_ != Step::Card && step_ != Step::Start) return false;
        flows::take_person(core, c.person);
        find_by_id(core, c.person.id_number);
        return true;
    }

    void find_by_notice(Core& core, const std::string& notice) {
        log::add_redaction(notice);
        by_id_ = false;
        orders_.clear();
        lookup_ = notice;
        core.camera(false);
        step_ = Step::Finding;
        retry_ = [this](Core& c) { find_by_notice(c, lookup_); };
        // Creates (or returns the open) order for the notice (docs/api/hall.yaml createOrder).
        lookup_tag_ = core.hall(api::req::order_create(notice));
    }

    void find_by_id(Core& core, const std::string& id_number) {
        by_id_ = true;
        orders_.clear();
        core.camera(false);
        step_ = Step::Finding;
        retry_ = [this](Core& c) {
            const auto& p = c.session().data.person;
            if (p)
                find_by_id(c, p->id_number);
            else
                to_start(c);
        };
        lookup_tag_ = core.hall(api::req::order_lookup(api::OrderLookupBy::id_number, id_number));
    }

    void show_order(Core& core, const api::Order& o) {
        order_ = o;
        log::add_redaction(o.notice_number);
        switch (o.status) {
            case api::OrderStatus::paid:
                step_ = Step::AlreadyPaid;
                break;
            case api::OrderStatus::expired:
            case api::OrderStatus::cancelled:
                fail("payment.closed");
                break;
            default:
                step_ = Step::Order;
        }
        core.camera(false);
    }

    void request_qr(Core& core) {
        step_ = Step::Finding;
        hall_trouble_ = false;
        retry_ = [this](Core& c) { request_qr(c); };
        qr_tag_ = core.hall(api::req::order_qr(order_.order_id));
    }

    void fail(std::string key) {
        error_ = std::move(key);
        step_ = Step::Failed;
    }

    bool reply(Core& core, const HallReply& r) {
        const auto& res = r.response.result;
        if (r.tag == lookup_tag_ && lookup_tag_) {
            lookup_tag_ = 0;
            if (!res.ok()) {
                const auto& e = res.error();
                fail(e.kind == api::ErrorKind::not_found ? "payment.not_found"
                                                         : flows::error_key(e));
                return true;
            }
            if (!by_id_) {
                show_order(core, std::get<api::Order>(res.value()));
                return true;
            }
            orders_.clear();
            for (const auto& o : std::get<api::OrderList>(res.value()).orders)
                if (o.status == api::OrderStatus::unpaid || o.status == api::OrderStatus::pending)
                    orders_.push_back(o);
            if (orders_.empty())
                fail("payment.none");
            else if (orders_.size() == 1)
                show_order(core, orders_.front());
            else
                step_ = Step::List;
            return true;
        }
        if (r.tag == qr_tag_ && qr_tag_) {
            qr_tag_ = 0;
            if (!res.ok()) {
                const auto& e = res.error();
                if (e.kind == api::ErrorKind::conflict) {
                    step_ = Step::AlreadyPaid;  // paid meanwhile (e.g. on the phone)
                } else {
                    fail(flows::error_key(e));
                }
                return true;
            }
            qr_ = std::get<api::PaymentQr>(res.value());
            start_paying(core);
            return true;
        }
        if (r.tag == poll_tag_ && poll_tag_) {
            poll_tag_ = 0;
            if (!res.ok()) {
                hall_trouble_ = true;  // keep polling: the payment itself is not affected
                return true;
            }
            hall_trouble_ = false;
            const auto& o = std::get<api::Order>(res.value());
            if (o.status == api::OrderStatus::paid) {
                paid(core, o);
            } else if (o.status == api::OrderStatus::expired ||
                       o.status == api::OrderStatus::cancelled) {
                order_.status = o.status;
                step_ = Step::NotPaid;
            }
            return true;
        }
        if (r.tag == check_tag_ && check_tag_) {
            check_tag_ = 0;
            if (!res.ok()) {
                // The hall cannot say: the person is told, staff will follow the order.
                record(core, "unconfirmed");
                step_ = Step::Unconfirmed;
                return true;
            }
            const auto& o = std::get<api::Order>(res.value());
            if (o.status == api::OrderStatus::paid) {
                paid(core, o);
            } else {
                order_.status = o.status;
                step_ = Step::NotPaid;
                log::get("payment")->info("order {} not paid ({})", order_.order_id,
                                          status_name(o.status));
            }
            return true;
        }
        return false;
    }

    void start_paying(Core& core) {
        now_ms_ = core.now_ms();
        // The hall's expiry; a clock that disagrees with the hall's by minutes must neither end
        // the payment at once nor keep it open for hours.
        std::int64_t until = flows::iso_to_ms(qr_.expires_at);
        if (until < 0) until = now_ms_ + 15 * 60 * 1000;
        deadline_ms_ = std::clamp(until, now_ms_ + 60 * 1000, now_ms_ + 60 * 60 * 1000);
        total_s_ = static_cast<int>((deadline_ms_ - now_ms_ + 999) / 1000);
        next_poll_ms_ = now_ms_ + kPollMs;
        step_ = Step::Paying;
        recorded_ = false;
        log::get("payment")->info("order {} shown as QR", order_.order_id);
    }

    bool tick(Core& core, std::int64_t now) {
        now_ms_ = now;
        if (step_ != Step::Paying && step_ != Step::ConfirmLeave) return false;
        if (now >= deadline_ms_) {
            // Time is up: no more polling; ask once more (a payment may have landed just now).
            if (poll_tag_) core.hall_cancel(poll_tag_);
            poll_tag_ = 0;
            leave_action_.clear();
            final_check(core);
            return true;
        }
        if (now >= next_poll_ms_) {
            // One poll at a time: a slow hall skips a round rather than piling requests up.
            if (!poll_tag_) poll_tag_ = core.hall(api::req::order_get(order_.order_id));
            next_poll_ms_ = now + kPollMs;
        }
        return true;
    }

    void leave_anyway(Core& core) {
        if (poll_tag_) core.hall_cancel(poll_tag_);
        poll_tag_ = 0;
        final_check(core);
    }

    void final_check(Core& core) {
        step_ = Step::Checking;
        check_tag_ = core.hall(api::req::order_get(order_.order_id));
    }

    void paid(Core& core, const api::Order& o) {
        if (poll_tag_) core.hall_cancel(poll_tag_);
        poll_tag_ = 0;
        const std::string notice = order_.notice_number;
        order_ = o;
        if (order_.notice_number.empty()) order_.notice_number = notice;
        step_ = Step::Paid;
        log::get("payment")->info("order {} paid", order_.order_id);
        if (core.device_up("printer")) {
            print(core);
        } else {
            printed_ = -1;
            print_reason_ = PrintFailure::offline;
        }
    }

    void print(Core& core) {
        printed_ = 0;
        const auto& person = core.session().data.person;
        const std::string amount = amount_plain(order_.amount_fen);
        const std::string items = "[{\"name\":" + json_str(pick(core, order_.title)) +
                                  ",\"amount\":" + json_str(amount) + "}]";
        print_tag_ =
            core.print("payment_receipt",
                       {{"hall", core.config().kiosk.hall_name.get(core.lang())},
                        {"payer", person ? pii::mask_name(person->name) : "—"},
                        {"id_number", person ? pii::mask_id_number(person->id_number) : "—"},
                        {"order_no", order_.order_id},
                        {"method", core.tr("payment.method")},
                        {"total", amount},
                        {"time", order_.paid_at.empty() ? core.clock_text()
                                                        : flows::local_time_text(order_.paid_at)},
                        {"list.items", items},
                        {"invoice_url", receipt_link()}});
    }

    std::string receipt_link() const { return "ESTN:RECEIPT:" + order_.order_id; }

    // What staff needs to follow a payment whose end the person did not see.
    void record(Core& core, const char* reason) {
        if (recorded_ || order_.order_id.empty()) return;
        recorded_ = true;
        const std::string payload =
            "{\"order_id\":" + json_str(order_.order_id) +
            ",\"notice\":" + json_str(pii::mask_code(order_.notice_number)) +
            ",\"amount_fen\":" + std::to_string(order_.amount_fen) +
            ",\"last_status\":" + json_str(status_name(order_.status)) +
            ",\"reason\":" + json_str(reason) + ",\"at\":" + json_str(core.clock_text()) +
            ",\"kiosk_id\":" + json_str(core.config().kiosk.id) + "}";
        record_tag_ = core.outbox("payment.abandoned", payload);
        if (std::string_view(reason) == "unconfirmed") core.call_staff("payment_unclear");
        log::get("payment")->warn("order {} left unconfirmed ({}): recorded for staff",
                                  order_.order_id, reason);
    }

    // [SECTION] state
    Step step_ = Step::Start;
    std::string typed_;   // the notice number being typed (personal)
    std::string lookup_;  // the notice number looked up (personal)
    std::string problem_;
    std::string error_;
    bool by_id_ = false;
    bool card_problem_ = false;
    std::vector<api::Order> orders_;
    api::Order order_;
    api::PaymentQr qr_;
    std::uint64_t lookup_tag_ = 0, qr_tag_ = 0, poll_tag_ = 0, check_tag_ = 0, print_tag_ = 0,
                  record_tag_ = 0;
    std::int64_t now_ms_ = 0, deadline_ms_ = 0, next_poll_ms_ = 0;
    int total_s_ = 0;
    bool hall_trouble_ = false;
    bool recorded_ = false;
    std::string leave_action_;
    int printed_ = 0;  // 0 printing, 1 printed, -1 not printed
    PrintFailure print_reason_ = PrintFailure::none;
    std::function<void(Core&)> retry_;
};

void PaymentFlow::fill(const Core& core, ViewModel& vm) const {
    vm.title = core.tr("service.payment.title");
    vm.can_go_back = true;
    auto order_fields = [&] {
        vm.page.push_back(
            page::fields({{core.tr("payment.item"), pick(core, order_.title)},
                          {core.tr("payment.notice"), notice_tail(core, order_.notice_number)}}));
    };
    auto big_amount = [&](const char* label) {
        Element big = page::heading(flows::yuan(order_.amount_fen));
        big.id = "amount";
        big.detail = core.tr(label);
        vm.page.push_back(std::move(big));
    };
    switch (step_) {
        case Step::Start: {
            vm.prompt = core.tr("payment.how");
            vm.page.push_back(page::heading(vm.prompt));
            if (!problem_.empty()) vm.page.push_back(page::notice(core.tr(problem_), Tone::Warn));
            Element c;
            c.kind = Element::Kind::Choices;
            for (const char* by : {"number", "idcard"}) {
                PageRow r;
                r.label = core.tr(std::string("payment.by.") + by);
                r.detail = core.tr(std::string("payment.by.") + by + "_hint");
                r.action = intents::by;
                r.arg = by;
                r.enabled = std::string_view(by) != "idcard" || core.device_up("idcard");
                c.rows.push_back(std::move(r));
            }
            vm.page.push_back(std::move(c));
            vm.page.push_back(page::notice(core.tr("payment.by.scan"), Tone::Info,
                                           core.tr("payment.by.scan_hint")));
            break;
        }
        case Step::Keypad: {
            vm.prompt = problem_.empty() ? core.tr("payment.type") : core.tr(problem_);
            vm.page.push_back(page::heading(core.tr("payment.type")));
            if (!problem_.empty()) vm.page.push_back(page::notice(core.tr(problem_), Tone::Bad));
            vm.page.push_back(
                page::keypad(grouped(typed_),
                             core.tr("payment.type_hint", {{"n", std::to_string(typed_.size())}})));
            break;
        }
        case Step::Card:
            vm.prompt = core.tr("payment.card");
            vm.page.push_back(page::heading(vm.prompt));
            if (card_problem_)
                vm.page.push_back(page::notice(core.tr("payment.card_again"), Tone::Warn));
            vm.page.push_back(page::text(core.tr("payment.card_hint")));
            break;
        case Step::Finding:
            flows::show_wait(core, vm);
            break;
        case Step::List: {
            vm.prompt = core.tr("payment.choose", {{"n", std::to_string(orders_.size())}});
            vm.page.push_back(page::heading(vm.prompt));
            Element c;
            c.kind = Element::Kind::Choices;
            for (const auto& o : orders_) {
                PageRow r;
                r.label = pick(core, o.title);
                r.value = flows::yuan(o.amount_fen);
                r.detail = core.tr("payment.notice") + " " + notice_tail(core, o.notice_number);
                r.action = intents::pick;
                r.arg = o.order_id;
                c.rows.push_back(std::move(r));
            }
            vm.page.push_back(std::move(c));
            break;
        }
        case Step::Order:
            vm.prompt = core.tr("payment.check", {{"what", pick(core, order_.title)},
                                                  {"amount", flows::yuan(order_.amount_fen)}});
            big_amount("payment.due");
            order_fields();
            vm.page.push_back(page::text(core.tr("payment.check_hint")));
            vm.actions.push_back(
                page::button(core.tr("payment.pay"), intents::payment::pay, {}, true));
            break;
        case Step::Paying:
        case Step::ConfirmLeave: {
            if (step_ == Step::ConfirmLeave) {
                vm.prompt = core.tr("payment.leave_ask");
                vm.page.push_back(
                    page::notice(vm.prompt, Tone::Warn, core.tr("payment.leave_ask_detail")));
                vm.actions.push_back(
                    page::button(core.tr("payment.stay"), intents::payment::stay, {}, true));
                vm.actions.push_back(
                    page::button(core.tr("payment.leave"), intents::payment::leave_anyway));
                break;
            }
            vm.prompt = core.tr("payment.scan_to_pay");
            vm.page.push_back(page::heading(vm.prompt));
            big_amount("payment.due");
            vm.page.push_back(page::qr(qr_.qr_payload, core.tr("payment.qr_caption")));
            const std::int64_t left = std::max<std::int64_t>(0, deadline_ms_ - now_ms_);
            vm.page.push_back(page::countdown(core.tr("payment.time_left"),
                                              static_cast<int>((left + 999) / 1000), total_s_));
            if (hall_trouble_) vm.prompt = core.tr("payment.hall_trouble");
            if (hall_trouble_)
                vm.page.push_back(page::notice(core.tr("payment.hall_trouble"), Tone::Warn,
                                               core.tr("payment.hall_trouble_detail")));
            else
                vm.page.push_back(page::notice(core.tr("payment.waiting"), Tone::Info,
                                               core.tr("payment.waiting_detail")));
            break;
        }
        case Step::Checking:
            vm.prompt = core.tr("payment.checking");
            vm.page.push_back(page::notice(vm.prompt, Tone::Info, core.tr("flow.wait")));
            break;
        case Step::Paid: {
            vm.prompt = core.tr("payment.paid");
            vm.page.push_back(page::notice(vm.prompt, Tone::Good, core.tr("payment.paid_detail")));
            big_amount("payment.paid_amount");
            order_fields();
            if (printed_ == 0) {
                vm.page.push_back(page::notice(core.tr("payment.printing"), Tone::Info));
            } else if (printed_ > 0) {
                vm.page.push_back(page::notice(core.tr("payment.printed"), Tone::Good));
            } else {
                vm.prompt = core.tr("payment.no_receipt");
                vm.page.push_back(page::notice(vm.prompt, Tone::Warn,
                                               core.tr(flows::print_reason_key(print_reason_)) +
                                                   " " + core.tr("payment.no_receipt_detail")));
                vm.page.push_back(page::qr(receipt_link(), core.tr("payment.receipt_qr")));
                vm.actions.push_back(page::button(core.tr("payment.reprint"), intents::reprint));
            }
            vm.actions.push_back(page::button(core.tr("flow.done"), intents::done, {}, true));
            break;
        }
        case Step::AlreadyPaid:
            vm.prompt = core.tr("payment.already");
            vm.page.push_back(
                page::notice(vm.prompt, Tone::Good, core.tr("payment.already_detail")));
            order_fields();
            vm.actions.push_back(page::button(core.tr("payment.other"), intents::other));
            vm.actions.push_back(page::button(core.tr("flow.done"), intents::done, {}, true));
            break;
        case Step::NotPaid:
            vm.prompt = core.tr("payment.not_paid");
            vm.page.push_back(
                page::notice(vm.prompt, Tone::Warn, core.tr("payment.not_paid_detail")));
            order_fields();
            vm.actions.push_back(
                page::button(core.tr("payment.pay_again"), intents::payment::pay, {}, true));
            vm.actions.push_back(page::button(core.tr("flow.done"), intents::done));
            break;
        case Step::Unconfirmed:
            vm.prompt = core.tr("payment.unconfirmed");
            vm.page.push_back(
                page::notice(vm.prompt, Tone::Warn, core.tr("payment.unconfirmed_detail")));
            vm.page.push_back(page::fields({{core.tr("payment.item"), pick(core, order_.title)},
                                            {core.tr("payment.reference"), order_.order_id}}));
            vm.actions.push_back(page::button(core.tr("flow.done"), intents::done, {}, true));
            break;
        case Step::Failed:
            flows::show_failed(core, vm, error_,
                               error_ != "payment.none" && error_ != "payment.closed");
            vm.actions.push_back(page::button(core.tr("payment.other"), intents::other));
            break;
    }
}

}  // namespace

std::unique_ptr<Flow> make_payment_flow() {
    return std::make_unique<PaymentFlow>();
}

}  // namespace kiosk::scenes
