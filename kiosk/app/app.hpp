// The frame loop: SDL events in, core events and ticks, frames drawn only when something changed.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/catalog.hpp"
#include "core/config.hpp"
#include "core/i18n.hpp"
#include "core/kiosk_core.hpp"
#include "app/devices.hpp"
#include "ui/display.hpp"
#include "ui/fonts.hpp"
#include "ui/frame.hpp"

namespace kiosk::update {
class Updater;
}

namespace kiosk::app {

// Wall time, or a virtual clock the scenario runner moves; and a monotonic clock (CLOCK_BOOTTIME:
// counts through suspend, never set by anyone), which the virtual clock moves too.
class Clock {
  public:
    std::int64_t now_ms() const;
    std::int64_t mono_ms() const;
    void set_virtual(std::int64_t start_ms) {
        virtual_ = true;
        now_ = start_ms;
        mono_at_start_ = real_mono_ms();
        virtual_start_ = start_ms;
    }
    void advance(std::int64_t ms) { now_ += ms; }
    bool is_virtual() const { return virtual_; }
    static std::int64_t real_mono_ms();

  private:
    bool virtual_ = false;
    std::int64_t now_ = 0;
    std::int64_t mono_at_start_ = 0, virtual_start_ = 0;
};

class Devices;    // devices.hpp
class FleetLink;  // fleet_link.hpp
class Hall;       // hall.hpp

// run() returns this when it stopped to apply an update: the supervisor restarts the program
// (systemd Restart=, or kiosk-launch's caller) and kiosk-launch starts the new slot.
inline constexpr int kRestartExitCode = 75;

class App {
  public:
    App(Config config, I18n i18n, Catalog catalog);
    ~App();
    // The configuration file the program was started with ("" = built-in defaults): an
    // operator's pushed configuration is written there. Call before start().
    void set_config_path(std::string path) { config_path_ = std::move(path); }
    // Opens the window and devices. Returns an error message.
    std::string start();
    // The interactive loop, until `stop` is set; whoever sets it calls wake().
    int run(const std::atomic<bool>& stop);
    // Wakes a sleeping run() from any thread (it re-checks its stop flag).
    static void wake();

    // [SECTION] Used by the scenario runner and benchmarks
    // Handles pending SDL events and device events, ticks the core, draws if needed.
    // Returns true when a frame was drawn.
    bool step(bool force_draw = false);
    // Steps until nothing is pending (bounded).
    void settle();
    Core& core() { return *core_; }
    Clock& clock() { return clock_; }
    ui::Frame& frame() { return *frame_; }
    ui::Display& display() { return display_; }
    ui::FontManager& fonts() { return fonts_; }
    Devices& devices() { return *devices_; }
    // The devices' status and the outbox depth, taken on the frame loop every 10 s and at once
    // when maintenance starts or ends: the hall heartbeat and the fleet telemetry both read these.
    struct Figures {
        std::vector<DeviceInfo> devices;
        std::int64_t outbox_depth = 0;
    };
    const Figures& figures() const { return figures_; }
    Hall& hall() { return *hall_; }
    std::uint64_t frames_drawn() const { return frames_drawn_; }
    // A tap on the canvas, through the same path as a real touch.
    void tap(float cx, float cy);

  private:
    void handle_sdl(const SDL_Event& e);
    void apply_effects();
    void diagnostics(const fx::Diagnostics& e);
    void touched();
    void draw();
    void start_updater();
    void refresh_figures();

    Config config_;
    I18n i18n_;
    std::unique_ptr<Core> core_;
    Clock clock_;
    ui::Display display_;
    ui::FontManager fonts_;
    std::unique_ptr<ui::Frame> frame_;
    std::unique_ptr<Devices> devices_;
    std::unique_ptr<Hall> hall_;
    std::uint64_t drawn_revision_ = ~0ull;
    int frames_owed_ = 1;
    std::uint64_t frames_drawn_ = 0;
    std::int64_t last_frame_ms_ = 0;
    std::unique_ptr<update::Updater> updater_;
    std::unique_ptr<FleetLink> fleet_;
    Figures figures_;
    std::int64_t figures_ms_ = 0;  // when figures_ were last taken
    int figures_maintenance_ = -1;
    std::string config_path_;
    std::atomic<bool> idle_{true};
    std::atomic<bool> restart_requested_{false};
};

}  // namespace kiosk::app
