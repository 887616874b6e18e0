// kiosk-fleet-cmd: the operators' side of the kiosk's remote commands (docs/fleet.md).
//
//   kiosk-fleet-cmd keygen --id KEY_ID --out SECRET_FILE
//   kiosk-fleet-cmd sign --key SECRET_FILE --key-id KEY_ID --target KIOSK_ID --type TYPE
//                        [--args JSON] [--toml FILE] [--ttl SECONDS] [--id COMMAND_ID]
//   kiosk-fleet-cmd send --broker mqtt://host:port --fleet NAME [--timeout SECONDS]
//                        [--ca FILE] [--cert FILE --cert-key FILE] [--username U --password P]
//                        [--out FILE] [SIGNED_FILE | -]
//
// keygen writes the Ed25519 secret key (base64, mode 0600) and prints the [[fleet.operator_key]]
// lines for the kiosks' configuration. sign prints the signed command as one JSON line. send
// publishes it on kiosk/{fleet}/{target}/cmd with an MQTT 5 message expiry equal to the time the
// command has left, then prints every answer on …/cmd/resp for its id until the final one
// (a screenshot or logs go to --out, checked against the answer's sha256).
// Exit: 0 done and ok; 1 done and not ok, or rejected; 2 no final answer in time; 64 usage;
// 65 bad input; 69 broker unreachable.
#include <fcntl.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <deque>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/base64.hpp"
#include "fleet/command.hpp"

namespace {

using json = nlohmann::json;
using namespace kiosk::fleet;

int usage() {
    std::cerr << "usage:\n"
                 "  kiosk-fleet-cmd keygen --id KEY_ID --out SECRET_FILE\n"
                 "  kiosk-fleet-cmd sign --key SECRET_FILE --key-id KEY_ID --target KIOSK_ID "
                 "--type TYPE [--args JSON] [--toml FILE] [--ttl SECONDS] [--id COMMAND_ID]\n"
                 "  kiosk-fleet-cmd send --broker mqtt://host:port --fleet NAME [--timeout S] "
                 "[--ca FILE] [--cert FILE --cert-key FILE] [--username U --password P] "
                 "[--out FILE] [SIGNED_FILE|-]\n"
                 "types: restart, screenshot, upload_logs, push_config, out_of_service\n";
    return 64;
}

struct Args {
    std::map<std::string, std::string> opts;
    std::vector<std::string> positional;
    bool ok = true;
};

Args parse_args(int argc, char** argv, int from) {
    Args a;
    for (int i = from; i < argc; ++i) {
        std::string s = argv[i];
        if (s.starts_with("--")) {
            if (i + 1 >= argc) {
                std::cerr << "kiosk-fleet-cmd: " << s << " needs a value\n";
                a.ok = false;
                return a;
            }
            a.opts[s.substr(2)] = argv[++i];
        } else {
            a.positional.push_back(s);
        }
    }
    return a;
}

std::optional<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

int keygen(const Args& a) {
    if (!a.opts.contains("id") || !a.opts.contains("out")) return usage();
    const std::string id = a.opts.at("id");
    if (!valid_id(id)) {
        std::cerr << "kiosk-fleet-cmd: key id must be 1..64 of [A-Za-z0-9._-]\n";
        return 65;
    }
    auto kp = generate_keypair();
    const std::string out = a.opts.at("out");
    int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        std::cerr << "kiosk-fleet-cmd: cannot create " << out << ": " << std::strerror(errno)
                  << " (an existing key is never overwritten)\n";
        return 65;
    }
    const std::string text = kiosk::base64::encode(kp.secret_key) + "\n";
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!written) {
        std::cerr << "kiosk-fleet-cmd: cannot write " << out << "\n";
        return 65;
    }
    std::cout << "[[fleet.operator_key]]\nid = \"" << id << "\"\npublic_key = \""
              << kiosk::base64::encode(kp.public_key) << "\"\n";
    return 0;
}

std::string random_id() {
    std::random_device rd;
    char buf[80];
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%S", &tm);
    std::ostringstream ss;
    ss << "c-" << buf << "-" << std::hex << rd() << rd();
    return ss.str();
}

