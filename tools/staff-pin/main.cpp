// kiosk-staff-pin: prints what goes into the [service_menu] configuration.
//
//   kiosk-staff-pin pin    reads a PIN (4 to 12 digits) from stdin, prints a pin_hash line
//   kiosk-staff-pin card   reads ID-card numbers (one a line) from stdin, prints staff_cards
//
// Exit codes: 0 done, 64 bad arguments, 65 bad input (EX_DATAERR), 70 hashing failed.
#include <iostream>
#include <string>
#include <vector>

#include "core/staff.hpp"

namespace {

int usage() {
    std::cerr << "usage: kiosk-staff-pin pin|card  (the secret is read from stdin)\n";
    return 64;
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(0, 1);
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) return usage();
    const std::string what = argv[1];
    if (what == "pin") {
        std::string pin;
        std::getline(std::cin, pin);
        pin = trim(pin);
        if (!kiosk::staff::valid_pin(pin)) {
            std::cerr << "kiosk-staff-pin: a PIN is 4 to 12 digits\n";
            return 65;
        }
        const std::string h = kiosk::staff::hash_pin(pin);
        std::fill(pin.begin(), pin.end(), '\0');
        if (h.empty()) {
            std::cerr << "kiosk-staff-pin: hashing failed (out of memory?)\n";
            return 70;
        }
        std::cout << "pin_hash = \"" << h << "\"\n";
        return 0;
    }
    if (what == "card") {
        std::vector<std::string> hashes;
        for (std::string line; std::getline(std::cin, line);) {
            line = trim(line);
            if (line.empty()) continue;
            if (line.size() != 18 && line.size() != 15) {
                std::cerr << "kiosk-staff-pin: line " << hashes.size() + 1
                          << ": an ID number has 15 or 18 characters\n";
                return 65;
            }
            const std::string h = kiosk::staff::card_hash(line);
            std::fill(line.begin(), line.end(), '\0');
            if (h.empty()) return 70;
            hashes.push_back(h);
        }
        std::cout << "staff_cards = [";
        for (std::size_t i = 0; i < hashes.size(); ++i)
            std::cout << (i ? ",\n  \"" : "\n  \"") << hashes[i] << "\"";
        std::cout << (hashes.empty() ? "]\n" : ",\n]\n");
        return 0;
    }
    return usage();
}
