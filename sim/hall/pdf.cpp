// Proof PDFs with cairo; see pdf.hpp.
#include "pdf.hpp"

#include <cairo-pdf.h>
#include <cairo.h>

namespace kiosk::hallsim {

namespace {

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

}  // namespace

std::string make_pdf(const std::vector<std::string>& lines) {
    constexpr double kA4Width = 595.276, kA4Height = 841.89;  // points (210 × 297 mm)
    constexpr double kMargin = 56.7;                          // 20 mm
    std::string out;
    cairo_surface_t* surface =
        cairo_pdf_surface_create_for_stream(append, &out, kA4Width, kA4Height);
    cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_4);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, "Application proof");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "hall-sim");
    cairo_t* cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 0, 0, 0);
    double y = kMargin;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const bool heading = i == 0;
        cairo_select_font_face(cr, "Noto Sans CJK SC", CAIRO_FONT_SLANT_NORMAL,
                               heading ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(cr, heading ? 16 : 12);
        y += heading ? 16 : 20;
        cairo_move_to(cr, kMargin, y);
        cairo_show_text(cr, lines[i].c_str());
        if (heading) y += 12;
    }
    cairo_show_page(cr);
    const bool good = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    const bool finished = cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(surface);
    if (!good || !finished) return {};
    return out;
}

}  // namespace kiosk::hallsim
