// The updater end to end against the DDI simulator on 127.0.0.1, with real files in a temp root.
// "Restart" = a new Updater on the same root (what the next kiosk process does); a power cut =
// the halt_after kill point, then a new Updater.
#include <thread>

#include "helpers.hpp"

using namespace update_test;

namespace {
bool has(const std::vector<kiosk::ddisim::Feedback>& fb, const std::string& execution,
         const std::string& finished = "") {
    for (const auto& f : fb)
        if (f.execution == execution && (finished.empty() || f.finished == finished)) return true;
    return false;
}
std::string current_kiosk(const World& w) {
    return read_file(w.root() + "/current/bin/kiosk");
}
}  // namespace

TEST_CASE(
    "update.happy path: poll + download + verify + install + switch + restart + healthy + "
    "closed/success") {
    World w;
    BundleSpec spec;
    const std::string id = w.offer(make_bundle(w.tmp, w.key, spec));
    {
        Updater u(w.options());
        Cycle c = u.run_once();
        CHECK(c.next_poll == std::chrono::seconds(30));
        CHECK(w.restarts == 1);
        State s = u.state();
        CHECK(s.phase == Phase::switched);
        CHECK(s.target_slot == "a");
        CHECK(s.previous_slot == "");  // from the factory version
        CHECK(active_slot(w.root()) == "a");
        CHECK(current_kiosk(w) == spec.files["bin/kiosk"]);
    }
    auto fb = w.feedback_for(id);
    CHECK(has(fb, "proceeding"));
    CHECK(has(fb, "downloaded"));
    CHECK_FALSE(w.any_closed(id));  // not before the new version proved healthy
    CHECK(w.sim.action_status(id) == "open");
    CHECK(w.sim.config_data().find("\"hwRevision\":\"rev2\"") != std::string::npos);
    CHECK(w.sim.unauthorized() == 0);
    bool progress_seen = false;
    for (const auto& f : fb)
        if (f.cnt >= 1 && f.of == 5) progress_seen = true;
    CHECK(progress_seen);

    // The next process: the launcher counts the boot, the app reports healthy after its first
    // frame, the updater reports the result.
    auto d = prepare_launch(w.root(), "/usr/bin/kiosk", w.now);
    CHECK(d.binary == w.root() + "/slots/a/bin/kiosk");
    Updater u2(w.options());
    CHECK(u2.state().attempts == 1);
    u2.run_once();
    CHECK_FALSE(w.any_closed(id));  // still on trial
    // Only the trial slot's binary can vouch for itself: this test program (the "old version"
    // started without the launcher) cannot.
    CHECK_FALSE(report_healthy(w.root()));
    CHECK(u2.state().phase == Phase::switched);
    CHECK(healthy(w));
    u2.run_once();
    CHECK(w.sim.action_status(id) == "closed:success");
    State s = u2.state();
    CHECK(s.phase == Phase::idle);
    CHECK_FALSE(s.pending.has_value());
    CHECK(s.installed_counter == 1042);
    CHECK(s.installed_version == "1.4.2");
    CHECK(read_file(w.root() + "/update-counter") == "1042\n");
    // Nothing more happens on later polls.
    const auto before = w.sim.feedback().size();
    u2.run_once();
    CHECK(w.sim.feedback().size() == before);

    // A second update goes to the other slot; the first stays as the fallback.
    BundleSpec s2;
    s2.version = "1.5.0";
    s2.counter = 1050;
    s2.files["bin/kiosk"] = "#!/bin/sh\necho v150\n";
    const std::string id2 = w.offer(make_bundle(w.tmp, w.key, s2));
    u2.run_once();
    CHECK(active_slot(w.root()) == "b");
    CHECK(u2.state().previous_slot == "a");
    CHECK(healthy(w));
    u2.run_once();
    CHECK(w.sim.action_status(id2) == "closed:success");
    CHECK(current_kiosk(w) == "#!/bin/sh\necho v150\n");
}

