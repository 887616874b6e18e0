#include "core/session.hpp"

#include "core/log.hpp"

namespace kiosk {

void secure_wipe(std::string& s) {
    // volatile so the compiler cannot drop the stores to memory it is about to release.
    volatile char* p = s.data();
    for (std::size_t i = 0; i < s.size(); ++i) p[i] = 0;
    s.clear();
    s.shrink_to_fit();
}

void Person::wipe() {
    for (std::string* s : {&name, &id_number, &sex, &nation, &birth, &address, &authority,
                           &valid_from, &valid_to, &card_type})
        secure_wipe(*s);
    check_digit_ok = false;
}

void SessionData::wipe() {
    if (person) person->wipe();
    person.reset();
    secure_wipe(pickup_code);
    secure_wipe(phone);
    for (auto& [k, v] : form) secure_wipe(v);
    form.clear();
    log::clear_redactions();
}

bool SessionData::empty() const {
    return !person && pickup_code.empty() && phone.empty() && form.empty();
}

}  // namespace kiosk
