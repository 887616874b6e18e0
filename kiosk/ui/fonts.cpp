#include "ui/fonts.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include <imgui.h>

#include "core/log.hpp"

namespace kiosk::ui {

std::uint32_t next_codepoint(std::string_view s, std::size_t& i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    auto cont = [&](std::size_t k) -> int {
        if (i + k >= s.size()) return -1;
        const auto b = static_cast<unsigned char>(s[i + k]);
        return (b & 0xC0) == 0x80 ? (b & 0x3F) : -1;
    };
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    if ((b0 >> 5) == 0x6) {
        const int c1 = cont(1);
        if (c1 >= 0) {
            i += 2;
            return ((b0 & 0x1Fu) << 6) | static_cast<std::uint32_t>(c1);
        }
    } else if ((b0 >> 4) == 0xE) {
        const int c1 = cont(1), c2 = cont(2);
        if (c1 >= 0 && c2 >= 0) {
            i += 3;
            return ((b0 & 0x0Fu) << 12) | (static_cast<std::uint32_t>(c1) << 6) |
                   static_cast<std::uint32_t>(c2);
        }
    } else if ((b0 >> 3) == 0x1E) {
        const int c1 = cont(1), c2 = cont(2), c3 = cont(3);
        if (c1 >= 0 && c2 >= 0 && c3 >= 0) {
            i += 4;
            return ((b0 & 0x07u) << 18) | (static_cast<std::uint32_t>(c1) << 12) |
                   (static_cast<std::uint32_t>(c2) << 6) | static_cast<std::uint32_t>(c3);
        }
    }
    ++i;
    return 0xFFFD;
}

FontManager::~FontManager() {
    unmap(primary_);
    unmap(fallback_);
    if (ft_library_) FT_Done_FreeType(static_cast<FT_Library>(ft_library_));
}

bool FontManager::map_font(const std::string& path, int face, Mapped& out, std::string& error) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = path + ": cannot open font";
        return false;
    }
    struct stat st {};
    if (fstat(fd, &st) != 0 || st.st_size <= 0) {
        ::close(fd);
        error = path + ": cannot read font";
        return false;
    }
    void* data = mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    // Glyphs are looked up here and there across a 19-51 MB file: no read-ahead, so only the
    // pages actually used become resident.
    if (data != MAP_FAILED) madvise(data, static_cast<std::size_t>(st.st_size), MADV_RANDOM);
    if (data == MAP_FAILED) {
        error = path + ": cannot map font";
        return false;
    }
    FT_Face ft_face = nullptr;
    if (FT_New_Memory_Face(static_cast<FT_Library>(ft_library_), static_cast<const FT_Byte*>(data),
                           static_cast<FT_Long>(st.st_size), face, &ft_face) != 0) {
        munmap(data, static_cast<std::size_t>(st.st_size));
        error = path + ": not a font FreeType can read (face " + std::to_string(face) + ")";
        return false;
    }
    out.data = data;
    out.size = static_cast<std::size_t>(st.st_size);
    out.ft_face = ft_face;
    return true;
}

void FontManager::unmap(Mapped& m) {
    if (m.ft_face) FT_Done_Face(static_cast<FT_Face>(m.ft_face));
    if (m.data) munmap(m.data, m.size);
    m = {};
}

bool FontManager::covers(const Mapped& m, std::uint32_t cp) const {
    return m.ft_face && FT_Get_Char_Index(static_cast<FT_Face>(m.ft_face), cp) != 0;
}

std::string FontManager::open(const std::string& cjk_path, int cjk_face,
                              const std::string& fallback_path, int base_size) {
    FT_Library lib = nullptr;
    if (!ft_library_) {
        if (FT_Init_FreeType(&lib) != 0) return "FreeType failed to start";
        ft_library_ = lib;
    }
    std::string error;
    if (!map_font(cjk_path, cjk_face, primary_, error)) return error;
    primary_face_ = cjk_face;
    fallback_path_ = fallback_path;
    base_size_ = base_size;
    // The ASCII range is always present: digits, Latin, punctuation for the English screens.
    for (std::uint32_t c = 0x20; c < 0x7F; ++c) codepoints_.insert(c);
    codepoints_.insert(0xFFFD);
    dirty_ = true;
    return {};
}

void FontManager::set_scale(float scale) {
    if (scale == scale_) return;
    scale_ = scale;
    dirty_ = true;
}

float FontManager::size(FontRole role) const {
    static constexpr float kFactor[] = {1.0f, 1.4f, 1.9f, 4.0f};
    return static_cast<float>(base_size_) * kFactor[static_cast<int>(role)] * scale_;
}

