// VirtualPrinter (see virtual_printer.hpp). Reference: ../shared/reference/escpos.md.
#include "virtual_printer.hpp"

#include <iconv.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <tuple>

#include <ft2build.h>
#include FT_FREETYPE_H
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <stb_image_write.h>

#include "escpos/builder.hpp"

namespace kiosk::printersim {

using escpos::Command;
using escpos::PaperLevel;
using Op = Command::Op;

bool write_png(const Canvas& c, const std::string& path) {
    if (c.width <= 0 || c.height <= 0) return false;
    return stbi_write_png(path.c_str(), c.width, c.height, 1, c.pixels.data(), c.width) != 0;
}

namespace {

constexpr int kCellH = 24;  // font A: 12×24 half width, 24×24 full width
constexpr int kHalfW = 12;
constexpr int kMargin = 32;  // (640 − 576) / 2: an 80 mm roll around a 72 mm head
constexpr std::uint8_t kInk = 0;
constexpr std::uint8_t kPaper = 255;
constexpr std::uint8_t kDesk = 200;  // around the paper in the PNG
// A receipt longer than this (about 2.5 m) is drawn up to here only: bounds memory whatever
// the byte stream asks for (the roll itself still gets consumed).
constexpr int kMaxReceiptDots = 20000;

struct Glyph {
    char32_t cp;
    int w, h;  // size multipliers
    bool bold, underline;
    int cell_w() const { return (cp < 0x80 ? kHalfW : 2 * kHalfW) * w; }
};

// One FreeType face per font file for the whole process: opening the 20 MB CJK collection
// costs far more than printing a receipt. FreeType faces are not thread-safe, so glyph loads
// from every printer instance go through this lock.
struct CachedGlyph {
    bool ok = false;
    int advance = 0, left = 0, top = 0, width = 0, rows = 0;
    std::vector<std::uint8_t> on;  // width × rows, 1 = a dot
};

struct SharedFont {
    std::mutex mutex;
    // Rendered glyphs by (code point, width ×, height ×): rendering a CJK outline costs far
    // more than drawing its dots, and receipts repeat characters.
    std::map<std::tuple<char32_t, int, int>, CachedGlyph> cache;
    FT_Library ft = nullptr;
    FT_Face face = nullptr;
    SharedFont() = default;
    SharedFont(const SharedFont&) = delete;
    SharedFont& operator=(const SharedFont&) = delete;
    ~SharedFont() {
        if (face) FT_Done_Face(face);
        if (ft) FT_Done_FreeType(ft);
    }
};

SharedFont* shared_font(const std::string& path, int index) {
    static std::mutex registry_mutex;
    static std::map<std::pair<std::string, int>, std::unique_ptr<SharedFont>> registry;
    std::lock_guard lock(registry_mutex);
    auto& slot = registry[{path, index}];
    if (!slot) {
        slot = std::make_unique<SharedFont>();
        if (FT_Init_FreeType(&slot->ft) == 0 &&
            FT_New_Face(slot->ft, path.c_str(), index, &slot->face) != 0) {
            slot->face = nullptr;
        }
    }
    return slot.get();
}

}  // namespace

struct VirtualPrinter::Impl {
    VirtualPrinterOptions opt;
    escpos::CommandStream stream;
    escpos::PrinterStatus st;
    int asb_mask = 0;
    long paper_left = -1;

    // Print modes (reset by ESC @).
    int align = 0, wmul = 1, hmul = 1, line_spacing = 30;
    bool bold = false, underline = false;
    bool chinese = true;  // Chinese printers power up in Chinese mode
    std::vector<std::uint8_t> qr_data;
    int qr_module = 3, qr_ecc = 48;
    int bc_height = 162, bc_width = 3, bc_hri = 0;
    std::vector<std::uint8_t> mb;  // partial multibyte character across text runs

    std::vector<Glyph> line;
    int line_width = 0;
    Canvas paper;
    int y = 0;
    bool printed = false;  // anything on the current receipt

    SharedFont* font = nullptr;
    iconv_t gb = reinterpret_cast<iconv_t>(-1);

    std::vector<PrintedReceipt> done;
    int counter = 0;
    Stats stats;
    std::vector<std::uint8_t>* reply = nullptr;  // where status bytes go during feed()

