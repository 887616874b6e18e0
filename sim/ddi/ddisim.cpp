#include "ddisim.hpp"

#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "core/log.hpp"

namespace kiosk::ddisim {

namespace {
using J = nlohmann::json;

std::string sha256_hex(const std::string& data) {
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    static const char* d = "0123456789abcdef";
    std::string s;
    for (unsigned char c : h) {
        s.push_back(d[c >> 4]);
        s.push_back(d[c & 15]);
    }
    return s;
}

struct Action {
    std::string id;
    ActionSpec spec;
    std::string sha256;
    std::string status = "open";  // open | closed:success | closed:failure | canceled
    bool cancel_requested = false;
    int generation = 0;  // bumps when modes change (the c= parameter)
};
}  // namespace

struct DdiSim::Impl {
    Options o;
    mutable std::mutex mu;
    std::map<std::string, Action> actions;
    std::string offered;  // action id offered by the poll
    int next_id = 1;
    Faults faults;
    std::vector<Feedback> feedback;
    std::string config_data;
    std::vector<std::string> ranges;
    int requests = 0;
    int unauthorized = 0;
    std::unique_ptr<httplib::Server> server;
    std::thread thread;
    int port = 0;
    std::shared_ptr<spdlog::logger> log = kiosk::log::get("ddi-sim");

    std::string url() const { return "http://" + o.host + ":" + std::to_string(port); }
    std::string base() const { return url() + "/" + o.tenant + "/controller/v1/" + o.controller; }

    // Common checks: counts, faults, auth. Returns false when it already answered.
    bool gate(const httplib::Request& q, httplib::Response& r) {
        std::lock_guard lock(mu);
        ++requests;
        if (faults.fail_next > 0) {
            --faults.fail_next;
            r.status = faults.fail_status;
            if (faults.retry_after >= 0)
                r.set_header("Retry-After", std::to_string(faults.retry_after));
            r.set_content(R"({"message":"simulated failure"})", "application/json");
            return false;
        }
        if (!o.token.empty() && q.get_header_value("Authorization") != "TargetToken " + o.token) {
            ++unauthorized;
            r.status = 401;
            return false;
        }
        if (q.matches.size() < 3 || q.matches[1] != o.tenant || q.matches[2] != o.controller) {
            r.status = 404;
            return false;
        }
        return true;
    }

    J deployment_json(const Action& a) const {
        const std::string art =
            base() + "/softwaremodules/" + a.id + "/artifacts/" + a.spec.filename;
        std::string https = art;
        https.replace(0, 4, "https");
        J dep{{"download", a.spec.download},
              {"update", a.spec.update},
              {"chunks",
               J::array(
                   {J{{"part", "bApp"},
                      {"version", a.spec.version},
                      {"name", "kiosk"},
                      {"artifacts",
                       J::array({J{{"filename", a.spec.filename},
                                   {"size", a.spec.declared_size.value_or(a.spec.artifact.size())},
                                   {"hashes", {{"sha256", a.sha256}}},
                                   {"_links",
                                    {{"download", {{"href", https}}},
                                     {"download-http", {{"href", art}}}}}}})}}})}};
        if (!a.spec.maintenance.empty()) dep["maintenanceWindow"] = a.spec.maintenance;
        return J{{"id", a.id}, {"deployment", dep}};
    }

    static bool parse_feedback(const std::string& body, Feedback& f) {
        J j = J::parse(body, nullptr, false);
        if (j.is_discarded() || !j.is_object() || !j.contains("timestamp") ||
            !j["timestamp"].is_number_integer())
            return false;
        auto st = j.find("status");
        if (st == j.end() || !st->is_object()) return false;
        auto ex = st->find("execution");
        auto res = st->find("result");
        if (ex == st->end() || !ex->is_string() || res == st->end() || !res->is_object())
            return false;
        static const char* execs[] = {"proceeding", "closed",  "canceled",   "scheduled",
                                      "rejected",   "resumed", "downloaded", "download"};
        f.execution = ex->get<std::string>();
        if (std::find(std::begin(execs), std::end(execs), f.execution) == std::end(execs))
            return false;
        auto fin = res->find("finished");
        if (fin == res->end() || !fin->is_string()) return false;
        f.finished = fin->get<std::string>();
        if (f.finished != "success" && f.finished != "failure" && f.finished != "none")
            return false;
        auto pr = res->find("progress");
        if (pr != res->end()) {
            if (!pr->is_object() || !pr->contains("cnt") || !pr->contains("of")) return false;
            f.cnt = (*pr)["cnt"].get<int>();
            f.of = (*pr)["of"].get<int>();
        }
        auto det = st->find("details");
        if (det != st->end()) {
            if (!det->is_array()) return false;
            for (const auto& d : *det)
                if (d.is_string()) f.details.push_back(d.get<std::string>());
        }
        return true;
    }

