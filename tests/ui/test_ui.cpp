#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include <SDL.h>

#include "app/app.hpp"
#include "sim/demo/scenario.hpp"
#include "core/log.hpp"
#include "sim/idcard/simulator.hpp"
#include "core/catalog.hpp"
#include "core/config.hpp"
#include "core/i18n.hpp"

using namespace kiosk;

// See tests/ui/CMakeLists.txt: SDL's video subsystem loads system libraries whose one-off
// allocations LeakSanitizer reports from an unloaded module; leak checking is off here only.
extern "C" const char* __asan_default_options() {
    return "detect_leaks=0";
}

namespace {

struct SdlOnce {
    SdlOnce() {
        setenv("SDL_VIDEODRIVER", "offscreen", 0);
        setenv("TZ", "Asia/Shanghai", 1);
        SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
        REQUIRE(SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) == 0);
    }
};

std::unique_ptr<app::App> make_app(const std::string& extra_config = {}) {
    static SdlOnce sdl;
    Config c;
    REQUIRE_FALSE(load_config(c, ""));
    if (!extra_config.empty()) REQUIRE_FALSE(apply_config(c, extra_config, "test"));
    c.display.fullscreen = false;
    // Each test process its own state (outbox, caches, the hall simulator's database).
    static std::string state = [] {
        char dir[] = "/tmp/kiosk-ui-test-XXXXXX";
        return std::string(mkdtemp(dir));
    }();
    c.kiosk.state_dir = state;
    I18n i18n;
    REQUIRE_FALSE(i18n.load_dir(KIOSK_SOURCE_DIR "/assets/i18n"));
    Catalog cat;
    REQUIRE_FALSE(load_catalog(KIOSK_SOURCE_DIR "/assets/catalog.toml", cat));
    auto a = std::make_unique<app::App>(std::move(c), std::move(i18n), std::move(cat));
    const std::string err = a->start();
    REQUIRE_MESSAGE(err.empty(), err);
    a->clock().set_virtual(1795786200000LL);  // 2026-11-26 21:30 +08:00
    a->settle();
    return a;
}

void tap(app::App& a, const char* id) {
    a.settle();
    const ui::Hit* h = a.frame().ui().find_hit(id);
    REQUIRE_MESSAGE(h, "no button " << id);
    a.tap(h->rect.x + h->rect.z / 2, h->rect.y + h->rect.w / 2);
    a.settle();
}

const std::string kOut = KIOSK_BINARY_DIR "/screenshots/ui";

}  // namespace

TEST_CASE("ui.fonts a rare-character name renders with no missing glyph") {
    auto a = make_app();
    tap(*a, "start");
    tap(*a, "tile.idcheck");
    Person p;
    p.name = "䶮龑";  // U+4DAE (CJK Extension A) as a surname, then U+9F91
    p.id_number = "43060219900101123X";
    p.card_type = "resident";
    p.valid_to = "长期";
    p.check_digit_ok = true;
    a->core().handle(CardRead{p});
    a->settle();
    CHECK(a->core().view().idcard.masked_name == "䶮*");
    CHECK(a->fonts().missing().empty());
    bool drawn = false;
    for (const auto& t : a->frame().ui().texts()) drawn = drawn || t.text == "䶮*";
    CHECK(drawn);
    std::filesystem::create_directories(kOut);
    CHECK(a->display().save_png(kOut + "/rare-name.png"));
    // And every character of the full name has a font (primary or the BabelStone fallback).
    a->fonts().want("䶮龑㐀䲜");
    CHECK(a->fonts().missing().empty());
}

TEST_CASE("ui.fonts the atlas holds only glyphs in use and grows for new text") {
    auto a = make_app();
    const auto before = a->fonts().glyph_count();
    CHECK(before < 400);  // ASCII plus the attract screen's characters, not 2,500 hanzi
    tap(*a, "start");
    const auto after = a->fonts().glyph_count();
    CHECK(after > before);  // the home screen brought new characters
    CHECK(a->fonts().atlas_width() <= 2048);
    CHECK(a->fonts().atlas_height() <= 2048);
    CHECK_FALSE(a->fonts().fallback_loaded());  // the 51 MB fallback only when needed
}

