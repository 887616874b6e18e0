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
// GET /sim/stats, POST /sim/desk {"staffed": true|false|null}.
//
// Strict contract mode (Options::strict_contract; on when HALLSIM_STRICT_CONTRACT is 1 or a file
// path, which the test suite sets): every /api/v1 request is checked against docs/api/hall.yaml
// before it is served and every response before it is sent (contract.hpp). A request that breaks
// the contract is answered 400 contract_violation and not applied; a response that would break it
// is replaced by 500 contract_violation; both are logged and counted (contract_counts(), GET
// /sim/stats). When HALLSIM_STRICT_CONTRACT names a file (/...), each simulator appends its counts
// to it when it ends, so a test run can state how much traffic was checked (tests/contract,
// contract.strict_summary).
//
// Staff calls (/assist/calls): stored per call id; the desk (a staff login with role "desk")
// lists, acknowledges and resolves them; a call is "staffed" when the desk is on duty now
// (Options::desk_hours / desk_days, or set_desk()).
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

// HALLSIM_STRICT_CONTRACT=1 or HALLSIM_STRICT_CONTRACT=/path/of/the/counts in the environment.
bool strict_contract_from_env();
std::string contract_counts_file_from_env();  // HALLSIM_STRICT_CONTRACT when it is a path

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
    // The service desk's hours for staff calls: "HH:MM-HH:MM" local time on the days listed
    // ("12345" = Monday to Friday, 0 or 7 = Sunday); "" = always staffed.
    std::string desk_hours;
    std::string desk_days = "1234567";
    bool strict_contract = strict_contract_from_env();
    // Where the strict mode appends its counts when the simulator ends ("" = nowhere).
    std::string contract_counts_file = contract_counts_file_from_env();
};

// What the strict mode checked: requests received, responses sent, contract violations.
struct ContractCounts {
    std::int64_t requests = 0;
    std::int64_t responses = 0;
    std::int64_t violations = 0;
};

// One staff call as the desk sees it.
struct AssistRow {
    std::string call_id, kiosk_id, reason, scene, state;
    int eta_minutes = -1;
    bool after_hours = false;
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
    // The service desk (in-process, for scenarios and tests; the HTTP desk needs a desk login).
    std::vector<AssistRow> assist_calls() const;
    bool acknowledge(const std::string& call_id, int eta_minutes);  // false: no such open call
    bool resolve(const std::string& call_id);
    // Desk staffing now: 1 on duty, 0 nobody, -1 by desk_hours (the default).
    void set_desk(int staffed);
    std::int64_t requests() const;  // /api/v1 requests answered (faults included)
    ContractCounts contract_counts() const;

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk::hallsim
