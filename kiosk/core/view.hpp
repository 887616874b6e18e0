// The view-model: plain data the screens draw. Every string is already in the session's language;
// screens make no decisions, they draw this and report intents.
#pragma once

#include <string>
#include <vector>

namespace kiosk {

enum class SceneId {
    Attract,
    Home,
    ComingSoon,
    IdCard,
    OutOfService,
    // Citizen flows (kiosk/core/flows/*.cpp), drawn by the generic page screen.
    Pickup,
    Guides,
    Progress,
    Ticket,
    Payment,
    Proof,
    Convenience,
    Evaluation,
    Complaint,
    Service,  // the staff service menu
};
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

// [SECTION] Generic pages: a flow describes its step as a column of elements; one screen draws
// them all (kiosk/ui/screens/page.cpp), so a new flow needs no UI code.
enum class Tone { Normal, Info, Good, Warn, Bad };

struct PageRow {
    std::string label, value, detail;
    bool flag = false;  // Choices: selected; Timeline: done; Chart: current step
    std::string action, arg;
    bool enabled = true;
    bool operator==(const PageRow&) const = default;
};

struct Element {
    enum class Kind {
        Heading,    // text (Title size)
        Text,       // text, wrapped
        Notice,     // text + detail in a coloured box; tone says what kind (never colour only:
                    // the screen adds a symbol word)
        Fields,     // rows: label → value
        Button,     // text, action/arg; primary; enabled
        Choices,    // rows: label (+ detail), action/arg, flag = selected; `columns` per line
        Keypad,     // text = what was typed (already masked if needed), detail = hint; sends
                    // Intent{intents::key, "0".."9" | "del" | "ok"}
        Qr,         // text = payload to encode, detail = caption
        Timeline,   // rows: label = time, value = what happened, detail, flag = done
        Chart,      // rows: label = step, value = who, detail = how long; drawn as boxes and
                    // arrows
        Countdown,  // text, value = seconds left, max = total
        Camera,     // the live camera preview (where the kiosk has a camera), text = caption
        Rating,     // rows: the five levels, action/arg; flag = chosen
        Progress,   // value of max steps done, text = caption ("step 2 of 4")
    };
    Kind kind = Kind::Text;
    std::string id;  // tap id for buttons (default: action or action/arg)
    std::string text, detail, action, arg;
    Tone tone = Tone::Normal;
    bool enabled = true;
    bool primary = false;
    int columns = 1;
    int value = 0, max = 0;
    std::vector<PageRow> rows;
    bool operator==(const Element&) const = default;
};

struct Labels {
    std::string back, home, finish, other_language, elder, elder_off, voice_on, voice_off, staff,
        staff_cancel;
    std::string touch_to_start, coming_soon, unavailable;
    std::string id_name, id_number, id_valid_to, retry;
    std::string keypad_del, keypad_ok, scroll_up, scroll_down;
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

    // Flows: the page's elements top to bottom, and the step's action buttons (drawn in a bar
    // above the footer, within reach from a wheelchair).
    std::vector<Element> page;
    std::vector<Element> actions;

    // Inactivity warning, drawn over any scene
    bool warning = false;
    int warning_seconds_left = 0;
    std::string warning_title;
    std::string warning_text;
    std::string warning_button;

    // A staff call is open (its true state is a banner): the chrome's button cancels it
    bool staff_called = false;

    bool operator==(const ViewModel&) const = default;
};

}  // namespace kiosk
