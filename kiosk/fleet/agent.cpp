// The fleet agent; see agent.hpp for the contract and docs/fleet.md for the wire format.
//
// Why a fresh mosquitto object per connection: libmosquitto keeps unacknowledged QoS 1 messages
// in memory and resends them after a reconnect, which would duplicate (and reorder) what the
// journal re-publishes. With a new object per connection the journal is the only queue: on each
// CONNACK every unacknowledged row is published again, oldest first.
//
// Why mosquitto_connect_bind_v5 (blocking) for every attempt: libmosquitto 2.0 applies CONNECT
// properties only to that call, and the session expiry interval is what makes the broker honour
// the will delay. The wait is a TCP connect; stop() may wait for one attempt to end.
#include "fleet/agent.hpp"

#include "base/clock.hpp"

#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "base/trusted_key.hpp"
#include "core/log.hpp"
#include "core/paths.hpp"
#include "core/pii.hpp"
#include "fleet/journal.hpp"

namespace kiosk::fleet {

namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

auto logger() {
    static auto log = kiosk::log::get("fleet");
    return log;
}

constexpr std::size_t kWindow = 16;                      // unacknowledged publishes at a time
constexpr std::size_t kMaxFileBytes = 16 * 1024 * 1024;  // screenshots and logs
constexpr std::size_t kMaxDetailsBytes = 64 * 1024;
constexpr int kSessionExpirySeconds = 86400;  // commands queued by the broker while we are away

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string iso_ms(std::int64_t ms) {
    std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[64];
    std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
    return out;
}

bool valid_event_type(std::string_view t) {
    if (t.empty() || t.size() > 64) return false;
    for (char c : t)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.'))
            return false;
    return true;
}

struct BrokerUrl {
    std::string host;
    int port = 0;
    bool tls = false;
};

std::optional<BrokerUrl> parse_broker(const std::string& url, std::string* err) {
    BrokerUrl b;
    std::string rest;
    if (url.starts_with("mqtt://")) {
        rest = url.substr(7);
        b.port = 1883;
    } else if (url.starts_with("mqtts://")) {
        rest = url.substr(8);
        b.port = 8883;
        b.tls = true;
    } else {
        *err = "fleet broker '" + url + "' must start with mqtt:// or mqtts://";
        return std::nullopt;
    }
    if (!rest.empty() && rest.back() == '/') rest.pop_back();
    std::string port;
    if (rest.starts_with("[")) {  // [v6 address]:port
        auto close = rest.find(']');
        if (close == std::string::npos) {
            *err = "fleet broker '" + url + "': unterminated [address]";
            return std::nullopt;
        }
        b.host = rest.substr(1, close - 1);
        if (close + 1 < rest.size()) {
            if (rest[close + 1] != ':') {
                *err = "fleet broker '" + url + "': expected :port after ]";
                return std::nullopt;
            }
            port = rest.substr(close + 2);
        }
    } else {
        auto colon = rest.rfind(':');
        b.host = rest.substr(0, colon);
        if (colon != std::string::npos) port = rest.substr(colon + 1);
    }
    if (b.host.empty() || b.host.find_first_of("/?#@ ") != std::string::npos) {
        *err = "fleet broker '" + url + "': bad host";
        return std::nullopt;
    }
    if (!port.empty() || rest.ends_with(":")) {
        int p = 0;
        for (char c : port) {
            if (c < '0' || c > '9' || p > 65535) {
                p = -1;
                break;
            }
            p = p * 10 + (c - '0');
        }
        if (port.empty() || p < 1 || p > 65535) {
            *err = "fleet broker '" + url + "': bad port";
            return std::nullopt;
        }
        b.port = p;
    }
    return b;
}

}  // namespace

