// Attract screen: what a passer-by sees at 3 am. No flashing, nothing to read twice; a touch
// anywhere starts a session (handled by the frame loop); the language button starts it in English.
#include "core/intents.hpp"
#include "ui/screens/screens.hpp"

namespace kiosk::ui::screens {

void attract(Ui& ui, const ViewModel& vm) {
    const Theme& t = ui.theme();
    const float W = ui.width(), H = ui.height();
    ui.rect({0, 0, W, H * 0.46f}, t.header);
    // The hall's name above the clock: Title size when it fits in two lines' room (elder mode's
    // larger Title does not for a long name), else the next size down.
    const float name_w = W - 2 * t.margin;
    const FontRole name_role = ui.measure(vm.hall_name, name_w, FontRole::Title) <= 200
                                   ? FontRole::Title
                                   : FontRole::Large;
    ui.text(vm.hall_name, {t.margin, t.margin * 2, name_w, 200}, name_role, t.header_text,
            Ui::Align::Center);
    ui.text(vm.clock, {0, H * 0.14f, W, 220}, FontRole::Clock, t.header_text, Ui::Align::Center,
            false);
    ui.text(vm.date, {0, H * 0.30f, W, 80}, FontRole::Large, t.header_text, Ui::Align::Center,
            false);
    ui.text(vm.open_hours, {0, H * 0.37f, W, 80}, FontRole::Large, t.header_text, Ui::Align::Center,
            false);

    // The notice card.
    const ImVec4 card{t.margin, H * 0.52f, W - 2 * t.margin, H * 0.22f};
    ui.rect(card, t.surface, t.radius);
    const ImVec4 notice_box{card.x + 2 * t.gap, card.y + 2 * t.gap, card.z - 4 * t.gap,
                            card.w - 4 * t.gap};
    const FontRole notice_role =
        ui.measure(vm.notice, notice_box.z, FontRole::Title) <= notice_box.w ? FontRole::Title
                                                                             : FontRole::Large;
    ui.text(vm.notice, notice_box, notice_role, t.text);
    // Which notice of how many, drawn as dots (position, not colour alone: the current is larger).
    for (int i = 0; i < vm.notice_count; ++i) {
        const float cx = W / 2 + (static_cast<float>(i) - (vm.notice_count - 1) / 2.0f) * 40;
        ui.draw()->AddCircleFilled({cx, card.y + card.w - t.gap}, i == vm.notice_index ? 10 : 6,
                                   i == vm.notice_index ? t.primary : t.border);
    }

    // The hidden service-menu target (five taps within 3 s: core/staff.hpp); before the
    // full-screen start target so it keeps its taps.
    const Intent corner{intents::corner, ""};
    ui.button(intents::corner, "", {0, 0, 120, 120}, Ui::Style::Ghost, true, &corner);
    // A big start button at a height everyone reaches, and the language switch.
    const Intent start{intents::home, ""};
    ui.button("start", vm.labels.touch_to_start,
              {t.margin * 2, H * 0.78f, W - 4 * t.margin, t.button_h * 1.3f}, Ui::Style::Primary,
              true, &start, FontRole::Title);
    const Intent lang{intents::lang, ""};
    ui.button(intents::lang, vm.labels.other_language,
              {W / 2 - 180, H * 0.78f + t.button_h * 1.3f + t.gap * 2, 360, t.button_h},
              Ui::Style::Secondary, true, &lang);
    // Anywhere else starts a session too. Submitted last so the buttons above keep their taps.
    ui.button("attract", "", {0, 0, W, H}, Ui::Style::Ghost, true, &start);
}

}  // namespace kiosk::ui::screens
