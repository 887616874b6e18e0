// The operations service against the simulators (pty and TCP gateway), one fault at a time.
#include "rig.hpp"

using namespace lockertest;
using T = LockerEvent::Type;
using Admit = LockerService::Admit;

TEST_CASE("locker.driver deposit then pickup on an 8A/80 bus over a pty") {
    Rig rig;
    rig.start();
    CHECK(rig.svc->state(3) == CompartmentState::Free);
    REQUIRE(rig.svc->start_deposit("dep-1", 3) == Admit::Accepted);
    REQUIRE(rig.events.wait(T::UnlockSent, 3));
    REQUIRE(rig.events.wait(T::Opened, 3));
    CHECK(rig.simA.door_open(1, 3));
    rig.close(3);
    REQUIRE(rig.events.wait(T::Closed, 3));
    REQUIRE(rig.events.wait(T::Reported, 3));
    CHECK(rig.events.last(T::Closed, 3)->outcome == Outcome::Completed);
    CHECK(rig.wait_state(3, CompartmentState::Occupied));
    // Retention: occupied since just now.
    CHECK(rig.svc->overdue(std::chrono::hours(24 * 7)).empty());
    CHECK(rig.svc->overdue(0ms) == std::vector<int>{3});

    REQUIRE(rig.svc->start_pickup("pick-1", 3) == Admit::Accepted);
    REQUIRE(rig.events.wait(T::Opened, 3, 2));
    rig.close(3);
    REQUIRE(rig.events.wait(T::Reported, 3, 2));
    CHECK(rig.wait_state(3, CompartmentState::Free));
    CHECK(rig.pulses(3) == 2);
    CHECK(rig.reporter.outcomes.at("dep-1") == Outcome::Completed);
    CHECK(rig.reporter.outcomes.at("pick-1") == Outcome::Completed);
    auto rec = rig.journal->find("pick-1");
    REQUIRE(rec);
    CHECK(rec->step == Step::Reported);
    CHECK(rec->fired);
    // Admission rules: nothing to pick up, duplicate key, unknown compartment.
    CHECK(rig.svc->start_pickup("pick-2", 3) == Admit::WrongState);
    CHECK(rig.svc->overdue(0ms).empty());
    CHECK(rig.svc->start_pickup("pick-1", 3) == Admit::Duplicate);
    CHECK(rig.svc->start_pickup("pick-3", 77) == Admit::NoSuchCompartment);
    const auto all = rig.svc->snapshot();
    CHECK(all.size() == 33);
    CHECK(all.front().number == 1);
    CHECK(all.back().size == Size::XL);
    CHECK(rig.pulses(3) == 2);
}

TEST_CASE("locker.driver Kerong bus over a TCP gateway uses the item sensors") {
    Rig rig;
    rig.start();
    int chosen = 0;
    // Smallest free of at least L: the L compartments come before the XL one.
    REQUIRE(rig.svc->start_deposit("dep-1", Size::L, chosen) == Admit::Accepted);
    CHECK(chosen == 101);
    REQUIRE(rig.events.wait(T::Opened, 101));
    rig.simB.set_item(0, 1, true);
    rig.close(101);
    REQUIRE(rig.events.wait(T::Reported, 101));
    CHECK(rig.events.last(T::Closed, 101)->outcome == Outcome::Completed);
    CHECK(rig.wait_state(101, CompartmentState::Occupied));

    // The courier closes an empty door: no item, nothing stored.
    REQUIRE(rig.svc->start_deposit("dep-2", 102) == Admit::Accepted);
    REQUIRE(rig.events.wait(T::Opened, 102));
    rig.close(102);
    REQUIRE(rig.events.wait(T::Reported, 102));
    CHECK(rig.events.last(T::Closed, 102)->outcome == Outcome::NoChange);
    CHECK(rig.wait_state(102, CompartmentState::Free));

    // The owner opens and shuts the door without taking the certificate.
    REQUIRE(rig.svc->start_pickup("pick-1", 101) == Admit::Accepted);
    REQUIRE(rig.events.wait(T::Opened, 101, 2));
    rig.close(101);
    REQUIRE(rig.events.wait(T::Reported, 101, 2));
    CHECK(rig.events.last(T::Closed, 101)->outcome == Outcome::NoChange);
    CHECK(rig.wait_state(101, CompartmentState::Occupied));
    // Then takes it.
    REQUIRE(rig.svc->start_pickup("pick-2", 101) == Admit::Accepted);
    REQUIRE(rig.events.wait(T::Opened, 101, 3));
    rig.simB.set_item(0, 1, false);
    rig.close(101);
    REQUIRE(rig.events.wait(T::Reported, 101, 3));
    CHECK(rig.events.last(T::Closed, 101)->outcome == Outcome::Completed);
    CHECK(rig.wait_state(101, CompartmentState::Free));
    CHECK(rig.pulses(101) == 3);
}