FleetConfig fleet_config_from(const Config& config) {
    FleetConfig f;
    f.broker = config.fleet.broker;
    f.fleet = config.fleet.name;
    f.kiosk_id = config.kiosk.id;
    f.heartbeat_seconds = config.fleet.heartbeat_seconds;
    f.will_delay_seconds = config.fleet.will_delay_seconds;
    for (const auto& k : config.fleet.operator_keys)
        f.operator_keys.push_back({k.id, k.public_key});
    f.state_dir = resolve_state_dir(config);
    f.ca_file = config.fleet.ca_file;
    f.client_cert = config.fleet.client_cert;
    f.client_key = config.fleet.client_key;
    f.username = config.fleet.username;
    f.password = config.fleet.password;
    f.buffer_max_rows = config.fleet.buffer_max_rows;
    return f;
}

struct Agent::Impl {
    FleetConfig cfg;
    BrokerUrl url;
    std::string prefix;  // kiosk/{fleet}/{id}/
    std::unique_ptr<Journal> journal;
    std::string boot_id;
    Clock::time_point started;

    std::thread thread;
    std::atomic<bool> stopping{false};
    std::atomic<bool> connected{false};
    int wake_fd = -1;

    // Agent thread only.
    mosquitto* mosq = nullptr;
    bool session_up = false;
    std::map<int, std::int64_t> inflight;  // mid → journal seq
    std::int64_t last_sent = 0;
    int backoff_ms = 100;
    Clock::time_point next_connect{}, next_heartbeat{};
    int status_mid = -1;
    bool status_acked = false;

    // Shared with the application's threads.
    mutable std::mutex mu;
    std::function<Snapshot()> provider;
    std::deque<Command> queue;  // accepted, not yet handed to the application
    struct Outstanding {
        Command cmd;
        bool handed_out = false;
        bool deferred_sent = false;
        std::optional<json> file;
    };
    std::map<std::string, Outstanding> outstanding;
    std::string last_error;

    std::string topic(std::string_view suffix) const { return prefix + std::string(suffix); }

    void wake() {
        if (wake_fd < 0) return;
        std::uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(wake_fd, &one, sizeof one);
    }

    void set_error(std::string e) {
        std::lock_guard lock(mu);
        if (e != last_error) logger()->warn("{}", e);
        last_error = std::move(e);
    }

    bool add_row(std::string_view kind, std::string_view topic_suffix, std::string_view body) {
        std::string err;
        auto seq = journal->add(kind, topic_suffix, body, now_ms(), &err);
        if (!seq) {
            set_error(err);
            return false;
        }
        wake();
        return true;
    }

    void answer(const std::string& id, json body) {
        body["id"] = id.empty() ? json(nullptr) : json(id);
        body["kiosk"] = cfg.kiosk_id;
        add_row("resp", "cmd/resp", body.dump());
    }

    void reject(const std::string& id, Reject why, const std::string& message) {
        logger()->warn("command {} rejected: {} ({})", id.empty() ? "?" : id, reject_name(why),
                       message);
        answer(id, {{"state", "rejected"},
                    {"ok", false},
                    {"reason", reject_name(why)},
                    {"message", message}});
    }

    // [SECTION] Commands (agent thread, from on_message)
    void handle_command(std::string_view payload) {
        VerifyContext ctx;
        ctx.kiosk_id = cfg.kiosk_id;
        ctx.keys = cfg.operator_keys;
        ctx.now = now_ms() / 1000;
        Verdict v = verify_command(payload, ctx);
        if (!v.command) {
            reject(v.id, v.reason, v.message);
            return;
        }
        auto fresh = journal->remember_command(v.id, v.command->expires_at, ctx.now);
        if (!fresh) {
            reject(v.id, Reject::Malformed, "cannot record the command id (storage error)");
            return;
        }
        if (!*fresh) {
            reject(v.id, Reject::Replayed, "this command id was already received");
            return;
        }
        logger()->info("command {} ({}) accepted, signed by '{}'", v.id, v.command->type_name,
                       v.command->key_id);
        std::lock_guard lock(mu);
        outstanding[v.id] = Outstanding{*v.command, false, false, std::nullopt};
        queue.push_back(std::move(*v.command));
    }

