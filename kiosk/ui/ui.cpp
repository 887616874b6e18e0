#include "ui/ui.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <SDL.h>

namespace kiosk::ui {

Theme make_theme(bool elder, float width) {
    const float u = width / 1080.0f;  // layouts are drawn for 1080 wide and scale with the panel
    Theme t{};
    // Contrast: text on bg 15.9:1, primary_text on primary 7.1:1, header_text on header 10.4:1,
    // text_muted on surface 7.0:1 (WCAG AA needs 4.5:1). Elder mode darkens the muted text further.
    t.bg = IM_COL32(0xF2, 0xF4, 0xF7, 0xFF);
    t.surface = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);
    t.header = IM_COL32(0x0A, 0x3A, 0x82, 0xFF);
    t.header_text = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);
    t.text = IM_COL32(0x14, 0x18, 0x1F, 0xFF);
    t.text_muted = elder ? IM_COL32(0x2B, 0x31, 0x3A, 0xFF) : IM_COL32(0x4A, 0x52, 0x5E, 0xFF);
    t.primary = IM_COL32(0x0B, 0x50, 0xC0, 0xFF);
    t.primary_text = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);
    t.accent = IM_COL32(0xC8, 0x1E, 0x1E, 0xFF);
    t.danger = IM_COL32(0xB3, 0x1B, 0x1B, 0xFF);
    t.disabled = IM_COL32(0xD5, 0xD9, 0xDF, 0xFF);
    t.disabled_text = IM_COL32(0x3C, 0x42, 0x4B, 0xFF);
    t.border = IM_COL32(0xB8, 0xC0, 0xCC, 0xFF);
    t.overlay = IM_COL32(0x00, 0x00, 0x00, 0xB0);
    t.margin = 40 * u;
    t.gap = 24 * u;
    t.radius = 18 * u;
    // Touch targets: at least 60 dp; at 1080 px across a 32-inch portrait panel 1 dp ≈ 1.5 px.
    t.button_h = (elder ? 150 : 120) * u;
    t.footer_h = (elder ? 360 : 300) * u;
    t.header_h = (elder ? 220 : 190) * u;
    return t;
}

void Ui::push_clip(ImVec4 r) {
    ImGui::PushClipRect({r.x, r.y}, {r.x + r.z, r.y + r.w}, true);
    clip_ = r;
    has_clip_ = true;
}

void Ui::pop_clip() {
    ImGui::PopClipRect();
    has_clip_ = false;
}

void Ui::begin_frame(const ViewModel& vm) {
    elder_ = vm.elder;
    theme_ = make_theme(vm.elder, w_);
    intents_.clear();
    fills_.clear();
    hits_.clear();
    texts_.clear();
}

const Hit* Ui::find_hit(std::string_view id) const {
    for (const auto& h : hits_)
        if (h.id == id) return &h;
    return nullptr;
}

ImDrawList* Ui::draw() const {
    return ImGui::GetWindowDrawList();
}

namespace {

void fill_callback(const ImDrawList*, const ImDrawCmd* cmd) {
    const auto* f = static_cast<const Ui::FillCmd*>(cmd->UserCallbackData);
    auto* r = static_cast<SDL_Renderer*>(f->renderer);
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(r, (f->colour >> IM_COL32_R_SHIFT) & 0xFF,
                           (f->colour >> IM_COL32_G_SHIFT) & 0xFF,
                           (f->colour >> IM_COL32_B_SHIFT) & 0xFF, 0xFF);
    const SDL_Rect rect{f->x, f->y, f->w, f->h};
    SDL_RenderFillRect(r, &rect);
}

}  // namespace

