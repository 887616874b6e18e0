// Scanners over their links: serial over a real pseudo-terminal and over the sim link, the
// keyboard wedge fed with evdev records, HID POS reports, injection, URI handling.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "scanner/device_scanners.hpp"
#include "sim/scanner/scanner_sim.hpp"
#include "wait_queue.hpp"

using namespace kiosk::scanner;
using namespace std::chrono_literals;
using kiosk::drivers::DeviceStatus;

namespace {

ScannerContext context(WaitableQueue& q) {
    ScannerContext c;
    c.queue = q.queue;
    c.payload.hall_hosts = {"zwfw.yueyang.gov.cn"};
    return c;
}

bool wait_status(const Scanner& s, DeviceStatus want, std::chrono::milliseconds timeout = 3s) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        if (s.status() == want) return true;
        std::this_thread::sleep_for(5ms);  // polling a status with a bound
    }
    return s.status() == want;
}

std::string temp_dir() {
    std::string t = (std::filesystem::temp_directory_path() / "scanner-XXXXXX").string();
    REQUIRE(mkdtemp(t.data()) != nullptr);
    return t;
}

}  // namespace

TEST_CASE("scanner.serial scans over a pseudo-terminal against the simulator") {
    WaitableQueue q;
    auto sim = sim::SerialScannerSim::on_pty({});
    REQUIRE(sim);
    std::string err;
    auto s =
        make_scanner("serial:" + sim->device_path() + "?baud=9600&terminator=cr", context(q), &err);
    REQUIRE_MESSAGE(s, err);
    s->start();
    REQUIRE(wait_status(*s, DeviceStatus::Online));
    REQUIRE(sim->scan("ESTN:PICKUP:12345678"));
    auto ev = q.wait();
    REQUIRE(ev.has_value());
    CHECK(ev->source == ScanSource::Serial);
    CHECK(ev->text == "ESTN:PICKUP:12345678");
    CHECK(ev->payload.kind == PayloadKind::PickupCode);
    CHECK(ev->payload.value == "12345678");
    REQUIRE(sim->scan("https://evil.example.com/x"));
    auto ev2 = q.wait();
    REQUIRE(ev2.has_value());
    CHECK(ev2->payload.kind == PayloadKind::NotForKiosk);
    CHECK(ev2->payload.reason == Rejection::ForeignUrl);
    s->stop();
}

TEST_CASE("scanner.serial GB18030, AIM prefix, garbage and idle-terminated scans") {
    WaitableQueue q;
    sim::SerialScannerSim::Options o;
    o.gb18030 = true;
    o.aim = "]Q1";
    o.suffix = "";
    auto sim = sim::SerialScannerSim::on_sim_link(o, "scanner-test-gb");
    std::string err;
    auto s =
        make_scanner("sim:scanner-test-gb?terminator=none&timeout_ms=40&aim=1", context(q), &err);
    REQUIRE_MESSAGE(s, err);
    s->start();
    REQUIRE(sim->wait_connected(3s));
    REQUIRE(sim->scan("岳阳 取件码 123456"));
    auto ev = q.wait();
    REQUIRE(ev.has_value());
    CHECK(ev->symbology == Symbology::QrCode);
    CHECK(ev->encoding == TextEncoding::Gb18030);
    CHECK(ev->text == "岳阳 取件码 123456");
    CHECK(ev->payload.reason == Rejection::UnknownFormat);
    // Bytes that are neither UTF-8 nor GB18030 become a typed invalid scan.
    REQUIRE(sim->send_raw("\xff\xff\xff"));
    auto bad = q.wait();
    REQUIRE(bad.has_value());
    CHECK(bad->error == ValidationError::BadEncoding);
    CHECK(bad->payload.reason == Rejection::Invalid);
    s->stop();
}

TEST_CASE("scanner.serial survives unplug and replug of the pty") {
    WaitableQueue q;
    const std::string dir = temp_dir();
    auto sim = sim::SerialScannerSim::on_pty({}, dir + "/scanner");
    REQUIRE(sim);
    auto s = make_scanner("serial:" + dir + "/scanner", context(q));
    REQUIRE(s);
    s->start();
    REQUIRE(wait_status(*s, DeviceStatus::Online));
    sim->unplug();
    CHECK(wait_status(*s, DeviceStatus::NoDevice));
    REQUIRE(sim->replug());
    REQUIRE(wait_status(*s, DeviceStatus::Online));
    REQUIRE(sim->scan("87654321"));
    auto ev = q.wait();
    REQUIRE(ev.has_value());
    CHECK(ev->payload.kind == PayloadKind::PickupCode);
    s->stop();
    std::filesystem::remove_all(dir);
}

