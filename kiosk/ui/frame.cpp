#include "ui/frame.hpp"

#include <malloc.h>

#include <imgui.h>
#include <imgui_impl_sdlrenderer.h>

namespace kiosk::ui {

Frame::Frame(Display& display, FontManager& fonts)
    : display_(display),
      fonts_(fonts),
      ui_(fonts, static_cast<float>(display.width()), static_cast<float>(display.height())) {
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // nothing written to disk
    io.LogFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
    io.DisplaySize = {static_cast<float>(display.width()), static_cast<float>(display.height())};
    // Touch screens: a finger moves a little while tapping; don't treat that as a drag.
    io.MouseDragThreshold = 30.0f;
    ImGui::StyleColorsLight();
    ImGui_ImplSDLRenderer_Init(display.renderer());
    ui_.set_direct_fill(display.renderer());
}

Frame::~Frame() {
    ImGui_ImplSDLRenderer_Shutdown();
    ImGui::DestroyContext();
}

void Frame::pointer(float cx, float cy, bool down) {
    pointers_.push_back({cx, cy, down});
}

void Frame::upload_fonts() {
    fonts_.rebuild();
    ImGui_ImplSDLRenderer_DestroyFontsTexture();
    ImGui_ImplSDLRenderer_CreateFontsTexture();
    // The GPU (or SDL's software texture) has it now; the CPU copy is not needed.
    ImGui::GetIO().Fonts->ClearTexData();
    // Building the atlas churns through large temporary buffers; hand them back to the system.
    malloc_trim(0);
}

std::vector<Intent> Frame::draw(const ViewModel& vm, float dt, bool present) {
    ImGuiIO& io = ImGui::GetIO();
    fonts_.set_scale(vm.elder ? 1.5f : 1.0f);
    if (fonts_.dirty()) upload_fonts();

    // Apply at most one button transition this frame.
    while (!pointers_.empty()) {
        const Pointer p = pointers_.front();
        const bool transition = p.down != current_.down;
        pointers_.pop_front();
        current_ = p;
        if (transition) break;
    }
    io.MousePos = {current_.x, current_.y};
    io.MouseDown[0] = current_.down;

    std::vector<Intent> intents;
    // A pass that met glyphs missing from the atlas is drawn again once the atlas has them.
    for (int pass = 0; pass < 3; ++pass) {
        io.DeltaTime = pass == 0 ? std::max(dt, 1.0f / 240) : 1.0f / 240;
        ImGui_ImplSDLRenderer_NewFrame();
        ImGui::NewFrame();
        ImGui::SetNextWindowPos({0, 0});
        ImGui::SetNextWindowSize(io.DisplaySize);
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, {0, 0});
        ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
        ImGui::Begin("kiosk", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                         ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBackground |
                         ImGuiWindowFlags_NoBringToFrontOnFocus |
                         ImGuiWindowFlags_NoScrollWithMouse);
        ui_.begin_frame(vm);
        draw_screen(ui_, vm);
        ImGui::End();
        ImGui::PopStyleVar(2);
        ImGui::Render();
        for (auto& i : ui_.intents()) intents.push_back(std::move(i));
        const bool relayout = ui_.take_relayout();
        if (!fonts_.dirty() && !relayout) break;
        if (fonts_.dirty()) upload_fonts();
    }
    display_.begin_canvas(ui_.theme().bg);
    ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
    if (present) display_.present();
    return intents;
}

}  // namespace kiosk::ui
