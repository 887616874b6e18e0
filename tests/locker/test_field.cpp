// What the field does, as tests: each fact below was read in a public client of these boards
// (named in the comment; facts only, no code taken) or, where the search found nothing, comes from
// issue 16's description -- docs/drivers/locker.md, "What the field does", has the table.
#include <sys/wait.h>

#include <algorithm>
#include <future>
#include <memory>
#include <optional>
#include <map>

#include "locker/codec.hpp"
#include "rig.hpp"

using namespace lockertest;
using T = LockerEvent::Type;
using Admit = LockerService::Admit;
using B = std::vector<std::uint8_t>;

namespace {

const DialectProfile& A() {
    return *find_profile("8a80");
}
const DialectProfile& K() {
    return *find_profile("kerong-cu16");
}
Reply reply(const DialectProfile& p, const B& b) {
    auto r = parse_reply(p, b);
    REQUIRE_MESSAGE(r.ok(), to_string(r.error));
    return *r.value;
}
B with_sum(B b) {
    b.push_back(sum8(b));
    return b;
}
B with_bcc(B b) {
    b.push_back(xor_bcc(b));
    return b;
}

// One bus with one simulator in a named variant. Kerong: board 0 (16 locks, infrared sensors,
// compartments 1..16) and board 1 (16 locks, none, 17..32) behind a TCP gateway. 8A/80: boards 1
// and 2 (8 locks each, compartments 1..8 and 9..16) on a pseudo-terminal.
struct VariantRig {
    const sim::Variant& v;
    bool kerong;
    TempDir dir;
    sim::LockerSim sim;
    sim::SimServer srv{sim};
    std::string toml;
    std::unique_ptr<Journal> journal;
    MemoryReporter reporter;
    Events events;
    std::unique_ptr<LockerService> svc;

    static sim::SimConfig cfg(const sim::Variant& v) {
        sim::SimConfig c;
        c.dialect = find_profile(v.dialect);
        c.behaviour = v.behaviour;
        if (c.dialect->framing == Framing::StxEtxSum)
            c.boards = {{0, 16, true}, {1, 16, false}};
        else
            c.boards = {{1, 8, false}, {2, 8, false}};
        return c;
    }

    explicit VariantRig(const sim::Variant& variant, const std::string& bus_extra = "",
                        int poll_ms = 10)
        : v(variant), kerong(std::string(variant.dialect) == "kerong-cu16"), sim(cfg(variant)) {
        std::string uri;
        if (kerong) {
            const auto port = srv.listen_tcp(0);
            REQUIRE(port != 0);
            uri = "tcp:127.0.0.1:" + std::to_string(port);
        } else {
            const auto pty = srv.open_pty();
            REQUIRE(!pty.empty());
            uri = "serial:" + pty + "?baud=9600";
        }
        srv.start();
        toml = "[locker]\npoll_interval_ms = " + std::to_string(poll_ms) + R"(
idle_scan_ms = 40
open_detect_ms = 150
left_open_alarm_ms = 5000
reply_timeout_ms = 150
silence_gap_ms = 8
report_retry_ms = 30
query_retries = 1
[[locker.bus]]
name = "b"
uri = ")" + uri +
               "\"\ndialect = \"" + variant.dialect + "\"\n" + bus_extra + "\n";
        if (kerong)
            toml += R"([[locker.bank]]
name = "ir"
bus = "b"
item_sensors = true
ranges = [ { first = 1, board = 0, channels = [1, 16], size = "M" } ]
[[locker.bank]]
name = "plain"
bus = "b"
ranges = [ { first = 17, board = 1, channels = [1, 16], size = "M" } ]
)";
        else
            toml += R"([[locker.bank]]
name = "a"
bus = "b"
ranges = [ { first = 1, board = 1, channels = [1, 8], size = "M" },
           { first = 9, board = 2, channels = [1, 8], size = "M" } ]
)";
        std::string err;
        journal = Journal::open(dir.path + "/locker.db", &err);
        REQUIRE_MESSAGE(journal, err);
    }
    ~VariantRig() {
        svc.reset();
        srv.stop();
    }
    void start() {
        std::string err;
        auto c = parse_locker_config(toml, &err);
        REQUIRE_MESSAGE(c, err);
        svc = std::make_unique<LockerService>(*c, *journal, reporter);
        svc->set_event_handler([this](const LockerEvent& e) { events.push(e); });
        REQUIRE(svc->start());
    }
    std::pair<int, int> wire(int n) const {
        if (kerong) return n <= 16 ? std::pair{0, n} : std::pair{1, n - 16};
        return n <= 8 ? std::pair{1, n} : std::pair{2, n - 8};
    }
    int pulses(int n) const {
        auto [b, c] = wire(n);
        return sim.pulses(b, c);
    }
    void close(int n) {
        auto [b, c] = wire(n);
        sim.close_door(b, c);
    }
    bool wait_idle(std::chrono::milliseconds t = 3000ms) {
        const auto until = std::chrono::steady_clock::now() + t;
        while (std::chrono::steady_clock::now() < until) {
            if (svc->idle()) return true;
            std::this_thread::sleep_for(2ms);
        }
        return false;
    }
    std::uint64_t seen(const std::string& what) {
        std::uint64_t n = 0;
        for (const auto& m : svc->diagnostics()) {
            auto it = m.find(what);
            if (it != m.end()) n += it->second;
        }
        return n;
    }
    // A deposit then its pickup, the ordinary way; the pickup's outcome.
    Outcome deposit_and_pickup(int n, const std::string& tag) {
        auto [b, c] = wire(n);
        const int opened = events.count(T::Opened, n);
        REQUIRE(svc->start_deposit("dep-" + tag, n) == Admit::Accepted);
        REQUIRE(events.wait(T::Opened, n, opened + 1));
        sim.set_item(b, c, true);
        close(n);
        REQUIRE(wait_idle());
        REQUIRE(svc->state(n) == CompartmentState::Occupied);
        REQUIRE(svc->start_pickup("pick-" + tag, n) == Admit::Accepted);
        REQUIRE(events.wait(T::Opened, n, opened + 2));
        sim.set_item(b, c, false);
        close(n);
        REQUIRE(wait_idle());
        std::lock_guard lock(reporter.mu);
        REQUIRE(reporter.outcomes.count("pick-" + tag));
        return reporter.outcomes.at("pick-" + tag);
    }
};

