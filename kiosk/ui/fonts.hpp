// Fonts: Noto Sans CJK SC from Debian's collection, BabelStone Han for rare characters, and an
// atlas that holds only the glyphs in use.
//
// Why: at 40 px the 2,500 common characters alone need a 4096×4096 RGBA atlas (64 MB). Instead
// every string drawn is offered to want(); a code point not yet in the atlas marks it dirty, and
// the frame loop rebuilds the atlas (small: a few hundred glyphs) and draws again. The font files
// are mapped, never copied; the 51 MB fallback is mapped only when a character needs it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

struct ImFont;

namespace kiosk::ui {

enum class FontRole { Body, Large, Title, Clock, Count };

class FontManager {
  public:
    FontManager() = default;
    ~FontManager();
    FontManager(const FontManager&) = delete;
    FontManager& operator=(const FontManager&) = delete;

    // Maps the primary collection and prepares coverage look-ups. Returns an error message.
    std::string open(const std::string& cjk_path, int cjk_face, const std::string& fallback_path,
                     int base_size);
    // Elder mode multiplies every size (1.5×).
    void set_scale(float scale);
    float scale() const { return scale_; }

    // Offers text that is about to be drawn. Returns false when it needs glyphs the atlas lacks
    // (the atlas becomes dirty; the frame should be drawn again after rebuild()).
    bool want(std::string_view utf8);
    bool dirty() const { return dirty_; }
    // Rebuilds ImGui's atlas from the glyphs in use. The caller re-uploads the texture.
    void rebuild();

    ImFont* font(FontRole role) const { return fonts_[static_cast<int>(role)]; }
    float size(FontRole role) const;

    // Figures for tests and the benchmark.
    std::size_t glyph_count() const { return codepoints_.size(); }
    bool fallback_loaded() const { return fallback_.data != nullptr; }
    std::size_t fallback_glyph_count() const { return fallback_cps_.size(); }
    // Code points that no font has (drawn as a box): must stay empty for any ID-card name.
    const std::set<std::uint32_t>& missing() const { return missing_; }
    int atlas_width() const { return atlas_w_; }
    int atlas_height() const { return atlas_h_; }

  private:
    struct Mapped {
        void* data = nullptr;
        std::size_t size = 0;
        void* ft_face = nullptr;  // FT_Face for coverage checks
    };
    bool map_font(const std::string& path, int face, Mapped& out, std::string& error);
    void unmap(Mapped& m);
    bool covers(const Mapped& m, std::uint32_t cp) const;

    void* ft_library_ = nullptr;
    Mapped primary_, fallback_;
    int primary_face_ = 2;
    std::string fallback_path_;
    int base_size_ = 34;
    float scale_ = 1.0f;
    std::set<std::uint32_t> codepoints_;    // drawn with the primary font
    std::set<std::uint32_t> fallback_cps_;  // drawn with the fallback font
    std::set<std::uint32_t> missing_;
    bool dirty_ = true;
    ImFont* fonts_[static_cast<int>(FontRole::Count)] = {};
    std::vector<std::uint16_t> ranges_primary_, ranges_fallback_, ranges_clock_;
    int atlas_w_ = 0, atlas_h_ = 0;
};

// Decodes one UTF-8 code point at s[i], advancing i; invalid bytes give U+FFFD.
std::uint32_t next_codepoint(std::string_view s, std::size_t& i);

}  // namespace kiosk::ui
