// The reader driver over a real pseudo-terminal against the wire-level simulator, every fault.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <unistd.h>

#include "common/device_manager.hpp"
#include "base/pii.hpp"
#include "idcard/reader.hpp"
#include "sim/idcard/simulator.hpp"

using namespace kiosk::idcard;
using kiosk::drivers::DeviceStatus;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// Test timing: a faster poll than production (1 s) keeps the suite quick; the logic is the same.
kiosk::drivers::DeviceTiming fast() {
    kiosk::drivers::DeviceTiming t;
    t.poll_interval = 100ms;
    return t;
}

ReaderOptions opts() {
    ReaderOptions o;
    o.reply_timeout = 400ms;
    o.gap_timeout = 200ms;
    return o;
}

struct Harness {
    IdCardSimulator sim;
    std::unique_ptr<IdCardReader> reader;
    std::vector<ReaderEvent> seen;

    explicit Harness(ReaderOptions o = opts(), IdCardSimulator::Options so = {}) : sim(so) {
        std::string err;
        REQUIRE(sim.start_pty(&err));
        reader = std::make_unique<IdCardReader>("idcard", sim.uri(), o, fast());
        reader->start();
        REQUIRE(wait([&] { return reader->status() == DeviceStatus::Online; }, 3s));
    }
    ~Harness() { reader.reset(); }

    template <typename P>
    bool wait(P pred, std::chrono::milliseconds limit) {
        auto end = Clock::now() + limit;
        for (;;) {
            if (reader)
                for (auto& e : reader->poll_events()) seen.push_back(std::move(e));
            if (pred()) return true;
            if (Clock::now() > end) return false;
            std::this_thread::sleep_for(5ms);
        }
    }
    template <typename T>
    int count() const {
        int n = 0;
        for (auto& e : seen) n += std::holds_alternative<T>(e);
        return n;
    }
    template <typename T>
    bool wait_for(int n, std::chrono::milliseconds limit = 3s) {
        return wait([&] { return count<T>() >= n; }, limit);
    }
    const Identity& last_identity() const {
        for (auto it = seen.rbegin(); it != seen.rend(); ++it)
            if (auto* r = std::get_if<CardRead>(&*it)) return r->identity;
        FAIL("no CardRead");
        static Identity none;
        return none;
    }
    bool saw_status(DeviceStatus s) const {
        for (auto& e : seen)
            if (auto* st = std::get_if<ReaderStatus>(&e); st && st->status == s) return true;
        return false;
    }
};

}  // namespace

TEST_CASE("idcard.reader reads a placed card once per placement and reports removal") {
    Harness h;
    CHECK(h.reader->sam_id() == "05.02-20240101-0123456789-0987654321");
    std::this_thread::sleep_for(300ms);
    CHECK(h.count<CardRead>() == 0);  // no card: nothing happens

    h.sim.place("resident");
    REQUIRE(h.wait_for<CardRead>(1));
    const Identity& id = h.last_identity();
    CHECK(id.name == "王䶮");
    CHECK(id.id_number == "110101199003071233");
    CHECK(id.id_check == IdCheck::Valid);
    CHECK(id.photo.size() == 1024);
    CHECK(id.appended_address.empty());
    CHECK(h.reader->card_present());

    std::this_thread::sleep_for(500ms);  // ~5 more polls with the card still there
    h.wait([] { return false; }, 0ms);
    CHECK(h.count<CardRead>() == 1);
    CHECK(h.sim.reads_served() == 1);
    CHECK(h.sim.requests(Command::FindCard) >= 5);

    h.sim.remove();
    REQUIRE(h.wait_for<CardRemoved>(1));
    CHECK_FALSE(h.reader->card_present());
    h.sim.place("resident-longterm");
    REQUIRE(h.wait_for<CardRead>(2));
    CHECK(h.last_identity().long_term);
    CHECK(h.last_identity().appended_address == "北京市朝阳区新迁街道8号");
    CHECK(h.sim.reads_served() == 2);
}

