// The staff service menu (issue #9): entered by the hidden corner gesture (core: corner_tap),
// staff log in, the kiosk goes into maintenance, and they check devices, run tests, open
// compartments, load certificates into the lockers, take overdue ones out, read the logs and
// the outbox, or restart the program. docs/service-menu.md describes it for staff and engineers.
//
// Steps:
//   interrupted? (a citizen was mid-flow: end their session, or let them finish)
//   → login: method (hall ID + PIN | local PIN | staff card) → keypad / card → checking
//   → menu → devices (tests: print, scan, card) | lockers (grid → compartment → open)
//          | overdue (take out) | deposit (scan → hall lookup → size → door → hall) | info
//          | restart | pause (out of service) | exit
//
// Authentication: the lockout (staff.hpp) counts every wrong PIN or card, local or at the hall,
// and is kept in <state_dir>/staff-lockout, so a restart does not reset it.
// Audit: every staff action is appended to the outbox as kind "audit" ({at, actor, action,
// target}); the outbox is durable and append-only, delivered to the hall in order, and the menu
// offers no way to change it.
// Devices: the core sees them only through DeviceReport (fx::Diagnostics, answered by
// the app) and the usual effects (print, locker_open, locker_deposit, camera).
#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/requests.hpp"
#include "core/flows/common.hpp"
#include "core/flows/hall_time.hpp"
#include "core/intents.hpp"
#include "core/log.hpp"
#include "core/paths.hpp"
#include "core/pii.hpp"
#include "core/scenes/scenes.hpp"
#include "core/staff.hpp"

namespace kiosk::scenes {
namespace {

constexpr const char* kSizes[] = {"S", "M", "L", "XL"};

void overwrite(std::string& s) {
    std::fill(s.begin(), s.end(), '\0');
    s.clear();
}

// Demo-wall numbering (docs/drivers/wiring.md): compartment = 100 × cabinet + door.
api::Locker locker_of(int compartment) {
    return {"C" + std::to_string(compartment / 100), compartment % 100};
}

class ServiceFlow final : public Flow {
  public:
    enum class Step {
        Interrupted,
        Locked,
        Method,
        StaffId,
        Pin,
        Card,
        Checking,
        LoginFailed,
        Menu,
        Devices,
        TestScan,
        TestCard,
        Lockers,
        Boards,
        ConfirmOpenAll,
        Compartment,
        Overdue,
        DepositScan,
        DepositLookup,
        DepositSize,
        DepositOpening,
        DepositDoor,
        DepositReporting,
        DepositDone,
        DepositError,
        Info,
        ConfirmRestart,
    };
    enum class Method { None, Hall, Local, Card };
    // A hall login asked for while already in maintenance (the hall session ran out), and what
    // follows it.
    enum class Relogin { No, Menu, ReportDeposit };

    void enter(Core& core) override {
        const auto& sm = core.config().service_menu;
        lockout_file_ = staff::lockout_path(resolve_state_dir(core.config()));
        lockout_ = staff::load_lockout(lockout_file_, lockout_clock(core), policy(sm));
        if (core.service_interrupted()) {
            step_ = Step::Interrupted;
            return;
        }
        start_login(core);
    }

    bool event(Core& core, const Event& ev) override {
        if (std::holds_alternative<Tick>(ev)) {
            if (!token_.empty() && expiry_ms_ > 0 && core.now_ms() >= expiry_ms_) {
                expire_hall_session(core);
                return true;
            }
            return false;
        }
        if (const auto* r = std::get_if<HallReply>(&ev)) return hall_reply(core, *r);
        if (const auto* d = std::get_if<DeviceReport>(&ev)) {
            if (d->tag != report_tag_) return false;
            report_ = *d;
            have_report_ = true;
            return true;
        }
        if (const auto* p = std::get_if<PrintDone>(&ev)) {
            if (p->tag != print_tag_) return false;
            test_result_ = p->ok ? core.tr("maint.test.printed")
                                 : core.tr("maint.test.print_failed") + " " +
                                       core.tr(flows::print_reason_key(p->reason));
            test_ok_ = p->ok;
            return true;
        }
        if (const auto* b = std::get_if<LockerBoards>(&ev)) {
            if (b->tag != boards_tag_) return false;
            boards_ = *b;
            have_boards_ = true;
            return true;
        }
        if (const auto* u = std::get_if<LockerUpdate>(&ev)) return locker_update(core, *u);
        if (const auto* c = std::get_if<CodeScanned>(&ev)) return scanned(core, *c);
        if (const auto* c = std::get_if<CardRead>(&ev)) return card(core, *c);
        if (const auto* a = std::get_if<DeviceAvailability>(&ev)) {
            (void)a;
            return false;  // the banner says it; pages read core.device_up() when drawn
        }
        const auto* in = std::get_if<Intent>(&ev);
        if (!in) return false;
        return intent(core, in->action, in->arg);
    }

    void fill(const Core& core, ViewModel& vm) const override;

    void wipe() override {
        overwrite(pin_);
        overwrite(staff_digits_);
        overwrite(token_);
        overwrite(test_value_);
    }

    bool busy() const override {
        return step_ == Step::DepositOpening || step_ == Step::DepositDoor ||
               step_ == Step::DepositReporting;
    }

    std::int64_t next_wakeup_ms() const override {
        return !token_.empty() && expiry_ms_ > 0 ? expiry_ms_
                                                 : std::numeric_limits<std::int64_t>::max();
    }

  private:
    // [SECTION] Login
    std::vector<Method> methods(const Core& core) const {
        const auto& sm = core.config().service_menu;
        std::vector<Method> m;
        if (sm.hall_login) m.push_back(Method::Hall);
        if (!sm.pin_hash.empty()) m.push_back(Method::Local);
        if (!sm.staff_cards.empty()) m.push_back(Method::Card);
        return m;
    }

    void start_login(Core& core) {
        if (lockout_.locked(core.mono_ms())) {
            step_ = Step::Locked;
            return;
        }
        const auto m = methods(core);
        if (m.size() == 1)
            choose_method(core, m[0]);
        else
            step_ = Step::Method;
    }

    void choose_method(Core& core, Method m) {
        method_ = m;
        overwrite(pin_);
        overwrite(staff_digits_);
        login_error_.clear();
        if (m == Method::Hall) step_ = Step::StaffId;
        if (m == Method::Local) step_ = Step::Pin;
        if (m == Method::Card) step_ = Step::Card;
        (void)core;
    }

    // How long a lockout still lasts, as a person reads it: seconds up to two minutes, then whole
    // minutes (rounded up), then hours and minutes ("24小时", not "86400秒").
    static std::string wait_text(const Core& core, int seconds) {
        if (seconds < 120) return core.tr("maint.login.wait_s", {{"n", std::to_string(seconds)}});
        const int minutes = (seconds + 59) / 60;
        if (minutes < 120) return core.tr("maint.login.wait_min", {{"n", std::to_string(minutes)}});
        const int h = minutes / 60, m = minutes % 60;
        if (m == 0) return core.tr("maint.login.wait_h", {{"h", std::to_string(h)}});
        return core.tr("maint.login.wait_h_min",
                       {{"h", std::to_string(h)}, {"m", std::to_string(m)}});
    }

