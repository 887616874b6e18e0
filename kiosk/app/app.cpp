#include "app/app.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>

#include "app/devices.hpp"
#include "app/fleet_link.hpp"
#include "base/clock.hpp"
#include "core/speech.hpp"
#include "app/hall.hpp"
#include "app/sdnotify.hpp"
#include "core/log.hpp"
#include "update/state.hpp"
#include "update/updater.hpp"
#include "core/paths.hpp"
#include "core/pii.hpp"

extern char** environ;

namespace kiosk::app {
namespace {

// Voice guidance through espeak-ng: one utterance at a time; a new prompt interrupts the old one.
class Speaker {
  public:
    ~Speaker() { stop(); }
    // The voice and the wording as a person reads aloud (core/speech.hpp: the Mandarin voice
    // that speaks characters as Mandarin, codes digit by digit); slower in elder mode.
    void say(const std::string& text, const std::string& lang, bool elder) {
        stop();
        std::vector<std::string> args = {
            "espeak-ng",           "-v", speech::voice(lang),       "-s",
            elder ? "120" : "150", "--", speech::spoken(text, lang)};
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        if (posix_spawnp(&pid_, "espeak-ng", nullptr, nullptr, argv.data(), environ) != 0) pid_ = 0;
    }
    void stop() {
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            waitpid(pid_, nullptr, 0);
            pid_ = 0;
        }
    }

  private:
    pid_t pid_ = 0;
};

Speaker& speaker() {
    static Speaker s;
    return s;
}

}  // namespace

std::int64_t Clock::now_ms() const {
    return virtual_ ? now_ : clock::wall_ms();
}

std::int64_t Clock::real_mono_ms() {
    return clock::boot_ms();
}

std::int64_t Clock::mono_ms() const {
    // Virtual: moves with the scenario's clock only (its jumps are time passing, not a clock set).
    if (virtual_) return mono_at_start_ + std::max<std::int64_t>(now_ - virtual_start_, 0);
    return real_mono_ms();
}

App::App(Config config, I18n i18n, Catalog catalog)
    : config_(std::move(config)), i18n_(std::move(i18n)) {
    core_ = std::make_unique<Core>(config_, i18n_, std::move(catalog));
    devices_ = std::make_unique<Devices>(config_, &App::wake);
    hall_ = std::make_unique<Hall>(config_, resolve_state_dir(config_));
}

App::~App() {
    fleet_.reset();
    if (updater_) updater_->stop();
    updater_.reset();
    frame_.reset();
    hall_.reset();
    devices_.reset();
}

std::string App::start() {
    if (auto e = display_.open(config_.display); !e.empty()) return e;
    if (auto e = fonts_.open(config_.fonts.cjk, config_.fonts.cjk_face, config_.fonts.fallback,
                             config_.fonts.base_size);
        !e.empty())
        return e;
    frame_ = std::make_unique<ui::Frame>(display_, fonts_);
    frame_->ui().set_camera_source([this](int& w, int& h, std::vector<std::uint8_t>& rgb) {
        return devices_->camera_preview(w, h, rgb);
    });
    hall_->start();
    devices_->set_outbox(hall_->outbox());
    devices_->start();
    core_->handle(Tick{clock_.now_ms(), clock_.mono_ms()});
    last_frame_ms_ = clock_.now_ms();
    start_updater();
    fleet_ = std::make_unique<FleetLink>(config_, *this, config_path_);
    fleet_->start();
    return {};
}

void App::start_updater() {
    if (config_.update.ddi_url.empty()) return;  // updates disabled
    auto log = log::get("update");
    update::Options o;
    if (auto e = update::options_from_config(config_, o)) {
        log->error("updates disabled: {}", *e);
        return;
    }
    // Called on the updater's thread: answered from flags the frame loop keeps current.
    o.can_apply = [this] { return idle_.load(); };
    o.request_restart = [this] {
        restart_requested_.store(true);
        wake();
    };
    updater_ = std::make_unique<update::Updater>(std::move(o));
    updater_->start();
    log->info("updates from {}", updater_->base());
}

