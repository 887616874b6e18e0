#include "update/updater.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <thread>

#include "core/config.hpp"
#include "core/log.hpp"
#include "update/ddi.hpp"

#include <nlohmann/json.hpp>

namespace kiosk::update {

namespace {
constexpr int kSteps = 5;  // progress: 1 download, 2 verified, 3 installed, 4 switched, 5 healthy

std::int64_t system_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bool valid_token(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f;
    });
}

bool valid_path_part(const std::string& s) {
    return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
}
}  // namespace

std::optional<std::pair<int, int>> parse_window(std::string_view t) {
    if (t.size() != 11 || t[2] != ':' || t[5] != '-' || t[8] != ':') return std::nullopt;
    auto two = [&](std::size_t at, int max) -> int {
        if (t[at] < '0' || t[at] > '9' || t[at + 1] < '0' || t[at + 1] > '9') return -1;
        int v = (t[at] - '0') * 10 + (t[at + 1] - '0');
        return v > max ? -1 : v;
    };
    int h1 = two(0, 23), m1 = two(3, 59), h2 = two(6, 23), m2 = two(9, 59);
    if (h1 < 0 || m1 < 0 || h2 < 0 || m2 < 0) return std::nullopt;
    if (h1 * 60 + m1 == h2 * 60 + m2) return std::nullopt;
    return std::make_pair(h1 * 60 + m1, h2 * 60 + m2);
}

std::optional<std::string> validate(const Options& o) {
    if (o.ddi_url.rfind("https://", 0) != 0 &&
        !(o.test_network && o.ddi_url.rfind("http://", 0) == 0))
        return o.ddi_url.rfind("http://", 0) == 0
                   ? "update.ddi_url must start with https:// (http:// only with "
                     "update.test_network = true, on a test network)"
                   : "update.ddi_url must start with https://";
    if (!valid_path_part(o.tenant)) return "update.tenant must be a short plain name";
    if (!valid_path_part(o.controller_id))
        return "update.controller_id (or kiosk.id) must be a short plain name";
    if (!valid_token(o.token)) return "update.token has spaces or control characters";
    if (o.keys.keys.empty()) return "update.trusted_keys is empty: no bundle could be verified";
    if (o.hw_revision.empty()) return "update.hw_revision is empty";
    if (o.root.empty() || o.root[0] != '/') return "update.root must be an absolute path";
    if (!o.maintenance_window.empty() && !parse_window(o.maintenance_window))
        return "update.maintenance_window must be \"HH:MM-HH:MM\"";
    if (o.health_timeout_seconds < 1 || o.health_boot_attempts < 1)
        return "update health budget must be positive";
    return std::nullopt;
}

std::optional<std::string> options_from_config(const Config& c, Options& o) {
    const auto& u = c.update;
    o.ddi_url = u.ddi_url;
    while (!o.ddi_url.empty() && o.ddi_url.back() == '/') o.ddi_url.pop_back();
    o.tenant = u.tenant;
    o.controller_id = u.controller_id.empty() ? c.kiosk.id : u.controller_id;
    o.token = u.token;
    o.ca_file = u.ca_file;
    o.keys = {};
    for (const auto& k : u.trusted_keys) {
        TrustedKey tk;
        if (auto e = parse_trusted_key(k, tk)) return "update.trusted_keys: " + *e;
        o.keys.keys.push_back(std::move(tk));
    }
    o.keys.retired = u.retired_keys;
    o.hw_revision = u.hw_revision;
    o.root = u.root;
    o.maintenance_window = u.maintenance_window;
    o.health_timeout_seconds = u.health_timeout_seconds;
    o.health_boot_attempts = u.health_boot_attempts;
    o.max_bundle_bytes = static_cast<std::uint64_t>(u.max_bundle_mb) * 1024 * 1024;
    o.test_network = u.test_network;
    return validate(o);
}

// [SECTION] the state machine ------------------------------------------------------------------

namespace {
ddi::HttpOptions http_options(const Options& o) {
    ddi::HttpOptions h;
    h.token = o.token;
    h.origin = ddi::Http::origin_of(o.ddi_url);
    h.ca_file = o.ca_file;
    h.allow_http = o.test_network;
    return h;
}
}  // namespace