TEST_CASE("idcard.reader reads every layout and reports a bad check character") {
    Harness h;
    int reads = 0;
    for (const auto& key : synthetic_card_keys()) {
        CAPTURE(key);
        h.sim.place(key);
        REQUIRE(h.wait_for<CardRead>(++reads));
        auto want = synthetic_identity(key);
        const Identity& got = h.last_identity();
        CHECK(got.type == want->type);
        CHECK(got.name == want->name);
        CHECK(got.id_number == want->id_number);
        CHECK(got.foreign_name == want->foreign_name);
        CHECK(got.id_check == (key == "bad-check"      ? IdCheck::BadCheckCharacter
                               : key == "foreign-2017" ? IdCheck::NotApplicable
                                                       : IdCheck::Valid));
        h.sim.remove();
        REQUIRE(h.wait_for<CardRemoved>(reads));
    }
}

TEST_CASE("idcard.reader reads the fingerprint when configured") {
    auto o = opts();
    o.read_fingerprint = true;
    Harness h(o);
    CHECK(h.reader->capabilities().has("idcard.fingerprint"));
    h.sim.place("resident");
    REQUIRE(h.wait_for<CardRead>(1));
    CHECK(h.last_identity().fingerprint.size() == 1024);
    CHECK(h.sim.requests(Command::ReadWithFingerprint) == 1);
    CHECK(h.sim.requests(Command::ReadTextPhoto) == 0);
}

TEST_CASE("idcard.reader resyncs through corrupted and fragmented and noisy replies") {
    Harness h;
    SimFaults f;
    f.fragment = true;
    f.garbage_before_reply = true;
    f.corrupt_replies = 3;
    h.sim.set_faults(f);
    h.sim.place("foreign-2023");
    REQUIRE(h.wait_for<CardRead>(1, 5s));
    CHECK(h.last_identity().foreign_name == "MARTIN-DUBOIS, MARIE CLAIRE ELISABETH ANNICK");
    CHECK(h.reader->status() == DeviceStatus::Online);
}

TEST_CASE("idcard.reader reads slow replies within the timeout and a hung module goes offline") {
    Harness h;
    SimFaults f;
    f.reply_delay = 150ms;  // under the 400 ms reply timeout
    h.sim.set_faults(f);
    h.sim.place("resident");
    REQUIRE(h.wait_for<CardRead>(1));
    f.reply_delay = 0ms;
    f.mute = true;
    h.sim.set_faults(f);
    REQUIRE(h.wait([&] { return h.reader->status() == DeviceStatus::Offline; }, 5s));
    f.mute = false;
    h.sim.set_faults(f);
    REQUIRE(h.wait([&] { return h.reader->status() == DeviceStatus::Online; }, 3s));
    CHECK(h.count<CardRead>() == 1);  // the same card, still there: not read again
}

TEST_CASE("idcard.reader reports a SAM failure as a hardware error and recovers") {
    Harness h;
    SimFaults f;
    f.sam_failure = true;
    h.sim.set_faults(f);
    REQUIRE(h.wait([&] { return h.reader->status() == DeviceStatus::HardwareError; }, 3s));
    h.sim.place("resident");
    std::this_thread::sleep_for(300ms);
    h.wait([] { return false; }, 0ms);
    CHECK(h.count<CardRead>() == 0);
    h.sim.set_faults({});
    REQUIRE(h.wait_for<CardRead>(1));
    CHECK(h.reader->status() == DeviceStatus::Online);
    CHECK(h.saw_status(DeviceStatus::HardwareError));
}

TEST_CASE("idcard.reader keeps a SAM that fails its self-test at connect in hardware error") {
    IdCardSimulator sim;
    REQUIRE(sim.start_pty());
    SimFaults f;
    f.sam_failure = true;
    sim.set_faults(f);
    IdCardReader reader("idcard", sim.uri(), opts(), fast());
    reader.start();
    auto end = Clock::now() + 3s;
    while (reader.status() != DeviceStatus::HardwareError && Clock::now() < end)
        std::this_thread::sleep_for(5ms);
    CHECK(reader.status() == DeviceStatus::HardwareError);
    sim.set_faults({});
    end = Clock::now() + 3s;
    while (reader.status() != DeviceStatus::Online && Clock::now() < end)
        std::this_thread::sleep_for(5ms);
    CHECK(reader.status() == DeviceStatus::Online);
}

