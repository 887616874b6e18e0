#include "update/ddi.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include <nlohmann/json.hpp>

namespace kiosk::update::ddi {

namespace {
using J = nlohmann::json;
constexpr std::int64_t kMaxSleep = 31LL * 24 * 3600;

std::string link(const J& j, const char* name) {
    auto l = j.find("_links");
    if (l == j.end() || !l->is_object()) return {};
    auto it = l->find(name);
    if (it == l->end() || !it->is_object()) return {};
    auto h = it->find("href");
    if (h == it->end() || !h->is_string()) return {};
    std::string s = h->get<std::string>();
    if (s.size() > 4096) return {};
    for (char c : s)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return {};  // no header injection
    if (s.rfind("http://", 0) != 0 && s.rfind("https://", 0) != 0) return {};
    return s;
}

std::string str(const J& j, const char* k) {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

bool safe_id(const std::string& s) {
    return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
}
}  // namespace

std::optional<std::chrono::seconds> parse_sleep(std::string_view t) {
    auto digits = [](std::string_view s, std::int64_t& v) {
        if (s.empty() || s.size() > 9) return false;
        v = 0;
        for (char c : s) {
            if (c < '0' || c > '9') return false;
            v = v * 10 + (c - '0');
        }
        return true;
    };
    std::int64_t total = 0;
    if (!t.empty() && t[0] == 'P') {
        // ISO-8601: P[nW][nD][T[nH][nM][nS]] (years and months refused: not fixed lengths).
        bool in_time = false, any = false;
        std::size_t i = 1;
        while (i < t.size()) {
            if (t[i] == 'T') {
                if (in_time) return std::nullopt;
                in_time = true;
                ++i;
                if (i == t.size()) return std::nullopt;
                continue;
            }
            std::size_t j = i;
            while (j < t.size() && t[j] >= '0' && t[j] <= '9') ++j;
            if (j == t.size()) return std::nullopt;
            std::int64_t v = 0;
            if (!digits(t.substr(i, j - i), v)) return std::nullopt;
            const char u = t[j];
            std::int64_t mul = 0;
            if (!in_time && u == 'W')
                mul = 7 * 86400;
            else if (!in_time && u == 'D')
                mul = 86400;
            else if (in_time && u == 'H')
                mul = 3600;
            else if (in_time && u == 'M')
                mul = 60;
            else if (in_time && u == 'S')
                mul = 1;
            else
                return std::nullopt;
            total += v * mul;
            if (total > kMaxSleep) return std::nullopt;
            any = true;
            i = j + 1;
        }
        if (!any) return std::nullopt;
        return std::chrono::seconds(total);
    }
    // HH:MM:SS
    if (t.size() < 8) return std::nullopt;
    auto c1 = t.find(':');
    auto c2 = t.find(':', c1 == std::string_view::npos ? c1 : c1 + 1);
    if (c1 == std::string_view::npos || c2 == std::string_view::npos ||
        t.find(':', c2 + 1) != std::string_view::npos)
        return std::nullopt;
    std::int64_t h, m, s;
    if (!digits(t.substr(0, c1), h) || !digits(t.substr(c1 + 1, c2 - c1 - 1), m) ||
        !digits(t.substr(c2 + 1), s) || c2 - c1 - 1 != 2 || t.size() - c2 - 1 != 2)
        return std::nullopt;
    if (m > 59 || s > 59) return std::nullopt;
    total = h * 3600 + m * 60 + s;
    if (total > kMaxSleep) return std::nullopt;
    return std::chrono::seconds(total);
}

std::optional<std::string> parse_poll(std::string_view body, PollReply& out) {
    J j = J::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return "poll reply is not a JSON object";
    PollReply r;
    auto c = j.find("config");
    if (c != j.end() && c->is_object()) {
        auto p = c->find("polling");
        if (p != c->end() && p->is_object()) {
            std::string sl = str(*p, "sleep");
            if (!sl.empty()) {
                auto d = parse_sleep(sl);
                if (!d) return "poll reply has a bad sleep '" + sl.substr(0, 40) + "'";
                r.sleep = *d;
            }
        }
    }
    r.deployment_href = link(j, "deploymentBase");
    r.cancel_href = link(j, "cancelAction");
    r.config_data_href = link(j, "configData");
    r.installed_href = link(j, "installedBase");
    out = std::move(r);
    return std::nullopt;
}

std::optional<Mode> mode_from(std::string_view s) {
    if (s == "skip") return Mode::skip;
    if (s == "attempt") return Mode::attempt;
    if (s == "forced") return Mode::forced;
    return std::nullopt;
}
const char* mode_name(Mode m) {
    return m == Mode::skip ? "skip" : m == Mode::attempt ? "attempt" : "forced";
}

std::optional<std::string> parse_deployment(std::string_view body, Deployment& out) {
    J j = J::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return "deployment is not a JSON object";
    Deployment d;
    d.action_id = str(j, "id");
    if (!safe_id(d.action_id)) return "deployment id missing or malformed";
    auto dep = j.find("deployment");
    if (dep == j.end() || !dep->is_object()) return "deployment object missing";
    auto dl = mode_from(str(*dep, "download"));
    auto up = mode_from(str(*dep, "update"));
    if (!dl || !up) return "deployment download/update must be skip, attempt or forced";
    d.download = *dl;
    d.update = *up;
    d.maintenance = str(*dep, "maintenanceWindow");
    if (!d.maintenance.empty() && d.maintenance != "available" && d.maintenance != "unavailable")
        return "maintenanceWindow must be available or unavailable";
    auto chunks = dep->find("chunks");
    if (chunks == dep->end() || !chunks->is_array() || chunks->size() != 1)
        return "deployment must have exactly one chunk";
    const J& ch = (*chunks)[0];
    if (!ch.is_object()) return "chunk is not an object";
    d.version = str(ch, "version");
    auto arts = ch.find("artifacts");
    if (arts == ch.end() || !arts->is_array() || arts->size() != 1)
        return "chunk must have exactly one artifact";
    const J& a = (*arts)[0];
    if (!a.is_object()) return "artifact is not an object";
    d.filename = str(a, "filename");
    if (d.filename.empty() || d.filename.size() > 255 ||
        d.filename.find('/') != std::string::npos || !d.filename.ends_with(".bundle"))
        return "artifact filename must be a plain name ending in .bundle";
    auto sz = a.find("size");
    if (sz == a.end() || !sz->is_number_unsigned()) return "artifact size missing";
    d.size = sz->get<std::uint64_t>();
    auto h = a.find("hashes");
    if (h != a.end() && h->is_object()) d.sha256 = str(*h, "sha256");
    d.href_https = link(a, "download");
    d.href_http = link(a, "download-http");
    if (d.href_https.empty() && d.href_http.empty()) return "artifact has no download link";
    out = std::move(d);
    return std::nullopt;
}

std::optional<std::string> parse_cancel(std::string_view body, std::string& stop_id) {
    J j = J::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return "cancelAction is not a JSON object";
    auto c = j.find("cancelAction");
    if (c == j.end() || !c->is_object()) return "cancelAction object missing";
    stop_id = str(*c, "stopId");
    if (!safe_id(stop_id)) return "cancelAction stopId missing or malformed";
    return std::nullopt;
}

std::string feedback_json(std::int64_t ts, std::string_view execution, std::string_view finished,
                          const std::vector<std::string>& details, int cnt, int of) {
    J result{{"finished", finished}};
    if (cnt >= 0 && of > 0) result["progress"] = {{"cnt", cnt}, {"of", of}};
    J status{{"execution", execution}, {"result", result}};
    if (!details.empty()) status["details"] = details;
    return J{{"timestamp", ts}, {"status", status}}.dump();
}

// [SECTION] HTTP ---------------------------------------------------------------------------------

struct Http::Impl {
    HttpOptions o;
    CURL* easy = nullptr;
};

namespace {
struct Sink {
    std::string* body = nullptr;
    std::size_t max = 0;
    bool overflow = false;
    const std::function<bool(const char*, std::size_t, long)>* stream = nullptr;
    bool aborted = false;
    long status = 0;
    CURL* easy = nullptr;
};

std::size_t on_write(char* p, std::size_t size, std::size_t n, void* ud) {
    auto* s = static_cast<Sink*>(ud);
    const std::size_t len = size * n;
    if (s->stream) {
        long code = 0;
        curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &code);
        if (code == 200 || code == 206) {
            if (!(*s->stream)(p, len, code)) {
                s->aborted = true;
                return 0;
            }
            return len;
        }
        // An error body: keep a bounded copy for the message.
    }
    if (s->body->size() + len > s->max) {
        s->overflow = true;
        return 0;
    }
    s->body->append(p, len);
    return len;
}

struct Headers {
    std::chrono::seconds retry_after{-1};
};
std::size_t on_header(char* p, std::size_t size, std::size_t n, void* ud) {
    auto* h = static_cast<Headers*>(ud);
    std::string_view line(p, size * n);
    constexpr std::string_view k = "retry-after:";
    if (line.size() > k.size()) {
        std::string lower(line.substr(0, k.size()));
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (lower == k) {
            std::int64_t v = 0;
            bool any = false;
            for (char c : line.substr(k.size())) {
                if (c == ' ' || c == '\t') continue;
                if (c < '0' || c > '9') break;
                v = std::min<std::int64_t>(v * 10 + (c - '0'), 86400);
                any = true;
            }
            if (any) h->retry_after = std::chrono::seconds(v);
        }
    }
    return size * n;
}

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}
}  // namespace