    // [SECTION] Telemetry (agent thread)
    void heartbeat() {
        std::function<Snapshot()> p;
        {
            std::lock_guard lock(mu);
            p = provider;
        }
        Snapshot s = p ? p() : Snapshot{};
        if (s.uptime_s < 0)
            s.uptime_s =
                std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count();
        if (s.disk_free_mb < 0) {
            struct statvfs vfs {};
            if (statvfs(cfg.state_dir.c_str(), &vfs) == 0)
                s.disk_free_mb = static_cast<std::int64_t>(vfs.f_bavail * vfs.f_frsize / 1048576);
        }
        json devices = json::array();
        for (const auto& d : s.devices) devices.push_back({{"name", d.name}, {"status", d.status}});
        json body = {
            {"version", s.version.empty() ? cfg.version : s.version},
            {"state", s.state},
            {"uptime_s", s.uptime_s},
            {"devices", devices},
            {"paper", s.paper},
            {"lockers",
             {{"free", s.lockers_free},
              {"occupied", s.lockers_occupied},
              {"faulty", s.lockers_faulty},
              {"overdue", s.lockers_overdue}}},
            {"disk_free_mb", s.disk_free_mb},
            {"outbox_depth", s.outbox_depth},
            {"buffered", journal->count()},
        };
        add_row("telemetry", "telemetry",
                body.dump(-1, ' ', false, json::error_handler_t::replace));
    }

    std::string compose(const JournalRow& row) const {
        if (row.kind != "event" && row.kind != "telemetry") return row.body;
        json j = json::parse(row.body, nullptr, false);
        if (!j.is_object()) return row.body;
        j["seq"] = row.seq;
        j["ts"] = iso_ms(row.created_ms);
        j["ts_ms"] = row.created_ms;
        return j.dump();
    }

    // [SECTION] Connection (agent thread)
    static void on_connect(mosquitto* m, void* obj, int rc, int /*flags*/,
                           const mosquitto_property* /*props*/) {
        auto* self = static_cast<Impl*>(obj);
        if (rc != 0) {
            self->set_error(std::string("broker refused the connection: ") +
                            mosquitto_reason_string(rc));
            mosquitto_disconnect(m);
            return;
        }
        self->session_up = true;
        self->connected = true;
        self->backoff_ms = 100;
        {
            std::lock_guard lock(self->mu);
            self->last_error.clear();
        }
        logger()->info("connected to {}:{}", self->url.host, self->url.port);
        const std::string online = json{
            {"online", true},
            {"version", self->cfg.version},
            {"boot_id", self->boot_id}}.dump();
        mosquitto_publish_v5(m, nullptr, self->topic("status").c_str(),
                             static_cast<int>(online.size()), online.data(), 1, true, nullptr);
        mosquitto_subscribe_v5(m, nullptr, self->topic("cmd").c_str(), 1, 0, nullptr);
    }

    static void on_disconnect(mosquitto* /*m*/, void* obj, int rc,
                              const mosquitto_property* /*props*/) {
        auto* self = static_cast<Impl*>(obj);
        self->session_up = false;
        self->connected = false;
        if (!self->stopping)
            self->set_error(std::string("connection lost: ") + mosquitto_strerror(rc));
    }

    static void on_publish(mosquitto* /*m*/, void* obj, int mid, int reason,
                           const mosquitto_property* /*props*/) {
        auto* self = static_cast<Impl*>(obj);
        if (mid == self->status_mid) self->status_acked = true;
        auto it = self->inflight.find(mid);
        if (it == self->inflight.end()) return;
        if (reason >= 0x80)
            logger()->warn("broker refused message {}: {} (dropped)", it->second,
                           mosquitto_reason_string(reason));
        self->journal->remove(it->second);
        self->inflight.erase(it);
    }

