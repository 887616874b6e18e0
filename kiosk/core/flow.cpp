#include "core/flow.hpp"

namespace kiosk::page {

Element heading(std::string text) {
    Element e;
    e.kind = Element::Kind::Heading;
    e.text = std::move(text);
    return e;
}

Element text(std::string text, Tone tone) {
    Element e;
    e.kind = Element::Kind::Text;
    e.text = std::move(text);
    e.tone = tone;
    return e;
}

Element notice(std::string text, Tone tone, std::string detail) {
    Element e;
    e.kind = Element::Kind::Notice;
    e.text = std::move(text);
    e.detail = std::move(detail);
    e.tone = tone;
    return e;
}

Element button(std::string text, std::string action, std::string arg, bool primary, bool enabled) {
    Element e;
    e.kind = Element::Kind::Button;
    e.text = std::move(text);
    e.action = std::move(action);
    e.arg = std::move(arg);
    e.primary = primary;
    e.enabled = enabled;
    return e;
}

Element fields(std::vector<std::pair<std::string, std::string>> rows) {
    Element e;
    e.kind = Element::Kind::Fields;
    for (auto& [l, v] : rows) {
        PageRow r;
        r.label = std::move(l);
        r.value = std::move(v);
        e.rows.push_back(std::move(r));
    }
    return e;
}

Element keypad(std::string shown, std::string hint) {
    Element e;
    e.kind = Element::Kind::Keypad;
    e.text = std::move(shown);
    e.detail = std::move(hint);
    return e;
}

Element qr(std::string payload, std::string caption) {
    Element e;
    e.kind = Element::Kind::Qr;
    e.text = std::move(payload);
    e.detail = std::move(caption);
    return e;
}

Element countdown(std::string text, int seconds_left, int total) {
    Element e;
    e.kind = Element::Kind::Countdown;
    e.text = std::move(text);
    e.value = seconds_left;
    e.max = total;
    return e;
}

}  // namespace kiosk::page
