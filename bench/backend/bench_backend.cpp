// Backend benchmarks (print figures; no assertions):
//  1. outbox: appends per second (each one fsync'd), then events delivered per second from the
//     outbox to the local hall simulator (one at a time, in order, as in production);
//  2. pickup lookup latency through the Client (submit → worker → curl multi → parse → poll) vs a
//     raw blocking libcurl request on a reused connection: the difference is what the client adds.
// Usage: bench_backend [events=2000] [lookups=500]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <curl/curl.h>

#include "backend/client.hpp"
#include "sim/hall/hallsim.hpp"

using namespace kiosk;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

struct Stats {
    double median, p95, mean;
};
Stats stats(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    double sum = 0;
    for (double x : v) sum += x;
    return {v[v.size() / 2], v[v.size() * 95 / 100], sum / static_cast<double>(v.size())};
}

std::size_t sink(char*, std::size_t s, std::size_t n, void* user) {
    *static_cast<std::size_t*>(user) += s * n;
    return s * n;
}

}  // namespace

int main(int argc, char** argv) {
    int events = argc > 1 ? std::atoi(argv[1]) : 2000;
    int lookups = argc > 2 ? std::atoi(argv[2]) : 500;
    if (events < 1 || lookups < 10) return 2;

    std::string tmpl =
        (std::filesystem::temp_directory_path() / "kiosk-bench-backend-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) return 1;
    std::filesystem::path dir = tmpl;

    hallsim::HallSim sim;
    if (!sim.start()) return 1;
    backend::ClientConfig cfg;
    cfg.base_url = sim.base_url();
    cfg.kiosk_id = "BENCH-1";
    cfg.insecure_loopback = true;

    // 1. Outbox.
    backend::OutboxOptions oo;
    oo.path = (dir / "outbox.db").string();
    auto ob = backend::Outbox::open(oo);
    if (!ob.ok()) return 1;
    auto t0 = Clock::now();
    for (int i = 0; i < events; ++i)
        if (!ob.value()
                 ->append("audit", R"({"action":"bench","n":)" + std::to_string(i) + "}")
                 .ok())
            return 1;
    double append_ms = ms_since(t0);
    t0 = Clock::now();
    {
        auto client = backend::Client::create(cfg, ob.value().get());
        if (!client.ok()) return 1;
        client.value()->kick_outbox();
        while (ob.value()->depth() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    double deliver_ms = ms_since(t0);
    std::printf("outbox: %d appends in %.0f ms = %.0f appends/s (synchronous=FULL, WAL)\n", events,
                append_ms, events * 1000.0 / append_ms);
    std::printf(
        "outbox: %d events delivered in order in %.0f ms = %.0f events/s (hall received %zu)\n",
        events, deliver_ms, events * 1000.0 / deliver_ms, sim.events().size());

    // 2. Pickup lookup latency.
    auto client = backend::Client::create(cfg);
    if (!client.ok()) return 1;
    std::vector<double> via_client, raw;
    for (int i = 0; i < lookups + 20; ++i) {
        auto s = Clock::now();
        auto id = client.value()->submit(api::req::pickup_lookup(api::LookupBy::code, "246810"));
        // Poll as the UI loop would, but without a frame delay.
        std::optional<api::Response> r;
        while (!(r = client.value()->poll())) std::this_thread::yield();
        if (r->id != id || !r->result.ok()) return 1;
        if (i >= 20) via_client.push_back(ms_since(s));
    }
    CURL* e = curl_easy_init();
    std::string url = sim.base_url() + "/pickups/lookup";
    std::size_t received = 0;
    curl_slist* h = curl_slist_append(nullptr, "Content-Type: application/json");
    h = curl_slist_append(h, "Expect:");
    curl_easy_setopt(e, CURLOPT_URL, url.c_str());
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, R"({"by":"code","value":"246810"})");
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &received);
    for (int i = 0; i < lookups + 20; ++i) {
        auto s = Clock::now();
        if (curl_easy_perform(e) != CURLE_OK) return 1;
        if (i >= 20) raw.push_back(ms_since(s));
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(e);
    auto c = stats(via_client), r = stats(raw);
    std::printf(
        "pickup lookup, raw libcurl:   median %.3f ms, p95 %.3f ms, mean %.3f ms (%d calls)\n",
        r.median, r.p95, r.mean, lookups);
    std::printf(
        "pickup lookup, via Client:    median %.3f ms, p95 %.3f ms, mean %.3f ms (%d calls)\n",
        c.median, c.p95, c.mean, lookups);
    std::printf("added by the client (queue, worker wake-up, validation): median %+.3f ms\n",
                c.median - r.median);
    sim.stop();
    std::filesystem::remove_all(dir);
    return 0;
}