bool FontManager::want(std::string_view utf8) {
    bool all = true;
    for (std::size_t i = 0; i < utf8.size();) {
        const std::uint32_t cp = next_codepoint(utf8, i);
        // ImGui 1.86 as Debian builds it uses 16-bit ImWchar: only the BMP can be drawn. ID cards
        // store names as UCS-2, so every name a card can hold is in the BMP.
        if (cp < 0x20 || cp > 0xFFFF) continue;
        if (codepoints_.contains(cp) || fallback_cps_.contains(cp) || missing_.contains(cp))
            continue;
        all = false;
        dirty_ = true;
        if (covers(primary_, cp)) {
            codepoints_.insert(cp);
            continue;
        }
        if (!fallback_.data && !fallback_path_.empty()) {
            std::string error;
            if (map_font(fallback_path_, 0, fallback_, error)) {
                log::get("fonts")->info("rare-character fallback font mapped");
            } else {
                log::get("fonts")->warn("{}", error);
                fallback_path_.clear();
            }
        }
        if (covers(fallback_, cp)) {
            fallback_cps_.insert(cp);
        } else {
            missing_.insert(cp);
            log::get("fonts")->warn("no font has U+{:04X}", cp);
        }
    }
    return all;
}

namespace {

// ImGui glyph ranges: pairs of inclusive [first, last], zero-terminated.
void to_ranges(const std::set<std::uint32_t>& cps, std::vector<std::uint16_t>& out) {
    out.clear();
    for (auto it = cps.begin(); it != cps.end();) {
        const std::uint32_t first = *it;
        std::uint32_t last = first;
        ++it;
        while (it != cps.end() && *it == last + 1) last = *it++;
        out.push_back(static_cast<std::uint16_t>(first));
        out.push_back(static_cast<std::uint16_t>(last));
    }
    out.push_back(0);
}

}  // namespace

void FontManager::rebuild() {
    static_assert(sizeof(ImWchar) == sizeof(std::uint16_t), "Debian's ImGui uses 16-bit ImWchar");
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    atlas->Clear();
    atlas->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;
    atlas->TexDesiredWidth = 2048;
    to_ranges(codepoints_, ranges_primary_);
    to_ranges(fallback_cps_, ranges_fallback_);
    // The big attract clock and big values on pages (a ticket number "A001", an amount
    // "¥12.50", a door "A-07"): digits, capitals and a few signs only.
    std::set<std::uint32_t> big = {':', '-', '.', ' ', 0xA5};
    for (std::uint32_t ch = '0'; ch <= '9'; ++ch) big.insert(ch);
    for (std::uint32_t ch = 'A'; ch <= 'Z'; ++ch) big.insert(ch);
    to_ranges(big, ranges_clock_);

    for (int r = 0; r < static_cast<int>(FontRole::Count); ++r) {
        const auto role = static_cast<FontRole>(r);
        ImFontConfig cfg;
        // ImGui 1.86 *copies* font data it does not own (19 MB per size for Noto CJK). So we let
        // it believe it owns our mapping (no copy), then take ownership back (add() below) so
        // Clear() never frees a mapping.
        cfg.FontDataOwnedByAtlas = true;
        cfg.FontNo = primary_face_;
        cfg.OversampleH = 1;
        cfg.OversampleV = 1;
        cfg.PixelSnapH = true;
        const bool clock = role == FontRole::Clock;
        const auto* ranges =
            reinterpret_cast<const ImWchar*>(clock ? ranges_clock_.data() : ranges_primary_.data());
        auto add = [&](void* data, std::size_t bytes, const ImFontConfig& c, const ImWchar* rng) {
            ImFont* f =
                atlas->AddFontFromMemoryTTF(data, static_cast<int>(bytes), size(role), &c, rng);
            atlas->ConfigData.back().FontDataOwnedByAtlas = false;
            return f;
        };
        fonts_[r] = add(primary_.data, primary_.size, cfg, ranges);
        if (!clock && fallback_.data && ranges_fallback_.size() > 1) {
            ImFontConfig merge = cfg;
            merge.FontNo = 0;
            merge.MergeMode = true;
            add(fallback_.data, fallback_.size, merge,
                reinterpret_cast<const ImWchar*>(ranges_fallback_.data()));
        }
    }
    atlas->Build();
    atlas_w_ = atlas->TexWidth;
    atlas_h_ = atlas->TexHeight;
    dirty_ = false;
    log::get("fonts")->debug("atlas {}x{} with {} + {} glyphs", atlas_w_, atlas_h_,
                             codepoints_.size(), fallback_cps_.size());
}

}  // namespace kiosk::ui
