// Read my ID card (身份证读取): place the card, see it read and masked. The building block every
// identity step (pickup, progress, proofs, payment) reuses.
#include "core/flows/common.hpp"
#include "core/intents.hpp"
#include "core/kiosk_core.hpp"
#include "core/log.hpp"
#include "core/pii.hpp"
#include "core/scenes/scenes.hpp"

namespace kiosk::scenes {

void idcard_enter(Core& core) {
    core.idcard_state = {};
    core.idcard_state.state =
        core.device_up("idcard") ? IdCardView::State::Waiting : IdCardView::State::Unavailable;
}

void idcard_exit(Core& core) {
    core.idcard_state = {};
}

bool idcard_event(Core& core, const Event& event) {
    auto& st = core.idcard_state;
    if (const auto* read = std::get_if<CardRead>(&event)) {
        // The one identify step: it also masks the ID number, which this scene once left out.
        flows::take_person(core, read->person);
        st.state = IdCardView::State::Read;
        st.masked_name = pii::mask_name(read->person.name);
        st.masked_id = pii::mask_id_number(read->person.id_number);
        st.valid_to = read->person.valid_to;
        st.card_type = read->person.card_type;
        st.check_digit_ok = read->person.check_digit_ok;
        log::get("idcard")->info("card read: type {}, check digit {}", read->person.card_type,
                                 read->person.check_digit_ok ? "ok" : "BAD");
        return true;
    }
    if (std::holds_alternative<CardRemoved>(event)) {
        // The data stays for this session (the person may still use it); the screen says so.
        return true;
    }
    if (const auto* failed = std::get_if<CardReadFailed>(&event)) {
        st.state = IdCardView::State::Failed;
        st.message = failed->reason;
        return true;
    }
    if (const auto* dev = std::get_if<DeviceAvailability>(&event); dev && dev->device == "idcard") {
        if (!dev->up)
            st.state = IdCardView::State::Unavailable;
        else if (st.state == IdCardView::State::Unavailable)
            st.state = IdCardView::State::Waiting;
        return true;
    }
    if (const auto* intent = std::get_if<Intent>(&event);
        intent && intent->action == intents::retry) {
        st = {};
        st.state =
            core.device_up("idcard") ? IdCardView::State::Waiting : IdCardView::State::Unavailable;
        return true;
    }
    return false;
}

void idcard_fill(const Core& core, ViewModel& vm) {
    vm.title = core.tr("service.idcheck.title");
    vm.can_go_back = true;
    vm.idcard = core.idcard_state;
    switch (core.idcard_state.state) {
        case IdCardView::State::Waiting:
            vm.prompt = core.tr("idcard.place");
            break;
        case IdCardView::State::Read:
            vm.prompt =
                core.tr(core.idcard_state.check_digit_ok ? "idcard.read_ok" : "idcard.check_bad");
            break;
        case IdCardView::State::Failed:
            vm.prompt = core.tr("idcard.failed." + core.idcard_state.message);
            break;
        case IdCardView::State::Unavailable:
            vm.prompt = core.tr("idcard.unavailable");
            break;
    }
    vm.body = vm.prompt;
}

}  // namespace kiosk::scenes
