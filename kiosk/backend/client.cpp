// The hall client on libcurl multi; see client.hpp for the behaviour and the rules it keeps.
//
// [SECTION] setup  [SECTION] transfers  [SECTION] outbox sender  [SECTION] worker  [SECTION] API
#include "backend/client.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include <curl/curl.h>

#include "api/parse.hpp"
#include "backend/cache.hpp"
#include "core/log.hpp"

namespace kiosk::backend {

using api::Error;
using api::ErrorKind;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

auto logger() {
    static auto log = kiosk::log::get("backend");
    return log;
}

bool cacheable(api::Op op) {
    return op == api::Op::catalog || op == api::Op::guides || op == api::Op::guide;
}

bool loopback_http(const std::string& url) {
    return url.rfind("http://127.0.0.1:", 0) == 0 || url.rfind("http://127.0.0.1/", 0) == 0;
}

Error transport_error(CURLcode rc, const char* errbuf, bool too_large) {
    std::string detail = errbuf && *errbuf ? errbuf : curl_easy_strerror(rc);
    switch (rc) {
        case CURLE_OPERATION_TIMEDOUT:
            return Error{ErrorKind::timeout, 0, {}, detail};
        case CURLE_WRITE_ERROR:
            if (too_large)
                return Error{ErrorKind::too_large, 0, {}, "response body over the limit"};
            return Error{ErrorKind::network, 0, {}, detail};
        case CURLE_PARTIAL_FILE:
            return Error{ErrorKind::malformed, 0, {}, "response truncated: " + detail};
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_CRL_BADFILE:
        case CURLE_SSL_ENGINE_NOTFOUND:
        case CURLE_SSL_ENGINE_SETFAILED:
        case CURLE_USE_SSL_FAILED:
            return Error{ErrorKind::tls, 0, {}, detail};
        case CURLE_UNSUPPORTED_PROTOCOL:
            return Error{ErrorKind::invalid_request, 0, {}, "protocol not allowed: " + detail};
        default:
            return Error{ErrorKind::network, 0, {}, detail};
    }
}

struct Transfer {
    api::RequestId id = 0;
    api::Request req;
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    std::string body;
    std::size_t limit = api::kMaxBodyBytes;
    bool too_large = false;
    int attempt = 0;
    bool outbox = false;
    std::int64_t outbox_id = 0;
    Clock::time_point due{};
    Clock::time_point started{};
    char errbuf[CURL_ERROR_SIZE] = {};

    ~Transfer() { release(); }
    void release() {
        if (easy) curl_easy_cleanup(easy);
        if (headers) curl_slist_free_all(headers);
        easy = nullptr;
        headers = nullptr;
    }
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::size_t len = size * n;
    if (t->body.size() + len > t->limit) {
        t->too_large = true;
        return 0;  // aborts the transfer with CURLE_WRITE_ERROR
    }
    t->body.append(data, len);
    return len;
}

}  // namespace

// [SECTION] setup ------------------------------------------------------------------------------

struct Client::Impl {
    ClientConfig cfg;
    Outbox* outbox = nullptr;
    std::unique_ptr<Cache> cache;
    CURLM* multi = nullptr;
    std::thread worker;
    std::atomic<bool> stopping{false};
    std::atomic<api::RequestId> next_id{1};

    std::mutex in_mutex;  // submissions and cancellations from the UI thread
    std::deque<std::unique_ptr<Transfer>> incoming;
    std::set<api::RequestId> cancels;

    std::mutex out_mutex;  // finished responses for the UI thread
    std::condition_variable out_cv;
    std::deque<api::Response> out;

    mutable std::mutex status_mutex;
    api::HallStatus st;

    // Worker-only state.
    std::map<CURL*, std::unique_ptr<Transfer>> active;
    std::vector<std::unique_ptr<Transfer>> delayed;
    bool outbox_busy = false;
    int outbox_failures = 0;
    Clock::time_point outbox_next{};
    Clock::time_point outbox_depth_at{};
    std::atomic<bool> outbox_kick{true};
    std::mt19937_64 rng{std::random_device{}()};  // worker only (backoff jitter)
    std::mutex key_mutex;
    std::mt19937_64 key_rng{std::random_device{}()};
    std::string key_prefix;
    Clock::time_point heartbeat_next{};
    std::mutex heartbeat_mutex;
    api::HeartbeatInfo heartbeat_info;