const sim::Variant& variant(const char* name) {
    const auto* v = sim::find_variant(name);
    REQUIRE_MESSAGE(v, name);
    return *v;
}

std::unique_ptr<BoardBus> bus_to(VariantRig& r, UnlockReply ur = UnlockReply::Auto) {
    std::string err;
    auto c = parse_locker_config(r.toml, &err);
    REQUIRE_MESSAGE(c, err);
    auto t = kiosk::drivers::make_transport(c->buses[0].uri, &err);
    REQUIRE_MESSAGE(t, err);
    return std::make_unique<BoardBus>(std::move(t), *c->buses[0].dialect, 150ms, 8ms, 1, ur);
}

}  // namespace

// ---- 1. Kerong CU16 lock-bit polarity --------------------------------------------------------
// Field: a SET lock-hook bit in the 35 state reply means locked/closed in
//   Arviv123/CartWise src/hardware/rs485.py (is_lock_closed: bit set),
//   julio-alv/lkaas-kerong src/kerong/status.rs (closed: latch == 1),
//   mojisejr/smc-v3 new-modules/ku.module.ts (locked: bit set),
//   a KR-CU16 Python `Locker` class (public code index id 9308158651; is_locked: bit == 1).
// One client reads it the other way: suryavirkapur/kerong-lib src/kerong_client.cpp
//   (is_locked: bit == 0) -- hence a per-bank override stays.
TEST_CASE("locker.codec Kerong polarity: the dialect's field default is set = closed") {
    CHECK_FALSE(K().lock_bit_set_means_open);
    CHECK(A().lock_bit_set_means_open);  // 8A/80 unchanged (81 family: 11 after unlock = open)
    const std::string base = R"([locker]
[[locker.bus]]
name = "k"
uri = "tcp:127.0.0.1:1"
dialect = "kerong-cu16"
[[locker.bus]]
name = "a"
uri = "tcp:127.0.0.1:2"
dialect = "8a80"
[[locker.bank]]
name = "K"
bus = "k"
compartments = [ { number = 1, board = 0, channel = 1, size = "S" } ]
[[locker.bank]]
name = "A"
bus = "a"
compartments = [ { number = 2, board = 1, channel = 1, size = "S" } ]
[[locker.bank]]
name = "Kover"
bus = "k"
door_open_when = "set"
compartments = [ { number = 3, board = 0, channel = 2, size = "S" } ]
)";
    std::string err;
    auto cfg = parse_locker_config(base, &err);
    REQUIRE_MESSAGE(cfg, err);
    Bank bank(*cfg);
    CHECK(bank.door_from_raw(1, true) == Door::Closed);  // Kerong default: set = closed
    CHECK(bank.door_from_raw(1, false) == Door::Open);
    CHECK(bank.door_from_raw(2, true) == Door::Open);  // 8A/80 default
    CHECK(bank.door_from_raw(3, true) == Door::Open);  // the per-bank override is kept
}

