// Transports over real pseudo-terminals, loopback sockets and socketpairs (no mocks).
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "common/hidraw.hpp"
#include "common/pty.hpp"
#include "common/serial.hpp"
#include "common/sim_link.hpp"
#include "common/tcp.hpp"
#include "common/transport.hpp"
#include "common/usb.hpp"

using namespace kiosk::drivers;
using namespace std::chrono_literals;

namespace {

std::vector<std::uint8_t> read_exactly(Transport& t, std::size_t n,
                                       std::chrono::milliseconds timeout = 2000ms) {
    std::vector<std::uint8_t> out;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::uint8_t buf[256];
    while (out.size() < n && std::chrono::steady_clock::now() < deadline) {
        auto r = t.read(std::span(buf, std::min(sizeof buf, n - out.size())), 100ms);
        if (r.error == TransportError::Timeout) continue;
        if (!r.ok()) break;
        out.insert(out.end(), buf, buf + r.bytes);
    }
    return out;
}

std::string make_temp_dir() {
    char tmpl[] = "/tmp/kiosk-devices-XXXXXX";
    char* d = ::mkdtemp(tmpl);
    REQUIRE(d != nullptr);
    return d;
}

}  // namespace

TEST_CASE("devices.uri parses scheme and target and query") {
    TransportUri u;
    REQUIRE(parse_transport_uri("serial:/dev/ttyUSB0?baud=9600&parity=even", u));
    CHECK(u.scheme == "serial");
    CHECK(u.target == "/dev/ttyUSB0");
    CHECK(u.get("baud") == "9600");
    CHECK(u.get("parity") == "even");
    CHECK(u.get("missing", "x") == "x");
    REQUIRE(parse_transport_uri("tcp:127.0.0.1:9100", u));
    CHECK(u.target == "127.0.0.1:9100");
    REQUIRE(parse_transport_uri("usb:0400:c35a?path=1-1.2", u));
    CHECK(u.target == "0400:c35a");
    CHECK(u.get("path") == "1-1.2");
    REQUIRE(parse_transport_uri("sim:idcard", u));
    REQUIRE(parse_transport_uri("serial:/tmp/a%20b", u));
    CHECK(u.target == "/tmp/a b");
}

TEST_CASE("devices.uri rejects malformed input") {
    TransportUri u;
    for (const char* bad :
         {"", ":x", "serial", "serial:", "Serial:/dev/x", "se rial:/x", "serial:/dev/x%",
          "serial:/dev/x%zz", "serial:/dev/%0a", "serial:/x?=1"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_transport_uri(bad, u));
    }
}

TEST_CASE("devices.make_transport validates every scheme's options") {
    std::string err;
    CHECK(make_transport("serial:/dev/ttyS0?baud=115200", &err) != nullptr);
    CHECK(make_transport("rs485:/dev/ttyS1?baud=9600&parity=even&stop=2", &err) != nullptr);
    CHECK(make_transport("tcp:127.0.0.1:9100?connect_timeout=500", &err) != nullptr);
    CHECK(make_transport("tcp:[::1]:9100", &err) != nullptr);
    CHECK(make_transport("usb:0400:c35a?path=1-1.2&interface=0", &err) != nullptr);
    CHECK(make_transport("hidraw:/dev/hidraw0", &err) != nullptr);
    CHECK(make_transport("sim:idcard", &err) != nullptr);
    for (const char* bad :
         {"serial:/dev/ttyS0?baud=12345", "serial:relative", "serial:/x?parity=mark",
          "serial:/x?data=9", "serial:/x?stop=3", "tcp:host", "tcp:host:0", "tcp:host:70000",
          "tcp::80", "usb:0400", "usb:xyz:c35a", "usb:0400:c35a?path=1;2", "usb:0400:c35a?split=0",
          "hidraw:rel", "carrier-pigeon:x", "nonsense"}) {
        CAPTURE(bad);
        err.clear();
        CHECK(make_transport(bad, &err) == nullptr);
        CHECK_FALSE(err.empty());
    }
}

TEST_CASE("devices.serial over a pty moves bytes both ways and times out quietly") {
    PtyPair pty;
    REQUIRE(pty.open() == TransportError::None);
    auto serial = make_transport("serial:" + pty.slave_path() + "?baud=115200");
    REQUIRE(serial);
    REQUIRE(serial->open() == TransportError::None);

    // Bytes that a cooked tty would mangle (CR, LF, ^C, ^S, 0xFF) must pass untouched.
    std::vector<std::uint8_t> out = {0xAA, 0x0D, 0x0A, 0x03, 0x13, 0xFF, 0x00, 0x7F};
    REQUIRE(serial->write(out).ok());
    CHECK(read_exactly(pty, out.size()) == out);
    REQUIRE(pty.write(out).ok());
    CHECK(read_exactly(*serial, out.size()) == out);

    std::uint8_t buf[16];
    auto t0 = std::chrono::steady_clock::now();
    auto r = serial->read(buf, 50ms);
    CHECK(r.error == TransportError::Timeout);
    CHECK(std::chrono::steady_clock::now() - t0 >= 45ms);
}