    ~Impl() {
        if (multi) curl_multi_cleanup(multi);
    }

    milliseconds backoff(milliseconds base, milliseconds max, int attempt) {
        // Equal jitter: half the exponential delay fixed, half random, so a hall coming back is
        // not hit by every kiosk at the same instant.
        double d = static_cast<double>(base.count()) * std::pow(2.0, std::min(attempt, 20) - 1);
        d = std::min(d, static_cast<double>(max.count()));
        double j = std::uniform_real_distribution<double>(0.0, d / 2)(rng);
        return milliseconds(static_cast<long long>(d / 2 + j));
    }

    // Called from the UI thread (submit), so it has its own generator and lock.
    std::string new_key(api::RequestId id) {
        char buf[40];
        unsigned long long r;
        {
            std::lock_guard lock(key_mutex);
            r = key_rng();
        }
        std::snprintf(buf, sizeof buf, "%016llx", r);
        return key_prefix + buf + "-" + std::to_string(id);
    }

    void deliver(api::Response r) {
        {
            std::lock_guard lock(out_mutex);
            out.push_back(std::move(r));
        }
        out_cv.notify_all();
    }

    void set_reachable(bool reachable, const std::string& error) {
        std::lock_guard lock(status_mutex);
        if (st.reachable != reachable)
            logger()->info("hall {}", reachable ? "reachable" : "unreachable: " + error);
        st.reachable = reachable;
        st.last_error = error;
    }

    void refresh_outbox_status(bool force = false) {
        if (!outbox) return;
        auto now = Clock::now();
        if (!force && now < outbox_depth_at) return;
        // Telemetry and the service menu read this; every 5 s is fresh enough, and an idle
        // kiosk should not query its database five times a second.
        outbox_depth_at = now + milliseconds(5000);
        auto depth = outbox->depth();
        bool failed = outbox->failed();
        std::string why = failed ? outbox->failure() : std::string{};
        std::lock_guard lock(status_mutex);
        st.outbox_depth = depth;
        st.outbox_failed = failed;
        st.outbox_error = why;
    }

    // [SECTION] transfers ----------------------------------------------------------------------