    static void on_message(mosquitto* /*m*/, void* obj, const mosquitto_message* msg,
                           const mosquitto_property* /*props*/) {
        auto* self = static_cast<Impl*>(obj);
        if (!msg->topic || self->topic("cmd") != msg->topic) return;
        self->handle_command(std::string_view(static_cast<const char*>(msg->payload),
                                              static_cast<std::size_t>(msg->payloadlen)));
    }

    bool connect_once() {
        const std::string client_id = "kiosk-" + cfg.fleet + "-" + cfg.kiosk_id;
        mosq = mosquitto_new(client_id.c_str(), false, this);
        if (!mosq) {
            set_error("cannot create the MQTT client");
            return false;
        }
        mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
        const std::string offline = R"({"online":false})";
        mosquitto_property* will_props = nullptr;
        if (cfg.will_delay_seconds > 0)
            mosquitto_property_add_int32(&will_props, MQTT_PROP_WILL_DELAY_INTERVAL,
                                         static_cast<std::uint32_t>(cfg.will_delay_seconds));
        int rc =
            mosquitto_will_set_v5(mosq, topic("status").c_str(), static_cast<int>(offline.size()),
                                  offline.data(), 1, true, will_props);
        if (rc != MOSQ_ERR_SUCCESS) mosquitto_property_free_all(&will_props);
        if (rc == MOSQ_ERR_SUCCESS && url.tls) {
            rc = mosquitto_tls_set(mosq, cfg.ca_file.empty() ? nullptr : cfg.ca_file.c_str(),
                                   cfg.ca_file.empty() ? "/etc/ssl/certs" : nullptr,
                                   cfg.client_cert.empty() ? nullptr : cfg.client_cert.c_str(),
                                   cfg.client_key.empty() ? nullptr : cfg.client_key.c_str(),
                                   nullptr);
        }
        if (rc == MOSQ_ERR_SUCCESS && !cfg.username.empty())
            rc = mosquitto_username_pw_set(mosq, cfg.username.c_str(),
                                           cfg.password.empty() ? nullptr : cfg.password.c_str());
        if (rc != MOSQ_ERR_SUCCESS) {
            set_error(std::string("MQTT client set-up: ") + mosquitto_strerror(rc));
            teardown();
            return false;
        }
        mosquitto_connect_v5_callback_set(mosq, &Impl::on_connect);
        mosquitto_disconnect_v5_callback_set(mosq, &Impl::on_disconnect);
        mosquitto_publish_v5_callback_set(mosq, &Impl::on_publish);
        mosquitto_message_v5_callback_set(mosq, &Impl::on_message);
        mosquitto_property* props = nullptr;
        mosquitto_property_add_int32(
            &props, MQTT_PROP_SESSION_EXPIRY_INTERVAL,
            static_cast<std::uint32_t>(std::max(kSessionExpirySeconds, cfg.will_delay_seconds)));
        rc = mosquitto_connect_bind_v5(mosq, url.host.c_str(), url.port, cfg.keepalive_seconds,
                                       nullptr, props);
        mosquitto_property_free_all(&props);
        if (rc != MOSQ_ERR_SUCCESS) {
            set_error("cannot connect to " + url.host + ":" + std::to_string(url.port) + ": " +
                      (rc == MOSQ_ERR_ERRNO ? std::string(std::strerror(errno))
                                            : std::string(mosquitto_strerror(rc))));
            teardown();
            return false;
        }
        return true;
    }

    void teardown() {
        if (mosq) mosquitto_destroy(mosq);
        mosq = nullptr;
        session_up = false;
        connected = false;
        inflight.clear();
        last_sent = 0;
        status_mid = -1;
    }

    void schedule_reconnect() {
        next_connect = Clock::now() + std::chrono::milliseconds(backoff_ms);
        backoff_ms = std::min(backoff_ms * 2, std::max(100, cfg.reconnect_max_ms));
    }