TEST_CASE("locker.driver Kerong polarity: the simulator's default is the field's") {
    VariantRig r(variant("kerong"));
    auto bus = bus_to(r);
    BoardRead rd;
    REQUIRE(bus->query_board(0, 16, rd) == BusError::None);
    CHECK(rd.lock_raw.at(4));  // a closed door reads SET, as the public clients expect
    bus->unlock(0, 5);
    REQUIRE(bus->query_board(0, 16, rd) == BusError::None);
    CHECK_FALSE(rd.lock_raw.at(4));  // unlocked: clear -- a client waiting for "open" sees it
    // And the driver with no door_open_when agrees: the door opens, then settles.
    r.start();
    CHECK(r.svc->state(3) == CompartmentState::Free);
    CHECK(r.deposit_and_pickup(3, "p") == Outcome::Completed);
}

// ---- 2. Kerong unlock reply ------------------------------------------------------------------
// Field: Arviv123/CartWise src/hardware/rs485.py unlock_cart reads a 9-byte frame after 31 and
//   parses it as a state frame (and carries on without one); mojisejr/smc-v3
//   new-modules/ku.module.ts queues 31 like every command and waits for an answer. Others send
//   31 and read nothing (julio-alv/lkaas-kerong board.rs open(); suryavirkapur/kerong-lib
//   unlock()). So both boards exist.
TEST_CASE("locker.codec Kerong unlock reply shapes: a state frame with 31 or 35, or a bare ack") {
    // 31 echoed, board 1 lock 4 (ADDR 13), lock bits all clear but lock 4 set ... as received.
    const B r31 = with_sum({0x02, 0x13, 0x31, 0x08, 0x00, 0x00, 0x00, 0x03});
    auto u = reply(K(), r31);
    CHECK(u.kind == ReplyKind::BoardStatus);
    CHECK(u.command == 0x31);
    CHECK(u.board == 1);
    CHECK(u.channel == 4);
    CHECK(u.lock_bits.at(3));
    const B r35 = with_sum({0x02, 0x13, 0x35, 0x00, 0x00, 0x00, 0x00, 0x03});
    CHECK(reply(K(), r35).command == 0x35);
    const B ack = with_sum({0x02, 0x13, 0x31, 0x03});
    CHECK(reply(K(), ack).kind == ReplyKind::Ack);
    // The reader prefers the long form and takes the short one once the line is silent.
    FrameReader rd(K(), FrameReader::Direction::Replies);
    rd.feed(ack);
    CHECK_FALSE(rd.next());
    CHECK(rd.next({}, true) == ack);
    rd.feed(r31);
    CHECK(rd.next() == r31);
    // Round trip for the simulator.
    CHECK(encode_reply(K(), u) == r31);
}

TEST_CASE("locker.driver Kerong unlock reply is read checked and used - silent boards still work") {
    VariantRig r(variant("kerong-reply35"), "", 300);
    r.sim.set_unlock_reply(1, true);  // board 1 answers too (no item sensors there)
    SUBCASE("the reply is the evidence of a fast open-and-close") {
        r.sim.set_auto_person(1ms);
        r.start();
        // Board 1 has no item sensor: only the unlock reply can tell it opened.
        REQUIRE(r.svc->start_deposit("d", 18) == Admit::Accepted);
        REQUIRE(r.events.wait(T::Reported, 18));
        CHECK(r.events.count(T::OpenedAndClosed, 18) == 1);
        CHECK(r.events.count(T::Jammed) == 0);
        CHECK(r.reporter.outcomes.at("d") == Outcome::Completed);
        CHECK(r.pulses(18) == 1);
        CHECK(r.seen("kerong unlock reply 35") >= 1);
    }
    SUBCASE("a silent board (per-board switch) still works, more slowly") {
        r.sim.set_unlock_reply(1, false);
        r.start();
        CHECK(r.deposit_and_pickup(20, "s") == Outcome::Completed);
        CHECK(r.pulses(20) == 2);
        CHECK(r.seen("kerong unlock silent") >= 1);
        // Its neighbour answers: both kinds on one bus, no garbled replies, no board offline.
        CHECK(r.deposit_and_pickup(2, "a") == Outcome::Completed);
        CHECK(r.seen("kerong unlock reply 35") >= 1);
        CHECK(r.events.count(T::BoardOffline) == 0);
    }
}

TEST_CASE("locker.driver a late Kerong unlock reply never answers the next query") {
    // The driver told not to wait (unlock_reply = no) while the board answers 60 ms later: the
    // reply lands inside the next query's exchange and must be recognised by its shape.
    for (const char* name : {"kerong-reply35", "kerong-reply31", "kerong-ack"}) {
        CAPTURE(name);
        sim::SimConfig c = VariantRig::cfg(variant(name));
        c.reply_delay = 60ms;
        sim::LockerSim slow(c);
        sim::SimServer srv(slow);
        const auto port = srv.listen_tcp(0);
        REQUIRE(port != 0);
        srv.start();
        std::string err;
        auto t = kiosk::drivers::make_transport("tcp:127.0.0.1:" + std::to_string(port), &err);
        REQUIRE(t);
        BoardBus bus(std::move(t), K(), 300ms, 8ms, 1, UnlockReply::No);
        auto u = bus.unlock(0, 5);
        CHECK(u.error == BusError::None);
        CHECK_FALSE(u.replied);
        BoardRead rd;
        REQUIRE(bus.query_board(0, 16, rd) == BusError::None);
        CHECK_FALSE(rd.lock_raw.at(4));  // open (Kerong: clear) -- the board's own state
        CHECK(rd.lock_raw.at(5));        // its neighbour closed
        CHECK(bus.variants().count("kerong late unlock reply") == 1);
        REQUIRE(bus.query_board(0, 16, rd) == BusError::None);  // and in step afterwards
        CHECK(bus.garbage_bytes() == 0);
        srv.stop();
    }
}

