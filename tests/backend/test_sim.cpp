// The hall-sim program as the demo starts it, and its admin endpoint for faults at run time.
#include <csignal>
#include <cstdio>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>

#include "helpers.hpp"
#include "sim/hall/pdf.hpp"

extern char** environ;

using namespace kiosk;
using namespace backend_test;

namespace {
std::size_t collect(char* d, std::size_t s, std::size_t n, void* u) {
    static_cast<std::string*>(u)->append(d, s * n);
    return s * n;
}
// A plain blocking request for the simulator's admin endpoints (not part of the contract).
long admin(const std::string& url, const std::string& post_body, std::string* out = nullptr) {
    CURL* e = curl_easy_init();
    std::string body;
    curl_easy_setopt(e, CURLOPT_URL, url.c_str());
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &body);
    if (!post_body.empty()) curl_easy_setopt(e, CURLOPT_POSTFIELDS, post_body.c_str());
    long status = 0;
    if (curl_easy_perform(e) == CURLE_OK) curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(e);
    if (out) *out = body;
    return status;
}
}  // namespace

TEST_CASE("backend.sim faults can be switched at run time through the admin endpoint") {
    hallsim::HallSim sim;
    REQUIRE(sim.start());
    std::string root = "http://127.0.0.1:" + std::to_string(sim.port());
    CHECK(admin(root + "/sim/faults", R"({"error_rate":1})") == 200);
    CHECK(sim.faults().error_rate == 1.0);
    auto c = backend::Client::create(config_for(sim));
    REQUIRE(c.ok());
    CHECK(call(*c.value(), api::req::ticket_take("progress", "KIOSK-T1"))
              .result.error()
              .http_status == 503);
    CHECK(admin(root + "/sim/faults", R"({"error_rate":0})") == 200);
    CHECK(call(*c.value(), api::req::ticket_take("progress", "KIOSK-T1")).result.ok());
    CHECK(admin(root + "/sim/pay/ORD-5003", "{}") == 200);
    CHECK(payload<api::Order>(call(*c.value(), api::req::order_get("ORD-5003"))).status ==
          api::OrderStatus::paid);
    std::string stats;
    CHECK(admin(root + "/sim/stats", "", &stats) == 200);
    CHECK(stats.find("\"requests\"") != std::string::npos);
}

