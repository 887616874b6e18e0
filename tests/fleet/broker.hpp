// Test rig of the fleet tests: a real mosquitto broker on 127.0.0.1 (its own config file, a free
// port, stopped and restarted on the same port), an MQTT 5 observer client, a temp directory, and
// signed-command helpers.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "base/base64.hpp"
#include "fleet/agent.hpp"
#include "fleet/command.hpp"

extern char** environ;

namespace fleettest {

using namespace std::chrono_literals;
using json = nlohmann::json;

constexpr const char* kPrefix = "kiosk/t/k1/";
inline std::string topic_of(const std::string& suffix) {
    return std::string(kPrefix) + suffix;
}

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "kiosk-fleet-XXXXXX").string();
        char* p = mkdtemp(tmpl.data());
        REQUIRE(p != nullptr);
        path = p;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

inline int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

inline bool port_open(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

template <class F>
bool eventually(F f, std::chrono::milliseconds limit = 20s) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        if (f()) return true;
        std::this_thread::sleep_for(10ms);
    }
    return f();
}

// Starts a program that dies with the test (PR_SET_PDEATHSIG), so a failed test never leaves a
// broker or an agent behind. Call from the test's main thread.
inline pid_t spawn(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);
        ::execve(args[0], args.data(), environ);
        ::_exit(127);
    }
    return pid;
}

// A child process, SIGKILLed and reaped when the test ends however it ends.
struct Child {
    pid_t pid = -1;
    explicit Child(pid_t p) : pid(p) {}
    ~Child() { kill(); }
    void kill() {
        if (pid <= 0) return;
        ::kill(pid, SIGKILL);
        int st = 0;
        ::waitpid(pid, &st, 0);
        pid = -1;
    }
};

// A real mosquitto on 127.0.0.1 with a generated configuration.
struct Broker {
    TempDir dir;
    int port = free_port();
    int tls_port = 0;  // with TLS: a second listener (tests/backend/tls, client cert required)
    pid_t pid = -1;

    explicit Broker(bool tls = false) {
        if (tls) tls_port = free_port();
        start();
    }
    static std::string tls_file(const char* name) {
        return std::string(KIOSK_SOURCE_DIR) + "/tests/backend/tls/" + name;
    }
    ~Broker() { stop(); }

    std::string url() const { return "mqtt://127.0.0.1:" + std::to_string(port); }

    void start() {
        const std::string conf = dir.file("mosquitto.conf");
        std::ofstream(conf) << "listener " << port << " 127.0.0.1\n"
                            << "allow_anonymous true\n"
                            << "persistence false\n"
                            // As root, mosquitto would drop to its own user (and lose the
                            // parent-death signal that ends it with the test).
                            << (::geteuid() == 0 ? "user root\n" : "") << "log_dest stderr\n"
                            << "log_type error\nlog_type warning\n";
        if (tls_port)
            std::ofstream(conf, std::ios::app) << "listener " << tls_port << " 127.0.0.1\n"
                                               << "cafile " << tls_file("ca.pem") << "\n"
                                               << "certfile " << tls_file("server.pem") << "\n"
                                               << "keyfile " << tls_file("server.key") << "\n"
                                               << "require_certificate true\n";
        pid = spawn({"/usr/sbin/mosquitto", "-c", conf});
        REQUIRE_MESSAGE(
            eventually([&] { return port_open(port) && (!tls_port || port_open(tls_port)); }, 10s),
            "mosquitto did not start on port " << port);
    }
    void stop() {
        if (pid <= 0) return;
        ::kill(pid, SIGTERM);
        int st = 0;
        ::waitpid(pid, &st, 0);
        pid = -1;
    }
};

struct Received {
    std::string topic, payload;
    bool retain = false;
    int qos = 0;
    std::int64_t message_expiry = -1;  // MQTT 5 property, -1 when absent
};

// An MQTT 5 observer (libmosquitto's own network thread).
struct Observer {
    mosquitto* m = nullptr;
    std::mutex mu;
    std::condition_variable cv;
    std::vector<Received> got;
    std::atomic<bool> connected{false};