struct Updater::Impl {
    Options o;
    std::string base;
    ddi::Http http;
    std::shared_ptr<spdlog::logger> log = kiosk::log::get("update");
    std::atomic<bool> halted{false};
    bool config_sent = false;
    std::string last_refusal;
    std::mutex m;
    std::condition_variable cv;
    bool stopping = false;
    std::thread thread;

    explicit Impl(Options opts)
        : o(std::move(opts)),
          base(o.ddi_url + "/" + o.tenant + "/controller/v1/" + o.controller_id),
          http(http_options(o)) {
        if (!o.now) o.now = system_now;
        if (!o.can_apply) o.can_apply = [] { return true; };
        if (!o.request_restart) o.request_restart = [] {};
        if (!o.sleep)
            o.sleep = [this](std::chrono::milliseconds d) {
                std::unique_lock lock(m);
                cv.wait_for(lock, d, [this] { return stopping; });
            };
    }

    std::string download_dir() const { return o.root + "/update-download"; }
    std::string part_path(const std::string& action) const {
        return download_dir() + "/" + action + ".bundle.part";
    }

    // Read-modify-write of the persisted state under the lock. Returns false on an I/O error
    // or when the kill point fires (halted).
    bool persist(State& s, const std::function<void(State&)>& change) {
        StateLock lock(o.root);
        if (!lock.ok()) {
            log->error("cannot lock the update state in {}", o.root);
            return false;
        }
        State cur;
        load_state(o.root, cur);
        change(cur);
        if (!save_state(o.root, cur)) {
            log->error("cannot write the update state in {}", o.root);
            return false;
        }
        s = cur;
        if (o.halt_after && *o.halt_after == cur.phase) {
            halted = true;
            log->warn("halted after persisting '{}' (test kill point)", phase_name(cur.phase));
            return false;
        }
        return true;
    }

    State load() const {
        StateLock lock(o.root);
        State s;
        std::string warning;
        load_state(o.root, s, &warning);
        if (!warning.empty()) log->error("{}", warning);
        return s;
    }

    std::chrono::milliseconds backoff_for(int attempt, std::chrono::seconds retry_after) const {
        if (retry_after.count() >= 0)
            return std::chrono::milliseconds(std::min(retry_after, o.retry_after_max));
        auto d = o.backoff_base * (1LL << std::min(attempt, 16));
        return std::min<std::chrono::milliseconds>(d, o.backoff_max);
    }

    static bool retryable(long status) { return status == 0 || status == 429 || status >= 500; }

    ddi::Response call(const std::string& method, const std::string& url, const std::string* body) {
        ddi::Response r;
        for (int attempt = 0; attempt < o.max_attempts_per_request; ++attempt) {
            r = body ? http.send_json(method, url, *body) : http.get(url);
            if (!retryable(r.status)) return r;
            if (stopping_now() || attempt + 1 == o.max_attempts_per_request) return r;
            auto d = backoff_for(attempt, r.retry_after);
            log->warn("{} {}: {} {}; retrying in {} ms", method, strip_query(url), r.status,
                      r.error, d.count());
            o.sleep(d);
        }
        return r;
    }

    bool stopping_now() {
        std::lock_guard lock(m);
        return stopping;
    }

    static std::string strip_query(const std::string& url) {
        auto q = url.find('?');
        return q == std::string::npos ? url : url.substr(0, q);
    }

    std::int64_t now_ms() const { return o.now() * 1000; }

    // Sends one feedback. Returns the HTTP status (410: the action is gone).
    long feedback(const std::string& action, bool cancel, const std::string& execution,
                  const std::string& finished, const std::vector<std::string>& details,
                  int cnt = -1) {
        const std::string url =
            base + (cancel ? "/cancelAction/" : "/deploymentBase/") + action + "/feedback";
        std::string body =
            ddi::feedback_json(now_ms(), execution, finished, details, cnt, cnt >= 0 ? kSteps : -1);
        auto r = call("POST", url, &body);
        if (r.status != 200 && r.status != 201 && r.status != 204)
            log->warn("feedback {} for action {}: HTTP {} {}", execution, action, r.status,
                      r.error);
        return r.status;
    }

    // Progress feedback is best effort; a 410 means the server dropped the action.
    bool progress(State& s, const std::string& execution, int cnt, const std::string& what) {
        long st = feedback(s.action_id, false, execution, "none", {what}, cnt);
        if (st == 410) {
            log->info("action {} is no longer active (410); abandoning it", s.action_id);
            abandon(s);
            return false;
        }
        return true;
    }