    void pump() {
        if (!mosq || !session_up) return;
        while (inflight.size() < kWindow) {
            auto rows = journal->pending(last_sent, kWindow - inflight.size());
            if (rows.empty()) return;
            for (const auto& row : rows) {
                const std::string payload = compose(row);
                int mid = 0;
                const int rc = mosquitto_publish_v5(mosq, &mid, topic(row.topic).c_str(),
                                                    static_cast<int>(payload.size()),
                                                    payload.data(), 1, false, nullptr);
                if (rc != MOSQ_ERR_SUCCESS) {
                    set_error(std::string("publish: ") + mosquitto_strerror(rc));
                    return;
                }
                inflight[mid] = row.seq;
                last_sent = row.seq;
            }
        }
    }

    // One round of network I/O: waits until the socket, a wake-up or `until`.
    void io_wait(Clock::time_point until) {
        pollfd fds[2] = {{wake_fd, POLLIN, 0}, {-1, 0, 0}};
        nfds_t n = 1;
        const int sock = mosq ? mosquitto_socket(mosq) : -1;
        if (sock >= 0) {
            fds[1] = {sock, static_cast<short>(POLLIN | (mosquitto_want_write(mosq) ? POLLOUT : 0)),
                      0};
            n = 2;
        }
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
        if (sock >= 0) wait = std::min(wait, std::chrono::milliseconds(1000));
        const int timeout = static_cast<int>(std::max<std::int64_t>(0, wait.count()));
        ::poll(fds, n, timeout);
        if (fds[0].revents & POLLIN) {
            std::uint64_t v;
            [[maybe_unused]] auto r = ::read(wake_fd, &v, sizeof v);
        }
        if (sock >= 0) {
            if (fds[1].revents & (POLLIN | POLLERR | POLLHUP)) mosquitto_loop_read(mosq, 64);
            if (mosquitto_socket(mosq) >= 0 && (fds[1].revents & POLLOUT))
                mosquitto_loop_write(mosq, 64);
            if (mosquitto_socket(mosq) >= 0) mosquitto_loop_misc(mosq);
        }
    }

    void run() {
        const auto interval = std::chrono::seconds(cfg.heartbeat_seconds);
        next_heartbeat = Clock::now();
        next_connect = Clock::now();
        while (!stopping) {
            auto now = Clock::now();
            if (!mosq && now >= next_connect) {
                if (!connect_once()) schedule_reconnect();
            }
            if (now >= next_heartbeat) {
                heartbeat();
                next_heartbeat = now + interval;
            }
            pump();
            Clock::time_point until = next_heartbeat;
            if (!mosq) until = std::min(until, next_connect);
            io_wait(until);
            if (mosq && mosquitto_socket(mosq) < 0) {
                teardown();
                schedule_reconnect();
            }
        }
        // A clean stop: say so on the retained status (the will is for unclean ends), then leave.
        if (mosq && session_up) {
            const std::string offline = R"({"online":false,"reason":"stopped"})";
            status_acked = false;
            if (mosquitto_publish_v5(mosq, &status_mid, topic("status").c_str(),
                                     static_cast<int>(offline.size()), offline.data(), 1, true,
                                     nullptr) == MOSQ_ERR_SUCCESS) {
                const auto end = Clock::now() + std::chrono::seconds(1);
                while (!status_acked && mosq && mosquitto_socket(mosq) >= 0 && Clock::now() < end)
                    io_wait(end);
            }
            if (mosquitto_socket(mosq) >= 0) {
                mosquitto_disconnect_v5(mosq, 0, nullptr);
                mosquitto_loop_write(mosq, 1);
            }
        }
        teardown();
    }
};

Agent::Agent(FleetConfig config) : impl_(std::make_unique<Impl>()) {
    impl_->cfg = std::move(config);
}

Agent::~Agent() {
    stop();
    if (impl_->wake_fd >= 0) ::close(impl_->wake_fd);
}