Http::Http(HttpOptions o) : impl_(new Impl{std::move(o), nullptr}) {
    global_init();
    impl_->easy = curl_easy_init();
}

Http::~Http() {
    if (impl_->easy) curl_easy_cleanup(impl_->easy);
    delete impl_;
}

std::string Http::origin_of(const std::string& url) {
    auto scheme = url.find("://");
    if (scheme == std::string::npos) return {};
    auto path = url.find('/', scheme + 3);
    return path == std::string::npos ? url : url.substr(0, path);
}

namespace {
Response perform(Http::Impl& im, const std::string& method, const std::string& url,
                 const std::string* body, std::uint64_t offset,
                 const std::function<bool(const char*, std::size_t, long)>* stream) {
    Response r;
    CURL* e = im.easy;
    if (!e) {
        r.error = "curl_easy_init failed";
        return r;
    }
    curl_easy_reset(e);
    Sink sink;
    sink.body = &r.body;
    sink.max = im.o.max_body;
    sink.stream = stream;
    sink.easy = e;
    Headers hdr;
    struct curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Accept: application/hal+json, application/json");
    std::string auth;
    if (!im.o.token.empty() && Http::origin_of(url) == im.o.origin) {
        auth = "Authorization: TargetToken " + im.o.token;
        headers = curl_slist_append(headers, auth.c_str());
    }
    if (body) headers = curl_slist_append(headers, "Content-Type: application/json");
    curl_easy_setopt(e, CURLOPT_URL, url.c_str());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, im.o.allow_http ? "http,https" : "https");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &hdr);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, im.o.connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    if (!im.o.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, im.o.ca_file.c_str());
    if (stream) {
        // A download may be long: no total timeout, but a stalled one fails.
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, im.o.low_speed_seconds);
        std::string range;
        if (offset > 0) {
            range = std::to_string(offset) + "-";
            curl_easy_setopt(e, CURLOPT_RANGE, range.c_str());
        }
    } else {
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, im.o.request_timeout_ms);
    }
    if (body) {
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method.c_str());
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, body->c_str());
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
    }
    CURLcode rc = curl_easy_perform(e);
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(headers);
    r.retry_after = hdr.retry_after;
    if (rc != CURLE_OK) {
        if (sink.aborted) {
            r.status = -1;
            r.error = "download stopped by the client";
        } else if (sink.overflow) {
            r.status = -1;
            r.error = "answer larger than the limit";
        } else {
            r.error = curl_easy_strerror(rc);
            if (r.status == 200 || r.status == 206) r.status = 0;  // broke after the headers
        }
    }
    if (stream && r.status != 200 && r.status != 206 && r.body.size() > 512) r.body.resize(512);
    return r;
}
}  // namespace

Response Http::get(const std::string& url) {
    return perform(*impl_, "GET", url, nullptr, 0, nullptr);
}

Response Http::send_json(const std::string& method, const std::string& url,
                         const std::string& body) {
    return perform(*impl_, method, url, &body, 0, nullptr);
}

Response Http::download(const std::string& url, std::uint64_t offset,
                        const std::function<bool(const char*, std::size_t, long)>& sink) {
    return perform(*impl_, "GET", url, nullptr, offset, &sink);
}

}  // namespace kiosk::update::ddi
