// Identity: the one type that holds a citizen's card data, and wipes it.
//
// Move-only (a copy would be one more place personal data lingers); wipe() overwrites every
// string and buffer, including spare capacity, with explicit_bzero so the compiler cannot elide
// it; the destructor wipes; a move wipes the source. The session drops its Identity at the end
// and the data is gone. (Temporaries made while parsing are short-lived heap blocks that are
// freed, not overwritten: a limit of std::string that the docs state.)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kiosk::idcard {

enum class CardType {
    Resident,              // resident ID card (bytes 248-249 "20 00")
    HkMoTwResidence,       // 'J': Hong Kong / Macau / Taiwan residence permit
    ForeignPermanent2017,  // 'I'
    ForeignPermanent2023,  // 'Y'
};
const char* to_string(CardType t);

enum class Sex { Unknown, Male, Female, Unspecified };  // GB/T 2261.1 codes 0, 1, 2, 9
const char* to_string(Sex s);                           // 未知 男 女 未说明

enum class Region { None, HongKong, Macau, Taiwan };  // for 'J' cards, from the number prefix

// GB 11643 check character result for the card's 18-character number.
enum class IdCheck {
    Valid,
    BadCheckCharacter,  // well formed, but the last character does not match: do not trust it
    Malformed,          // not 17 digits + digit/X
    NotApplicable,      // 'I' cards: a 15-character number with no GB 11643 check
};
const char* to_string(IdCheck c);

class Identity {
  public:
    Identity() = default;
    ~Identity() { wipe(); }
    Identity(const Identity&) = delete;
    Identity& operator=(const Identity&) = delete;
    Identity(Identity&& other) noexcept;
    Identity& operator=(Identity&& other) noexcept;

    void wipe();
    bool empty() const { return id_number.empty() && name.empty(); }
    bool id_trusted() const { return id_check == IdCheck::Valid; }

    CardType type = CardType::Resident;
    std::string name;          // UTF-8 (Chinese name; for 'I' cards may be empty)
    std::string foreign_name;  // 'I' English name; 'Y' foreign name (with its continuation)
    Sex sex = Sex::Unknown;
    std::string nation_code;  // GB 3304 two digits (resident cards only)
    std::string nation;       // its name, e.g. 汉
    std::string birth;        // YYYYMMDD
    std::string address;
    std::string appended_address;  // from read 30 03 (empty when there is none)
    std::string id_number;         // 18 characters ('I': 15)
    IdCheck id_check = IdCheck::Malformed;
    std::string authority;   // issuing authority ('I': authority code)
    std::string valid_from;  // YYYYMMDD
    std::string valid_to;    // YYYYMMDD, or empty when long_term
    bool long_term = false;  // "长期"
    // 'J'
    std::string pass_number;
    std::string issue_count;
    Region region = Region::None;
    // 'I' / 'Y'
    std::string nationality;    // ISO 3166 alpha-3
    std::string card_version;   // 'I'
    std::string renewal_count;  // 'Y'
    std::string previous_card;  // 'Y' previous-card link (naming uncertain)
    // Opaque: WLT photo (decode with a licensed PhotoDecoder), fingerprint templates.
    std::vector<std::uint8_t> photo;
    std::vector<std::uint8_t> fingerprint;
};

// Overwrites then empties (also used for scratch buffers that held card bytes).
void secure_wipe(std::string& s);
void secure_wipe(std::vector<std::uint8_t>& v);

}  // namespace kiosk::idcard
