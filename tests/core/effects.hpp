// Picking typed effects out of what the core emitted (tests only).
#pragma once

#include <string_view>
#include <variant>
#include <vector>

#include "core/events.hpp"
#include "core/view.hpp"

namespace kiosk::test {

// The effects of type T in `pending`, in order, removed from it. For outbox rows and staff-call
// steps, `kind` (when given) keeps only those of that outbox kind.
template <class T>
std::vector<T> take_of(std::vector<Effect>& pending, std::string_view kind = {}) {
    std::vector<T> out;
    auto wanted = [&](const Effect& e) {
        const T* t = std::get_if<T>(&e);
        if (!t) return false;
        if constexpr (requires { t->kind; })
            return kind.empty() || t->kind == kind;
        else
            return true;
    };
    for (const auto& e : pending)
        if (wanted(e)) out.push_back(std::get<T>(e));
    std::erase_if(pending, wanted);
    return out;
}

// True when `effects` holds an effect of type T.
template <class T>
bool has(const std::vector<Effect>& effects) {
    for (const auto& e : effects)
        if (std::holds_alternative<T>(e)) return true;
    return false;
}

// True when the screen shows `text` anywhere: title, prompt, a page or action element's text or
// detail, or a row of one.
inline bool view_shows(const ViewModel& vm, std::string_view text) {
    auto in = [&](const std::string& s) { return s.find(text) != std::string::npos; };
    if (in(vm.title) || in(vm.prompt)) return true;
    for (const auto* list : {&vm.page, &vm.actions})
        for (const auto& e : *list) {
            if (in(e.text) || in(e.detail)) return true;
            for (const auto& r : e.rows)
                if (in(r.label) || in(r.value) || in(r.detail)) return true;
        }
    return false;
}

}  // namespace kiosk::test
