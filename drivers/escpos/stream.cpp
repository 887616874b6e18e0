// ESC/POS command stream parser (see stream.hpp). Reference: ../shared/reference/escpos.md.
#include "escpos/stream.hpp"

#include <cstring>

namespace kiosk::escpos {

namespace {

using Op = Command::Op;

// Argument byte counts of fixed-length commands that are skipped or mapped one-to-one.
int esc_args(std::uint8_t c) {
    switch (c) {
        case '@':
        case '2':
            return 0;
        case 'a':
        case 'E':
        case '!':
        case 'd':
        case 'J':
        case '-':
        case '3':
        case 'M':
        case 't':
        case 'R':
        case '{':
        case 'V':
        case 'G':
        case ' ':
        case '=':
        case 'e':
        case 'U':
        case 'r':
        case 'S':
        case 'T':
        case 'L':
        case 'K':
            return 1;
        case '$':
        case '\\':
        case 'c':
            return 2;
        case 'p':
            return 3;
        default:
            return -1;
    }
}

int gs_args(std::uint8_t c) {
    switch (c) {
        case '!':
        case 'h':
        case 'w':
        case 'H':
        case 'f':
        case 'a':
        case 'B':
        case 'b':
        case 'r':
        case 'I':
        case '/':
        case 'T':
            return 1;
        case 'L':
        case 'W':
        case 'P':
        case '$':
        case '\\':
            return 2;
        default:
            return -1;
    }
}

int fs_args(std::uint8_t c) {
    switch (c) {
        case '&':
        case '.':
            return 0;
        case '!':
        case 'C':
        case '-':
        case 'W':
            return 1;
        case 'S':
        case 'p':
            return 2;
        default:
            return -1;
    }
}

std::size_t u16(const std::uint8_t* p) {
    return p[0] | (static_cast<std::size_t>(p[1]) << 8);
}

Command simple(Op op, int a = 0) {
    Command c;
    c.op = op;
    c.a = a;
    return c;
}

// Parses one command at p[0..n). Returns bytes consumed, 0 when more bytes are needed.
std::size_t parse_one(const std::uint8_t* p, std::size_t n, Command& c) {
    const std::uint8_t b0 = p[0];
    if (b0 >= 0x20 || b0 == 0x09) {
        std::size_t k = 0;
        while (k < n && (p[k] >= 0x20 || p[k] == 0x09)) ++k;
        c = simple(Op::Text);
        c.data.assign(p, p + k);
        return k;
    }
    switch (b0) {
        case 0x0A:
            c = simple(Op::LineFeed);
            return 1;
        case 0x0D:
        case 0x0C:
        case 0x00:
            c = simple(Op::Skipped, b0);
            return 1;
        case 0x10: {  // DLE
            if (n < 2) return 0;
            if (p[1] == 0x04 || p[1] == 0x05) {
                if (n < 3) return 0;
                c = simple(p[1] == 0x04 ? Op::RealtimeStatus : Op::Skipped, p[2]);
                return 3;
            }
            if (p[1] == 0x14) {
                if (n < 5) return 0;
                c = simple(Op::Skipped, 0x10);
                return 5;
            }
            c = simple(Op::Error, 0x10);
            return 1;
        }
        case 0x1B: {  // ESC
            if (n < 2) return 0;
            const std::uint8_t cmd = p[1];
            if (cmd == '*') {  // bit image: ESC * m nL nH d…
                if (n < 5) return 0;
                const std::size_t dots = u16(p + 3);
                const std::size_t len = (p[2] == 32 || p[2] == 33) ? dots * 3 : dots;
                if (n < 5 + len) return 0;
                c = simple(Op::Skipped, 0x1B);
                return 5 + len;
            }
            const int args = esc_args(cmd);
            if (args < 0) {
                c = simple(Op::Error, 0x1B);
                return 2;
            }
            if (n < 2 + static_cast<std::size_t>(args)) return 0;
            const int a = args > 0 ? p[2] : 0;
            switch (cmd) {
                case '@':
                    c = simple(Op::Init);
                    break;
                case 'a':
                    c = simple(Op::Align, a % 3 == a ? a : (a - '0') % 3);
                    break;
                case 'E':
                    c = simple(Op::Bold, a & 1);
                    break;
                case '!':
                    c = simple(Op::PrintMode, a);
                    break;
                case 'd':
                    c = simple(Op::FeedLines, a);
                    break;
                case 'J':
                    c = simple(Op::FeedDots, a);
                    break;
                case '-':
                    c = simple(Op::Underline, a);
                    break;
                case '3':
                    c = simple(Op::LineSpacing, a);
                    break;
                case '2':
                    c = simple(Op::LineSpacing, -1);
                    break;
                default:
                    c = simple(Op::Skipped, 0x1B);
                    break;
            }
            return 2 + static_cast<std::size_t>(args);
        }
        case 0x1C: {  // FS
            if (n < 2) return 0;
            const int args = fs_args(p[1]);
            if (args < 0) {
                c = simple(Op::Error, 0x1C);
                return 2;
            }
            if (n < 2 + static_cast<std::size_t>(args)) return 0;
            c = simple(p[1] == '&' ? Op::ChineseOn : p[1] == '.' ? Op::ChineseOff : Op::Skipped);
            return 2 + static_cast<std::size_t>(args);
        }
        case 0x1D: {  // GS
            if (n < 2) return 0;
            const std::uint8_t cmd = p[1];
            if (cmd == '(') {  // GS ( fn pL pH …
                if (n < 5) return 0;
                const std::size_t len = u16(p + 3);
                if (p[2] == 'k' && len > CommandStream::kMaxQrData + 3) {
                    c = simple(Op::Error, 0x1D);
                    return 5;
                }
                if (n < 5 + len) return 0;
                const std::uint8_t* d = p + 5;
                c = simple(Op::Skipped, 0x1D);
                if (p[2] == 'k' && len >= 3 && d[0] == 0x31) {
                    switch (d[1]) {
                        case 0x41:
                            c = simple(Op::QrModel, d[2]);
                            break;
                        case 0x43:
                            c = simple(Op::QrModuleSize, d[2]);
                            break;
                        case 0x45:
                            c = simple(Op::QrEcc, d[2]);
                            break;
                        case 0x50:
                            c = simple(Op::QrStore);
                            c.data.assign(d + 3, d + len);
                            break;
                        case 0x51:
                            c = simple(Op::QrPrint);
                            break;
                        default:
                            break;
                    }
                }
                return 5 + len;
            }
            if (cmd == 'v') {  // GS v 0 m xL xH yL yH d…
                if (n < 8) return 0;
                if (p[2] != '0') {
                    c = simple(Op::Error, 0x1D);
                    return 3;
                }
                const std::size_t x = u16(p + 4);
                const std::size_t y = u16(p + 6);
                if (x == 0 || y == 0 || x > CommandStream::kMaxRasterRowBytes ||
                    y > CommandStream::kMaxRasterRows) {
                    c = simple(Op::Error, 0x1D);
                    return 8;
                }
                if (n < 8 + x * y) return 0;
                c = simple(Op::Raster, p[3] & 3);
                c.b = static_cast<int>(x);
                c.c = static_cast<int>(y);
                c.data.assign(p + 8, p + 8 + x * y);
                return 8 + x * y;
            }
            if (cmd == 'k') {  // GS k m …
                if (n < 3) return 0;
                const std::uint8_t m = p[2];
                if (m <= 6) {  // format A: NUL-terminated
                    std::size_t k = 3;
                    while (k < n && p[k] != 0 && k < 3 + 255) ++k;
                    if (k == n) return 0;
                    c = simple(Op::Barcode, m);
                    c.data.assign(p + 3, p + k);
                    return p[k] == 0 ? k + 1 : k;
                }
                if (m >= 65 && m <= 79) {  // format B: length byte
                    if (n < 4) return 0;
                    const std::size_t len = p[3];
                    if (n < 4 + len) return 0;
                    c = simple(Op::Barcode, m);
                    c.data.assign(p + 4, p + 4 + len);
                    return 4 + len;
                }
                c = simple(Op::Error, 0x1D);
                return 3;
            }
            if (cmd == 'V') {  // GS V m [n]
                if (n < 3) return 0;
                const std::uint8_t m = p[2];
                if (m == 65 || m == 66) {
                    if (n < 4) return 0;
                    c = simple(Op::Cut, m);
                    c.b = p[3];
                    return 4;
                }
                c = simple(Op::Cut, m);
                return 3;
            }
            if (cmd == '*') {  // define downloaded bit image: GS * x y d(x·y·8)
                if (n < 4) return 0;
                const std::size_t len = static_cast<std::size_t>(p[2]) * p[3] * 8;
                if (n < 4 + len) return 0;
                c = simple(Op::Skipped, 0x1D);
                return 4 + len;
            }
            const int args = gs_args(cmd);
            if (args < 0) {
                c = simple(Op::Error, 0x1D);
                return 2;
            }
            if (n < 2 + static_cast<std::size_t>(args)) return 0;
            const int a = args > 0 ? p[2] : 0;
            switch (cmd) {
                case '!':
                    c = simple(Op::CharSize, a);
                    break;
                case 'h':
                    c = simple(Op::BarcodeHeight, a);
                    break;
                case 'w':
                    c = simple(Op::BarcodeWidth, a);
                    break;
                case 'H':
                    c = simple(Op::BarcodeHri, a);
                    break;
                case 'a':
                    c = simple(Op::StatusBack, a);
                    break;
                default:
                    c = simple(Op::Skipped, 0x1D);
                    break;
            }
            return 2 + static_cast<std::size_t>(args);
        }
        default:
            c = simple(Op::Error, b0);
            return 1;
    }
}

}  // namespace

void CommandStream::feed(std::span<const std::uint8_t> bytes, std::vector<Command>& out) {
    buf_.insert(buf_.end(), bytes.begin(), bytes.end());
    std::size_t pos = 0;
    while (pos < buf_.size()) {
        Command c;
        const std::size_t used = parse_one(buf_.data() + pos, buf_.size() - pos, c);
        if (used == 0) break;
        // A text run cut by the end of the buffer may continue in the next chunk: emit it
        // anyway, the renderer joins runs (it keeps partial multibyte characters itself).
        out.push_back(std::move(c));
        pos += used;
    }
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos));
}

}  // namespace kiosk::escpos
