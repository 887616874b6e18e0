// scanner-sim: a serial barcode scanner on a pseudo-terminal, for trying the kiosk by hand.
// Prints the device path to give the kiosk (serial:<path>), then sends each line read from stdin
// as one scan.   Usage: scanner-sim [--link PATH] [--suffix cr|lf|crlf|none] [--aim ]Q1]
// [--gb18030]
#include <cstdio>
#include <iostream>
#include <string>

#include "scanner_sim.hpp"

int main(int argc, char** argv) {
    using kiosk::scanner::sim::SerialScannerSim;
    SerialScannerSim::Options o;
    std::string link;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool has_value = i + 1 < argc;
        if (a == "--link" && has_value) {
            link = argv[++i];
        } else if (a == "--suffix" && has_value) {
            const std::string s = argv[++i];
            o.suffix = s == "lf" ? "\n" : s == "crlf" ? "\r\n" : s == "none" ? "" : "\r";
        } else if (a == "--aim" && has_value) {
            o.aim = argv[++i];
        } else if (a == "--gb18030") {
            o.gb18030 = true;
        } else {
            std::fprintf(stderr,
                         "usage: scanner-sim [--link PATH] [--suffix cr|lf|crlf|none] [--aim ]Q1] "
                         "[--gb18030]\n");
            return 2;
        }
    }
    auto sim = SerialScannerSim::on_pty(o, link);
    if (!sim) {
        std::fprintf(stderr, "scanner-sim: cannot create a pseudo-terminal\n");
        return 1;
    }
    std::printf("serial:%s\n", sim->device_path().c_str());
    std::fflush(stdout);
    std::string line;
    while (std::getline(std::cin, line)) {
        if (!sim->scan(line)) std::fprintf(stderr, "scanner-sim: write failed\n");
    }
    return 0;
}
