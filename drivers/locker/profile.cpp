// The dialect table (see profile.hpp and ../shared/reference/locker-boards.md).
#include "locker/profile.hpp"

#include <array>

namespace kiosk::locker {
namespace {

using std::chrono::milliseconds;

constexpr DialectProfile make_8a80() {
    DialectProfile p{
        "8a80",          Framing::Xor8A80, 1, 64, 32, true, false, 9600, milliseconds(1500),
        milliseconds(25)};
    p.hdr_unlock = 0x8A;
    p.hdr_query = 0x80;
    p.op_unlock = 0x11;
    p.op_query = 0x33;
    p.op_address = 0x99;
    p.st_set = 0x11;
    p.st_clear = 0x00;
    p.hdr_report = 0x81;
    p.lock_bit_set_means_open = true;
    return p;
}

constexpr DialectProfile make_kerong() {
    // Factory baud may be 19200 (uncertain in the reference); the configuration can override it.
    DialectProfile p{"kerong-cu16",      Framing::StxEtxSum, 0, 15, 16, false, true, 19200,
                     milliseconds(1500), milliseconds(25)};
    p.stx = 0x02;
    p.etx = 0x03;
    p.cmd_state = 0x30;
    p.cmd_unlock = 0x31;
    p.cmd_list = 0x32;
    p.cmd_unlock_all = 0x33;
    p.cmd_state_reply = 0x35;
    p.cmd_all_reply = 0x36;
    p.cmd_pulse = 0x37;
    p.cmd_pulse_reply = 0x38;
    p.list_address = 0xF0;
    // Field default: a set lock-hook bit = locked/closed (docs/drivers/locker.md, "Polarity").
    p.lock_bit_set_means_open = false;
    return p;
}

constexpr std::array<DialectProfile, 2> kProfiles{make_8a80(), make_kerong()};

}  // namespace

std::span<const DialectProfile> profiles() {
    return kProfiles;
}

const DialectProfile* find_profile(std::string_view name) {
    for (const auto& p : kProfiles)
        if (p.name == name) return &p;
    return nullptr;
}

}  // namespace kiosk::locker