TEST_CASE("ui.render no frame is drawn while nothing on screen changes") {
    auto a = make_app();
    const auto frames = a->frames_drawn();
    for (int i = 0; i < 20; ++i) a->step();
    CHECK(a->frames_drawn() == frames);
    a->clock().advance(60'000);  // the minute changes: one frame
    a->settle();
    CHECK(a->frames_drawn() > frames);
}

TEST_CASE("ui.shell quit requests and key combinations do not end the program") {
    auto a = make_app();
    SDL_Event q{};
    q.type = SDL_QUIT;
    SDL_PushEvent(&q);
    for (SDL_Keycode k : {SDLK_F4, SDLK_TAB, SDLK_q, SDLK_ESCAPE}) {
        SDL_Event e{};
        e.type = SDL_KEYDOWN;
        e.key.keysym.sym = k;
        e.key.keysym.mod = KMOD_LALT | KMOD_LCTRL;
        SDL_PushEvent(&e);
    }
    std::atomic<bool> stop{false};
    std::thread t([&] {
        SDL_Delay(1200);
        stop.store(true);
        app::App::wake();
    });
    const auto scene = a->core().scene();
    a->run(stop);
    const bool stopped_by_flag = stop.load();
    t.join();
    CHECK(stopped_by_flag);  // run() returned only because of the stop flag (SIGTERM)
    CHECK(a->core().scene() == scene);
}

TEST_CASE("ui.rotation touches map back onto the canvas for every mounting") {
    for (int rot : {0, 90, 180, 270}) {
        auto a =
            make_app("[display]\nrotation = " + std::to_string(rot) + "\nwindow_scale = 0.5\n");
        auto& d = a->display();
        for (auto [x, y] : {std::pair{0.f, 0.f}, {1080.f, 0.f}, {540.f, 960.f}, {100.f, 1800.f}}) {
            float wx = 0, wy = 0, cx = 0, cy = 0;
            d.to_window(x, y, wx, wy);
            d.to_canvas(wx, wy, cx, cy);
            CHECK(cx == doctest::Approx(x).epsilon(0.001));
            CHECK(cy == doctest::Approx(y).epsilon(0.001));
        }
        // The window is landscape when the portrait canvas is mounted sideways.
        int ww = 0, wh = 0;
        SDL_GetWindowSize(d.window(), &ww, &wh);
        CHECK((rot == 90 || rot == 270) == (ww > wh));
    }
}

TEST_CASE("ui.layout no text overflows and targets are large enough on every screen") {
    auto a = make_app();
    struct Visit {
        const char* name;
        std::function<void(app::App&)> go;
    };
    auto check_screen = [&](const std::string& what) {
        a->settle();
        a->step(true);
        const bool elder = a->core().view().elder;
        for (const auto& t : a->frame().ui().texts())
            CHECK_MESSAGE(!t.overflow(), what << ": text overflows: " << t.text << " needs "
                                              << t.needed.x << "x" << t.needed.y << " in "
                                              << t.box.z << "x" << t.box.w);
        for (const auto& h : a->frame().ui().hits()) {
            // 60 dp ≈ 90 px on the 1080-wide panel; elder mode needs it, normal mode gets 80 px.
            const float min = elder ? 90.f : 80.f;
            CHECK_MESSAGE(h.rect.w >= min,
                          what << ": button " << h.id << " is " << h.rect.w << " px tall");
            CHECK_MESSAGE(h.rect.z >= min,
                          what << ": button " << h.id << " is " << h.rect.z << " px wide");
        }
    };
    for (const char* lang : {"zh-CN", "en"}) {
        for (bool elder : {false, true}) {
            const std::string tag = std::string(lang) + (elder ? " elder" : "");
            check_screen("attract " + tag);
            a->core().handle(Intent{"home", ""});
            if (a->core().view().lang != lang) a->core().handle(Intent{"lang", lang});
            if (a->core().view().elder != elder) a->core().handle(Intent{"elder", ""});
            check_screen("home " + tag);
            a->core().handle(Intent{"tile", "pickup"});
            check_screen("coming soon " + tag);
            a->core().handle(Intent{"home", ""});
            a->core().handle(Intent{"tile", "idcheck"});
            check_screen("idcard " + tag);
            a->clock().advance(60'000);
            check_screen("warning " + tag);
            a->core().handle(Intent{"finish", ""});
        }
    }
}

TEST_CASE("ui.privacy a full ID-card scenario logs no personal data") {
    char dir[] = "/tmp/kiosk-pii-XXXXXX";
    REQUIRE(mkdtemp(dir));
    const std::string log_file = std::string(dir) + "/kiosk.log";
    log::init({.file = log_file, .level = "debug", .to_stderr = false});
    {
        auto a = make_app();
        const auto r = app::run_scenario(*a, KIOSK_SOURCE_DIR "/tests/scenarios/idcard.toml", "");
        REQUIRE_MESSAGE(r.exit_code == 0, r.message);
    }
    log::flush();
    std::ifstream in(log_file);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    log::init({});
    std::filesystem::remove_all(dir);
    CHECK(text.find("card read") != std::string::npos);  // the run did log the reads
    for (const char* key : {"resident", "bad-check"}) {
        auto id = idcard::synthetic_identity(key);
        REQUIRE(id);
        for (const std::string* pii : {&id->name, &id->id_number, &id->address, &id->birth}) {
            if (pii->empty()) continue;
            CHECK_MESSAGE(text.find(*pii) == std::string::npos, key << ": log holds " << *pii);
        }
    }
}

TEST_CASE("ui.camera the live preview shows on a scanning step where the kiosk has a camera") {
    // The simulated camera plays still images through the real camera pipeline (decoder,
    // preview); the pickup flow's identify step switches it on and draws its preview.
    auto a = make_app("[devices]\ncamera = \"sim:camera\"\n");
    tap(*a, "start");
    tap(*a, "tile.pickup");
    bool shown = false;
    for (int i = 0; i < 500 && !shown; ++i) {
        a->step(true);
        int w = 0, h = 0;
        shown = a->frame().ui().camera_texture(w, h) != nullptr && w > 0 && h > 0;
        if (!shown) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(shown);
    a->step(true);
    std::filesystem::create_directories(kOut);
    CHECK(a->display().save_png(kOut + "/camera-preview.png"));
}
