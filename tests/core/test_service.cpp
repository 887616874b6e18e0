// The staff service menu in the core (kiosk/core/flows/service.cpp, kiosk/core/staff.cpp): the
// corner gesture, the maintenance handshake with a citizen's session, login and the lockout kept
// across restarts, the deposit with its locker and hall answers, overdue retrieval, the audit
// records and the exit (by hand and by timeout).
#include <cstdlib>
#include <filesystem>

#include "api/requests.hpp"
#include "core/staff.hpp"
#include <algorithm>

#include "core_fixture.hpp"
#include "effects.hpp"
#include "common/temp_dir.hpp"

namespace kiosk::test {
namespace {

// A hash made once for the whole file (Argon2id at interactive limits takes a moment).
const std::string& pin_hash_2468() {
    static const std::string h = staff::hash_pin("2468");
    return h;
}

Config service_config(const std::string& state_dir, bool hall, bool local_pin) {
    Config c = default_config();
    c.kiosk.state_dir = state_dir;
    c.service_menu.hall_login = hall;
    c.service_menu.pin_hash = local_pin ? pin_hash_2468() : std::string{};
    c.service_menu.max_failures = 3;
    c.service_menu.lockout_seconds = 60;
    c.service_menu.idle_seconds = 120;
    return c;
}

struct Kiosk {
    std::int64_t now = 1795786200000LL;
    std::int64_t mono = 5'000'000;  // the monotonic clock (CLOCK_BOOTTIME in the app)
    Core core;
    explicit Kiosk(Config c) : core(std::move(c), i18n(), catalog()) {
        core.handle(Tick{now, mono});
    }
    void advance(double seconds) {
        now += static_cast<std::int64_t>(seconds * 1000);
        mono += static_cast<std::int64_t>(seconds * 1000);
        core.handle(Tick{now, mono});
    }
    // Someone sets the wall clock: the monotonic one does not move.
    void set_wall_clock(std::int64_t wall_ms) {
        now = wall_ms;
        core.handle(Tick{now, mono});
    }
    void intent(std::string a, std::string arg = {}) {
        core.handle(Intent{std::move(a), std::move(arg)});
    }
    void corner_taps(int n, double gap = 0.4) {
        for (int i = 0; i < n; ++i) {
            intent("corner");
            advance(gap);
        }
    }
    void keys(const std::string& digits) {
        for (char d : digits) intent("key", std::string(1, d));
        intent("key", "ok");
    }
    std::vector<Effect> effects() { return core.take_effects(); }
    // Tags of the hall requests of kind `op` in `fx`.
    static std::uint64_t hall_tag(const std::vector<Effect>& fx, api::Op op) {
        for (const auto& e : fx)
            if (const auto* r = std::get_if<fx::HallRequest>(&e); r && r->request.op == op)
                return r->tag;
        return 0;
    }
    static std::vector<std::string> audits(std::vector<Effect> fx) {
        std::vector<std::string> out;
        for (const auto& row : test::take_of<fx::OutboxAppend>(fx, "audit"))
            out.push_back(row.payload);
        return out;
    }
    static bool has(const std::vector<std::string>& audits, std::string_view action) {
        for (const auto& a : audits)
            if (a.find("\"action\":\"" + std::string(action) + "\"") != std::string::npos)
                return true;
        return false;
    }
    bool shows(std::string_view text) const { return test::view_shows(core.view(), text); }
    // Logs in through the hall as S001 with the roles given.
    void hall_login(std::vector<std::string> roles = {"deposit", "maintenance"}) {
        corner_taps(5);
        REQUIRE(core.scene() == SceneId::Service);
        effects();
        staff_number_and_pin(
            {"tok-0123456789abcdef", "S001", "刘*", std::move(roles), "2026-11-27T14:00:00Z"});
        REQUIRE(core.maintenance());
    }
    // Types S001's number and PIN on the login keypads; the hall answers with `session`.
    void staff_number_and_pin(api::StaffSession session) {
        keys("001");
        keys("1234");
        const auto tag = hall_tag(effects(), api::Op::staff_login);
        REQUIRE(tag != 0);
        reply(tag, api::Op::staff_login, std::move(session));
    }
    // A second hall login in the same maintenance (the first one ran out).
    void hall_login_again() {
        staff_number_and_pin(
            {"tok-fedcba9876543210", "S001", "刘*", {"deposit"}, "2026-11-27T15:00:00Z"});
    }
    // The flow's last request for the device figures, answered with `r`.
    void report(DeviceReport r) {
        auto fx = effects();
        for (const auto& e : test::take_of<fx::Diagnostics>(fx)) r.tag = e.tag;
        REQUIRE(r.tag != 0);
        core.handle(r);
    }
    // A certificate's barcode is scanned; the hall names it (a title deed).
    void certificate_named(const std::string& application_id = "APP-2026-0002") {
        core.handle(CodeScanned{CodeKind::certificate, application_id, CodeRejection::none,
                                ScanSource::inject});
        const auto tag = hall_tag(effects(), api::Op::application);
        REQUIRE(tag != 0);
        api::Application app;
        app.application_id = application_id;
        app.title = api::Text{"不动产登记", "Real estate registration"};
        reply(tag, api::Op::application, app);
    }
    // The key of the last locker effect of type T (empty if none).
    template <class T>
    std::string locker_key() {
        std::string key;
        auto fx = effects();
        for (const auto& e : test::take_of<T>(fx)) key = e.key;
        return key;
    }
    void reply(std::uint64_t tag, api::Op op, api::Payload p) {
        core.handle(HallReply{tag, {0, op, std::move(p), false}});
    }
    void reply_error(std::uint64_t tag, api::Op op, api::ErrorKind kind) {
        core.handle(HallReply{tag, {0, op, api::Error{kind, 0, {}, {}}, false}});
    }
};

}  // namespace

TEST_CASE("core.service gesture five corner taps within 3 s open the menu") {
    staff::CornerGesture g;
    std::int64_t t = 1000;
    for (int i = 0; i < 4; ++i) CHECK_FALSE(g.tap(t += 500));
    CHECK(g.tap(t += 500));
    // Spread over more than 3 s: the oldest taps fall out of the window.
    for (int i = 0; i < 8; ++i) CHECK_FALSE(g.tap(t += 900));

    TempDir dir;
    Kiosk k(service_config(dir.path, true, false));
    k.corner_taps(4);
    CHECK(k.core.scene() == SceneId::Attract);
    CHECK_FALSE(k.core.session().active);  // corner taps are not a citizen's touch
    k.advance(4);
    k.corner_taps(4);
    CHECK(k.core.scene() == SceneId::Attract);
    k.corner_taps(1);
    CHECK(k.core.scene() == SceneId::Service);
    CHECK(k.shows(k.core.tr("maint.login.staff_id")));
}

TEST_CASE("core.service gesture off in the configuration opens nothing") {
    TempDir dir;
    Config c = service_config(dir.path, true, false);
    c.service_menu.gesture = "off";
    Kiosk k(std::move(c));
    k.corner_taps(10, 0.1);
    CHECK(k.core.scene() == SceneId::Attract);
}

TEST_CASE("core.service login through the hall starts maintenance and audits it") {
    TempDir dir;
    Kiosk k(service_config(dir.path, true, false));
    k.corner_taps(5);
    k.effects();
    k.keys("001");
    k.keys("1234");
    auto fx = k.effects();
    const auto tag = Kiosk::hall_tag(fx, api::Op::staff_login);
    REQUIRE(tag != 0);
    CHECK(std::get<fx::HallRequest>(fx.at(0)).request.body.find("\"S001\"") != std::string::npos);
    api::StaffSession s{
        "tok-0123456789abcdef", "S001", "刘*", {"maintenance"}, "2026-11-27T14:00:00Z"};
    k.reply(tag, api::Op::staff_login, s);
    CHECK(k.core.maintenance());
    const auto audits = Kiosk::audits(k.effects());
    CHECK(Kiosk::has(audits, "login"));
    CHECK(Kiosk::has(audits, "maintenance.start"));
    CHECK(k.shows("S001"));
    // Without the deposit role the deposit item is there but disabled.
    k.intent("deposit");
    CHECK(k.shows(k.core.tr("maint.menu_prompt")));
}

TEST_CASE("core.service login offline at the hall offers the local PIN and does not count") {
    TempDir dir;
    Kiosk k(service_config(dir.path, true, true));
    k.corner_taps(5);
    k.intent("method", "hall");
    k.effects();
    k.keys("001");
    k.keys("1234");
    const auto tag = Kiosk::hall_tag(k.effects(), api::Op::staff_login);
    k.reply_error(tag, api::Op::staff_login, api::ErrorKind::offline);
    CHECK(k.shows(k.core.tr("flow.error.offline")));
    CHECK(
        staff::load_lockout(staff::lockout_path(dir.path), staff::lockout_clock(k.mono, k.now), {})
            .failures == 0);
    k.intent("method", "pin");
    k.keys("2468");
    CHECK(k.core.maintenance());
}

TEST_CASE("core.service lockout after repeated wrong PINs survives a restart") {
    TempDir dir;
    {
        Kiosk k(service_config(dir.path, false, true));
        k.corner_taps(5);
        REQUIRE(k.shows(k.core.tr("maint.login.pin")));
        k.keys("1111");
        CHECK(k.shows(k.core.tr("maint.login.wrong")));
        k.keys("2222");
        k.keys("3333");
        CHECK(k.shows(k.core.tr("maint.login.locked", {{"t", "60秒"}})));
        // Even the right PIN is refused while locked.
        k.intent("retry");
        k.keys("2468");
        CHECK_FALSE(k.core.maintenance());
        CHECK(Kiosk::has(Kiosk::audits(k.effects()), "login.locked"));
    }
    // A restart (a new core on the same state directory) is still locked: the 60 s left when
    // the file was written, less the (boot clock's) milliseconds the restart took.
    Kiosk k(service_config(dir.path, false, true));
    k.corner_taps(5);
    CHECK(k.shows(k.core.tr("maint.login.locked", {{"t", "60秒"}})));
    k.advance(61);
    k.intent("retry");
    k.keys("2468");
    CHECK(k.core.maintenance());
    CHECK(
        staff::load_lockout(staff::lockout_path(dir.path), staff::lockout_clock(k.mono, k.now), {})
            .failures == 0);
}

TEST_CASE("core.service setting the wall clock ahead does not lift the lockout") {
    TempDir dir;
    Kiosk k(service_config(dir.path, false, true));
    k.corner_taps(5);
    for (const char* pin : {"1111", "2222", "3333"}) k.keys(pin);
    REQUIRE(k.shows(k.core.tr("maint.login.locked", {{"t", "60秒"}})));
    // A week ahead (the session times out on the wall clock: the menu is opened again), then
    // back a month: the right PIN is refused each time.
    for (const std::int64_t jump : {7LL * 24 * 3600 * 1000, -30LL * 24 * 3600 * 1000}) {
        k.set_wall_clock(k.now + jump);
        if (k.core.scene() == SceneId::Attract) k.corner_taps(5);
        k.intent("retry");
        k.keys("2468");
        CHECK_FALSE(k.core.maintenance());
    }
    k.advance(61);  // time really passing lifts it
    if (k.core.scene() == SceneId::Attract) k.corner_taps(5);
    k.intent("retry");
    k.keys("2468");
    CHECK(k.core.maintenance());
}

TEST_CASE("core.service lockouts double without a good login, and the fleet hears of it") {
    TempDir dir;
    Config c = service_config(dir.path, false, true);
    c.service_menu.alert_after_failures = 6;
    c.service_menu.idle_seconds = 3600;  // the menu waits through the lockouts
    Kiosk k(c);
    k.corner_taps(5);
    auto alerts = [&] {
        int n = 0;
        auto fx = k.effects();
        for (const auto& e : test::take_of<fx::OutboxAppend>(fx, "alert.staff_lockout")) {
            CHECK(e.payload.find("\"failures\"") != std::string::npos);
            CHECK(e.payload.find("1111") == std::string::npos);  // never what was typed
            ++n;
        }
        return n;
    };
    for (const char* pin : {"1111", "2222", "3333"}) k.keys(pin);
    CHECK(k.shows(k.core.tr("maint.login.locked", {{"t", "60秒"}})));
    CHECK(alerts() == 0);
    k.advance(60);
    k.intent("retry");
    for (const char* pin : {"1111", "2222", "3333"}) k.keys(pin);
    CHECK(k.shows(k.core.tr("maint.login.locked", {{"t", "2分钟"}})));  // doubled
    CHECK(alerts() == 1);                                               // the sixth wrong try
    k.advance(120);
    k.intent("retry");
    for (const char* pin : {"1111", "2222", "3333"}) k.keys(pin);
    CHECK(k.shows(k.core.tr("maint.login.locked", {{"t", "4分钟"}})));
    CHECK(alerts() == 1);  // and every lockout after that
    k.advance(240);
    k.intent("retry");
    k.keys("2468");  // a good login starts again from the first lockout
    CHECK(k.core.maintenance());
    const auto l =
        staff::load_lockout(staff::lockout_path(dir.path), staff::lockout_clock(k.mono, k.now), {});
    CHECK(l.lockouts == 0);
    CHECK(l.total == 0);
}

TEST_CASE("core.service a long lockout reads in hours and minutes, not seconds") {
    for (const auto& want : std::vector<std::pair<int, std::string>>{
             {86400, "24小时"}, {9000, "2小时30分钟"}, {5400, "90分钟"}, {300, "5分钟"}}) {
        TempDir dir;
        Config c = service_config(dir.path, false, true);
        c.service_menu.max_failures = 1;
        c.service_menu.lockout_seconds = want.first;
        c.service_menu.max_lockout_seconds = 86400;
        Kiosk k(c);
        k.corner_taps(5);
        k.keys("1111");
        CHECK_MESSAGE(k.shows(k.core.tr("maint.login.locked", {{"t", want.second}})), want.second);
    }
}

TEST_CASE("core.service lockout lengths are capped, and a 4-digit PIN takes years to guess") {
    staff::LockoutPolicy p;  // the defaults: 5 tries, 300 s doubling, 24 h cap
    CHECK(staff::lockout_ms(1, p) == 300'000);
    CHECK(staff::lockout_ms(2, p) == 600'000);
    CHECK(staff::lockout_ms(9, p) == 300'000LL << 8);
    CHECK(staff::lockout_ms(10, p) == 86'400'000);
    CHECK(staff::lockout_ms(1000, p) == 86'400'000);
    const double years = staff::brute_force_seconds(4, p) / (365.25 * 86400);
    MESSAGE("every 4-digit PIN under the default policy: " << years << " years");
    CHECK(years > 5.0);                        // docs/service-menu.md quotes this figure
    staff::LockoutPolicy old{5, 300, 300, 0};  // 0.1: a fixed 300 s
    CHECK(staff::brute_force_seconds(4, old) / 86400 < 7.0);  // about a week, as issue #20 says
}

TEST_CASE("core.service lockout file: restarts, reboots, old and damaged files") {
    TempDir dir;
    const std::string p = staff::lockout_path(dir.path);
    staff::LockoutPolicy pol{3, 60, 3600, 0};
    staff::Lockout l;
    CHECK_FALSE(l.fail(1000, pol).locked);
    CHECK_FALSE(l.fail(1000, pol).locked);
    CHECK(l.fail(1000, pol).locked);
    CHECK(l.locked(1000 + 59'000));
    CHECK_FALSE(l.locked(1000 + 60'000));
    // The same boot, 20 s later (on the boot clock): 40 s remain, whatever the new process's
    // monotonic clock reads.
    staff::LockoutClock at{1000, 500'000, "0b5e2e3c-1111-4222-8333-444455556666", 0};
    staff::Lockout back;
    REQUIRE(
        staff::Lockout::from_text(l.to_text(at), {7000, 520'000, at.boot_id, 0}, pol).has_value());
    back = *staff::Lockout::from_text(l.to_text(at), {7000, 520'000, at.boot_id, 0}, pol);
    CHECK(back.locked_until_ms == 7000 + 40'000);
    CHECK(back.lockouts == 1);
    // Another boot: the time the kiosk was off does not count.
    back = *staff::Lockout::from_text(l.to_text(at), {7000, 5'000, "another-boot", 0}, pol);
    CHECK(back.locked_until_ms == 7000 + 60'000);
    // A file with a remaining time beyond the cap is clamped, not trusted.
    back = *staff::Lockout::from_text("v2 0 1 3 99999999999 - 0\n", {0, 0, "", 0}, pol);
    CHECK(back.locked_until_ms == 3'600'000);
    // v1 (0.1, wall clock): what remained on the wall clock.
    back = *staff::Lockout::from_text("v1 2 70000\n", {100, 0, "", 40'000}, pol);
    CHECK(back.locked_until_ms == 100 + 30'000);
    CHECK(back.failures == 2);
    // The real file, written and read.
    const auto now = staff::lockout_clock(1000, 0);
    REQUIRE(staff::save_lockout(p, l, now));
    CHECK(staff::load_lockout(p, now, pol).locked(1000 + 59'000));
    CHECK_FALSE(staff::Lockout::from_text("v1 2", now, pol));
    CHECK_FALSE(staff::Lockout::from_text("v2 1 1", now, pol));
    CHECK_FALSE(staff::Lockout::from_text("v2 0 -1 0 0 - 0", now, pol));
    CHECK_FALSE(staff::Lockout::from_text("v3 0 0 0 0 - 0", now, pol));
    {
        std::FILE* f = std::fopen(p.c_str(), "w");
        std::fputs("garbage", f);
        std::fclose(f);
    }
    CHECK(staff::load_lockout(p, {5000, 0, "", 0}, pol).locked(5000));  // damaged = locked
    CHECK_FALSE(staff::load_lockout(dir.path + "/none", {5000, 0, "", 0}, pol).locked(5000));
}

TEST_CASE("core.service PIN and card hashes") {
    CHECK(pin_hash_2468().starts_with("$argon2id$"));
    CHECK(staff::verify_pin(pin_hash_2468(), "2468"));
    CHECK_FALSE(staff::verify_pin(pin_hash_2468(), "2469"));
    CHECK_FALSE(staff::verify_pin("", "2468"));
    CHECK_FALSE(staff::valid_pin("123"));
    CHECK_FALSE(staff::valid_pin("12a4"));
    const std::string h = staff::card_hash("430602199001011235");
    CHECK(h.size() == 64);
    CHECK(h == staff::card_hash("430602199001011235"));
    CHECK(h != staff::card_hash("43060319850505234X"));
    CHECK(
        staff::audit_json("S001", "locker.open", "compartment \"103\"", 0) ==
        R"({"at":"1970-01-01T00:00:00Z","actor":"S001","action":"locker.open","target":"compartment \"103\""})");
}

TEST_CASE("core.service staff card on the allow-list logs in, another card counts as a failure") {
    TempDir dir;
    Config c = service_config(dir.path, false, false);
    c.service_menu.staff_cards = {staff::card_hash("430602199001011235")};
    Kiosk k(std::move(c));
    k.corner_taps(5);
    REQUIRE(k.shows(k.core.tr("maint.login.card")));
    Person other;
    other.id_number = "43060319850505234X";
    k.core.handle(CardRead{other});
    CHECK_FALSE(k.core.maintenance());
    CHECK(k.shows(k.core.tr("maint.login.wrong")));
    Person staffer;
    staffer.id_number = "430602199001011235";
    k.core.handle(CardRead{staffer});
    CHECK(k.core.maintenance());
    for (const auto& a : Kiosk::audits(k.effects()))
        CHECK(a.find("430602") == std::string::npos);  // the number never reaches the hall
}

TEST_CASE("core.service handshake a citizen mid-flow chooses wait then the menu opens at the end") {
    TempDir dir;
    Kiosk k(service_config(dir.path, true, false));
    k.intent("home");
    k.intent("tile", "queue");
    REQUIRE(k.core.scene() == SceneId::Ticket);
    const auto serial = k.core.session().serial;
    k.corner_taps(5);
    REQUIRE(k.core.scene() == SceneId::Service);
    CHECK(k.shows(k.core.tr("maint.interrupted")));
    k.intent("wait");
    CHECK(k.core.scene() == SceneId::Ticket);
    CHECK(k.core.service_pending());
    k.intent("finish");
    CHECK(k.core.scene() == SceneId::Service);
    CHECK(k.core.session().serial == serial + 1);  // a fresh session: the citizen's is gone
    CHECK_FALSE(k.core.maintenance());             // not before someone logs in
}

TEST_CASE("core.service handshake abandon wipes the citizen's session") {
    TempDir dir;
    Kiosk k(service_config(dir.path, true, false));
    k.intent("home");
    k.intent("tile", "queue");
    k.core.session_mut().data.phone = "13800138000";
    k.corner_taps(5);
    k.intent("abandon");
    CHECK(k.core.scene() == SceneId::Service);
    CHECK(k.core.session().data.phone.empty());
    CHECK(k.shows(k.core.tr("maint.login.staff_id")));
    // Backing out of the login returns the kiosk to the citizens.
    k.intent("back");
    CHECK(k.core.scene() == SceneId::Attract);
}

TEST_CASE("core.service handshake pause shows out of service and takes no public taps") {
    TempDir dir;
    Kiosk k(service_config(dir.path, true, false));
    k.hall_login();
    k.intent("pause");
    CHECK(k.core.scene() == SceneId::OutOfService);
    CHECK(k.core.maintenance());
    k.intent("finish");
    k.intent("home");
    CHECK(k.core.scene() == SceneId::OutOfService);
    k.corner_taps(5);
    CHECK(k.core.scene() == SceneId::Service);
    k.intent("back");  // no login: back to the out-of-service screen
    CHECK(k.core.scene() == SceneId::OutOfService);
}

TEST_CASE("core.service handshake inactivity ends maintenance and gives the kiosk back") {
    TempDir dir;
    Kiosk k(service_config(dir.path, true, false));
    k.hall_login();
    k.effects();
    k.advance(61);  // a citizen's limit has passed; the menu's has not
    CHECK(k.core.scene() == SceneId::Service);
    CHECK_FALSE(k.core.view().warning);
    k.advance(60);
    CHECK(k.core.view().warning);
    k.advance(31);
    CHECK(k.core.scene() == SceneId::Attract);
    CHECK_FALSE(k.core.maintenance());
    CHECK(Kiosk::has(Kiosk::audits(k.effects()), "maintenance.end"));
}

TEST_CASE("core.service exit ends maintenance with an audit record") {
    TempDir dir;
    Kiosk k(service_config(dir.path, true, false));
    k.hall_login();
    k.effects();
    k.intent("exit");
    CHECK(k.core.scene() == SceneId::Attract);
    CHECK_FALSE(k.core.maintenance());
    CHECK_FALSE(k.core.session().active);
    CHECK(Kiosk::has(Kiosk::audits(k.effects()), "maintenance.end"));
}

TEST_CASE("core.service deposit scan, lookup, size, door, hall") {
    TempDir dir;
    Kiosk k(service_config(dir.path, true, false));
    k.hall_login();
    k.intent("deposit");
    k.effects();
    k.core.handle(CodeScanned{CodeKind::pickup, "246810", CodeRejection::none, ScanSource::inject});
    CHECK(k.shows(k.core.tr("maint.deposit.not_certificate")));
    k.certificate_named();
    CHECK(k.shows("不动产登记"));
    k.intent("size", "M");
    auto fx = k.effects();
    std::string key;
    for (const auto& e : test::take_of<fx::LockerDeposit>(fx)) {
        key = e.key;
        CHECK(e.min_size == "M");
    }
    REQUIRE(!key.empty());
    k.core.handle(LockerUpdate{key, 105, LockerStep::opened});
    CHECK(k.core.busy());
    CHECK(k.shows(k.core.tr("maint.deposit.put_in", {{"n", "105"}})));
    k.intent("exit");  // not while the door is open
    CHECK(k.core.maintenance());
    k.core.handle(LockerUpdate{key, 105, LockerStep::closed, LockerOutcome::completed});
    fx = k.effects();
    auto tag = Kiosk::hall_tag(fx, api::Op::deposit);
    REQUIRE(tag != 0);
    for (const auto& e : test::take_of<fx::HallRequest>(fx)) {
        CHECK(e.request.bearer == "tok-0123456789abcdef");
        CHECK(e.request.body.find("\"door\":5") != std::string::npos);
        CHECK(e.request.body.find("\"C1\"") != std::string::npos);
    }
    k.reply_error(tag, api::Op::deposit, api::ErrorKind::offline);
    CHECK(k.shows(k.core.tr("maint.deposit.report_failed")));
    k.intent("report");
    tag = Kiosk::hall_tag(k.effects(), api::Op::deposit);
    k.reply(tag, api::Op::deposit, api::Deposit{"PK2007", {"C1", 5}, true});
    CHECK(k.shows("PK2007"));
    CHECK_FALSE(k.core.busy());
    CHECK(Kiosk::has(Kiosk::audits(k.effects()), "deposit"));
}

TEST_CASE("core.service deposit errors unknown certificate no free compartment and a jam") {
    TempDir dir;
    Kiosk k(service_config(dir.path, true, false));
    k.hall_login();
    k.intent("deposit");
    k.core.handle(CodeScanned{CodeKind::certificate, "APP-2099-0001", CodeRejection::none,
                              ScanSource::inject});
    auto tag = Kiosk::hall_tag(k.effects(), api::Op::application);
    k.reply_error(tag, api::Op::application, api::ErrorKind::not_found);
    CHECK(k.shows(k.core.tr("maint.deposit.unknown")));
    k.intent("scan");
    k.certificate_named();
    k.intent("size", "XL");
    auto key = [&] { return k.locker_key<fx::LockerDeposit>(); };
    std::string first = key();
    k.core.handle(
        LockerUpdate{first, 0, LockerStep::refused, LockerOutcome::none, LockerRefusal::no_free});
    CHECK(k.shows(k.core.tr("maint.deposit.no_free")));
    k.intent("size");
    k.intent("size", "S");
    k.advance(1);
    std::string second = key();
    REQUIRE(!second.empty());
    k.core.handle(LockerUpdate{second, 102, LockerStep::unlock_sent});
    k.core.handle(LockerUpdate{second, 102, LockerStep::jammed});
    CHECK(k.shows(k.core.tr("maint.deposit.door_failed")));
    CHECK(Kiosk::has(Kiosk::audits(k.effects()), "deposit.door_failed"));
    k.advance(1);
    k.intent("retry_size");
    const std::string third = key();
    CHECK(!third.empty());
    CHECK(third != second);
}

TEST_CASE("core.service overdue retrieval opens the door and tells the hall") {
    TempDir dir;
    Kiosk k(service_config(dir.path, true, false));
    k.hall_login();
    k.effects();
    k.intent("overdue");
    std::uint64_t tag = 0;
    auto fx = k.effects();
    for (const auto& e : test::take_of<fx::Diagnostics>(fx)) {
        tag = e.tag;
        CHECK(e.overdue_days == 7);
    }
    REQUIRE(tag != 0);
    DeviceReport r;
    r.tag = tag;
    r.overdue = {107};
    r.compartments = {{107, "M", "occupied", 0}};
    k.core.handle(r);
    CHECK(k.shows(k.core.tr("maint.locker.one", {{"n", "107"}})));
    k.intent("retrieve", "108");  // not in the list: nothing opens
    k.intent("retrieve", "107");
    bool opened = false;
    fx = k.effects();
    for (const auto& e : fx)
        if (const auto* op = std::get_if<fx::LockerOpen>(&e); op && op->compartment == 107)
            opened = true;
    CHECK(opened);
    CHECK(Kiosk::has(Kiosk::audits(fx), "overdue.retrieve"));
}

TEST_CASE("core.service diagnostics lockers grid and restart") {
    TempDir dir;
    Kiosk k(service_config(dir.path, true, false));
    k.hall_login();
    k.intent("devices");
    DeviceReport r;
    r.devices = {{"printer", "user error", "paper out", {{"jobs", 3}}, {}}};
    k.report(r);
    CHECK(k.shows("paper out"));
    k.intent("test", "scan");
    k.core.handle(CodeScanned{CodeKind::pickup, "246810", CodeRejection::none, ScanSource::inject});
    CHECK_FALSE(k.shows("246810"));  // masked
    k.intent("back");
    k.intent("home");
    k.intent("restart");
    k.intent("restart");
    CHECK(test::has<fx::Restart>(k.effects()));
}

TEST_CASE("core.service a compartment marked faulty then repaired, each audited") {
    TempDir dir;
    Kiosk k(service_config(dir.path, true, false));
    k.hall_login();
    k.intent("lockers");
    DeviceReport r;
    r.compartments = {{105, "M", "free", 0}};
    k.report(r);
    k.intent("compartment", "105");
    CHECK(k.shows(k.core.tr("maint.locker.mark_faulty")));
    k.intent("mark", "faulty");
    auto fx = k.effects();
    std::string key;
    for (const auto& e : test::take_of<fx::LockerMark>(fx)) {
        key = e.key;
        CHECK(e.compartment == 105);
        CHECK(e.mark == CompartmentMark::faulty);
    }
    REQUIRE(!key.empty());
    CHECK(Kiosk::has(Kiosk::audits(fx), "locker.faulty"));
    k.core.handle(LockerUpdate{key, 105, LockerStep::marked, LockerOutcome::none,
                               LockerRefusal::none, CompartmentMark::faulty});
    CHECK(k.shows(k.core.tr("maint.locker.marked_faulty", {{"n", "105"}})));
    // The new report shows it faulty: the page offers "repaired".
    r.compartments = {{105, "M", "faulty", 0}};
    k.report(r);
    CHECK(k.shows(k.core.tr("maint.locker.mark_repaired")));
    k.intent("mark", "repaired");
    fx = k.effects();
    for (const auto& e : test::take_of<fx::LockerMark>(fx)) key = e.key;
    CHECK(Kiosk::has(Kiosk::audits(fx), "locker.repaired"));
    k.core.handle(LockerUpdate{key, 105, LockerStep::refused, LockerOutcome::none,
                               LockerRefusal::not_available});
    CHECK(k.shows(k.core.tr("maint.locker.mark_failed", {{"n", "105"}})));
    k.intent("mark", "nonsense");  // only faulty / repaired
    CHECK_FALSE(test::has<fx::LockerMark>(k.effects()));
}

TEST_CASE(
    "core.service board discovery shows silent and unexpected boards - open-all is confirmed and "
    "audited") {
    TempDir dir;
    Kiosk k(service_config(dir.path, true, false));
    k.hall_login();
    k.intent("lockers");
    k.report(DeviceReport{});
    CHECK(k.shows(k.core.tr("maint.boards.find")));
    k.intent("boards");
    auto fx = k.effects();
    std::uint64_t tag = 0;
    for (const auto& e : test::take_of<fx::LockerBoards>(fx)) tag = e.tag;
    REQUIRE(tag != 0);
    CHECK(Kiosk::has(Kiosk::audits(fx), "locker.find_boards"));
    CHECK(k.shows(k.core.tr("maint.boards.searching")));
    // An answer to another search is not this page's.
    k.core.handle(LockerBoards{tag + 1, true, {}});
    CHECK(k.shows(k.core.tr("maint.boards.searching")));
    LockerBoards b{tag, true, {}};
    LockerBoards::Bus bus;
    bus.bus = 0;
    bus.name = "main";
    bus.dialect = "8a80";
    bus.link = "serial:/dev/ttyS1";
    bus.method = "probe";
    bus.probed_from = 1;
    bus.probed_to = 5;
    bus.configured = {1, 2, 3};
    bus.answering = {1, 3, 5};
    bus.doors = {8, 8, 4};
    b.buses = {bus};
    k.core.handle(b);
    CHECK(k.shows(k.core.tr("maint.boards.missing", {{"list", "2"}})));
    CHECK(k.shows(k.core.tr("maint.boards.unexpected", {{"list", "5"}})));
    CHECK(k.shows(k.core.tr("maint.boards.method_probe", {{"a", "1"}, {"z", "5"}})));
    CHECK(k.shows(k.core.tr("maint.boards.open_all", {{"b", "1"}})));
    CHECK(k.shows(k.core.tr("maint.boards.open_all", {{"b", "3"}})));
    // Only a configured board that answered can be opened: 2 is silent, 5 unconfigured, and a
    // made-up argument does nothing.
    CHECK_FALSE(k.shows(k.core.tr("maint.boards.open_all", {{"b", "2"}})));
    for (const char* arg : {"0:2", "0:5", "1:1", "0:", ":1", "x:1", "0:1:1", ""}) {
        k.intent("open_all", arg);
        CHECK_FALSE(k.shows(k.core.tr("maint.boards.confirm_hint")));
    }
    CHECK_FALSE(test::has<fx::LockerOpenAll>(k.effects()));
    k.intent("open_all", "0:3");
    CHECK(k.shows(k.core.tr("maint.boards.confirm", {{"b", "3"}, {"n", "4"}})));
    CHECK_FALSE(test::has<fx::LockerOpenAll>(k.effects()));  // asked first, not done
    k.intent("back");                                        // changed their mind
    CHECK_FALSE(k.shows(k.core.tr("maint.boards.confirm_hint")));
    k.intent("open_all", "0:3");
    k.intent("open_all_confirm");
    fx = k.effects();
    std::string key;
    for (const auto& e : test::take_of<fx::LockerOpenAll>(fx)) {
        key = e.key;
        CHECK(e.bus == 0);
        CHECK(e.board == 3);
    }
    REQUIRE(!key.empty());
    CHECK(Kiosk::has(Kiosk::audits(fx), "locker.open_all"));
    for (int n : {17, 18, 19})
        k.core.handle(LockerUpdate{key + "#" + std::to_string(n), n, LockerStep::opened});
    k.core.handle(LockerUpdate{key + "#20", 20, LockerStep::jammed});
    k.core.handle(LockerUpdate{"someone-else#1", 1, LockerStep::opened});  // not ours
    CHECK(k.shows(k.core.tr("maint.boards.opened_all", {{"b", "3"}, {"n", "3"}, {"f", "1"}})));
    // Nothing could start (every door busy, or no locker): said so, not "0 opened".
    k.intent("open_all", "0:1");
    k.intent("open_all_confirm");
    fx = k.effects();
    for (const auto& e : test::take_of<fx::LockerOpenAll>(fx)) key = e.key;
    k.core.handle(LockerUpdate{key, 0, LockerStep::refused, LockerOutcome::none,
                               LockerRefusal::not_available});
    CHECK(k.shows(k.core.tr("maint.boards.open_all_refused", {{"b", "1"}})));
    // No locker wall at all.
    k.intent("boards");
    fx = k.effects();
    for (const auto& e : test::take_of<fx::LockerBoards>(fx)) tag = e.tag;
    k.core.handle(LockerBoards{tag, false, {}});
    CHECK(k.shows(k.core.tr("maint.locker.none")));
    k.intent("back");
    CHECK(k.shows(k.core.tr("maint.boards.find")));
}

TEST_CASE("core.service paper status and the reset of the paper count") {
    TempDir dir;
    Kiosk k(service_config(dir.path, true, false));
    k.hall_login();
    k.intent("devices");
    DeviceReport r;
    r.devices = {{"printer", "online", "", {{"printed", 140}}, {{"paper", "near_end", 140, 0}}}};
    k.report(r);
    CHECK(k.shows(k.core.tr("maint.consumable.level.near_end")));
    CHECK(k.shows(k.core.tr("maint.consumable.reset.printer")));
    k.intent("reset", "a4_printer-or-anything");  // only the printers' counts
    CHECK_FALSE(test::has<fx::ResetConsumable>(k.effects()));
    k.intent("reset", "printer");
    auto fx = k.effects();
    bool reset = false, report = false;
    for (const auto& e : fx) {
        if (const auto* r = std::get_if<fx::ResetConsumable>(&e)) reset = r->device == "printer";
        // The figures are asked for again after the reset (effects run in order).
        if (std::holds_alternative<fx::Diagnostics>(e)) report = reset;
    }
    CHECK(reset);
    CHECK(report);
    CHECK(Kiosk::has(Kiosk::audits(fx), "consumable.reset"));
}

TEST_CASE("core.service the hall login runs out: loading asks for it again, nothing else does") {
    TempDir dir;
    Kiosk k(service_config(dir.path, true, false));
    k.hall_login();  // expires 2026-11-27T14:00:00Z, 30 min from now
    k.effects();
    std::vector<Effect> fx;
    for (int minute = 0; minute < 31; ++minute) {  // staff at work: a touch every minute
        k.core.handle(Touch{});
        k.advance(60);
        for (auto& e : k.effects()) fx.push_back(std::move(e));
    }
    CHECK(Kiosk::has(Kiosk::audits(fx), "hall_session.expired"));
    CHECK(k.core.maintenance());  // the menu goes on
    CHECK(k.shows(k.core.tr("maint.deposit.login_first")));
    k.intent("deposit");  // → a new hall login
    CHECK(k.shows(k.core.tr("maint.login.staff_id")));
    k.intent("back");  // given up: back to the menu, still in maintenance
    CHECK(k.shows(k.core.tr("maint.menu_prompt")));
    CHECK(k.core.maintenance());
    k.intent("deposit");
    k.effects();
    k.hall_login_again();
    auto audits = Kiosk::audits(k.effects());
    CHECK(Kiosk::has(audits, "login"));
    CHECK_FALSE(Kiosk::has(audits, "maintenance.start"));  // the same maintenance goes on
    CHECK_FALSE(k.shows(k.core.tr("maint.deposit.login_first")));
}

TEST_CASE("core.service a deposit the hall refuses as unauthorized is reported after a new login") {
    TempDir dir;
    Kiosk k(service_config(dir.path, true, false));
    k.hall_login();
    k.intent("deposit");
    k.certificate_named();
    k.intent("size", "M");
    const std::string key = k.locker_key<fx::LockerDeposit>();
    k.core.handle(LockerUpdate{key, 105, LockerStep::opened});
    k.core.handle(LockerUpdate{key, 105, LockerStep::closed, LockerOutcome::completed});
    auto tag = Kiosk::hall_tag(k.effects(), api::Op::deposit);
    k.reply_error(tag, api::Op::deposit, api::ErrorKind::unauthorized);
    CHECK(k.shows(k.core.tr("maint.deposit.session_expired")));
    k.intent("relogin");
    k.hall_login_again();
    // Straight after the login the same deposit goes to the hall again, same key, new token.
    bool again = false;
    for (const auto& effect : k.effects())
        if (const auto* e = std::get_if<fx::HallRequest>(&effect);
            e && e->request.op == api::Op::deposit) {
            again = true;
            CHECK(e->request.idempotency_key == key);
            CHECK(e->request.bearer == "tok-fedcba9876543210");
            tag = e->tag;
        }
    REQUIRE(again);
    k.reply(tag, api::Op::deposit, api::Deposit{"PK2008", {"C1", 5}, true});
    CHECK(k.shows("PK2008"));
}

}  // namespace kiosk::test

namespace kiosk::test {

TEST_CASE("core.service configuration keys are validated") {
    Config c = default_config();
    CHECK(c.service_menu.gesture == "corner-taps");
    CHECK(c.service_menu.pin_hash.empty());  // no default PIN ships
    CHECK(c.service_menu.staff_cards.empty());
    auto bad = [&](const char* text) {
        Config x = default_config();
        auto e = apply_config(x, text, "t.toml");
        return e && e->kind != ConfigError::Kind::UnknownKey;
    };
    CHECK(bad("[service_menu]\ngesture = \"swipe\"\n"));
    CHECK(bad("[service_menu]\npin_hash = \"1234\"\n"));
    CHECK(bad("[service_menu]\nstaff_cards = [\"430602199001011235\"]\n"));
    CHECK(bad("[service_menu]\nstaff_id_prefix = \"s1\"\n"));
    CHECK(bad("[service_menu]\nmax_failures = 0\n"));
    CHECK(bad("[service_menu]\nidle_seconds = 5\n"));
    Config ok = default_config();
    const std::string text = "[service_menu]\ngesture = \"off\"\npin_hash = \"" + pin_hash_2468() +
                             "\"\nstaff_cards = [\"" + std::string(64, 'a') + "\"]\n";
    CHECK_FALSE(apply_config(ok, text, "t.toml"));
    CHECK(ok.service_menu.gesture == "off");
    CHECK(staff::verify_pin(ok.service_menu.pin_hash, "2468"));
}

TEST_CASE("core.service a staff login at the kiosk resolves the open staff call (issue 17)") {
    TempDir dir;
    Kiosk k(service_config(dir.path, true, false));
    k.intent("home");
    k.intent("tile", "queue");
    k.intent("staff");
    std::uint64_t tag = 0;
    auto calls = k.effects();
    for (const auto& e : test::take_of<fx::CallStaff>(calls, "assist.call")) tag = e.tag;
    REQUIRE(tag != 0);
    k.core.handle(OutboxStored{tag, true, {}});
    REQUIRE(k.core.assist().open());
    // Staff arrive and take the kiosk over: the call is not cancelled by that...
    k.corner_taps(5);
    k.intent("abandon");
    auto fx = k.effects();
    CHECK(test::take_of<fx::CallStaff>(fx, "assist.cancel").empty());
    CHECK(k.core.assist().open());
    // ...their login resolves it, by name, in the audit trail, and the menu lists it.
    k.staff_number_and_pin(
        {"tok-0123456789abcdef", "S001", "刘*", {"maintenance"}, "2026-11-27T14:00:00Z"});
    fx = k.effects();
    bool resolved = false;
    for (const auto& e : test::take_of<fx::CallStaff>(fx, "assist.resolve"))
        resolved = e.payload.find("\"by\":\"S001\"") != std::string::npos;
    CHECK(resolved);
    CHECK(Kiosk::has(Kiosk::audits(fx), "assist.resolve"));
    CHECK_FALSE(k.core.assist().open());
    CHECK(k.shows(k.core.tr("maint.assist.title")));
    CHECK(k.shows("citizen · ticket · " + k.core.tr("maint.assist.resolved") + " (S001)"));
}

}  // namespace kiosk::test