// ---- 3. Lenient but safe Kerong replies ------------------------------------------------------
// Field: the command byte of a state reply is not checked by mojisejr/smc-v3 ku.module.ts
//   (_parseResponse takes any frame of >= 9 bytes) nor by julio-alv/lkaas-kerong status.rs (only
//   byte positions); Arviv123/CartWise names 0x36 "return all CU data" and test_get_status.py
//   prints whatever CMD comes back. All of them locate ETX right before SUM (CartWise
//   response[-2], kerong-lib resp[7]) and check the byte sum (CartWise, kerong-lib). The "30"
//   echo itself is from issue 16; no public client shows ETX anywhere else (not implemented).
TEST_CASE("locker.codec Kerong state reply variants 35 30 36 accepted - checksum framing refused") {
    for (std::uint8_t cmd : {std::uint8_t{0x35}, std::uint8_t{0x30}, std::uint8_t{0x36}}) {
        CAPTURE(int(cmd));
        const B f = with_sum({0x02, 0x10, cmd, 0x01, 0x80, 0x02, 0x00, 0x03});
        auto r = reply(K(), f);
        CHECK(r.kind == ReplyKind::BoardStatus);
        CHECK(r.command == cmd);
        CHECK(r.lock_bits[0]);
        CHECK(r.item_bits[1]);
        B bad = f;
        bad.back() ^= 0x01;
        CHECK(parse_reply(K(), bad).error == CodecError::BadChecksum);
        B etx = f;
        etx[7] = 0x04;
        etx.back() = sum8(std::span<const std::uint8_t>(etx).first(8));
        CHECK(parse_reply(K(), etx).error == CodecError::BadHeader);  // ETX not before SUM
    }
    // A command byte no board sends as a reply is garbage, as is a frame of the wrong length.
    CHECK(parse_reply(K(), with_sum({0x02, 0x10, 0x42, 0x00, 0x00, 0x00, 0x00, 0x03})).error ==
          CodecError::BadFormat);
    CHECK(parse_reply(K(), with_sum({0x02, 0x10, 0x35, 0x00, 0x00, 0x03})).error ==
          CodecError::Truncated);
    // The reader resyncs over garbage onto each variant.
    FrameReader rd(K(), FrameReader::Direction::Replies);
    const B a = with_sum({0x02, 0x00, 0x30, 0x00, 0x00, 0x00, 0x00, 0x03});
    const B b = with_sum({0x02, 0x00, 0x36, 0x00, 0x00, 0x00, 0x00, 0x03});
    B stream{0x02, 0x55, 0x99, 0x02};
    stream.insert(stream.end(), a.begin(), a.end());
    stream.push_back(0x13);
    stream.insert(stream.end(), b.begin(), b.end());
    rd.feed(stream);
    CHECK(rd.next() == a);
    CHECK(rd.next() == b);
}

TEST_CASE("locker.driver lenient Kerong replies work and each variant is counted") {
    for (const char* name : {"kerong-echo30", "kerong-all36"}) {
        CAPTURE(name);
        VariantRig r(variant(name));
        r.start();
        CHECK(r.deposit_and_pickup(4, "x") == Outcome::Completed);
        const std::string key = std::string("kerong state ") + (name[7] == 'e' ? "30" : "36");
        CHECK(r.seen(key) >= 1);
        CHECK(r.events.count(T::BoardOffline) == 0);
    }
}