int sign(const Args& a) {
    for (const char* need : {"key", "key-id", "target", "type"})
        if (!a.opts.contains(need)) return usage();
    auto secret_text = read_file(a.opts.at("key"));
    if (!secret_text) {
        std::cerr << "kiosk-fleet-cmd: cannot read " << a.opts.at("key") << "\n";
        return 65;
    }
    auto secret = kiosk::base64::decode(trim(*secret_text));
    if (!secret || secret->size() != 64) {
        std::cerr << "kiosk-fleet-cmd: " << a.opts.at("key") << " is not a key from keygen\n";
        return 65;
    }
    json args = json::object();
    if (a.opts.contains("args")) {
        args = json::parse(a.opts.at("args"), nullptr, false);
        if (!args.is_object()) {
            std::cerr << "kiosk-fleet-cmd: --args must be a JSON object\n";
            return 65;
        }
    }
    if (a.opts.contains("toml")) {
        auto t = read_file(a.opts.at("toml"));
        if (!t) {
            std::cerr << "kiosk-fleet-cmd: cannot read " << a.opts.at("toml") << "\n";
            return 65;
        }
        args["toml"] = *t;
    }
    std::int64_t ttl = 300;
    if (a.opts.contains("ttl")) {
        try {
            ttl = std::stoll(a.opts.at("ttl"));
        } catch (...) {
            ttl = -1;
        }
        if (ttl < 1 || ttl > 7 * 86400) {
            std::cerr << "kiosk-fleet-cmd: --ttl must be 1..604800 seconds\n";
            return 65;
        }
    }
    const std::string id = a.opts.contains("id") ? a.opts.at("id") : random_id();
    if (!valid_id(id)) {
        std::cerr << "kiosk-fleet-cmd: --id must be 1..64 of [A-Za-z0-9._-]\n";
        return 65;
    }
    // The kiosk makes the same checks; refusing here saves a round trip.
    Command probe;
    probe.type_name = a.opts.at("type");
    probe.args = args;
    if (auto e = check_args(probe)) {
        std::cerr << "kiosk-fleet-cmd: " << reject_name(e->first) << ": " << e->second << "\n";
        return 65;
    }
    const std::int64_t now = std::time(nullptr);
    json cmd = {{"id", id},
                {"target", a.opts.at("target")},
                {"type", a.opts.at("type")},
                {"args", args},
                {"issued_at", now},
                {"expires_at", now + ttl}};
    auto signed_cmd = sign_command(cmd, a.opts.at("key-id"), *secret);
    if (!signed_cmd) {
        std::cerr << "kiosk-fleet-cmd: cannot sign (numbers must be integers)\n";
        return 65;
    }
    std::cout << signed_cmd->dump() << "\n";
    return 0;
}

struct Session {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::pair<std::string, std::string>> messages;
    int connack = -1;
    bool subscribed = false;
};

