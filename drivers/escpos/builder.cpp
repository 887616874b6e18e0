// ESC/POS document builder (see builder.hpp). Reference: ../shared/reference/escpos.md.
#include "escpos/builder.hpp"

#include <iconv.h>

#include <algorithm>
#include <cerrno>

#include <ZXing/BitMatrix.h>
#include <ZXing/CharacterSet.h>
#include <ZXing/MultiFormatWriter.h>

namespace kiosk::escpos {

namespace {

// Decodes one UTF-8 code point at s[i]; returns its length (≥1) and sets cp, or cp = -1 when
// the sequence is malformed (then one byte is consumed).
std::size_t next_cp(std::string_view s, std::size_t i, long& cp) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    int len = 0;
    long v = 0;
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    } else if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        v = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        v = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        v = b0 & 0x07;
    } else {
        cp = -1;
        return 1;
    }
    if (i + static_cast<std::size_t>(len) > s.size()) {
        cp = -1;
        return 1;
    }
    for (int k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
        if ((b & 0xC0) != 0x80) {
            cp = -1;
            return 1;
        }
        v = (v << 6) | (b & 0x3F);
    }
    static constexpr long min_for_len[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min_for_len[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        cp = -1;
        return 1;
    }
    cp = v;
    return static_cast<std::size_t>(len);
}

class Iconv {
  public:
    Iconv(const char* to, const char* from) : cd_(iconv_open(to, from)) {}
    ~Iconv() {
        if (ok()) iconv_close(cd_);
    }
    Iconv(const Iconv&) = delete;
    Iconv& operator=(const Iconv&) = delete;
    bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
    // Converts one complete sequence; false when it has no mapping.
    bool convert(std::string_view in, std::vector<std::uint8_t>& out) {
        char buf[16];
        char* inp = const_cast<char*>(in.data());
        std::size_t inleft = in.size();
        char* outp = buf;
        std::size_t outleft = sizeof buf;
        iconv(cd_, nullptr, nullptr, nullptr, nullptr);
        if (iconv(cd_, &inp, &inleft, &outp, &outleft) == static_cast<std::size_t>(-1)) {
            return false;
        }
        out.assign(buf, outp);
        return true;
    }

  private:
    iconv_t cd_;
};

void put16(std::vector<std::uint8_t>& out, std::size_t v) {
    out.push_back(static_cast<std::uint8_t>(v & 0xFF));
    out.push_back(static_cast<std::uint8_t>((v >> 8) & 0xFF));
}

}  // namespace

MonoImage qr_modules(std::string_view data, QrEcc ecc) {
    MonoImage img;
    if (data.empty() || data.size() > 2953) return img;
    // The printer stores raw bytes and encodes them in byte mode; ISO-8859-1 is the QR default
    // byte charset, so one wchar per byte reproduces exactly that, with no ECI segment.
    std::wstring w;
    w.reserve(data.size());
    for (char c : data) w.push_back(static_cast<wchar_t>(static_cast<unsigned char>(c)));
    // ZXing's 0..8 scale: L=1, M=3, Q=5, H=7 (level/2 → index L,M,Q,H after rounding).
    int level = 3;
    switch (ecc) {
        case QrEcc::L:
            level = 1;
            break;
        case QrEcc::M:
            level = 3;
            break;
        case QrEcc::Q:
            level = 5;
            break;
        case QrEcc::H:
            level = 7;
            break;
    }
    try {
        auto m = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode)
                     .setMargin(0)
                     .setEccLevel(level)
                     .setEncoding(ZXing::CharacterSet::ISO8859_1)
                     .encode(w, 0, 0);
        img.width = m.width();
        img.height = m.height();
        img.pixels.resize(static_cast<std::size_t>(img.width) * img.height);
        for (int y = 0; y < img.height; ++y)
            for (int x = 0; x < img.width; ++x)
                img.pixels[static_cast<std::size_t>(y) * img.width + x] = m.get(x, y) ? 1 : 0;
    } catch (const std::exception&) {
        return MonoImage{};  // too long for any QR version
    }
    return img;
}

int display_columns(std::string_view utf8) {
    int cols = 0;
    for (std::size_t i = 0; i < utf8.size();) {
        long cp = 0;
        i += next_cp(utf8, i, cp);
        cols += (cp >= 0 && cp < 0x80) ? 1 : 2;
    }
    return cols;
}

std::vector<std::uint8_t> encode_text(std::string_view utf8, const PrinterProfile& profile) {
    std::vector<std::uint8_t> out;
    out.reserve(utf8.size());
    Iconv conv("GB18030", "UTF-8");
    std::vector<std::uint8_t> gb;
    for (std::size_t i = 0; i < utf8.size();) {
        long cp = 0;
        const std::size_t n = next_cp(utf8, i, cp);
        const std::string_view seq = utf8.substr(i, n);
        i += n;
        if (cp >= 0 && cp < 0x80) {
            out.push_back(static_cast<std::uint8_t>(cp));
            continue;
        }
        if (cp < 0 || !profile.chinese || !conv.ok()) {
            out.push_back('?');
            continue;
        }
        if (cp == 0xA5 && !profile.gb18030_4byte) {
            out.insert(out.end(), {0xA3, 0xA4});  // full-width ￥: GB18030 maps ¥ to 4 bytes
            continue;
        }
        if (!conv.convert(seq, gb) || (gb.size() == 4 && !profile.gb18030_4byte)) {
            out.push_back('?');
            continue;
        }
        out.insert(out.end(), gb.begin(), gb.end());
    }
    return out;
}

Builder::Builder(PrinterProfile profile) : profile_(std::move(profile)) {}