TEST_CASE(
    "update.tampered bundle from the server is refused with closed/failure + nothing "
    "installed") {
    World w;
    std::string b = make_bundle(w.tmp, w.key, {});
    b[b.size() - 3] ^= 0x20;
    const std::string id = w.offer(b);
    Updater u(w.options());
    u.run_once();
    CHECK(w.sim.action_status(id) == "closed:failure");
    CHECK(w.last_detail(id) == "refused: bad_hash");
    CHECK(u.last_refusal() == "bad_hash");
    CHECK(active_slot(w.root()).empty());
    CHECK(::access((w.root() + "/slots/a").c_str(), F_OK) != 0);
    CHECK(w.restarts == 0);
    CHECK(u.state().phase == Phase::idle);
    // The refused action is not started again.
    const auto n = w.sim.feedback().size();
    u.run_once();
    CHECK(w.sim.feedback().size() == n);
}

TEST_CASE(
    "update.wrong key: a bundle signed by an untrusted key is refused before its payload "
    "downloads") {
    World w;
    Key stranger("rel-2026");  // same id, different key
    const std::string b = make_bundle(w.tmp, stranger, {});
    const std::string id = w.offer(b);
    Updater u(w.options());
    u.run_once();
    CHECK(w.sim.action_status(id) == "closed:failure");
    CHECK(w.last_detail(id) == "refused: bad_signature");
    Key other("other-key");
    const std::string id2 = w.offer(make_bundle(w.tmp, other, {}));
    u.run_once();
    CHECK(w.sim.action_status(id2) == "closed:failure");
    CHECK(w.last_detail(id2) == "refused: unknown_key");
    // A retired key is refused even while still listed.
    auto o = w.options();
    o.keys.retired.push_back("rel-2026");
    Updater r(o);
    const std::string id3 = w.offer(make_bundle(w.tmp, w.key, {}));
    r.run_once();
    CHECK(w.sim.action_status(id3) == "closed:failure");
    CHECK(w.last_detail(id3) == "refused: retired_key");
    CHECK(active_slot(w.root()).empty());
}

TEST_CASE("update.downgrade (lower counter) is refused / an equal counter is a no-op success") {
    World w;
    {
        StateLock lock(w.root());
        State s;
        s.installed_counter = 1042;
        s.installed_version = "1.4.2";
        REQUIRE(save_state(w.root(), s));
    }
    BundleSpec old;
    old.version = "1.3.0";
    old.counter = 1030;
    const std::string id = w.offer(make_bundle(w.tmp, w.key, old));
    Updater u(w.options());
    u.run_once();
    CHECK(w.sim.action_status(id) == "closed:failure");
    CHECK(w.last_detail(id) == "refused: rollback");

    const std::string id2 = w.offer(make_bundle(w.tmp, w.key, {}));  // counter 1042 again
    u.run_once();
    CHECK(w.sim.action_status(id2) == "closed:success");
    CHECK(w.last_detail(id2).rfind("already installed", 0) == 0);
    CHECK(active_slot(w.root()).empty());
    CHECK(w.restarts == 0);

    // The counter survives a lost state file (kept on its own too).
    REQUIRE(::unlink((w.root() + "/update-state.json").c_str()) == 0);
    const std::string id3 = w.offer(make_bundle(w.tmp, w.key, old));
    Updater u2(w.options());
    u2.run_once();
    CHECK(w.sim.action_status(id3) == "closed:failure");
}

TEST_CASE("update.expired manifest is refused (freeze attack)") {
    World w;
    BundleSpec s;
    s.expires = "2026-11-01T00:00:00Z";
    const std::string id = w.offer(make_bundle(w.tmp, w.key, s));
    Updater u(w.options());
    u.run_once();
    CHECK(w.sim.action_status(id) == "closed:failure");
    CHECK(w.last_detail(id) == "refused: expired");
}

