// The scenario runner: replays touches, device events and clock jumps from a TOML file through
// the real program (real core, real renderer, real simulators) and saves PNGs of named steps.
//
//   clock = "2026-11-26 21:30"          # optional: start a virtual clock (local time)
//   [[step]]
//   tap = "tile.pickup"                 # a button by id (waited for up to 10 s), several in
//                                       # order: tap = ["key/1", "key/ok"], or [540, 960]
//   advance = 61                        # seconds of virtual time
//   device = ["idcard", "place zhang"]  # drive a simulator; ["hall", "down"|"up"|"fail 3"|
//                                       #   "latency 500"|"pay <order_id>"|"autopay off"|
//                                       #   "autopay <ms>"] the hall simulator
//   expect_scene = "home"               # checks; a failed check fails the run (exit 1)
//   expect_text = "请轻触屏幕"           # some drawn text contains this
//   expect_no_text = "43060219900101"   # no drawn text contains this
//   expect_warning = true
//   screenshot = "home-zh"              # saves <dir>/home-zh.png
#pragma once

#include <string>

namespace kiosk::app {

class App;

struct ScenarioResult {
    int exit_code = 0;  // 0 passed, 1 a check failed, 2 the scenario file is bad
    std::string message;
    int screenshots = 0;
};

ScenarioResult run_scenario(App& app, const std::string& path, const std::string& screenshot_dir);

}  // namespace kiosk::app
