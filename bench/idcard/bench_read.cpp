// Bench: find + select + read (30 01) over a real pseudo-terminal against the simulator, which
// paces every byte at the configured baud (8N1: 10 bits per byte), compared with the bytes' own
// time on the wire. Prints figures; asserts nothing.
//   bench_idcard_read [iterations=20] [baud=115200]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "common/device.hpp"
#include "common/transport.hpp"
#include "idcard/reader.hpp"
#include "sim/idcard/simulator.hpp"

using namespace kiosk::idcard;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
    const int iterations = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
    const int baud = argc > 2 ? std::atoi(argv[2]) : 115200;
    IdCardSimulator::Options so;
    so.baud = baud;
    IdCardSimulator sim(so);
    std::string err;
    if (!sim.start_pty(&err)) {
        std::fprintf(stderr, "no pty: %s\n", err.c_str());
        return 1;
    }
    sim.place("resident");
    auto t = kiosk::drivers::make_transport(sim.uri(), &err);
    if (!t || t->open() != kiosk::drivers::TransportError::None) {
        std::fprintf(stderr, "cannot open %s\n", sim.uri().c_str());
        return 1;
    }
    FrameAccumulator acc;
    const auto find = encode_request(Command::FindCard);
    const auto select = encode_request(Command::SelectCard);
    const auto read = encode_request(Command::ReadTextPhoto);

    std::vector<double> total_ms, read_ms;
    std::size_t bytes_total = 0, bytes_read = 0;
    for (int i = 0; i < iterations; ++i) {
        kiosk::drivers::CommandContext ctx(*t, Clock::now() + 10s, nullptr);
        Response r1, r2, r3;
        auto t0 = Clock::now();
        bool ok = transact(ctx, acc, find, r1, 2s, 500ms) == TxError::None;
        ok = ok && transact(ctx, acc, select, r2, 2s, 500ms) == TxError::None;
        auto t1 = Clock::now();
        ok = ok && transact(ctx, acc, read, r3, 2s, 500ms) == TxError::None;
        auto t2 = Clock::now();
        if (!ok || r3.status != Status::Success) {
            std::fprintf(stderr, "iteration %d failed\n", i);
            return 1;
        }
        total_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t0).count());
        read_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
        // request + reply bytes (reply = 10 header bytes + data + checksum)
        bytes_read = read.size() + 11 + r3.data.size();
        bytes_total =
            find.size() + 11 + r1.data.size() + select.size() + 11 + r2.data.size() + bytes_read;
        secure_wipe(r3.data);
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    const double byte_ms = 10.0 * 1000.0 / baud;
    const double wire_total = static_cast<double>(bytes_total) * byte_ms;
    const double wire_read = static_cast<double>(bytes_read) * byte_ms;
    std::printf("idcard read over pty at %d baud, %d iterations\n", baud, iterations);
    std::printf(
        "  find+select+read: %zu bytes, wire %.1f ms, measured median %.1f ms "
        "(min %.1f, max %.1f), ratio %.3fx\n",
        bytes_total, wire_total, median(total_ms),
        *std::min_element(total_ms.begin(), total_ms.end()),
        *std::max_element(total_ms.begin(), total_ms.end()), median(total_ms) / wire_total);
    std::printf(
        "  read 30 01 alone: %zu bytes (1295-byte reply), wire %.1f ms, measured median "
        "%.1f ms, ratio %.3fx\n",
        bytes_read, wire_read, median(read_ms), median(read_ms) / wire_read);
    std::printf("  target: ratio <= 1.15x\n");
    t->close();

    // What a citizen waits: card placed → CardRead event, through the whole device (find polled
    // once a second, then select + read + appended address), production timing.
    const int placements = std::min(iterations, 5);
    std::vector<double> latency_ms;
    {
        IdCardReader reader("idcard", sim.uri());
        reader.start();
        sim.remove();
        for (int i = 0; i < placements; ++i) {
            while (reader.card_present() || reader.status() != kiosk::drivers::DeviceStatus::Online)
                std::this_thread::sleep_for(5ms);
            reader.poll_events();
            // Spread the placements over the poll phase, as real ones are.
            std::this_thread::sleep_for(std::chrono::milliseconds(137 * i % 1000));
            auto t0 = Clock::now();
            sim.place("resident");
            bool read_ok = false;
            while (!read_ok && Clock::now() - t0 < 5s) {
                for (auto& e : reader.poll_events()) read_ok |= std::holds_alternative<CardRead>(e);
                std::this_thread::sleep_for(1ms);
            }
            if (!read_ok) {
                std::fprintf(stderr, "placement %d not read\n", i);
                return 1;
            }
            latency_ms.push_back(
                std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
            sim.remove();
        }
    }
    std::printf(
        "  placement -> CardRead (1 s find poll): median %.0f ms, min %.0f, max %.0f over %d\n",
        median(latency_ms), *std::min_element(latency_ms.begin(), latency_ms.end()),
        *std::max_element(latency_ms.begin(), latency_ms.end()), placements);
    return 0;
}
