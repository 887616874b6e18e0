// Shared fixtures for the update tests: temp directories, keys, bundles, and an updater wired
// to a real DDI simulator on 127.0.0.1 with a fake wall clock and recorded backoff sleeps.
#pragma once

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "base/base64.hpp"
#include "sim/ddi/ddisim.hpp"
#include "update/bundle.hpp"
#include "update/state.hpp"
#include "update/updater.hpp"
#include "common/temp_dir.hpp"

namespace update_test {

using namespace kiosk::update;
using kiosk::test::TempDir;

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}
inline void write_file(const std::string& path, const std::string& data, bool exec = false) {
    std::ofstream o(path, std::ios::binary | std::ios::trunc);
    o << data;
    o.close();
    ::chmod(path.c_str(), exec ? 0755 : 0644);
}

struct Key {
    std::string id;
    std::vector<unsigned char> pk, sk;
    explicit Key(std::string key_id) : id(std::move(key_id)) { keygen(pk, sk); }
    TrustedKey trusted() const {
        TrustedKey t;
        t.id = id;
        std::copy(pk.begin(), pk.end(), t.public_key.begin());
        return t;
    }
    std::string line() const { return id + ":" + kiosk::base64::encode(pk.data(), pk.size()); }
};

inline const std::int64_t kNow = *parse_utc("2026-11-26T12:00:00Z");

struct BundleSpec {
    std::string version = "1.4.2";
    std::int64_t counter = 1042;
    std::string expires = "2027-06-30T00:00:00Z";
    std::vector<std::string> hw = {"rev2"};
    std::string product = "kiosk";
    std::map<std::string, std::string> files = {{"bin/kiosk", "#!/bin/sh\necho new\n"},
                                                {"share/estation-kiosk/VERSION", "1.4.2\n"}};
};

// Builds a signed bundle with `key` from spec.files (bin/* executable). Returns its bytes.
inline std::string make_bundle(const TempDir& tmp, const Key& key, const BundleSpec& spec) {
    static int n = 0;
    const std::string src = tmp.path + "/src" + std::to_string(++n);
    ::mkdir(src.c_str(), 0755);
    for (const auto& [rel, data] : spec.files) {
        std::string full = src + "/" + rel;
        for (std::size_t i = src.size() + 1; i < full.size(); ++i)
            if (full[i] == '/') ::mkdir(full.substr(0, i).c_str(), 0755);
        write_file(full, data, rel.rfind("bin/", 0) == 0);
    }
    std::string archive;
    REQUIRE_FALSE(build_archive(src, archive).has_value());
    Manifest m;
    m.product = spec.product;
    m.version = spec.version;
    m.counter = spec.counter;
    m.expires = spec.expires;
    m.hw_compat = spec.hw;
    m.key_id = key.id;
    const std::string out = src + ".bundle";
    REQUIRE_FALSE(write_bundle(out, m, archive, key.sk).has_value());
    remove_tree(src);
    return read_file(out);
}

// An updater world: the simulator, a root directory, a fake clock, recorded sleeps, the app's
// can_apply answer and restart requests.
struct World {
    TempDir tmp;
    kiosk::ddisim::DdiSim sim;
    Key key{"rel-2026"};
    std::int64_t now = kNow;
    std::vector<std::chrono::milliseconds> sleeps;
    bool can_apply = true;
    std::atomic<int> restarts{0};

    static kiosk::ddisim::Options sim_options() {
        kiosk::ddisim::Options o;
        o.controller = "kiosk-1";
        o.token = "tok-123";
        o.poll_sleep = "00:00:30";
        return o;
    }
    World() : sim(sim_options()) { REQUIRE(sim.start()); }

    std::string root() const { return tmp.path + "/root"; }

    Options options() {
        Options o;
        o.ddi_url = sim.url();  // http:// on loopback: the test-network switch
        o.test_network = true;
        o.controller_id = "kiosk-1";
        o.token = "tok-123";
        o.keys.keys.push_back(key.trusted());
        o.hw_revision = "rev2";
        o.root = root();
        o.health_timeout_seconds = 300;
        o.health_boot_attempts = 3;
        o.max_bundle_bytes = 1024 * 1024;
        o.now = [this] { return now; };
        o.sleep = [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
        o.can_apply = [this] { return can_apply; };
        o.request_restart = [this] { ++restarts; };
        o.backoff_base = std::chrono::milliseconds(100);
        return o;
    }

    std::string offer(const std::string& bundle, const std::string& update = "forced",
                      const std::string& maintenance = "") {
        kiosk::ddisim::ActionSpec a;
        a.artifact = bundle;
        a.filename = "kiosk-1.4.2.bundle";
        a.update = update;
        a.maintenance = maintenance;
        return sim.add_action(a);
    }

    std::vector<kiosk::ddisim::Feedback> feedback_for(const std::string& action) const {
        std::vector<kiosk::ddisim::Feedback> out;
        for (const auto& f : sim.feedback())
            if (f.action_id == action) out.push_back(f);
        return out;
    }
    bool any_closed(const std::string& action) const {
        for (const auto& f : feedback_for(action))
            if (f.execution == "closed") return true;
        return false;
    }
    std::string last_detail(const std::string& action) const {
        auto fb = feedback_for(action);
        if (fb.empty() || fb.back().details.empty()) return "";
        return fb.back().details.front();
    }
};

// The app's report after its first frame, made by the binary the trial slot holds.
inline bool healthy(const World& w) {
    return report_healthy(w.root(), w.root() + "/current/bin/kiosk");
}

}  // namespace update_test
