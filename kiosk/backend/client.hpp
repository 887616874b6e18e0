// The hall client: the only code that speaks HTTP to the hall (docs/api/hall.yaml, /api/v1).
//
// One worker thread runs a libcurl multi handle. submit() queues a request and returns an id at
// once; the worker sends it, validates the answer with kiosk_api's parsers, and pushes a Response
// into a queue the UI loop drains with poll(): the UI thread never waits on the network.
//
// - TLS: peer and host verification are always on. The only exception is `insecure_loopback`,
//   which allows plain http to 127.0.0.1 (the simulator, in the demo and in tests) and nothing
//   else. Optional CA bundle, pinned public key (CURLOPT_PINNEDPUBLICKEY), client certificate +
//   key.
// - Connect and total timeouts per request; redirects are not followed.
// - Safe calls (GET) are retried on transient failures with jittered exponential backoff; POSTs
//   are never retried by the client. Every POST carries an Idempotency-Key (made here if the
//   builder did not set one).
// - Outbox: when attached, the worker delivers its entries one at a time, in order, each under
//   the key "outbox-<kiosk>-<id>", retrying with jittered backoff (capped) until the hall takes
//   it; it survives restarts because the outbox is on disk and the keys are stable.
// - Offline cache: catalog, guide list and guides are stored on success and served (flagged
//   from_cache) when the hall cannot be reached.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "api/port.hpp"
#include "backend/outbox.hpp"

namespace kiosk::backend {

struct ClientConfig {
    std::string base_url;           // "https://hall.example.gov.cn/api/v1"
    std::string kiosk_id;           // contract id syntax; sent as X-Kiosk-Id
    std::string ca_file;            // PEM CA bundle; empty: the system store
    std::string pinned_public_key;  // "sha256//<base64>[;sha256//…]" or a PEM/DER file; empty: none
    std::string client_cert;        // PEM client certificate of this kiosk
    std::string client_key;         // its PEM private key
    bool insecure_loopback = false;  // allow http://127.0.0.1 only (demo, tests)
    std::chrono::milliseconds connect_timeout{3000};
    std::chrono::milliseconds total_timeout{10000};
    int max_retries = 2;  // safe calls only
    std::chrono::milliseconds retry_base{200};
    std::chrono::milliseconds retry_max{3000};
    std::chrono::milliseconds outbox_retry_base{500};
    std::chrono::milliseconds outbox_retry_max{60000};
    std::string cache_path;  // SQLite file of the offline cache; empty: no cache
    std::string user_agent = "estation-kiosk";
    // > 0: the worker sends POST /kiosks/{id}/heartbeat at this interval with the state last
    // given to set_heartbeat() and the current outbox depth; replies arrive through poll() with
    // op == Op::heartbeat (look at HeartbeatReply::commands). 0: main sends heartbeats itself.
    std::chrono::milliseconds heartbeat_interval{0};
};

class Client : public api::HallPort {
  public:
    // Checks the configuration (URL scheme, TLS rules, files) and starts the worker.
    // `outbox` (optional) must outlive the client.
    static api::Result<std::unique_ptr<Client>> create(const ClientConfig& config,
                                                       Outbox* outbox = nullptr);
    ~Client() override;  // stops the worker; unfinished requests are dropped (outbox entries stay)

    api::RequestId submit(api::Request request) override;
    void cancel(api::RequestId id) override;
    std::optional<api::Response> poll() override;
    api::HallStatus status() const override;

    // For tests and tools: waits up to `timeout` for the response to `id` (other responses stay
    // queued). Never call this from the UI loop.
    std::optional<api::Response> wait(api::RequestId id, std::chrono::milliseconds timeout);
    // Wakes the outbox sender now (after an append, or when the hall is known to be back).
    void kick_outbox();
    // The kiosk state and device statuses the next automatic heartbeat reports.
    void set_heartbeat(const api::HeartbeatInfo& info);

    struct Impl;

  private:
    explicit Client(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk::backend