    explicit Observer(const Broker& b, const std::vector<std::string>& subs,
                      const std::string& id = "observer") {
        static std::once_flag once;
        std::call_once(once, [] { mosquitto_lib_init(); });
        m = mosquitto_new(id.c_str(), true, this);
        mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
        mosquitto_connect_v5_callback_set(
            m, [](mosquitto*, void* o, int rc, int, const mosquitto_property*) {
                if (rc == 0) static_cast<Observer*>(o)->connected = true;
            });
        mosquitto_message_v5_callback_set(m, [](mosquitto*, void* o, const mosquitto_message* msg,
                                                const mosquitto_property* p) {
            auto* self = static_cast<Observer*>(o);
            Received r;
            r.topic = msg->topic;
            r.payload.assign(static_cast<const char*>(msg->payload),
                             static_cast<std::size_t>(msg->payloadlen));
            r.retain = msg->retain;
            r.qos = msg->qos;
            std::uint32_t exp = 0;
            if (mosquitto_property_read_int32(p, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL, &exp, false))
                r.message_expiry = exp;
            std::lock_guard lock(self->mu);
            self->got.push_back(std::move(r));
            self->cv.notify_all();
        });
        REQUIRE(mosquitto_connect_bind_v5(m, "127.0.0.1", b.port, 30, nullptr, nullptr) ==
                MOSQ_ERR_SUCCESS);
        REQUIRE(mosquitto_loop_start(m) == MOSQ_ERR_SUCCESS);
        REQUIRE(eventually([&] { return connected.load(); }, 10s));
        for (const auto& s : subs) mosquitto_subscribe_v5(m, nullptr, s.c_str(), 1, 0, nullptr);
        // A round trip so the subscriptions are in place before the test goes on.
        const std::string probe = "probe/" + id;
        mosquitto_subscribe_v5(m, nullptr, probe.c_str(), 1, 0, nullptr);
        mosquitto_publish_v5(m, nullptr, probe.c_str(), 2, "{}", 1, false, nullptr);
        REQUIRE(wait_for([&](const Received& r) { return r.topic == probe; }, 10s).has_value());
    }
    ~Observer() {
        mosquitto_disconnect(m);
        mosquitto_loop_stop(m, false);
        mosquitto_destroy(m);
    }

    void publish(const std::string& topic, const std::string& payload, int expiry = 0) {
        mosquitto_property* props = nullptr;
        if (expiry > 0)
            mosquitto_property_add_int32(&props, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL,
                                         static_cast<std::uint32_t>(expiry));
        REQUIRE(mosquitto_publish_v5(m, nullptr, topic.c_str(), static_cast<int>(payload.size()),
                                     payload.data(), 1, false, props) == MOSQ_ERR_SUCCESS);
        mosquitto_property_free_all(&props);
    }

    std::optional<Received> wait_for(const std::function<bool(const Received&)>& pred,
                                     std::chrono::milliseconds limit = 20s) {
        std::unique_lock lock(mu);
        std::optional<Received> found;
        cv.wait_for(lock, limit, [&] {
            for (const auto& r : got)
                if (pred(r)) {
                    found = r;
                    return true;
                }
            return false;
        });
        return found;
    }
    std::vector<Received> on(const std::string& topic) {
        std::lock_guard lock(mu);
        std::vector<Received> out;
        for (const auto& r : got)
            if (r.topic == topic) out.push_back(r);
        return out;
    }
    // The first answer on cmd/resp for `id` in `state`.
    std::optional<json> answer(const std::string& prefix, const std::string& id,
                               const std::string& state, std::chrono::milliseconds limit = 20s) {
        auto r = wait_for(
            [&](const Received& r) {
                if (r.topic != prefix + "cmd/resp") return false;
                auto j = json::parse(r.payload, nullptr, false);
                return j.is_object() && j.value("id", json()) == json(id) &&
                       j.value("state", "") == state;
            },
            limit);
        if (!r) return std::nullopt;
        return json::parse(r->payload);
    }
};

// An operator with a key the kiosk trusts.
struct Operator {
    std::string key_id = "ops-test";
    kiosk::fleet::KeyPair keys = kiosk::fleet::generate_keypair();
    kiosk::fleet::OperatorKey trusted() const {
        return {key_id, kiosk::base64::encode(keys.public_key)};
    }
    json command(const std::string& id, const std::string& type, json args = json::object(),
                 const std::string& target = "k1", std::int64_t ttl = 300,
                 std::int64_t issued_offset = 0) const {
        const std::int64_t now = std::time(nullptr) + issued_offset;
        json c = {{"id", id},     {"target", target}, {"type", type},
                  {"args", args}, {"issued_at", now}, {"expires_at", now + ttl}};
        auto s = kiosk::fleet::sign_command(c, key_id, keys.secret_key);
        REQUIRE(s.has_value());
        return *s;
    }
};

// Publishes an id-less probe on cmd until the agent answers it on cmd/resp: then its
// subscription is in place (no sleep that a loaded machine could outlast). `obs` must be
// subscribed to cmd/resp; the probe answers have "id": null.
inline void wait_agent_listening(Observer& obs) {
    for (int i = 0; i < 100; ++i) {
        obs.publish(topic_of("cmd"), "{\"probe\":true}");
        if (obs.wait_for(
                [](const Received& r) {
                    auto j = json::parse(r.payload, nullptr, false);
                    return r.topic == topic_of("cmd/resp") && j.is_object() && j["id"].is_null();
                },
                300ms))
            return;
    }
    FAIL("the agent never answered on cmd/resp");
}

inline kiosk::fleet::FleetConfig agent_config(const Broker& b, const std::string& state_dir,
                                              const Operator& op) {
    kiosk::fleet::FleetConfig c;
    c.broker = b.url();
    c.fleet = "t";
    c.kiosk_id = "k1";
    c.heartbeat_seconds = 3600;  // one heartbeat at start; tests that need more set it lower
    c.will_delay_seconds = 1;
    c.operator_keys = {op.trusted()};
    c.state_dir = state_dir;
    c.reconnect_max_ms = 300;
    return c;
}

}  // namespace fleettest