int send(const Args& a) {
    if (!a.opts.contains("broker") || !a.opts.contains("fleet")) return usage();
    std::string text;
    const std::string src = a.positional.empty() ? "-" : a.positional[0];
    if (src == "-") {
        std::ostringstream ss;
        ss << std::cin.rdbuf();
        text = ss.str();
    } else if (auto t = read_file(src)) {
        text = *t;
    } else {
        std::cerr << "kiosk-fleet-cmd: cannot read " << src << "\n";
        return 65;
    }
    json cmd = json::parse(text, nullptr, false);
    if (!cmd.is_object() || !cmd.contains("id") || !cmd["id"].is_string() ||
        !cmd.contains("target") || !cmd["target"].is_string() || !cmd.contains("expires_at") ||
        !cmd["expires_at"].is_number_integer()) {
        std::cerr << "kiosk-fleet-cmd: not a signed command (from `sign`)\n";
        return 65;
    }
    const std::string id = cmd["id"], target = cmd["target"], fleet = a.opts.at("fleet");
    if (!valid_id(target) || !valid_id(fleet) || !valid_id(id)) {
        std::cerr << "kiosk-fleet-cmd: fleet, target and id must be 1..64 of [A-Za-z0-9._-]\n";
        return 65;
    }
    const std::int64_t left = cmd["expires_at"].get<std::int64_t>() - std::time(nullptr);
    if (left <= 0) {
        std::cerr << "kiosk-fleet-cmd: the command has expired; sign it again\n";
        return 65;
    }
    int timeout = static_cast<int>(std::min<std::int64_t>(left, 60));
    if (a.opts.contains("timeout")) timeout = std::atoi(a.opts.at("timeout").c_str());
    if (timeout < 1) return usage();

    // Broker URL: mqtt://host[:port] or mqtts://host[:port].
    std::string url = a.opts.at("broker"), host;
    int port = 0;
    bool tls = false;
    if (url.starts_with("mqtt://")) {
        url = url.substr(7);
        port = 1883;
    } else if (url.starts_with("mqtts://")) {
        url = url.substr(8);
        port = 8883;
        tls = true;
    } else {
        std::cerr << "kiosk-fleet-cmd: --broker must be mqtt://host:port or mqtts://host:port\n";
        return 64;
    }
    if (auto c = url.rfind(':'); c != std::string::npos && url.find(']', c) == std::string::npos) {
        port = std::atoi(url.substr(c + 1).c_str());
        url = url.substr(0, c);
    }
    host = url;
    if (host.starts_with("[") && host.ends_with("]")) host = host.substr(1, host.size() - 2);
    if (host.empty() || port < 1 || port > 65535) {
        std::cerr << "kiosk-fleet-cmd: bad --broker\n";
        return 64;
    }

    const std::string prefix = "kiosk/" + fleet + "/" + target + "/";
    mosquitto_lib_init();
    Session s;
    mosquitto* m = mosquitto_new(nullptr, true, &s);
    mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
    if (tls) {
        const std::string ca = a.opts.contains("ca") ? a.opts.at("ca") : "";
        const std::string cert = a.opts.contains("cert") ? a.opts.at("cert") : "";
        const std::string key = a.opts.contains("cert-key") ? a.opts.at("cert-key") : "";
        if (mosquitto_tls_set(m, ca.empty() ? nullptr : ca.c_str(),
                              ca.empty() ? "/etc/ssl/certs" : nullptr,
                              cert.empty() ? nullptr : cert.c_str(),
                              key.empty() ? nullptr : key.c_str(), nullptr) != MOSQ_ERR_SUCCESS) {
            std::cerr << "kiosk-fleet-cmd: bad TLS files\n";
            return 65;
        }
    }
    if (a.opts.contains("username"))
        mosquitto_username_pw_set(
            m, a.opts.at("username").c_str(),
            a.opts.contains("password") ? a.opts.at("password").c_str() : nullptr);
    mosquitto_connect_v5_callback_set(
        m, [](mosquitto*, void* o, int rc, int, const mosquitto_property*) {
            auto* s = static_cast<Session*>(o);
            std::lock_guard lock(s->mu);
            s->connack = rc;
            s->cv.notify_all();
        });
    mosquitto_subscribe_v5_callback_set(
        m, [](mosquitto*, void* o, int, int, const int*, const mosquitto_property*) {
            auto* s = static_cast<Session*>(o);
            std::lock_guard lock(s->mu);
            s->subscribed = true;
            s->cv.notify_all();
        });
    mosquitto_message_v5_callback_set(
        m, [](mosquitto*, void* o, const mosquitto_message* msg, const mosquitto_property*) {
            auto* s = static_cast<Session*>(o);
            std::lock_guard lock(s->mu);
            s->messages.emplace_back(msg->topic,
                                     std::string(static_cast<const char*>(msg->payload),
                                                 static_cast<std::size_t>(msg->payloadlen)));
            s->cv.notify_all();
        });
    int rc = mosquitto_connect_bind_v5(m, host.c_str(), port, 30, nullptr, nullptr);
    if (rc != MOSQ_ERR_SUCCESS) {
        std::cerr << "kiosk-fleet-cmd: cannot connect to " << host << ":" << port << ": "
                  << (rc == MOSQ_ERR_ERRNO ? std::strerror(errno) : mosquitto_strerror(rc)) << "\n";
        mosquitto_destroy(m);
        mosquitto_lib_cleanup();
        return 69;
    }
    mosquitto_loop_start(m);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout);
    int exit_code = 2;
    {
        std::unique_lock lock(s.mu);
        s.cv.wait_until(lock, deadline, [&] { return s.connack >= 0; });
        if (s.connack != 0) {
            std::cerr << "kiosk-fleet-cmd: broker refused: "
                      << (s.connack < 0 ? "no answer" : mosquitto_reason_string(s.connack)) << "\n";
            exit_code = 69;
        }
    }
    if (exit_code != 69) {
        const std::string resp = prefix + "cmd/resp", file_topic = prefix + "files/" + id;
        mosquitto_subscribe_v5(m, nullptr, resp.c_str(), 1, 0, nullptr);
        mosquitto_subscribe_v5(m, nullptr, file_topic.c_str(), 1, 0, nullptr);
        {
            std::unique_lock lock(s.mu);
            s.cv.wait_until(lock, deadline, [&] { return s.subscribed; });
        }
        mosquitto_property* props = nullptr;
        // Message expiry: a kiosk that is offline longer than the command lives never sees it.
        mosquitto_property_add_int32(&props, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL,
                                     static_cast<std::uint32_t>(left));
        const std::string payload = cmd.dump();
        rc =
            mosquitto_publish_v5(m, nullptr, (prefix + "cmd").c_str(),
                                 static_cast<int>(payload.size()), payload.data(), 1, false, props);
        mosquitto_property_free_all(&props);
        if (rc != MOSQ_ERR_SUCCESS) {
            std::cerr << "kiosk-fleet-cmd: publish: " << mosquitto_strerror(rc) << "\n";
            exit_code = 69;
        }
        std::optional<json> final_answer;
        std::optional<std::string> file;
        while (exit_code == 2) {
            std::unique_lock lock(s.mu);
            if (!s.cv.wait_until(lock, deadline, [&] { return !s.messages.empty(); })) break;
            auto [topic, body] = std::move(s.messages.front());
            s.messages.pop_front();
            lock.unlock();
            if (topic == file_topic) {
                file = std::move(body);
            } else {
                json j = json::parse(body, nullptr, false);
                if (!j.is_object() || j.value("id", json()) != json(id)) continue;
                std::cout << j.dump() << std::endl;
                const std::string state = j.value("state", "");
                if (state == "done" || state == "rejected") final_answer = j;
            }
            if (!final_answer) continue;
            const json& f = *final_answer;
            if (f.contains("file") && f["file"].is_object() && !file) continue;  // still coming
            if (file) {
                const std::string want = f["file"].value("sha256", "");
                if (sha256_hex(*file) != want) {
                    std::cerr << "kiosk-fleet-cmd: the file does not match the answer's sha256\n";
                    exit_code = 1;
                    break;
                }
                if (a.opts.contains("out")) {
                    std::ofstream out(a.opts.at("out"), std::ios::binary);
                    out << *file;
                    std::cerr << "kiosk-fleet-cmd: " << file->size() << " bytes written to "
                              << a.opts.at("out") << "\n";
                }
            }
            exit_code = (f.value("state", "") == "done" && f.value("ok", false)) ? 0 : 1;
        }
        if (exit_code == 2)
            std::cerr << "kiosk-fleet-cmd: no final answer within " << timeout << " s\n";
    }
    mosquitto_disconnect(m);
    mosquitto_loop_stop(m, false);
    mosquitto_destroy(m);
    mosquitto_lib_cleanup();
    return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage();
    const std::string verb = argv[1];
    Args a = parse_args(argc, argv, 2);
    if (!a.ok) return 64;
    if (verb == "keygen") return keygen(a);
    if (verb == "sign") return sign(a);
    if (verb == "send") return send(a);
    return usage();
}
