// Read my ID card: a picture of where the card goes, then the masked result.
#include "core/intents.hpp"
#include "ui/screens/screens.hpp"

namespace kiosk::ui::screens {

void idcard(Ui& ui, const ViewModel& vm, ImVec4 area) {
    const Theme& t = ui.theme();
    const IdCardView& c = vm.idcard;
    const ImVec4 card{area.x, area.y, area.z, std::min(area.w, 760.0f)};
    ui.rect(card, t.surface, t.radius);
    float y = card.y + 2 * t.gap;
    const float x = card.x + 2 * t.gap, w = card.z - 4 * t.gap;
    const ImU32 prompt_col = (c.state == IdCardView::State::Read && c.check_digit_ok) ? t.text
                             : c.state == IdCardView::State::Waiting                  ? t.text
                                                                                      : t.danger;
    y += ui.text(vm.prompt, {x, y, w, ui.fonts().size(FontRole::Title) * 3.9f}, FontRole::Title,
                 prompt_col) +
         t.gap;

    if (c.state == IdCardView::State::Read) {
        struct Row {
            const std::string& label;
            const std::string& value;
        };
        for (const Row& r :
             {Row{vm.labels.id_name, c.masked_name}, Row{vm.labels.id_number, c.masked_id},
              Row{vm.labels.id_valid_to, c.valid_to}}) {
            const float line = ui.fonts().size(FontRole::Large) * 1.3f;
            ui.text(r.label, {x, y, w * 0.35f, line * 2}, FontRole::Large, t.text_muted);
            y +=
                ui.text(r.value, {x + w * 0.35f, y, w * 0.65f, line * 2}, FontRole::Large, t.text) +
                t.gap / 2;
        }
    } else if (c.state == IdCardView::State::Waiting) {
        // Where the reader is: a card outline above an arrow pointing down to the reader.
        const float cw = 420, ch = 264, cx = x + (w - cw) / 2;
        ui.draw()->AddRect({cx, y}, {cx + cw, y + ch}, t.primary, 24, 0, 6);
        ui.draw()->AddRectFilled({cx + 30, y + 40}, {cx + 130, y + 160}, t.disabled, 8);
        for (int i = 0; i < 3; ++i)
            ui.draw()->AddRectFilled({cx + 160, y + 50 + i * 40.0f},
                                     {cx + cw - 40, y + 70 + i * 40.0f}, t.disabled, 6);
        const float ay = y + ch + 30;
        ui.draw()->AddTriangleFilled({x + w / 2 - 50, ay}, {x + w / 2 + 50, ay},
                                     {x + w / 2, ay + 80}, t.primary);
    }
    if (c.state == IdCardView::State::Failed || c.state == IdCardView::State::Read) {
        const Intent retry{intents::retry, ""};
        ui.button(intents::retry, vm.labels.retry,
                  {x, card.y + card.w - t.button_h - 2 * t.gap, w, t.button_h}, Ui::Style::Primary,
                  true, &retry);
    }
}

}  // namespace kiosk::ui::screens
