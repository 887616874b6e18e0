// A hawkBit DDI server simulator (the paths and JSON of the reference in docs/fleet.md) for the
// updater's tests and manual runs, on cpp-httplib.
//
// Implements, under /{tenant}/controller/v1/{controllerId}:
//   GET  (root)                                    poll: config.polling.sleep + _links
//   GET  /deploymentBase/{id}?c=...                the deployment (one chunk, one artifact)
//   POST /deploymentBase/{id}/feedback             recorded; 404 unknown action, 410 closed one
//   GET  /cancelAction/{id}                        {"id","cancelAction":{"stopId"}}
//   POST /cancelAction/{id}/feedback               closed+success cancels, rejected keeps it
//   GET  /installedBase/{id}                       the deployment of a closed action
//   PUT  /configData                               recorded ({"mode":"merge","data":{...}})
//   GET  /softwaremodules/{sm}/artifacts/{file}    the artifact, Range: bytes=n- (206 +
//                                                  Content-Range), 416 for a bad range
// Authorization: TargetToken <token> on every path when a token is set (else 401).
// Fault switches (set_faults): the next N requests answer 429 (with Retry-After) or 503; the next
// N downloads drop the connection after K bytes.
// Not implemented: confirmationBase, GatewayToken, mTLS, multiple chunks, action history.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::ddisim {

struct Faults {
    int fail_next = 0;  // the next N controller requests answer fail_status
    int fail_status = 503;
    int retry_after = -1;                // >= 0: Retry-After seconds on those answers
    int drop_downloads = 0;              // the next N artifact downloads close early...
    std::uint64_t drop_after_bytes = 0;  // ...after this many body bytes
};

struct Options {
    std::string host = "127.0.0.1";
    int port = 0;  // 0: ephemeral
    std::string tenant = "DEFAULT";
    std::string controller = "kiosk-1";
    std::string token;  // "" = no auth
    std::string poll_sleep = "00:05:00";
};

struct ActionSpec {
    std::string artifact;  // the bundle's bytes
    std::string filename = "kiosk.bundle";
    std::string version = "1.0.0";
    std::string download = "forced";  // skip | attempt | forced
    std::string update = "forced";
    std::string maintenance;                     // "", available, unavailable
    std::optional<std::uint64_t> declared_size;  // a lie about the size, for tests
    std::optional<std::string> declared_sha256;  // a wrong transport hash, for tests
};

struct Feedback {
    std::string action_id;
    bool cancel = false;
    std::string execution, finished;
    std::vector<std::string> details;
    int cnt = -1, of = -1;
};

class DdiSim {
  public:
    explicit DdiSim(Options options = {});
    ~DdiSim();
    DdiSim(const DdiSim&) = delete;
    DdiSim& operator=(const DdiSim&) = delete;

    bool start();
    void stop();
    int port() const;
    std::string url() const;              // http://127.0.0.1:PORT (the updater's ddi_url)
    std::string controller_base() const;  // url()/tenant/controller/v1/controller

    // Adds an action; it becomes the one offered (the previous open one stays open but hidden).
    std::string add_action(const ActionSpec& spec);
    void set_modes(const std::string& id, const std::string& download, const std::string& update,
                   const std::string& maintenance);
    void request_cancel(const std::string& id);
    void close_action(const std::string& id);  // closed on the server: feedback then gets 410
    void set_poll_sleep(const std::string& sleep);
    void set_faults(const Faults& f);

    std::vector<Feedback> feedback() const;
    std::string action_status(const std::string& id) const;  // open | closed:success | ...
    std::string config_data() const;                         // last PUT body
    std::vector<std::string> ranges() const;  // Range headers of artifact requests ("" = none)
    int requests() const;                     // controller requests answered (faults included)
    int unauthorized() const;                 // requests refused with 401

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk::ddisim