    explicit Impl(VirtualPrinterOptions o) : opt(std::move(o)), paper_left(opt.paper_dots) {
        font = shared_font(opt.font_path, opt.font_face);
        gb = iconv_open("UTF-32LE", "GB18030");
        new_paper();
    }
    ~Impl() {
        if (gb != reinterpret_cast<iconv_t>(-1)) iconv_close(gb);
    }

    void reset_modes() {
        align = 0;
        wmul = hmul = 1;
        line_spacing = 30;
        bold = underline = false;
        qr_module = 3;
        qr_ecc = 48;
        bc_height = 162;
        bc_width = 3;
        bc_hri = 0;
        mb.clear();
    }

    void new_paper() {
        paper.width = opt.dots_per_line;
        paper.height = 0;
        paper.pixels.clear();
        y = 0;
        printed = false;
    }

    bool can_print() const { return st.ready(); }

    // -- status ---------------------------------------------------------------------------
    void status_changed(const escpos::PrinterStatus& before) {
        if (before == st || asb_mask == 0 || !reply) return;
        const auto f = escpos::encode_asb(st);
        reply->insert(reply->end(), f.begin(), f.end());
    }

    // Paper moves by `dots`: the roll gets shorter, the sensors may trip.
    void consume(int dots) {
        if (paper_left < 0) return;
        const auto before = st;
        paper_left = std::max(0L, paper_left - dots);
        if (paper_left == 0) {
            st.paper = PaperLevel::Out;
        } else if (paper_left <= opt.near_end_dots) {
            st.paper = PaperLevel::NearEnd;
        }
        if (st.paper == PaperLevel::Out && before.paper != PaperLevel::Out) {
            finish(false, false);  // what was printed so far comes out as it is
        }
        status_changed(before);
    }

    // -- canvas ---------------------------------------------------------------------------
    void ensure(int h) {
        h = std::min(h, kMaxReceiptDots);
        if (h <= paper.height) return;
        paper.pixels.resize(static_cast<std::size_t>(paper.width) * h, kPaper);
        paper.height = h;
    }
    void dot(int x, int yy) {
        if (x < 0 || x >= paper.width || yy < 0 || yy >= kMaxReceiptDots) return;
        ensure(yy + 1);
        paper.pixels[static_cast<std::size_t>(yy) * paper.width + x] = kInk;
    }
    void advance(int dots) {
        if (dots <= 0) return;
        y = std::min(y + dots, kMaxReceiptDots);
        ensure(y);
        consume(dots);
    }
    int aligned_x(int w) const {
        if (w >= paper.width) return 0;
        return align == 1 ? (paper.width - w) / 2 : align == 2 ? paper.width - w : 0;
    }

    CachedGlyph glyph(const Glyph& g) {
        std::lock_guard font_lock(font->mutex);
        const auto key = std::make_tuple(g.cp, g.w, g.h);
        if (auto it = font->cache.find(key); it != font->cache.end()) return it->second;
        if (font->cache.size() > 8192) font->cache.clear();  // bounded whatever the input
        CachedGlyph cg;
        FT_Face face = font->face;
        const int em_h = kCellH * g.h - 2 * g.h;
        int em_w = kCellH * g.w - 2 * g.w;
        FT_Set_Pixel_Sizes(face, static_cast<FT_UInt>(em_w), static_cast<FT_UInt>(em_h));
        // Printer fonts are monospaced: a Latin glyph wider than its 12-dot cell ('m', 'W') is
        // condensed to fit, as the printer's own font A is, instead of being clipped.
        if (FT_Load_Char(face, g.cp, FT_LOAD_DEFAULT) == 0) {
            const int adv = static_cast<int>(face->glyph->advance.x >> 6);
            const int room = g.cell_w() - g.w;
            if (adv > room && adv > 0) {
                em_w = std::max(1, em_w * room / adv);
                FT_Set_Pixel_Sizes(face, static_cast<FT_UInt>(em_w), static_cast<FT_UInt>(em_h));
            }
        }
        if (FT_Load_Char(face, g.cp, FT_LOAD_RENDER | FT_LOAD_TARGET_NORMAL) == 0) {
            const FT_GlyphSlot s = face->glyph;
            cg.ok = true;
            cg.advance = static_cast<int>(s->advance.x >> 6);
            cg.left = s->bitmap_left;
            cg.top = s->bitmap_top;
            cg.width = static_cast<int>(s->bitmap.width);
            cg.rows = static_cast<int>(s->bitmap.rows);
            cg.on.resize(static_cast<std::size_t>(cg.width) * cg.rows);
            for (int r = 0; r < cg.rows; ++r)
                for (int c = 0; c < cg.width; ++c)
                    // A thermal dot is on or off.
                    cg.on[static_cast<std::size_t>(r) * cg.width + c] =
                        s->bitmap.buffer[static_cast<std::ptrdiff_t>(r) * s->bitmap.pitch + c] >=
                        100;
        }
        font->cache[key] = cg;
        return cg;
    }