Builder& Builder::init() {
    put({0x1B, 0x40});
    if (profile_.chinese) put({0x1C, 0x26});
    align_ = Align::Left;
    return *this;
}

Builder& Builder::align(Align a) {
    align_ = a;
    put({0x1B, 0x61, static_cast<std::uint8_t>(a)});
    return *this;
}

Builder& Builder::size(int width, int height) {
    width = std::clamp(width, 1, 8);
    height = std::clamp(height, 1, 8);
    put({0x1D, 0x21, static_cast<std::uint8_t>(((width - 1) << 4) | (height - 1))});
    return *this;
}

Builder& Builder::bold(bool on) {
    put({0x1B, 0x45, static_cast<std::uint8_t>(on ? 1 : 0)});
    return *this;
}

Builder& Builder::text(std::string_view utf8) {
    const auto b = encode_text(utf8, profile_);
    out_.insert(out_.end(), b.begin(), b.end());
    return *this;
}

Builder& Builder::line(std::string_view utf8) {
    text(utf8);
    out_.push_back(0x0A);
    return *this;
}

Builder& Builder::feed(int lines) {
    put({0x1B, 0x64, static_cast<std::uint8_t>(std::clamp(lines, 0, 255))});
    return *this;
}

Builder& Builder::qr(std::string_view data, int module_size, QrEcc ecc) {
    module_size = std::clamp(module_size, 1, 16);
    if (profile_.native_qr && !force_raster_qr_) {
        // Byte layout per fn 165/167/169/180/181 in the reference.
        put({0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00});
        put({0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, static_cast<std::uint8_t>(module_size)});
        put({0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, static_cast<std::uint8_t>(ecc)});
        put({0x1D, 0x28, 0x6B});
        put16(out_, data.size() + 3);
        put({0x31, 0x50, 0x30});
        out_.insert(out_.end(), data.begin(), data.end());
        put({0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30});
        return *this;
    }
    const MonoImage m = qr_modules(data, ecc);
    if (m.width == 0) return *this;
    // Shrink the module until the symbol fits the head, as a printer's own QR would refuse to.
    while (module_size > 1 && m.width * module_size > profile_.dots_per_line) --module_size;
    MonoImage scaled;
    scaled.width = m.width * module_size;
    scaled.height = m.height * module_size;
    scaled.pixels.resize(static_cast<std::size_t>(scaled.width) * scaled.height);
    for (int y = 0; y < scaled.height; ++y)
        for (int x = 0; x < scaled.width; ++x)
            scaled.pixels[static_cast<std::size_t>(y) * scaled.width + x] =
                m.at(x / module_size, y / module_size) ? 1 : 0;
    image(scaled);
    out_.push_back(0x0A);  // a native QR ends its line too; keep the layouts the same
    return *this;
}

Builder& Builder::code128(std::string_view ascii, int height, int module_width, bool hri_below) {
    std::vector<std::uint8_t> data = {'{', 'B'};
    for (char c : ascii) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u > 0x7E) continue;  // code set B prints 0x20..0x7E only
        data.push_back(u);
        if (u == '{') data.push_back('{');  // "{{" is a literal brace
    }
    if (data.size() <= 2 || data.size() > 255) return *this;
    put({0x1D, 0x68, static_cast<std::uint8_t>(std::clamp(height, 1, 255))});
    put({0x1D, 0x77, static_cast<std::uint8_t>(std::clamp(module_width, 2, 6))});
    put({0x1D, 0x48, static_cast<std::uint8_t>(hri_below ? 2 : 0)});
    put({0x1D, 0x6B, 0x49, static_cast<std::uint8_t>(data.size())});
    out_.insert(out_.end(), data.begin(), data.end());
    return *this;
}

Builder& Builder::image(const MonoImage& img) {
    if (img.width <= 0 || img.height <= 0 ||
        img.pixels.size() != static_cast<std::size_t>(img.width) * img.height) {
        return *this;
    }
    const int width = std::min(img.width, profile_.dots_per_line);  // the head clips the rest
    const int row_bytes = (width + 7) / 8;
    const int strip = std::max(1, profile_.raster_strip_rows);
    for (int y0 = 0; y0 < img.height; y0 += strip) {
        const int rows = std::min(strip, img.height - y0);
        put({0x1D, 0x76, 0x30, 0x00});
        put16(out_, static_cast<std::size_t>(row_bytes));
        put16(out_, static_cast<std::size_t>(rows));
        for (int y = y0; y < y0 + rows; ++y) {
            for (int bx = 0; bx < row_bytes; ++bx) {
                std::uint8_t b = 0;
                for (int bit = 0; bit < 8; ++bit) {
                    const int x = bx * 8 + bit;
                    if (x < width && img.at(x, y)) b |= static_cast<std::uint8_t>(0x80 >> bit);
                }
                out_.push_back(b);
            }
        }
    }
    return *this;
}

Builder& Builder::cut() {
    feed(profile_.feed_before_cut);
    switch (profile_.cut) {
        case CutMode::Full:
            put({0x1D, 0x56, 0x00});
            break;
        case CutMode::Partial:
            put({0x1D, 0x56, 0x01});
            break;
        case CutMode::None:
            break;
    }
    return *this;
}

Builder& Builder::status_back(bool on) {
    put({0x1D, 0x61, static_cast<std::uint8_t>(on ? 0x0F : 0x00)});
    return *this;
}

Builder& Builder::raw(std::vector<std::uint8_t> bytes) {
    out_.insert(out_.end(), bytes.begin(), bytes.end());
    return *this;
}

}  // namespace kiosk::escpos
