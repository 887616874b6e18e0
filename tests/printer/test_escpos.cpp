// ESC/POS codec tests: builder bytes against the reference tables, status decoding, stream parser.
// Fixtures: ../shared/reference/escpos.md.
#include <doctest/doctest.h>

#include <vector>

#include "escpos/builder.hpp"
#include "escpos/status.hpp"
#include "escpos/stream.hpp"

using namespace kiosk::escpos;
using Bytes = std::vector<std::uint8_t>;

namespace {
PrinterProfile p80() {
    return *find_profile("generic-80");
}
}  // namespace

TEST_CASE("printer.builder init, align, size, bold match the reference bytes") {
    Builder b(p80());
    b.init().align(Align::Center).size(2, 2).bold(true).bold(false).align(Align::Right).size(1, 1);
    CHECK(b.bytes() == Bytes{0x1B, 0x40, 0x1C, 0x26,              // ESC @, FS & (Chinese mode)
                             0x1B, 0x61, 0x01,                    // centre
                             0x1D, 0x21, 0x11,                    // double both
                             0x1B, 0x45, 0x01, 0x1B, 0x45, 0x00,  // bold on/off
                             0x1B, 0x61, 0x02, 0x1D, 0x21, 0x00});
}

TEST_CASE("printer.builder text is GB18030 and yen becomes full-width") {
    Builder b(p80());
    b.line("取件码 A1");
    // 取 = C8 A1, 件 = BC FE, 码 = C2 EB
    CHECK(b.bytes() == Bytes{0xC8, 0xA1, 0xBC, 0xFE, 0xC2, 0xEB, ' ', 'A', '1', 0x0A});
    Builder y(p80());
    y.text("¥5");
    CHECK(y.bytes() == Bytes{0xA3, 0xA4, '5'});
    PrinterProfile four = p80();
    four.gb18030_4byte = true;
    CHECK(encode_text("¥", four) == Bytes{0x81, 0x30, 0x84, 0x36});
    // A profile without a Chinese font prints '?' rather than garbage; bad UTF-8 too.
    CHECK(encode_text("A中", *find_profile("ascii-80")) == Bytes{'A', '?'});
    CHECK(encode_text(std::string("\xFF\xC3", 2), p80()) == Bytes{'?', '?'});
    CHECK(display_columns("取件 A") == 6);
}

TEST_CASE("printer.builder native QR is GS ( k fn 165/167/169/180/181") {
    Builder b(p80());
    b.qr("AB", 6, QrEcc::M);
    CHECK(b.bytes() == Bytes{0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00,       // model 2
                             0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x06,             // module 6
                             0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31,             // ECC M
                             0x1D, 0x28, 0x6B, 0x05, 0x00, 0x31, 0x50, 0x30, 'A',  'B',  // store
                             0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30});           // print
}

TEST_CASE("printer.builder QR falls back to raster strips without native QR") {
    PrinterProfile p = *find_profile("generic-58-nocut");
    Builder b(p);
    b.qr("HELLO", 4, QrEcc::L);
    const auto& out = b.bytes();
    REQUIRE(out.size() > 8);
    // 21×21 modules × 4 dots = 84 rows of 11 bytes, in strips of at most 128 rows: one strip.
    CHECK(Bytes(out.begin(), out.begin() + 8) == Bytes{0x1D, 0x76, 0x30, 0x00, 11, 0, 84, 0});
    CHECK(out.size() == 8 + 11 * 84 + 1);
    CHECK(out.back() == 0x0A);
}