    void draw_glyph(const Glyph& g, int x, int top, int cell_h) {
        const int cw = g.cell_w();
        CachedGlyph cg;
        if (g.cp != U' ' && font && font->face) cg = glyph(g);
        if (cg.ok) {
            // Centre the glyph in its cell; baseline at 0.86 em (Noto CJK's typo ascender).
            const int pen = x + (cw - cg.advance) / 2;
            const int base = top + (cell_h - kCellH * g.h) + (kCellH * g.h * 86) / 100;
            for (int r = 0; r < cg.rows; ++r) {
                for (int c = 0; c < cg.width; ++c) {
                    if (!cg.on[static_cast<std::size_t>(r) * cg.width + c]) continue;
                    const int px = pen + cg.left + c;
                    const int py = base - cg.top + r;
                    if (px < x || px >= x + cw) continue;
                    dot(px, py);
                    if (g.bold) dot(px + 1, py);
                }
            }
        } else if (g.cp != U' ') {  // no font: a box, so the layout is still visible
            for (int i = 2; i < cw - 2; ++i) {
                dot(x + i, top + 2);
                dot(x + i, top + cell_h - 3);
            }
        }
        if (g.underline) {
            for (int i = 0; i < cw; ++i) dot(x + i, top + cell_h - 1);
        }
    }

    void flush_line(bool feed_line) {
        if (line.empty()) {
            if (feed_line) advance(line_spacing);
            return;
        }
        int cell_h = 0;
        for (const auto& g : line) cell_h = std::max(cell_h, kCellH * g.h);
        int x = aligned_x(line_width);
        for (const auto& g : line) {
            draw_glyph(g, x, y, cell_h);
            x += g.cell_w();
        }
        line.clear();
        line_width = 0;
        printed = true;
        advance(std::max(line_spacing, cell_h + 6));
    }

    void put_char(char32_t cp) {
        Glyph g{cp, wmul, hmul, bold, underline != 0};
        if (line_width + g.cell_w() > paper.width) flush_line(true);  // the printer wraps
        line_width += g.cell_w();
        line.push_back(g);
    }

    void text(const std::vector<std::uint8_t>& data) {
        for (std::uint8_t b : data) {
            if (b == 0x09) b = ' ';
            if (!mb.empty()) {
                mb.push_back(b);
                const bool four = mb.size() >= 2 && mb[1] >= 0x30 && mb[1] <= 0x39;
                if (mb.size() == (four ? 4u : 2u)) decode_mb();
                continue;
            }
            if (b < 0x80) {
                put_char(b);
            } else if (chinese && b >= 0x81 && b <= 0xFE) {
                mb.push_back(b);
            } else {
                put_char(U'?');  // code page 437 is not drawn
            }
        }
    }

    void decode_mb() {
        char32_t out = U'?';
        if (gb != reinterpret_cast<iconv_t>(-1)) {
            char* in = reinterpret_cast<char*>(mb.data());
            std::size_t inleft = mb.size();
            char32_t cp = 0;
            char* o = reinterpret_cast<char*>(&cp);
            std::size_t oleft = sizeof cp;
            iconv(gb, nullptr, nullptr, nullptr, nullptr);
            if (iconv(gb, &in, &inleft, &o, &oleft) != static_cast<std::size_t>(-1) && oleft == 0) {
                out = cp;
            }
        }
        mb.clear();
        put_char(out);
    }

