// The DDI wire format and the simulator's HTTP behaviour (Range, 416, auth, 429).
#include <httplib.h>

#include "helpers.hpp"
#include "update/ddi.hpp"

using namespace update_test;
namespace ddi = kiosk::update::ddi;
using std::chrono::seconds;

TEST_CASE("update.sleep formats: HH:MM:SS and ISO-8601 durations + bad ones refused") {
    CHECK(ddi::parse_sleep("00:05:00") == seconds(300));
    CHECK(ddi::parse_sleep("00:00:30") == seconds(30));
    CHECK(ddi::parse_sleep("12:00:00") == seconds(43200));
    CHECK(ddi::parse_sleep("100:00:00") == seconds(360000));
    CHECK(ddi::parse_sleep("PT5M") == seconds(300));
    CHECK(ddi::parse_sleep("P1D") == seconds(86400));
    CHECK(ddi::parse_sleep("PT1H30M") == seconds(5400));
    CHECK(ddi::parse_sleep("P1DT2H") == seconds(93600));
    CHECK(ddi::parse_sleep("PT45S") == seconds(45));
    CHECK(ddi::parse_sleep("P1W") == seconds(604800));
    for (const char* bad :
         {"",     "5",    "00:60:00",   "00:00:60", "0:5:0",  "-1:00:00", "00:05", "00:05:00:00",
          "P",    "PT",   "P1Y",        "P1M",      "PT0.5S", "PT5",      "P5H",   "PT1D",
          "P1DT", "P40D", "1000:00:00", "PT5M ",    " PT5M"})
        CHECK_FALSE_MESSAGE(ddi::parse_sleep(bad).has_value(), bad);
}

