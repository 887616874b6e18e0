// Printer benchmark: the pickup slip with its QR code sent natively (GS ( k) versus as a raster
// image (GS v 0), on a 115200-baud serial link (8N1: 10 bits a byte on the wire).
//
// Prints, for 80 mm and 58 mm: bytes sent, the time those bytes take on the link, the time to
// build them, and the end-to-end time through the real driver (ReceiptPrinter over a pty) into
// the virtual printer, which includes its rendering but not a real print head's speed.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <thread>

#include "base/log.hpp"
#include "escpos/receipt.hpp"
#include "escpos/receipt_samples.hpp"
#include "sim/printer/sim_server.hpp"
#include "printer/receipt_printer.hpp"

using namespace kiosk;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::uint8_t> build(const escpos::PrinterProfile& p, bool raster, double& build_us) {
    std::ifstream f(std::string(KIOSK_SOURCE_DIR) + "/assets/receipts/pickup_slip.toml");
    std::stringstream ss;
    ss << f.rdbuf();
    std::string err;
    auto tpl = escpos::parse_receipt_template(ss.str(), err);
    if (!tpl) return {};
    const auto data = escpos::sample_receipt_data("pickup_slip");
    constexpr int kRuns = 50;
    std::vector<std::uint8_t> out;
    const auto t0 = Clock::now();
    for (int i = 0; i < kRuns; ++i) {
        escpos::Builder b(p);
        b.set_force_raster_qr(raster);
        b.init();
        escpos::render_receipt(*tpl, data, "zh-CN", b, err);
        out = b.take();
    }
    build_us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / kRuns;
    return out;
}

double end_to_end_ms(const escpos::PrinterProfile& p, const std::vector<std::uint8_t>& bytes) {
    printersim::VirtualPrinterOptions vo;
    vo.dots_per_line = p.dots_per_line;
    printersim::VirtualPrinter sim(vo);
    printersim::SimServerOptions so;
    so.tcp = false;
    printersim::PrinterSimServer server(sim, so);
    if (!server.start()) return -1;
    drivers::ReceiptPrinterOptions o;
    o.profile = p;
    drivers::ReceiptPrinter printer("bench", "serial:" + server.pty_path() + "?baud=115200", o);
    printer.start();
    for (int i = 0; i < 500 && printer.status() != drivers::DeviceStatus::Online; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const auto t0 = Clock::now();
    auto r = printer.print_bytes("pickup_slip", bytes);
    const auto res = r.ticket->wait_for(std::chrono::seconds(30));
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    printer.stop();
    server.stop();
    return res == drivers::CommandResult::Ok ? ms : -1;
}

}  // namespace

int main() {
    kiosk::log::Options lo;
    lo.level = "warn";
    kiosk::log::init(lo);
    constexpr double kBaud = 115200;
    std::printf("pickup slip (zh-CN), 115200 baud 8N1 = %.0f bytes/s\n", kBaud / 10);
    std::printf("%-6s %-7s %8s %12s %10s %14s\n", "paper", "qr", "bytes", "link ms", "build us",
                "driver+sim ms");
    for (const char* name : {"generic-80", "generic-58"}) {
        const auto p = *escpos::find_profile(name);
        for (bool raster : {false, true}) {
            double build_us = 0;
            const auto bytes = build(p, raster, build_us);
            const double link_ms = static_cast<double>(bytes.size()) * 10.0 / kBaud * 1000.0;
            std::printf("%-6s %-7s %8zu %12.1f %10.1f %14.1f\n", p.paper_mm == 80 ? "80mm" : "58mm",
                        raster ? "raster" : "native", bytes.size(), link_ms, build_us,
                        end_to_end_ms(p, bytes));
        }
    }
    std::printf(
        "(link ms = bytes x 10 bits / baud: what a real serial printer's link costs; the pty\n"
        " carries bytes at memory speed, so driver+sim ms is protocol and rendering overhead)\n");
    return 0;
}
