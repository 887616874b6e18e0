// Bank configuration, the inventory model, and the journal's step rules.
#include <doctest/doctest.h>

#include "rig.hpp"

using namespace lockertest;

namespace {
const char* kConfig = R"([locker]
journal = "/var/lib/kiosk/locker.db"
[[locker.bus]]
name = "left"
uri = "rs485:/dev/ttyS1?baud=9600"
dialect = "8a80"
[[locker.bank]]
name = "A"
bus = "left"
door_open_when = "clear"
board_channels = 16
compartments = [ { number = 1, board = 1, channel = 1, size = "S" },
                 { number = 2, board = 1, channel = 2, size = "XL" } ]
ranges = [ { first = 10, board = 2, channels = [1, 4], size = "M" } ]
)";
}  // namespace

TEST_CASE("locker.bank builds compartments from configuration") {
    std::string err;
    auto cfg = parse_locker_config(kConfig, &err);
    REQUIRE_MESSAGE(cfg, err);
    CHECK(cfg->journal_path == "/var/lib/kiosk/locker.db");
    REQUIRE(cfg->compartments.size() == 6);
    CHECK(cfg->compartments[2].number == 10);
    CHECK(cfg->compartments[2].board == 2);
    CHECK(cfg->compartments[5].channel == 4);
    CHECK(cfg->compartments[1].size == Size::XL);
    CHECK_FALSE(cfg->banks[0].door_open_when_set);
    CHECK(cfg->banks[0].board_channels == 16);
    Bank bank(*cfg);
    CHECK(bank.state(1) == CompartmentState::Unknown);  // until a door has been read
    // Polarity: "clear" means a raw 0 is an open door.
    CHECK(bank.door_from_raw(1, false) == Door::Open);
    CHECK(bank.door_from_raw(1, true) == Door::Closed);
    for (int n : bank.numbers()) bank.set_door(n, Door::Closed);
    CHECK(bank.state(1) == CompartmentState::Free);
    CHECK(bank.choose_free(Size::S) == 1);
    CHECK(bank.choose_free(Size::M) == 10);
    bank.set_faulty(10, true);
    bank.set_inventory(11, Inventory::Occupied);
    CHECK(bank.state(10) == CompartmentState::Faulty);
    CHECK(bank.choose_free(Size::M) == 12);
    CHECK(bank.choose_free(Size::L) == 2);
    bank.set_door(12, Door::Open);
    CHECK(bank.state(12) == CompartmentState::Open);
}

TEST_CASE("locker.bank rejects bad configuration with a reason") {
    std::string err;
    CHECK_FALSE(parse_locker_config("[locker", &err));
    CHECK(!err.empty());
    std::string bad = kConfig;
    bad.replace(bad.find("8a80"), 4, "zz99");
    CHECK_FALSE(parse_locker_config(bad, &err));
    bad = kConfig;
    bad.replace(bad.find("number = 2"), 10, "number = 1");
    CHECK_FALSE(parse_locker_config(bad, &err));
    CHECK(err.find("twice") != std::string::npos);
    bad = kConfig;
    bad.replace(bad.find("channel = 2"), 11, "channel = 1");
    CHECK_FALSE(parse_locker_config(bad, &err));
    bad = kConfig;
    bad.replace(bad.find("channel = 2"), 11, "channel = 99");
    CHECK_FALSE(parse_locker_config(bad, &err));
    bad = kConfig;
    bad.replace(bad.find("\"XL\""), 4, "\"XXL\"");
    CHECK_FALSE(parse_locker_config(bad, &err));
    bad = kConfig;
    bad.replace(bad.find("door_open_when = \"clear\""), 24, "item_sensors = true");
    CHECK_FALSE(parse_locker_config(bad, &err));  // 8A/80 cannot report item sensors
}

TEST_CASE("locker.journal steps only move forward and survive a reopen") {
    TempDir dir;
    const std::string path = dir.path + "/j.db";
    std::string err;
    {
        auto j = Journal::open(path, &err);
        REQUIRE_MESSAGE(j, err);
        OpRecord r;
        r.key = "op-1";
        r.kind = OpKind::Deposit;
        r.compartment = 4;
        CHECK(j->add_intent(r, Sync::Normal, InventoryRow{Inventory::Reserved, false}));
        CHECK_FALSE(j->add_intent(r, Sync::Normal));  // the key is unique
        CHECK(j->advance("op-1", Step::UnlockSent, Outcome::None, Sync::Full, std::nullopt, 0));
        CHECK(j->advance("op-1", Step::Closed, Outcome::Completed, Sync::Full,
                         InventoryRow{Inventory::Occupied, false}));
        // A stale step is ignored, not an error.
        CHECK(j->advance("op-1", Step::Opened, Outcome::None, Sync::Normal));
        CHECK(j->commits_full() == 2);
        CHECK(j->commits_normal() == 2);
    }
    auto j = Journal::open(path, &err);
    REQUIRE(j);
    auto r = j->find("op-1");
    REQUIRE(r);
    CHECK(r->step == Step::Closed);
    CHECK(r->outcome == Outcome::Completed);
    CHECK(r->fired);
    CHECK(r->item_before == 0);
    CHECK(j->unfinished().size() == 1);
    CHECK(j->inventory().at(4).inventory == Inventory::Occupied);
    // Retention counts from the change, not from the last write of the same value.
    const auto since = j->inventory().at(4).since_ms;
    CHECK(since > 0);
    std::this_thread::sleep_for(5ms);
    CHECK(j->set_inventory(4, {Inventory::Occupied, true}, Sync::Normal));
    CHECK(j->inventory().at(4).since_ms == since);
    // A wall seeded with an item loaded earlier keeps that time.
    CHECK(j->set_inventory(5, {Inventory::Occupied, false, 1'000'000}, Sync::Normal));
    CHECK(j->inventory().at(5).since_ms == 1'000'000);
    CHECK(j->inventory().at(4).faulty);
    CHECK(j->advance("op-1", Step::Reported, Outcome::None, Sync::Normal));
    CHECK(j->unfinished().empty());
    CHECK_FALSE(j->find("nope"));
}