    bool start(Transfer& t) {
        t.release();
        t.body.clear();
        t.too_large = false;
        t.errbuf[0] = '\0';
        t.limit = t.req.op == api::Op::proof_pdf ? api::kMaxPdfBytes : api::kMaxBodyBytes;
        t.easy = curl_easy_init();
        if (!t.easy) return false;
        CURL* e = t.easy;
        std::string url = cfg.base_url + t.req.path;
        curl_easy_setopt(e, CURLOPT_URL, url.c_str());
        curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
        curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.errbuf);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(cfg.connect_timeout.count()));
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(cfg.total_timeout.count()));
        curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(e, CURLOPT_USERAGENT, cfg.user_agent.c_str());
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, loopback_http(cfg.base_url) ? "http" : "https");
        // Verification is never switched off; http on loopback simply has no TLS to verify.
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
        if (!cfg.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, cfg.ca_file.c_str());
        if (!cfg.pinned_public_key.empty())
            curl_easy_setopt(e, CURLOPT_PINNEDPUBLICKEY, cfg.pinned_public_key.c_str());
        if (!cfg.client_cert.empty()) {
            curl_easy_setopt(e, CURLOPT_SSLCERT, cfg.client_cert.c_str());
            curl_easy_setopt(e, CURLOPT_SSLKEY, cfg.client_key.c_str());
        }
        t.headers = curl_slist_append(t.headers, ("X-Kiosk-Id: " + cfg.kiosk_id).c_str());
        t.headers = curl_slist_append(
            t.headers, (std::string("X-Hall-Contract: ") + api::kContractVersion).c_str());
        t.headers = curl_slist_append(t.headers, "Accept: application/json, application/pdf");
        t.headers = curl_slist_append(t.headers, "Expect:");  // no 100-continue round trip
        if (!t.req.bearer.empty())
            t.headers =
                curl_slist_append(t.headers, ("Authorization: Bearer " + t.req.bearer).c_str());
        if (t.req.method == api::Method::post) {
            t.headers =
                curl_slist_append(t.headers, "Content-Type: application/json; charset=utf-8");
            t.headers =
                curl_slist_append(t.headers, ("Idempotency-Key: " + t.req.idempotency_key).c_str());
            curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(t.req.body.size()));
            curl_easy_setopt(e, CURLOPT_POSTFIELDS, t.req.body.c_str());
        } else {
            curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
        }
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);
        t.started = Clock::now();
        return curl_multi_add_handle(multi, e) == CURLM_OK;
    }

    void launch(std::unique_ptr<Transfer> t) {
        if (!start(*t)) {
            Error e{ErrorKind::network, 0, {}, "cannot start transfer"};
            t->release();
            if (t->outbox)
                outbox_done(*t, api::Result<api::Payload>(e));
            else
                finish_with(std::move(t), api::Result<api::Payload>(e), false);
            return;
        }
        CURL* key = t->easy;
        active.emplace(key, std::move(t));
    }

    void finish(CURL* easy, CURLcode rc) {
        auto it = active.find(easy);
        if (it == active.end()) return;
        std::unique_ptr<Transfer> t = std::move(it->second);
        active.erase(it);
        curl_multi_remove_handle(multi, easy);
        long status = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        auto ms = std::chrono::duration_cast<milliseconds>(Clock::now() - t->started).count();

        api::Result<api::Payload> result = Error{};
        bool answered = false;
        if (rc != CURLE_OK) {
            Error e = transport_error(rc, t->errbuf, t->too_large);
            // A truncated or oversized body still came from the hall: it is reachable.
            answered = status != 0;
            result = e;
        } else {
            answered = true;
            if (status >= 200 && status < 300) {
                result = api::parse_response(t->req.op, t->body);
            } else {
                result = api::error_from_status(static_cast<int>(status), t->body);
            }
        }
        if (answered)
            set_reachable(true, {});
        else
            set_reachable(false, result.error().describe());
        if (result.ok())
            logger()->debug("{} {} -> {} in {} ms", api::to_string(t->req.op),
                            t->outbox ? "(outbox)" : "", status, ms);
        else
            logger()->warn("{} {} failed after {} ms: {}", api::to_string(t->req.op),
                           t->outbox ? "(outbox)" : "", ms, result.error().describe());

        t->release();
        if (t->outbox) {
            outbox_done(*t, result);
            return;
        }
        if (!result.ok() && t->req.safe() && result.error().transient() &&
            t->attempt < cfg.max_retries) {
            ++t->attempt;
            t->due = Clock::now() + backoff(cfg.retry_base, cfg.retry_max, t->attempt);
            delayed.push_back(std::move(t));
            return;
        }
        finish_with(std::move(t), std::move(result), true);
    }

    void finish_with(std::unique_ptr<Transfer> t, api::Result<api::Payload> result,
                     bool use_cache) {
        api::Response r;
        r.id = t->id;
        r.op = t->req.op;
        if (cache && use_cache && cacheable(t->req.op)) {
            if (result.ok()) {
                cache->put(t->req.path, t->body);
            } else if (result.error().transient()) {
                if (auto body = cache->get(t->req.path)) {
                    auto cached = api::parse_response(t->req.op, *body);
                    if (cached.ok()) {
                        r.from_cache = true;
                        result = std::move(cached);
                    }
                } else {
                    Error e = result.error();
                    e.detail = "hall unreachable and nothing cached (" + e.describe() + ")";
                    e.kind = ErrorKind::offline;
                    result = e;
                }
            }
        }
        r.result = std::move(result);
        deliver(std::move(r));
    }

    // [SECTION] outbox sender ------------------------------------------------------------------

    void maybe_send_outbox() {
        if (!outbox || outbox_busy) return;
        auto now = Clock::now();
        if (now < outbox_next && !outbox_kick.exchange(false)) return;
        auto head = outbox->head();
        if (!head.ok()) {
            refresh_outbox_status(true);
            outbox_next = now + milliseconds(1000);
            return;
        }
        if (!head.value()) {
            // Nothing pending: appends kick the sender (Outbox::set_on_append), so this look is
            // only a safety net.
            outbox_next = now + milliseconds(5000);
            return;
        }
        const api::OutboxEntry& e = *head.value();
        api::Request req =
            api::req::outbox_event(cfg.kiosk_id, e.id, e.kind, e.created_at, e.payload);
        if (!req.invalid.empty()) {
            outbox->mark_rejected(e.id, req.invalid);
            outbox_kick = true;
            return;
        }
        auto t = std::make_unique<Transfer>();
        t->id = 0;
        t->req = std::move(req);
        t->outbox = true;
        t->outbox_id = e.id;
        outbox_busy = true;
        launch(std::move(t));
    }

    void outbox_done(const Transfer& t, const api::Result<api::Payload>& result) {
        outbox_busy = false;
        auto now = Clock::now();
        if (result.ok()) {
            outbox->mark_delivered(t.outbox_id);
            outbox_failures = 0;
            outbox_next = now;
            outbox_kick = true;  // straight on to the next entry
        } else if (result.error().kind == ErrorKind::http ||
                   result.error().kind == ErrorKind::not_found ||
                   result.error().kind == ErrorKind::conflict ||
                   result.error().kind == ErrorKind::unauthorized) {
            if (result.error().transient()) {
                outbox->mark_attempt(t.outbox_id);
                outbox_next =
                    now + backoff(cfg.outbox_retry_base, cfg.outbox_retry_max, ++outbox_failures);
            } else {
                outbox->mark_rejected(t.outbox_id, result.error().describe());
                outbox_kick = true;
            }
        } else {
            // Network, timeout, TLS, a truncated or odd answer: the entry stays first in line.
            outbox->mark_attempt(t.outbox_id);
            outbox_next =
                now + backoff(cfg.outbox_retry_base, cfg.outbox_retry_max, ++outbox_failures);
        }
        refresh_outbox_status(true);
    }

    // Heartbeats go through the normal request path, so their replies reach poll().
    void maybe_send_heartbeat() {
        if (cfg.heartbeat_interval.count() <= 0) return;
        auto now = Clock::now();
        if (now < heartbeat_next) return;
        heartbeat_next = now + cfg.heartbeat_interval;
        api::HeartbeatInfo info;
        {
            std::lock_guard lock(heartbeat_mutex);
            info = heartbeat_info;
        }
        {
            std::lock_guard lock(status_mutex);
            info.outbox_depth = std::max<std::int64_t>(0, st.outbox_depth);
        }
        auto t = std::make_unique<Transfer>();
        t->id = next_id++;
        t->req = api::req::heartbeat(cfg.kiosk_id, info);
        t->req.idempotency_key = new_key(t->id);
        launch(std::move(t));
    }

    // [SECTION] worker -------------------------------------------------------------------------

    void run() {
        while (!stopping.load()) {
            std::deque<std::unique_ptr<Transfer>> fresh;
            std::set<api::RequestId> cancelled;
            {
                std::lock_guard lock(in_mutex);
                fresh.swap(incoming);
                cancelled.swap(cancels);
            }
            for (auto& t : fresh) {
                if (cancelled.count(t->id)) {
                    cancelled.erase(t->id);
                    deliver_cancelled(*t);
                    continue;
                }
                launch(std::move(t));
            }
            for (auto id : cancelled) cancel_now(id);

            auto now = Clock::now();
            for (auto it = delayed.begin(); it != delayed.end();) {
                if ((*it)->due <= now) {
                    auto t = std::move(*it);
                    it = delayed.erase(it);
                    launch(std::move(t));
                } else {
                    ++it;
                }
            }
            maybe_send_outbox();
            maybe_send_heartbeat();
            refresh_outbox_status();

            int running = 0;
            curl_multi_perform(multi, &running);
            int left = 0;
            while (CURLMsg* m = curl_multi_info_read(multi, &left))
                if (m->msg == CURLMSG_DONE) finish(m->easy_handle, m->data.result);

            // Sleep until there is socket activity, a wakeup (submit, append, stop), or the next
            // timed thing is due; curl_multi_poll also honours curl's own timers.
            auto wait = milliseconds(5000);
            now = Clock::now();
            for (const auto& t : delayed)
                wait = std::min(wait, std::chrono::duration_cast<milliseconds>(t->due - now));
            if (cfg.heartbeat_interval.count() > 0)
                wait =
                    std::min(wait, std::chrono::duration_cast<milliseconds>(heartbeat_next - now));
            if (outbox && !outbox_busy)
                wait = std::min(wait, std::chrono::duration_cast<milliseconds>(outbox_next - now));
            if (outbox && !outbox_busy && outbox_kick.load()) wait = milliseconds(0);
            wait = std::max(wait, milliseconds(0));
            curl_multi_poll(multi, nullptr, 0, static_cast<int>(wait.count()), nullptr);
        }
        for (auto& [easy, t] : active) {
            curl_multi_remove_handle(multi, easy);
            if (!t->outbox) deliver_cancelled(*t);
        }
        active.clear();
        for (auto& t : delayed) deliver_cancelled(*t);
        delayed.clear();
    }

    void deliver_cancelled(const Transfer& t) {
        api::Response r;
        r.id = t.id;
        r.op = t.req.op;
        r.result = Error{ErrorKind::cancelled, 0, {}, "cancelled"};
        deliver(std::move(r));
    }

    void cancel_now(api::RequestId id) {
        for (auto it = active.begin(); it != active.end(); ++it)
            if (it->second->id == id && !it->second->outbox) {
                curl_multi_remove_handle(multi, it->first);
                deliver_cancelled(*it->second);
                active.erase(it);
                return;
            }
        for (auto it = delayed.begin(); it != delayed.end(); ++it)
            if ((*it)->id == id) {
                deliver_cancelled(**it);
                delayed.erase(it);
                return;
            }
    }
};

