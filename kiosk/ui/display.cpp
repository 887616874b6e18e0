#include "ui/display.hpp"

#include <cmath>

#include <stb_image_write.h>

namespace kiosk::ui {

Display::~Display() {
    if (canvas_) SDL_DestroyTexture(canvas_);
    if (renderer_) SDL_DestroyRenderer(renderer_);
    if (window_) SDL_DestroyWindow(window_);
}

std::string Display::open(const Config::Display& c) {
    w_ = c.width;
    h_ = c.height;
    rotation_ = c.rotation;
    scale_ = static_cast<float>(c.window_scale);
    const bool sideways = rotation_ == 90 || rotation_ == 270;
    win_w_ = static_cast<int>(std::lround((sideways ? h_ : w_) * scale_));
    win_h_ = static_cast<int>(std::lround((sideways ? w_ : h_) * scale_));

    if (c.renderer == "software") {
        // Present the software renderer's pixels with the windowing system's own framebuffer
        // (XShm), not through an OpenGL texture: on a machine without a GPU the latter loads
        // Mesa's llvmpipe (about 100 MB and a JIT) to copy a picture.
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    }
    Uint32 flags = SDL_WINDOW_BORDERLESS | SDL_WINDOW_SHOWN;
    if (c.fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    window_ = SDL_CreateWindow("e-station", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
                               win_w_, win_h_, flags);
    if (!window_) return std::string("cannot create window: ") + SDL_GetError();
    if (c.fullscreen) {
        SDL_GetWindowSize(window_, &win_w_, &win_h_);
        const float fit = std::min(static_cast<float>(win_w_) / (sideways ? h_ : w_),
                                   static_cast<float>(win_h_) / (sideways ? w_ : h_));
        scale_ = fit;
        SDL_ShowCursor(SDL_DISABLE);
    }
    const Uint32 rflags =
        SDL_RENDERER_TARGETTEXTURE |
        (c.renderer == "software" ? SDL_RENDERER_SOFTWARE : SDL_RENDERER_ACCELERATED);
    renderer_ = SDL_CreateRenderer(window_, -1, rflags);
    if (!renderer_ && c.renderer != "software")
        renderer_ =
            SDL_CreateRenderer(window_, -1, SDL_RENDERER_SOFTWARE | SDL_RENDERER_TARGETTEXTURE);
    if (!renderer_) return std::string("cannot create renderer: ") + SDL_GetError();
    canvas_ =
        SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ABGR8888, SDL_TEXTUREACCESS_TARGET, w_, h_);
    if (!canvas_) return std::string("cannot create canvas: ") + SDL_GetError();
    return {};
}

void Display::to_canvas(float wx, float wy, float& cx, float& cy) const {
    // Undo: scale about the window centre, then rotate back.
    const float dx = (wx - win_w_ / 2.0f) / scale_;
    const float dy = (wy - win_h_ / 2.0f) / scale_;
    float rx = dx, ry = dy;
    switch (rotation_) {
        case 90:
            rx = dy;
            ry = -dx;
            break;
        case 180:
            rx = -dx;
            ry = -dy;
            break;
        case 270:
            rx = -dy;
            ry = dx;
            break;
        default:
            break;
    }
    cx = rx + w_ / 2.0f;
    cy = ry + h_ / 2.0f;
}

void Display::to_window(float cx, float cy, float& wx, float& wy) const {
    const float dx = cx - w_ / 2.0f, dy = cy - h_ / 2.0f;
    float rx = dx, ry = dy;
    switch (rotation_) {
        case 90:
            rx = -dy;
            ry = dx;
            break;
        case 180:
            rx = -dx;
            ry = -dy;
            break;
        case 270:
            rx = dy;
            ry = -dx;
            break;
        default:
            break;
    }
    wx = rx * scale_ + win_w_ / 2.0f;
    wy = ry * scale_ + win_h_ / 2.0f;
}

void Display::begin_canvas(std::uint32_t rgba) {
    SDL_SetRenderTarget(renderer_, canvas_);
    SDL_SetRenderDrawColor(renderer_, rgba & 0xFF, (rgba >> 8) & 0xFF, (rgba >> 16) & 0xFF, 255);
    SDL_RenderClear(renderer_);
}

void Display::present() {
    SDL_SetRenderTarget(renderer_, nullptr);
    SDL_SetRenderDrawColor(renderer_, 0, 0, 0, 255);
    SDL_RenderClear(renderer_);
    const float dw = w_ * scale_, dh = h_ * scale_;
    const SDL_Rect dst{static_cast<int>(std::lround((win_w_ - dw) / 2)),
                       static_cast<int>(std::lround((win_h_ - dh) / 2)),
                       static_cast<int>(std::lround(dw)), static_cast<int>(std::lround(dh))};
    // RenderCopyEx rotates through a temporary surface in the software renderer: only when needed.
    if (rotation_ == 0) {
        SDL_RenderCopy(renderer_, canvas_, nullptr, &dst);
    } else {
        SDL_RenderCopyEx(renderer_, canvas_, nullptr, &dst, rotation_, nullptr, SDL_FLIP_NONE);
    }
    SDL_RenderPresent(renderer_);
}

bool Display::read_canvas(std::vector<std::uint8_t>& rgba) {
    rgba.resize(static_cast<std::size_t>(w_) * static_cast<std::size_t>(h_) * 4);
    SDL_SetRenderTarget(renderer_, canvas_);
    return SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_ABGR8888, rgba.data(),
                                w_ * 4) == 0;
}

bool Display::save_png(const std::string& path) {
    std::vector<std::uint8_t> rgba;
    if (!read_canvas(rgba)) return false;
    return stbi_write_png(path.c_str(), w_, h_, 4, rgba.data(), w_ * 4) != 0;
}

}  // namespace kiosk::ui
