// [SECTION] The scene table: every scene of the kiosk, in one place.
#pragma once

#include "core/events.hpp"
#include "core/flow.hpp"
#include "core/view.hpp"

namespace kiosk {
class Core;
}

namespace kiosk::scenes {

struct Scene {
    SceneId id;
    const char* name;
    void (*on_enter)(Core&);
    // Returns true when the event was used.
    bool (*on_event)(Core&, const Event&);
    void (*on_exit)(Core&);
    // Fills the scene's part of the view-model (title, prompt, body, scene fields).
    void (*fill)(const Core&, ViewModel&);
    // Flow scenes: the core creates the flow on entry and destroys it on exit; the four
    // functions above are then unused.
    FlowFactory make = nullptr;
};

const Scene& get(SceneId id);
// The scene whose name is `name` ("pickup"), for catalog entries; null if none.
const Scene* find(std::string_view name);

// Scene files
void attract_fill(const Core&, ViewModel&);
void home_fill(const Core&, ViewModel&);
bool home_event(Core&, const Event&);
void coming_soon_fill(const Core&, ViewModel&);
void idcard_enter(Core&);
bool idcard_event(Core&, const Event&);
void idcard_exit(Core&);
void idcard_fill(const Core&, ViewModel&);
void out_of_service_fill(const Core&, ViewModel&);

// Flow factories (kiosk/core/flows/*.cpp), one per flow scene.
std::unique_ptr<Flow> make_ticket_flow();
std::unique_ptr<Flow> make_payment_flow();
std::unique_ptr<Flow> make_proof_flow();
std::unique_ptr<Flow> make_progress_flow();
std::unique_ptr<Flow> make_evaluation_flow();
std::unique_ptr<Flow> make_complaint_flow();
std::unique_ptr<Flow> make_service_flow();
std::unique_ptr<Flow> make_guides_flow();
std::unique_ptr<Flow> make_convenience_flow();
std::unique_ptr<Flow> make_pickup_flow();

}  // namespace kiosk::scenes