// [SECTION] API --------------------------------------------------------------------------------

api::Result<std::unique_ptr<Client>> Client::create(const ClientConfig& config, Outbox* outbox) {
    static std::once_flag curl_once;
    std::call_once(curl_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    auto bad = [](std::string why) {
        logger()->error("client configuration refused: {}", why);
        return Error{ErrorKind::invalid_request, 0, {}, std::move(why)};
    };
    if (!api::valid_id(config.kiosk_id)) return bad("kiosk_id is not a valid id");
    bool https = config.base_url.rfind("https://", 0) == 0;
    if (!https) {
        if (!loopback_http(config.base_url))
            return bad("base_url must be https:// (plain http only to 127.0.0.1)");
        if (!config.insecure_loopback)
            return bad("plain http needs insecure_loopback = true (demo and tests only)");
    }
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!config.ca_file.empty() && !fs::is_regular_file(config.ca_file, ec))
        return bad("ca_file not found: " + config.ca_file);
    if (config.client_cert.empty() != config.client_key.empty())
        return bad("client_cert and client_key go together");
    if (!config.client_cert.empty() && (!fs::is_regular_file(config.client_cert, ec) ||
                                        !fs::is_regular_file(config.client_key, ec)))
        return bad("client certificate or key file not found");
    if (!config.pinned_public_key.empty() && config.pinned_public_key.rfind("sha256//", 0) != 0 &&
        !fs::is_regular_file(config.pinned_public_key, ec))
        return bad("pinned_public_key must be sha256//… or a key file");
    if (config.connect_timeout.count() <= 0 || config.total_timeout.count() <= 0)
        return bad("timeouts must be positive");
    if (config.max_retries < 0 || config.max_retries > 10) return bad("max_retries must be 0..10");

    auto impl = std::make_unique<Impl>();
    impl->cfg = config;
    while (!impl->cfg.base_url.empty() && impl->cfg.base_url.back() == '/')
        impl->cfg.base_url.pop_back();
    impl->outbox = outbox;
    impl->key_prefix = config.kiosk_id + "-";
    if (!config.cache_path.empty()) {
        auto cache = Cache::open(config.cache_path);
        if (!cache.ok()) {
            logger()->warn("offline cache unavailable: {}", cache.error().describe());
        } else {
            impl->cache = std::move(cache.value());
        }
    }
    impl->multi = curl_multi_init();
    if (!impl->multi) return Error{ErrorKind::network, 0, {}, "curl_multi_init failed"};
    curl_multi_setopt(impl->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 4L);
    impl->refresh_outbox_status(true);
    std::unique_ptr<Client> c(new Client(std::move(impl)));
    c->impl_->worker = std::thread([i = c->impl_.get()] { i->run(); });
    if (outbox)
        outbox->set_on_append([i = c->impl_.get()] {
            i->outbox_kick = true;
            curl_multi_wakeup(i->multi);
        });
    logger()->info("hall client for {} started ({})", config.kiosk_id,
                   https ? "https, verified" : "http on loopback");
    return c;
}

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Client::~Client() {
    if (impl_->outbox) impl_->outbox->set_on_append(nullptr);
    impl_->stopping = true;
    curl_multi_wakeup(impl_->multi);
    if (impl_->worker.joinable()) impl_->worker.join();
}