TEST_CASE("printer.builder raster images are sent in strips") {
    PrinterProfile p = p80();
    p.raster_strip_rows = 100;
    MonoImage img{16, 250, std::vector<std::uint8_t>(16 * 250, 1)};
    Builder b(p);
    b.image(img);
    const auto& out = b.bytes();
    // Three strips: 100, 100, 50 rows of 2 bytes.
    REQUIRE(out.size() == 3 * 8 + 250 * 2);
    CHECK(Bytes(out.begin(), out.begin() + 8) == Bytes{0x1D, 0x76, 0x30, 0, 2, 0, 100, 0});
    CHECK(Bytes(out.begin() + 208, out.begin() + 216) == Bytes{0x1D, 0x76, 0x30, 0, 2, 0, 100, 0});
    CHECK(Bytes(out.begin() + 416, out.begin() + 424) == Bytes{0x1D, 0x76, 0x30, 0, 2, 0, 50, 0});
    CHECK(out[8] == 0xFF);
}

TEST_CASE("printer.builder CODE128 and cut") {
    Builder b(p80());
    b.code128("A{1", 60, 3).cut();
    CHECK(b.bytes() == Bytes{0x1D, 0x68, 60,   0x1D, 0x77, 3,   0x1D, 0x48, 2,         //
                             0x1D, 0x6B, 0x49, 6,    '{',  'B', 'A',  '{',  '{', '1',  // {{ = '{'
                             0x1B, 0x64, 4,    0x1D, 0x56, 0x01});                     // feed, cut
    Builder n(*find_profile("generic-58-nocut"));
    n.cut();
    CHECK(n.bytes() == Bytes{0x1B, 0x64, 4});
    Builder f(p80());
    f.status_back(true);
    CHECK(f.bytes() == Bytes{0x1D, 0x61, 0x0F});
}

TEST_CASE("printer.profile parses from TOML and rejects bad values") {
    std::string err;
    auto p = parse_profile_toml(
        "name = \"xp-58\"\npaper_mm = 58\ncut = \"none\"\nnative_qr = false\n", err);
    REQUIRE(p);
    CHECK(p->dots_per_line == 384);
    CHECK(p->columns == 32);
    CHECK(p->cut == CutMode::None);
    CHECK_FALSE(p->native_qr);
    CHECK_FALSE(parse_profile_toml("paper_mm = 76", err));
    CHECK_FALSE(parse_profile_toml("cut = \"laser\"", err));
    CHECK_FALSE(parse_profile_toml("name = ", err));
}

TEST_CASE("printer.status decodes DLE EOT replies from the reference") {
    CHECK(realtime_request(4) == std::array<std::uint8_t, 3>{0x10, 0x04, 0x04});
    PrinterStatus s;
    // A printer out of paper answers 1A, 32, 7E to n = 1, 2, 4.
    CHECK(apply_realtime_reply(1, 0x1A, s) == StatusError::None);
    CHECK(apply_realtime_reply(2, 0x32, s) == StatusError::None);
    CHECK(apply_realtime_reply(4, 0x7E, s) == StatusError::None);
    CHECK(s.offline);
    CHECK(s.paper == PaperLevel::Out);
    CHECK_FALSE(s.ready());
    // And the simulator's encoder gives the same bytes.
    CHECK(encode_realtime_reply(1, s) == 0x1A);
    CHECK(encode_realtime_reply(2, s) == 0x32);
    CHECK(encode_realtime_reply(4, s) == 0x7E);

    PrinterStatus ok;
    for (int n = 1; n <= 4; ++n) CHECK(encode_realtime_reply(n, ok) == 0x12);
    PrinterStatus t;
    CHECK(apply_realtime_reply(2, 0x16, t) == StatusError::None);  // cover open
    CHECK(t.cover_open);
    CHECK(apply_realtime_reply(3, 0x1A, t) == StatusError::None);  // cutter error
    CHECK(t.cutter_error);
    CHECK(apply_realtime_reply(4, 0x1E, t) == StatusError::None);  // near end
    CHECK(t.paper == PaperLevel::NearEnd);
    CHECK(t.ready() == false);
    CHECK(apply_realtime_reply(4, 0x00, t) == StatusError::BadFraming);
    CHECK(apply_realtime_reply(5, 0x12, t) == StatusError::BadRequest);
}

