// Devices with every simulator in-process: receipt printer, A4 printer, the demo locker wall,
// the inject scanner. The real drivers run over the simulated links; the outbox is a real
// SQLite file; a "restart" is a second Devices on the same state directory.
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <unistd.h>

#include "app/devices.hpp"
#include "backend/outbox.hpp"
#include "escpos/receipt_samples.hpp"
#include "common/temp_dir.hpp"

using namespace kiosk;
using kiosk::test::TempDir;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

Config config_for(const std::string& state_dir) {
    Config c;
    c.kiosk.state_dir = state_dir;
    c.kiosk.assets_dir = std::string(KIOSK_SOURCE_DIR) + "/assets";
    c.backend.url = "sim:";
    c.devices.idcard = "";
    c.devices.scanner = "sim:scanner";
    c.devices.printer = "sim:printer";
    c.devices.a4_printer = "sim:a4";
    c.devices.locker = "sim:locker";
    return c;
}

// Devices plus everything it reported so far; waits on the wake callback (no busy polling).
struct Rig {
    std::mutex mu;
    std::condition_variable cv;
    bool woken = false;
    Config config;
    std::unique_ptr<backend::Outbox> outbox;
    std::unique_ptr<app::Devices> devices;
    std::vector<Event> events;

    explicit Rig(const std::string& state_dir, bool with_outbox = true)
        : config(config_for(state_dir)) {
        if (with_outbox) {
            auto ob = backend::Outbox::open({.path = state_dir + "/outbox.db"});
            REQUIRE(ob.ok());
            outbox = std::move(ob.value());
        }
        devices = std::make_unique<app::Devices>(config, [this] {
            std::lock_guard lock(mu);
            woken = true;
            cv.notify_all();
        });
        devices->set_outbox(outbox.get());
        devices->start();
    }
    ~Rig() { devices.reset(); }

    // Polls until `pred` holds for some event (returns it) or 20 s pass.
    template <typename T, typename P>
    std::optional<T> wait_for(P pred, std::chrono::milliseconds limit = 20s) {
        const auto end = std::chrono::steady_clock::now() + limit;
        std::size_t seen = 0;
        while (true) {
            for (auto& e : devices->poll()) events.push_back(std::move(e));
            for (; seen < events.size(); ++seen)
                if (auto* t = std::get_if<T>(&events[seen]); t && pred(*t)) {
                    T out = *t;
                    ++seen;
                    events.erase(events.begin(),
                                 events.begin() + static_cast<std::ptrdiff_t>(seen));
                    return out;
                }
            if (std::chrono::steady_clock::now() >= end) return std::nullopt;
            std::unique_lock lock(mu);
            cv.wait_for(lock, 200ms, [&] { return woken; });
            woken = false;
        }
    }
    // Waits until `device` is reported up (or down).
    bool availability(const std::string& device, bool up) {
        return wait_for<DeviceAvailability>(
                   [&](const DeviceAvailability& a) { return a.device == device && a.up == up; })
            .has_value();
    }
    std::optional<LockerUpdate> locker(const std::string& key, LockerStep what,
                                       std::chrono::milliseconds limit = 20s) {
        return wait_for<LockerUpdate>(
            [&](const LockerUpdate& u) { return u.key == key && u.what == what; }, limit);
    }
};

std::vector<std::string> files_ending(const std::string& dir, const std::string& suffix) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().filename().string().ends_with(suffix))
            out.push_back(e.path().filename().string());
    return out;
}

Effect print(std::uint64_t tag, const std::string& name) {
    fx::Print job{tag, name, {}, "en"};
    for (const auto& [k, v] : escpos::sample_receipt_data(name).fields)
        job.fields.push_back({k, v});
    return job;
}

Effect pdf_job(std::uint64_t tag, std::string pdf) {
    return fx::PrintPdf{tag, std::move(pdf), "proof"};
}

std::int64_t outbox_rows(const std::string& path, const std::string& kind) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM outbox WHERE kind=?", -1, &st, nullptr) ==
            SQLITE_OK);
    sqlite3_bind_text(st, 1, kind.c_str(), -1, SQLITE_TRANSIENT);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    const std::int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

}  // namespace