TEST_CASE(
    "update.oversize: a declared size over the limit is refused before downloading / "
    "more data than declared is cut off") {
    World w;
    kiosk::ddisim::ActionSpec a;
    a.artifact = make_bundle(w.tmp, w.key, {});
    a.filename = "big.bundle";
    a.declared_size = 50ull * 1024 * 1024 * 1024;  // 50 GiB
    const std::string id = w.sim.add_action(a);
    Updater u(w.options());
    u.run_once();
    CHECK(w.sim.action_status(id) == "closed:failure");
    CHECK(w.last_detail(id) == "refused: too_large");
    CHECK(w.sim.ranges().empty());  // no download was even started

    // The server declares fewer bytes than it sends: the stream is cut at the declared size.
    BundleSpec s;
    s.files["pad"] = std::string(200000, 'p');
    a.artifact = make_bundle(w.tmp, w.key, s);
    a.declared_size = a.artifact.size() - 1000;
    const std::string id2 = w.sim.add_action(a);
    u.run_once();
    CHECK(w.sim.action_status(id2) == "closed:failure");
    CHECK(active_slot(w.root()).empty());
    struct stat st {};
    CHECK(::stat((w.root() + "/update-download/" + id2 + ".bundle.part").c_str(), &st) != 0);

    // A manifest whose payload is over the kiosk's own limit stops the download at the header.
    auto o = w.options();
    o.max_bundle_bytes = a.artifact.size() + 10;
    Updater small(o);
    BundleSpec s3;
    s3.counter = 1100;
    s3.files["pad"] = std::string(300000, 'q');
    a.artifact = make_bundle(w.tmp, w.key, s3);
    a.declared_size.reset();
    const std::string id3 = w.sim.add_action(a);
    small.run_once();
    CHECK(w.sim.action_status(id3) == "closed:failure");
    CHECK(w.last_detail(id3) == "refused: too_large");
}

TEST_CASE("update.interrupted download resumes with Range from where it stopped") {
    World w;
    BundleSpec s;
    s.files["pad"] = std::string(300000, 'z');
    const std::string bundle = make_bundle(w.tmp, w.key, s);
    kiosk::ddisim::Faults f;
    f.drop_downloads = 2;
    f.drop_after_bytes = 100000;
    w.sim.set_faults(f);
    const std::string id = w.offer(bundle);
    Updater u(w.options());
    u.run_once();
    auto ranges = w.sim.ranges();
    REQUIRE(ranges.size() == 3);
    CHECK(ranges[0] == "");
    CHECK(ranges[1] == "bytes=100000-");
    CHECK(ranges[2] == "bytes=200000-");
    CHECK(u.state().phase == Phase::switched);
    CHECK(read_file(w.root() + "/current/pad") == std::string(300000, 'z'));

    // A download cut by a power loss resumes in the next process from the partial file.
    World w2;
    const std::string id2 = w2.offer(make_bundle(w2.tmp, w2.key, s));
    f.drop_downloads = 1;
    f.drop_after_bytes = 150000;
    w2.sim.set_faults(f);
    auto o = w2.options();
    o.max_attempts_per_request = 1;  // give up this cycle after the drop
    {
        Updater u1(o);
        u1.run_once();
        CHECK(u1.state().phase == Phase::downloading);
    }
    Updater u2(w2.options());
    u2.run_once();
    CHECK(w2.sim.ranges().back() == "bytes=150000-");
    CHECK(u2.state().phase == Phase::switched);
}

TEST_CASE("update.server sha256 mismatch is a transport error: fetched again and not reported") {
    World w;
    kiosk::ddisim::ActionSpec a;
    a.artifact = make_bundle(w.tmp, w.key, {});
    a.filename = "k.bundle";
    a.declared_sha256 = std::string(64, '0');
    const std::string id = w.sim.add_action(a);
    Updater u(w.options());
    u.run_once();
    CHECK(u.state().phase == Phase::downloading);
    CHECK_FALSE(w.any_closed(id));
    u.run_once();
    CHECK(w.sim.ranges().size() == 2);
    CHECK(w.sim.ranges()[1].empty());  // from the start, not resumed from a bad file
    CHECK(active_slot(w.root()).empty());
}