    void blit(const escpos::MonoImage& img, int sx, int sy) {
        const int w = img.width * sx, h = img.height * sy;
        const int x0 = aligned_x(w);
        ensure(y + h);
        for (int yy = 0; yy < h && y + yy < kMaxReceiptDots; ++yy)
            for (int xx = 0; xx < w && x0 + xx < paper.width; ++xx)
                if (img.at(xx / sx, yy / sy)) dot(x0 + xx, y + yy);
        printed = true;
        advance(h);
    }

    void print_qr() {
        const auto ecc = static_cast<escpos::QrEcc>(std::clamp(qr_ecc, 48, 51));
        const std::string_view data(reinterpret_cast<const char*>(qr_data.data()), qr_data.size());
        const auto m = escpos::qr_modules(data, ecc);
        if (m.width == 0) return;  // a printer prints nothing for data it cannot encode
        int module = std::clamp(qr_module, 1, 16);
        while (module > 1 && m.width * module > paper.width) --module;
        blit(m, module, module);
    }

    void print_barcode(const Command& c) {
        std::string content;
        if (c.a == 73) {  // CODE128: "{A"/"{B"/"{C" select a code set, "{{" is a brace
            bool set_c = false;
            for (std::size_t i = 0; i < c.data.size(); ++i) {
                const std::uint8_t b = c.data[i];
                if (b == '{' && i + 1 < c.data.size()) {
                    const std::uint8_t n = c.data[++i];
                    if (n == '{') {
                        content += '{';
                    } else {
                        set_c = n == 'C';
                    }
                    continue;
                }
                if (set_c) {
                    char buf[4];
                    std::snprintf(buf, sizeof buf, "%02u", static_cast<unsigned>(b % 100));
                    content += buf;
                } else if (b >= 0x20 && b < 0x7F) {
                    content += static_cast<char>(b);
                }
            }
        } else {
            for (auto b : c.data)
                if (b >= 0x20 && b < 0x7F) content += static_cast<char>(b);
        }
        if (content.empty()) return;
        escpos::MonoImage bars;
        try {
            auto fmt = (c.a == 4 || c.a == 69) ? ZXing::BarcodeFormat::Code39
                                               : ZXing::BarcodeFormat::Code128;
            auto m = ZXing::MultiFormatWriter(fmt).setMargin(0).encode(content, 0, 1);
            bars.width = m.width();
            bars.height = 1;
            bars.pixels.resize(static_cast<std::size_t>(bars.width));
            for (int x = 0; x < bars.width; ++x)
                bars.pixels[static_cast<std::size_t>(x)] = m.get(x, 0);
        } catch (const std::exception&) {
            return;  // the printer rejects data the symbology cannot carry
        }
        const int module = std::clamp(bc_width, 1, 6);
        const int height = std::max(1, bc_height);
        blit(bars, module, height);
        if (bc_hri == 2 || bc_hri == 3) {  // human-readable digits below
            const int saved_align = align, sw = wmul, sh = hmul;
            const bool sb = bold;
            align = 1;
            wmul = hmul = 1;
            bold = false;
            for (char ch : content) put_char(static_cast<char32_t>(ch));
            flush_line(true);
            align = saved_align;
            wmul = sw;
            hmul = sh;
            bold = sb;
        }
    }

    void print_raster(const Command& c) {
        escpos::MonoImage img;
        img.width = c.b * 8;
        img.height = c.c;
        img.pixels.resize(static_cast<std::size_t>(img.width) * img.height);
        for (int yy = 0; yy < img.height; ++yy)
            for (int xx = 0; xx < img.width; ++xx) {
                const std::uint8_t byte = c.data[static_cast<std::size_t>(yy) * c.b + xx / 8];
                img.pixels[static_cast<std::size_t>(yy) * img.width + xx] =
                    (byte >> (7 - xx % 8)) & 1;
            }
        blit(img, (c.a & 1) ? 2 : 1, (c.a & 2) ? 2 : 1);
    }