TEST_CASE("locker.driver no reply: the door is never fired") {
    Rig rig;
    rig.start();
    rig.deposit(5, "dep");
    rig.simA.set_no_reply(true);
    REQUIRE(rig.svc->start_pickup("pick", 5) == Admit::Accepted);
    REQUIRE(rig.events.wait(T::NoReply, 5));
    REQUIRE(rig.events.wait(T::Reported, 5, 2));
    CHECK(rig.reporter.outcomes.at("pick") == Outcome::NoReply);
    CHECK(rig.pulses(5) == 1);  // the deposit's only
    CHECK(rig.events.wait(T::BoardOffline));
    rig.simA.set_no_reply(false);
    CHECK(rig.events.wait(T::BoardOnline));
    CHECK(rig.wait_state(5, CompartmentState::Occupied));
}

TEST_CASE("locker.driver a lost unlock reply is not retried - the door is watched") {
    Rig rig;
    rig.start();
    rig.deposit(2, "dep");
    rig.simA.set_lose_unlock_replies(true);
    REQUIRE(rig.svc->start_pickup("pick", 2) == Admit::Accepted);
    REQUIRE(rig.events.wait(T::Opened, 2, 2));
    rig.close(2);
    REQUIRE(rig.events.wait(T::Reported, 2, 2));
    CHECK(rig.reporter.outcomes.at("pick") == Outcome::Completed);
    CHECK(rig.pulses(2) == 2);  // one per operation, never a second pulse
}

TEST_CASE("locker.driver garbled truncated and noisy replies are retried or resynced") {
    Rig rig;
    rig.start();
    rig.deposit(4, "dep");
    int n = 1;
    for (auto how : {sim::Garble::Garbled, sim::Garble::Truncated, sim::Garble::Noise}) {
        // Each pickup-and-return pair: the first query reply of the pickup is damaged.
        rig.simA.garble_next(1, how);
        REQUIRE(rig.svc->start_pickup("pick-" + std::to_string(n), 4) == Admit::Accepted);
        REQUIRE(rig.events.wait(T::Opened, 4, 2 * n));
        rig.close(4);
        REQUIRE(rig.wait_idle());
        CHECK(rig.reporter.outcomes.at("pick-" + std::to_string(n)) == Outcome::Completed);
        rig.deposit(4, "dep-" + std::to_string(n));
        ++n;
    }
    CHECK(rig.pulses(4) == 7);
    // Kerong too: a garbled state reply is retried.
    rig.simB.garble_next(1, sim::Garble::Garbled);
    REQUIRE(rig.svc->start_deposit("kdep", 110) == Admit::Accepted);
    REQUIRE(rig.events.wait(T::Opened, 110));
    CHECK(rig.pulses(110) == 1);
}

TEST_CASE("locker.driver jammed door: marked faulty another compartment offered") {
    Rig rig;
    rig.start();
    rig.simA.set_jammed(2, 1, true);  // compartment 9, the first M
    int chosen = 0;
    REQUIRE(rig.svc->start_deposit("dep", Size::M, chosen) == Admit::Accepted);
    CHECK(chosen == 9);
    REQUIRE(rig.events.wait(T::Jammed, 9));
    REQUIRE(rig.events.wait(T::Reported, 9));
    CHECK(rig.reporter.outcomes.at("dep") == Outcome::Jammed);
    CHECK(rig.wait_state(9, CompartmentState::Faulty));
    CHECK(rig.pulses(9) == 1);  // never retried
    // The person is offered the next free one of that size.
    REQUIRE(rig.svc->start_deposit("dep-2", Size::M, chosen) == Admit::Accepted);
    CHECK(chosen == 10);
    CHECK(rig.svc->start_deposit("dep-3", 9) == Admit::NotAvailable);
    // Staff fire it regardless, fix it, and clear it.
    rig.simA.set_jammed(2, 1, false);
    REQUIRE(rig.svc->staff_open("staff-1", 9) == Admit::Accepted);
    REQUIRE(rig.events.wait(T::Opened, 9));
    rig.close(9);
    REQUIRE(rig.events.wait(T::Reported, 9, 2));
    CHECK(rig.svc->staff_clear(9, Inventory::Free));
    CHECK(rig.wait_state(9, CompartmentState::Free));
}

