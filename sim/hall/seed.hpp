// Seed data of the hall simulator: the catalog, the one-thing guides, and the people, certificates,
// applications and payment notices a demo and the tests use.
//
// Sources: the "我要开小餐馆" bundle (departments, items, materials, working days and material
// counts before/after the reform) and the "我要开专科医院" figures are taken verbatim from the
// Yueyang "一件事一次办" report (Hunan provincial government, 2019-06-25; ../shared/seed). The
// other bundles (出生, 退休, 退伍, 身后) are named in that report but their items and materials
// here are demo data without figures. People, ID numbers (valid check digits, fictitious), codes
// and amounts are made up.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kiosk::hallsim::seed {

nlohmann::json catalog();
std::vector<nlohmann::json> guides();  // full Guide objects

struct Person {
    std::string id_number;
    std::string name_masked;
};
struct Certificate {
    std::string pickup_id;
    std::string holder_id_number;
    std::string code;      // the pickup code the SMS carried (one per batch)
    std::string qr_token;  // the QR in the same SMS
    std::string title_zh, title_en;
    std::string cabinet;
    int door;
    std::string status;  // waiting | collected
    std::string application_id;
};
struct Notice {
    std::string order_id;
    std::string notice_number;
    std::string holder_id_number;
    std::string title_zh, title_en;
    long long amount_fen;
};
struct Staff {
    std::string staff_id, pin, name_masked;
    std::vector<std::string> roles;
};

std::vector<Person> people();
std::vector<Certificate> certificates();
std::vector<nlohmann::json> applications();  // full Application objects + "holder" id number
std::vector<Notice> notices();
std::vector<Staff> staff();

}  // namespace kiosk::hallsim::seed