TEST_CASE("devices.serial reports Gone without hanging when the device vanishes") {
    PtyPair pty;
    REQUIRE(pty.open() == TransportError::None);
    auto serial = make_transport("serial:" + pty.slave_path());
    REQUIRE(serial->open() == TransportError::None);
    std::thread unplug([&] {
        std::this_thread::sleep_for(50ms);
        pty.close();
    });
    std::uint8_t buf[16];
    auto t0 = std::chrono::steady_clock::now();
    IoResult r;
    do {
        r = serial->read(buf, 5000ms);  // must not wait the full 5 s
    } while (r.ok());
    unplug.join();
    CHECK(r.error == TransportError::Gone);
    CHECK(std::chrono::steady_clock::now() - t0 < 2000ms);
    std::uint8_t one = 0x55;
    auto w = serial->write(std::span(&one, 1));
    CHECK(w.error == TransportError::Gone);
}

TEST_CASE("devices.serial open of a missing node is Gone and of a non-tty is BadUri") {
    auto dir = make_temp_dir();
    auto missing = make_transport("serial:" + dir + "/ttyUSB9");
    CHECK(missing->open() == TransportError::Gone);
    std::string file = dir + "/plain";
    FILE* f = std::fopen(file.c_str(), "w");
    REQUIRE(f);
    std::fclose(f);
    auto notty = make_transport("serial:" + file);
    CHECK(notty->open() == TransportError::BadUri);
    ::unlink(file.c_str());
    ::rmdir(dir.c_str());
}

TEST_CASE("devices.pty link is re-pointed on replug and removed on unplug") {
    auto dir = make_temp_dir();
    std::string link = dir + "/idcard";
    PtyPair pty(link);
    REQUIRE(pty.open() == TransportError::None);
    auto serial = make_transport("serial:" + link);
    REQUIRE(serial->open() == TransportError::None);
    std::string first = pty.slave_path();
    pty.close();
    CHECK(serial->open() == TransportError::Gone);  // the node is gone while unplugged
    REQUIRE(pty.open() == TransportError::None);
    REQUIRE(serial->open() == TransportError::None);
    std::vector<std::uint8_t> hello = {1, 2, 3};
    REQUIRE(pty.write(hello).ok());
    CHECK(read_exactly(*serial, 3) == hello);
    serial->close();
    pty.close();
    ::rmdir(dir.c_str());
}

TEST_CASE("devices.rs485 on a uart without kernel RS485 falls back to plain serial") {
    PtyPair pty;
    REQUIRE(pty.open() == TransportError::None);
    TransportUri u;
    REQUIRE(parse_transport_uri("rs485:" + pty.slave_path() + "?baud=9600&delay_after=1", u));
    auto o = serial_options_from_uri(u, nullptr);
    REQUIRE(o);
    CHECK(o->rs485);
    CHECK(o->delay_after_ms == 1);
    SerialTransport t(*o);
    REQUIRE(t.open() == TransportError::None);
    CHECK_FALSE(t.rs485_active());  // a pty has no RS485 driver: logged, and it still works
    std::vector<std::uint8_t> b = {9, 8, 7};
    REQUIRE(t.write(b).ok());
    CHECK(read_exactly(pty, 3) == b);
}