TEST_CASE("update.ddi poll and deployment replies parse as the reference shows them") {
    ddi::PollReply p;
    REQUIRE_FALSE(
        ddi::parse_poll(R"({"config":{"polling":{"sleep":"00:05:00"}},"_links":{"deploymentBase":)"
                        R"({"href":"https://h/T/controller/v1/C/deploymentBase/5?c=-2127183556"},)"
                        R"("configData":{"href":"https://h/T/controller/v1/C/configData"}}})",
                        p)
            .has_value());
    CHECK(p.sleep == seconds(300));
    CHECK(p.deployment_href == "https://h/T/controller/v1/C/deploymentBase/5?c=-2127183556");
    CHECK(p.config_data_href == "https://h/T/controller/v1/C/configData");
    CHECK(p.cancel_href.empty());
    CHECK(ddi::parse_poll(R"({"config":{"polling":{"sleep":"soon"}}})", p).has_value());
    // A link with a control character or another scheme is ignored.
    REQUIRE_FALSE(
        ddi::parse_poll(R"({"_links":{"deploymentBase":{"href":"file:///etc/passwd"}}})", p)
            .has_value());
    CHECK(p.deployment_href.empty());

    ddi::Deployment d;
    const std::string dep =
        R"({"id":"8","deployment":{"download":"forced","update":"attempt","maintenanceWindow":)"
        R"("available","chunks":[{"part":"bApp","version":"1.4.2","name":"kiosk","artifacts":)"
        R"([{"filename":"kiosk-1.4.2.bundle","size":123456,"hashes":{"sha256":"ab"},"_links":)"
        R"({"download":{"href":"https://x/a"},"download-http":{"href":"http://x/a"}}}]}]}})";
    REQUIRE_FALSE(ddi::parse_deployment(dep, d).has_value());
    CHECK(d.action_id == "8");
    CHECK(d.update == ddi::Mode::attempt);
    CHECK(d.maintenance == "available");
    CHECK(d.size == 123456);
    CHECK(d.href_http == "http://x/a");
    auto bad = [&](const std::string& from, const std::string& to) {
        std::string s = dep;
        s.replace(s.find(from), from.size(), to);
        ddi::Deployment x;
        CHECK_MESSAGE(ddi::parse_deployment(s, x).has_value(), s);
    };
    bad("\"update\":\"attempt\"", "\"update\":\"later\"");
    bad("\"size\":123456", "\"size\":-1");
    bad("kiosk-1.4.2.bundle", "../../etc/passwd");
    bad("\"id\":\"8\"", "\"id\":\"8/../9\"");
    bad("\"available\"", "\"soon\"");
}

TEST_CASE(
    "update.ddi-sim serves artifacts with Range (206) + refuses bad ranges (416) + asks "
    "for the TargetToken and answers 429 with Retry-After on demand") {
    World w;
    const std::string bundle = make_bundle(w.tmp, w.key, {});
    const std::string id = w.offer(bundle);
    const std::string art =
        w.sim.controller_base() + "/softwaremodules/" + id + "/artifacts/kiosk-1.4.2.bundle";
    auto opts = [](std::string token, std::string origin) {
        ddi::HttpOptions o;
        o.token = std::move(token);
        o.origin = std::move(origin);
        o.allow_http = true;  // the simulator speaks http:// on loopback
        return o;
    };
    ddi::Http http(opts("tok-123", w.sim.url()));
    std::string got;
    auto sink = [&](const char* p, std::size_t n, long) {
        got.append(p, n);
        return true;
    };
    auto r = http.download(art, 0, sink);
    CHECK(r.status == 200);
    CHECK(got == bundle);
    got.clear();
    r = http.download(art, 100, sink);
    CHECK(r.status == 206);
    CHECK(got == bundle.substr(100));
    got.clear();
    r = http.download(art, bundle.size(), sink);
    CHECK(r.status == 416);
    CHECK(got.empty());
    CHECK(w.sim.ranges().back() == "bytes=" + std::to_string(bundle.size()) + "-");

    // The headers themselves, read with another client (cpp-httplib's).
    httplib::Client raw("127.0.0.1", w.sim.port());
    const std::string path = art.substr(w.sim.url().size());
    auto res = raw.Get(path, {{"Authorization", "TargetToken tok-123"}, {"Range", "bytes=10-"}});
    REQUIRE(res);
    CHECK(res->status == 206);
    CHECK(res->get_header_value("Content-Range") ==
          "bytes 10-" + std::to_string(bundle.size() - 1) + "/" + std::to_string(bundle.size()));
    CHECK(res->body == bundle.substr(10));
    res = raw.Get(path, {{"Authorization", "TargetToken tok-123"}, {"Range", "bytes=x-"}});
    REQUIRE(res);
    CHECK(res->status == 416);
    res = raw.Get(path);
    REQUIRE(res);
    CHECK(res->status == 401);

    // Without the test-network switch curl speaks https only: a plain http:// URL is not even
    // connected to (update.test_network; production kiosks never set it).
    {
        ddi::HttpOptions strict = opts("tok-123", w.sim.url());
        strict.allow_http = false;
        ddi::Http https_only(strict);
        const int before = w.sim.requests();
        auto refused = https_only.get(w.sim.controller_base());
        CHECK(refused.status == 0);
        CHECK_FALSE(refused.error.empty());
        CHECK(w.sim.requests() == before);
    }

    ddi::Http stranger(opts("wrong", w.sim.url()));
    CHECK(stranger.get(w.sim.controller_base()).status == 401);
    ddi::Http elsewhere(opts("tok-123", "http://other.example"));  // token only to its own origin
    CHECK(elsewhere.get(w.sim.controller_base()).status == 401);

    kiosk::ddisim::Faults f;
    f.fail_next = 1;
    f.fail_status = 429;
    f.retry_after = 7;
    w.sim.set_faults(f);
    r = http.get(w.sim.controller_base());
    CHECK(r.status == 429);
    CHECK(r.retry_after == seconds(7));
    CHECK(http.get(w.sim.controller_base()).status == 200);
}