// ---- 4. 8A/80 boards with an 81 header -------------------------------------------------------
// Field: a public Python `slaveController` for an 8A/80 board (public code index id 35165722464)
//   sends 8a0101119b and expects "8101011190" as "unlock succeed"; it then reads the line without
//   sending anything until "8101010081" ("locked succeed") appears: the board reports a door
//   closing on its own. The same list's "810101008a" has a wrong BCC (81^01^01^00 = 81).
TEST_CASE("locker.codec 8A/80 81 family: unlock reply and door report decoded - bad BCC refused") {
    auto u = reply(A(), {0x81, 0x01, 0x01, 0x11, 0x90});
    CHECK(u.kind == ReplyKind::LockStatus);
    CHECK(u.header == 0x81);
    CHECK(u.lock_bit);
    auto rep = reply(A(), {0x81, 0x01, 0x01, 0x00, 0x81});
    CHECK_FALSE(rep.lock_bit);
    CHECK(rep.channel == 1);
    CHECK(parse_reply(A(), B{0x81, 0x01, 0x01, 0x00, 0x8A}).error == CodecError::BadChecksum);
    CHECK(parse_reply(A(), with_bcc({0x81, 0x01, 0x05, 0x33})).error == CodecError::BadFormat);
    CHECK(parse_reply(A(), with_bcc({0x81, 0x01, 0x00, 0x00, 0x00, 0x33})).error ==
          CodecError::BadFormat);  // the 81 family never sends a board status
    CHECK(encode_reply(A(), u) == B{0x81, 0x01, 0x01, 0x11, 0x90});
    // Not a request header: the simulator ignores it.
    CHECK(parse_request(A(), B{0x81, 0x01, 0x01, 0x11, 0x90}).error == CodecError::BadHeader);
}

TEST_CASE("locker.codec an 81 report racing a board status is handed out not dropped") {
    const B report = with_bcc({0x81, 0x01, 0x03, 0x00});
    const B board = with_bcc({0x80, 0x01, 0x05, 0x33});  // 8 channels: the report's length too
    for (bool before : {true, false}) {
        CAPTURE(before);
        FrameReader rd(A(), FrameReader::Direction::Replies);
        B s{0xFF};  // and a garbage byte in front
        if (before) s.insert(s.end(), report.begin(), report.end());
        s.insert(s.end(), board.begin(), board.end());
        if (!before) s.insert(s.end(), report.begin(), report.end());
        rd.feed(s);
        auto f1 = rd.next({Expect::Board, 1});
        auto f2 = rd.next({Expect::Board, 1});
        REQUIRE(f1);
        if (before) {
            CHECK(*f1 == report);
            CHECK(f2 == board);
        } else {
            CHECK(*f1 == board);
            CHECK(f2 == report);  // an 81 frame is self-delimiting: taken when complete
        }
        CHECK(rd.pending() == 0);
    }
}

TEST_CASE("locker.driver an unsolicited 81 report racing a poll is never taken for the reply") {
    VariantRig r(variant("8a80-81"));
    auto bus = bus_to(r);
    std::vector<DoorReport> reports;
    bus->on_report = [&](const DoorReport& d) { reports.push_back(d); };
    for (bool before : {true, false}) {
        CAPTURE(before);
        reports.clear();
        auto u = bus->unlock(1, 3);
        REQUIRE(u.error == BusError::None);
        CHECK(u.replied);
        CHECK(u.lock_raw);  // 81 01 03 11: open
        auto u2 = bus->unlock(1, 4);
        REQUIRE(u2.replied);
        r.sim.set_report_race(before);
        r.close(3);  // report "81 01 03 00" held, sent glued to the next reply
        r.sim.set_report_race(std::nullopt);
        bool raw = false;
        // A one-lock query of the OTHER open door: the closing report of lock 3 (same length,
        // same board) arrives in the same read and must not answer it.
        REQUIRE(bus->query_lock(1, 4, raw) == BusError::None);
        CHECK(raw);  // lock 4 still open
        // A board status (8 channels: 5 bytes, like the report) racing the next report.
        r.sim.set_report_race(!before);
        r.close(4);
        r.sim.set_report_race(std::nullopt);
        BoardRead rd;
        REQUIRE(bus->query_board(1, 8, rd) == BusError::None);
        CHECK_FALSE(rd.lock_raw.at(2));
        CHECK_FALSE(rd.lock_raw.at(3));
        bus->listen(50ms);  // a report behind the reply is read now at the latest
        bool raw4 = true;
        REQUIRE(bus->query_lock(1, 4, raw4) == BusError::None);
        CHECK_FALSE(raw4);
        REQUIRE(reports.size() == 2);
        CHECK(reports[0].channel == 3);
        CHECK_FALSE(reports[0].lock_raw);
        CHECK(reports[1].channel == 4);
    }
    CHECK(bus->garbage_bytes() == 0);
    CHECK(bus->variants().at("8a80 report 81") == 4);
}

TEST_CASE("locker.driver an 81 door report settles a pickup at once - before the next poll") {
    // Polls every 2 s: only the report can settle the operation within the check below.
    for (std::optional<bool> race : {std::optional<bool>{}, std::optional<bool>{true}}) {
        CAPTURE(race.has_value());
        VariantRig r(variant("8a80-81"), "reports = true", race ? 10 : 2000);
        r.toml.replace(r.toml.find("idle_scan_ms = 40"), 17,
                       race ? "idle_scan_ms = 40" : "idle_scan_ms = 9000");
        r.start();
        REQUIRE(r.svc->start_deposit("dep", 3) == Admit::Accepted);
        REQUIRE(r.events.wait(T::UnlockSent, 3));
        r.sim.set_report_race(race);  // race: the report rides on the next poll's reply
        const auto t0 = std::chrono::steady_clock::now();
        r.close(3);
        REQUIRE(r.events.wait(T::Reported, 3, 1, 1500ms));
        if (!race) CHECK(std::chrono::steady_clock::now() - t0 < 1000ms);
        CHECK(r.reporter.outcomes.at("dep") == Outcome::Completed);
        CHECK(r.events.count(T::Closed, 3) == 1);  // once
        CHECK(r.pulses(3) == 1);
        CHECK(r.seen("8a80 report 81") >= 1);
        CHECK(r.seen("8a80 unlock reply 81") == 1);
        CHECK(r.events.count(T::BoardOffline) == 0);
        CHECK(r.events.count(T::Tamper) == 0);
    }
}

