// One function per screen; chrome.cpp draws what every session screen shares.
#pragma once

#include "ui/ui.hpp"

namespace kiosk::ui::screens {

// Header (hall name, clock, language and elder switches) and footer (back, home, finish, staff).
// Returns the content area (x, y, w, h) between them.
ImVec4 chrome(Ui& ui, const ViewModel& vm);

void attract(Ui& ui, const ViewModel& vm);
void home(Ui& ui, const ViewModel& vm, ImVec4 area);
void message(Ui& ui, const ViewModel& vm, ImVec4 area);
void idcard(Ui& ui, const ViewModel& vm, ImVec4 area);
void warning(Ui& ui, const ViewModel& vm);
// Every flow step: the view-model's page elements and actions.
void page(Ui& ui, const ViewModel& vm, ImVec4 area);

}  // namespace kiosk::ui::screens