    void routes(httplib::Server& s) {
        const std::string pre = "^/([^/]+)/controller/v1/([^/]+)";
        const std::string id = "([A-Za-z0-9_-]{1,64})";

        s.Get(pre + "$", [this](const httplib::Request& q, httplib::Response& r) {
            if (!gate(q, r)) return;
            std::lock_guard lock(mu);
            J links = J::object();
            auto it = actions.find(offered);
            if (it != actions.end() && it->second.status == "open") {
                const Action& a = it->second;
                if (a.cancel_requested)
                    links["cancelAction"] = {{"href", base() + "/cancelAction/" + a.id}};
                else
                    links["deploymentBase"] = {
                        {"href", base() + "/deploymentBase/" + a.id + "?c=" +
                                     std::to_string(std::hash<std::string>{}(
                                                        a.id + ":" + std::to_string(a.generation)) %
                                                    1000000007)}};
            }
            if (config_data.empty()) links["configData"] = {{"href", base() + "/configData"}};
            J body{{"config", {{"polling", {{"sleep", o.poll_sleep}}}}}};
            if (!links.empty()) body["_links"] = links;
            r.set_content(body.dump(), "application/hal+json");
        });

        s.Get(pre + "/deploymentBase/" + id + "$",
              [this](const httplib::Request& q, httplib::Response& r) {
                  if (!gate(q, r)) return;
                  std::lock_guard lock(mu);
                  auto it = actions.find(q.matches[3]);
                  if (it == actions.end()) {
                      r.status = 404;
                      return;
                  }
                  r.set_content(deployment_json(it->second).dump(), "application/hal+json");
              });

        s.Get(pre + "/installedBase/" + id + "$",
              [this](const httplib::Request& q, httplib::Response& r) {
                  if (!gate(q, r)) return;
                  std::lock_guard lock(mu);
                  auto it = actions.find(q.matches[3]);
                  if (it == actions.end() || it->second.status == "open") {
                      r.status = 404;
                      return;
                  }
                  r.set_content(deployment_json(it->second).dump(), "application/hal+json");
              });

        s.Post(pre + "/deploymentBase/" + id + "/feedback",
               [this](const httplib::Request& q, httplib::Response& r) {
                   if (!gate(q, r)) return;
                   Feedback f;
                   if (!parse_feedback(q.body, f)) {
                       r.status = 400;
                       return;
                   }
                   std::lock_guard lock(mu);
                   f.action_id = q.matches[3];
                   auto it = actions.find(f.action_id);
                   if (it == actions.end()) {
                       r.status = 404;
                       return;
                   }
                   if (it->second.status != "open") {
                       r.status = 410;
                       return;
                   }
                   feedback.push_back(f);
                   if (f.execution == "closed") it->second.status = "closed:" + f.finished;
                   log->info("feedback action {}: {}/{}", f.action_id, f.execution, f.finished);
                   r.status = 200;
               });

        s.Get(pre + "/cancelAction/" + id + "$",
              [this](const httplib::Request& q, httplib::Response& r) {
                  if (!gate(q, r)) return;
                  std::lock_guard lock(mu);
                  auto it = actions.find(q.matches[3]);
                  if (it == actions.end() || !it->second.cancel_requested) {
                      r.status = 404;
                      return;
                  }
                  J body{{"id", it->first}, {"cancelAction", {{"stopId", it->first}}}};
                  r.set_content(body.dump(), "application/hal+json");
              });

        s.Post(pre + "/cancelAction/" + id + "/feedback",
               [this](const httplib::Request& q, httplib::Response& r) {
                   if (!gate(q, r)) return;
                   Feedback f;
                   if (!parse_feedback(q.body, f)) {
                       r.status = 400;
                       return;
                   }
                   std::lock_guard lock(mu);
                   f.action_id = q.matches[3];
                   f.cancel = true;
                   auto it = actions.find(f.action_id);
                   if (it == actions.end()) {
                       r.status = 404;
                       return;
                   }
                   if (it->second.status != "open") {
                       r.status = 410;
                       return;
                   }
                   feedback.push_back(f);
                   if (f.execution == "closed" && f.finished == "success")
                       it->second.status = "canceled";
                   else if (f.execution == "rejected")
                       it->second.cancel_requested = false;
                   r.status = 200;
               });

        s.Put(pre + "/configData$", [this](const httplib::Request& q, httplib::Response& r) {
            if (!gate(q, r)) return;
            J j = J::parse(q.body, nullptr, false);
            if (j.is_discarded() || !j.is_object() || !j.contains("data") ||
                !j["data"].is_object()) {
                r.status = 400;
                return;
            }
            for (const auto& [k, v] : j["data"].items()) {
                (void)k;
                if (!v.is_string()) {
                    r.status = 400;
                    return;
                }
            }
            std::lock_guard lock(mu);
            config_data = q.body;
            r.status = 200;
        });

        s.Get(
            pre + "/softwaremodules/" + id + "/artifacts/([^/]+)$",
            [this](const httplib::Request& q, httplib::Response& r) {
                if (!gate(q, r)) return;
                std::shared_ptr<const std::string> data;
                std::uint64_t drop = 0;
                bool dropping = false;
                {
                    std::lock_guard lock(mu);
                    ranges.push_back(q.get_header_value("Range"));
                    auto it = actions.find(q.matches[3]);
                    if (it == actions.end() || it->second.spec.filename != q.matches[4]) {
                        r.status = 404;
                        return;
                    }
                    data = std::make_shared<const std::string>(it->second.spec.artifact);
                    if (faults.drop_downloads > 0) {
                        --faults.drop_downloads;
                        dropping = true;
                        drop = faults.drop_after_bytes;
                    }
                }
                const std::uint64_t size = data->size();
                if (q.has_header("Range")) {
                    // Only "bytes=n-" and "bytes=n-m" within the file are served.
                    if (q.ranges.size() != 1 || q.ranges[0].first < 0 ||
                        static_cast<std::uint64_t>(q.ranges[0].first) >= size) {
                        r.status = 416;
                        r.set_header("Content-Range", "bytes */" + std::to_string(size));
                        return;
                    }
                }
                auto sent = std::make_shared<std::uint64_t>(0);
                r.set_content_provider(
                    size, "application/octet-stream",
                    [data, dropping, drop, sent](std::size_t off, std::size_t len,
                                                 httplib::DataSink& sink) {
                        std::size_t n = std::min<std::size_t>(len, 64 * 1024);
                        if (dropping) {
                            if (*sent >= drop) return false;  // the connection closes
                            n = static_cast<std::size_t>(std::min<std::uint64_t>(n, drop - *sent));
                        }
                        sink.write(data->data() + off, n);
                        *sent += n;
                        return true;
                    });
            });
    }
};

DdiSim::DdiSim(Options options) : impl_(std::make_unique<Impl>()) {
    impl_->o = std::move(options);
    if (sodium_init() < 0) impl_->log->error("libsodium failed to initialise");
}

DdiSim::~DdiSim() {
    stop();
}

bool DdiSim::start() {
    if (impl_->server) return true;
    auto server = std::make_unique<httplib::Server>();
    server->set_keep_alive_timeout(1);
    server->set_tcp_nodelay(true);
    server->set_payload_max_length(1024 * 1024);
    impl_->routes(*server);
    int want = impl_->port ? impl_->port : impl_->o.port;
    int port = want ? (server->bind_to_port(impl_->o.host, want) ? want : -1)
                    : server->bind_to_any_port(impl_->o.host);
    if (port <= 0) return false;
    impl_->port = port;
    impl_->server = std::move(server);
    impl_->thread = std::thread([s = impl_->server.get()] { s->listen_after_bind(); });
    for (int i = 0; i < 2000 && !impl_->server->is_running(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    impl_->log->info("listening on {}", impl_->base());
    return true;
}

void DdiSim::stop() {
    if (!impl_->server) return;
    impl_->server->stop();
    if (impl_->thread.joinable()) impl_->thread.join();
    impl_->server.reset();
}

int DdiSim::port() const {
    return impl_->port;
}
std::string DdiSim::url() const {
    return impl_->url();
}
std::string DdiSim::controller_base() const {
    return impl_->base();
}

std::string DdiSim::add_action(const ActionSpec& spec) {
    std::lock_guard lock(impl_->mu);
    Action a;
    a.id = std::to_string(impl_->next_id++);
    a.spec = spec;
    a.sha256 = spec.declared_sha256.value_or(sha256_hex(spec.artifact));
    impl_->offered = a.id;
    impl_->actions[a.id] = std::move(a);
    return impl_->offered;
}

void DdiSim::set_modes(const std::string& id, const std::string& download,
                       const std::string& update, const std::string& maintenance) {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->actions.find(id);
    if (it == impl_->actions.end()) return;
    it->second.spec.download = download;
    it->second.spec.update = update;
    it->second.spec.maintenance = maintenance;
    ++it->second.generation;
}

void DdiSim::request_cancel(const std::string& id) {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->actions.find(id);
    if (it != impl_->actions.end()) it->second.cancel_requested = true;
}

void DdiSim::close_action(const std::string& id) {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->actions.find(id);
    if (it != impl_->actions.end()) it->second.status = "closed:server";
}

void DdiSim::set_poll_sleep(const std::string& sleep) {
    std::lock_guard lock(impl_->mu);
    impl_->o.poll_sleep = sleep;
}

void DdiSim::set_faults(const Faults& f) {
    std::lock_guard lock(impl_->mu);
    impl_->faults = f;
}

std::vector<Feedback> DdiSim::feedback() const {
    std::lock_guard lock(impl_->mu);
    return impl_->feedback;
}

std::string DdiSim::action_status(const std::string& id) const {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->actions.find(id);
    return it == impl_->actions.end() ? "" : it->second.status;
}

std::string DdiSim::config_data() const {
    std::lock_guard lock(impl_->mu);
    return impl_->config_data;
}

std::vector<std::string> DdiSim::ranges() const {
    std::lock_guard lock(impl_->mu);
    return impl_->ranges;
}

int DdiSim::requests() const {
    std::lock_guard lock(impl_->mu);
    return impl_->requests;
}

int DdiSim::unauthorized() const {
    std::lock_guard lock(impl_->mu);
    return impl_->unauthorized;
}

}  // namespace kiosk::ddisim