// ---- 5. Commands the public clients use --------------------------------------------------------
// Field: Kerong 32 "get all status on bus" to the broadcast address F0
//   (mojisejr/smc-v3 ku.module.ts getAllDevicesStatus; Arviv123/CartWise test_get_status.py
//   test 3), answered with state frames (julio-alv/lkaas-kerong query_all reads one 9-byte
//   state frame); 37 HI LO in 10 ms units, 0..60000 ms, and 37 alone to ask
//   (ku.module.ts setUnlockTime / getUnlockTime); 38 "return unlock time" (CartWise Command);
//   500 ms for electromagnetic, 1000 ms for servo locks (8lal8/kerongDocs cu16.md). Open all:
//   8A ADDR 00 11 (reference; blog.csdn.net/u012909822/article/details/147892413), Kerong 33
//   (CartWise UNLOCK_ALL, ku.module.ts unlockAll).
TEST_CASE("locker.codec Kerong 32 list and 37 pulse time match the public clients' bytes") {
    CHECK(encode_request(K(), {RequestKind::ListBoards, 0, 0}) == B{0x02, 0xF0, 0x32, 0x03, 0x27});
    CHECK(encode_request(K(), {RequestKind::QueryPulseTime, 1, 0}) ==
          B{0x02, 0x10, 0x37, 0x03, 0x4C});
    // 500 ms = 50 steps of 10 ms = 00 32.
    CHECK(encode_request(K(), {RequestKind::SetPulseTime, 0, 0, 500}) ==
          with_sum({0x02, 0x00, 0x37, 0x00, 0x32, 0x03}));
    CHECK(encode_request(K(), {RequestKind::SetPulseTime, 0, 0, 60010}).empty());
    CHECK(encode_request(K(), {RequestKind::SetPulseTime, 0, 0, -1}).empty());
    auto rq = parse_request(K(), with_sum({0x02, 0x00, 0x37, 0x00, 0x64, 0x03}));
    REQUIRE(rq.ok());
    CHECK(rq.value->kind == RequestKind::SetPulseTime);
    CHECK(rq.value->value == 1000);
    CHECK(parse_request(K(), B{0x02, 0xF0, 0x32, 0x03, 0x27}).value->kind ==
          RequestKind::ListBoards);
    auto t = reply(K(), with_sum({0x02, 0x00, 0x38, 0x00, 0x32, 0x03}));
    CHECK(t.kind == ReplyKind::PulseTime);
    CHECK(t.value == 500);
    // The request reader (simulator side) splits 5- and 7-byte requests.
    FrameReader rd(K(), FrameReader::Direction::Requests);
    const B set = with_sum({0x02, 0x00, 0x37, 0x00, 0x64, 0x03});
    const B ask = B{0x02, 0x10, 0x37, 0x03, 0x4C};
    B s = set;
    s.insert(s.end(), ask.begin(), ask.end());
    rd.feed(s);
    CHECK(rd.next() == set);
    CHECK(rd.next() == ask);
    // Open all: the reference's bytes, both dialects.
    CHECK(encode_request(A(), {RequestKind::UnlockAll, 1, 0}) == B{0x8A, 0x01, 0x00, 0x11, 0x9A});
    CHECK(encode_request(K(), {RequestKind::UnlockAll, 0, 0}) == B{0x02, 0x00, 0x33, 0x03, 0x38});
}

TEST_CASE("locker.driver board discovery and the pulse time against the simulators") {
    {
        VariantRig r(variant("kerong"));
        auto bus = bus_to(r);
        std::vector<int> boards;
        REQUIRE(bus->list_boards(boards) == BusError::None);
        CHECK(boards == std::vector<int>{0, 1});
        CHECK(bus->probe_boards(0, 3, 16) == std::vector<int>{0, 1});
        int ms = 0;
        REQUIRE(bus->query_pulse_time(1, ms) == BusError::None);
        CHECK(ms == 500);
        REQUIRE(bus->set_pulse_time(0, 1000, ms) == BusError::None);
        CHECK(ms == 1000);
        CHECK(r.sim.pulse_time_ms(0) == 1000);
        CHECK(bus->set_pulse_time(0, 70000, ms) == BusError::BadRequest);
        r.sim.set_board_missing(1, true);
        REQUIRE(bus->list_boards(boards) == BusError::None);
        CHECK(boards == std::vector<int>{0});
    }
    {
        VariantRig r(variant("8a80"));
        auto bus = bus_to(r);
        std::vector<int> boards;
        CHECK(bus->list_boards(boards) == BusError::BadRequest);  // no listing in 8A/80
        CHECK(bus->probe_boards(1, 3, 8) == std::vector<int>{1, 2});
    }
}