bool Agent::start(std::string* err) {
    std::string dummy;
    if (!err) err = &dummy;
    auto& d = *impl_;
    if (d.thread.joinable()) {
        *err = "fleet agent already started";
        return false;
    }
    static std::once_flag lib_once;
    std::call_once(lib_once, [] { mosquitto_lib_init(); });
    auto url = parse_broker(d.cfg.broker, err);
    if (!url) return false;
    d.url = *url;
    if (!valid_id(d.cfg.fleet)) {
        *err = "fleet name '" + d.cfg.fleet + "' must be 1..64 of [A-Za-z0-9._-]";
        return false;
    }
    if (!valid_id(d.cfg.kiosk_id)) {
        *err = "kiosk id '" + d.cfg.kiosk_id + "' must be 1..64 of [A-Za-z0-9._-] for the fleet";
        return false;
    }
    if (d.cfg.heartbeat_seconds < 1 || d.cfg.will_delay_seconds < 0 || d.cfg.buffer_max_rows < 1 ||
        d.cfg.keepalive_seconds < 5) {
        *err = "fleet: heartbeat_seconds >= 1, will_delay_seconds >= 0, buffer_max_rows >= 1";
        return false;
    }
    for (const auto& k : d.cfg.operator_keys) {
        if (!kiosk::parse_trusted_key(k.id, k.public_key)) {
            *err = "fleet operator key '" + k.id +
                   "': needs an id of [A-Za-z0-9._-] and a public_key that is base64 of 32 bytes";
            return false;
        }
    }
    if (d.cfg.client_cert.empty() != d.cfg.client_key.empty()) {
        *err = "fleet: client_cert and client_key go together";
        return false;
    }
    if (!url->tls && (!d.cfg.ca_file.empty() || !d.cfg.client_cert.empty())) {
        *err = "fleet: ca_file/client_cert need an mqtts:// broker";
        return false;
    }
    if (d.cfg.state_dir.empty()) {
        *err = "fleet: no state directory";
        return false;
    }
    std::error_code ec;
    std::filesystem::create_directories(d.cfg.state_dir, ec);
    d.journal = Journal::open((std::filesystem::path(d.cfg.state_dir) / "fleet.sqlite").string(),
                              d.cfg.buffer_max_rows, err);
    if (!d.journal) return false;
    if (d.wake_fd < 0) d.wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (d.wake_fd < 0) {
        *err = std::string("fleet: eventfd: ") + std::strerror(errno);
        return false;
    }
    d.prefix = "kiosk/" + d.cfg.fleet + "/" + d.cfg.kiosk_id + "/";
    d.boot_id = clock::boot_id();
    d.started = Clock::now();
    d.stopping = false;
    logger()->info("fleet agent for {} on {}:{}{}, {} buffered", d.prefix, d.url.host, d.url.port,
                   d.url.tls ? " (TLS)" : "", d.journal->count());
    d.thread = std::thread([&d] { d.run(); });
    return true;
}

void Agent::stop() {
    auto& d = *impl_;
    if (!d.thread.joinable()) return;
    d.stopping = true;
    d.wake();
    d.thread.join();
}

void Agent::set_snapshot_provider(std::function<Snapshot()> provider) {
    std::lock_guard lock(impl_->mu);
    impl_->provider = std::move(provider);
}

bool Agent::post_event(std::string type, nlohmann::json details) {
    auto& d = *impl_;
    if (!d.journal) return false;
    if (!valid_event_type(type)) {
        logger()->warn("event type '{}' refused: 1..64 of [a-z0-9_.]", pii::redact(type));
        return false;
    }
    if (details.is_null()) details = json::object();
    if (!details.is_object()) {
        logger()->warn("event {}: details must be a JSON object", type);
        return false;
    }
    std::string body = json{{"type", type}, {"details", details}}.dump(
        -1, ' ', false, json::error_handler_t::replace);
    if (body.size() > kMaxDetailsBytes) {
        logger()->warn("event {}: details larger than 64 KiB", type);
        return false;
    }
    return d.add_row("event", "events", body);
}