    static staff::LockoutPolicy policy(const Config::ServiceMenu& sm) {
        return {sm.max_failures, sm.lockout_seconds, sm.max_lockout_seconds,
                sm.alert_after_failures};
    }
    static staff::LockoutClock lockout_clock(const Core& core) {
        return staff::lockout_clock(core.mono_ms(), core.now_ms());
    }

    void login_failed(Core& core, const std::string& who, const std::string& why) {
        const auto& sm = core.config().service_menu;
        const auto failure = lockout_.fail(core.mono_ms(), policy(sm));
        if (!staff::save_lockout(lockout_file_, lockout_, lockout_clock(core)))
            log::get("service")->error("cannot write {}", lockout_file_);
        audit(core, who.empty() ? "unknown" : who, "login.failed", why);
        overwrite(pin_);
        if (failure.alert) {
            // Someone may be guessing PINs: the operators hear it (the app also publishes every
            // alert.* row as a fleet alert). Counts only; never what was typed.
            nlohmann::json a{{"kind", "staff_lockout"},
                             {"failures", lockout_.total},
                             {"lockouts", lockout_.lockouts},
                             {"locked_seconds", failure.seconds},
                             {"at", staff::iso_utc(core.now_ms())}};
            core.outbox("alert.staff_lockout", a.dump());
        }
        if (failure.locked) {
            audit(core, who.empty() ? "unknown" : who, "login.locked",
                  std::to_string(failure.seconds) + "s");
            step_ = Step::Locked;
            return;
        }
        login_error_ = "maint.login.wrong";
        step_ = method_ == Method::Card ? Step::Card : Step::Pin;
    }

    void logged_in(Core& core, std::string actor, std::vector<std::string> roles) {
        lockout_.succeed();
        staff::save_lockout(lockout_file_, lockout_, lockout_clock(core));
        const bool again = relogin_ != Relogin::No && core.maintenance();
        actor_ = std::move(actor);
        roles_ = std::move(roles);
        overwrite(pin_);
        audit(core, actor_, "login", method_name());
        // Staff at the kiosk: the open staff call is dealt with (the desk hears who came).
        if (core.assist().open()) core.assist().resolve(core, actor_);
        if (!again) {
            core.set_maintenance(true, actor_);
            audit(core, actor_, "maintenance.start", {});
        }
        const Relogin then = relogin_;
        relogin_ = Relogin::No;
        step_ = Step::Menu;
        // The certificate is already in its compartment: tell the hall now (same key).
        if (then == Relogin::ReportDeposit && can_deposit()) report_deposit(core);
    }

    // The hall's staff session ran out (expires_at passed, or the hall said "unauthorized"):
    // the token is dropped; loading needs a new hall login, the rest of the menu goes on.
    void expire_hall_session(Core& core) {
        overwrite(token_);
        expiry_ms_ = 0;
        audit(core, actor_, "hall_session.expired", {});
    }

    void start_relogin(Core& core, Relogin then) {
        relogin_ = then;
        choose_method(core, Method::Hall);
    }

    const char* method_name() const {
        switch (method_) {
            case Method::Hall:
                return "hall";
            case Method::Local:
                return "pin";
            case Method::Card:
                return "card";
            default:
                return "";
        }
    }

    bool can_deposit() const {
        return !token_.empty() &&
               (std::find(roles_.begin(), roles_.end(), "deposit") != roles_.end() ||
                std::find(roles_.begin(), roles_.end(), "supervisor") != roles_.end());
    }

    void submit_pin(Core& core) {
        if (!staff::valid_pin(pin_)) {
            login_error_ = "maint.login.pin_short";
            return;
        }
        if (method_ == Method::Local) {
            if (staff::verify_pin(core.config().service_menu.pin_hash, pin_))
                logged_in(core, "local", {"maintenance"});
            else
                login_failed(core, "local", "pin");
            return;
        }
        staff_id_ = core.config().service_menu.staff_id_prefix + staff_digits_;
        login_tag_ = core.hall(api::req::staff_login(staff_id_, pin_));
        overwrite(pin_);
        step_ = Step::Checking;
    }

    // [SECTION] Events
    bool intent(Core& core, const std::string& a, const std::string& arg) {
        const bool in_menu = !actor_.empty();
        if (a == intents::finish) {
            if (in_menu)
                exit(core, "exit");
            else
                leave_login(core);
            return true;
        }
        if (a == intents::home) {
            if (in_menu) {
                to_menu(core);
            } else {
                leave_login(core);
            }
            return true;
        }
        if (a == intents::back) return back(core);
        switch (step_) {
            case Step::Interrupted:
                if (a == intents::service::abandon) {
                    // The citizen's session ends (its data wiped); the menu opens afresh.
                    core.open_service_after_session();
                    core.end_session("maintenance");
                    return true;
                }
                if (a == intents::service::wait) {
                    core.open_service_after_session();
                    core.go_back();
                    return true;
                }
                return false;
            case Step::Locked:
                if (a == intents::retry) start_login(core);
                return true;
            case Step::Method:
                if (a == intents::service::method) {
                    if (arg == "hall") choose_method(core, Method::Hall);
                    if (arg == "pin") choose_method(core, Method::Local);
                    if (arg == "card") choose_method(core, Method::Card);
                }
                return true;
            case Step::StaffId:
                if (a == intents::key) {
                    if (arg == "ok") {
                        if (!staff_digits_.empty()) {
                            step_ = Step::Pin;
                            login_error_.clear();
                        }
                    } else {
                        flows::keypad_edit(staff_digits_, arg, 8);
                    }
                }
                return true;
            case Step::Pin:
                if (lockout_.locked(core.mono_ms())) {
                    step_ = Step::Locked;
                    return true;
                }
                if (a == intents::key) {
                    if (arg == "ok")
                        submit_pin(core);
                    else if (flows::keypad_edit(pin_, arg, 12))
                        login_error_.clear();
                }
                return true;
            case Step::LoginFailed:
                if (a == intents::retry) start_login(core);
                if (a == intents::service::method && arg == "pin")
                    choose_method(core, Method::Local);
                return true;
            case Step::Menu:
                return menu(core, a);
            case Step::Devices:
                if (a == intents::service::test) return start_test(core, arg);
                if (a == intents::service::reset && (arg == "printer" || arg == "a4_printer")) {
                    core.emit(fx::ResetConsumable{arg});
                    audit(core, actor_, "consumable.reset", arg);
                    test_result_ = core.tr("maint.consumable.reset_done",
                                           {{"device", core.tr("maint.device." + arg)}});
                    test_ok_ = true;
                    request_report(core);
                }
                if (a == intents::service::refresh) request_report(core);
                return true;
            case Step::Lockers:
                if (a == intents::service::compartment) {
                    compartment_ = std::atoi(arg.c_str());
                    locker_note_.clear();
                    step_ = Step::Compartment;
                }
                if (a == intents::service::refresh) request_report(core);
                if (a == intents::service::boards) find_boards(core);
                return true;
            case Step::Boards:
                if (a == intents::service::refresh) find_boards(core);
                if (a == intents::service::open_all) choose_open_all(arg);
                return true;
            case Step::ConfirmOpenAll:
                if (a == intents::service::open_all_confirm) open_all(core);
                return true;
            case Step::Compartment:
                if (a == intents::open) open_compartment(core, compartment_, "locker.open");
                if (const auto mark = parse_compartment_mark(arg);
                    a == intents::service::mark && mark) {
                    mark_key_ =
                        "mark-" + std::to_string(compartment_) + "-" + std::to_string(++op_seq_);
                    core.emit(fx::LockerMark{mark_key_, compartment_, *mark});
                    audit(core, actor_, "locker." + arg,
                          "compartment " + std::to_string(compartment_));
                }
                return true;
            case Step::Overdue:
                if (a == intents::service::retrieve) {
                    const int n = std::atoi(arg.c_str());
                    if (std::find(report_.overdue.begin(), report_.overdue.end(), n) !=
                        report_.overdue.end()) {
                        compartment_ = n;
                        open_compartment(core, n, "overdue.retrieve");
                        retrieved_.push_back(n);
                    }
                }
                return true;
            case Step::DepositSize:
                if (a == intents::service::size)
                    for (const char* s : kSizes)
                        if (arg == s) start_deposit(core, s);
                return true;
            case Step::DepositError:
                if (a == intents::service::relogin) {
                    start_relogin(core, Relogin::ReportDeposit);
                } else if (a == intents::service::size) {
                    step_ = Step::DepositSize;
                } else if (a == intents::service::retry_size) {
                    start_deposit(core, size_);
                } else if (a == intents::service::scan) {
                    start_deposit_scan(core);
                } else if (a == intents::service::report) {
                    report_deposit(core);
                }
                return true;
            case Step::DepositDone:
                if (a == intents::again) start_deposit_scan(core);
                return true;
            case Step::Info:
                if (a == intents::service::refresh) request_report(core);
                return true;
            case Step::ConfirmRestart:
                if (a == intents::service::restart) {
                    audit(core, actor_, "app.restart", {});
                    core.emit(fx::Restart{});
                }
                return true;
            default:
                return true;  // waiting steps: nothing to tap
        }
    }

