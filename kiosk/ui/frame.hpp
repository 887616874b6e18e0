// One frame: pointer input in, the view-model drawn, the person's intents out.
#pragma once

#include <deque>
#include <vector>

#include "core/events.hpp"
#include "core/view.hpp"
#include "ui/display.hpp"
#include "ui/fonts.hpp"
#include "ui/ui.hpp"

namespace kiosk::ui {

class Frame {
  public:
    Frame(Display& display, FontManager& fonts);
    ~Frame();
    Frame(const Frame&) = delete;
    Frame& operator=(const Frame&) = delete;

    // A touch or mouse position/button on the canvas. Transitions are applied one per frame so a
    // tap shorter than a frame is never lost.
    void pointer(float cx, float cy, bool down);
    bool pointer_pending() const { return !pointers_.empty(); }

    // Draws the view-model on the canvas and presents it. Returns the intents of this frame.
    // With `present` false the canvas is drawn but not shown (screenshots, benchmarks).
    std::vector<Intent> draw(const ViewModel& vm, float dt_seconds, bool present = true);

    Ui& ui() { return ui_; }
    Display& display() { return display_; }

  private:
    void upload_fonts();

    Display& display_;
    FontManager& fonts_;
    Ui ui_;
    struct Pointer {
        float x, y;
        bool down;
    };
    std::deque<Pointer> pointers_;
    Pointer current_{-1, -1, false};
};

}  // namespace kiosk::ui
