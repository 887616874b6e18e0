// Locker-board dialects as data: one table row per board family.
//
// Implements the two dialects of ../shared/reference/locker-boards.md: the common "8A/80" board
// (XOR BCC, 1-based locks, DIP address 1..64) and the Kerong KR-CU16 style (STX/ETX, byte-sum,
// ADDR = board<<4 | lock). A new vendor that reuses one of these framings with other command
// codes or limits is a new row in kProfiles, not new code. Polarity is not part of a dialect: it
// depends on how each bank is wired, so it lives in the bank configuration (bank.hpp).
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
    bool unlock_replies;  // the board answers an unlock (dialect A) or stays silent (B)
    bool item_sensors;    // the board can report infrared item sensors
    int default_baud;
    std::chrono::milliseconds reply_timeout;  // working clients wait 1.5 s
    std::chrono::milliseconds silence_gap;    // line silence that ends a frame (25 ms)

    // Framing Xor8A80
    std::uint8_t hdr_unlock = 0;  // 0x8A
    std::uint8_t hdr_query = 0;   // 0x80 (also accepted as an unlock-reply header)
    std::uint8_t op_unlock = 0;   // 0x11
    std::uint8_t op_query = 0;    // 0x33 (also the end marker of a board-status reply)
    std::uint8_t op_address = 0;  // 0x99
    std::uint8_t st_set = 0;      // 0x11: lock feedback switch reads "set"
    std::uint8_t st_clear = 0;    // 0x00

    // Framing StxEtxSum
    std::uint8_t stx = 0;              // 0x02
    std::uint8_t etx = 0;              // 0x03
    std::uint8_t cmd_state = 0;        // 0x30 state of a board
    std::uint8_t cmd_unlock = 0;       // 0x31 unlock one lock
    std::uint8_t cmd_list = 0;         // 0x32 list boards (reply not documented: not used)
    std::uint8_t cmd_unlock_all = 0;   // 0x33
    std::uint8_t cmd_state_reply = 0;  // 0x35 L1-8 L9-16 IR1-8 IR9-16
};

// Every known dialect; find_profile() looks one up by its configuration name.
std::span<const DialectProfile> profiles();
const DialectProfile* find_profile(std::string_view name);

}  // namespace kiosk::locker
