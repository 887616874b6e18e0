// The window, the SDL renderer and the logical canvas.
//
// Screens are laid out on a logical canvas (1080×1920 by default) rendered into a target texture,
// which is then copied to the window rotated as the panel is mounted (0/90/180/270) and scaled.
// Touch and mouse positions are mapped back to the canvas here, so screens never see rotation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <SDL.h>

#include "core/config.hpp"

namespace kiosk::ui {

class Display {
  public:
    Display() = default;
    ~Display();
    Display(const Display&) = delete;
    Display& operator=(const Display&) = delete;

    // Creates the window (borderless, fullscreen when configured) and renderer. Returns an error.
    std::string open(const Config::Display& config);

    SDL_Window* window() const { return window_; }
    SDL_Renderer* renderer() const { return renderer_; }
    int width() const { return w_; }
    int height() const { return h_; }

    // Window pixels → canvas pixels (and back, for the scenario runner's taps).
    void to_canvas(float wx, float wy, float& cx, float& cy) const;
    void to_window(float cx, float cy, float& wx, float& wy) const;

    // Draw calls between begin_canvas() and present() land on the canvas.
    // Clears the canvas to a colour (ImGui's IM_COL32 layout: 0xAABBGGRR).
    void begin_canvas(std::uint32_t rgba = 0xFF000000u);
    void present();
    // The canvas as RGBA rows (after begin_canvas + drawing, before present).
    bool read_canvas(std::vector<std::uint8_t>& rgba);
    bool save_png(const std::string& path);

  private:
    SDL_Window* window_ = nullptr;
    SDL_Renderer* renderer_ = nullptr;
    SDL_Texture* canvas_ = nullptr;
    int w_ = 1080, h_ = 1920, rotation_ = 0;
    float scale_ = 1.0f;
    int win_w_ = 0, win_h_ = 0;
};

}  // namespace kiosk::ui