    bool back(Core& core) {
        if (relogin_ != Relogin::No &&
            (step_ == Step::StaffId || step_ == Step::Pin || step_ == Step::Locked ||
             step_ == Step::LoginFailed || step_ == Step::Method)) {
            // Giving up a new hall login: back to the menu (a certificate the hall has not heard
            // of waits there; "load certificates" asks for the login again).
            relogin_ = Relogin::No;
            overwrite(pin_);
            step_ = Step::Menu;
            return true;
        }
        switch (step_) {
            case Step::Interrupted:
                core.open_service_after_session();
                core.go_back();
                return true;
            case Step::Locked:
            case Step::Method:
                leave_login(core);
                return true;
            case Step::StaffId:
            case Step::Card:
            case Step::LoginFailed:
                if (methods(core).size() > 1)
                    step_ = Step::Method;
                else
                    leave_login(core);
                return true;
            case Step::Pin:
                overwrite(pin_);
                if (method_ == Method::Hall)
                    step_ = Step::StaffId;
                else if (methods(core).size() > 1)
                    step_ = Step::Method;
                else
                    leave_login(core);
                return true;
            case Step::Checking:
                return true;
            case Step::Menu:
                exit(core, "exit");
                return true;
            case Step::Compartment:
            case Step::Boards:
                step_ = Step::Lockers;
                request_report(core);
                return true;
            case Step::ConfirmOpenAll:
                step_ = Step::Boards;
                return true;
            case Step::TestScan:
            case Step::TestCard:
                core.camera(false);
                overwrite(test_value_);
                step_ = Step::Devices;
                return true;
            case Step::DepositSize:
                start_deposit_scan(core);
                return true;
            case Step::DepositOpening:
            case Step::DepositDoor:
            case Step::DepositReporting:
                return true;  // a door is open or the hall must hear of it: finish first
            default:
                to_menu(core);
                return true;
        }
    }

    // Leaving before anyone logged in: back to the citizens, or to the out-of-service screen if
    // the kiosk is in maintenance (the menu was put aside and someone made the gesture).
    void leave_login(Core& core) {
        if (core.maintenance())
            core.go(SceneId::OutOfService);
        else
            core.end_session("service_cancel");
    }

    bool menu(Core& core, const std::string& a) {
        if (a == intents::service::devices) {
            step_ = Step::Devices;
            test_result_.clear();
            request_report(core);
        } else if (a == intents::service::lockers) {
            step_ = Step::Lockers;
            request_report(core);
        } else if (a == intents::service::overdue) {
            step_ = Step::Overdue;
            retrieved_.clear();
            locker_note_.clear();
            request_report(core);
        } else if (a == intents::service::deposit) {
            if (can_deposit())
                start_deposit_scan(core);
            else if (core.config().service_menu.hall_login && token_.empty())
                start_relogin(core, Relogin::Menu);
        } else if (a == intents::service::info) {
            step_ = Step::Info;
            request_report(core);
        } else if (a == intents::service::restart) {
            step_ = Step::ConfirmRestart;
        } else if (a == intents::service::pause) {
            audit(core, actor_, "maintenance.pause", {});
            core.go(SceneId::OutOfService);
        } else if (a == intents::service::exit) {
            exit(core, "exit");
        }
        return true;
    }

    void to_menu(Core& core) {
        if (busy()) return;
        relogin_ = Relogin::No;
        core.camera(false);
        overwrite(test_value_);
        step_ = Step::Menu;
    }

    void exit(Core& core, const std::string& why) {
        if (busy()) return;
        audit(core, actor_, "maintenance.end", why);
        core.set_maintenance(false);
        core.end_session("maintenance_done");
    }

    void audit(Core& core, const std::string& actor, std::string_view action,
               std::string_view target) {
        core.outbox("audit", staff::audit_json(actor, action, target, core.now_ms()));
        log::get("service")->info("audit: {} {} {}", actor, action, target);
        audit_lines_.push_back(core.clock_text() + " " + actor + " " + std::string(action) + " " +
                               std::string(target));
        if (audit_lines_.size() > 8) audit_lines_.erase(audit_lines_.begin());
    }

    void request_report(Core& core) {
        // Tags of the core's own requests count up from 1; these are the flow's own and only
        // ever come back to it.
        report_tag_ = (1ull << 62) + ++report_seq_;
        core.emit(fx::Diagnostics{report_tag_, core.config().service_menu.overdue_days});
    }

    bool start_test(Core& core, const std::string& what) {
        test_result_.clear();
        test_ok_ = false;
        overwrite(test_value_);
        if (what == "print") {
            print_tag_ = core.print("service_test",
                                    {{"hall", core.config().kiosk.hall_name.get(core.lang())},
                                     {"kiosk", core.config().kiosk.id},
                                     {"staff", actor_},
                                     {"time", core.clock_text()}});
            test_result_ = core.tr("maint.test.printing");
            audit(core, actor_, "test.print", "printer");
        } else if (what == "scan") {
            step_ = Step::TestScan;
            core.camera(true);
            audit(core, actor_, "test.scan", "scanner");
        } else if (what == "card") {
            step_ = Step::TestCard;
            audit(core, actor_, "test.card", "idcard");
        }
        return true;
    }

