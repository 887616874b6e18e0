// The hall backend simulator: implements the whole hall contract (docs/api/hall.yaml, /api/v1)
// over HTTP with cpp-httplib, state in SQLite, seed data from seed.hpp.
//
// Implements: every path of the contract over http or https (optionally mutual TLS);
// Idempotency-Key storage and replay (422 on a reused key with another body); outbox events
// stored in arrival order; a simulated payer (POST /sim/pay/{id} or auto-pay after a delay);
// proofs as real PDFs; fault switches. Does not implement: rate limiting, SMS, expiry of
// authorisations and QR codes (the times are reported, not enforced).
//
// Fault switches (flags, HallSim::set_faults, or POST /sim/faults at run time), applied to /api/v1
// only, each with a probability 0..1 drawn from a fixed-seed generator:
//   latency_ms      delay before answering
//   error_rate      503 with an Error body; the request is not applied
//   reset_rate      the request is applied, then the connection closes after the headers (no body)
//   truncate_rate   the request is applied, half the body is sent, then the connection closes
//   malformed_rate  a complete HTTP answer whose JSON body is cut short (invalid JSON)
//   oversize_rate   a valid JSON body padded past the 1 MiB contract limit
//   fail_next       the next N requests answer fail_status (default 503) and are not applied:
//                   deterministic failures for retry and rejection tests
// Admin (simulator only): GET/POST /sim/faults, POST /sim/pay/{order_id}, GET /sim/events,
// GET /sim/stats.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kiosk::hallsim {

struct Faults {
    int latency_ms = 0;
    double error_rate = 0;
    double reset_rate = 0;
    double truncate_rate = 0;
    double malformed_rate = 0;
    double oversize_rate = 0;
    int fail_next = 0;
    int fail_status = 503;
};

struct Options {
    std::string host = "127.0.0.1";
    int port = 0;                 // 0: ephemeral (read it back with port())
    std::string db = ":memory:";  // SQLite path; state survives restarts when it is a file
    Faults faults;
    int auto_pay_ms = -1;  // >= 0: an order shown as QR becomes paid after this delay
    // HTTPS (for TLS tests and a realistic demo): server certificate + key in PEM; with
    // tls_client_ca set, clients must present a certificate signed by it (mutual TLS).
    std::string tls_cert;
    std::string tls_key;
    std::string tls_client_ca;
};

// One outbox event as it arrived (arrival order = vector order).
struct ArrivedEvent {
    std::string kiosk_id;
    std::int64_t seq = 0;
    std::string kind;
    std::string idempotency_key;
};

class HallSim {
  public:
    explicit HallSim(Options options = {});
    ~HallSim();
    HallSim(const HallSim&) = delete;
    HallSim& operator=(const HallSim&) = delete;

    // Opens the database (seeding it when new) on first use, binds and serves on a thread.
    // After stop(), start() binds the same port again (an outage the client must ride out).
    bool start();
    void stop();
    bool running() const;
    int port() const;
    std::string base_url() const;      // http(s)://127.0.0.1:PORT/api/v1
    const std::string& error() const;  // why start() failed

    void set_faults(const Faults& faults);
    Faults faults() const;
    bool pay(const std::string& order_id);  // the simulated payer
    // The simulated payer's auto-pay delay at run time; < 0: off (orders stay pending).
    void set_auto_pay_ms(int ms);
    std::vector<ArrivedEvent> events() const;
    std::int64_t requests() const;  // /api/v1 requests answered (faults included)

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk::hallsim