TEST_CASE("idcard.reader card lifted mid-read fails and reads again when placed again") {
    Harness h;
    SimFaults f;
    f.lift_mid_read = true;
    h.sim.set_faults(f);
    h.sim.place("resident");
    REQUIRE(h.wait_for<CardReadFailed>(1));
    REQUIRE(h.wait_for<CardRemoved>(1));
    CHECK(h.count<CardRead>() == 0);
    for (auto& e : h.seen)
        if (auto* r = std::get_if<CardReadFailed>(&e)) {
            CHECK(r->reason == ReadFailure::Card);
            CHECK(r->status == Status::CardReadFailed);
        }
    h.sim.place("resident");
    REQUIRE(h.wait_for<CardRead>(1));
}

TEST_CASE("idcard.reader retries after a reply stalling mid-frame times out") {
    Harness h;
    SimFaults f;
    f.stall_mid_read = true;
    h.sim.set_faults(f);
    h.sim.place("permit-hk");
    REQUIRE(h.wait_for<CardRead>(1, 5s));
    CHECK(h.count<CardReadFailed>() == 1);
    CHECK(h.last_identity().region == Region::HongKong);
    bool retried = false;
    for (auto& e : h.seen)
        if (auto* r = std::get_if<CardReadFailed>(&e)) retried = r->will_retry;
    CHECK(retried);
}

TEST_CASE("idcard.reader does not re-read when find fails while a read card stays") {
    Harness h;
    SimFaults f;
    f.find_fails_after_read = true;
    h.sim.set_faults(f);
    h.sim.place("resident");
    REQUIRE(h.wait_for<CardRead>(1));
    std::this_thread::sleep_for(600ms);
    h.wait([] { return false; }, 0ms);
    CHECK(h.count<CardRead>() == 1);
    CHECK(h.count<CardRemoved>() == 0);
    CHECK(h.sim.requests(Command::SelectCard) >= 3);  // presence confirmed by select
    h.sim.remove();
    REQUIRE(h.wait_for<CardRemoved>(1));
}

TEST_CASE("idcard.reader unplug gives unavailable within 3 s and replug ready within 3 s") {
    char tmpl[] = "/tmp/kiosk-idcard-XXXXXX";
    REQUIRE(::mkdtemp(tmpl));
    std::string dir = tmpl;
    IdCardSimulator::Options so;
    so.link_path = dir + "/idcard0";
    // Production timing here: the 3 s promise is about the real poll interval and backoff.
    IdCardSimulator sim(so);
    REQUIRE(sim.start_pty());
    kiosk::drivers::DeviceManager mgr;
    register_idcard_kind(mgr);
    REQUIRE(mgr.add({"idcard", "idcard", "serial:" + so.link_path, {{"reply_timeout_ms", "500"}}}));
    auto reader = mgr.get_as<IdCardReader>("idcard");
    REQUIRE(reader);
    auto wait = [&](auto pred) {
        auto end = Clock::now() + 3s;
        while (!pred() && Clock::now() < end) std::this_thread::sleep_for(5ms);
        return pred();
    };
    REQUIRE(wait([&] { return reader->status() == DeviceStatus::Online; }));
    std::vector<ReaderEvent> events;
    auto reads = [&] {
        for (auto& e : reader->poll_events()) events.push_back(std::move(e));
        int n = 0;
        for (auto& e : events) n += std::holds_alternative<CardRead>(e);
        return n;
    };
    sim.place("resident");
    REQUIRE(wait([&] { return reads() == 1; }));

    sim.unplug();
    auto t0 = Clock::now();
    REQUIRE(wait([&] { return reader->status() == DeviceStatus::NoDevice; }));
    MESSAGE("unavailable after " << (Clock::now() - t0) / 1ms << " ms");
    std::this_thread::sleep_for(1200ms);
    sim.replug();
    t0 = Clock::now();
    REQUIRE(wait([&] { return reader->status() == DeviceStatus::Online; }));
    MESSAGE("ready after " << (Clock::now() - t0) / 1ms << " ms");

    // The card that lay on the reader across the replug is read again (a fresh placement).
    REQUIRE(wait([&] { return reads() >= 2; }));
    bool removed = false;
    for (auto& e : events) removed |= std::holds_alternative<CardRemoved>(e);
    CHECK(removed);
    mgr.stop_all();
    ::unlink(so.link_path.c_str());
    ::rmdir(dir.c_str());
}