namespace {

struct Listener {
    int fd = -1;
    std::uint16_t port = 0;
    Listener() {
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(::listen(fd, 4) == 0);
        socklen_t len = sizeof a;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
    }
    ~Listener() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

TEST_CASE("devices.tcp round trip on loopback and Gone when the peer closes") {
    Listener l;
    auto tcp = make_transport("tcp:127.0.0.1:" + std::to_string(l.port));
    REQUIRE(tcp->open() == TransportError::None);
    int peer = ::accept4(l.fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    REQUIRE(peer >= 0);
    AdoptedFdTransport server(peer, true, "peer");
    std::vector<std::uint8_t> msg = {0x1B, 0x40, 0x0A};
    REQUIRE(tcp->write(msg).ok());
    CHECK(read_exactly(server, 3) == msg);
    REQUIRE(server.write(msg).ok());
    CHECK(read_exactly(*tcp, 3) == msg);
    server.close();
    std::uint8_t buf[8];
    auto r = tcp->read(buf, 2000ms);
    CHECK(r.error == TransportError::Gone);
}

TEST_CASE("devices.tcp connect to a closed port is Gone") {
    std::uint16_t port;
    {
        Listener l;
        port = l.port;
    }
    auto tcp = make_transport("tcp:127.0.0.1:" + std::to_string(port) + "?connect_timeout=500");
    CHECK(tcp->open() == TransportError::Gone);
}

TEST_CASE("devices.sim link round trip and unplug and absent endpoint") {
    std::unique_ptr<AdoptedFdTransport> sim_side;
    register_sim_endpoint("test-echo", [&](int fd) {
        sim_side = std::make_unique<AdoptedFdTransport>(fd, true, "sim-side");
        return true;
    });
    auto t = make_transport("sim:test-echo");
    REQUIRE(t->open() == TransportError::None);
    REQUIRE(sim_side);
    std::vector<std::uint8_t> msg = {0xAA, 0xAA, 0xAA, 0x96, 0x69};
    REQUIRE(t->write(msg).ok());
    CHECK(read_exactly(*sim_side, msg.size()) == msg);
    sim_side->close();  // unplug
    std::uint8_t buf[8];
    CHECK(t->read(buf, 2000ms).error == TransportError::Gone);
    unregister_sim_endpoint("test-echo");
    CHECK(t->open() == TransportError::Gone);
}

TEST_CASE("devices.usb and hidraw parsing and open failures without hardware") {
    // No reader is attached to this machine: only the paths up to the device can be exercised.
    TransportUri u;
    REQUIRE(parse_transport_uri("usb:0400:C35A?path=3-1.4&interface=1&split=7", u));
    auto o = usb_options_from_uri(u, nullptr);
    REQUIRE(o);
    CHECK(o->vid == 0x0400);
    CHECK(o->pid == 0xc35a);
    CHECK(o->path == "3-1.4");
    CHECK(o->interface == 1);
    CHECK(o->split == 7);
    UsbTransport usb(*o);
    CHECK(usb.describe() == "usb:0400:c35a?path=3-1.4");
    CHECK(usb.open() != TransportError::None);
    CHECK_FALSE(usb.is_open());
    std::uint8_t b[4]{};
    CHECK(usb.read(b, 10ms).error == TransportError::NotOpen);
    CHECK(usb.write(b).error == TransportError::NotOpen);

    HidrawTransport missing("/dev/hidraw-kiosk-test-missing");
    CHECK(missing.open() == TransportError::Gone);
    HidrawTransport not_hid("/dev/null");  // exists, but is no hidraw node
    CHECK(not_hid.open() == TransportError::BadUri);
}

TEST_CASE("devices.udev rules grant access to every known reader and serial bridge") {
    // udevadm is not available in the build environment: check the content and basic syntax.
    std::string path = std::string(KIOSK_SOURCE_DIR) + "/packaging/udev/70-kiosk-devices.rules";
    FILE* f = std::fopen(path.c_str(), "r");
    REQUIRE(f);
    std::vector<std::string> lines;
    char buf[1024];
    while (std::fgets(buf, sizeof buf, f)) lines.emplace_back(buf);
    std::fclose(f);
    auto has_rule = [&](const std::string& subsystem, const std::string& vid,
                        const std::string& pid) {
        for (const auto& l : lines) {
            if (l.empty() || l[0] == '#') continue;
            if (l.find("SUBSYSTEM==\"" + subsystem + "\"") != std::string::npos &&
                l.find("\"" + vid + "\"") != std::string::npos &&
                l.find("\"" + pid + "\"") != std::string::npos)
                return true;
        }
        return false;
    };
    for (auto [vid, pid] : {std::pair{"0400", "c35a"}, {"10c4", "0007"}, {"203b", "0101"}}) {
        CAPTURE(vid);
        CHECK(has_rule("usb", vid, pid));
        CHECK(has_rule("hidraw", vid, pid));
    }
    for (auto [vid, pid] : {std::pair{"1a86", "7523"}, {"10c4", "ea60"}, {"067b", "2303"}}) {
        CAPTURE(vid);
        CHECK(has_rule("tty", vid, pid));
    }
    int plugdev = 0, dialout = 0;
    for (const auto& l : lines) {
        if (l.empty() || l[0] == '#' || l == "\n") continue;
        CHECK_MESSAGE(std::count(l.begin(), l.end(), '"') % 2 == 0, l);  // balanced quotes
        plugdev += l.find("GROUP=\"plugdev\"") != std::string::npos;
        dialout += l.find("GROUP=\"dialout\"") != std::string::npos;
    }
    CHECK(plugdev == 6);
    CHECK(dialout == 1);
}