TEST_CASE("backend.sim the hall-sim program prints its port first and serves the contract") {
    std::string exe = std::string(KIOSK_BINARY_DIR) + "/sim/hall/hall-sim";
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    std::vector<std::string> args = {exe, "--port", "0", "--auto-pay-ms", "0"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    FILE* out = fdopen(fds[0], "r");
    char line[256] = {};
    REQUIRE(std::fgets(line, sizeof line, out) != nullptr);
    std::string first = line;
    CHECK(first.rfind("listening 127.0.0.1:", 0) == 0);
    int port = std::atoi(first.c_str() + std::string("listening 127.0.0.1:").size());
    REQUIRE(port > 0);

    backend::ClientConfig cfg;
    cfg.base_url = "http://127.0.0.1:" + std::to_string(port) + "/api/v1";
    cfg.kiosk_id = "KIOSK-T1";
    cfg.insecure_loopback = true;
    auto c = backend::Client::create(cfg);
    REQUIRE(c.ok());
    CHECK(payload<api::Catalog>(call(*c.value(), api::req::catalog())).services.size() >= 15);
    // --auto-pay-ms 0: the simulated payer pays as soon as the QR was shown.
    CHECK(call(*c.value(), api::req::order_qr("ORD-5004")).result.ok());
    CHECK(payload<api::Order>(call(*c.value(), api::req::order_get("ORD-5004"))).status ==
          api::OrderStatus::paid);

    kill(pid, SIGTERM);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    std::fclose(out);
}

TEST_CASE("backend.sim state lives in its database file across simulator instances") {
    TempDir dir;
    hallsim::Options o;
    o.db = dir.file("hall.db");
    {
        hallsim::HallSim sim(o);
        REQUIRE(sim.start());
        CHECK(sim.pay("ORD-5001"));
    }
    hallsim::HallSim sim(o);
    REQUIRE(sim.start());
    auto c = backend::Client::create(config_for(sim));
    REQUIRE(c.ok());
    CHECK(payload<api::Order>(call(*c.value(), api::req::order_get("ORD-5001"))).status ==
          api::OrderStatus::paid);
}

// The proofs are drawn by cairo (issue #19: no hand-built PDF bytes), and Chinese comes out as
// text a reader can extract: pdftotext (poppler, an independent reader) finds every line.
TEST_CASE("backend.sim proof PDFs are cairo's, A4, with extractable Chinese text") {
    const std::string pdf =
        hallsim::make_pdf({"岳阳市政务服务中心 · 受理回执", "办件编号 Application: APP-2026-0001"});
    REQUIRE(pdf.rfind("%PDF-1.4", 0) == 0);
    CHECK(pdf.find("cairo") != std::string::npos);  // the producer cairo writes
    CHECK(pdf.find("%%EOF") != std::string::npos);
    TempDir dir;
    const std::string path = (dir.path / "proof.pdf").string();
    {
        std::FILE* f = std::fopen(path.c_str(), "wb");
        REQUIRE(f);
        std::fwrite(pdf.data(), 1, pdf.size(), f);
        std::fclose(f);
    }
    std::string text, info;
    auto run = [](const std::string& cmd) {
        std::string out;
        if (std::FILE* p = popen(cmd.c_str(), "r")) {
            char buf[4096];
            std::size_t n;
            while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
            pclose(p);
        }
        return out;
    };
    text = run("pdftotext -enc UTF-8 '" + path + "' -");
    // pdfinfo pads its columns: compare with runs of spaces made one.
    info = run("pdfinfo '" + path + "' | tr -s ' '");
    CHECK(text.find("受理回执") != std::string::npos);
    CHECK(text.find("APP-2026-0001") != std::string::npos);
    CHECK(info.find("Pages: 1\n") != std::string::npos);
    CHECK(info.find("Page size: 595.276 x 841.89 pts (A4)") != std::string::npos);
    INFO(info);
}

namespace {
// A raw contract call with the kiosk's headers (not through the Client, which cannot drift).
long raw_post(const std::string& url, const std::string& body, std::string* out) {
    CURL* e = curl_easy_init();
    curl_slist* h = nullptr;
    h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(h, "X-Kiosk-Id: KIOSK-T1");
    h = curl_slist_append(h, "Idempotency-Key: strict-1");
    curl_easy_setopt(e, CURLOPT_URL, url.c_str());
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, body.c_str());
    long status = 0;
    if (curl_easy_perform(e) == CURLE_OK) curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(e);
    return status;
}
}  // namespace

TEST_CASE("backend.sim strict contract mode refuses a drifted request at once and counts it") {
    hallsim::Options o;
    o.strict_contract = true;
    o.contract_counts_file.clear();  // a planted violation: kept out of the suite's counts
    hallsim::HallSim sim(o);
    REQUIRE(sim.start());
    std::string body;
    CHECK(raw_post(sim.base_url() + "/queue/tickets",
                   R"({"service_id":"progress","kiosk_id":"KIOSK-T1","priority":"vip"})",
                   &body) == 400);
    CHECK(body.find("contract_violation") != std::string::npos);
    auto c = sim.contract_counts();
    CHECK(c.requests == 1);
    CHECK(c.responses == 1);
    CHECK(c.violations == 1);
    body.clear();
    CHECK(raw_post(sim.base_url() + "/queue/tickets",
                   R"({"service_id":"progress","kiosk_id":"KIOSK-T1"})", &body) == 200);
    CHECK(sim.contract_counts().violations == 1);
    std::string stats;
    CHECK(admin("http://127.0.0.1:" + std::to_string(sim.port()) + "/sim/stats", "", &stats) ==
          200);
    CHECK(stats.find(R"("violations":1)") != std::string::npos);
}