api::RequestId Client::submit(api::Request request) {
    api::RequestId id = impl_->next_id++;
    // Everything that ends up in a header is checked here: no CR/LF can reach the wire.
    if (request.invalid.empty() && !request.idempotency_key.empty() &&
        !api::valid_idempotency_key(request.idempotency_key))
        request.invalid = "idempotency key syntax";
    if (request.invalid.empty() && !request.bearer.empty() &&
        !api::valid_bearer_token(request.bearer))
        request.invalid = "bearer token syntax";
    if (request.invalid.empty() && (request.path.empty() || request.path[0] != '/' ||
                                    request.path.find_first_of(" \r\n\t?#%") != std::string::npos))
        request.invalid = "path syntax";
    if (!request.invalid.empty()) {
        api::Response r;
        r.id = id;
        r.op = request.op;
        r.result = Error{ErrorKind::invalid_request, 0, {}, request.invalid};
        impl_->deliver(std::move(r));
        return id;
    }
    auto t = std::make_unique<Transfer>();
    t->id = id;
    if (request.method == api::Method::post && request.idempotency_key.empty())
        request.idempotency_key = impl_->new_key(id);
    t->req = std::move(request);
    {
        std::lock_guard lock(impl_->in_mutex);
        impl_->incoming.push_back(std::move(t));
    }
    curl_multi_wakeup(impl_->multi);
    return id;
}

