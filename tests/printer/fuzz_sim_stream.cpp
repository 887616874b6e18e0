// Fuzz target: the virtual printer's ESC/POS stream parser and renderer (host → printer bytes).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "escpos/stream.hpp"
#include "sim/printer/virtual_printer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace kiosk;
    // The parser alone, byte by byte: no split may change the command sequence's validity.
    escpos::CommandStream cs;
    std::vector<escpos::Command> cmds;
    for (std::size_t i = 0; i < size; ++i) cs.feed(std::span(data + i, 1), cmds);
    if (cs.pending() > size) __builtin_trap();
    // The whole printer: parse, draw, answer status (no PNG files: out_dir empty).
    static printersim::VirtualPrinterOptions opt = [] {
        printersim::VirtualPrinterOptions o;
        o.max_kept_receipts = 2;
        o.paper_dots = 50000;
        return o;
    }();
    printersim::VirtualPrinter p(opt);
    const std::size_t half = size / 2;
    (void)p.feed(std::span(data, half));
    (void)p.feed(std::span(data + half, size - half));
    p.finish_receipt();
    return 0;
}