TEST_CASE("idcard.reader over the in-process sim link") {
    IdCardSimulator::Options so;
    so.pace = false;
    IdCardSimulator sim(so);
    REQUIRE(sim.start_sim_link("idcard-test"));
    CHECK(sim.uri() == "sim:idcard-test");
    IdCardReader reader("idcard", sim.uri(), opts(), fast());
    reader.start();
    sim.place("foreign-2017");
    std::vector<ReaderEvent> events;
    auto end = Clock::now() + 3s;
    bool got = false;
    while (!got && Clock::now() < end) {
        for (auto& e : reader.poll_events()) {
            if (auto* r = std::get_if<CardRead>(&e)) {
                CHECK(r->identity.foreign_name == "SMITH, JOHN ALEXANDER");
                got = true;
            }
        }
        std::this_thread::sleep_for(5ms);
    }
    CHECK(got);
    sim.unplug();
    end = Clock::now() + 3s;
    while (reader.status() != DeviceStatus::NoDevice && Clock::now() < end)
        std::this_thread::sleep_for(5ms);
    CHECK(reader.status() == DeviceStatus::NoDevice);
    sim.replug();
    end = Clock::now() + 3s;
    while (reader.status() != DeviceStatus::Online && Clock::now() < end)
        std::this_thread::sleep_for(5ms);
    CHECK(reader.status() == DeviceStatus::Online);
}

TEST_CASE("idcard.reader options from configuration are validated") {
    std::string err;
    auto o = reader_options_from(
        {{"fingerprint", "1"}, {"address", "false"}, {"read_attempts", "3"}}, &err);
    REQUIRE(o);
    CHECK(o->read_fingerprint);
    CHECK_FALSE(o->read_appended_address);
    CHECK(o->read_attempts == 3);
    CHECK_FALSE(reader_options_from({{"fingerprnt", "1"}}, &err));
    CHECK_FALSE(reader_options_from({{"read_attempts", "0"}}, &err));
    CHECK_FALSE(reader_options_from({{"reply_timeout_ms", "abc"}}, &err));
    kiosk::drivers::DeviceManager mgr;
    register_idcard_kind(mgr);
    CHECK_FALSE(mgr.add({"idcard", "idcard", "sim:none", {{"bogus", "1"}}}, &err));
    CHECK(err.find("bogus") != std::string::npos);
}

TEST_CASE("idcard.reader as the core uses it through the manager and the in-process simulator") {
    // The wiring main and the session use: simulator on sim:idcard, manager from configuration,
    // events drained once per frame, masked values for the screen, wipe at session end.
    IdCardSimulator::Options so;
    so.pace = false;
    IdCardSimulator sim(so);
    REQUIRE(sim.start_sim_link("idcard-core"));
    kiosk::drivers::DeviceManager devices;
    register_idcard_kind(devices);
    REQUIRE(devices.add({"idcard", "idcard", "sim:idcard-core", {}}));
    auto reader = devices.get_as<IdCardReader>("idcard");
    REQUIRE(reader);

    bool ready = false;
    std::optional<Identity> session;
    auto frame = [&] {  // one UI frame
        for (auto& s : devices.poll_status())
            if (s.device == "idcard") ready = s.status == DeviceStatus::Online;
        for (auto& ev : reader->poll_events())
            if (auto* r = std::get_if<CardRead>(&ev)) session = std::move(r->identity);
    };
    auto end = Clock::now() + 3s;
    while (!ready && Clock::now() < end) frame(), std::this_thread::sleep_for(10ms);
    REQUIRE(ready);
    sim.place("resident");
    end = Clock::now() + 3s;
    while (!session && Clock::now() < end) frame(), std::this_thread::sleep_for(10ms);
    REQUIRE(session);
    CHECK(kiosk::pii::mask_name(session->name) == "王*");
    CHECK(kiosk::pii::mask_id_number(session->id_number) == "1101**********1233");
    session->wipe();  // session end
    CHECK(session->empty());
    session.reset();
    devices.stop_all();
}