TEST_CASE("update.429 and 503 answers back off + honouring Retry-After") {
    World w;
    const std::string id = w.offer(make_bundle(w.tmp, w.key, {}));
    kiosk::ddisim::Faults f;
    f.fail_next = 2;
    f.fail_status = 429;
    f.retry_after = 42;
    w.sim.set_faults(f);
    Updater u(w.options());
    u.run_once();
    REQUIRE(w.sleeps.size() >= 2);
    CHECK(w.sleeps[0] == std::chrono::seconds(42));
    CHECK(w.sleeps[1] == std::chrono::seconds(42));
    CHECK(u.state().phase == Phase::switched);  // it got through afterwards

    // 503 without Retry-After: exponential backoff from the base.
    World w2;
    w2.offer(make_bundle(w2.tmp, w2.key, {}));
    f.fail_next = 3;
    f.fail_status = 503;
    f.retry_after = -1;
    w2.sim.set_faults(f);
    Updater u2(w2.options());
    u2.run_once();
    REQUIRE(w2.sleeps.size() >= 3);
    CHECK(w2.sleeps[0] == std::chrono::milliseconds(100));
    CHECK(w2.sleeps[1] == std::chrono::milliseconds(200));
    CHECK(w2.sleeps[2] == std::chrono::milliseconds(400));
    CHECK(u2.state().phase == Phase::switched);

    // The server stays down: the cycle gives up after its attempts and tries at the next poll.
    World w3;
    f.fail_next = 100;
    w3.sim.set_faults(f);
    Updater u3(w3.options());
    u3.run_once();
    CHECK(w3.sleeps.size() == 4);  // 5 attempts, 4 waits
    CHECK(u3.state().phase == Phase::idle);
}

TEST_CASE("update.failed health check rolls back and reports closed/failure") {
    World w;
    const std::string id = w.offer(make_bundle(w.tmp, w.key, {}));
    Updater u(w.options());
    u.run_once();
    REQUIRE(u.state().phase == Phase::switched);
    // The new version starts but never reports healthy: within the budget nothing happens...
    Updater u2(w.options());
    w.now += 100;
    u2.run_once();
    CHECK(u2.state().phase == Phase::switched);
    CHECK_FALSE(w.any_closed(id));
    // ...past it, the updater rolls back to the factory version and reports the failure.
    w.now += 300;
    u2.run_once();
    CHECK(active_slot(w.root()).empty());
    CHECK(w.restarts == 2);
    CHECK(w.sim.action_status(id) == "closed:failure");
    State s = u2.state();
    CHECK(s.phase == Phase::idle);
    CHECK(s.installed_counter == 0);
    // A late report_healthy from the broken version changes nothing.
    CHECK_FALSE(healthy(w));
}