    bool scanned(Core& core, const CodeScanned& c) {
        if (step_ == Step::TestScan) {
            // The service menu shows the words themselves (staff read them, no translation).
            test_kind_ = std::string(to_string(c.kind));
            test_value_ = c.kind == CodeKind::not_for_kiosk ? std::string(to_string(c.reason))
                                                            : pii::mask_code(c.value);
            return true;
        }
        if (step_ == Step::DepositScan) {
            if (c.kind != CodeKind::certificate) {
                scan_problem_ = "maint.deposit.not_certificate";
                return true;
            }
            scan_problem_.clear();
            application_id_ = c.value;
            core.camera(false);
            lookup_tag_ = core.hall(api::req::application(application_id_));
            step_ = Step::DepositLookup;
            return true;
        }
        return false;
    }

    bool card(Core& core, const CardRead& c) {
        if (step_ == Step::TestCard) {
            test_kind_ = pii::mask_name(c.person.name);
            test_value_ = pii::mask_id_number(c.person.id_number);
            return true;
        }
        if (step_ == Step::Card) {
            if (lockout_.locked(core.mono_ms())) {
                step_ = Step::Locked;
                return true;
            }
            const std::string h = staff::card_hash(c.person.id_number);
            const auto& list = core.config().service_menu.staff_cards;
            if (!h.empty() && std::find(list.begin(), list.end(), h) != list.end())
                logged_in(core, "card-" + h.substr(0, 8), {"maintenance"});
            else
                login_failed(core, "card", "card");
            return true;
        }
        return false;
    }

    // [SECTION] Lockers
    void open_compartment(Core& core, int n, std::string_view action) {
        // Unique per attempt: the locker journal refuses a key it has seen ("duplicate").
        open_key_ = "staff-" + std::to_string(n) + "-" + std::to_string(core.now_ms()) + "-" +
                    std::to_string(++op_seq_);
        locker_note_ = core.tr("maint.locker.opening", {{"n", std::to_string(n)}});
        core.locker_open(open_key_, n);
        audit(core, actor_, action, "compartment " + std::to_string(n));
    }

    // Board discovery and "open all" (docs/service-menu.md): which boards answer on each bus, and
    // one board's doors opened for staff, each door its own journaled, reported, audited opening.
    void find_boards(Core& core) {
        boards_tag_ = (1ull << 62) + ++report_seq_;
        have_boards_ = false;
        step_ = Step::Boards;
        core.emit(fx::LockerBoards{boards_tag_});
        audit(core, actor_, "locker.find_boards", {});
    }

    // "bus:board" from a button: only a configured board that answered can be opened.
    void choose_open_all(const std::string& arg) {
        const auto colon = arg.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 >= arg.size() ||
            arg.find(':', colon + 1) != std::string::npos || arg.size() > 12 ||
            arg.find_first_not_of("0123456789:") != std::string::npos)
            return;
        const int bus = std::atoi(arg.substr(0, colon).c_str());
        const int board = std::atoi(arg.substr(colon + 1).c_str());
        for (const auto& b : boards_.buses) {
            if (b.bus != bus) continue;
            const auto& c = b.configured;
            const auto& a = b.answering;
            if (std::find(c.begin(), c.end(), board) == c.end() ||
                std::find(a.begin(), a.end(), board) == a.end())
                return;
            all_bus_ = bus;
            all_board_ = board;
            all_doors_ = 0;
            for (std::size_t i = 0; i < c.size() && i < b.doors.size(); ++i)
                if (c[i] == board) all_doors_ = b.doors[i];
            step_ = Step::ConfirmOpenAll;
        }
    }

    void open_all(Core& core) {
        all_key_ = "staff-all-" + std::to_string(all_bus_) + "-" + std::to_string(all_board_) +
                   "-" + std::to_string(core.now_ms()) + "-" + std::to_string(++op_seq_);
        all_opened_ = all_failed_ = 0;
        all_refused_ = false;
        core.emit(fx::LockerOpenAll{all_key_, all_bus_, all_board_});
        audit(core, actor_, "locker.open_all",
              "bus " + std::to_string(all_bus_) + " board " + std::to_string(all_board_));
        locker_note_ = core.tr("maint.boards.opening_all", {{"b", std::to_string(all_board_)}});
        step_ = Step::Boards;
    }

    void start_deposit_scan(Core& core) {
        step_ = Step::DepositScan;
        scan_problem_.clear();
        application_id_.clear();
        title_.clear();
        compartment_ = 0;
        core.camera(true);
    }

    void start_deposit(Core& core, const std::string& size) {
        size_ = size;
        deposit_key_ = "deposit-" + application_id_ + "-" + std::to_string(core.now_ms()) + "-" +
                       std::to_string(++op_seq_);
        compartment_ = 0;
        core.locker_deposit(deposit_key_, size);
        step_ = Step::DepositOpening;
    }

    void report_deposit(Core& core) {
        auto req = api::req::deposit(token_, application_id_, locker_of(compartment_));
        req.idempotency_key = deposit_key_;  // a retry is the same deposit
        deposit_tag_ = core.hall(std::move(req));
        step_ = Step::DepositReporting;
    }

    void deposit_error(std::string key) {
        error_ = std::move(key);
        step_ = Step::DepositError;
    }

    bool locker_update(Core& core, const LockerUpdate& u) {
        if (!mark_key_.empty() && u.key == mark_key_) {
            const std::string n = std::to_string(u.compartment);
            if (u.what == LockerStep::marked)
                locker_note_ =
                    core.tr("maint.locker.marked_" + std::string(to_string(u.mark)), {{"n", n}});
            else
                locker_note_ = core.tr("maint.locker.mark_failed", {{"n", n}});
            request_report(core);
            return true;
        }
        using S = LockerStep;
        if (!all_key_.empty() && (u.key == all_key_ || u.key.starts_with(all_key_ + "#"))) {
            if (u.key == all_key_ && u.what == S::refused) all_refused_ = true;
            if (u.what == S::opened || u.what == S::already_open) ++all_opened_;
            if (u.what == S::jammed || u.what == S::no_reply || u.what == S::refused) ++all_failed_;
            const std::string b = std::to_string(all_board_);
            locker_note_ = all_refused_ ? core.tr("maint.boards.open_all_refused", {{"b", b}})
                                        : core.tr("maint.boards.opened_all",
                                                  {{"b", b},
                                                   {"n", std::to_string(all_opened_)},
                                                   {"f", std::to_string(all_failed_)}});
            return true;
        }
        if (!open_key_.empty() && u.key == open_key_) {
            if (u.what == S::opened || u.what == S::already_open)
                locker_note_ =
                    core.tr("maint.locker.opened", {{"n", std::to_string(u.compartment)}});
            else if (u.what == S::jammed || u.what == S::no_reply || u.what == S::refused)
                locker_note_ =
                    core.tr("maint.locker.failed", {{"n", std::to_string(u.compartment)}});
            else if (u.what == S::closed)
                locker_note_ =
                    core.tr("maint.locker.closed", {{"n", std::to_string(u.compartment)}});
            return true;
        }
        if (u.key != deposit_key_ || deposit_key_.empty()) return false;
        if (step_ != Step::DepositOpening && step_ != Step::DepositDoor) return true;
        if (u.what == S::unlock_sent) return true;
        if (u.what == S::opened || u.what == S::already_open) {
            compartment_ = u.compartment;
            door_left_open_ = false;
            step_ = Step::DepositDoor;
            return true;
        }
        if (u.what == S::left_open) {
            door_left_open_ = true;
            return true;
        }
        if (u.what == S::closed) {
            if (u.outcome == LockerOutcome::no_change) {
                audit(core, actor_, "deposit.empty", "compartment " + std::to_string(compartment_));
                deposit_error("maint.deposit.nothing_in");
                return true;
            }
            audit(core, actor_, "deposit.loaded",
                  application_id_ + " compartment " + std::to_string(compartment_));
            report_deposit(core);
            return true;
        }
        if (u.what == S::refused) {
            deposit_error(u.refusal == LockerRefusal::no_free ? "maint.deposit.no_free"
                                                              : "maint.deposit.refused");
            return true;
        }
        if (u.what == S::jammed || u.what == S::no_reply) {
            audit(core, actor_, "deposit.door_failed",
                  "compartment " + std::to_string(u.compartment));
            deposit_error("maint.deposit.door_failed");
            return true;
        }
        return true;
    }