    // Ends the current receipt: compose it on a paper-coloured page and write the PNG.
    void finish(bool complete, bool full_cut) {
        if (!line.empty() && complete) flush_line(true);
        line.clear();
        line_width = 0;
        if (!printed) {
            new_paper();
            return;
        }
        PrintedReceipt r;
        r.complete = complete;
        Canvas& out = r.image;
        const int body_h = std::max(paper.height, y);
        out.width = paper.width + 2 * kMargin + 16;
        out.height = body_h + 2 * kMargin + 16;
        out.pixels.assign(static_cast<std::size_t>(out.width) * out.height, kDesk);
        const int px0 = 8, py0 = 8, pw = paper.width + 2 * kMargin, ph = body_h + 2 * kMargin;
        // Row copies, not pixel loops: this runs for every receipt (and every fuzz input).
        for (int yy = 0; yy < ph; ++yy) {
            auto row = out.pixels.begin() + static_cast<std::ptrdiff_t>(py0 + yy) * out.width + px0;
            std::fill(row, row + pw, kPaper);
        }
        for (int yy = 0; yy < paper.height; ++yy) {
            auto src = paper.pixels.begin() + static_cast<std::ptrdiff_t>(yy) * paper.width;
            auto dst = out.pixels.begin() +
                       static_cast<std::ptrdiff_t>(py0 + kMargin + yy) * out.width + px0 + kMargin;
            std::copy(src, src + paper.width, dst);
        }
        // The cut: a partial cut leaves a perforation-like dashed edge, a full cut a solid one;
        // a receipt that never got its cut ends ragged.
        const int cut_y = py0 + ph - 1;
        for (int xx = 0; xx < pw; ++xx) {
            std::uint8_t v = 120;
            if (!complete) {
                const int jag = (xx / 6) % 2 ? 0 : 5;
                for (int k = 0; k < jag; ++k)
                    out.pixels[static_cast<std::size_t>(cut_y - k) * out.width + px0 + xx] = kDesk;
                continue;
            }
            if (!full_cut && (xx / 8) % 2) v = kPaper;
            out.pixels[static_cast<std::size_t>(cut_y) * out.width + px0 + xx] = v;
        }
        ++counter;
        if (!opt.out_dir.empty()) {
            char name[64];
            std::snprintf(name, sizeof name, "receipt-%04d%s.png", counter,
                          complete ? "" : "-incomplete");
            r.path = (std::filesystem::path(opt.out_dir) / name).string();
            write_png(out, r.path);
        }
        done.push_back(std::move(r));
        if (opt.max_kept_receipts > 0 && done.size() > opt.max_kept_receipts)
            done.erase(done.begin());
        new_paper();
    }