void Client::cancel(api::RequestId id) {
    {
        std::lock_guard lock(impl_->in_mutex);
        impl_->cancels.insert(id);
    }
    curl_multi_wakeup(impl_->multi);
}

std::optional<api::Response> Client::poll() {
    std::lock_guard lock(impl_->out_mutex);
    if (impl_->out.empty()) return std::nullopt;
    api::Response r = std::move(impl_->out.front());
    impl_->out.pop_front();
    return r;
}

std::optional<api::Response> Client::wait(api::RequestId id, milliseconds timeout) {
    std::unique_lock lock(impl_->out_mutex);
    std::optional<api::Response> found;
    impl_->out_cv.wait_for(lock, timeout, [&] {
        for (auto it = impl_->out.begin(); it != impl_->out.end(); ++it)
            if (it->id == id) {
                found = std::move(*it);
                impl_->out.erase(it);
                return true;
            }
        return false;
    });
    return found;
}

api::HallStatus Client::status() const {
    std::lock_guard lock(impl_->status_mutex);
    return impl_->st;
}

void Client::kick_outbox() {
    impl_->outbox_kick = true;
    curl_multi_wakeup(impl_->multi);
}

void Client::set_heartbeat(const api::HeartbeatInfo& info) {
    std::lock_guard lock(impl_->heartbeat_mutex);
    impl_->heartbeat_info = info;
}

}  // namespace kiosk::backend