    // Drops unfinished work for the current action (cancel, 410, superseded).
    void abandon(State& s) {
        ::unlink(part_path(s.action_id).c_str());
        if (s.phase == Phase::installed || s.phase == Phase::verified ||
            s.phase == Phase::downloading) {
            if (!s.target_slot.empty() && s.phase == Phase::installed)
                remove_tree(slot_dir(o.root, s.target_slot));
            persist(s, [](State& c) {
                c.phase = Phase::idle;
                c.target_slot.clear();
            });
        }
    }

    // Ends an action with a result to report (persisted first, then sent).
    void finish(State& s, bool cancel, const std::string& execution, const std::string& finished,
                std::vector<std::string> details) {
        ::unlink(part_path(s.action_id).c_str());
        const std::string action = s.action_id;
        persist(s, [&](State& c) {
            if (!cancel) {
                // The action ends here: remember it, so the same action is not started again.
                if (c.action_id == action &&
                    (c.phase == Phase::downloading || c.phase == Phase::verified ||
                     c.phase == Phase::installed))
                    c.phase = Phase::idle;
                if (c.phase == Phase::idle) c.action_id = action;
            }
            c.pending = Pending{action, cancel, execution, finished, details};
        });
        if (!halted) send_pending(s);
    }

    void send_pending(State& s) {
        if (!s.pending) return;
        const Pending p = *s.pending;
        long st = feedback(p.action_id, p.cancel, p.execution, p.finished, p.details,
                           p.finished == "success" && !p.cancel ? kSteps : -1);
        if (st == 200 || st == 201 || st == 204 || st == 410 || st == 404) {
            if (st != 200 && st != 201 && st != 204)
                log->info("action {} no longer active ({}); result dropped", p.action_id, st);
            else
                log->info("reported {}/{} for action {}", p.execution, p.finished, p.action_id);
            persist(s, [&](State& c) {
                if (c.pending && c.pending->action_id == p.action_id &&
                    c.pending->execution == p.execution && c.pending->cancel == p.cancel)
                    c.pending.reset();
                if (c.phase == Phase::committed || c.phase == Phase::rolled_back)
                    c.phase = Phase::idle;
            });
        }
    }

    bool window_open() const {
        if (o.maintenance_window.empty()) return true;
        auto w = parse_window(o.maintenance_window);
        if (!w) return false;
        std::time_t t = static_cast<std::time_t>(o.now());
        std::tm tm{};
        localtime_r(&t, &tm);
        int m = tm.tm_hour * 60 + tm.tm_min;
        return w->first < w->second ? (m >= w->first && m < w->second)
                                    : (m >= w->first || m < w->second);
    }

    Policy policy(const State& s) const {
        Policy p;
        p.keys = o.keys;
        p.product = o.product;
        p.hw_revision = o.hw_revision;
        p.now_epoch = o.now();
        p.installed_counter = s.installed_counter;
        p.max_payload = o.max_bundle_bytes;
        return p;
    }

    // [SECTION] download ---------------------------------------------------------------------

    enum class Dl { done, refused, transient, halted };

