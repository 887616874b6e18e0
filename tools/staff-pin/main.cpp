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

// --help: the package's man page is made from this text (help2man, packaging/man/).
void help() {
    std::cout << "Usage: kiosk-staff-pin pin|card\n"
                 "Print the [service_menu] configuration lines for the staff's secrets, read\n"
                 "from standard input, so that the kiosk's configuration holds only hashes.\n"
                 "\n"
                 "Commands:\n"
                 "  pin      read a PIN (4 to 12 digits) from one line, print its pin_hash line\n"
                 "  card     read ID-card numbers (15 or 18 characters, one a line), print the\n"
                 "           staff_cards list\n"
                 "\n"
                 "Options:\n"
                 "  --version   print the version and exit\n"
                 "  --help      print this help and exit\n"
                 "\n"
                 "Exit status:\n"
                 "  0    printed\n"
                 "  64   a bad command line\n"
                 "  65   bad input (not a PIN, not an ID number)\n"
                 "  70   hashing failed\n";
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
    if (what == "--help") {
        help();
        return 0;
    }
    if (what == "--version") {
        std::cout << "kiosk-staff-pin (estation-kiosk) " << KIOSK_VERSION << "\n";
        return 0;
    }
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