TEST_CASE("scanner.serial inactive scanners drop scans") {
    WaitableQueue q;
    auto sim = sim::SerialScannerSim::on_sim_link({}, "scanner-test-inactive");
    auto s = make_scanner("sim:scanner-test-inactive", context(q));
    REQUIRE(s);
    s->start();
    REQUIRE(sim->wait_connected(3s));
    auto* dev = dynamic_cast<DeviceScanner*>(s.get());
    REQUIRE(dev != nullptr);
    s->set_active(false);
    REQUIRE(sim->scan("11111111"));
    const auto until = std::chrono::steady_clock::now() + 3s;
    while (dev->dropped() == 0 && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(5ms);  // polling a counter with a bound
    }
    CHECK(dev->dropped() == 1);
    s->set_active(true);
    REQUIRE(sim->scan("22222222"));
    auto ev = q.wait();
    REQUIRE(ev.has_value());
    CHECK(ev->text == "22222222");
    s->stop();
}

TEST_CASE("scanner.evdev keyboard wedge decodes simulated key events") {
    WaitableQueue q;
    sim::EvdevScannerSim sim("scanner-test-evdev", KeyLayout::De, Terminator::Enter);
    std::string err;
    auto s = make_scanner("evdev-sim:scanner-test-evdev?layout=de&terminator=enter&timeout_ms=200",
                          context(q), &err);
    REQUIRE_MESSAGE(s, err);
    s->start();
    REQUIRE(sim.wait_connected(3s));
    REQUIRE(sim.type("https://zwfw.yueyang.gov.cn/guide/T-1"));
    auto ev = q.wait();
    REQUIRE(ev.has_value());
    CHECK(ev->source == ScanSource::KeyboardWedge);
    CHECK(ev->payload.kind == PayloadKind::HallGuide);
    CHECK(ev->payload.value == "T-1");
    // Chinese via Alt + keypad GBK codes, typed key by key.
    REQUIRE(sim.type("取件码", 1ms));
    auto ev2 = q.wait();
    REQUIRE(ev2.has_value());
    CHECK(ev2->text == "取件码");
    CHECK(ev2->encoding == TextEncoding::Gb18030);
    s->stop();
}

TEST_CASE("scanner.evdev open failures: missing node and a node that cannot be grabbed") {
    WaitableQueue q;
    auto missing = make_scanner("evdev:/nonexistent/input/event99", context(q));
    REQUIRE(missing);
    missing->start();
    CHECK(wait_status(*missing, DeviceStatus::NoDevice));
    missing->stop();
    EvdevTransport t("/dev/null");  // opens, but EVIOCGRAB fails: refuse, never read ungrabbed
    CHECK(t.open() == kiosk::drivers::TransportError::Io);
    CHECK_FALSE(t.is_open());
    CHECK(t.error().find("grab") != std::string::npos);
}

TEST_CASE("scanner.hidpos reports from the simulator become scans") {
    WaitableQueue q;
    sim::HidPosScannerSim sim("scanner-test-hidpos");
    DeviceScanner s(DeviceScanner::Kind::HidPos, "sim:scanner-test-hidpos", {}, {}, context(q),
                    "hidpos-test");
    s.start();
    REQUIRE(sim.wait_connected(3s));
    const std::string url =
        "https://zwfw.yueyang.gov.cn/receipt/R2026-000123?sig=" + std::string(40, 'a');
    REQUIRE(sim.scan(url, "]Q1"));  // two reports
    auto ev = q.wait();
    REQUIRE(ev.has_value());
    CHECK(ev->source == ScanSource::HidPos);
    CHECK(ev->symbology == Symbology::QrCode);
    CHECK(ev->payload.kind == PayloadKind::HallReceipt);
    std::vector<std::uint8_t> junk(64, 0x02);
    junk[1] = 0xFF;
    REQUIRE(sim.send_report(junk));  // bad length: dropped, the next scan still works
    REQUIRE(sim.scan("ESTN:CERT:YY-2026-000123", "]C0"));
    auto ev2 = q.wait();
    REQUIRE(ev2.has_value());
    CHECK(ev2->symbology == Symbology::Code128);
    CHECK(ev2->payload.kind == PayloadKind::Certificate);
    s.stop();
}

