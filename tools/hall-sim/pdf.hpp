// A minimal PDF 1.4 writer for the simulator's proofs: one A4 page, Helvetica, ASCII text lines.
// Implements: header, catalog, pages, one page, one content stream, a font, xref with exact byte
// offsets, trailer, %%EOF (ISO 32000-1 §7.5). Does not implement: CJK text (needs an embedded
// font), compression, images. Printable by any PDF reader, a few hundred bytes.
#pragma once

#include <string>
#include <vector>

namespace kiosk::hallsim {

std::string make_pdf(const std::vector<std::string>& lines);

}  // namespace kiosk::hallsim
