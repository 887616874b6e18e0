// The generic page: every flow step is a column of elements (core/view.hpp: Element), drawn here
// top to bottom, with the step's actions in a bar at the bottom of the content area (low on the
// portrait panel, within reach from a wheelchair). Tones are never colour alone: each notice has
// a symbol drawn in a shape of its own.
#include <algorithm>
#include <cmath>

#include "core/intents.hpp"
#include "ui/screens/screens.hpp"

namespace kiosk::ui::screens {
namespace {

std::string tap_id(const Element& e) {
    if (!e.id.empty()) return e.id;
    return e.arg.empty() ? e.action : e.action + "/" + e.arg;
}

std::string row_id(const PageRow& r) {
    return r.arg.empty() ? r.action : r.action + "/" + r.arg;
}

ImU32 tone_bg(Tone tone) {
    switch (tone) {
        case Tone::Good:
            return IM_COL32(0xE3, 0xF4, 0xE6, 0xFF);
        case Tone::Warn:
            return IM_COL32(0xFF, 0xF1, 0xC2, 0xFF);
        case Tone::Bad:
            return IM_COL32(0xFD, 0xE2, 0xE2, 0xFF);
        case Tone::Info:
            return IM_COL32(0xE3, 0xEE, 0xFB, 0xFF);
        default:
            return IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);
    }
}

ImU32 tone_fg(Tone tone) {
    switch (tone) {
        case Tone::Good:
            return IM_COL32(0x1B, 0x6E, 0x2F, 0xFF);
        case Tone::Warn:
            return IM_COL32(0x7A, 0x4D, 0x00, 0xFF);
        case Tone::Bad:
            return IM_COL32(0xB3, 0x1B, 0x1B, 0xFF);
        default:
            return IM_COL32(0x0B, 0x50, 0xC0, 0xFF);
    }
}

// A symbol per tone: a tick in a circle, "!" in a triangle, "×" in a square, "i" in a circle.
void tone_icon(Ui& ui, Tone tone, ImVec2 c, float r) {
    ImDrawList* d = ui.draw();
    const ImU32 col = tone_fg(tone);
    const float w = std::max(3.0f, r * 0.22f);
    switch (tone) {
        case Tone::Good:
            d->AddCircleFilled(c, r, col, 32);
            d->AddLine({c.x - r * 0.5f, c.y}, {c.x - r * 0.1f, c.y + r * 0.4f}, IM_COL32_WHITE, w);
            d->AddLine({c.x - r * 0.1f, c.y + r * 0.4f}, {c.x + r * 0.55f, c.y - r * 0.4f},
                       IM_COL32_WHITE, w);
            break;
        case Tone::Warn:
            d->AddTriangleFilled({c.x, c.y - r}, {c.x + r, c.y + r * 0.8f},
                                 {c.x - r, c.y + r * 0.8f}, col);
            d->AddLine({c.x, c.y - r * 0.4f}, {c.x, c.y + r * 0.25f}, IM_COL32_WHITE, w);
            d->AddCircleFilled({c.x, c.y + r * 0.55f}, w * 0.6f, IM_COL32_WHITE);
            break;
        case Tone::Bad:
            d->AddRectFilled({c.x - r, c.y - r}, {c.x + r, c.y + r}, col, r * 0.2f);
            d->AddLine({c.x - r * 0.45f, c.y - r * 0.45f}, {c.x + r * 0.45f, c.y + r * 0.45f},
                       IM_COL32_WHITE, w);
            d->AddLine({c.x + r * 0.45f, c.y - r * 0.45f}, {c.x - r * 0.45f, c.y + r * 0.45f},
                       IM_COL32_WHITE, w);
            break;
        default:
            d->AddCircleFilled(c, r, col, 32);
            d->AddLine({c.x, c.y - r * 0.1f}, {c.x, c.y + r * 0.55f}, IM_COL32_WHITE, w);
            d->AddCircleFilled({c.x, c.y - r * 0.45f}, w * 0.6f, IM_COL32_WHITE);
            break;
    }
}

struct Cursor {
    float x, y, w, bottom;
};

float line_h(Ui& ui, FontRole role) {
    return ui.fonts().size(role) * 1.3f;
}

void draw_heading(Ui& ui, const Element& e, Cursor& c) {
    const Theme& t = ui.theme();
    if (!e.detail.empty()) {
        // A big value with its label (a ticket number, an amount, a door number).
        c.y += ui.text(e.detail, {c.x, c.y, c.w, line_h(ui, FontRole::Large) * 2}, FontRole::Large,
                       t.text_muted, Ui::Align::Center);
        const float h = line_h(ui, FontRole::Clock);
        ui.text_fit(e.text, {c.x, c.y, c.w, h}, FontRole::Clock, t.primary, Ui::Align::Center);
        c.y += h + t.gap;
        return;
    }
    const float h = ui.measure(e.text, c.w, FontRole::Title);
    c.y += ui.text(e.text, {c.x, c.y, c.w, std::max(h, 1.0f)}, FontRole::Title, t.text) + t.gap;
}

void draw_text(Ui& ui, const Element& e, Cursor& c) {
    const Theme& t = ui.theme();
    const float h = ui.measure(e.text, c.w, FontRole::Body);
    c.y += ui.text(e.text, {c.x, c.y, c.w, std::max(h, 1.0f)}, FontRole::Body,
                   e.tone == Tone::Normal ? t.text : tone_fg(e.tone)) +
           t.gap;
}

void draw_notice(Ui& ui, const Element& e, Cursor& c) {
    const Theme& t = ui.theme();
    const float icon = ui.fonts().size(FontRole::Large) * 0.55f;
    const float tx = c.x + t.gap + icon * 2 + t.gap;
    const float tw = c.w - (tx - c.x) - t.gap;
    const float h1 = ui.measure(e.text, tw, FontRole::Large);
    const float h2 = e.detail.empty() ? 0 : ui.measure(e.detail, tw, FontRole::Body);
    const float h = std::max(h1 + h2 + t.gap * 1.5f, icon * 2 + t.gap * 2);
    ui.rect({c.x, c.y, c.w, h}, tone_bg(e.tone), t.radius);
    ui.draw()->AddRect({c.x, c.y}, {c.x + c.w, c.y + h}, tone_fg(e.tone), t.radius, 0, 3);
    tone_icon(ui, e.tone, {c.x + t.gap + icon, c.y + t.gap + icon}, icon);
    float y = c.y + t.gap * 0.75f;
    y += ui.text(e.text, {tx, y, tw, h1}, FontRole::Large, t.text);
    if (!e.detail.empty()) ui.text(e.detail, {tx, y, tw, h2}, FontRole::Body, t.text_muted);
    c.y += h + t.gap;
}

void draw_fields(Ui& ui, const Element& e, Cursor& c) {
    const Theme& t = ui.theme();
    const float lw = c.w * 0.36f, vw = c.w - lw - t.gap;
    for (const auto& r : e.rows) {
        const float h =
            std::max({ui.measure(r.label, lw, FontRole::Body),
                      ui.measure(r.value, vw, FontRole::Large), line_h(ui, FontRole::Large)});
        ui.text(r.label, {c.x, c.y + 4, lw, h}, FontRole::Body, t.text_muted);
        ui.text(r.value, {c.x + lw + t.gap, c.y, vw, h}, FontRole::Large, t.text);
        c.y += h + t.gap / 2;
        ui.draw()->AddLine({c.x, c.y - t.gap / 4}, {c.x + c.w, c.y - t.gap / 4}, t.border, 1);
    }
    c.y += t.gap / 2;
}

void draw_choices(Ui& ui, const Element& e, Cursor& c, bool rating) {
    const Theme& t = ui.theme();
    const float pad = t.gap;
    const bool choice = !rating && e.kind == Element::Kind::Choices;
    // Selected is said in words too: a filled dot before the label.
    auto label_of = [&](const PageRow& r) { return (choice && r.flag ? "● " : "") + r.label; };
    auto width_for = [&](int cols) {
        return (c.w - t.gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
    };
    // Fewer columns when a label would not fit on one line (a long English title in elder
    // mode): a tile's text is never cut or squeezed below body size.
    int cols = std::max(1, e.columns);
    auto fits = [&](float bw) {
        for (const auto& r : e.rows) {
            const std::string l = label_of(r);
            if (ui.fit_role(l, bw - 2 * pad, FontRole::Large) == FontRole::Body &&
                ui.measure(l, bw - 2 * pad, FontRole::Body) > line_h(ui, FontRole::Body) * 1.05f)
                return false;
        }
        return true;
    };
    while (cols > 1 && !fits(width_for(cols))) --cols;
    const float bw = width_for(cols);
    bool any_detail = false;
    float label_h = line_h(ui, FontRole::Large), detail_h = 0;
    for (const auto& r : e.rows) {
        any_detail = any_detail || !r.detail.empty();
        const std::string l = label_of(r);
        const FontRole role = ui.fit_role(l, bw - 2 * pad, FontRole::Large);
        label_h = std::max(label_h, ui.measure(l, bw - 2 * pad, role));
        if (!r.detail.empty())
            detail_h = std::max(detail_h, ui.measure(r.detail, bw - 2 * pad, FontRole::Body));
    }
    const float bh =
        std::max(any_detail ? t.button_h * 1.45f : t.button_h, label_h + detail_h + pad * 1.2f);
    for (std::size_t i = 0; i < e.rows.size(); ++i) {
        const PageRow& r = e.rows[i];
        const float x = c.x + static_cast<float>(i % static_cast<std::size_t>(cols)) * (bw + t.gap);
        const float y = c.y + static_cast<float>(i / static_cast<std::size_t>(cols)) * (bh + t.gap);
        const Intent in{r.action, r.arg};
        ui.button(row_id(r), "", {x, y, bw, bh}, r.flag ? Ui::Style::Primary : Ui::Style::Tile,
                  r.enabled && e.enabled, &in);
        const ImU32 fg = r.flag ? t.primary_text : (r.enabled ? t.text : t.disabled_text);
        const std::string l = label_of(r);
        const FontRole role = ui.fit_role(l, bw - 2 * pad, FontRole::Large);
        const float lh = ui.measure(l, bw - 2 * pad, role);
        if (any_detail) {
            ui.text(l, {x + pad, y + pad * 0.6f, bw - 2 * pad, lh}, role, fg);
            if (!r.detail.empty())
                ui.text(r.detail,
                        {x + pad, y + pad * 0.6f + lh, bw - 2 * pad, bh - lh - pad * 1.2f},
                        FontRole::Body, r.flag ? t.primary_text : t.text_muted);
        } else {
            ui.text(l, {x + pad, y + (bh - lh) / 2, bw - 2 * pad, lh}, role, fg, Ui::Align::Center);
        }
    }
    const auto rows =
        (e.rows.size() + static_cast<std::size_t>(cols) - 1) / static_cast<std::size_t>(cols);
    c.y += static_cast<float>(rows) * (bh + t.gap) + t.gap / 2;
}

void draw_keypad(Ui& ui, const ViewModel& vm, const Element& e, Cursor& c) {
    const Theme& t = ui.theme();
    const float dh = line_h(ui, FontRole::Title) + t.gap;
    const float kw = std::min(c.w, ui.elder() ? 900.0f : 780.0f);
    const float kx = c.x + (c.w - kw) / 2;
    ui.rect({kx, c.y, kw, dh}, t.surface, t.radius);
    ui.draw()->AddRect({kx, c.y}, {kx + kw, c.y + dh}, t.primary, t.radius, 0, 3);
    if (e.text.empty())
        ui.text_fit(e.detail, {kx + t.gap, c.y + t.gap / 2, kw - 2 * t.gap, dh - t.gap},
                    FontRole::Large, t.text_muted, Ui::Align::Center);
    else
        ui.text_fit(e.text, {kx + t.gap, c.y + t.gap / 2, kw - 2 * t.gap, dh - t.gap},
                    FontRole::Title, t.text, Ui::Align::Center);
    c.y += dh + t.gap;
    static const char* keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "del", "0", "ok"};
    const float bw = (kw - 2 * t.gap) / 3;
    // Keys stay above the 60 dp minimum but lower than other buttons, so the whole pad shows
    // at once with a prompt and a notice above it (a keypad split over two screens is useless).
    const float bh = ui.elder() ? 112.0f : 96.0f;
    for (int i = 0; i < 12; ++i) {
        const std::string k = keys[i];
        const float x = kx + static_cast<float>(i % 3) * (bw + t.gap);
        const float y = c.y + static_cast<float>(i / 3) * (bh + t.gap);
        const Intent in{intents::key, k};
        const std::string& label = k == "del"  ? vm.labels.keypad_del
                                   : k == "ok" ? vm.labels.keypad_ok
                                               : k;
        ui.button("key/" + k, label, {x, y, bw, bh},
                  k == "ok" ? Ui::Style::Primary : Ui::Style::Secondary, e.enabled, &in,
                  k.size() == 1 ? FontRole::Title : FontRole::Large);
    }
    c.y += 4 * (bh + t.gap);
}

void draw_qr(Ui& ui, const Element& e, Cursor& c) {
    const Theme& t = ui.theme();
    const float px = ui.elder() ? 360 : 300;
    const float x = c.x + (c.w - px) / 2;
    ui.rect({x - 12, c.y - 12, px + 24, px + 24}, t.surface, 8);
    if (ImTextureID tex = ui.code_texture(e.text, static_cast<int>(px)))
        ui.draw()->AddImage(tex, {x, c.y}, {x + px, c.y + px});
    else
        ui.draw()->AddRect({x, c.y}, {x + px, c.y + px}, t.border, 0, 0, 2);
    c.y += px + t.gap;
    if (!e.detail.empty()) {
        const float h = ui.measure(e.detail, c.w, FontRole::Body);
        c.y +=
            ui.text(e.detail, {c.x, c.y, c.w, h}, FontRole::Body, t.text_muted, Ui::Align::Center) +
            t.gap;
    }
}

void draw_timeline(Ui& ui, const Element& e, Cursor& c) {
    const Theme& t = ui.theme();
    const float dot = 14, lx = c.x + 24, tx = c.x + 70, tw = c.w - 70;
    for (std::size_t i = 0; i < e.rows.size(); ++i) {
        const PageRow& r = e.rows[i];
        const float top = c.y;
        float y = c.y;
        y += ui.text(r.label, {tx, y, tw, line_h(ui, FontRole::Body)}, FontRole::Body, t.text_muted,
                     Ui::Align::Left, false);
        const float hv = ui.measure(r.value, tw, FontRole::Large);
        y += ui.text(r.value, {tx, y, tw, hv}, FontRole::Large, r.flag ? t.text : t.text_muted);
        if (!r.detail.empty()) {
            const float hd = ui.measure(r.detail, tw, FontRole::Body);
            y += ui.text(r.detail, {tx, y, tw, hd}, FontRole::Body, t.text_muted);
        }
        y += t.gap;
        if (i + 1 < e.rows.size())
            ui.draw()->AddLine({lx, top + dot * 2}, {lx, y + dot}, t.border, 4);
        // Done steps are filled dots, later steps hollow rings: shape, not only colour.
        if (r.flag)
            ui.draw()->AddCircleFilled({lx, top + dot * 1.4f}, dot, t.primary, 24);
        else
            ui.draw()->AddCircle({lx, top + dot * 1.4f}, dot, t.text_muted, 24, 4);
        c.y = y;
    }
}

void draw_chart(Ui& ui, const Element& e, Cursor& c) {
    const Theme& t = ui.theme();
    const float bw = c.w * 0.86f, bx = c.x + (c.w - bw) / 2;
    for (std::size_t i = 0; i < e.rows.size(); ++i) {
        const PageRow& r = e.rows[i];
        const float pad = t.gap * 0.6f;
        const std::string sub =
            r.value.empty() ? r.detail : (r.detail.empty() ? r.value : r.value + " · " + r.detail);
        const float h1 = ui.measure(r.label, bw - 2 * pad, FontRole::Large);
        const float h2 = sub.empty() ? 0 : ui.measure(sub, bw - 2 * pad, FontRole::Body);
        const float bh = h1 + h2 + 2 * pad;
        ui.rect({bx, c.y, bw, bh}, r.flag ? tone_bg(Tone::Info) : t.surface, t.radius);
        ui.draw()->AddRect({bx, c.y}, {bx + bw, c.y + bh}, t.primary, t.radius, 0,
                           r.flag ? 5.0f : 2.5f);
        ui.text(r.label, {bx + pad, c.y + pad, bw - 2 * pad, h1}, FontRole::Large, t.text,
                Ui::Align::Center);
        if (!sub.empty())
            ui.text(sub, {bx + pad, c.y + pad + h1, bw - 2 * pad, h2}, FontRole::Body, t.text_muted,
                    Ui::Align::Center);
        c.y += bh;
        if (i + 1 < e.rows.size()) {
            const float ax = c.x + c.w / 2, ah = 46;
            ui.draw()->AddLine({ax, c.y + 4}, {ax, c.y + ah - 14}, t.primary, 5);
            ui.draw()->AddTriangleFilled({ax - 16, c.y + ah - 20}, {ax + 16, c.y + ah - 20},
                                         {ax, c.y + ah - 2}, t.primary);
            c.y += ah;
        }
    }
    c.y += t.gap;
}

void draw_countdown(Ui& ui, const Element& e, Cursor& c) {
    const Theme& t = ui.theme();
    if (!e.text.empty()) {
        const float h = ui.measure(e.text, c.w, FontRole::Body);
        c.y += ui.text(e.text, {c.x, c.y, c.w, h}, FontRole::Body, t.text, Ui::Align::Center);
    }
    const int m = e.value / 60, s = e.value % 60;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%d:%02d", m, s);
    const float h = line_h(ui, FontRole::Title);
    ui.text(buf, {c.x, c.y, c.w, h}, FontRole::Title, t.text, Ui::Align::Center, false);
    c.y += h;
    const float frac =
        e.max > 0 ? std::clamp(static_cast<float>(e.value) / static_cast<float>(e.max), 0.0f, 1.0f)
                  : 0;
    ui.rect({c.x, c.y, c.w, 16}, t.disabled, 8);
    if (frac > 0) ui.rect({c.x, c.y, c.w * frac, 16}, t.primary, 8);
    c.y += 16 + t.gap;
}

void draw_camera(Ui& ui, const Element& e, Cursor& c) {
    const Theme& t = ui.theme();
    int w = 0, h = 0;
    ImTextureID tex = ui.camera_texture(w, h);
    if (tex && w > 0 && h > 0) {
        // The live preview, with the region the fast decoder looks at: where to hold the phone.
        const float pw = std::min(c.w, 640.0f);
        const float ph = pw * static_cast<float>(h) / static_cast<float>(w);
        const float x = c.x + (c.w - pw) / 2;
        ui.draw()->AddImage(tex, {x, c.y}, {x + pw, c.y + ph});
        ui.draw()->AddRect({x + pw * 0.2f, c.y + ph * 0.1f}, {x + pw * 0.8f, c.y + ph * 0.9f},
                           IM_COL32(0xFF, 0xD0, 0x40, 0xFF), 12, 0, 5);
        c.y += ph + t.gap / 2;
    }
    // Without a camera (a HID or serial scanner) only the words show: no empty black box.
    if (!e.text.empty()) {
        const float hh = ui.measure(e.text, c.w, FontRole::Body);
        c.y +=
            ui.text(e.text, {c.x, c.y, c.w, hh}, FontRole::Body, t.text_muted, Ui::Align::Center) +
            t.gap;
    }
}

void draw_progress(Ui& ui, const Element& e, Cursor& c) {
    const Theme& t = ui.theme();
    const int n = std::max(1, e.max);
    const float seg = (c.w - t.gap * static_cast<float>(n - 1)) / static_cast<float>(n);
    for (int i = 0; i < n; ++i) {
        const float x = c.x + static_cast<float>(i) * (seg + t.gap);
        ui.rect({x, c.y, seg, 12}, i < e.value ? t.primary : t.disabled, 6);
    }
    c.y += 12 + t.gap / 2;
    if (!e.text.empty()) {
        c.y += ui.text(e.text, {c.x, c.y, c.w, line_h(ui, FontRole::Body)}, FontRole::Body,
                       t.text_muted, Ui::Align::Left, false) +
               t.gap / 2;
    }
}

}  // namespace