    bool hall_reply(Core& core, const HallReply& r) {
        if (r.tag == login_tag_ && step_ == Step::Checking) {
            if (r.response.result.ok()) {
                const auto& s = std::get<api::StaffSession>(r.response.result.value());
                token_ = s.token;
                expiry_ms_ = flows::iso_to_ms(s.expires_at);  // -1/0: the hall gave none
                method_ = Method::Hall;
                logged_in(core, s.staff_id, s.roles);
            } else if (r.response.result.error().kind == api::ErrorKind::unauthorized) {
                login_failed(core, staff_id_, "hall");
            } else {
                login_error_ = flows::error_key(r.response.result.error());
                step_ = Step::LoginFailed;
            }
            return true;
        }
        if (r.tag == lookup_tag_ && step_ == Step::DepositLookup) {
            if (r.response.result.ok()) {
                const auto& app = std::get<api::Application>(r.response.result.value());
                title_ = flows::pick(core, app.title);
                step_ = Step::DepositSize;
            } else if (r.response.result.error().kind == api::ErrorKind::not_found) {
                deposit_error("maint.deposit.unknown");
            } else {
                deposit_error(flows::error_key(r.response.result.error()));
            }
            return true;
        }
        if (r.tag == deposit_tag_ && step_ == Step::DepositReporting) {
            if (r.response.result.ok()) {
                deposit_ = std::get<api::Deposit>(r.response.result.value());
                audit(core, actor_, "deposit",
                      application_id_ + " compartment " + std::to_string(compartment_) + " " +
                          deposit_.pickup_id);
                step_ = Step::DepositDone;
            } else if (r.response.result.error().kind == api::ErrorKind::unauthorized) {
                expire_hall_session(core);
                deposit_error("maint.deposit.session_expired");
            } else {
                reported_error_ = flows::error_key(r.response.result.error());
                deposit_error("maint.deposit.report_failed");
            }
            return true;
        }
        return false;
    }

    void fill_login(const Core& core, ViewModel& vm) const;
    void fill_menu(const Core& core, ViewModel& vm) const;
    void fill_devices(const Core& core, ViewModel& vm) const;
    void fill_lockers(const Core& core, ViewModel& vm) const;
    void fill_boards(const Core& core, ViewModel& vm) const;
    void fill_deposit(const Core& core, ViewModel& vm) const;
    void fill_info(const Core& core, ViewModel& vm) const;

