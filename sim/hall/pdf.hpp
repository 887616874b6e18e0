// The simulator's proof PDFs: one A4 page of text lines, drawn with cairo's PDF surface (Debian's
// libcairo2; fonts through fontconfig, so Chinese lines come out in Noto Sans CJK SC, embedded
// as a subset). PDF 1.4, as the contract's examples are. Nothing here is hand-built PDF syntax.
#pragma once

#include <string>
#include <vector>

namespace kiosk::hallsim {

// A4 portrait, 12 pt lines from the top-left margin; the first line is the heading (16 pt bold).
// Returns "" if cairo could not make the document.
std::string make_pdf(const std::vector<std::string>& lines);

}  // namespace kiosk::hallsim
