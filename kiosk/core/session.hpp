// The citizen's session: everything personal the kiosk holds, and only for as long as it serves
// that person. wipe() overwrites before it releases; the session-reset test proves nothing
// survives.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace kiosk {

// Overwrites a string's bytes, then empties it.
void secure_wipe(std::string& s);

// A person as read from an identity document (the core's own type: the device layer's record is
// converted into this at the boundary, so the core does not depend on a reader's wire format).
struct Person {
    std::string name;
    std::string id_number;
    std::string sex;  // display text, already localised by the reader's tables
    std::string nation;
    std::string birth;  // YYYYMMDD
    std::string address;
    std::string authority;
    std::string valid_from;  // YYYYMMDD
    std::string valid_to;    // YYYYMMDD or "长期"
    std::string card_type;   // "resident", "J", "I", "Y"
    bool check_digit_ok = false;
    void wipe();
};

struct SessionData {
    std::optional<Person> person;
    std::string pickup_code;
    std::string phone;
    std::map<std::string, std::string> form;  // any form field a flow collects
    void wipe();
    bool empty() const;
};

struct Session {
    bool active = false;
    std::int64_t started_ms = 0;
    std::int64_t last_activity_ms = 0;
    std::uint64_t serial = 0;  // counts sessions; never personal
    SessionData data;
};

}  // namespace kiosk
