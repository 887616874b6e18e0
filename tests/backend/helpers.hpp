// Shared helpers of the backend tests: a temp dir, a simulator on an ephemeral port, and a client
// configured for it.
#pragma once

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include <doctest/doctest.h>

#include "backend/client.hpp"
#include "sim/hall/hallsim.hpp"

namespace backend_test {

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string tmpl =
            (std::filesystem::temp_directory_path() / "kiosk-backend-XXXXXX").string();
        char* p = mkdtemp(tmpl.data());
        REQUIRE(p != nullptr);
        path = p;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string file(const char* name) const { return (path / name).string(); }
};

inline kiosk::backend::ClientConfig config_for(const kiosk::hallsim::HallSim& sim) {
    kiosk::backend::ClientConfig c;
    c.base_url = sim.base_url();
    c.kiosk_id = "KIOSK-T1";
    c.insecure_loopback = true;
    c.connect_timeout =
        std::chrono::milliseconds(5000);  // includes the TLS handshake (slow under sanitizers)
    c.total_timeout = std::chrono::milliseconds(8000);
    c.retry_base = std::chrono::milliseconds(10);
    c.retry_max = std::chrono::milliseconds(50);
    c.outbox_retry_base = std::chrono::milliseconds(10);
    c.outbox_retry_max = std::chrono::milliseconds(100);
    return c;
}

// Submits and waits (tests only; the UI polls instead).
inline kiosk::api::Response call(kiosk::backend::Client& client, kiosk::api::Request r) {
    auto id = client.submit(std::move(r));
    auto resp = client.wait(id, std::chrono::seconds(10));
    REQUIRE(resp.has_value());
    return std::move(*resp);
}

// Returns a copy: the Response is usually a temporary.
template <class T>
T payload(const kiosk::api::Response& r) {
    if (!r.result.ok()) FAIL("request failed: " << r.result.error().describe());
    REQUIRE(std::holds_alternative<T>(r.result.value()));
    return std::get<T>(r.result.value());
}

template <class F>
bool eventually(F f, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        if (f()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return f();
}

}  // namespace backend_test
