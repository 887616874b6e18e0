#include "core/scenes/scenes.hpp"

namespace kiosk::scenes {
namespace {

void nothing(Core&) {}
bool ignore(Core&, const Event&) {
    return false;
}
void nofill(const Core&, ViewModel&) {}

const Scene kScenes[] = {
    {SceneId::Attract, "attract", nothing, ignore, nothing, attract_fill},
    {SceneId::Home, "home", nothing, home_event, nothing, home_fill},
    {SceneId::ComingSoon, "coming_soon", nothing, ignore, nothing, coming_soon_fill},
    {SceneId::IdCard, "idcard", idcard_enter, idcard_event, idcard_exit, idcard_fill},
    {SceneId::OutOfService, "out_of_service", nothing, ignore, nothing, out_of_service_fill},
    // Flows: one row each.
    {SceneId::Ticket, "ticket", nothing, ignore, nothing, nofill, make_ticket_flow},
    {SceneId::Payment, "payment", nothing, ignore, nothing, nofill, make_payment_flow},
    {SceneId::Proof, "proof", nothing, ignore, nothing, nofill, make_proof_flow},
    {SceneId::Progress, "progress", nothing, ignore, nothing, nofill, make_progress_flow},
    {SceneId::Evaluation, "evaluation", nothing, ignore, nothing, nofill, make_evaluation_flow},
    {SceneId::Complaint, "complaint", nothing, ignore, nothing, nofill, make_complaint_flow},
    {SceneId::Service, "service", nothing, ignore, nothing, nofill, make_service_flow},
    {SceneId::Guides, "guides", nothing, ignore, nothing, nofill, make_guides_flow},
    {SceneId::Convenience, "convenience", nothing, ignore, nothing, nofill, make_convenience_flow},
    {SceneId::Pickup, "pickup", nothing, ignore, nothing, nofill, make_pickup_flow},
};

}  // namespace

const Scene* find(std::string_view name) {
    for (const auto& s : kScenes)
        if (name == s.name) return &s;
    return nullptr;
}

const Scene& get(SceneId id) {
    for (const auto& s : kScenes)
        if (s.id == id) return s;
    return kScenes[0];
}

}  // namespace kiosk::scenes

namespace kiosk {
const char* to_string(SceneId id) {
    return scenes::get(id).name;
}
}  // namespace kiosk