TEST_CASE(
    "update.power cut after each persisted step resumes or rolls back and reports "
    "correctly") {
    for (Phase kill : {Phase::downloading, Phase::verified, Phase::installed, Phase::switched}) {
        CAPTURE(phase_name(kill));
        World w;
        BundleSpec spec;
        const std::string id = w.offer(make_bundle(w.tmp, w.key, spec));
        {
            auto o = w.options();
            o.halt_after = kill;
            Updater u(o);
            Cycle c = u.run_once();
            CHECK(c.halted);
            CHECK(u.halted());
            CHECK(u.state().phase == kill);
            CHECK(w.restarts == 0);
        }
        // Next boot: the launcher completes an interrupted switch and counts the attempt.
        auto d = prepare_launch(w.root(), "/usr/bin/kiosk", w.now);
        Updater u(w.options());
        u.run_once();
        CHECK(u.state().phase == Phase::switched);
        CHECK(active_slot(w.root()) == "a");
        CHECK(current_kiosk(w) == spec.files["bin/kiosk"]);
        CHECK_FALSE(w.any_closed(id));
        if (kill == Phase::switched) CHECK(d.binary == w.root() + "/slots/a/bin/kiosk");
        CHECK(healthy(w));
        u.run_once();
        CHECK(w.sim.action_status(id) == "closed:success");
    }

    // Power cut while reporting: committed with the result still pending, sent at next start.
    World w;
    const std::string id = w.offer(make_bundle(w.tmp, w.key, {}));
    {
        Updater u(w.options());
        u.run_once();
    }
    prepare_launch(w.root(), "/usr/bin/kiosk", w.now);
    CHECK(healthy(w));  // then the power goes
    {
        StateLock lock(w.root());
        State s;
        load_state(w.root(), s);
        CHECK(s.phase == Phase::committed);
        REQUIRE(s.pending.has_value());
        CHECK(s.pending->finished == "success");
    }
    Updater u(w.options());
    u.run_once();
    CHECK(w.sim.action_status(id) == "closed:success");

    // Power cut in the trial after the rollback decision: the failure is still reported.
    World w2;
    const std::string id2 = w2.offer(make_bundle(w2.tmp, w2.key, {}));
    {
        Updater u1(w2.options());
        u1.run_once();
    }
    {
        auto o = w2.options();
        o.halt_after = Phase::rolled_back;
        w2.now += 1000;
        Updater u1(o);
        u1.run_once();
        CHECK(u1.halted());
    }
    CHECK(active_slot(w2.root()).empty());
    Updater u2(w2.options());
    u2.run_once();
    CHECK(w2.sim.action_status(id2) == "closed:failure");
}

TEST_CASE("update.update skip downloads only / a later attempt installs") {
    World w;
    const std::string id = w.offer(make_bundle(w.tmp, w.key, {}), "skip");
    w.sim.set_modes(id, "skip", "skip", "");  // download: skip waits without fetching
    Updater u(w.options());
    u.run_once();
    CHECK(w.sim.ranges().empty());
    CHECK(u.state().phase == Phase::idle);
    w.sim.set_modes(id, "attempt", "skip", "");
    u.run_once();
    CHECK(u.state().phase == Phase::verified);
    CHECK(has(w.feedback_for(id), "downloaded"));
    CHECK(active_slot(w.root()).empty());
    CHECK(w.restarts == 0);
    u.run_once();  // nothing new: no second download
    CHECK(w.sim.ranges().size() == 1);
    w.sim.set_modes(id, "forced", "attempt", "");
    u.run_once();
    CHECK(u.state().phase == Phase::switched);
    CHECK(w.sim.ranges().size() == 1);  // installed from the download already verified
}

TEST_CASE("update.maintenance window unavailable postpones the install") {
    World w;
    const std::string id = w.offer(make_bundle(w.tmp, w.key, {}), "forced", "unavailable");
    Updater u(w.options());
    u.run_once();
    CHECK(u.state().phase == Phase::verified);  // downloaded and verified, not installed
    CHECK(active_slot(w.root()).empty());
    u.run_once();
    CHECK(u.state().phase == Phase::verified);
    w.sim.set_modes(id, "forced", "forced", "available");
    u.run_once();
    CHECK(u.state().phase == Phase::switched);

    // The kiosk's own local window: outside it nothing switches.
    World w2;
    w2.offer(make_bundle(w2.tmp, w2.key, {}));
    auto o = w2.options();
    std::time_t t = static_cast<std::time_t>(w2.now);
    std::tm tm{};
    localtime_r(&t, &tm);
    char win[16];
    const int h1 = (tm.tm_hour + 2) % 24, h2 = (tm.tm_hour + 4) % 24;
    std::snprintf(win, sizeof win, "%02d:00-%02d:00", h1, h2);
    o.maintenance_window = win;
    Updater u2(o);
    u2.run_once();
    CHECK(u2.state().phase == Phase::verified);
    w2.now += 2 * 3600 + 60;
    u2.run_once();
    CHECK(u2.state().phase == Phase::switched);
}