TEST_CASE("locker.driver staff mark a compartment faulty and repaired - kept across a restart") {
    Rig rig;
    rig.start();
    rig.deposit(3, "dep");  // occupied
    CHECK(rig.svc->staff_set_faulty(3, true));
    CHECK(rig.wait_state(3, CompartmentState::Faulty));
    CHECK(rig.svc->staff_set_faulty(2, true));
    int chosen = 0;
    // Nothing chooses a compartment staff took out of service, nor picks up from it.
    CHECK(rig.svc->start_deposit("dep-2", 2) == Admit::NotAvailable);
    CHECK(rig.svc->start_pickup("pick-3", 3) == Admit::NotAvailable);
    REQUIRE(rig.svc->start_deposit("dep-auto", Size::S, chosen) == Admit::Accepted);
    CHECK(chosen == 1);
    REQUIRE(rig.events.wait(T::Opened, 1));
    rig.close(1);  // nothing put in: settles free
    REQUIRE(rig.wait_idle());
    CHECK_FALSE(rig.svc->staff_set_faulty(99, true));  // no such compartment
    // The marks are in the journal: a restart keeps them.
    rig.svc.reset();
    rig.start();
    CHECK(rig.wait_state(3, CompartmentState::Faulty));
    CHECK(rig.wait_state(2, CompartmentState::Faulty));
    // Repaired: back in service with what the journal says is inside.
    CHECK(rig.svc->staff_set_faulty(3, false));
    CHECK(rig.wait_state(3, CompartmentState::Occupied));
    CHECK(rig.svc->staff_set_faulty(2, false));
    CHECK(rig.wait_state(2, CompartmentState::Free));
    CHECK(rig.svc->start_pickup("pick-3b", 3) == Admit::Accepted);
    REQUIRE(rig.events.wait(T::Opened, 3, 2));  // the deposit opened it once
    rig.close(3);
    REQUIRE(rig.wait_idle());
}

TEST_CASE("locker.driver door left open raises an alarm then settles on closing") {
    Rig rig;
    rig.start();
    rig.deposit(6, "dep");
    REQUIRE(rig.svc->start_pickup("pick", 6) == Admit::Accepted);
    REQUIRE(rig.events.wait(T::LeftOpen, 6));
    CHECK(rig.svc->state(6) == CompartmentState::Open);
    CHECK(rig.events.count(T::Closed, 6) == 1);  // the deposit only
    rig.close(6);
    REQUIRE(rig.events.wait(T::Reported, 6, 2));
    CHECK(rig.reporter.outcomes.at("pick") == Outcome::Completed);
}

TEST_CASE("locker.driver a board missing from the bus: its doors unknown others work") {
    Rig rig;
    rig.start();
    rig.simA.set_board_missing(2, true);
    REQUIRE(rig.events.wait(T::BoardOffline));
    CHECK(rig.wait_state(12, CompartmentState::Unknown));
    CHECK(rig.svc->start_deposit("dep-x", 12) == Admit::NotAvailable);
    rig.deposit(1, "dep-1");  // board 1 on the same bus is fine
    rig.simA.set_board_missing(2, false);
    REQUIRE(rig.events.wait(T::BoardOnline));
    CHECK(rig.wait_state(12, CompartmentState::Free));
    CHECK(rig.pulses(12) == 0);
}

TEST_CASE("locker.driver swapped polarity is a setting - a mismatch shows as alarms") {
    SUBCASE("configured to match") {
        Rig rig("clear");
        rig.simA.set_swapped_polarity(true);
        rig.start();
        CHECK(rig.svc->state(1) == CompartmentState::Free);
        rig.deposit(1, "dep");
        CHECK(rig.events.count(T::Tamper) + rig.events.count(T::LeftOpen) == 0);
    }
    SUBCASE("wired the other way round without telling the kiosk") {
        Rig rig;
        rig.simA.set_swapped_polarity(true);
        rig.start();
        // Every closed door of the bank reads open: alarms, and nothing can be used.
        CHECK(rig.events.count(T::LeftOpen) >= 8);
        CHECK(rig.svc->state(1) == CompartmentState::Open);
    }
}

TEST_CASE("locker.driver tamper: a door opening with no unlock of ours") {
    Rig rig;
    rig.start();
    rig.simB.open_by_hand(0, 7);  // compartment 107
    REQUIRE(rig.events.wait(T::Tamper, 107));
    CHECK(rig.pulses(107) == 0);
    rig.close(107);
    CHECK(rig.wait_state(107, CompartmentState::Free));
}

TEST_CASE("locker.driver a fast open-and-close between two polls is caught") {
    Rig rig;
    rig.toml.replace(rig.toml.find("poll_interval_ms = 10"), 21, "poll_interval_ms = 80");
    rig.simA.set_auto_person(1ms);
    rig.simB.set_auto_person(1ms);
    rig.start();
    // 8A/80: the unlock reply said "open", the polls only ever see it closed.
    REQUIRE(rig.svc->start_deposit("dep-a", 7) == Admit::Accepted);
    REQUIRE(rig.events.wait(T::Reported, 7));
    CHECK(rig.events.count(T::OpenedAndClosed, 7) == 1);
    CHECK(rig.events.count(T::Opened, 7) == 0);
    CHECK(rig.reporter.outcomes.at("dep-a") == Outcome::Completed);
    // Kerong: no unlock reply; the item sensor changed, so it did open.
    REQUIRE(rig.svc->start_deposit("dep-b", 105) == Admit::Accepted);
    REQUIRE(rig.events.wait(T::Reported, 105));
    CHECK(rig.reporter.outcomes.at("dep-b") == Outcome::Completed);
    CHECK(rig.events.count(T::OpenedAndClosed, 105) == 1);
    CHECK(rig.events.count(T::Jammed) == 0);
}