TEST_CASE(
    "app.printer a pickup slip through the simulated printer is PrintDone ok and a PNG in "
    "printed") {
    TempDir dir;
    Rig rig(dir.path);
    rig.devices->apply(print(7, "pickup_slip"));
    auto done = rig.wait_for<PrintDone>([](const PrintDone& d) { return d.tag == 7; });
    REQUIRE(done);
    CHECK(done->ok);
    CHECK(done->reason == PrintFailure::none);
    const auto pngs = files_ending(dir.path + "/printed", "-pickup_slip.png");
    REQUIRE(pngs.size() == 1);
    CHECK(fs::file_size(dir.path + "/printed/" + pngs[0]) > 1000);
    // An unknown template is refused before anything reaches the printer.
    rig.devices->apply(print(8, "no_such_template"));
    auto bad = rig.wait_for<PrintDone>([](const PrintDone& d) { return d.tag == 8; });
    REQUIRE(bad);
    CHECK_FALSE(bad->ok);
    CHECK(bad->reason == PrintFailure::failed);
}

TEST_CASE("app.printer paper out fails the job as paper_out and held and prints it on paper in") {
    TempDir dir;
    Rig rig(dir.path);
    REQUIRE(rig.availability("printer", true));
    REQUIRE(rig.devices->simulate("printer", "paper out"));
    REQUIRE(rig.availability("printer", false));
    rig.devices->apply(print(11, "queue_ticket"));
    auto failed = rig.wait_for<PrintDone>([](const PrintDone& d) { return d.tag == 11; });
    REQUIRE(failed);
    CHECK_FALSE(failed->ok);
    CHECK(failed->reason == PrintFailure::paper_out);
    CHECK(failed->held);
    CHECK(files_ending(dir.path + "/printed", "-queue_ticket.png").empty());
    REQUIRE(rig.devices->simulate("printer", "paper in"));
    auto later = rig.wait_for<PrintDone>([](const PrintDone& d) { return d.tag == 11; });
    REQUIRE(later);
    CHECK(later->ok);
    CHECK(files_ending(dir.path + "/printed", "-queue_ticket.png").size() == 1);
}

