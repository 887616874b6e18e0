// Virtual printer tests: what it draws (decoded back with ZXing), what it answers, its links.
#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>

#include "common/transport.hpp"
#include "escpos/builder.hpp"
#include "escpos/status.hpp"
#include "sim/printer/sim_server.hpp"
#include "printer_test_util.hpp"

using namespace kiosk;
using escpos::PaperLevel;
using Bytes = std::vector<std::uint8_t>;

TEST_CASE("printer.sim renders the pickup slip and its native QR decodes to the same text") {
    char tmpl[] = "/tmp/printer-sim-XXXXXX";
    REQUIRE(mkdtemp(tmpl));
    printersim::VirtualPrinterOptions o;
    o.out_dir = tmpl;
    printersim::VirtualPrinter p(o);
    const auto bytes =
        printer_test::receipt_bytes("pickup_slip", "zh-CN", *escpos::find_profile("generic-80"));
    CHECK(p.feed(bytes).empty());
    REQUIRE(p.receipt_count() == 1);
    const auto r = p.receipts()[0];
    CHECK(r.complete);
    CHECK(std::filesystem::file_size(r.path) > 1000);  // a PNG was written
    CHECK(printer_test::decode(r.image, ZXing::BarcodeFormat::QRCode) ==
          escpos::sample_receipt_data("pickup_slip").fields.at("pickup_qr"));
    CHECK(p.stats().errors == 0);
    std::filesystem::remove_all(tmpl);
}

TEST_CASE("printer.sim raster QR on a 58 mm printer and CODE128 decode too") {
    printersim::VirtualPrinterOptions o;
    o.dots_per_line = 384;
    printersim::VirtualPrinter p(o);
    auto prof = *escpos::find_profile("generic-58-nocut");
    const auto bytes = printer_test::receipt_bytes("payment_receipt", "en", prof);
    p.feed(bytes);
    p.finish_receipt();  // no cutter: the citizen tears it off
    REQUIRE(p.receipt_count() == 1);
    const auto data = escpos::sample_receipt_data("payment_receipt");
    const auto img = p.receipts()[0].image;
    CHECK(printer_test::decode(img, ZXing::BarcodeFormat::QRCode) == data.fields.at("invoice_url"));
    CHECK(printer_test::decode(img, ZXing::BarcodeFormat::Code128) == data.fields.at("order_no"));
}

TEST_CASE("printer.sim answers DLE EOT and reports paper out by ASB, dropping print data") {
    printersim::VirtualPrinter p;
    CHECK(p.feed(Bytes{0x10, 0x04, 0x01, 0x10, 0x04, 0x04}) == Bytes{0x12, 0x12});
    // Enabling automatic status back sends the current status at once.
    CHECK(p.feed(Bytes{0x1D, 0x61, 0x0F}) == Bytes{0x10, 0x00, 0x00, 0x00});
    CHECK(p.set_paper(PaperLevel::Out) == Bytes{0x18, 0x00, 0x0F, 0x00});
    CHECK(p.feed(Bytes{0x10, 0x04, 0x01, 0x10, 0x04, 0x02, 0x10, 0x04, 0x04}) ==
          Bytes{0x1A, 0x32, 0x7E});  // the reference's example
    p.feed(Bytes{'l', 'o', 's', 't', 0x0A, 0x1D, 0x56, 0x01});
    CHECK(p.receipt_count() == 0);
    CHECK(p.stats().dropped_bytes > 0);
    CHECK(p.set_cover_open(true) == Bytes{0x38, 0x00, 0x0F, 0x00});
    p.set_cover_open(false);
    p.set_paper(PaperLevel::Ok);
    p.feed(Bytes{'o', 'k', 0x0A, 0x1D, 0x56, 0x01});
    CHECK(p.receipt_count() == 1);
}

TEST_CASE("printer.sim runs out of paper in the middle of a receipt") {
    printersim::VirtualPrinter p;
    p.set_paper_remaining(300);  // dots: a few lines, then the roll ends
    std::vector<std::uint8_t> out = p.feed(Bytes{0x1D, 0x61, 0x0F});
    const auto bytes =
        printer_test::receipt_bytes("checklist", "zh-CN", *escpos::find_profile("generic-80"));
    out = p.feed(bytes);
    CHECK(p.status().paper == PaperLevel::Out);
    // The ASB frames on the way: near end, then paper end.
    escpos::StatusStream ss;
    std::vector<escpos::StatusMessage> msgs;
    ss.feed(out, msgs);
    REQUIRE_FALSE(msgs.empty());
    escpos::PrinterStatus last;
    REQUIRE(escpos::decode_asb(msgs.back().asb, last) == escpos::StatusError::None);
    CHECK(last.paper == PaperLevel::Out);
    REQUIRE(p.receipt_count() == 1);
    CHECK_FALSE(p.receipts()[0].complete);
}

TEST_CASE("printer.sim serves status on TCP and on a pty like a real printer") {
    printersim::VirtualPrinter p;
    printersim::PrinterSimServer server(p, {});
    std::string err;
    REQUIRE(server.start(&err));
    REQUIRE(server.tcp_port() != 0);
    for (const std::string& uri : {"tcp:127.0.0.1:" + std::to_string(server.tcp_port()),
                                   "serial:" + server.pty_path() + "?baud=115200"}) {
        CAPTURE(uri);
        auto t = drivers::make_transport(uri, &err);
        REQUIRE(t);
        REQUIRE(t->open() == drivers::TransportError::None);
        const Bytes q{0x10, 0x04, 0x04};
        REQUIRE(t->write(q).ok());
        std::uint8_t b[8];
        const auto r = t->read(b, std::chrono::milliseconds(2000));
        REQUIRE(r.ok());
        CHECK(b[0] == 0x12);
        t->close();
    }
    server.stop();
}

TEST_CASE("printer.sim an unstripped tall image overflows the buffer, strips print") {
    escpos::MonoImage img{64, 1500, std::vector<std::uint8_t>(64 * 1500, 0)};
    for (int y = 0; y < 1500; ++y) img.pixels[static_cast<std::size_t>(y) * 64 + y % 64] = 1;
    auto p80 = *escpos::find_profile("generic-80");
    p80.raster_strip_rows = 4000;  // a careless driver: one command for the whole image
    escpos::Builder whole(p80);
    whole.init().image(img).cut();
    printersim::VirtualPrinter a;
    a.feed(whole.bytes());
    CHECK(a.stats().overflows == 1);
    p80.raster_strip_rows = 256;
    escpos::Builder strips(p80);
    strips.init().image(img).cut();
    printersim::VirtualPrinter b;
    b.feed(strips.bytes());
    CHECK(b.stats().overflows == 0);
    REQUIRE(b.receipt_count() == 1);
    CHECK(b.receipts()[0].image.height > 1500);  // the whole image is on the paper
}
