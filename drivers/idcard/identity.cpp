// Identity wiping (see identity.hpp).
#include "idcard/identity.hpp"

#include <string.h>  // explicit_bzero (glibc)

namespace kiosk::idcard {

void secure_wipe(std::string& s) {
    // Spare capacity may hold an earlier, longer value: overwrite all of it.
    s.resize(s.capacity());
    if (!s.empty()) ::explicit_bzero(s.data(), s.size());
    s.clear();
}

void secure_wipe(std::vector<std::uint8_t>& v) {
    v.resize(v.capacity());
    if (!v.empty()) ::explicit_bzero(v.data(), v.size());
    v.clear();
}

void Identity::wipe() {
    for (std::string* s :
         {&name, &foreign_name, &nation_code, &nation, &birth, &address, &appended_address,
          &id_number, &authority, &valid_from, &valid_to, &pass_number, &issue_count, &nationality,
          &card_version, &renewal_count, &previous_card})
        secure_wipe(*s);
    secure_wipe(photo);
    secure_wipe(fingerprint);
    type = CardType::Resident;
    sex = Sex::Unknown;
    id_check = IdCheck::Malformed;
    long_term = false;
    region = Region::None;
}

Identity::Identity(Identity&& o) noexcept {
    *this = std::move(o);
}

Identity& Identity::operator=(Identity&& o) noexcept {
    if (this == &o) return *this;
    wipe();
    // Copy, then wipe the source: a plain move would leave short (SSO) strings' bytes behind.
    type = o.type;
    sex = o.sex;
    id_check = o.id_check;
    long_term = o.long_term;
    region = o.region;
    std::string* mine[] = {&name,         &foreign_name, &nation_code,      &nation,
                           &birth,        &address,      &appended_address, &id_number,
                           &authority,    &valid_from,   &valid_to,         &pass_number,
                           &issue_count,  &nationality,  &card_version,     &renewal_count,
                           &previous_card};
    std::string* theirs[] = {
        &o.name,          &o.foreign_name,     &o.nation_code, &o.nation,      &o.birth,
        &o.address,       &o.appended_address, &o.id_number,   &o.authority,   &o.valid_from,
        &o.valid_to,      &o.pass_number,      &o.issue_count, &o.nationality, &o.card_version,
        &o.renewal_count, &o.previous_card};
    for (std::size_t i = 0; i < std::size(mine); ++i) *mine[i] = *theirs[i];
    photo = o.photo;
    fingerprint = o.fingerprint;
    o.wipe();
    return *this;
}

const char* to_string(CardType t) {
    switch (t) {
        case CardType::Resident:
            return "resident";
        case CardType::HkMoTwResidence:
            return "hk/mo/tw residence permit";
        case CardType::ForeignPermanent2017:
            return "foreign permanent residence 2017";
        case CardType::ForeignPermanent2023:
            return "foreign permanent residence 2023";
    }
    return "unknown";
}

const char* to_string(Sex s) {
    switch (s) {
        case Sex::Unknown:
            return "未知";
        case Sex::Male:
            return "男";
        case Sex::Female:
            return "女";
        case Sex::Unspecified:
            return "未说明";
    }
    return "未知";
}

const char* to_string(IdCheck c) {
    switch (c) {
        case IdCheck::Valid:
            return "valid";
        case IdCheck::BadCheckCharacter:
            return "bad check character";
        case IdCheck::Malformed:
            return "malformed";
        case IdCheck::NotApplicable:
            return "not applicable";
    }
    return "unknown";
}

}  // namespace kiosk::idcard
