// Textures for the pages: QR codes (ZXing's writer via kiosk_codes) and the camera preview.
#include <SDL.h>

#include "codes/qr_writer.hpp"
#include "ui/ui.hpp"

namespace kiosk::ui {

Ui::~Ui() {
    for (auto& [_, tex] : code_textures_) SDL_DestroyTexture(static_cast<SDL_Texture*>(tex));
    if (camera_texture_) SDL_DestroyTexture(static_cast<SDL_Texture*>(camera_texture_));
}

ImTextureID Ui::code_texture(const std::string& payload, int px) {
    auto* renderer = static_cast<SDL_Renderer*>(direct_fill_);
    if (!renderer || payload.empty()) return nullptr;
    const std::string key = std::to_string(px) + "|" + payload;
    if (auto it = code_textures_.find(key); it != code_textures_.end()) return it->second;
    if (code_textures_.size() > 16) {  // a page shows one or two; never grow without bound
        for (auto& [_, tex] : code_textures_) SDL_DestroyTexture(static_cast<SDL_Texture*>(tex));
        code_textures_.clear();
    }
    codes::CodeOptions o;
    o.fit_pixels = px;
    const codes::GreyImage img = codes::make_code(payload, o);
    if (img.width <= 0) return nullptr;
    const auto rgba = codes::to_rgba(img);
    SDL_Texture* tex = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ABGR8888,
                                         SDL_TEXTUREACCESS_STATIC, img.width, img.height);
    if (!tex) return nullptr;
    SDL_UpdateTexture(tex, nullptr, rgba.data(), img.width * 4);
    SDL_SetTextureScaleMode(tex, SDL_ScaleModeNearest);
    code_textures_[key] = tex;
    return tex;
}

ImTextureID Ui::camera_texture(int& w, int& h) {
    auto* renderer = static_cast<SDL_Renderer*>(direct_fill_);
    if (!renderer || !camera_source_) return nullptr;
    int nw = 0, nh = 0;
    if (camera_source_(nw, nh, camera_rgb_) && nw > 0 && nh > 0 &&
        camera_rgb_.size() >= static_cast<std::size_t>(nw) * static_cast<std::size_t>(nh) * 3) {
        if (!camera_texture_ || nw != camera_w_ || nh != camera_h_) {
            if (camera_texture_) SDL_DestroyTexture(static_cast<SDL_Texture*>(camera_texture_));
            camera_texture_ = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_RGB24,
                                                SDL_TEXTUREACCESS_STREAMING, nw, nh);
            camera_w_ = nw;
            camera_h_ = nh;
        }
        if (camera_texture_)
            SDL_UpdateTexture(static_cast<SDL_Texture*>(camera_texture_), nullptr,
                              camera_rgb_.data(), nw * 3);
    }
    w = camera_w_;
    h = camera_h_;
    return camera_texture_;
}

}  // namespace kiosk::ui