    Dl download(State& s, Verdict& verdict) {
        ::mkdir(download_dir().c_str(), 0755);
        const std::string part = part_path(s.action_id);
        const std::uint64_t limit = std::min(s.artifact_size, o.max_bundle_bytes);
        for (int attempt = 0; attempt < o.max_attempts_per_request; ++attempt) {
            int fd = ::open(part.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
            if (fd < 0) {
                verdict = {Refusal::io, "cannot open the download file"};
                return Dl::transient;
            }
            struct stat st {};
            ::fstat(fd, &st);
            std::uint64_t have = static_cast<std::uint64_t>(st.st_size);
            if (have > limit) {
                (void)::ftruncate(fd, 0);
                have = 0;
            }
            ::lseek(fd, static_cast<off_t>(have), SEEK_SET);
            bool head_checked = false;
            std::uint64_t bundle_limit = limit;
            auto check_head = [&]() -> bool {
                // Verify the signed manifest as soon as it is on disk: a refused bundle stops the
                // download before its payload is fetched.
                unsigned char h[kHeaderSize];
                if (have < kHeaderSize) return true;
                if (::pread(fd, h, kHeaderSize, 0) != static_cast<ssize_t>(kHeaderSize))
                    return true;
                std::size_t mlen = 0;
                if (auto e = parse_header(h, mlen)) {
                    verdict = {Refusal::malformed, *e};
                    return false;
                }
                if (have < header_total(mlen)) return true;
                std::string mbytes(mlen, '\0');
                unsigned char sig[kSignatureSize];
                if (::pread(fd, mbytes.data(), mlen, kHeaderSize) != static_cast<ssize_t>(mlen) ||
                    ::pread(fd, sig, kSignatureSize, static_cast<off_t>(kHeaderSize + mlen)) !=
                        static_cast<ssize_t>(kSignatureSize))
                    return true;
                Manifest m;
                verdict = verify_manifest(mbytes, sig, policy(s), m);
                if (!verdict.ok()) return false;
                head_checked = true;
                bundle_limit = std::min<std::uint64_t>(limit, header_total(mlen) + m.payload_size);
                if (have > bundle_limit) {
                    verdict = {Refusal::too_large, "more data than the manifest declares"};
                    return false;
                }
                return true;
            };
            if (!check_head()) {
                ::close(fd);
                return Dl::refused;
            }
            if (have == limit) {
                ::close(fd);
                return Dl::done;
            }
            bool restarted = false, write_failed = false;
            const std::uint64_t start = have;
            auto sink = [&](const char* p, std::size_t n, long status) -> bool {
                if (status == 200 && start > 0 && !restarted) {
                    // The server ignored the range: start over.
                    restarted = true;
                    (void)::ftruncate(fd, 0);
                    ::lseek(fd, 0, SEEK_SET);
                    have = 0;
                    head_checked = false;
                }
                if (have + n > bundle_limit) {
                    verdict = {Refusal::too_large, "the server sent more than the declared " +
                                                       std::to_string(bundle_limit) + " bytes"};
                    return false;
                }
                while (n > 0) {
                    ssize_t w = ::write(fd, p, n);
                    if (w < 0 && errno == EINTR) continue;
                    if (w <= 0) {
                        write_failed = true;
                        verdict = {Refusal::io, "cannot write the download file"};
                        return false;
                    }
                    p += w;
                    n -= static_cast<std::size_t>(w);
                    have += static_cast<std::uint64_t>(w);
                }
                if (!head_checked) return check_head();
                return true;
            };
            auto r = http.download(s.artifact_url, start, sink);
            ::fsync(fd);
            ::close(fd);
            if (r.status == -1) {
                if (write_failed) return Dl::transient;
                return Dl::refused;
            }
            if ((r.status == 200 || r.status == 206) &&
                (have == limit || (head_checked && have == bundle_limit)))
                return Dl::done;
            if (r.status == 200 || r.status == 206) {
                log->warn("download of action {} ended at {} of {} bytes", s.action_id, have,
                          limit);
            } else if (r.status == 416) {
                log->warn("download of action {}: range refused (416); starting over", s.action_id);
                ::unlink(part.c_str());
            } else if (r.status == 404 || r.status == 410) {
                verdict = {Refusal::io,
                           "artifact not found on the server (" + std::to_string(r.status) + ")"};
                return Dl::refused;
            } else if (!retryable(r.status)) {
                verdict = {Refusal::io, "download answered HTTP " + std::to_string(r.status)};
                return Dl::transient;
            }
            if (stopping_now()) return Dl::transient;
            auto d = r.status == 0 || r.status == 200 || r.status == 206
                         ? std::chrono::milliseconds(0)
                         : backoff_for(attempt, r.retry_after);
            if (r.status == 0 && attempt > 0) d = backoff_for(attempt - 1, r.retry_after);
            log->info("download of action {}: HTTP {} {}; resuming at byte {} in {} ms",
                      s.action_id, r.status, r.error, have, d.count());
            if (d.count() > 0) o.sleep(d);
        }
        verdict = {Refusal::io, "download did not complete in this cycle"};
        return Dl::transient;
    }

    // [SECTION] one cycle ---------------------------------------------------------------------

    Cycle run_once() {
        Cycle c;
        if (halted) {
            c.halted = true;
            return c;
        }
        State s = load();
        if (s.pending) send_pending(s);
        if (halted) return halt(c);
        if (s.pending) return c;  // the server must hear the last result before anything else
        if (s.phase != Phase::downloading && s.phase != Phase::verified)
            remove_tree(download_dir());  // leftovers of an action that ended or was cut off

        std::int64_t trial_left = -1;
        if (s.phase == Phase::switched) {
            // On trial: wait for report_healthy() (the app) within the time budget.
            const std::int64_t deadline = s.trial_started + o.health_timeout_seconds;
            if (o.now() >= deadline) {
                log->error("version {} did not report healthy within {} s: rolling back", s.version,
                           o.health_timeout_seconds);
                std::string reason = "version " + s.version + " not healthy within " +
                                     std::to_string(o.health_timeout_seconds) + " s";
                bool ok = persist(s, [&](State& cur) {
                    if (cur.phase == Phase::switched) rollback(o.root, cur, reason);
                });
                if (halted) return halt(c);
                if (ok) {
                    send_pending(s);
                    o.request_restart();
                }
                return c;
            }
            trial_left = std::max<std::int64_t>(1, deadline - o.now());
        }

        auto r = call("GET", base, nullptr);
        if (r.status != 200) {
            log->warn("poll: HTTP {} {}", r.status, r.error);
            return c;
        }
        ddi::PollReply poll;
        if (auto e = ddi::parse_poll(r.body, poll)) {
            log->warn("poll: {}", *e);
            return c;
        }
        c.next_poll = poll.sleep;
        if (trial_left > 0) c.next_poll = std::min(c.next_poll, std::chrono::seconds(trial_left));
        if (!poll.config_data_href.empty() && !config_sent) send_config();

        if (!poll.cancel_href.empty()) {
            handle_cancel(s, poll.cancel_href);
        } else if (trial_left > 0) {
            // On trial: no new deployment until this one is committed or rolled back.
        } else if (!poll.deployment_href.empty()) {
            handle_deployment(s, poll.deployment_href);
        } else if (s.phase == Phase::downloading || s.phase == Phase::verified ||
                   s.phase == Phase::installed) {
            log->info("action {} is no longer offered; dropping its download", s.action_id);
            abandon(s);
        }
        if (halted) return halt(c);
        return c;
    }

    Cycle halt(Cycle c) {
        c.halted = true;
        return c;
    }

    void send_config() {
        const std::string body =
            nlohmann::json{{"mode", "merge"},
                           {"data", {{"hwRevision", o.hw_revision}, {"product", o.product}}}}
                .dump();
        auto r = call("PUT", base + "/configData", &body);
        if (r.status == 200 || r.status == 201 || r.status == 204) config_sent = true;
    }

    void handle_cancel(State& s, const std::string& href) {
        auto r = call("GET", href, nullptr);
        if (r.status != 200) return;
        std::string stop;
        if (auto e = ddi::parse_cancel(r.body, stop)) {
            log->warn("cancelAction: {}", *e);
            return;
        }
        // The cancel action's own id is the last path segment of its href.
        std::string path = strip_query(href);
        std::string cancel_id = path.substr(path.rfind('/') + 1);
        if (cancel_id.empty()) cancel_id = stop;
        const bool ours = s.action_id == stop;
        const bool installing =
            ours && (s.phase == Phase::switched || s.phase == Phase::committed ||
                     s.phase == Phase::rolled_back);
        State tmp = s;
        if (installing) {
            log->info("cancel of action {} refused: already switched", stop);
            tmp.action_id = cancel_id;
            finish(tmp, true, "rejected", "none", {"update already switched; cannot cancel"});
            return;
        }
        if (ours && s.phase != Phase::idle) {
            log->info("action {} canceled by the server", stop);
            abandon(s);
        }
        tmp = s;
        tmp.action_id = cancel_id;
        finish(tmp, true, "closed", "success", {"canceled"});
        s = load();
    }

    void handle_deployment(State& s, const std::string& href) {
        auto r = call("GET", href, nullptr);
        if (r.status != 200) {
            log->warn("deploymentBase: HTTP {} {}", r.status, r.error);
            return;
        }
        ddi::Deployment d;
        if (auto e = ddi::parse_deployment(r.body, d)) {
            log->warn("deploymentBase: {}", *e);
            // A deployment we cannot use is refused with a reason, once.
            std::string id;
            auto p = strip_query(href);
            id = p.substr(p.rfind('/') + 1);
            if (!id.empty() && id.size() <= 64 && s.action_id != id) {
                State tmp = s;
                tmp.action_id = id;
                finish(tmp, false, "closed", "failure", {"deployment not usable: " + *e});
            }
            return;
        }
        if (s.pending && s.pending->action_id == d.action_id) return;  // still to be reported
        if (s.phase == Phase::committed || s.phase == Phase::rolled_back) return;  // reporting
        if (s.action_id == d.action_id && s.phase == Phase::idle) {
            // This action already ended here (its result was reported): nothing to do.
            return;
        }
        if (s.action_id != d.action_id && s.phase != Phase::idle) {
            log->info("action {} supersedes action {}", d.action_id, s.action_id);
            abandon(s);
        }
        const std::string url = pick_url(d);
        if (s.phase == Phase::idle) {
            if (d.download == ddi::Mode::skip) {
                log->info("action {}: download skip; waiting", d.action_id);
                return;
            }
            if (d.size > o.max_bundle_bytes || d.size < header_total(1)) {
                s.action_id = d.action_id;
                last_refusal = refusal_name(Refusal::too_large);
                finish(s, false, "closed", "failure",
                       {std::string("refused: ") + refusal_name(Refusal::too_large),
                        "declared artifact size " + std::to_string(d.size) +
                            " bytes is outside the limit"});
                return;
            }
            if (url.empty()) {
                s.action_id = d.action_id;
                finish(s, false, "closed", "failure", {"no download link for this transport"});
                return;
            }
            if (!persist(s, [&](State& c) {
                    c.phase = Phase::downloading;
                    c.action_id = d.action_id;
                    c.artifact_url = url;
                    c.artifact_name = d.filename;
                    c.artifact_size = d.size;
                    c.artifact_sha256 = d.sha256;
                    c.update_mode = ddi::mode_name(d.update);
                    c.maintenance = d.maintenance;
                    c.downloaded_reported = false;
                    c.target_slot.clear();
                    c.version = d.version;
                }))
                return;
            if (!progress(s, "proceeding", 1, "downloading " + d.filename)) return;
        } else if (s.update_mode != ddi::mode_name(d.update) || s.maintenance != d.maintenance) {
            if (!persist(s, [&](State& c) {
                    c.update_mode = ddi::mode_name(d.update);
                    c.maintenance = d.maintenance;
                }))
                return;
        }

        if (s.phase == Phase::downloading) {
            Verdict v;
            Dl res = download(s, v);
            if (halted) return;
            if (res == Dl::transient) {
                log->warn("action {}: download incomplete ({}); will resume", s.action_id,
                          v.detail);
                return;
            }
            if (res == Dl::done && !s.artifact_sha256.empty()) {
                // The server's hash protects the transport only (a resumed download stitched
                // from two different files, a corrupted byte): on a mismatch fetch it again.
                auto got = sha256_file(part_path(s.action_id), 0, s.artifact_size);
                if (got && *got != s.artifact_sha256) {
                    log->warn(
                        "action {}: download does not match the server's sha256; fetching "
                        "it again",
                        s.action_id);
                    ::unlink(part_path(s.action_id).c_str());
                    return;
                }
            }
            if (res == Dl::done) {
                Manifest m;
                v = verify_bundle(part_path(s.action_id), policy(s), m);
                if (v.ok()) {
                    if (!persist(s, [&](State& c) {
                            c.phase = Phase::verified;
                            c.version = m.version;
                            c.counter = m.counter;
                        }))
                        return;
                    log->info("action {}: bundle {} (counter {}) verified", s.action_id, m.version,
                              m.counter);
                }
            }
            if (!v.ok()) {
                refused(s, v);
                return;
            }
        }
        if (s.phase == Phase::verified && !s.downloaded_reported) {
            long st = feedback(s.action_id, false, "downloaded", "none",
                               {"bundle " + s.version + " downloaded and verified"}, 2);
            if (st == 410) {
                abandon(s);
                return;
            }
            persist(s, [](State& c) { c.downloaded_reported = true; });
            if (halted) return;
        }
        if (d.update == ddi::Mode::skip) {
            log->info("action {}: update skip (download only)", s.action_id);
            return;
        }
        if (d.maintenance == "unavailable") {
            log->info("action {}: maintenance window unavailable; postponed", s.action_id);
            return;
        }
        if (!window_open()) {
            log->info("action {}: outside the local maintenance window; postponed", s.action_id);
            return;
        }
        if (s.phase == Phase::verified) {
            if (!install(s)) return;
        }
        if (s.phase == Phase::installed) {
            if (!o.can_apply()) {
                log->info("action {}: a citizen is being served; switching later", s.action_id);
                return;
            }
            switch_slot(s);
        }
    }

    std::string pick_url(const ddi::Deployment& d) const {
        const bool https = o.ddi_url.rfind("https://", 0) == 0;
        if (https) return d.href_https.rfind("https://", 0) == 0 ? d.href_https : std::string{};
        if (!d.href_http.empty()) return d.href_http;
        return d.href_https;
    }

    void refused(State& s, const Verdict& v) {
        last_refusal = refusal_name(v.refusal);
        if (v.refusal == Refusal::same_version) {
            log->info("action {}: {} (nothing to do)", s.action_id, v.detail);
            finish(s, false, "closed", "success", {"already installed: " + v.detail});
            return;
        }
        log->error("action {}: bundle refused: {} ({})", s.action_id, refusal_name(v.refusal),
                   v.detail);
        finish(s, false, "closed", "failure",
               {std::string("refused: ") + refusal_name(v.refusal), v.detail});
    }

    bool install(State& s) {
        const std::string active = active_slot(o.root);
        const std::string target = active.empty() ? "a" : other_slot(active);
        const std::string dir = slot_dir(o.root, target);
        const std::string staging = dir + ".new";
        ::mkdir((o.root + "/slots").c_str(), 0755);
        remove_tree(staging);
        // Verified again right before extraction: the file may have sat on disk across a
        // restart since it was verified.
        Manifest m;
        Verdict v = verify_bundle(part_path(s.action_id), policy(s), m);
        if (v.ok() && m.counter != s.counter)
            v = {Refusal::bad_hash, "the bundle on disk is not the one verified"};
        if (v.ok()) v = extract_payload(part_path(s.action_id), staging);
        if (!v.ok()) {
            remove_tree(staging);
            refused(s, v);
            return false;
        }
        if (!fsync_dir(staging) || !remove_tree(dir) ||
            ::rename(staging.c_str(), dir.c_str()) != 0 || !fsync_dir(o.root + "/slots")) {
            log->error("action {}: cannot install into slot {}", s.action_id, target);
            return false;  // retried next cycle (every step is idempotent)
        }
        if (!persist(s, [&](State& c) {
                c.phase = Phase::installed;
                c.target_slot = target;
                c.previous_slot = active;
            }))
            return false;
        ::unlink(part_path(s.action_id).c_str());
        log->info("action {}: version {} installed into slot {}", s.action_id, s.version, target);
        return progress(s, "proceeding", 3, "installed into slot " + target);
    }

    void switch_slot(State& s) {
        if (!persist(s, [&](State& c) {
                c.phase = Phase::switched;
                c.attempts = 0;
                c.max_attempts = o.health_boot_attempts;
                c.trial_started = o.now();
            }))
            return;
        if (!switch_current(o.root, s.target_slot)) {
            // kiosk-launch completes the switch from the state on the next start.
            log->error("action {}: cannot switch the current slot now", s.action_id);
        }
        log->info("action {}: switched to slot {}; restarting for the trial", s.action_id,
                  s.target_slot);
        progress(s, "proceeding", 4, "switched to slot " + s.target_slot + ", restarting");
        o.request_restart();
    }
};

Updater::Updater(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Updater::~Updater() {
    stop();
}

Cycle Updater::run_once() {
    return impl_->run_once();
}

void Updater::start() {
    if (impl_->thread.joinable()) return;
    {
        std::lock_guard lock(impl_->m);
        impl_->stopping = false;
    }
    impl_->thread = std::thread([this] {
        while (true) {
            Cycle c = impl_->run_once();
            if (c.halted) return;
            std::unique_lock lock(impl_->m);
            if (impl_->cv.wait_for(lock, c.next_poll, [this] { return impl_->stopping; })) return;
        }
    });
}

void Updater::stop() {
    {
        std::lock_guard lock(impl_->m);
        impl_->stopping = true;
    }
    impl_->cv.notify_all();
    if (impl_->thread.joinable()) impl_->thread.join();
}

bool Updater::halted() const {
    return impl_->halted;
}
State Updater::state() const {
    return impl_->load();
}
std::string Updater::base() const {
    return impl_->base;
}
std::string Updater::last_refusal() const {
    return impl_->last_refusal;
}

}  // namespace kiosk::update
