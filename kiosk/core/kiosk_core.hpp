// The kiosk's logic with no SDL, no ImGui, no network: the session, the scenes and their
// transitions, the inactivity rules, and the view-model the screens draw.
//
// Scenes follow the Flipper Zero scene-manager pattern: one table (scenes/scenes.hpp) lists every
// scene with on_enter / on_event / on_exit; a scene changes scene only through go().
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/assist.hpp"
#include "core/catalog.hpp"
#include "core/config.hpp"
#include "core/events.hpp"
#include "core/flow.hpp"
#include "core/i18n.hpp"
#include "core/session.hpp"
#include "core/staff.hpp"
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
    // The monotonic clock of the last Tick (Tick::mono_ms), never moved by a clock change.
    std::int64_t mono_ms() const { return mono_ms_; }
    Session& session_mut() { return session_; }
    const Config& config() const { return config_; }
    const Catalog& catalog() const { return catalog_; }
    std::string tr(std::string_view key,
                   const std::vector<std::pair<std::string, std::string>>& args = {}) const;
    // In a given language (what the hall reads is Chinese whatever the screen shows).
    std::string tr_in(std::string_view lang, std::string_view key) const;
    bool device_up(const std::string& device) const;
    void emit(Effect effect);
    std::uint64_t next_tag() { return ++next_tag_; }
    // A staff call for `reason` (one at a time: false when one is already open). The screen
    // shows its true state (assist.hpp); flows call it for a door jam, paper out and the like.
    bool call_staff(std::string_view reason) { return assist_.call(*this, reason); }
    StaffCall& assist() { return assist_; }
    const StaffCall& assist() const { return assist_; }
    const std::string& lang() const { return lang_; }
    // "2026-11-26 21:30" in local time, for receipts.
    std::string clock_text() const;
    // Any wall time (ms since the epoch) the same way: "2026-11-26 08:30", local time.
    std::string time_text(std::int64_t ms) const;
    bool elder() const { return elder_; }

    // [SECTION] Requests to the world (flows). Each returns the tag its answer will carry.
    std::uint64_t hall(api::Request request);
    void hall_cancel(std::uint64_t tag);
    std::uint64_t outbox(std::string kind, std::string payload_json);
    std::uint64_t print(std::string receipt_template,
                        std::vector<std::pair<std::string, std::string>> fields);
    std::uint64_t print_pdf(std::string pdf, std::string title);
    // Locker operations are identified by their key (the hall's authorisation id, or a key the
    // flow makes); LockerUpdate events carry it back.
    // `pickup_id` (the hall's) goes into the locker reporter's pickup.completed.
    void locker_pickup(std::string key, int compartment, std::string pickup_id = {});
    void locker_deposit(std::string key, std::string min_size);
    void locker_open(std::string key, int compartment);
    // Scanning wanted (camera on) while this step shows; flows call it on their steps.
    void camera(bool on);
    // After a service is done: offer the rating (好差评) for this transaction, once.
    void rate(std::string service_id, std::string transaction_id);
    struct Rating {
        std::string service_id, transaction_id;
    };
    const Rating& rating_target() const { return rating_; }
    bool already_rated(const std::string& transaction_id) const;
    void mark_rated(const std::string& transaction_id);
    // True while a flow is in the middle of something that must not be interrupted.
    bool busy() const;
    Flow* flow() const { return flow_.get(); }
    // Scene-local state that is not personal data (personal data lives in session().data).
    std::string selected_service;
    IdCardView idcard_state;

    // [SECTION] Maintenance: the staff service menu (flows/service.cpp, docs/service-menu.md).
    // While on, the session is the staff's: no citizen flow runs, the out-of-service scene takes
    // no taps but the entry gesture, and the inactivity limit is service_menu.idle_seconds.
    bool maintenance() const { return maintenance_; }
    // `actor` (a staff id) is named in the audit record if maintenance ends by timeout.
    void set_maintenance(bool on, std::string actor = {});
    // The gesture interrupted a citizen's session: the service flow asks whether to end it.
    bool service_interrupted() const { return service_interrupted_; }
    // Open the service menu as soon as the current session ends (or now, by ending it).
    void open_service_after_session() { service_pending_ = true; }
    bool service_pending() const { return service_pending_; }

  private:
    void corner_tap();
    void start_service();
    std::int64_t inactivity_ms() const;
    void start_session();
    void rebuild_view();
    void enter_scene();
    void leave_scene();
    bool to_scene(const Event& event);
    bool entry_enabled(const CatalogEntry& e) const;

    Config config_;
    const I18n& i18n_;
    Catalog catalog_;
    Session session_;
    std::string lang_;
    bool elder_ = false;
    bool voice_ = false;
    StaffCall assist_;
    SceneId scene_ = SceneId::Attract;
    std::vector<SceneId> history_;
    std::int64_t now_ms_ = 0;
    std::int64_t mono_ms_ = 0;
    std::int64_t attract_since_ms_ = 0;
    std::map<std::string, bool, std::less<>> devices_;
    std::vector<Effect> effects_;
    ViewModel view_;
    std::uint64_t revision_ = 0;
    std::string last_prompt_;
    std::string last_call_note_;
    std::unique_ptr<Flow> flow_;
    std::uint64_t next_tag_ = 0;
    bool camera_on_ = false;
    Rating rating_;
    std::vector<std::string> rated_;  // transaction ids rated in this session
    staff::CornerGesture gesture_;
    bool maintenance_ = false;
    bool service_pending_ = false;
    bool service_interrupted_ = false;
    std::string maintenance_actor_;
};

}  // namespace kiosk
