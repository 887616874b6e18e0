// The hawkBit DDI wire format (parsing, strict) and a small libcurl HTTP client for it.
// The client uses its own easy handles on the calling (updater) thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk::update::ddi {

// "HH:MM:SS" or an ISO-8601 duration ("PT5M", "P1D", "PT1H30M", "P1DT2H", "PT0.5S" is refused:
// whole seconds only). Bounded to 31 days.
std::optional<std::chrono::seconds> parse_sleep(std::string_view text);

struct PollReply {
    std::chrono::seconds sleep{300};
    std::string deployment_href;   // _links.deploymentBase.href
    std::string cancel_href;       // _links.cancelAction.href
    std::string config_data_href;  // _links.configData.href
    std::string installed_href;    // _links.installedBase.href
};
std::optional<std::string> parse_poll(std::string_view body, PollReply& out);

enum class Mode { skip, attempt, forced };
std::optional<Mode> mode_from(std::string_view s);
const char* mode_name(Mode m);

struct Deployment {
    std::string action_id;
    Mode download = Mode::forced;
    Mode update = Mode::forced;
    std::string maintenance;  // "", "available", "unavailable"
    std::string version;      // chunk version
    std::string filename;
    std::uint64_t size = 0;
    std::string sha256;      // transport check only
    std::string href_https;  // _links.download
    std::string href_http;   // _links.download-http
};
// Exactly one chunk with exactly one artifact whose name ends in ".bundle" is accepted.
std::optional<std::string> parse_deployment(std::string_view body, Deployment& out);

// {"id":"5","cancelAction":{"stopId":"5"}}
std::optional<std::string> parse_cancel(std::string_view body, std::string& stop_id);

// Feedback body (timestamp in ms).
std::string feedback_json(std::int64_t timestamp_ms, std::string_view execution,
                          std::string_view finished, const std::vector<std::string>& details,
                          int progress_cnt = -1, int progress_of = -1);

// [SECTION] HTTP ---------------------------------------------------------------------------------

struct Response {
    long status = 0;  // 0: transport failure (see error)
    std::string body;
    std::string error;
    std::chrono::seconds retry_after{-1};  // from Retry-After, -1 when absent
};

struct HttpOptions {
    std::string token;    // Authorization: TargetToken <token> (only sent to `origin`)
    std::string origin;   // scheme://host[:port] of the DDI server
    std::string ca_file;  // "" = system store
    long connect_timeout_ms = 5000;
    long request_timeout_ms = 30000;
    std::size_t max_body = 1024 * 1024;  // JSON answers over this are refused
    long low_speed_seconds = 30;         // a download slower than 1 byte/s this long fails
    // Plain http:// too (update.test_network, test networks only); else curl speaks https only.
    bool allow_http = false;
};

class Http {
  public:
    explicit Http(HttpOptions o);
    ~Http();
    Http(const Http&) = delete;
    Http& operator=(const Http&) = delete;

    Response get(const std::string& url);
    Response send_json(const std::string& method, const std::string& url, const std::string& body);
    // Downloads into a callback from `offset` (Range: bytes=offset- when offset > 0). The sink
    // returns false to abort. `status` 206 means the range was honoured, 200 means the whole
    // file (the sink sees the status with every chunk and restarts from 0).
    Response download(const std::string& url, std::uint64_t offset,
                      const std::function<bool(const char*, std::size_t, long status)>& sink);

    static std::string origin_of(const std::string& url);

    struct Impl;

  private:
    Impl* impl_;
};

}  // namespace kiosk::update::ddi
