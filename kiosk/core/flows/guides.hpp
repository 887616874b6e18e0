// Helpers of the one-thing guides (guides.cpp) and convenience services (convenience.cpp) flows,
// exposed for their unit tests.
#pragma once

#include <string>
#include <string_view>

#include "api/types.hpp"
#include "core/view.hpp"

namespace kiosk::flows {

// The pinyin initials of a Chinese text, upper case: "我要开小餐馆" → "WYKXCG". ASCII letters and
// digits are kept (upper-cased); other characters, and Chinese characters outside GB2312 level 1
// (the 3,755 common ones, ordered by pinyin there), are skipped.
std::string pinyin_initials(std::string_view utf8);

// True when `letters` (A–Z, upper case) are found in the Chinese title's pinyin initials ("XCG"
// finds 我要开小餐馆), or, in English, begin a word of the English title ("REST" finds
// "... restaurant"). Empty letters match everything.
bool guide_matches(const api::Text& title, std::string_view letters, bool english = false);

// The hall's link to a guide with the chosen situations, for a phone to open:
// "<guide code>?s=agent.road" (the code is the hall's https link to the guide), or
// "ESTN:GUIDE:<id>?s=…" when the guide has no code. No personal data; at most 300 characters
// (situation ids that do not fit are left off).
std::string checklist_link(const api::Guide& guide, const std::vector<std::string>& situations);

// Convenience services: where a catalog service leads. A scene (a kiosk flow) when one serves it,
// SceneId::Home when none does (an information page with a QR code to the hall's online service).
SceneId service_scene(const api::Service& service);

}  // namespace kiosk::flows