    void run(const Command& c) {
        ++stats.commands;
        // Real-time commands are answered whatever state the printer is in.
        if (c.op == Op::RealtimeStatus) {
            ++stats.status_queries;
            if (c.a >= 1 && c.a <= 4 && reply)
                reply->push_back(escpos::encode_realtime_reply(c.a, st));
            return;
        }
        if (c.op == Op::StatusBack) {
            asb_mask = c.a;
            if (asb_mask != 0 && reply) {  // enabling sends the current status at once
                const auto f = escpos::encode_asb(st);
                reply->insert(reply->end(), f.begin(), f.end());
            }
            return;
        }
        if (c.op == Op::Error) {
            ++stats.errors;
            return;
        }
        if (!can_print()) {
            stats.dropped_bytes += c.data.size() + 1;
            return;
        }
        switch (c.op) {
            case Op::Text:
                text(c.data);
                break;
            case Op::LineFeed:
                flush_line(true);
                break;
            case Op::Init:
                flush_line(false);
                reset_modes();
                break;
            case Op::Align:
                align = c.a;
                break;
            case Op::PrintMode:
                bold = (c.a & 0x08) != 0;
                hmul = (c.a & 0x10) ? 2 : 1;
                wmul = (c.a & 0x20) ? 2 : 1;
                underline = (c.a & 0x80) != 0;
                break;
            case Op::CharSize:
                wmul = ((c.a >> 4) & 7) + 1;
                hmul = (c.a & 7) + 1;
                break;
            case Op::Bold:
                bold = c.a != 0;
                break;
            case Op::Underline:
                underline = (c.a & 3) != 0;
                break;
            case Op::ChineseOn:
                chinese = true;
                break;
            case Op::ChineseOff:
                chinese = false;
                mb.clear();
                break;
            case Op::FeedLines:
                flush_line(true);
                advance(line_spacing * std::max(0, c.a - 1));
                break;
            case Op::FeedDots:
                flush_line(false);
                advance(c.a);
                break;
            case Op::LineSpacing:
                line_spacing = c.a < 0 ? 30 : c.a;
                break;
            case Op::QrModuleSize:
                qr_module = c.a;
                break;
            case Op::QrEcc:
                qr_ecc = c.a;
                break;
            case Op::QrStore:
                qr_data = c.data;
                break;
            case Op::QrPrint:
                flush_line(false);
                print_qr();
                break;
            case Op::BarcodeHeight:
                bc_height = c.a;
                break;
            case Op::BarcodeWidth:
                bc_width = c.a;
                break;
            case Op::BarcodeHri:
                bc_hri = c.a;
                break;
            case Op::Barcode:
                flush_line(false);
                print_barcode(c);
                break;
            case Op::Raster:
                flush_line(false);
                if (opt.raster_buffer_rows > 0 && c.c > opt.raster_buffer_rows) {
                    ++stats.overflows;
                    text(std::vector<std::uint8_t>(
                        c.data.begin(),
                        c.data.begin() + std::min<std::size_t>(c.data.size(), 256)));
                    flush_line(true);
                } else {
                    print_raster(c);
                }
                break;
            case Op::Cut:
                flush_line(false);
                if (c.a == 65 || c.a == 66) advance(c.b);
                finish(true, c.a == 0 || c.a == 48 || c.a == 65);
                break;
            default:
                break;
        }
    }
};

VirtualPrinter::VirtualPrinter(VirtualPrinterOptions options)
    : impl_(new Impl(std::move(options))) {}
VirtualPrinter::~VirtualPrinter() {
    delete impl_;
}

std::vector<std::uint8_t> VirtualPrinter::feed(std::span<const std::uint8_t> bytes) {
    std::lock_guard lock(mutex_);
    std::vector<std::uint8_t> reply;
    impl_->reply = &reply;
    impl_->stats.bytes += bytes.size();
    std::vector<Command> cmds;
    impl_->stream.feed(bytes, cmds);
    for (const auto& c : cmds) impl_->run(c);
    impl_->reply = nullptr;
    return reply;
}

namespace {
template <typename F>
std::vector<std::uint8_t> change(VirtualPrinter::Stats&, escpos::PrinterStatus& st, int asb_mask,
                                 F&& f) {
    const auto before = st;
    f();
    if (before == st || asb_mask == 0) return {};
    const auto a = escpos::encode_asb(st);
    return {a.begin(), a.end()};
}
}  // namespace

std::vector<std::uint8_t> VirtualPrinter::set_paper(PaperLevel level) {
    std::lock_guard lock(mutex_);
    return change(impl_->stats, impl_->st, impl_->asb_mask, [&] {
        impl_->st.paper = level;
        if (level == PaperLevel::Ok)
            impl_->paper_left = impl_->opt.paper_dots < 0 ? -1 : impl_->opt.paper_dots;
        if (level == PaperLevel::Out) {
            impl_->paper_left = impl_->paper_left < 0 ? -1 : 0;
            impl_->finish(false, false);
        }
    });
}

std::vector<std::uint8_t> VirtualPrinter::set_cover_open(bool open) {
    std::lock_guard lock(mutex_);
    return change(impl_->stats, impl_->st, impl_->asb_mask, [&] {
        impl_->st.cover_open = open;
        if (open) impl_->finish(false, false);
    });
}

std::vector<std::uint8_t> VirtualPrinter::set_cutter_error(bool on) {
    std::lock_guard lock(mutex_);
    return change(impl_->stats, impl_->st, impl_->asb_mask, [&] { impl_->st.cutter_error = on; });
}

void VirtualPrinter::set_paper_remaining(long dots) {
    std::lock_guard lock(mutex_);
    impl_->paper_left = dots;
}

escpos::PrinterStatus VirtualPrinter::status() const {
    std::lock_guard lock(mutex_);
    return impl_->st;
}

std::vector<PrintedReceipt> VirtualPrinter::receipts() const {
    std::lock_guard lock(mutex_);
    return impl_->done;
}

std::size_t VirtualPrinter::receipt_count() const {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(impl_->counter);
}

void VirtualPrinter::finish_receipt() {
    std::lock_guard lock(mutex_);
    impl_->finish(true, false);
}

VirtualPrinter::Stats VirtualPrinter::stats() const {
    std::lock_guard lock(mutex_);
    return impl_->stats;
}

}  // namespace kiosk::printersim
