// Home: the service tiles, two columns, from the catalog.
#include <algorithm>

#include "core/intents.hpp"
#include "ui/screens/screens.hpp"

namespace kiosk::ui::screens {

void home(Ui& ui, const ViewModel& vm, ImVec4 area) {
    const Theme& t = ui.theme();
    const int cols = 2;
    const int rows = static_cast<int>((vm.tiles.size() + cols - 1) / cols);
    const float tw = (area.z - t.gap) / cols;
    const float th = std::min(
        (area.w - t.gap * static_cast<float>(rows - 1)) / static_cast<float>(std::max(rows, 1)),
        ui.elder() ? 300.0f : 260.0f);
    // Tight tiles (tall notices above) keep their words inside by giving up some padding first.
    const float need = ui.fonts().size(FontRole::Body) * (1.3f + 1.2f);
    const float pad = std::clamp((th - need) / 2, 6.0f, t.gap);
    // One title size for every tile (mixed sizes read as mixed importance): the largest that
    // lets every title fit on one line.
    FontRole title_role = FontRole::Large;
    for (const auto& tile : vm.tiles) {
        const FontRole r = ui.fit_role(tile.title, tw - 2 * pad, title_role);
        if (static_cast<int>(r) < static_cast<int>(title_role)) title_role = r;
    }
    // Notices above (a staff call after hours says what to do in several lines) can leave the
    // tiles short: a smaller title, then no hint, rather than text spilling out of its tile.
    bool badges = false;
    for (const auto& tile : vm.tiles) badges = badges || !tile.enabled || tile.coming_soon;
    const float badge_h = badges ? ui.fonts().size(FontRole::Body) * 1.2f : 0.0f;
    auto title_h = [&](FontRole r) { return ui.fonts().size(r) * 1.3f; };
    while (title_role != FontRole::Body && 2 * pad + badge_h + title_h(title_role) > th)
        title_role = static_cast<FontRole>(static_cast<int>(title_role) - 1);
    bool hints = !ui.elder();
    for (const auto& tile : vm.tiles)
        if (hints &&
            2 * pad + title_h(title_role) + ui.measure(tile.hint, tw - 2 * pad, FontRole::Body) >
                th)
            hints = false;
    for (std::size_t i = 0; i < vm.tiles.size(); ++i) {
        const TileView& tile = vm.tiles[i];
        const float x = area.x + static_cast<float>(i % cols) * (tw + t.gap);
        const float y = area.y + static_cast<float>(i / cols) * (th + t.gap);
        const Intent go{intents::tile, tile.id};
        ui.button("tile." + tile.id, "", {x, y, tw, th}, Ui::Style::Tile, tile.enabled, &go);
        const ImU32 title_col = tile.enabled ? t.primary : t.disabled_text;
        float ty = y + pad;
        ty += ui.text(tile.title, {x + pad, ty, tw - 2 * pad, th - 2 * pad - badge_h}, title_role,
                      title_col);
        if (hints) {
            ui.text(tile.hint, {x + pad, ty, tw - 2 * pad, th - (ty - y) - pad}, FontRole::Body,
                    tile.enabled ? t.text_muted : t.disabled_text);
        }
        // Status in words, not colour alone.
        const std::string& badge = !tile.enabled      ? vm.labels.unavailable
                                   : tile.coming_soon ? vm.labels.coming_soon
                                                      : std::string();
        if (!badge.empty()) {
            const float px = ui.fonts().size(FontRole::Body);
            ui.text(badge, {x + pad, y + th - pad - px * 1.1f, tw - 2 * pad, px * 1.1f},
                    FontRole::Body, tile.enabled ? t.text_muted : t.danger, Ui::Align::Right,
                    false);
        }
    }
}

}  // namespace kiosk::ui::screens