void App::handle_sdl(const SDL_Event& e) {
    float cx = 0, cy = 0;
    switch (e.type) {
        case SDL_MOUSEMOTION:
            if (e.motion.which == SDL_TOUCH_MOUSEID) break;  // the finger events carry it
            display_.to_canvas(static_cast<float>(e.motion.x), static_cast<float>(e.motion.y), cx,
                               cy);
            frame_->pointer(cx, cy, (e.motion.state & SDL_BUTTON_LMASK) != 0);
            break;
        case SDL_MOUSEBUTTONDOWN:
        case SDL_MOUSEBUTTONUP:
            if (e.button.which == SDL_TOUCH_MOUSEID || e.button.button != SDL_BUTTON_LEFT) break;
            display_.to_canvas(static_cast<float>(e.button.x), static_cast<float>(e.button.y), cx,
                               cy);
            frame_->pointer(cx, cy, e.type == SDL_MOUSEBUTTONDOWN);
            if (e.type == SDL_MOUSEBUTTONDOWN) touched();
            break;
        case SDL_FINGERDOWN:
        case SDL_FINGERUP:
        case SDL_FINGERMOTION: {
            int ww = 0, wh = 0;
            SDL_GetWindowSize(display_.window(), &ww, &wh);
            display_.to_canvas(e.tfinger.x * static_cast<float>(ww),
                               e.tfinger.y * static_cast<float>(wh), cx, cy);
            frame_->pointer(cx, cy, e.type != SDL_FINGERUP);
            if (e.type == SDL_FINGERDOWN) touched();
            break;
        }
        case SDL_WINDOWEVENT:
            if (e.window.event == SDL_WINDOWEVENT_EXPOSED ||
                e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
                frames_owed_ = std::max(frames_owed_, 1);
            break;
        default:
            // SDL_QUIT (Alt+F4, a window manager's close), key presses (Alt+Tab, Ctrl+Q ...):
            // swallowed. Only SIGTERM/SIGINT end the program; a supervisor restarts it.
            break;
    }
}

void App::touched() {
    // In a session any touch is activity (and extends the inactivity warning). On the attract
    // screen the screen's own buttons decide what a touch means (start, or start in English).
    if (core_->session().active) core_->handle(Touch{});
}

void App::apply_effects() {
    for (const Effect& effect : core_->take_effects()) {
        std::visit(overloaded{
                       [&](const fx::Speak& e) {
                           speaker().say(e.words, core_->view().lang, core_->view().elder);
                       },
                       [&](const fx::SessionEnded&) {
                           speaker().stop();
                           devices_->cancel_all();
                       },
                       [&](const fx::CancelDeviceCommands&) { devices_->cancel_all(); },
                       [&](const fx::CallStaff& e) {
                           // A staff-call step (core/assist.hpp): the outbox row first (the durable
                           // request the hall's desk gets; OutboxStored tells the core it is on
                           // disk), then the fleet's `assist` event. Never only a log line.
                           hall_->append(e.tag, e.kind, e.payload);
                           if (fleet_) fleet_->assist(e.kind, e.payload);
                       },
                       [&](const fx::SessionStarted&) {},
                       [&](const fx::HallRequest& e) { hall_->submit(e.tag, e.request); },
                       [&](const fx::HallCancel& e) { hall_->cancel(e.tag); },
                       [&](const fx::OutboxAppend& e) {
                           hall_->append(e.tag, e.kind, e.payload);
                           // Operator alerts (alert.staff_lockout) also go to the fleet.
                           if (fleet_ && e.kind.starts_with("alert."))
                               fleet_->alert(e.kind, e.payload);
                       },
                       [&](const fx::Print&) { devices_->apply(effect); },
                       [&](const fx::PrintPdf&) { devices_->apply(effect); },
                       [&](const fx::LockerPickup&) { devices_->apply(effect); },
                       [&](const fx::LockerDeposit&) { devices_->apply(effect); },
                       [&](const fx::LockerOpen&) { devices_->apply(effect); },
                       [&](const fx::LockerMark&) { devices_->apply(effect); },
                       [&](const fx::LockerOpenAll&) { devices_->apply(effect); },
                       [&](const fx::LockerBoards&) { devices_->apply(effect); },
                       [&](const fx::Camera&) { devices_->apply(effect); },
                       [&](const fx::ResetConsumable& e) {
                           if (!devices_->reset_consumable(e.device, clock_.now_ms()))
                               log::get("app")->warn("consumable count of {} not reset", e.device);
                       },
                       [&](const fx::Diagnostics& e) { diagnostics(e); },
                       [&](const fx::Restart&) {
                           // Exit with EX_TEMPFAIL: the unit's Restart=on-failure starts the kiosk
                           // again.
                           log::get("app")->warn("restart requested from the service menu");
                           log::flush();
                           std::_Exit(75);
                       },
                   },
                   effect);
    }
}

void App::diagnostics(const fx::Diagnostics& e) {
    // The service menu's figures (flows/service.cpp); log lines are redacted again.
    DeviceReport r;
    r.tag = e.tag;
    for (auto& d : devices_->status()) {
        DeviceReport::Device dev{
            d.name, d.status, d.last_error, {d.counters.begin(), d.counters.end()}, {}};
        for (auto& c : d.consumables)
            dev.consumables.push_back({c.name, c.level, c.used, c.since_ms});
        r.devices.push_back(std::move(dev));
    }
    for (auto& c : devices_->locker_snapshot())
        r.compartments.push_back({c.number, c.size, c.state, c.since_ms});
    r.overdue = devices_->locker_overdue(e.overdue_days);
    if (auto* ob = hall_->outbox()) r.outbox_depth = ob->depth();
    if (std::ifstream f{config_.log.file}; !config_.log.file.empty() && f) {
        log::flush();
        std::deque<std::string> tail;
        for (std::string line; std::getline(f, line);) {
            tail.push_back(pii::redact(line.substr(0, 200)));
            if (tail.size() > 12) tail.pop_front();
        }
        r.log_tail.assign(tail.begin(), tail.end());
    }
    core_->handle(r);
}

void App::draw() {
    const std::int64_t now = clock_.now_ms();
    const float dt = static_cast<float>(std::max<std::int64_t>(now - last_frame_ms_, 1)) / 1000.0f;
    last_frame_ms_ = now;
    const std::uint64_t rev = core_->revision();
    auto intents = frame_->draw(core_->view(), dt);
    ++frames_drawn_;
    drawn_revision_ = rev;
    for (auto& i : intents) core_->handle(i);
    if (!intents.empty()) frames_owed_ = std::max(frames_owed_, 1);
}

bool App::step(bool force_draw) {
    SDL_Event e;
    bool input = false;
    while (SDL_PollEvent(&e)) {
        handle_sdl(e);
        input = true;
    }
    core_->handle(Tick{clock_.now_ms(), clock_.mono_ms()});
    for (auto& ev : devices_->poll()) {
        if (fleet_) fleet_->on_event(ev);
        core_->handle(ev);
    }
    for (auto& ev : hall_->poll()) {
        if (fleet_) fleet_->on_event(ev);
        core_->handle(ev);
    }
    apply_effects();
    refresh_figures();
    // ImGui needs a frame to see a press and the next to see its release: after input, two.
    if (input || frame_->pointer_pending()) frames_owed_ = std::max(frames_owed_, 2);
    if (core_->revision() != drawn_revision_) frames_owed_ = std::max(frames_owed_, 1);
    if (force_draw) frames_owed_ = std::max(frames_owed_, 1);
    if (frames_owed_ <= 0) return false;
    --frames_owed_;
    draw();
    apply_effects();
    return true;
}

void App::refresh_figures() {
    // Every 10 s (the device list, an outbox count), and at once when staff take the kiosk or
    // give it back; the hall client's worker sends the latest heartbeat on its own interval.
    const std::int64_t now = clock_.now_ms();
    const int m = core_->maintenance() ? 1 : 0;
    if (m == figures_maintenance_ && figures_ms_ != 0 && now - figures_ms_ < 10'000 &&
        now >= figures_ms_)
        return;
    figures_ms_ = now;
    figures_maintenance_ = m;
    figures_.devices = devices_->status();
    auto* ob = hall_->outbox();
    figures_.outbox_depth = ob ? ob->depth() : 0;
    hall_->set_heartbeat(heartbeat_info(m == 1, figures_.devices, figures_.outbox_depth));
}

void App::settle() {
    // Scenarios drive the loop through here: operator commands run as they do in run().
    if (fleet_ && fleet_->step(clock_.now_ms())) restart_requested_.store(true);
    for (int i = 0; i < 16; ++i) {
        if (!step() && !frame_->pointer_pending() && frames_owed_ <= 0) break;
    }
}

void App::tap(float cx, float cy) {
    frame_->pointer(cx, cy, false);
    frame_->pointer(cx, cy, true);
    touched();
    frame_->pointer(cx, cy, false);
}

void App::wake() {
    SDL_Event e{};
    e.type = SDL_USEREVENT;
    SDL_PushEvent(&e);
}

int App::run(const std::atomic<bool>& stop) {
    auto log = log::get("app");
    bool first = true;
    while (!stop.load() && !restart_requested_.load()) {
        // The watchdog is fed from this loop only: a stuck loop stops feeding it.
        if (sdnotify::watchdog_due()) sdnotify::ping();
        // What the updater and fleet commands may ask from other threads: is anyone served?
        idle_.store(!core_->session().active && !core_->busy());
        if (fleet_ && fleet_->step(clock_.now_ms())) restart_requested_.store(true);
        if (step() && first) {
            first = false;
            log->info("first frame drawn");
            sdnotify::ready();
            // A new version on trial proves itself by drawing its first frame with its devices
            // started; the updater then reports success to the server (docs/fleet.md).
            if (!config_.update.ddi_url.empty() && update::report_healthy(config_.update.root))
                log->info("update: this version reported healthy");
            // The UI benchmark measures process start → first frame by this line.
            if (std::getenv("KIOSK_REPORT_FIRST_FRAME")) {
                std::fputs("first-frame\n", stdout);
                std::fflush(stdout);
            }
        }
        if (frames_owed_ > 0 || frame_->pointer_pending()) continue;
        // Nothing to draw: sleep until input, a device event (devices call wake()), the core's
        // next change, or wake(). The hall client posts no wake, so "hall down" waits at most a
        // second; on the attract screen that is the only periodic wake-up.
        const std::int64_t now = clock_.now_ms();
        const std::int64_t wake = core_->next_wakeup_ms();
        // While the hall has answers to deliver, look often (its client posts no wake-up).
        const std::int64_t cap = hall_->pending() ? 20 : 1000;
        const auto timeout = static_cast<int>(
            std::clamp<std::int64_t>(std::min(wake - now, sdnotify::next_ping_ms()), 1, cap));
        SDL_Event e;
        if (SDL_WaitEventTimeout(&e, timeout)) {
            handle_sdl(e);
            frames_owed_ = std::max(frames_owed_, 2);
        }
    }
    sdnotify::stopping();
    if (restart_requested_.load()) {
        // kiosk-launch starts the new slot when the supervisor restarts us.
        log->info("stopping to restart (an update or an operator's command)");
        return kRestartExitCode;
    }
    log->info("stopping");
    return 0;
}

}  // namespace kiosk::app
