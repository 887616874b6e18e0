// The hall as the app wires it (kiosk/app/hall.cpp) against the hall simulator: the heartbeat
// tells the hall the kiosk's state; the simulator keeps what it heard in its SQLite file.
#include <chrono>
#include <filesystem>
#include <thread>

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <unistd.h>

#include "app/hall.hpp"
#include "common/temp_dir.hpp"

using namespace kiosk;
using kiosk::test::TempDir;
using namespace std::chrono_literals;

namespace {

// The state the hall simulator last heard from this kiosk ("" when none).
std::string hall_state(const std::string& db_path, const std::string& kiosk_id) {
    sqlite3* db = nullptr;
    std::string out;
    if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 1000);
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT state FROM kiosks WHERE kiosk_id=?", -1, &st, nullptr) ==
            SQLITE_OK) {
            sqlite3_bind_text(st, 1, kiosk_id.c_str(), -1, SQLITE_TRANSIENT);
            if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
                out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return out;
}

}  // namespace

TEST_CASE("app.hall heartbeat states in the contract's words") {
    std::vector<app::DeviceInfo> devices = {{"printer", "online", {}, {}, {}},
                                            {"locker", "busy", {}, {}, {}}};
    auto h = app::heartbeat_info(false, devices, 3);
    CHECK(h.state == "in_service");
    CHECK(h.outbox_depth == 3);
    CHECK(h.devices.size() == 2);
    CHECK(app::heartbeat_info(true, devices, 0).state == "maintenance");
    devices.push_back({"scanner", "no device", {}, {}, {}});
    devices.push_back({"a4_printer", "something odd", {}, {}, {}});
    h = app::heartbeat_info(false, devices, -1);
    CHECK(h.state == "degraded");
    CHECK(h.outbox_depth == 0);
    CHECK(h.devices[2].second == "no_device");
    CHECK(h.devices[3].second == "offline");
    CHECK(app::heartbeat_info(true, devices, 0).state == "maintenance");
}

TEST_CASE("app.hall the heartbeat tells the hall simulator the kiosk is in maintenance") {
    TempDir dir;
    Config c;
    c.kiosk.id = "KIOSK-HB1";
    c.kiosk.state_dir = dir.path;
    c.backend.url = "sim:";
    c.backend.heartbeat_seconds = 1;
    app::Hall hall(c, dir.path);
    hall.start();
    REQUIRE(hall.outbox());
    hall.set_heartbeat(app::heartbeat_info(true, {}, 0));
    const std::string db = dir.path + "/hall-sim.db";
    std::string state;
    const auto until = std::chrono::steady_clock::now() + 15s;
    while (std::chrono::steady_clock::now() < until) {
        hall.poll();
        state = hall_state(db, c.kiosk.id);
        if (state == "maintenance") break;
        std::this_thread::sleep_for(100ms);
    }
    CHECK(state == "maintenance");
    hall.set_heartbeat(app::heartbeat_info(false, {}, 0));
    while (std::chrono::steady_clock::now() < until + 10s) {
        hall.poll();
        state = hall_state(db, c.kiosk.id);
        if (state == "in_service") break;
        std::this_thread::sleep_for(100ms);
    }
    CHECK(state == "in_service");
}
