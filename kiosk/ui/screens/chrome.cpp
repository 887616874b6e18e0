// The frame of every session screen. Controls sit low on the portrait panel, where a person in a
// wheelchair can reach them; back and "call staff" are on every step.
#include <algorithm>

#include "core/intents.hpp"
#include "ui/screens/screens.hpp"

namespace kiosk::ui::screens {

ImVec4 chrome(Ui& ui, const ViewModel& vm) {
    const Theme& t = ui.theme();
    const float W = ui.width(), H = ui.height();

    // Header: hall name (wrapping if it must), the date under it, the clock on the right.
    const float clock_w = 240;
    const float name_w = W - 2 * t.margin - clock_w;
    const float top = t.margin * 0.6f;
    const float name_h = ui.measure(vm.hall_name, name_w, FontRole::Body);
    const float date_h = ui.fonts().size(FontRole::Body) * 1.3f;
    // Voice guidance on/off sits under the clock (the footer's two rows are full).
    const float clock_h = ui.fonts().size(FontRole::Large) * 1.3f;
    const float voice_h = ui.elder() ? 92.0f : 82.0f;
    const float header_h =
        std::max({t.header_h, top + name_h + date_h + top, top + clock_h + voice_h + top});
    ui.rect({0, 0, W, header_h}, t.header);
    {
        // The hidden service-menu target (five taps within 3 s: core/staff.hpp).
        const Intent corner{intents::corner, ""};
        ui.button(intents::corner, "", {0, 0, 120, 120}, Ui::Style::Ghost, true, &corner);
    }
    {
        const Intent voice{intents::voice, ""};
        const std::string& label = vm.voice ? vm.labels.voice_off : vm.labels.voice_on;
        const float vw = clock_w + 20;
        ui.button(intents::voice, label, {W - t.margin - vw, top + clock_h, vw, voice_h},
                  Ui::Style::Secondary, true, &voice, FontRole::Body);
    }
    ui.text(vm.hall_name, {t.margin, top, name_w, name_h + 1}, FontRole::Body, t.header_text);
    ui.text(vm.clock,
            {W - t.margin - clock_w, top, clock_w, ui.fonts().size(FontRole::Large) * 1.3f},
            FontRole::Large, t.header_text, Ui::Align::Right, false);
    ui.text(vm.date, {t.margin, top + name_h, name_w - t.gap, date_h}, FontRole::Body,
            t.header_text, Ui::Align::Left, false);

    float y = header_h + t.gap;
    // Title of the step.
    if (!vm.title.empty()) {
        y += ui.text(vm.title,
                     {t.margin, y, W - 2 * t.margin, ui.fonts().size(FontRole::Title) * 2.7f},
                     FontRole::Title, t.text);
        y += t.gap / 2;
    }
    // Notices: a device or the hall is down, staff were called.
    for (const auto& b : vm.banners) {
        // As tall as its text (a staff call after hours says what to do in three lines), and
        // never shorter than two lines.
        const float min_h = ui.fonts().size(FontRole::Body) * 1.3f * 2;
        const float bh =
            std::max(min_h, ui.measure(b, W - 2 * t.margin - 2 * t.gap, FontRole::Body)) + t.gap;
        ui.rect({t.margin, y, W - 2 * t.margin, bh}, IM_COL32(0xFF, 0xF1, 0xC2, 0xFF), t.radius);
        ui.text(b, {t.margin + t.gap, y + t.gap / 2, W - 2 * t.margin - 2 * t.gap, bh - t.gap},
                FontRole::Body, t.text);
        y += bh + t.gap / 2;
    }

    // Footer: two rows of large buttons.
    const float fy = H - t.footer_h;
    ui.rect({0, fy, W, t.footer_h}, t.surface);
    ui.draw()->AddLine({0, fy}, {W, fy}, t.border, 2);
    const float bw = (W - 2 * t.margin - 2 * t.gap) / 3;
    const float row1 = fy + t.gap;
    const float row2 = row1 + t.button_h + t.gap;
    const Intent back{intents::back, ""}, home{intents::home, ""}, finish{intents::finish, ""};
    const Intent lang{intents::lang, ""}, elder{intents::elder, ""}, staff{intents::staff, ""},
        staff_cancel{intents::staff_cancel, ""};
    ui.button(intents::back, vm.labels.back, {t.margin, row1, bw, t.button_h}, Ui::Style::Secondary,
              vm.can_go_back, &back);
    ui.button(intents::home, vm.labels.home, {t.margin + bw + t.gap, row1, bw, t.button_h},
              Ui::Style::Secondary, vm.scene != SceneId::Home, &home);
    ui.button(intents::finish, vm.labels.finish,
              {t.margin + 2 * (bw + t.gap), row1, bw, t.button_h}, Ui::Style::Primary, true,
              &finish);
    ui.button(intents::lang, vm.labels.other_language, {t.margin, row2, bw, t.button_h},
              Ui::Style::Secondary, true, &lang);
    ui.button(intents::elder, vm.elder ? vm.labels.elder_off : vm.labels.elder,
              {t.margin + bw + t.gap, row2, bw, t.button_h}, Ui::Style::Secondary, true, &elder);
    // One call at a time: while it is open the same place cancels it (and says so).
    if (vm.staff_called)
        ui.button(intents::staff_cancel, vm.labels.staff_cancel,
                  {t.margin + 2 * (bw + t.gap), row2, bw, t.button_h}, Ui::Style::Secondary, true,
                  &staff_cancel);
    else
        ui.button(intents::staff, vm.labels.staff,
                  {t.margin + 2 * (bw + t.gap), row2, bw, t.button_h}, Ui::Style::Secondary, true,
                  &staff);

    return {t.margin, y, W - 2 * t.margin, fy - y - t.gap};
}

}  // namespace kiosk::ui::screens