void Ui::rect(ImVec4 r, ImU32 colour, float radius) {
    const bool opaque = ((colour >> IM_COL32_A_SHIFT) & 0xFF) == 0xFF;
    if (!direct_fill_ || !opaque || r.z * r.w < 20000.0f) {
        draw()->AddRectFilled({r.x, r.y}, {r.x + r.z, r.y + r.w}, colour, radius);
        return;
    }
    // The body as two crossing rectangles; the rounded corners stay ImGui's (they are small).
    const float rad = std::min({radius, r.z / 2, r.w / 2});
    // Edges are rounded once, so neighbouring pieces share them exactly (no seams).
    auto add = [&](float x0, float y0, float x1, float y1) {
        const int ix0 = static_cast<int>(std::lround(x0)), iy0 = static_cast<int>(std::lround(y0));
        const int ix1 = static_cast<int>(std::lround(x1)), iy1 = static_cast<int>(std::lround(y1));
        fills_.push_back({direct_fill_, ix0, iy0, ix1 - ix0, iy1 - iy0, colour});
        draw()->AddCallback(fill_callback, &fills_.back());
    };
    add(r.x + rad, r.y, r.x + r.z - rad, r.y + r.w);
    if (rad > 0) {
        add(r.x, r.y + rad, r.x + rad, r.y + r.w - rad);
        add(r.x + r.z - rad, r.y + rad, r.x + r.z, r.y + r.w - rad);
        const float d = rad * 2;
        draw()->AddRectFilled({r.x, r.y}, {r.x + d, r.y + d}, colour, rad,
                              ImDrawFlags_RoundCornersTopLeft);
        draw()->AddRectFilled({r.x + r.z - d, r.y}, {r.x + r.z, r.y + d}, colour, rad,
                              ImDrawFlags_RoundCornersTopRight);
        draw()->AddRectFilled({r.x, r.y + r.w - d}, {r.x + d, r.y + r.w}, colour, rad,
                              ImDrawFlags_RoundCornersBottomLeft);
        draw()->AddRectFilled({r.x + r.z - d, r.y + r.w - d}, {r.x + r.z, r.y + r.w}, colour, rad,
                              ImDrawFlags_RoundCornersBottomRight);
    }
}

float Ui::text(std::string_view s, ImVec4 box, FontRole role, ImU32 colour, Align align,
               bool wrap) {
    fonts_.want(s);
    ImFont* font = fonts_.font(role);
    if (!font) return 0;
    const float px = fonts_.size(role);
    const char* begin = s.data();
    const char* end = s.data() + s.size();
    float y = box.y;
    float widest = 0;
    // Wrap line by line so each line can be aligned on its own.
    while (begin < end) {
        const char* line_end = begin;
        if (wrap) {
            line_end = font->CalcWordWrapPositionA(1.0f, begin, end, box.z);
            if (line_end == begin) ++line_end;  // a glyph wider than the box: draw it anyway
        } else {
            line_end = end;
        }
        const char* nl = static_cast<const char*>(
            std::memchr(begin, '\n', static_cast<std::size_t>(line_end - begin)));
        if (nl) line_end = nl;
        const ImVec2 size = font->CalcTextSizeA(px, FLT_MAX, 0, begin, line_end);
        widest = std::max(widest, size.x);
        float x = box.x;
        if (align == Align::Center) x = box.x + (box.z - size.x) / 2;
        if (align == Align::Right) x = box.x + box.z - size.x;
        draw()->AddText(font, px, {x, y}, colour, begin, line_end);
        y += px * 1.3f;
        begin = line_end;
        if (begin < end && (*begin == '\n' || *begin == ' ')) ++begin;
    }
    const float used = y - box.y;
    texts_.push_back({std::string(s), box, {widest, used - px * 0.3f}, px});
    return used;
}

float Ui::measure(std::string_view s, float width, FontRole role) {
    fonts_.want(s);
    ImFont* font = fonts_.font(role);
    if (!font || s.empty()) return 0;
    const float px = fonts_.size(role);
    float h = 0;
    for (const char* b = s.data(); b < s.data() + s.size();) {
        const char* e = font->CalcWordWrapPositionA(1.0f, b, s.data() + s.size(), width);
        if (e == b) ++e;
        // A line break ends the line as text() does.
        if (const char* nl =
                static_cast<const char*>(std::memchr(b, '\n', static_cast<std::size_t>(e - b))))
            e = nl;
        h += px * 1.3f;
        b = e;
        if (b < s.data() + s.size() && (*b == ' ' || *b == '\n')) ++b;
    }
    return h;
}

