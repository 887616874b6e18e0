// printer-sim: a virtual ESC/POS receipt printer on a pseudo-terminal and a TCP port.
//
//   printer-sim [--out DIR] [--port N] [--pty-link PATH] [--no-pty] [--no-tcp] [--width 58|80]
//               [--paper-dots N]
//   printer-sim --samples DIR [--lang zh-CN|en] [--width 58|80] [--raster-qr]
//       renders every template in assets/receipts with its demo data to DIR and exits.
//   printer-sim --render FILE.bin --out DIR   renders a captured ESC/POS stream and exits.
//
// Prints "pty <path>" and "tcp 127.0.0.1:<port>" on stdout once serving. Faults from stdin
// ("paper out", "paper near", "paper ok", "cover open", "cover close", "cutter jam",
// "cutter ok", "status", "quit") or signals (SIGUSR1 toggles paper out, SIGUSR2 the cover).
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "escpos/receipt.hpp"
#include "escpos/receipt_samples.hpp"
#include "sim_server.hpp"

using namespace kiosk;

namespace {

std::atomic<int> g_signal{0};
void on_signal(int s) {
    g_signal = s;
}

std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

int render_samples(const std::string& dir, const std::string& lang, int width, bool raster_qr) {
    std::filesystem::create_directories(dir);
    const auto profile = *escpos::find_profile(width == 58 ? "generic-58" : "generic-80");
    printersim::VirtualPrinterOptions vo;
    vo.dots_per_line = profile.dots_per_line;
    vo.out_dir = dir;
    printersim::VirtualPrinter printer(vo);
    const std::filesystem::path assets =
        std::filesystem::path(KIOSK_SOURCE_DIR) / "assets/receipts";
    for (const char* name : {"queue_ticket", "pickup_slip", "payment_receipt", "checklist"}) {
        std::string err;
        auto tpl = escpos::parse_receipt_template(
            read_file((assets / (std::string(name) + ".toml")).string()), err);
        if (!tpl) {
            std::cerr << name << ": " << err << "\n";
            return 1;
        }
        escpos::Builder b(profile);
        b.set_force_raster_qr(raster_qr);
        b.init();
        if (!escpos::render_receipt(*tpl, escpos::sample_receipt_data(name), lang, b, err)) {
            std::cerr << name << ": " << err << "\n";
            return 1;
        }
        printer.feed(b.bytes());
        const auto r = printer.receipts();
        std::cout << name << " -> " << (r.empty() ? std::string("(nothing)") : r.back().path)
                  << " (" << b.bytes().size() << " bytes)\n";
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    printersim::VirtualPrinterOptions vo;
    printersim::SimServerOptions so;
    std::string samples, render, lang = "zh-CN";
    int width = 80;
    bool raster_qr = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "printer-sim: " << a << " needs a value\n";
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--out")
            vo.out_dir = next();
        else if (a == "--port")
            so.tcp_port = static_cast<std::uint16_t>(std::stoi(next()));
        else if (a == "--pty-link")
            so.pty_link = next();
        else if (a == "--no-pty")
            so.pty = false;
        else if (a == "--no-tcp")
            so.tcp = false;
        else if (a == "--width")
            width = std::stoi(next());
        else if (a == "--paper-dots")
            vo.paper_dots = std::stol(next());
        else if (a == "--samples")
            samples = next();
        else if (a == "--lang")
            lang = next();
        else if (a == "--raster-qr")
            raster_qr = true;
        else if (a == "--render")
            render = next();
        else {
            std::cerr << "usage: printer-sim [--out DIR] [--port N] [--pty-link PATH] [--no-pty] "
                         "[--no-tcp] [--width 58|80] [--paper-dots N] | --samples DIR [--lang L] "
                         "[--raster-qr] | --render FILE --out DIR\n";
            return 2;
        }
    }
    vo.dots_per_line = width == 58 ? 384 : 576;
    if (!samples.empty()) return render_samples(samples, lang, width, raster_qr);
    if (!render.empty()) {
        printersim::VirtualPrinter printer(vo);
        const std::string data = read_file(render);
        printer.feed(std::span(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
        printer.finish_receipt();
        for (const auto& r : printer.receipts()) std::cout << r.path << "\n";
        return 0;
    }

    if (!vo.out_dir.empty()) std::filesystem::create_directories(vo.out_dir);
    printersim::VirtualPrinter printer(vo);
    printersim::PrinterSimServer server(printer, so);
    std::string err;
    if (!server.start(&err)) {
        std::cerr << "printer-sim: " << err << "\n";
        return 1;
    }
    if (so.pty) std::cout << "pty " << server.pty_path() << "\n";
    if (so.tcp) std::cout << "tcp 127.0.0.1:" << server.tcp_port() << "\n";
    std::cout.flush();
    std::signal(SIGUSR1, on_signal);
    std::signal(SIGUSR2, on_signal);
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);

    bool stdin_open = true;
    std::string line;
    while (true) {
        const int s = g_signal.exchange(0);
        if (s == SIGINT || s == SIGTERM) break;
        if (s == SIGUSR1) {
            server.set_paper(printer.status().paper == escpos::PaperLevel::Out
                                 ? escpos::PaperLevel::Ok
                                 : escpos::PaperLevel::Out);
        } else if (s == SIGUSR2) {
            server.set_cover_open(!printer.status().cover_open);
        }
        if (!stdin_open) {
            ::usleep(100 * 1000);
            continue;
        }
        pollfd p{0, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        if (!std::getline(std::cin, line)) {
            stdin_open = false;  // run on, e.g. when started in the background
            continue;
        }
        if (line == "paper out")
            server.set_paper(escpos::PaperLevel::Out);
        else if (line == "paper near")
            server.set_paper(escpos::PaperLevel::NearEnd);
        else if (line == "paper ok")
            server.set_paper(escpos::PaperLevel::Ok);
        else if (line == "cover open")
            server.set_cover_open(true);
        else if (line == "cover close")
            server.set_cover_open(false);
        else if (line == "cutter jam")
            server.set_cutter_error(true);
        else if (line == "cutter ok")
            server.set_cutter_error(false);
        else if (line == "quit")
            break;
        else if (!line.empty() && line != "status")
            std::cout << "unknown command\n";
        const auto st = printer.stats();
        std::cout << "status: " << escpos::describe(printer.status()) << "; receipts "
                  << printer.receipt_count() << ", bytes " << st.bytes << ", dropped "
                  << st.dropped_bytes << "\n";
        std::cout.flush();
    }
    server.stop();
    return 0;
}
