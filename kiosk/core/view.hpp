// The view-model: plain data the screens draw. Every string is already in the session's language;
// screens make no decisions, they draw this and report intents.
#pragma once

#include <string>
#include <vector>

namespace kiosk {

enum class SceneId { Attract, Home, ComingSoon, IdCard, OutOfService };
const char* to_string(SceneId id);

struct TileView {
    std::string id;
    std::string title;
    std::string hint;
    bool enabled = true;  // false: a device or the hall it needs is down
    bool coming_soon = false;
    bool operator==(const TileView&) const = default;
};

struct IdCardView {
    enum class State { Waiting, Read, Failed, Unavailable } state = State::Waiting;
    std::string masked_name;
    std::string masked_id;
    std::string valid_to;
    std::string card_type;
    bool check_digit_ok = false;
    std::string message;
    bool operator==(const IdCardView&) const = default;
};

struct Labels {
    std::string back, home, finish, other_language, elder, elder_off, voice_on, voice_off, staff;
    std::string touch_to_start, coming_soon, unavailable;
    std::string id_name, id_number, id_valid_to, retry;
    bool operator==(const Labels&) const = default;
};

struct ViewModel {
    SceneId scene = SceneId::Attract;
    std::string lang = "zh-CN";
    bool elder = false;
    bool voice = false;

    std::string hall_name;
    std::string clock;  // "21:30"
    std::string date;   // "2026年11月26日 星期四"
    Labels labels;

    // Every scene but attract has a title, a prompt (what is spoken) and the chrome buttons.
    std::string title;
    std::string prompt;
    bool can_go_back = false;
    std::vector<std::string> banners;  // "the hall cannot be reached: …"

    // Attract
    std::string open_hours;
    std::string notice;
    int notice_index = 0;
    int notice_count = 0;

    // Home
    std::vector<TileView> tiles;

    // Coming soon, out of service, and other text pages
    std::string body;

    IdCardView idcard;

    // Inactivity warning, drawn over any scene
    bool warning = false;
    int warning_seconds_left = 0;
    std::string warning_title;
    std::string warning_text;
    std::string warning_button;

    // Staff has been called (shown as a banner until the session ends)
    bool staff_called = false;

    bool operator==(const ViewModel&) const = default;
};

}  // namespace kiosk