TEST_CASE("update.not applied while can_apply() is false (a citizen is being served)") {
    World w;
    w.offer(make_bundle(w.tmp, w.key, {}));
    w.can_apply = false;
    Updater u(w.options());
    u.run_once();
    CHECK(u.state().phase == Phase::installed);  // prepared in the inactive slot
    CHECK(active_slot(w.root()).empty());
    CHECK(w.restarts == 0);
    u.run_once();
    CHECK(u.state().phase == Phase::installed);
    w.can_apply = true;
    u.run_once();
    CHECK(u.state().phase == Phase::switched);
    CHECK(w.restarts == 1);
}

TEST_CASE("update.cancelAction is accepted before installing and rejected after the switch") {
    World w;
    const std::string id = w.offer(make_bundle(w.tmp, w.key, {}), "skip");
    Updater u(w.options());
    u.run_once();
    REQUIRE(u.state().phase == Phase::verified);
    w.sim.request_cancel(id);
    u.run_once();
    CHECK(w.sim.action_status(id) == "canceled");
    auto fb = w.feedback_for(id);
    REQUIRE_FALSE(fb.empty());
    CHECK(fb.back().cancel);
    CHECK(fb.back().execution == "closed");
    CHECK(fb.back().finished == "success");
    CHECK(u.state().phase == Phase::idle);
    CHECK(::access((w.root() + "/update-download/" + id + ".bundle.part").c_str(), F_OK) != 0);

    // After the switch (on trial) a cancel is refused: the new version is already running.
    World w2;
    const std::string id2 = w2.offer(make_bundle(w2.tmp, w2.key, {}));
    Updater u2(w2.options());
    u2.run_once();
    REQUIRE(u2.state().phase == Phase::switched);
    w2.sim.request_cancel(id2);
    Updater next(w2.options());
    next.run_once();
    auto fb2 = w2.feedback_for(id2);
    REQUIRE_FALSE(fb2.empty());
    CHECK(fb2.back().cancel);
    CHECK(fb2.back().execution == "rejected");
    CHECK(w2.sim.action_status(id2) == "open");
    CHECK(next.state().phase == Phase::switched);
    CHECK(active_slot(w2.root()) == "a");
    CHECK(healthy(w2));
    next.run_once();
    CHECK(w2.sim.action_status(id2) == "closed:success");
}

TEST_CASE("update.feedback answered 410 (action closed on the server) drops the result") {
    World w;
    const std::string id = w.offer(make_bundle(w.tmp, w.key, {}));
    Updater u(w.options());
    u.run_once();
    REQUIRE(u.state().phase == Phase::switched);
    w.sim.close_action(id);
    CHECK(healthy(w));
    u.run_once();
    State s = u.state();
    CHECK(s.phase == Phase::idle);
    CHECK_FALSE(s.pending.has_value());
    CHECK(s.installed_counter == 1042);  // the new version is still the healthy one
    CHECK(w.sim.action_status(id) == "closed:server");
}

TEST_CASE("update.thread: start() polls on the updater's thread + stop() ends it promptly") {
    World w;
    const std::string id = w.offer(make_bundle(w.tmp, w.key, {}));
    Updater u(w.options());
    u.start();
    // Wait for the switch (generous bound: this is not a timing threshold).
    for (int i = 0; i < 600 && w.restarts.load() == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(w.restarts.load() == 1);
    u.stop();  // the 30 s poll wait is interrupted
    CHECK(u.state().phase == Phase::switched);
    CHECK(w.sim.action_status(id) == "open");
}
