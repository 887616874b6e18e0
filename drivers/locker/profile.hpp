// Locker-board dialects as data: one table row per board family.
//
// Implements the two dialects of ../shared/reference/locker-boards.md: the common "8A/80" board
// (XOR BCC, 1-based locks, DIP address 1..64) and the Kerong KR-CU16 style (STX/ETX, byte-sum,
// ADDR = board<<4 | lock). A new vendor that reuses one of these framings with other command
// codes or limits is a new row in kProfiles, not new code. Polarity depends on how each bank is
// wired, so it is a bank setting (bank.hpp); the dialect only carries the field's DEFAULT
// (lock_bit_set_means_open), taken from the public clients listed in docs/drivers/locker.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string_view>

namespace kiosk::locker {

// How frames are delimited and checked; each framing has one code path in codec.cpp.
enum class Framing {
    Xor8A80,    // HDR ADDR LOCK CMD BCC, BCC = XOR of the preceding bytes
    StxEtxSum,  // STX ADDR CMD [data] ETX SUM, SUM = byte sum mod 256
};

struct DialectProfile {
    std::string_view name;  // the configuration value: "8a80", "kerong-cu16"
    Framing framing;
    int min_board;        // lowest board address on the wire
    int max_board;        // highest board address on the wire
    int max_channels;     // locks per board
    bool unlock_replies;  // the board always answers an unlock (dialect A); B: some boards do
    bool item_sensors;    // the board can report infrared item sensors
    int default_baud;
    std::chrono::milliseconds reply_timeout;  // working clients wait 1.5 s
    std::chrono::milliseconds silence_gap;    // line silence that ends a frame (25 ms)
    // Field default of a bank's door_open_when: what a SET raw lock bit means when the bank does
    // not say. 8A/80: set = open (the 81-family client: 11 after an unlock = unlocked; wiring
    // differs, see docs). Kerong CU16: set = closed/locked (every CU16 client but one).
    bool lock_bit_set_means_open = true;

    // Framing Xor8A80
    std::uint8_t hdr_unlock = 0;  // 0x8A
    std::uint8_t hdr_query = 0;   // 0x80 (also accepted as an unlock-reply header)
    std::uint8_t op_unlock = 0;   // 0x11
    std::uint8_t op_query = 0;    // 0x33 (also the end marker of a board-status reply)
    std::uint8_t op_address = 0;  // 0x99
    std::uint8_t st_set = 0;      // 0x11: lock feedback switch reads "set"
    std::uint8_t st_clear = 0;    // 0x00
    std::uint8_t hdr_report = 0;  // 0x81: unlock reply and unsolicited door report (81 family)

    // Framing StxEtxSum
    std::uint8_t stx = 0;              // 0x02
    std::uint8_t etx = 0;              // 0x03
    std::uint8_t cmd_state = 0;        // 0x30 state of a board
    std::uint8_t cmd_unlock = 0;       // 0x31 unlock one lock
    std::uint8_t cmd_list = 0;         // 0x32 list boards: every board answers with its state
    std::uint8_t cmd_unlock_all = 0;   // 0x33
    std::uint8_t cmd_state_reply = 0;  // 0x35 L1-8 L9-16 IR1-8 IR9-16
    std::uint8_t cmd_all_reply = 0;    // 0x36 "return all CU data" (a state frame, reply to 32)
    std::uint8_t cmd_pulse = 0;        // 0x37 set (HI LO, 10 ms units) / query the pulse time
    std::uint8_t cmd_pulse_reply = 0;  // 0x38 the pulse time setting
    std::uint8_t list_address = 0;     // 0xF0 the broadcast address a listing is sent to
};

// Every known dialect; find_profile() looks one up by its configuration name.
std::span<const DialectProfile> profiles();
const DialectProfile* find_profile(std::string_view name);

}  // namespace kiosk::locker
