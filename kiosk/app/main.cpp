// main: reads the configuration, builds the core, the display and the devices, and runs the loop.
// Nothing else lives here.
//
// Built twice (kiosk/app/CMakeLists.txt): `kiosk`, the production program, which runs only on a
// configuration file naming real devices and a real hall; and `kiosk-demo` (KIOSK_WITH_SIMULATORS),
// which starts simulators for "sim:" settings, runs on the built-in demo configuration when given
// none, and replays scenarios.
//
// Exit codes: 0 ok · 1 a scenario check failed · 2 bad scenario file · 64 bad arguments ·
// 66 configuration file missing · 69 display, fonts or assets unavailable · 78 bad configuration
// (in `kiosk` also: no configuration file, or a setting that names a simulator).
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include <SDL.h>

#include "app/app.hpp"
#include "app/hardening.hpp"
#include "app/production.hpp"
#include "core/intents.hpp"
#include "core/log.hpp"
#include "core/paths.hpp"
#if KIOSK_WITH_SIMULATORS
#include "sim/demo/scenario.hpp"
#endif

namespace {

std::atomic<bool> g_stop{false};

std::int64_t mono_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

#if KIOSK_WITH_SIMULATORS
constexpr const char* kProgram = "kiosk-demo";
#else
constexpr const char* kProgram = "kiosk";
#endif

void usage() {
#if KIOSK_WITH_SIMULATORS
    std::fputs(
        "usage: kiosk-demo [--config FILE] [--scenario FILE --screenshots DIR] [--check-config]\n"
        "                  [--bench-frames N] [--version] [--help]\n",
        stderr);
#else
    std::fputs(
        "usage: kiosk --config FILE [--check-config] [--bench-frames N] [--version] [--help]\n",
        stderr);
#endif
}

// --help: the options and exit codes. The package's man page is made from this text
// (help2man, packaging/man/), so it is the one description of the command line.
void help() {
#if KIOSK_WITH_SIMULATORS
    std::fputs(
        "Usage: kiosk-demo [--config FILE] [--scenario FILE --screenshots DIR] [OPTION]...\n"
        "The 24-hour e-station kiosk with simulated devices and a simulated hall (the demo).\n"
        "\n"
        "Options:\n"
        "  --config FILE       read the configuration from FILE (TOML); without it, the\n"
        "                      built-in defaults: every device and the hall simulated\n"
        "  --scenario FILE     replay a scripted scenario (tests/scenarios/) and exit\n"
        "  --screenshots DIR   where the scenario saves its screenshots\n",
        stdout);
#else
    std::fputs(
        "Usage: kiosk --config FILE [OPTION]...\n"
        "The 24-hour e-station self-service kiosk: a fullscreen touch interface for a\n"
        "government service hall, driving the kiosk's ID-card reader, scanners, printers and\n"
        "locker boards and talking to the hall's backend. Started by systemd at boot\n"
        "(estation-kiosk-session.service); run by hand to check a configuration.\n"
        "\n"
        "Options:\n"
        "  --config FILE       read the configuration from FILE (TOML; the package's is\n"
        "                      /etc/estation-kiosk/kiosk.toml). The program refuses a\n"
        "                      configuration that names a simulator\n",
        stdout);
#endif
    std::fputs(
        "  --check-config      check the configuration, say whether it is OK, and exit\n"
        "  --bench-frames N    render N frames of the attract and home screens, print the\n"
        "                      mean frame time in milliseconds, and exit\n"
        "  --version           print the version and exit\n"
        "  --help              print this help and exit\n"
        "\n"
        "Exit status:\n"
        "  0    stopped by SIGTERM or SIGINT, or the check passed\n"
        "  64   a bad command line\n"
        "  66   the configuration file is missing\n"
        "  69   translations, catalog, display or devices could not be started\n"
        "  78   the configuration is invalid (the message names the file, line and key)\n",
        stdout);
}

}  // namespace

int main(int argc, char** argv) {
#if !KIOSK_WITH_SIMULATORS
    // Before anything can hold a citizen's data: no core dumps, no ptrace (hardening.hpp).
    const std::string hardening = kiosk::app::harden_process();
#endif
    std::string config_path, scenario_path, screenshot_dir;
    bool check_only = false;
    int bench_frames = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= argc) return false;
            out = argv[++i];
            return true;
        };
        std::string n;
        if (a == "--config" && value(config_path)) continue;
#if KIOSK_WITH_SIMULATORS
        if (a == "--scenario" && value(scenario_path)) continue;
        if (a == "--screenshots" && value(screenshot_dir)) continue;