TEST_CASE("printer.status ASB frames round-trip and the stream resyncs") {
    PrinterStatus s;
    s.cover_open = true;
    s.paper = PaperLevel::NearEnd;
    const AsbFrame f = encode_asb(s);
    CHECK(f == AsbFrame{0x38, 0x00, 0x03, 0x00});  // cover open also means offline
    PrinterStatus d;
    CHECK(decode_asb(f, d) == StatusError::None);
    CHECK(d.cover_open);
    CHECK(d.paper == PaperLevel::NearEnd);
    CHECK(decode_asb(AsbFrame{0x12, 0, 0, 0}, d) == StatusError::BadFraming);

    StatusStream st;
    std::vector<StatusMessage> out;
    const Bytes bytes{0xFF, 0x12, 0x10, 0x00, 0x0C, 0x00, 0x10, 0x00, 0x1A};
    st.feed(std::span(bytes).first(4), out);
    st.feed(std::span(bytes).subspan(4), out);
    REQUIRE(out.size() == 5);
    CHECK(out[0].kind == StatusMessage::Kind::Garbage);
    CHECK(out[1].kind == StatusMessage::Kind::Realtime);
    CHECK(out[2].kind == StatusMessage::Kind::Asb);
    CHECK(out[2].asb == AsbFrame{0x10, 0x00, 0x0C, 0x00});
    CHECK(out[3].kind == StatusMessage::Kind::Garbage);  // truncated ASB
    CHECK(out[4].kind == StatusMessage::Kind::Realtime);
    CHECK(out[4].realtime == 0x1A);
}

TEST_CASE("printer.stream parses what the builder makes, in any split") {
    Builder b(p80());
    b.init().align(Align::Center).size(2, 1).bold(true).line("取件").qr("XYZ").code128("42");
    MonoImage img{8, 3, std::vector<std::uint8_t>(24, 1)};
    b.image(img).cut();
    b.raw({0x10, 0x04, 0x02});
    const Bytes all = b.bytes();
    for (std::size_t split : {std::size_t{1}, std::size_t{3}, std::size_t{7}, all.size()}) {
        CommandStream cs;
        std::vector<Command> cmds;
        for (std::size_t i = 0; i < all.size(); i += split)
            cs.feed(std::span(all).subspan(i, std::min(split, all.size() - i)), cmds);
        CHECK(cs.pending() == 0);
        Bytes text;
        std::vector<Command::Op> ops;
        for (const auto& c : cmds) {
            if (c.op == Command::Op::Text) {
                text.insert(text.end(), c.data.begin(), c.data.end());
            } else {
                ops.push_back(c.op);
            }
            CHECK(c.op != Command::Op::Error);
        }
        CHECK(text == Bytes{0xC8, 0xA1, 0xBC, 0xFE});
        using O = Command::Op;
        CHECK(ops == std::vector<O>{O::Init, O::ChineseOn, O::Align, O::CharSize, O::Bold,
                                    O::LineFeed, O::QrModel, O::QrModuleSize, O::QrEcc, O::QrStore,
                                    O::QrPrint, O::BarcodeHeight, O::BarcodeWidth, O::BarcodeHri,
                                    O::Barcode, O::Raster, O::FeedLines, O::Cut,
                                    O::RealtimeStatus});
    }
}

TEST_CASE("printer.stream rejects oversized raster and resyncs") {
    CommandStream cs;
    std::vector<Command> cmds;
    const Bytes bad{0x1D, 0x76, 0x30, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 'O', 'K', 0x0A};
    cs.feed(bad, cmds);
    REQUIRE(cmds.size() == 3);
    CHECK(cmds[0].op == Command::Op::Error);
    CHECK(cmds[1].op == Command::Op::Text);
    CHECK(cmds[2].op == Command::Op::LineFeed);
}
