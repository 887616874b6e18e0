// What the voice says for a text on screen (issue 18): the text as a person reads it aloud.
//
// Facts behind the rules (espeak-ng 1.51 as Debian ships it, checked with `espeak-ng -x`):
// - the voice "cmn" switches to English for Chinese characters here ("(en)kI55NTr'i:55…"); the
//   voice "cmn-latn-pinyin" reads them as Mandarin ("tS;h'i21N_| ts.h'A55_|…"), so it is the one;
// - a run of digits is read as a number ("12345" → 一万二千三百四十五), which nobody says for a
//   hotline, a pickup code or a kiosk code: codes are read digit by digit, with 幺 for 1 as on a
//   telephone, and a year as its digits (二零三五年);
// - money is said in 元/角/分 ("12.50元" → 12元5角).
#pragma once

#include <string>
#include <string_view>

namespace kiosk::speech {

// The text to hand to the synthesiser for `lang` ("zh-CN" or "en").
std::string spoken(std::string_view text, std::string_view lang);

// The espeak-ng voice for a language.
const char* voice(std::string_view lang);

}  // namespace kiosk::speech
