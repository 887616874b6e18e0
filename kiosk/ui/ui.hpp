// The drawing context every screen gets: fonts, theme, and the registries of what was drawn.
//
// Screens draw with these helpers only, so that every button's rectangle and every text's box is
// known: the scenario runner taps buttons by id, and tests check target sizes and text overflow.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "core/events.hpp"
#include "core/view.hpp"
#include "ui/fonts.hpp"

namespace kiosk::ui {

struct Theme {
    ImU32 bg, surface, header, header_text, text, text_muted, primary, primary_text, accent, danger,
        disabled, disabled_text, border, overlay;
    float margin, gap, radius, button_h, footer_h, header_h;
};
Theme make_theme(bool elder, float width);

struct Hit {
    std::string id;
    ImVec4 rect;  // x, y, w, h in logical pixels (the visible part, in a scrolled page)
    bool enabled = true;
    bool clipped = false;  // partly scrolled out of view (its full size is larger)
};

struct TextBox {
    std::string text;
    ImVec4 box;     // where it had to fit
    ImVec2 needed;  // what it took
    float font_px = 0;
    bool overflow() const { return needed.x > box.z + 0.5f || needed.y > box.w + 0.5f; }
};

class Ui {
  public:
    // Large opaque rectangles are filled by the renderer directly (SDL_RenderFillRect through an
    // ImGui draw callback) instead of as two textured, blended triangles: in the software renderer
    // that is the difference between a memset and per-pixel blending. Null: ImGui draws them.
    void set_direct_fill(void* sdl_renderer) { direct_fill_ = sdl_renderer; }
    struct FillCmd {
        void* renderer;
        int x, y, w, h;
        ImU32 colour;
    };

    Ui(FontManager& fonts, float width, float height) : fonts_(fonts), w_(width), h_(height) {}
    ~Ui();
    Ui(const Ui&) = delete;
    Ui& operator=(const Ui&) = delete;

    // A scrolled region: drawing and taps are clipped to it.
    void push_clip(ImVec4 r);
    void pop_clip();
    // Page scrolling (UI-local: which part of a tall page shows). The key identifies the page;
    // a new page starts at the top.
    struct PageScroll {
        std::string key;
        float offset = 0;
        float content_h = 0;
    };
    PageScroll& page_scroll() { return scroll_; }
    // Asks the frame to draw once more (a layout measured this pass changed the next one).
    void request_relayout() { relayout_ = true; }
    bool take_relayout() {
        const bool r = relayout_;
        relayout_ = false;
        return r;
    }

    // Records content that did not fit (a page taller than its area) for the layout tests.
    void note_overflow(std::string what, ImVec4 box, float needed_h) {
        texts_.push_back({std::move(what), box, {box.z, needed_h}, 0});
    }

    // [SECTION] Images (need the SDL renderer given to set_direct_fill; null without one)
    // A QR code of `payload` made with ZXing's writer, as a texture `px` wide (cached).
    ImTextureID code_texture(const std::string& payload, int px);
    // The camera preview: the source fills RGB and returns true when there is a newer frame.
    using CameraSource = std::function<bool(int& w, int& h, std::vector<std::uint8_t>& rgb)>;
    void set_camera_source(CameraSource source) { camera_source_ = std::move(source); }
    // The latest preview as a texture (w, h set), or null when there is no camera.
    ImTextureID camera_texture(int& w, int& h);

    void begin_frame(const ViewModel& vm);
    // Intents reported by this frame's widgets.
    std::vector<Intent>& intents() { return intents_; }
    const std::vector<Hit>& hits() const { return hits_; }
    const std::vector<TextBox>& texts() const { return texts_; }
    const Hit* find_hit(std::string_view id) const;

    float width() const { return w_; }
    float height() const { return h_; }
    const Theme& theme() const { return theme_; }
    bool elder() const { return elder_; }
    FontManager& fonts() { return fonts_; }
    ImDrawList* draw() const;

    // [SECTION] Drawing helpers
    enum class Align { Left, Center, Right };
    // Text wrapped into box (x, y, w, h); returns the height it used.
    float text(std::string_view s, ImVec4 box, FontRole role, ImU32 colour,
               Align align = Align::Left, bool wrap = true);
    // Like text(), but steps the font down (never below Body) until it fits on one line.
    float text_fit(std::string_view s, ImVec4 box, FontRole role, ImU32 colour,
                   Align align = Align::Left);
    // The height text takes when wrapped at `width`.
    float measure(std::string_view s, float width, FontRole role);
    // The largest role from `role` down to Body whose one-line width fits `width`.
    FontRole fit_role(std::string_view s, float width, FontRole role);
    void rect(ImVec4 r, ImU32 colour, float radius = 0);
    // A touch target with a label. Returns true when tapped (and adds the intent when given).
    enum class Style { Primary, Secondary, Danger, Tile, Ghost };
    bool button(std::string_view id, std::string_view label, ImVec4 r, Style style,
                bool enabled = true, const Intent* intent = nullptr,
                FontRole role = FontRole::Large);

  private:
    FontManager& fonts_;
    void* direct_fill_ = nullptr;
    std::deque<FillCmd> fills_;  // stable addresses: draw callbacks point at them until rendered
    float w_, h_;
    Theme theme_{};
    bool elder_ = false;
    std::vector<Intent> intents_;
    std::vector<Hit> hits_;
    std::vector<TextBox> texts_;
    std::map<std::string, void*> code_textures_;
    ImVec4 clip_{};
    bool has_clip_ = false;
    PageScroll scroll_;
    bool relayout_ = false;
    CameraSource camera_source_;
    void* camera_texture_ = nullptr;
    int camera_w_ = 0, camera_h_ = 0;
    std::vector<std::uint8_t> camera_rgb_;
};

// Draws the whole screen for the view-model (screens/*.cpp), posting intents into ui.intents().
void draw_screen(Ui& ui, const ViewModel& vm);

}  // namespace kiosk::ui