    Step step_ = Step::Method;
    Method method_ = Method::None;
    Relogin relogin_ = Relogin::No;
    std::int64_t expiry_ms_ = 0;  // the hall staff session's expires_at (core clock); 0 none
    std::string mark_key_;
    staff::Lockout lockout_;
    std::string lockout_file_;
    std::string staff_digits_, pin_, staff_id_, token_, login_error_;
    std::string actor_;
    std::vector<std::string> roles_;
    std::uint64_t report_seq_ = 0, op_seq_ = 0;
    std::uint64_t boards_tag_ = 0;
    bool have_boards_ = false;
    LockerBoards boards_;
    std::string all_key_;
    int all_bus_ = 0, all_board_ = 0, all_doors_ = 0, all_opened_ = 0, all_failed_ = 0;
    bool all_refused_ = false;
    std::uint64_t login_tag_ = 0, report_tag_ = 0, print_tag_ = 0, lookup_tag_ = 0,
                  deposit_tag_ = 0;
    DeviceReport report_;
    bool have_report_ = false;
    std::string test_result_, test_kind_, test_value_;
    bool test_ok_ = false;
    int compartment_ = 0;
    std::string open_key_, locker_note_;
    std::vector<int> retrieved_;
    std::string application_id_, title_, size_, deposit_key_, scan_problem_, error_,
        reported_error_;
    bool door_left_open_ = false;
    api::Deposit deposit_;
    std::vector<std::string> audit_lines_;
};

// [SECTION] Pages

void ServiceFlow::fill(const Core& core, ViewModel& vm) const {
    vm.title = core.tr("maint.title");
    vm.can_go_back = !busy() && step_ != Step::Checking;
    if (actor_.empty() || step_ < Step::Menu)
        fill_login(core, vm);
    else if (step_ == Step::Menu || step_ == Step::ConfirmRestart)
        fill_menu(core, vm);
    else if (step_ == Step::Devices || step_ == Step::TestScan || step_ == Step::TestCard)
        fill_devices(core, vm);
    else if (step_ == Step::Lockers || step_ == Step::Compartment || step_ == Step::Overdue ||
             step_ == Step::Boards || step_ == Step::ConfirmOpenAll)
        fill_lockers(core, vm);
    else if (step_ >= Step::DepositScan && step_ <= Step::DepositError)
        fill_deposit(core, vm);
    else
        fill_info(core, vm);
}

void ServiceFlow::fill_login(const Core& core, ViewModel& vm) const {
    switch (step_) {
        case Step::Interrupted:
            vm.prompt = core.tr("maint.interrupted");
            vm.page.push_back(page::heading(vm.prompt));
            vm.page.push_back(page::text(core.tr("maint.interrupted_hint")));
            vm.actions.push_back(page::button(core.tr("maint.wait"), intents::service::wait));
            vm.actions.push_back(
                page::button(core.tr("maint.abandon"), intents::service::abandon, {}, true));
            break;
        case Step::Locked:
            vm.prompt = core.tr("maint.login.locked",
                                {{"t", wait_text(core, lockout_.seconds_left(core.mono_ms()))}});
            vm.page.push_back(page::notice(vm.prompt, Tone::Bad));
            vm.actions.push_back(page::button(core.tr("flow.retry"), intents::retry, {}, true));
            break;
        case Step::Method: {
            vm.prompt = core.tr("maint.login.how");
            vm.page.push_back(page::heading(vm.prompt));
            const auto m = methods(core);
            if (m.empty()) {
                vm.page.push_back(page::notice(core.tr("maint.login.none"), Tone::Warn));
                break;
            }
            Element c;
            c.kind = Element::Kind::Choices;
            for (Method x : m) {
                PageRow r;
                r.action = intents::service::method;
                r.arg = x == Method::Hall ? "hall" : x == Method::Local ? "pin" : "card";
                r.label = core.tr("maint.login.method." + r.arg);
                c.rows.push_back(std::move(r));
            }
            vm.page.push_back(std::move(c));
            break;
        }
        case Step::StaffId:
            vm.prompt = core.tr("maint.login.staff_id");
            vm.page.push_back(page::heading(vm.prompt));
            vm.page.push_back(
                page::keypad(core.config().service_menu.staff_id_prefix + staff_digits_,
                             core.tr("maint.login.staff_id_hint")));
            break;
        case Step::Pin: {
            vm.prompt = login_error_.empty() ? core.tr("maint.login.pin") : core.tr(login_error_);
            vm.page.push_back(page::heading(core.tr("maint.login.pin")));
            if (!login_error_.empty()) {
                const int left = core.config().service_menu.max_failures - lockout_.failures;
                vm.page.push_back(
                    page::notice(core.tr(login_error_), Tone::Bad,
                                 core.tr("maint.login.tries_left", {{"k", std::to_string(left)}})));
            }
            std::string dots;
            for (std::size_t i = 0; i < pin_.size(); ++i) dots += "●";
            vm.page.push_back(page::keypad(dots, core.tr("maint.login.pin_hint")));
            break;
        }
        case Step::Card:
            vm.prompt = core.tr("maint.login.card");
            vm.page.push_back(page::heading(vm.prompt));
            if (!login_error_.empty())
                vm.page.push_back(page::notice(core.tr(login_error_), Tone::Bad));
            break;
        case Step::Checking:
            flows::show_wait(core, vm);
            break;
        case Step::LoginFailed:
            vm.prompt = core.tr(login_error_);
            vm.page.push_back(page::notice(vm.prompt, Tone::Bad));
            if (!core.config().service_menu.pin_hash.empty())
                vm.actions.push_back(page::button(core.tr("maint.login.method.pin"),
                                                  intents::service::method, "pin"));
            vm.actions.push_back(page::button(core.tr("flow.retry"), intents::retry, {}, true));
            break;
        default:
            break;
    }
}

void ServiceFlow::fill_menu(const Core& core, ViewModel& vm) const {
    if (step_ == Step::ConfirmRestart) {
        vm.prompt = core.tr("maint.restart_ask");
        vm.page.push_back(page::heading(vm.prompt));
        vm.page.push_back(page::text(core.tr("maint.restart_hint")));
        vm.actions.push_back(page::button(core.tr("flow.cancel"), intents::home));
        vm.actions.push_back(
            page::button(core.tr("maint.restart"), intents::service::restart, {}, true));
        return;
    }
    vm.prompt = core.tr("maint.menu_prompt");
    Element who = page::heading(actor_);
    who.detail = core.tr("maint.staff");
    vm.page.push_back(std::move(who));
    vm.page.push_back(page::notice(core.tr("maint.maintenance_on"), Tone::Info));
    Element c;
    c.kind = Element::Kind::Choices;
    c.columns = 2;
    namespace sv = intents::service;
    for (const char* item :
         {sv::devices, sv::lockers, sv::overdue, sv::deposit, sv::info, sv::restart}) {
        PageRow r;
        r.action = item;
        r.label = core.tr(std::string("maint.menu.") + item);
        if (std::string_view(item) == sv::deposit && !can_deposit()) {
            // No hall login (a local PIN or card), or it ran out: a hall login is offered; a
            // hall login without the role cannot load at all.
            const bool relogin = core.config().service_menu.hall_login && token_.empty();
            r.enabled = relogin;
            r.detail = core.tr(relogin ? "maint.deposit.login_first" : "maint.deposit.needs_role");
        }
        c.rows.push_back(std::move(r));
    }
    vm.page.push_back(std::move(c));
    // Staff calls: the open one and the recent ones (this run of the program; the hall keeps
    // them all), newest first.
    const auto& calls = core.assist().recent();
    if (!calls.empty()) {
        vm.page.push_back(page::text(core.tr("maint.assist.title")));
        for (auto it = calls.rbegin(); it != calls.rend(); ++it) {
            std::string line =
                core.time_text(it->created_ms).substr(11) + " " + it->reason + " · " + it->scene +
                " · " + core.tr(std::string("maint.assist.") + StaffCall::phase_name(it->phase));
            if (!it->note.empty()) line += " (" + it->note + ")";
            vm.page.push_back(page::text(line));
        }
    }
    if (!audit_lines_.empty()) {
        vm.page.push_back(page::text(core.tr("maint.audit_recent")));
        for (const auto& l : audit_lines_) vm.page.push_back(page::text(l));
    }
    vm.actions.push_back(page::button(core.tr("maint.pause"), intents::service::pause));
    vm.actions.push_back(page::button(core.tr("maint.exit"), intents::service::exit, {}, true));
}

void ServiceFlow::fill_devices(const Core& core, ViewModel& vm) const {
    if (step_ == Step::TestScan || step_ == Step::TestCard) {
        const bool scan = step_ == Step::TestScan;
        vm.prompt = core.tr(scan ? "maint.test.scan" : "maint.test.card");
        vm.page.push_back(page::heading(vm.prompt));
        if (scan) {
            Element cam;
            cam.kind = Element::Kind::Camera;
            cam.text = core.tr("maint.test.scan");
            vm.page.push_back(std::move(cam));
        }
        if (!test_value_.empty()) {
            Element f =
                page::fields({{core.tr(scan ? "maint.test.kind" : "maint.test.name"), test_kind_},
                              {core.tr("maint.test.value"), test_value_}});
            f.id = "test_result";
            vm.page.push_back(std::move(f));
        }
        vm.actions.push_back(page::button(core.tr("maint.done"), intents::back, {}, true));
        return;
    }
    vm.prompt = core.tr("maint.devices");
    vm.page.push_back(page::heading(vm.prompt));
    if (!have_report_) vm.page.push_back(page::text(core.tr("flow.wait")));
    vm.page.push_back(page::button(core.tr("maint.refresh"), intents::service::refresh));
    // First what staff act on: the result of a test, then the paper of each printer (a roll
    // running low is the most common morning job) with its reset; the full device list below.
    if (!test_result_.empty())
        vm.page.push_back(page::notice(test_result_, test_ok_ ? Tone::Good : Tone::Info));
    // A word the drivers or the app may add before it is translated is shown as it is.
    auto tr_or = [&](const std::string& key, const std::string& fallback) {
        const std::string t = core.tr(key);
        return t == key ? fallback : t;
    };
    for (const auto& d : report_.devices)
        for (const auto& c : d.consumables) {
            const std::string level = c.level.empty() ? std::string("unknown") : c.level;
            const bool low = c.level == "near_end" || c.level == "out";
            std::string detail =
                core.tr("maint.consumable.used." + d.name) + ": " + std::to_string(c.used);
            if (c.since_ms > 0)
                detail +=
                    " · " + core.tr("maint.consumable.since") + " " + core.time_text(c.since_ms);
            Element n = page::notice(core.tr("maint.device." + d.name) + " · " +
                                         core.tr("maint.consumable." + c.name) + ": " +
                                         core.tr("maint.consumable.level." + level),
                                     low ? Tone::Warn : Tone::Good, std::move(detail));
            n.id = "paper/" + d.name;
            vm.page.push_back(std::move(n));
            vm.page.push_back(page::button(core.tr("maint.consumable.reset." + d.name),
                                           intents::service::reset, d.name));
        }
    for (const auto& d : report_.devices) {
        std::vector<std::pair<std::string, std::string>> rows;
        std::string st = d.status;
        std::replace(st.begin(), st.end(), ' ', '_');
        rows.push_back({core.tr("maint.device.status"), tr_or("maint.status." + st, st)});
        if (!d.last_error.empty()) rows.push_back({core.tr("maint.device.error"), d.last_error});
        for (const auto& [k, v] : d.counters)
            rows.push_back({tr_or("maint.counter." + k, k), std::to_string(v)});
        Element h = page::text(core.tr("maint.device." + d.name));
        h.tone = d.status == "online" ? Tone::Good : Tone::Warn;
        vm.page.push_back(std::move(h));
        Element f = page::fields(std::move(rows));
        f.id = "device/" + d.name;
        vm.page.push_back(std::move(f));
    }
    vm.actions.push_back(
        page::button(core.tr("maint.test.print_button"), intents::service::test, "print"));
    vm.actions.push_back(
        page::button(core.tr("maint.test.scan_button"), intents::service::test, "scan"));
    vm.actions.push_back(
        page::button(core.tr("maint.test.card_button"), intents::service::test, "card"));
}

void ServiceFlow::fill_lockers(const Core& core, ViewModel& vm) const {
    if (step_ == Step::Compartment) {
        vm.prompt = core.tr("maint.locker.one", {{"n", std::to_string(compartment_)}});
        vm.page.push_back(page::heading(vm.prompt));
        for (const auto& c : report_.compartments)
            if (c.number == compartment_)
                vm.page.push_back(page::fields({{core.tr("maint.locker.size"), c.size},
                                                {core.tr("maint.locker.state_label"),
                                                 core.tr("maint.locker.state." + c.state)}}));
        if (!locker_note_.empty()) vm.page.push_back(page::notice(locker_note_, Tone::Info));
        bool faulty = false;
        for (const auto& c : report_.compartments)
            if (c.number == compartment_) faulty = c.state == "faulty";
        if (faulty)
            vm.actions.push_back(page::button(core.tr("maint.locker.mark_repaired"),
                                              intents::service::mark, "repaired"));
        else
            vm.actions.push_back(page::button(core.tr("maint.locker.mark_faulty"),
                                              intents::service::mark, "faulty"));
        vm.actions.push_back(page::button(core.tr("maint.locker.open"), intents::open, {}, true));
        return;
    }
    if (step_ == Step::Overdue) {
        vm.prompt = core.tr("maint.overdue",
                            {{"d", std::to_string(core.config().service_menu.overdue_days)}});
        vm.page.push_back(page::heading(vm.prompt));
        if (have_report_ && report_.overdue.empty())
            vm.page.push_back(page::notice(core.tr("maint.overdue_none"), Tone::Good));
        if (!locker_note_.empty()) vm.page.push_back(page::notice(locker_note_, Tone::Info));
        Element c;
        c.kind = Element::Kind::Choices;
        c.columns = 2;
        for (int n : report_.overdue) {
            PageRow r;
            r.label = core.tr("maint.locker.one", {{"n", std::to_string(n)}});
            const bool done =
                std::find(retrieved_.begin(), retrieved_.end(), n) != retrieved_.end();
            r.detail = core.tr(done ? "maint.overdue_taken" : "maint.overdue_take");
            r.flag = done;
            r.action = intents::service::retrieve;
            r.arg = std::to_string(n);
            c.rows.push_back(std::move(r));
        }
        if (!c.rows.empty()) vm.page.push_back(std::move(c));
        return;
    }
    if (step_ == Step::Boards || step_ == Step::ConfirmOpenAll) {
        fill_boards(core, vm);
        return;
    }
    vm.prompt = core.tr("maint.lockers");
    vm.page.push_back(page::heading(vm.prompt));
    if (!have_report_) vm.page.push_back(page::text(core.tr("flow.wait")));
    if (have_report_ && report_.compartments.empty())
        vm.page.push_back(page::notice(core.tr("maint.locker.none"), Tone::Warn));
    Element c;
    c.kind = Element::Kind::Choices;
    c.columns = 4;
    for (const auto& x : report_.compartments) {
        PageRow r;
        r.label = std::to_string(x.number);
        r.detail = core.tr("maint.locker.state." + x.state);
        r.flag = x.state == "faulty" || x.state == "open";
        r.action = intents::service::compartment;
        r.arg = std::to_string(x.number);
        c.rows.push_back(std::move(r));
    }
    if (!c.rows.empty()) vm.page.push_back(std::move(c));
    vm.actions.push_back(page::button(core.tr("maint.boards.find"), intents::service::boards));
    vm.actions.push_back(page::button(core.tr("maint.refresh"), intents::service::refresh));
}

void ServiceFlow::fill_boards(const Core& core, ViewModel& vm) const {
    auto list = [](const std::vector<int>& v) {
        std::string s;
        for (int n : v) s += (s.empty() ? "" : ", ") + std::to_string(n);
        return s;
    };
    if (step_ == Step::ConfirmOpenAll) {
        const std::string b = std::to_string(all_board_);
        vm.prompt = core.tr("maint.boards.confirm", {{"b", b}, {"n", std::to_string(all_doors_)}});
        vm.page.push_back(page::heading(vm.prompt));
        vm.page.push_back(page::notice(core.tr("maint.boards.confirm_hint"), Tone::Warn));
        vm.actions.push_back(page::button(core.tr("maint.boards.open_all", {{"b", b}}),
                                          intents::service::open_all_confirm, {}, true));
        return;
    }
    vm.prompt = core.tr("maint.boards.title");
    vm.page.push_back(page::heading(vm.prompt));
    if (!locker_note_.empty()) vm.page.push_back(page::notice(locker_note_, Tone::Info));
    if (!have_boards_) {
        vm.page.push_back(page::text(core.tr("maint.boards.searching")));
        return;
    }
    if (!boards_.available || boards_.buses.empty()) {
        vm.page.push_back(page::notice(core.tr("maint.locker.none"), Tone::Warn));
        return;
    }
    for (const auto& bus : boards_.buses) {
        vm.page.push_back(page::text(core.tr(
            "maint.boards.bus",
            {{"n", std::to_string(bus.bus + 1)}, {"name", bus.name}, {"dialect", bus.dialect}})));
        std::vector<std::pair<std::string, std::string>> rows;
        rows.emplace_back(core.tr("maint.boards.link"), bus.link);
        rows.emplace_back(core.tr("maint.boards.method"),
                          bus.method == "list" ? core.tr("maint.boards.method_list")
                                               : core.tr("maint.boards.method_probe",
                                                         {{"a", std::to_string(bus.probed_from)},
                                                          {"z", std::to_string(bus.probed_to)}}));
        rows.emplace_back(core.tr("maint.boards.configured"), list(bus.configured));
        rows.emplace_back(core.tr("maint.boards.answering"), bus.answering.empty()
                                                                 ? core.tr("maint.boards.nobody")
                                                                 : list(bus.answering));
        vm.page.push_back(page::fields(rows));
        std::vector<int> missing, extra;
        for (int b : bus.configured)
            if (std::find(bus.answering.begin(), bus.answering.end(), b) == bus.answering.end())
                missing.push_back(b);
        for (int b : bus.answering)
            if (std::find(bus.configured.begin(), bus.configured.end(), b) == bus.configured.end())
                extra.push_back(b);
        if (!missing.empty())
            vm.page.push_back(page::notice(
                core.tr("maint.boards.missing", {{"list", list(missing)}}), Tone::Warn));
        if (!extra.empty())
            vm.page.push_back(page::notice(
                core.tr("maint.boards.unexpected", {{"list", list(extra)}}), Tone::Warn));
        if (missing.empty() && extra.empty())
            vm.page.push_back(page::notice(core.tr("maint.boards.all_answer"), Tone::Good));
        for (int b : bus.configured) {
            if (std::find(bus.answering.begin(), bus.answering.end(), b) == bus.answering.end())
                continue;
            vm.page.push_back(page::button(
                core.tr("maint.boards.open_all", {{"b", std::to_string(b)}}),
                intents::service::open_all, std::to_string(bus.bus) + ":" + std::to_string(b)));
        }
    }
    vm.actions.push_back(page::button(core.tr("maint.boards.again"), intents::service::refresh));
}

void ServiceFlow::fill_deposit(const Core& core, ViewModel& vm) const {
    vm.page.push_back(page::text(core.tr("maint.menu.deposit")));
    if (!title_.empty())
        vm.page.push_back(page::fields({{core.tr("maint.deposit.what"), title_},
                                        {core.tr("maint.deposit.application"), application_id_}}));
    switch (step_) {
        case Step::DepositScan: {
            vm.prompt = core.tr("maint.deposit.scan");
            vm.page.push_back(page::heading(vm.prompt));
            if (!scan_problem_.empty())
                vm.page.push_back(page::notice(core.tr(scan_problem_), Tone::Warn));
            Element cam;
            cam.kind = Element::Kind::Camera;
            cam.text = core.tr("maint.deposit.scan_hint");
            vm.page.push_back(std::move(cam));
            break;
        }
        case Step::DepositLookup:
        case Step::DepositOpening:
        case Step::DepositReporting:
            vm.prompt =
                core.tr(step_ == Step::DepositOpening ? "maint.deposit.opening" : "flow.wait");
            vm.page.push_back(page::text(vm.prompt));
            break;
        case Step::DepositSize: {
            vm.prompt = core.tr("maint.deposit.size");
            vm.page.push_back(page::heading(vm.prompt));
            Element c;
            c.kind = Element::Kind::Choices;
            c.columns = 2;
            for (const char* s : kSizes) {
                PageRow r;
                r.label = core.tr(std::string("maint.deposit.size_") + s);
                r.action = intents::service::size;
                r.arg = s;
                c.rows.push_back(std::move(r));
            }
            vm.page.push_back(std::move(c));
            break;
        }
        case Step::DepositDoor: {
            vm.prompt = core.tr("maint.deposit.put_in", {{"n", std::to_string(compartment_)}});
            Element big = page::heading(std::to_string(compartment_));
            big.id = "compartment";
            big.detail = core.tr("maint.deposit.compartment");
            vm.page.push_back(std::move(big));
            vm.page.push_back(page::notice(vm.prompt, Tone::Info));
            if (door_left_open_)
                vm.page.push_back(page::notice(core.tr("maint.deposit.close_door"), Tone::Warn));
            break;
        }
        case Step::DepositDone:
            vm.prompt = core.tr("maint.deposit.done", {{"n", std::to_string(compartment_)}});
            vm.page.push_back(page::notice(vm.prompt, Tone::Good));
            vm.page.push_back(
                page::fields({{core.tr("maint.deposit.compartment"), std::to_string(compartment_)},
                              {core.tr("maint.deposit.pickup_id"), deposit_.pickup_id},
                              {core.tr("maint.deposit.notified"),
                               core.tr(deposit_.notified ? "maint.yes" : "maint.no")}}));
            vm.actions.push_back(
                page::button(core.tr("maint.deposit.again"), intents::again, {}, true));
            break;
        case Step::DepositError:
            vm.prompt = core.tr(error_);
            vm.page.push_back(page::notice(vm.prompt, Tone::Bad,
                                           error_ == "maint.deposit.report_failed"
                                               ? core.tr(reported_error_)
                                               : std::string{}));
            if (error_ == "maint.deposit.no_free")
                vm.actions.push_back(page::button(core.tr("maint.deposit.other_size"),
                                                  intents::service::size, {}, true));
            else if (error_ == "maint.deposit.door_failed" || error_ == "maint.deposit.nothing_in")
                vm.actions.push_back(page::button(core.tr("maint.deposit.other_door"),
                                                  intents::service::retry_size, {}, true));
            else if (error_ == "maint.deposit.report_failed")
                vm.actions.push_back(
                    page::button(core.tr("flow.retry"), intents::service::report, {}, true));
            else if (error_ == "maint.deposit.session_expired")
                vm.actions.push_back(page::button(core.tr("maint.deposit.relogin"),
                                                  intents::service::relogin, {}, true));
            else
                vm.actions.push_back(page::button(core.tr("maint.deposit.scan_again"),
                                                  intents::service::scan, {}, true));
            break;
        default:
            break;
    }
}

void ServiceFlow::fill_info(const Core& core, ViewModel& vm) const {
    vm.prompt = core.tr("maint.info_title");
    vm.page.push_back(page::heading(vm.prompt));
    const auto& c = core.config();
    vm.page.push_back(page::fields({
        {core.tr("maint.info.network"),
         core.tr(core.device_up("hall") ? "maint.info.up" : "maint.info.down")},
        {core.tr("maint.info.outbox"),
         report_.outbox_depth < 0 ? "?" : std::to_string(report_.outbox_depth)},
        {core.tr("maint.info.kiosk"), c.kiosk.id},
        {core.tr("maint.info.version"), KIOSK_VERSION},
        {core.tr("maint.info.backend"), c.backend.url},
        {core.tr("maint.info.locker"), c.devices.locker},
        {core.tr("maint.info.printer"), c.devices.printer},
        {core.tr("maint.info.scanner"), c.devices.scanner},
    }));
    vm.page.push_back(page::text(core.tr("maint.info.log")));
    if (report_.log_tail.empty()) vm.page.push_back(page::text(core.tr("maint.info.no_log")));
    for (const auto& l : report_.log_tail) vm.page.push_back(page::text(pii::redact(l)));
    vm.actions.push_back(page::button(core.tr("maint.refresh"), intents::service::refresh));
}

}  // namespace

std::unique_ptr<Flow> make_service_flow() {
    return std::make_unique<ServiceFlow>();
}

}  // namespace kiosk::scenes