TEST_CASE(
    "locker.driver staff fire a relay regardless of the sensor - a deposit into an open door is "
    "not fired") {
    Rig rig;
    rig.start();
    // A door reading open when a deposit starts: nothing to release, it is watched.
    rig.simA.open_by_hand(1, 8);
    REQUIRE(rig.events.wait(T::Tamper, 8));
    REQUIRE(rig.svc->start_deposit("dep", 8) == Admit::Accepted);
    REQUIRE(rig.events.wait(T::AlreadyOpen, 8));
    CHECK(rig.pulses(8) == 0);
    rig.simA.set_item(1, 8, true);
    rig.close(8);
    REQUIRE(rig.events.wait(T::Reported, 8));
    // Staff fire it whatever it reads (a pickup through an open sensor: test_field.cpp).
    rig.simA.open_by_hand(1, 8);
    REQUIRE(rig.svc->staff_open("staff", 8) == Admit::Accepted);
    REQUIRE(rig.events.wait(T::UnlockSent, 8, 1));
    CHECK(rig.pulses(8) == 1);
    rig.close(8);
    REQUIRE(rig.events.wait(T::Reported, 8, 2));
}

TEST_CASE("locker.driver start-up reconciles the journal and fires nothing") {
    Rig rig;
    // A previous run died: one op at intent, one at unlock_sent whose door is open, one settled
    // but unreported, and a door found open with no operation.
    OpRecord r;
    r.kind = OpKind::Pickup;
    r.key = "at-intent";
    r.compartment = 1;
    REQUIRE(rig.journal->set_inventory(1, {Inventory::Occupied, false}, Sync::Full));
    REQUIRE(rig.journal->add_intent(r, Sync::Full));
    r.key = "in-flight";
    r.compartment = 2;
    REQUIRE(rig.journal->set_inventory(2, {Inventory::Occupied, false}, Sync::Full));
    REQUIRE(rig.journal->add_intent(r, Sync::Full));
    REQUIRE(rig.journal->advance("in-flight", Step::UnlockSent, Outcome::None, Sync::Full));
    rig.simA.open_by_hand(1, 2);
    r.key = "unreported";
    r.compartment = 3;
    REQUIRE(rig.journal->add_intent(r, Sync::Full));
    REQUIRE(rig.journal->advance("unreported", Step::Closed, Outcome::Completed, Sync::Full));
    rig.simA.open_by_hand(1, 4);
    rig.start();
    CHECK(rig.simA.total_pulses() == 0);
    REQUIRE(rig.events.wait(T::Reported, 1));
    CHECK(rig.reporter.outcomes.at("at-intent") == Outcome::Cancelled);
    CHECK(rig.reporter.outcomes.at("unreported") == Outcome::Completed);
    CHECK(rig.events.count(T::Opened, 2) == 1);
    CHECK(rig.events.count(T::LeftOpen, 4) == 1);
    rig.close(2);
    REQUIRE(rig.events.wait(T::Reported, 2));
    CHECK(rig.reporter.outcomes.at("in-flight") == Outcome::Completed);
    CHECK(rig.wait_state(1, CompartmentState::Occupied));
    CHECK(rig.wait_state(2, CompartmentState::Free));
    CHECK(rig.simA.total_pulses() == 0);
}

TEST_CASE("locker.driver a refused report is retried with the same key") {
    Rig rig;
    rig.start();
    {
        std::lock_guard lock(rig.reporter.mu);
        rig.reporter.refuse = true;
    }
    REQUIRE(rig.svc->start_deposit("dep", 1) == Admit::Accepted);
    REQUIRE(rig.events.wait(T::Opened, 1));
    rig.close(1);
    REQUIRE(rig.events.wait(T::Closed, 1));
    std::this_thread::sleep_for(100ms);  // several retry periods pass while refused
    CHECK_FALSE(rig.svc->idle());
    {
        std::lock_guard lock(rig.reporter.mu);
        CHECK(rig.reporter.deliveries >= 2);
        rig.reporter.refuse = false;
    }
    REQUIRE(rig.events.wait(T::Reported, 1));
    CHECK(rig.reporter.outcomes.size() == 1);
}