void page(Ui& ui, const ViewModel& vm, ImVec4 area) {
    const Theme& t = ui.theme();
    // The actions bar: one row of buttons at the bottom of the content area (two rows when
    // there are more than three).
    float bottom = area.y + area.w;
    if (!vm.actions.empty()) {
        const std::size_t n = vm.actions.size();
        const std::size_t per_row = n <= 3 ? n : (n + 1) / 2;
        const std::size_t rows = (n + per_row - 1) / per_row;
        const float bar_h = static_cast<float>(rows) * (t.button_h + t.gap);
        bottom -= bar_h;
        const float bw =
            (area.z - t.gap * static_cast<float>(per_row - 1)) / static_cast<float>(per_row);
        for (std::size_t i = 0; i < n; ++i) {
            const Element& a = vm.actions[i];
            const float x = area.x + static_cast<float>(i % per_row) * (bw + t.gap);
            const float y = bottom + t.gap + static_cast<float>(i / per_row) * (t.button_h + t.gap);
            const Intent in{a.action, a.arg};
            ui.button(tap_id(a), a.text, {x, y, bw, t.button_h},
                      a.primary ? Ui::Style::Primary : Ui::Style::Secondary, a.enabled, &in);
        }
    }
    // A page taller than its area scrolls by whole screens with two large buttons (no drag
    // gestures: a trembling finger must not scroll by accident).
    auto& sc = ui.page_scroll();
    std::string key = vm.title + "|" + std::to_string(vm.page.size()) + "|" +
                      std::to_string(static_cast<int>(vm.elder));
    if (!vm.page.empty()) key += "|" + vm.page.front().text;
    if (key != sc.key) {
        sc = {key, 0, 0};
    }
    const float avail = bottom - area.y;
    const bool scrolls = sc.content_h > avail + 0.5f;
    float view_bottom = bottom;
    if (scrolls) {
        const float bh = t.button_h * 0.8f;
        view_bottom = bottom - bh - t.gap;
        const float step = (view_bottom - area.y) * 0.85f;
        const float max_off = std::max(0.0f, sc.content_h - (view_bottom - area.y));
        const float bw = (area.z - t.gap) / 2;
        const Intent none{intents::extend, ""};
        if (ui.button("scroll_up", vm.labels.scroll_up, {area.x, view_bottom + t.gap, bw, bh},
                      Ui::Style::Secondary, sc.offset > 0, &none)) {
            sc.offset = std::max(0.0f, sc.offset - step);
            ui.request_relayout();
        }
        if (ui.button("scroll_down", vm.labels.scroll_down,
                      {area.x + bw + t.gap, view_bottom + t.gap, bw, bh}, Ui::Style::Secondary,
                      sc.offset < max_off - 0.5f, &none)) {
            sc.offset = std::min(max_off, sc.offset + step);
            ui.request_relayout();
        }
    } else {
        sc.offset = 0;
    }
    ui.push_clip({area.x - t.margin, area.y, area.z + 2 * t.margin, view_bottom - area.y});
    Cursor c{area.x, area.y - sc.offset, area.z, view_bottom};
    for (const Element& e : vm.page) {
        using K = Element::Kind;
        switch (e.kind) {
            case K::Heading:
                draw_heading(ui, e, c);
                break;
            case K::Text:
                draw_text(ui, e, c);
                break;
            case K::Notice:
                draw_notice(ui, e, c);
                break;
            case K::Fields:
                draw_fields(ui, e, c);
                break;
            case K::Button: {
                const Intent in{e.action, e.arg};
                ui.button(tap_id(e), e.text, {c.x, c.y, c.w, t.button_h},
                          e.primary ? Ui::Style::Primary : Ui::Style::Secondary, e.enabled, &in);
                c.y += t.button_h + t.gap;
                break;
            }
            case K::Choices:
                draw_choices(ui, e, c, false);
                break;
            case K::Rating:
                draw_choices(ui, e, c, true);
                break;
            case K::Keypad:
                draw_keypad(ui, vm, e, c);
                break;
            case K::Qr:
                draw_qr(ui, e, c);
                break;
            case K::Timeline:
                draw_timeline(ui, e, c);
                break;
            case K::Chart:
                draw_chart(ui, e, c);
                break;
            case K::Countdown:
                draw_countdown(ui, e, c);
                break;
            case K::Camera:
                draw_camera(ui, e, c);
                break;
            case K::Progress:
                draw_progress(ui, e, c);
                break;
        }
    }
    ui.pop_clip();
    const float content_h = c.y + sc.offset - area.y;
    if (std::abs(content_h - sc.content_h) > 0.5f) {
        const bool was = sc.content_h > avail + 0.5f, now = content_h > avail + 0.5f;
        sc.content_h = content_h;
        if (was != now) ui.request_relayout();
    }
}

}  // namespace kiosk::ui::screens