TEST_CASE("locker.driver the service finds the boards on every variant - between operations") {
    // Kerong: the 32 listing (smc-v3 getAllDevicesStatus, CartWise test_get_status.py send 32 to
    // the broadcast address F0 and read every board's state frame); 8A/80 has no listing
    // command, so each address is asked (what the public 8A/80 clients do to find a board).
    for (const auto& v : sim::variants()) {
        CAPTURE(v.name);
        VariantRig r(v);
        r.start();
        auto find = [&](std::chrono::milliseconds wait) -> std::optional<BoardsFound> {
            auto p = std::make_shared<std::promise<BoardsFound>>();
            auto f = p->get_future();
            if (!r.svc->find_boards([p](BoardsFound b) { p->set_value(std::move(b)); }))
                return std::nullopt;
            if (f.wait_for(wait) != std::future_status::ready) return std::nullopt;
            return f.get();
        };
        auto all = find(std::chrono::seconds(5));
        REQUIRE(all.has_value());
        REQUIRE(all->buses.size() == 1);
        const auto& b = all->buses[0];
        CHECK(b.dialect == v.dialect);
        CHECK(b.method == (r.kerong ? "list" : "probe"));
        CHECK(b.error == BusError::None);
        CHECK(b.configured == (r.kerong ? std::vector<int>{0, 1} : std::vector<int>{1, 2}));
        CHECK(b.answering == b.configured);
        if (!r.kerong) {
            CHECK(b.probed_from == 1);
            CHECK(b.probed_to == 4);  // the highest configured + 2
        }
        // A board off the bus is configured but silent.
        const int gone = r.kerong ? 1 : 2;
        r.sim.set_board_missing(gone, true);
        auto less = find(std::chrono::seconds(5));
        REQUIRE(less.has_value());
        CHECK(less->buses[0].answering == std::vector<int>{r.kerong ? 0 : 1});
        r.sim.set_board_missing(gone, false);
        // While a door is watched the search waits: it would hold the bus the door needs.
        REQUIRE(r.svc->staff_open("staff-1", 2) == Admit::Accepted);
        REQUIRE(r.events.wait(T::Opened, 2));
        auto p = std::make_shared<std::promise<BoardsFound>>();
        auto f = p->get_future();
        REQUIRE(r.svc->find_boards([p](BoardsFound x) { p->set_value(std::move(x)); }));
        // A second search while one is queued is refused, not queued twice.
        CHECK_FALSE(r.svc->find_boards([](const BoardsFound&) {}));
        CHECK(f.wait_for(std::chrono::milliseconds(300)) == std::future_status::timeout);
        r.close(2);
        REQUIRE(f.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
        CHECK(f.get().buses.at(0).answering.size() == 2);
        REQUIRE(r.wait_idle());
        CHECK(r.pulses(2) == 1);
    }
}

TEST_CASE("locker.driver open-all is staff only and journaled door by door") {
    VariantRig r(variant("8a80"));
    r.start();
    // Compartment 3 is busy with a deposit: open-all skips it.
    REQUIRE(r.svc->start_deposit("dep", 3) == Admit::Accepted);
    REQUIRE(r.events.wait(T::Opened, 3));
    CHECK(r.svc->staff_open_all("staff-all", 0, 1) == 7);
    CHECK(r.svc->staff_open_all("staff-all", 0, 7) == 0);  // no such board
    CHECK(r.svc->staff_open_all("staff-all", 4, 1) == 0);  // no such bus
    for (int n = 1; n <= 8; ++n) {
        if (n == 3) continue;
        REQUIRE(r.events.wait(T::Opened, n));
        r.close(n);
    }
    r.close(3);
    REQUIRE(r.wait_idle());
    for (int n = 1; n <= 8; ++n) {
        CAPTURE(n);
        CHECK(r.pulses(n) == 1);
        if (n == 3) continue;
        auto op = r.journal->find("staff-all#" + std::to_string(n));
        REQUIRE(op);
        CHECK(op->kind == OpKind::StaffOpen);
        CHECK(op->fired);
        CHECK(op->step == Step::Reported);
    }
    CHECK(r.pulses(9) == 0);  // the other board untouched
    // A repeat with the same key: every door already journaled is a duplicate and is not fired
    // again; only the one skipped while busy is opened now.
    CHECK(r.svc->staff_open_all("staff-all", 0, 1) == 1);
    REQUIRE(r.events.wait(T::UnlockSent, 3, 2));
    r.close(3);
    REQUIRE(r.wait_idle());
    CHECK(r.pulses(1) == 1);
    CHECK(r.pulses(3) == 2);
    CHECK(r.journal->find("staff-all#3"));
}

// ---- 6. A pickup through a sensor that reads "open" --------------------------------------------
// Field: none found for this point in the public clients (jin0949-style `Locker._exec_unlock`,
//   index id 9308158651, even refuses to fire a lock that already reads unlocked). The behaviour
//   is issue 16's: fire, journal, alert, complete once.
TEST_CASE(
    "locker.driver a pickup through a sensor that reads open - fired once journaled alerted "
    "completed once") {
    SUBCASE("8A/80: the door was left ajar (the sensor honestly reads open)") {
        VariantRig r(variant("8a80"));
        r.start();
        r.deposit_and_pickup(5, "first");  // an item in, taken: now deposit another
        REQUIRE(r.svc->start_deposit("dep2", 5) == Admit::Accepted);
        REQUIRE(r.events.wait(T::Opened, 5, 3));
        r.sim.set_item(1, 5, true);
        r.close(5);
        REQUIRE(r.wait_idle());
        r.sim.open_by_hand(1, 5);  // shut but unlatched, or a loose sensor: reads open
        REQUIRE(r.events.wait(T::Tamper, 5));
        const int before = r.pulses(5);
        REQUIRE(r.svc->start_pickup("pick2", 5) == Admit::Accepted);
        REQUIRE(r.events.wait(T::SensorAlert, 5));
        REQUIRE(r.events.wait(T::UnlockSent, 5, 4));
        CHECK(r.pulses(5) == before + 1);  // fired, once
        auto op = r.journal->find("pick2");
        REQUIRE(op);
        CHECK(op->sensor_open_before);  // "sensor said open before the pulse"
        CHECK(op->fired);
        r.close(5);
        REQUIRE(r.wait_idle());
        CHECK(r.reporter.outcomes.at("pick2") == Outcome::Completed);
        CHECK(r.events.count(T::AlreadyOpen, 5) == 0);
        int closed = 0;
        {
            std::lock_guard lock(r.reporter.mu);
            closed = r.reporter.deliveries;
        }
        CHECK(closed == 4);  // dep-first, pick-first, dep2, pick2: each reported once
        CHECK(r.svc->start_pickup("pick2", 5) == Admit::Duplicate);
        CHECK(r.pulses(5) == before + 1);
    }
    SUBCASE("Kerong: the sensor is stuck open - the item sensor completes it") {
        VariantRig r(variant("kerong"));
        r.start();
        REQUIRE(r.svc->start_deposit("dep", 7) == Admit::Accepted);
        REQUIRE(r.events.wait(T::Opened, 7));
        r.sim.set_item(0, 7, true);
        r.close(7);
        REQUIRE(r.wait_idle());
        r.sim.set_sensor_stuck(0, 7, true);  // a broken cable reads open forever
        REQUIRE(r.events.wait(T::Tamper, 7));
        REQUIRE(r.svc->start_pickup("pick", 7) == Admit::Accepted);
        REQUIRE(r.events.wait(T::SensorAlert, 7));
        REQUIRE(r.events.wait(T::Opened, 7, 2));
        CHECK(r.pulses(7) == 2);
        r.sim.set_item(0, 7, false);  // the citizen takes the certificate
        r.close(7);                   // the door shuts; the sensor still says open
        REQUIRE(r.wait_idle());
        CHECK(r.reporter.outcomes.at("pick") == Outcome::Completed);
        CHECK(r.events.count(T::Closed, 7) == 2);  // the deposit's and the pickup's, once each
        CHECK(r.journal->find("pick")->sensor_open_before);
        CHECK(r.pulses(7) == 2);
    }
}

// ---- 7. Every simulator variant: a pickup ------------------------------------------------------
TEST_CASE("locker.variant a deposit and a pickup on every simulator variant") {
    for (const auto& v : sim::variants()) {
        CAPTURE(v.name);
        const bool reports = std::string(v.name) == "8a80-81";
        VariantRig r(v, reports ? "reports = true" : "");
        r.start();
        const int second = r.kerong ? 18 : 10;  // on the second board
        CHECK(r.deposit_and_pickup(2, "v") == Outcome::Completed);
        CHECK(r.deposit_and_pickup(second, "w") == Outcome::Completed);
        CHECK(r.pulses(2) == 2);
        CHECK(r.pulses(second) == 2);
        CHECK(r.events.count(T::Jammed) == 0);
        CHECK(r.events.count(T::BoardOffline) == 0);
        CHECK(r.events.count(T::Tamper) + r.events.count(T::LeftOpen) == 0);
    }
}
