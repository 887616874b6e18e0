// QR and Micro QR symbols from exact bytes through libqrencode (Debian's libqrencode-dev): byte
// mode with or without an ECI header, Micro QR versions M1–M4 — what ZXing 1.4's writer cannot
// make (it writes no Micro QR, writes GB18030 as ECI 29 and adds an ECI for every charset).
#pragma once

#include <string_view>

#include "scanner/image.hpp"

namespace qrcorpus {

// `bytes` in one byte-mode segment, after an ECI header when `eci` >= 0; `module` px per module,
// a 4-module quiet zone. Empty image on failure.
kiosk::scanner::GreyImage qr_bytes(std::string_view bytes, int eci, int module);
// A Micro QR symbol (version 1–4, ECC L; libqrencode picks numeric / alphanumeric / byte mode)
// with the 2-module quiet zone ISO/IEC 18004 asks of Micro QR. Empty image on failure.
kiosk::scanner::GreyImage micro_qr(std::string_view text, int version, int module);

}  // namespace qrcorpus