TEST_CASE("scanner.inject scenario injection goes through validation") {
    WaitableQueue q;
    auto s = make_scanner("inject:demo", context(q));
    REQUIRE(s);
    auto* inj = dynamic_cast<InjectScanner*>(s.get());
    REQUIRE(inj != nullptr);
    CHECK_FALSE(inj->inject("12345678"));  // not started
    s->start();
    CHECK(s->status() == DeviceStatus::Online);
    CHECK(inj->inject("12345678"));
    auto ev = q.wait(0ms);
    REQUIRE(ev.has_value());
    CHECK(ev->source == ScanSource::Injected);
    CHECK(ev->payload.kind == PayloadKind::PickupCode);
}

TEST_CASE("scanner.factory rejects bad URIs and options with a message") {
    WaitableQueue q;
    std::string err;
    CHECK_FALSE(make_scanner("nope:/x", context(q), &err));
    CHECK(err.find("unknown") != std::string::npos);
    CHECK_FALSE(make_scanner("", context(q), &err));
    CHECK_FALSE(make_scanner("evdev:/dev/input/event0?layout=xx", context(q), &err));
    CHECK_FALSE(make_scanner("evdev:relative", context(q), &err));
    CHECK_FALSE(make_scanner("evdev:/dev/input/event0?bogus=1", context(q), &err));
    CHECK_FALSE(make_scanner("serial:/dev/ttyS0?terminator=xx", context(q), &err));
    CHECK_FALSE(make_scanner("serial:/dev/ttyS0?baud=12345", context(q), &err));
    CHECK_FALSE(make_scanner("camera:/dev/video0?width=abc", context(q), &err));
    CHECK_FALSE(make_scanner("camera-raw:/x?format=nv12", context(q), &err));
    CHECK_FALSE(make_scanner("hidpos:hidraw0", context(q), &err));
    ScannerContext none;
    CHECK_FALSE(make_scanner("inject:x", none, &err));
    CHECK(make_scanner("camera:/dev/video0?width=1280&height=720&fps=15", context(q), &err));
    CHECK(make_scanner("hidpos:/dev/hidraw0", context(q), &err));
}

TEST_CASE("scanner.sim the scanner-sim program types stdin lines into its pty") {
    const std::string exe = std::string(KIOSK_BINARY_DIR) + "/sim/scanner/scanner-sim";
    REQUIRE(std::filesystem::exists(exe));
    int to_child[2], from_child[2];
    REQUIRE(pipe(to_child) == 0);
    REQUIRE(pipe(from_child) == 0);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        dup2(to_child[0], 0);
        dup2(from_child[1], 1);
        close(to_child[1]);
        close(from_child[0]);
        execl(exe.c_str(), exe.c_str(), "--suffix", "crlf", static_cast<char*>(nullptr));
        _exit(127);
    }
    close(to_child[0]);
    close(from_child[1]);
    // First line on stdout: the scanner URI to configure.
    std::string uri;
    char c;
    while (read(from_child[0], &c, 1) == 1 && c != '\n') uri += c;
    REQUIRE(uri.rfind("serial:/", 0) == 0);
    WaitableQueue q;
    auto s = make_scanner(uri + "?terminator=crlf", context(q));
    REQUIRE(s);
    s->start();
    REQUIRE(wait_status(*s, DeviceStatus::Online));
    const std::string line = "ESTN:PAY:43060020260000123454\n";
    REQUIRE(write(to_child[1], line.data(), line.size()) == static_cast<ssize_t>(line.size()));
    auto ev = q.wait();
    REQUIRE(ev.has_value());
    CHECK(ev->text == "ESTN:PAY:43060020260000123454");
    s->stop();
    close(to_child[1]);  // EOF on stdin ends the program
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    close(from_child[0]);
}
