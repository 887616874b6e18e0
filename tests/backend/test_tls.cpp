// TLS rules of the client against the simulator serving https with test certificates
// (tests/backend/tls): verification on, CA bundle, pinned key, mutual TLS.
#include <fstream>
#include <sstream>

#include "helpers.hpp"

using namespace kiosk;
using namespace backend_test;
using api::ErrorKind;

namespace {
std::string tls(const char* name) {
    return std::string(KIOSK_SOURCE_DIR) + "/tests/backend/tls/" + name;
}
std::string pin() {
    std::ifstream f(tls("server.pin"));
    std::string b64;
    f >> b64;
    return "sha256//" + b64;
}
hallsim::Options tls_options(bool mutual) {
    hallsim::Options o;
    o.tls_cert = tls("server.pem");
    o.tls_key = tls("server.key");
    if (mutual) o.tls_client_ca = tls("ca.pem");
    return o;
}
backend::ClientConfig tls_config(const hallsim::HallSim& sim) {
    auto c = config_for(sim);
    c.insecure_loopback = false;
    c.ca_file = tls("ca.pem");
    c.client_cert = tls("client.pem");
    c.client_key = tls("client.key");
    c.max_retries = 0;
    return c;
}
api::Response catalog_with(const backend::ClientConfig& cfg) {
    auto c = backend::Client::create(cfg);
    REQUIRE(c.ok());
    return call(*c.value(), api::req::catalog());
}
}  // namespace

TEST_CASE("backend.tls verified https with the kiosk's CA, client certificate and pinned key") {
    hallsim::HallSim sim(tls_options(true));
    REQUIRE(sim.start());
    REQUIRE(sim.base_url().rfind("https://", 0) == 0);
    auto cfg = tls_config(sim);
    cfg.pinned_public_key = pin();
    auto r = catalog_with(cfg);
    CHECK(payload<api::Catalog>(r).services.size() >= 15);
}

TEST_CASE("backend.tls refuses an unknown CA, a wrong pin and a missing client certificate") {
    hallsim::HallSim sim(tls_options(true));
    REQUIRE(sim.start());

    auto cfg = tls_config(sim);
    cfg.ca_file = tls("other-ca.pem");
    cfg.insecure_loopback = true;  // the switch never relaxes https verification
    auto r = catalog_with(cfg);
    CHECK(r.result.error().kind == ErrorKind::tls);

    cfg = tls_config(sim);
    cfg.pinned_public_key = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    r = catalog_with(cfg);
    CHECK(r.result.error().kind == ErrorKind::tls);

    cfg = tls_config(sim);
    cfg.client_cert.clear();
    cfg.client_key.clear();
    r = catalog_with(cfg);
    REQUIRE(!r.result.ok());
    CHECK((r.result.error().kind == ErrorKind::tls || r.result.error().kind == ErrorKind::network));
}

TEST_CASE("backend.tls a plain-http client cannot talk to an https hall") {
    hallsim::HallSim sim(tls_options(false));
    REQUIRE(sim.start());
    auto cfg = config_for(sim);  // insecure_loopback, but the URL is https
    cfg.max_retries = 0;
    auto r = catalog_with(cfg);
    CHECK(r.result.error().kind == ErrorKind::tls);  // no CA for the test chain: verification fails
}
