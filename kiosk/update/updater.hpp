// The updater: a hawkBit DDI device client that downloads signed bundles, installs them into the
// inactive A/B slot, switches while no citizen is served, and reports the result only after the
// new version proved healthy (or rolled back). See docs/fleet.md "## Updates".
//
// Threading: run_once() does one whole poll cycle on the calling thread (tests call it
// directly); start() runs it on the updater's own thread at the server's poll interval. All
// HTTP is on that thread with the updater's own curl easy handle. can_apply() and
// request_restart() are called from that thread: the app answers them thread-safely.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "update/bundle.hpp"
#include "update/state.hpp"

namespace kiosk {
struct Config;
}

namespace kiosk::update {

struct Options {
    std::string ddi_url;  // server origin (+ optional path prefix), e.g. https://hawkbit.example
    std::string tenant = "DEFAULT";
    std::string controller_id;
    std::string token;    // target security token
    std::string ca_file;  // "" = system store
    KeyRing keys;
    std::string hw_revision;
    std::string root = "/var/lib/estation-kiosk";
    std::string maintenance_window;  // local "HH:MM-HH:MM" when switching is allowed; "" = any
    int health_timeout_seconds = 300;
    int health_boot_attempts = 3;
    std::uint64_t max_bundle_bytes = 512ull * 1024 * 1024;
    std::string product = "kiosk";
    // Only on a test network: a plain http:// ddi_url (and http download links) are accepted.
    // Otherwise only https://, and curl is allowed no other protocol.
    bool test_network = false;

    // Hooks. can_apply: true when no citizen is being served. request_restart: the app exits with
    // the code its supervisor restarts (kiosk-launch then starts the new slot).
    std::function<bool()> can_apply;
    std::function<void()> request_restart;
    std::function<std::int64_t()> now;  // epoch seconds (default: the system clock)
    // Backoff and retry sleeps (default: an interruptible wait on the updater thread). Tests
    // record the requested durations instead of waiting.
    std::function<void(std::chrono::milliseconds)> sleep;

    int max_attempts_per_request = 5;  // 429/5xx/transport retries within one cycle
    std::chrono::milliseconds backoff_base{1000};
    std::chrono::milliseconds backoff_max{60000};
    std::chrono::seconds retry_after_max{3600};  // longer Retry-After values are capped

    // Test kill point: after persisting this phase, stop immediately (a power cut); the object
    // only answers halted() afterwards. A new Updater on the same root is "the next boot".
    std::optional<Phase> halt_after;
};

// Builds options from the [update] configuration section; error text when it is unusable
// (a bad trusted key, a bad maintenance window). ddi_url == "" means updates are disabled: the
// caller does not construct an Updater then.
std::optional<std::string> options_from_config(const Config& config, Options& out);
std::optional<std::string> validate(const Options& o);

// "HH:MM-HH:MM" (may wrap midnight). Minutes since midnight of start and end.
std::optional<std::pair<int, int>> parse_window(std::string_view text);

struct Cycle {
    std::chrono::seconds next_poll{300};
    bool halted = false;
};

class Updater {
  public:
    explicit Updater(Options options);
    ~Updater();
    Updater(const Updater&) = delete;
    Updater& operator=(const Updater&) = delete;

    Cycle run_once();
    void start();
    void stop();
    bool halted() const;

    State state() const;               // read back from disk
    std::string base() const;          // {ddi_url}/{tenant}/controller/v1/{controllerId}
    std::string last_refusal() const;  // refusal name of the last refused bundle, for tests

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk::update
