#include "sim/demo/scenario.hpp"

#include <cstdlib>

#include "app/hall.hpp"
#include "sim/hall/hallsim.hpp"

#include <atomic>
#include <chrono>
#include <ctime>
#include <thread>
#include <filesystem>

#include "core/toml_text.hpp"

#include "app/app.hpp"
#include "app/devices.hpp"
#include "core/log.hpp"

namespace kiosk::app {
namespace {

bool parse_local_time(const std::string& s, std::int64_t& ms) {
    std::tm tm{};
    int y, mo, d, h, mi, sec = 0;
    if (std::sscanf(s.c_str(), "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &sec) < 5) return false;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    tm.tm_isdst = -1;
    const std::time_t t = std::mktime(&tm);
    if (t == static_cast<std::time_t>(-1)) return false;
    ms = static_cast<std::int64_t>(t) * 1000;
    return true;
}

bool any_text_contains(App& app, const std::string& needle) {
    for (const auto& t : app.frame().ui().texts())
        if (t.text.find(needle) != std::string::npos) return true;
    return false;
}

}  // namespace

// The in-process hall simulator as a scenario drives it: "down" / "up" (an outage and its end),
// "fail <n>" (the next n requests answer 503), "latency <ms>", "pay <order_id>"; the service
// desk: "desk on" / "desk off" / "desk hours" (staffing), "call" (waits until the kiosk's staff
// call has arrived), "ack <minutes>" (acknowledge the newest open staff call), "resolve".
namespace hall_sim {
constexpr std::string_view down = "down", up = "up";
}  // namespace hall_sim

bool simulate_hall(App& app, const std::string& action) {
    hallsim::HallSim* sim = app.hall().simulator();
    if (!sim) return false;
    if (action == hall_sim::down) {
        sim->stop();
        return true;
    }
    if (action == hall_sim::up) return sim->start();
    const auto space = action.find(' ');
    const std::string verb = action.substr(0, space);
    const std::string arg = space == std::string::npos ? "" : action.substr(space + 1);
    if (verb == "fail" || verb == "latency") {
        char* end = nullptr;
        const long n = std::strtol(arg.c_str(), &end, 10);
        if (arg.empty() || *end || n < 0 || n > 100000) return false;
        hallsim::Faults f = sim->faults();
        (verb == "fail" ? f.fail_next : f.latency_ms) = static_cast<int>(n);
        sim->set_faults(f);
        return true;
    }
    if (verb == "pay") return sim->pay(arg);
    if (verb == "desk") {
        if (arg != "on" && arg != "off" && arg != "hours") return false;
        sim->set_desk(arg == "on" ? 1 : arg == "off" ? 0 : -1);
        return true;
    }
    if (verb == "call" || verb == "ack" || verb == "resolve") {
        // The newest open call, once the kiosk's outbox has delivered it (up to 10 s).
        std::string newest;
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (newest.empty() && std::chrono::steady_clock::now() < until) {
            for (const auto& c : sim->assist_calls())
                if (c.state == "open" || c.state == "acknowledged") newest = c.call_id;
            if (newest.empty()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                app.settle();
            }
        }
        if (newest.empty()) return false;
        if (verb == "call") return true;
        if (verb == "resolve") return sim->resolve(newest);
        char* end = nullptr;
        const long n = std::strtol(arg.c_str(), &end, 10);
        if (arg.empty() || *end || n < 0 || n > 240) return false;
        return sim->acknowledge(newest, static_cast<int>(n));
    }
    if (verb == "autopay") {  // "autopay off" | "autopay <ms>": the simulated payer
        if (arg == "off") {
            sim->set_auto_pay_ms(-1);
            return true;
        }
        char* end = nullptr;
        const long ms = std::strtol(arg.c_str(), &end, 10);
        if (arg.empty() || *end || ms < 0 || ms > 600000) return false;
        sim->set_auto_pay_ms(static_cast<int>(ms));
        return true;
    }
    return false;
}

std::string layout_problem(App& app) {
    app.step(true);
    const auto& ui = app.frame().ui();
    for (const auto& t : ui.texts())
        if (t.overflow())
            return "layout: text '" + t.text + "' needs " + std::to_string(t.needed.x) + "x" +
                   std::to_string(t.needed.y) + " but has " + std::to_string(t.box.z) + "x" +
                   std::to_string(t.box.w);
    const float min = app.core().view().elder ? 90.f : 80.f;
    for (const auto& h : ui.hits())
        if (!h.clipped && (h.rect.w < min || h.rect.z < min))
            return "layout: button '" + h.id + "' is " + std::to_string(h.rect.z) + "x" +
                   std::to_string(h.rect.w) + " px (needs " + std::to_string(min) + ")";
    return {};
}

ScenarioResult run_scenario(App& app, const std::string& path, const std::string& dir) {
    auto log = log::get("scenario");
    ScenarioResult result;
    toml::table root;
    std::string text;
    if (!read_text_file(path, text)) return {2, path + ": cannot open the scenario", 0};
    if (auto err = parse_toml(text, path, root)) return {2, err->message, 0};
    if (auto c = root["clock"].value<std::string>()) {
        std::int64_t ms = 0;
        if (!parse_local_time(*c, ms)) return {2, path + ": bad clock '" + *c + "'", 0};
        app.clock().set_virtual(ms);
    }
    if (!dir.empty()) std::filesystem::create_directories(dir);
    app.settle();

    const auto* steps = root["step"].as_array();
    if (!steps) return {2, path + ": no [[step]] entries", 0};
    int n = 0;
    for (const auto& node : *steps) {
        ++n;
        const auto* step = node.as_table();
        if (!step) return {2, path + ": step " + std::to_string(n) + " is not a table", 0};
        const std::string where = path + ": step " + std::to_string(n) + " (line " +
                                  std::to_string(step->source().begin.line) + ")";
        auto fail = [&](const std::string& what) {
            log->error("{}: {}", where, what);
            return ScenarioResult{1, where + ": " + what, result.screenshots};
        };
        for (const auto& [k, v] : *step) {
            static const char* known[] = {"tap",
                                          "advance",
                                          "device",
                                          "expect_scene",
                                          "expect_text",
                                          "expect_no_text",
                                          "expect_warning",
                                          "screenshot",
                                          "note",
                                          "within",
                                          "wait"};
            bool ok = false;
            for (const char* kk : known) ok = ok || k.str() == kk;
            if (!ok) return {2, where + ": unknown key '" + std::string(k.str()) + "'", 0};
        }
        if (auto adv = (*step)["advance"].value<double>()) {
            if (!app.clock().is_virtual()) app.clock().set_virtual(app.clock().now_ms());
            app.clock().advance(static_cast<std::int64_t>(*adv * 1000));
            app.settle();
        }
        if (const auto* dev = (*step)["device"].as_array()) {
            auto d = (*dev)[0].value<std::string>();
            auto a = (*dev)[1].value<std::string>();
            if (!d || !a) return {2, where + ": device = [\"name\", \"action\"]", 0};
            if (*d == "hall") {
                if (!simulate_hall(app, *a)) return fail("hall cannot " + *a);
            } else if (!app.devices().simulate(*d, *a)) {
                return fail("device " + *d + " cannot " + *a);
            }
            app.settle();
        }
        if (auto wait = (*step)["wait"].value<double>()) {
            // Real time on the live loop: devices poll on their own clock (a reader notices a
            // lifted card at its next poll, about a second later).
            const auto until = std::chrono::steady_clock::now() +
                               std::chrono::milliseconds(static_cast<int>(*wait * 1000));
            while (std::chrono::steady_clock::now() < until) {
                app.settle();
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        }
        if (const auto& tap = (*step)["tap"]; tap) {
            // "id", ["id", "id", ...] (in order), or [x, y]. A button the hall's answer brings
            // is waited for (up to 10 s on the live loop).
            std::vector<std::string> ids;
            if (auto id = tap.value<std::string>()) {
                ids.push_back(*id);
            } else if (const auto* arr = tap.as_array();
                       arr && !arr->empty() && (*arr)[0].is_string()) {
                for (const auto& v : *arr) {
                    auto sv = v.value<std::string>();
                    if (!sv) return {2, where + ": tap = [\"id\", ...] must all be strings", 0};
                    ids.push_back(*sv);
                }
            } else if (const auto* xy = tap.as_array(); xy && xy->size() == 2) {
                app.tap(static_cast<float>((*xy)[0].value<double>().value_or(0)),
                        static_cast<float>((*xy)[1].value<double>().value_or(0)));
                app.settle();
            } else {
                return {2, where + ": tap = \"button-id\", [\"id\", ...] or [x, y]", 0};
            }
            for (const auto& id : ids) {
                // The elder-mode replay keeps elder mode on: its taps on the switch are skipped.
                if (id == "elder" && std::getenv("KIOSK_SCENARIO_ELDER")) continue;
                app.settle();
                const ui::Hit* hit = app.frame().ui().find_hit(id);
                const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
                while ((!hit || !hit->enabled) && std::chrono::steady_clock::now() < until) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));
                    app.settle();
                    hit = app.frame().ui().find_hit(id);
                }
                // A button on a tall page may be a screen further down (or up): scroll as a
                // person would, with the page's own buttons.
                for (const char* dir : {"scroll_down", "scroll_up"}) {
                    for (int i = 0; i < 6 && !hit; ++i) {
                        const ui::Hit* s = app.frame().ui().find_hit(dir);
                        if (!s || !s->enabled) break;
                        app.tap(s->rect.x + s->rect.z / 2, s->rect.y + s->rect.w / 2);
                        app.settle();
                        hit = app.frame().ui().find_hit(id);
                    }
                }
                if (!hit) return fail("no button '" + id + "' on screen");
                if (!hit->enabled) return fail("button '" + id + "' is disabled");
                app.tap(hit->rect.x + hit->rect.z / 2, hit->rect.y + hit->rect.w / 2);
                app.settle();
            }
        }
        app.settle();
        // Checks; with `within = seconds` they are retried on the live loop until they hold
        // (devices answer on their own time: a card read takes a poll and a paced read).
        auto check = [&]() -> std::string {
            if (auto s = (*step)["expect_scene"].value<std::string>()) {
                const std::string got = to_string(app.core().scene());
                if (got != *s) return "expected scene " + *s + ", got " + got;
            }
            if (auto w = (*step)["expect_warning"].value<bool>()) {
                if (app.core().view().warning != *w)
                    return std::string("expected the warning ") + (*w ? "shown" : "hidden");
            }
            if (auto t = (*step)["expect_text"].value<std::string>()) {
                if (!any_text_contains(app, *t)) return "no text on screen contains '" + *t + "'";
            }
            if (auto t = (*step)["expect_no_text"].value<std::string>()) {
                if (any_text_contains(app, *t)) return "a text on screen contains '" + *t + "'";
            }
            return {};
        };
        const double within = (*step)["within"].value<double>().value_or(0);
        const auto deadline = std::chrono::steady_clock::now() +
                              std::chrono::milliseconds(static_cast<int>(within * 1000));
        std::string problem = check();
        while (!problem.empty() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            app.settle();
            problem = check();
        }
        if (!problem.empty()) return fail(problem);
        // Every screen a scenario reaches is also a layout check: no text may overflow its box,
        // and every touch target must be large enough (60 dp ≈ 90 px in elder mode, 80 px
        // otherwise, on the 1080-wide panel).
        if (auto bad = layout_problem(app); !bad.empty()) return fail(bad);
        if (auto s = (*step)["screenshot"].value<std::string>()) {
            if (dir.empty()) continue;
            app.step(true);
            const std::string file = dir + "/" + *s + ".png";
            if (!app.display().save_png(file)) return fail("cannot write " + file);
            ++result.screenshots;
            log->info("saved {}", file);
        }
    }
    if (auto hold = root["hold"].value<double>()) {
        // Keep running on the real clock (the UI benchmark samples memory meanwhile).
        std::atomic<bool> stop{false};
        std::thread timer([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(*hold * 1000)));
            stop.store(true);
            App::wake();
        });
        app.run(stop);
        timer.join();
    }
    result.message = path + ": " + std::to_string(n) + " steps passed, " +
                     std::to_string(result.screenshots) + " screenshots";
    return result;
}

}  // namespace kiosk::app