#endif
        if (a == "--check-config") {
            check_only = true;
            continue;
        }
        if (a == "--bench-frames" && value(n)) {
            bench_frames = std::atoi(n.c_str());
            continue;
        }
        if (a == "--help") {
            help();
            return 0;
        }
        if (a == "--version") {
            std::printf("estation-kiosk %s\n", KIOSK_VERSION);
            return 0;
        }
        usage();
        return 64;
    }

    kiosk::Config config;
    if (auto err = kiosk::load_config(config, config_path)) {
        std::fprintf(stderr, "%s: configuration: %s\n", kProgram, err->message.c_str());
        return err->exit_code();
    }
#if !KIOSK_WITH_SIMULATORS
    // The built-in configuration is the demo's (simulated devices, a simulated hall): the
    // production program never runs on it quietly.
    if (const auto missing = kiosk::app::production_problems(config, config_path);
        !missing.empty()) {
        for (const auto& m : missing) std::fprintf(stderr, "kiosk: configuration: %s\n", m.c_str());
        std::fputs(
            "kiosk: the production program drives real devices and a real hall only; "
            "kiosk-demo runs the simulated demo\n",
            stderr);
        return 78;
    }
#endif
    if (check_only) {
        std::printf("%s: configuration OK\n", kProgram);
#if !KIOSK_WITH_SIMULATORS
        // What harden_process() did at the top of main (app.production.refuse reads it).
        std::printf("kiosk: core dumps %s\n", kiosk::app::dumps_disabled() ? "off" : "NOT off");
#endif
        return 0;
    }
    kiosk::log::init({.file = config.log.file,
                      .max_size_bytes = static_cast<std::size_t>(config.log.max_size_mb) << 20,
                      .max_files = static_cast<std::size_t>(config.log.max_files),
                      .level = config.log.level});
    auto log = kiosk::log::get("main");
    log->info("estation-kiosk {} starting (kiosk {})", KIOSK_VERSION, config.kiosk.id);
#if !KIOSK_WITH_SIMULATORS
    if (!hardening.empty()) log->warn("core dumps may not be off: {}", hardening);
#endif

    const std::string assets = kiosk::resolve_assets_dir(config);
    kiosk::I18n i18n;
    if (auto e = i18n.load_dir(assets + "/i18n")) {
        log->critical("translations: {}", *e);
        return 69;
    }
    kiosk::Catalog catalog;
    if (auto e = kiosk::load_catalog(assets + "/catalog.toml", catalog)) {
        log->critical("catalog: {}", *e);
        return 69;
    }

    // Our own signal handling: SIGTERM/SIGINT stop the loop; nothing a person can press does.
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1");
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    // Blocked here, before any thread exists, so every thread inherits the mask and only the
    // waiter below receives them: it sets the stop flag and wakes the frame loop at once (the
    // loop otherwise sleeps until the next thing on screen changes).
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::thread([stop_signals] {
        int sig = 0;
        sigwait(&stop_signals, &sig);
        g_stop.store(true);
        kiosk::app::App::wake();
    }).detach();
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        log->critical("SDL: {}", SDL_GetError());
        return 69;
    }
    SDL_EventState(SDL_TEXTINPUT, SDL_DISABLE);
    SDL_EventState(SDL_DROPFILE, SDL_DISABLE);

    int rc = 0;
    {
        kiosk::app::App app(std::move(config), std::move(i18n), std::move(catalog));
        app.set_config_path(config_path);
        if (auto e = app.start(); !e.empty()) {
            log->critical("{}", e);
            SDL_Quit();
            return 69;
        }
        if (SDL_Window* w = app.display().window()) SDL_SetWindowKeyboardGrab(w, SDL_TRUE);

        if (bench_frames > 0) {
            // Frame cost on the attract and home screens (the benchmark reads this line).
            auto measure = [&] {
                const std::int64_t t0 = mono_ms();
                for (int i = 0; i < bench_frames; ++i) app.step(true);
                return static_cast<double>(mono_ms() - t0) / bench_frames;
            };
            app.settle();
            const double attract = measure();
            app.core().handle(kiosk::Intent{kiosk::intents::home, ""});
            app.settle();
            const double home = measure();
            std::printf("frame_ms attract %.2f home %.2f\n", attract, home);
        }
#if KIOSK_WITH_SIMULATORS
        else if (!scenario_path.empty()) {
            const auto r = kiosk::app::run_scenario(app, scenario_path, screenshot_dir);
            if (r.exit_code == 0) {
                log->info("{}", r.message);
                std::printf("scenario passed: %s\n", r.message.c_str());
            } else {
                std::fprintf(stderr, "scenario FAILED: %s\n", r.message.c_str());
            }
            rc = r.exit_code;
        }
#endif
        else {
            rc = app.run(g_stop);
        }
    }
    kiosk::log::flush();
    SDL_Quit();
    return rc;
}