std::optional<Command> Agent::poll_command(bool citizen_busy) {
    auto& d = *impl_;
    std::vector<std::pair<std::string, json>> answers;
    std::optional<Command> out;
    {
        std::lock_guard lock(d.mu);
        const std::int64_t now = now_ms() / 1000;
        for (auto it = d.queue.begin(); it != d.queue.end();) {
            if (it->expires_at <= now) {
                answers.push_back({it->id,
                                   {{"state", "rejected"},
                                    {"ok", false},
                                    {"reason", "expired"},
                                    {"message", "expired while waiting to run"}}});
                d.outstanding.erase(it->id);
                it = d.queue.erase(it);
                continue;
            }
            if (citizen_busy && it->interrupts_citizen()) {
                auto& o = d.outstanding[it->id];
                if (!o.deferred_sent) {
                    o.deferred_sent = true;
                    answers.push_back(
                        {it->id,
                         {{"state", "deferred"},
                          {"message", "a citizen is being served; runs afterwards"}}});
                }
                ++it;
                continue;
            }
            out = std::move(*it);
            d.queue.erase(it);
            d.outstanding[out->id].handed_out = true;
            break;
        }
    }
    for (auto& [id, body] : answers) d.answer(id, std::move(body));
    return out;
}

bool Agent::respond(const std::string& id, bool ok, nlohmann::json result) {
    auto& d = *impl_;
    json body = {{"state", "done"}, {"ok", ok}};
    {
        std::lock_guard lock(d.mu);
        auto it = d.outstanding.find(id);
        if (it == d.outstanding.end() || !it->second.handed_out) {
            logger()->warn("respond: no command '{}' is waiting for an answer", id.substr(0, 64));
            return false;
        }
        if (it->second.file) body["file"] = *it->second.file;
        d.outstanding.erase(it);
    }
    std::string r = result.dump(-1, ' ', false, json::error_handler_t::replace);
    if (r.size() > kMaxDetailsBytes)
        body["result"] = {{"error", "result larger than 64 KiB, not sent"}};
    else
        body["result"] = json::parse(r, nullptr, false);
    d.answer(id, std::move(body));
    return true;
}

bool Agent::publish_file(const std::string& cmd_id, std::string bytes) {
    auto& d = *impl_;
    {
        std::lock_guard lock(d.mu);
        auto it = d.outstanding.find(cmd_id);
        if (it == d.outstanding.end() || !it->second.handed_out) {
            logger()->warn("publish_file: no command '{}' is waiting", cmd_id.substr(0, 64));
            return false;
        }
        const Command& c = it->second.cmd;
        if (c.type == Command::Type::UploadLogs) {
            // Logs already passed the redacting logger; this is the second line of defence
            // before anything leaves the kiosk.
            bytes = pii::redact(bytes);
            std::size_t limit = kMaxFileBytes;
            if (auto m = c.args.find("max_bytes"); m != c.args.end())
                limit = std::min(limit, static_cast<std::size_t>(m->get<std::int64_t>()));
            if (bytes.size() > limit) bytes.erase(0, bytes.size() - limit);
        } else if (c.type != Command::Type::Screenshot) {
            logger()->warn("publish_file: command {} ({}) has no file", cmd_id, c.type_name);
            return false;
        } else if (bytes.size() > kMaxFileBytes) {
            logger()->warn("publish_file: screenshot of {} bytes is over 16 MiB", bytes.size());
            return false;
        }
        it->second.file = json{{"topic", d.topic("files/" + cmd_id)},
                               {"size", bytes.size()},
                               {"sha256", sha256_hex(bytes)}};
    }
    return d.add_row("file", "files/" + cmd_id, bytes);
}

Status Agent::status() const {
    const auto& d = *impl_;
    Status s;
    s.connected = d.connected;
    if (d.journal) {
        s.buffered = d.journal->count();
        s.dropped = d.journal->dropped();
    }
    std::lock_guard lock(d.mu);
    s.last_error = d.last_error;
    return s;
}

}  // namespace kiosk::fleet