FontRole Ui::fit_role(std::string_view s, float width, FontRole role) {
    fonts_.want(s);
    FontRole fit = role;
    while (fit != FontRole::Body) {
        ImFont* f = fonts_.font(fit);
        if (!f) break;
        const float w =
            f->CalcTextSizeA(fonts_.size(fit), FLT_MAX, 0, s.data(), s.data() + s.size()).x;
        if (w <= width) break;
        fit = static_cast<FontRole>(static_cast<int>(fit) - 1);
    }
    return fit;
}

float Ui::text_fit(std::string_view s, ImVec4 box, FontRole role, ImU32 colour, Align align) {
    return text(s, box, fit_role(s, box.z, role), colour, align);
}

bool Ui::button(std::string_view id, std::string_view label, ImVec4 r, Style style, bool enabled,
                const Intent* intent, FontRole role) {
    ImGui::SetCursorScreenPos({r.x, r.y});
    ImGui::PushID(id.data(), id.data() + id.size());
    const bool pressed_raw = ImGui::InvisibleButton("##b", {r.z, r.w});
    const bool held = ImGui::IsItemActive();
    ImGui::PopID();
    const bool pressed = pressed_raw && enabled;
    if (has_clip_) {
        // Inside a scrolled page: only what shows can be tapped (ImGui clips its hover test the
        // same way); a button mostly out of view is not a target.
        const float top = std::max(r.y, clip_.y), bottom = std::min(r.y + r.w, clip_.y + clip_.w);
        if (bottom - top >= r.w * 0.5f)
            hits_.push_back(
                {std::string(id), {r.x, top, r.z, bottom - top}, enabled, bottom - top < r.w});
    } else {
        hits_.push_back({std::string(id), r, enabled});
    }

    ImU32 fill = theme_.surface, fg = theme_.text, border = theme_.border;
    switch (style) {
        case Style::Primary:
            fill = theme_.primary;
            fg = theme_.primary_text;
            border = fill;
            break;
        case Style::Danger:
            fill = theme_.danger;
            fg = theme_.primary_text;
            border = fill;
            break;
        case Style::Secondary:
            fill = theme_.surface;
            fg = theme_.primary;
            border = theme_.primary;
            break;
        case Style::Tile:
            fill = theme_.surface;
            fg = theme_.text;
            border = theme_.border;
            break;
        case Style::Ghost:
            fill = 0;
            fg = theme_.header_text;
            border = 0;
            break;
    }
    if (!enabled && style != Style::Ghost) {
        fill = theme_.disabled;
        fg = theme_.disabled_text;
        border = theme_.disabled;
    }
    if (held && enabled && style != Style::Ghost)
        fill = (style == Style::Primary) ? theme_.header : theme_.disabled;
    if (fill) rect(r, fill, theme_.radius);
    if (border)
        draw()->AddRect({r.x, r.y}, {r.x + r.z, r.y + r.w}, border, theme_.radius, 0,
                        elder_ ? 4.0f : 3.0f);
    if (!label.empty()) {
        // The largest of the requested size and the ones below it that fits on one line; if none
        // does, the smallest, wrapped.
        const float pad = theme_.gap;
        const FontRole fit = fit_role(label, r.z - 2 * pad, role);
        const float px = fonts_.size(fit);
        ImFont* font = fonts_.font(fit);
        const ImVec2 size = font ? font->CalcTextSizeA(px, FLT_MAX, r.z - 2 * pad, label.data(),
                                                       label.data() + label.size())
                                 : ImVec2{0, 0};
        const float lines = std::max(1.0f, std::round(size.y / px));
        const float h = lines * px * 1.3f - px * 0.3f;
        text(label, {r.x + pad, r.y + (r.w - h) / 2, r.z - 2 * pad, h + 1}, fit, fg, Align::Center);
    }
    if (pressed && intent) intents_.push_back(*intent);
    return pressed;
}

}  // namespace kiosk::ui
