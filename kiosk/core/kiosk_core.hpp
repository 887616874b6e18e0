// The kiosk's logic with no SDL, no ImGui, no network: the session, the scenes and their
// transitions, the inactivity rules, and the view-model the screens draw.
//
// Scenes follow the Flipper Zero scene-manager pattern: one table (scenes/scenes.hpp) lists every
// scene with on_enter / on_event / on_exit; a scene changes scene only through go().
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "core/catalog.hpp"
#include "core/config.hpp"
#include "core/events.hpp"
#include "core/i18n.hpp"
#include "core/session.hpp"
#include "core/view.hpp"

namespace kiosk {

class Core {
  public:
    Core(Config config, const I18n& i18n, Catalog catalog);

    // Feeds one event; the view-model and revision reflect it on return.
    void handle(const Event& event);

    const ViewModel& view() const { return view_; }
    // Increases whenever the view-model changes: the UI draws a frame only then (and on input).
    std::uint64_t revision() const { return revision_; }
    // The wall time (ms) at which a Tick would next change the view or the session; the main loop
    // sleeps until then. max() when nothing is pending.
    std::int64_t next_wakeup_ms() const;
    std::vector<Effect> take_effects();

    SceneId scene() const { return scene_; }
    const Session& session() const { return session_; }

    // [SECTION] Scene context: what scenes use (scenes/*.cpp).
    void go(SceneId next);
    void go_back();
    void end_session(const std::string& reason);
    std::int64_t now_ms() const { return now_ms_; }
    Session& session_mut() { return session_; }
    const Config& config() const { return config_; }
    const Catalog& catalog() const { return catalog_; }
    std::string tr(std::string_view key,
                   const std::vector<std::pair<std::string, std::string>>& args = {}) const;
    bool device_up(const std::string& device) const;
    void emit(Effect effect);
    // Scene-local state that is not personal data (personal data lives in session().data).
    std::string selected_service;
    IdCardView idcard_state;

  private:
    void start_session();
    void rebuild_view();
    bool entry_enabled(const CatalogEntry& e) const;

    Config config_;
    const I18n& i18n_;
    Catalog catalog_;
    Session session_;
    std::string lang_;
    bool elder_ = false;
    bool voice_ = false;
    bool staff_called_ = false;
    SceneId scene_ = SceneId::Attract;
    std::vector<SceneId> history_;
    std::int64_t now_ms_ = 0;
    std::int64_t attract_since_ms_ = 0;
    std::map<std::string, bool, std::less<>> devices_;
    std::vector<Effect> effects_;
    ViewModel view_;
    std::uint64_t revision_ = 0;
    std::string last_prompt_;
};

}  // namespace kiosk