TEST_CASE("app.a4 the virtual A4 printer stores the PDF and refuses what is not one") {
    TempDir dir;
    Rig rig(dir.path);
    const std::string pdf =
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        "3 0 obj << /Type /Page /Parent 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    fx::PrintPdf job{21, pdf, "proof"};
    rig.devices->apply(job);
    auto done = rig.wait_for<PrintDone>([](const PrintDone& d) { return d.tag == 21; });
    REQUIRE(done);
    CHECK(done->ok);
    const auto pdfs = files_ending(dir.path + "/printed", "-a4.pdf");
    REQUIRE(pdfs.size() == 1);
    std::ifstream f(dir.path + "/printed/" + pdfs[0], std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    CHECK(ss.str() == pdf);

    job.tag = 22;
    job.pdf = "<html>not a pdf</html>";
    rig.devices->apply(job);
    auto bad = rig.wait_for<PrintDone>([](const PrintDone& d) { return d.tag == 22; });
    REQUIRE(bad);
    CHECK_FALSE(bad->ok);
    CHECK(bad->reason == PrintFailure::failed);

    // Paper out: held, printed once paper is loaded.
    REQUIRE(rig.devices->simulate("a4_printer", "paper out"));
    job.tag = 23;
    job.pdf = pdf;
    rig.devices->apply(job);
    auto held = rig.wait_for<PrintDone>([](const PrintDone& d) { return d.tag == 23; });
    REQUIRE(held);
    CHECK_FALSE(held->ok);
    CHECK(held->reason == PrintFailure::paper_out);
    CHECK(held->held);
    REQUIRE(rig.devices->simulate("a4_printer", "paper in"));
    auto ok = rig.wait_for<PrintDone>([](const PrintDone& d) { return d.tag == 23; });
    REQUIRE(ok);
    CHECK(ok->ok);
    CHECK(files_ending(dir.path + "/printed", "-a4.pdf").size() == 2);
}

TEST_CASE("app.locker a pickup on the demo wall is reported pickup.completed exactly once") {
    TempDir dir;
    const std::string key = "AUTH-PK1001-42";
    {
        Rig rig(dir.path);
        auto snap = rig.devices->locker_snapshot();
        CHECK(snap.size() == 24);
        for (const auto& c : snap) {
            const bool seeded = c.number == 103 || c.number == 104 || c.number == 107 ||
                                c.number == 201 || c.number == 202 || c.number == 203;
            CHECK_MESSAGE(c.occupied == seeded, c.number);
        }
        Effect job = fx::LockerPickup{key, 103, "PK1001"};
        rig.devices->apply(job);
        REQUIRE(rig.locker(key, LockerStep::unlock_sent));
        REQUIRE(rig.locker(key, LockerStep::opened));
        REQUIRE(rig.devices->simulate("locker", "take 103"));
        auto closed = rig.locker(key, LockerStep::closed);
        REQUIRE(closed);
        CHECK(closed->compartment == 103);
        CHECK(closed->outcome == LockerOutcome::completed);
        REQUIRE(rig.locker(key, LockerStep::reported));
        CHECK(rig.outbox->depth() == 1);
        auto head = rig.outbox->head();
        REQUIRE(head.ok());
        REQUIRE(head.value());
        CHECK(head.value()->kind == "pickup.completed");
        CHECK(head.value()->payload.find("\"operation_key\":\"" + key + "\"") != std::string::npos);
        CHECK(head.value()->payload.find("\"pickup_id\":\"PK1001\"") != std::string::npos);
        CHECK(head.value()->payload.find("\"compartment\":103") != std::string::npos);
        CHECK(head.value()->payload.find("\"outcome\":\"completed\"") != std::string::npos);
    }
    {
        // A crash between the outbox append and the journal's "reported": the journal still
        // says "closed" at the next start, so the report is made again with the same key.
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open((dir.path + "/locker.db").c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db, "UPDATE ops SET step=3", nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    {
        Rig rig(dir.path);  // restart on the same state directory
        REQUIRE(rig.locker(key, LockerStep::reported));
        CHECK(outbox_rows(dir.path + "/outbox.db", "pickup.completed") == 1);
        CHECK(rig.outbox->depth() == 1);
        // The same authorisation again: nothing fires.
        rig.devices->apply(fx::LockerPickup{key, 103, {}});
        auto dup = rig.locker(key, LockerStep::refused);
        REQUIRE(dup);
        CHECK(dup->refusal == LockerRefusal::duplicate);
        // The compartment is empty now, also for the restarted wall.
        for (const auto& c : rig.devices->locker_snapshot())
            if (c.number == 103) CHECK_FALSE(c.occupied);
        rig.devices->apply(fx::LockerPickup{"AUTH-X-1", 103, {}});
        auto wrong = rig.locker("AUTH-X-1", LockerStep::refused);
        REQUIRE(wrong);
        CHECK(wrong->refusal == LockerRefusal::wrong_state);
    }
    CHECK(outbox_rows(dir.path + "/outbox.db", "pickup.completed") == 1);
}

TEST_CASE("app.locker a jammed door is reported as jammed and a deposit picks a free compartment") {
    TempDir dir;
    Rig rig(dir.path);
    REQUIRE(rig.devices->simulate("locker", "jam 104"));
    rig.devices->apply(fx::LockerPickup{"AUTH-PK1002-1", 104, {}});
    REQUIRE(rig.locker("AUTH-PK1002-1", LockerStep::unlock_sent));
    auto jam = rig.locker("AUTH-PK1002-1", LockerStep::jammed);
    REQUIRE(jam);
    CHECK(jam->compartment == 104);
    for (const auto& c : rig.devices->locker_snapshot())
        if (c.number == 104) CHECK(c.faulty);

    // A deposit into the sensed cabinet C2... the smallest free XL is 111 (C1) then 211.
    rig.devices->apply(fx::LockerDeposit{"DEP-1", "XL"});
    auto sent = rig.locker("DEP-1", LockerStep::unlock_sent);
    REQUIRE(sent);
    const int n = sent->compartment;
    CHECK((n == 111 || n == 112 || n == 211 || n == 212));
    REQUIRE(rig.locker("DEP-1", LockerStep::opened));
    REQUIRE(rig.devices->simulate("locker", "put " + std::to_string(n)));
    auto closed = rig.locker("DEP-1", LockerStep::closed);
    REQUIRE(closed);
    CHECK(closed->outcome == LockerOutcome::completed);
    REQUIRE(rig.locker("DEP-1", LockerStep::reported));
    CHECK(outbox_rows(dir.path + "/outbox.db", "deposit.made") == 1);

    rig.devices->apply(fx::LockerPickup{"AUTH-NONE", 999, {}});
    auto none = rig.locker("AUTH-NONE", LockerStep::refused);
    REQUIRE(none);
    CHECK(none->refusal == LockerRefusal::no_such_compartment);

    bool found = false;
    for (const auto& s : rig.devices->status())
        if (s.name == "locker") {
            found = true;
            CHECK(s.counters.at("jammed") == 1);
            CHECK(s.counters.at("completed") == 1);
        }
    CHECK(found);
}

TEST_CASE("app.scanner injected codes arrive as CodeScanned with kind and reason") {
    TempDir dir;
    Rig rig(dir.path);
    REQUIRE(rig.devices->simulate("scanner", "scan 246810"));
    auto pickup = rig.wait_for<CodeScanned>([](const CodeScanned&) { return true; });
    REQUIRE(pickup);
    CHECK(pickup->kind == CodeKind::pickup);
    CHECK(pickup->value == "246810");
    CHECK(pickup->reason == CodeRejection::none);
    CHECK(pickup->source == ScanSource::inject);
    REQUIRE(rig.devices->simulate("scanner", "scan WIFI:T:WPA;S:HallGuest;P:secret123;;"));
    auto wifi = rig.wait_for<CodeScanned>([](const CodeScanned&) { return true; });
    REQUIRE(wifi);
    CHECK(wifi->kind == CodeKind::not_for_kiosk);
    CHECK(wifi->reason == CodeRejection::unknown_format);
    REQUIRE(rig.devices->simulate("scanner", "scan https://hall.example.gov.cn/guide/restaurant"));
    auto guide = rig.wait_for<CodeScanned>([](const CodeScanned&) { return true; });
    REQUIRE(guide);
    CHECK(guide->kind == CodeKind::guide);
    CHECK(guide->value == "restaurant");
    REQUIRE(rig.devices->simulate("scanner", "scan https://evil.example.com/guide/restaurant"));
    auto foreign = rig.wait_for<CodeScanned>([](const CodeScanned&) { return true; });
    REQUIRE(foreign);
    CHECK(foreign->kind == CodeKind::not_for_kiosk);
    CHECK(foreign->reason == CodeRejection::foreign_url);
    int w = 0, h = 0;
    std::vector<std::uint8_t> rgb;
    CHECK_FALSE(rig.devices->camera_preview(w, h, rgb));  // no camera fitted
}

TEST_CASE(
    "app.printer a session reset drops a held receipt so it never prints for the next person") {
    TempDir dir;
    Rig rig(dir.path);
    REQUIRE(rig.availability("printer", true));
    REQUIRE(rig.devices->simulate("printer", "paper out"));
    REQUIRE(rig.availability("printer", false));
    rig.devices->apply(print(31, "pickup_slip"));
    auto held = rig.wait_for<PrintDone>([](const PrintDone& d) { return d.tag == 31; });
    REQUIRE(held);
    CHECK(held->held);
    rig.devices->cancel_all();
    REQUIRE(rig.devices->simulate("printer", "paper in"));
    REQUIRE(rig.availability("printer", true));
    // Something printed after the reset is the next person's, and only that one.
    rig.devices->apply(print(32, "queue_ticket"));
    auto next = rig.wait_for<PrintDone>([](const PrintDone& d) { return d.tag == 32; });
    REQUIRE(next);
    CHECK(next->ok);
    CHECK(files_ending(dir.path + "/printed", "-pickup_slip.png").empty());
    for (const auto& e : rig.events)
        if (auto* d = std::get_if<PrintDone>(&e)) CHECK(d->tag != 31);
}

TEST_CASE("app.scanner the simulated camera scans only while a step wants it and gives a preview") {
    TempDir dir;
    Rig rig(dir.path);
    rig.config.devices.camera = "sim:camera";
    rig.devices.reset();
    rig.devices = std::make_unique<app::Devices>(rig.config, [&rig] {
        std::lock_guard lock(rig.mu);
        rig.woken = true;
        rig.cv.notify_all();
    });
    rig.devices->start();
    REQUIRE(rig.availability("camera", true));
    rig.devices->apply(fx::Camera{true});
    auto code = rig.wait_for<CodeScanned>(
        [](const CodeScanned& c) { return c.kind == CodeKind::pickup; }, 60s);
    REQUIRE(code);
    CHECK(code->value == "246810");
    CHECK(code->source == ScanSource::camera);
    int w = 0, h = 0;
    std::vector<std::uint8_t> rgb;
    CHECK(rig.devices->camera_preview(w, h, rgb));
    CHECK(w > 0);
    CHECK(rgb.size() == static_cast<std::size_t>(w * h * 3));
    rig.devices->apply(fx::Camera{false});
    bool camera_listed = false;
    for (const auto& s : rig.devices->status())
        if (s.name == "camera") camera_listed = true;
    CHECK(camera_listed);
}

namespace {

const app::DeviceInfo* info_of(const std::vector<app::DeviceInfo>& all, const std::string& name) {
    for (const auto& d : all)
        if (d.name == name) return &d;
    return nullptr;
}

}  // namespace

// When staff changed the roll (the kiosk's clock: 2026-11-27 13:30 UTC).
constexpr std::int64_t kResetAt = 1795786200000;

TEST_CASE(
    "app.printer paper level and the paper count since the roll was changed survive a restart") {
    TempDir dir;
    {
        Rig rig(dir.path);
        REQUIRE(rig.availability("printer", true));
        for (std::uint64_t tag : {31, 32}) {
            rig.devices->apply(print(tag, "queue_ticket"));
            auto done = rig.wait_for<PrintDone>([&](const PrintDone& d) { return d.tag == tag; });
            REQUIRE(done);
            REQUIRE(done->ok);
        }
        REQUIRE(rig.devices->simulate("printer", "paper near"));
        const auto all = rig.devices->status();
        const auto* p = info_of(all, "printer");
        REQUIRE(p);
        REQUIRE(p->consumables.size() == 1);
        CHECK(p->consumables[0].used == 2);
        CHECK(p->consumables[0].since_ms == 0);  // never reset
        // The near-end report arrives with the printer's next status poll.
        const auto until = std::chrono::steady_clock::now() + 10s;
        std::string level;
        while (std::chrono::steady_clock::now() < until) {
            rig.devices->poll();
            level = info_of(rig.devices->status(), "printer")->consumables[0].level;
            if (level == "near_end") break;
            std::this_thread::sleep_for(50ms);
        }
        CHECK(level == "near_end");
    }
    {
        Rig rig(dir.path);  // a restart: the count is kept
        CHECK(info_of(rig.devices->status(), "printer")->consumables[0].used == 2);
        CHECK(rig.devices->reset_consumable("printer", kResetAt));
        const auto c = info_of(rig.devices->status(), "printer")->consumables[0];
        CHECK(c.used == 0);
        CHECK(c.since_ms > 0);
        CHECK_FALSE(rig.devices->reset_consumable("locker", kResetAt));  // not a consumable
        CHECK_FALSE(rig.devices->reset_consumable("../etc", kResetAt));
    }
}

TEST_CASE(
    "app.a4 pages since the paper was loaded count whole PDFs, a damaged count file is set aside") {
    TempDir dir;
    {
        std::ofstream f(dir.path + "/consumables.json");
        f << "{\"a4_printer\": {\"used\": -5}}";  // not what the kiosk writes
    }
    Rig rig(dir.path);
    CHECK(fs::exists(dir.path + "/consumables.json.bad"));
    const std::string pdf =
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        "2 0 obj << /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >> endobj\n"
        "3 0 obj << /Type /Page /Parent 2 0 R >> endobj\n"
        "4 0 obj << /Type /Page /Parent 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    rig.devices->apply(pdf_job(41, pdf));
    auto done = rig.wait_for<PrintDone>([](const PrintDone& d) { return d.tag == 41; });
    REQUIRE(done);
    REQUIRE(done->ok);
    const auto all = rig.devices->status();
    const auto* a4 = info_of(all, "a4_printer");
    REQUIRE(a4);
    REQUIRE(a4->consumables.size() == 1);
    CHECK(a4->consumables[0].used == 2);
    CHECK(a4->consumables[0].level == "ok");
    REQUIRE(rig.devices->simulate("a4_printer", "paper out"));
    CHECK(info_of(rig.devices->status(), "a4_printer")->consumables[0].level == "out");
}

TEST_CASE("app.locker staff mark a compartment faulty and repaired on the demo wall") {
    TempDir dir;
    Rig rig(dir.path);
    auto state = [&](int n) {
        for (const auto& c : rig.devices->locker_snapshot())
            if (c.number == n) return c.state;
        return std::string("missing");
    };
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (state(105) != "free" && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(50ms);
    REQUIRE(state(105) == "free");
    rig.devices->apply(fx::LockerMark{"mark-1", 105, CompartmentMark::faulty});
    auto m = rig.locker("mark-1", LockerStep::marked);
    REQUIRE(m);
    CHECK(m->mark == CompartmentMark::faulty);
    CHECK(state(105) == "faulty");
    // A deposit of that size passes it by.
    rig.devices->apply(fx::LockerDeposit{"dep-1", "M"});
    auto opened = rig.locker("dep-1", LockerStep::opened);
    REQUIRE(opened);
    CHECK(opened->compartment == 106);
    REQUIRE(rig.devices->simulate("locker", "close 106"));
    REQUIRE(rig.locker("dep-1", LockerStep::closed));
    rig.devices->apply(fx::LockerMark{"mark-2", 105, CompartmentMark::repaired});
    REQUIRE(rig.locker("mark-2", LockerStep::marked));
    CHECK(state(105) == "free");
    rig.devices->apply(fx::LockerMark{"mark-3", 999, CompartmentMark::faulty});
    auto no = rig.locker("mark-3", LockerStep::refused);
    REQUIRE(no);
    CHECK(no->refusal == LockerRefusal::no_such_compartment);
    // Only the two marks exist: any other word is refused where it is read (the service menu).
    CHECK_FALSE(parse_compartment_mark("broken").has_value());
    CHECK(parse_compartment_mark("repaired") == CompartmentMark::repaired);
}

TEST_CASE("app.locker the service menu finds the demo wall's boards and opens one board's doors") {
    // The demo wall: bus c1 speaks 8A/80 (board 1, probed address by address), bus c2 Kerong
    // CU16 (board 2, listed with 32), each a simulator on a pseudo-terminal.
    TempDir dir;
    Rig rig(dir.path);
    auto find = [&](std::uint64_t tag) {
        rig.devices->apply(fx::LockerBoards{tag});
        return rig.wait_for<LockerBoards>([tag](const LockerBoards& b) { return b.tag == tag; });
    };
    auto all = find(31);
    REQUIRE(all);
    CHECK(all->available);
    REQUIRE(all->buses.size() == 2);
    CHECK(all->buses[0].dialect == "8a80");
    CHECK(all->buses[0].method == "probe");
    CHECK(all->buses[0].configured == std::vector<int>{1});
    CHECK(all->buses[0].answering == std::vector<int>{1});
    CHECK(all->buses[0].doors == std::vector<int>{12});
    CHECK(all->buses[1].dialect == "kerong-cu16");
    CHECK(all->buses[1].method == "list");
    CHECK(all->buses[1].configured == std::vector<int>{2});
    CHECK(all->buses[1].answering == std::vector<int>{2});
    CHECK_FALSE(all->buses[1].failed);
    // A board unplugged: configured, silent.
    REQUIRE(rig.devices->simulate("locker", "board off 2"));
    auto less = find(32);
    REQUIRE(less);
    CHECK(less->buses[1].answering.empty());
    CHECK(less->buses[1].failed);
    REQUIRE(rig.devices->simulate("locker", "board on 2"));
    // Open all of board 1: twelve doors, each its own staff opening, journaled and reported.
    rig.devices->apply(fx::LockerOpenAll{"all-1", 0, 1});
    // The doors' updates interleave: collect them by step until every door has had each.
    auto every_door = [&](LockerStep step) {
        std::set<int> doors;
        rig.wait_for<LockerUpdate>(
            [&](const LockerUpdate& u) {
                if (u.what == step && u.key == "all-1#" + std::to_string(u.compartment))
                    doors.insert(u.compartment);
                return doors.size() == 12;
            },
            40s);
        return doors;
    };
    const auto opened = every_door(LockerStep::opened);
    CHECK(opened.size() == 12);
    CHECK((opened.empty() || (*opened.begin() == 101 && *opened.rbegin() == 112)));
    for (int n = 101; n <= 112; ++n)
        REQUIRE(rig.devices->simulate("locker", "close " + std::to_string(n)));
    CHECK(every_door(LockerStep::reported).size() == 12);
    // No such board: refused under the request's own key.
    rig.devices->apply(fx::LockerOpenAll{"all-2", 0, 7});
    auto no = rig.locker("all-2", LockerStep::refused);
    REQUIRE(no);
    CHECK(no->refusal == LockerRefusal::not_available);
}

TEST_CASE("app.locker the demo wall holds one certificate waiting past the overdue limit") {
    TempDir dir;
    Rig rig(dir.path);
    CHECK(rig.devices->locker_overdue(7) == std::vector<int>{107});
    CHECK(rig.devices->locker_overdue(30).empty());
}
