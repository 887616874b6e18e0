// Receipt printer device tests against the virtual printer over real TCP sockets and ptys.
#include <doctest/doctest.h>

#include <libusb.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "sim/printer/sim_server.hpp"
#include "printer/receipt_printer.hpp"
#include "printer/usb_printer.hpp"
#include "printer_test_util.hpp"

using namespace kiosk;
using namespace std::chrono_literals;
using drivers::PrinterEvent;
using K = PrinterEvent::Kind;

namespace {

struct Rig {
    printersim::VirtualPrinter sim;
    printersim::PrinterSimServer server{sim, {}};
    std::string dir;
    std::shared_ptr<drivers::ReceiptPrinter> printer;
    std::vector<PrinterEvent> seen;

    explicit Rig(bool over_pty = false) {
        char tmpl[] = "/tmp/printer-dev-XXXXXX";
        REQUIRE(mkdtemp(tmpl));
        dir = tmpl;
        std::string err;
        REQUIRE(server.start(&err));
        const std::string uri = over_pty ? "serial:" + server.pty_path() + "?baud=115200"
                                         : "tcp:127.0.0.1:" + std::to_string(server.tcp_port());
        drivers::ReceiptPrinterOptions o;
        o.profile = *escpos::find_profile("generic-80");
        o.templates_dir = std::string(KIOSK_SOURCE_DIR) + "/assets/receipts";
        o.journal_path = dir + "/printer-journal.jsonl";
        drivers::DeviceTiming t;
        t.poll_interval = 100ms;
        printer = std::make_shared<drivers::ReceiptPrinter>("receipt-printer", uri, o, t);
        printer->start();
        REQUIRE(wait([&] { return printer->status() == drivers::DeviceStatus::Online; }));
    }
    ~Rig() {
        printer->stop();
        server.stop();
        std::filesystem::remove_all(dir);
    }
    template <typename F>
    bool wait(F&& f, std::chrono::milliseconds limit = 5000ms) {
        const auto end = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < end) {
            if (f()) return true;
            std::this_thread::sleep_for(10ms);
        }
        return f();
    }
    bool wait_event(K kind) {
        return wait([&] {
            for (auto& e : printer->events().drain()) seen.push_back(e);
            for (const auto& e : seen)
                if (e.kind == kind) return true;
            return false;
        });
    }
};

}  // namespace

TEST_CASE("printer.device prints a receipt over TCP 9100-style and reports it done") {
    Rig rig;
    const auto data = escpos::sample_receipt_data("pickup_slip");
    auto r = rig.printer->print_receipt("pickup_slip", data, "zh-CN");
    REQUIRE(r.ok());
    CHECK(r.ticket->wait_for(10s) == drivers::CommandResult::Ok);
    CHECK(rig.wait_event(K::JobDone));
    REQUIRE(rig.wait([&] { return rig.sim.receipt_count() == 1; }));
    CHECK(printer_test::decode(rig.sim.receipts()[0].image, ZXing::BarcodeFormat::QRCode) ==
          data.fields.at("pickup_qr"));
    // Template and data errors are reported before anything is queued.
    CHECK_FALSE(rig.printer->print_receipt("no_such_template", data, "en").ok());
    auto bad = data;
    bad.fields.erase("locker");
    CHECK(rig.printer->print_receipt("pickup_slip", bad, "en").error.find("locker") !=
          std::string::npos);
}

TEST_CASE("printer.device paper out mid-job: job failed, held, retried once paper is back") {
    Rig rig;
    rig.sim.set_paper_remaining(400);  // runs out a few lines into the receipt
    auto r =
        rig.printer->print_receipt("checklist", escpos::sample_receipt_data("checklist"), "en");
    REQUIRE(r.ok());
    CHECK(r.ticket->wait_for(10s) == drivers::CommandResult::DeviceError);
    REQUIRE(rig.wait_event(K::JobFailed));
    CHECK(rig.wait_event(K::PaperOut));
    const auto failed = rig.printer->failed_jobs();
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].id == r.id);
    CHECK(failed[0].retryable);
    CHECK(failed[0].reason.find("paper out") != std::string::npos);
    CHECK(failed[0].failure == drivers::JobFailure::PaperOut);
    CHECK(failed[0].partial);  // it stopped while printing: the citizen may hold a torn slip
    CHECK(rig.printer->status() == drivers::DeviceStatus::UserError);
    // The failure is recorded in the journal.
    const auto journal = printer_test::read_file(rig.dir + "/printer-journal.jsonl");
    CHECK(journal.find("\"event\":\"failed\"") != std::string::npos);
    CHECK(journal.find("checklist") != std::string::npos);
    // Retrying while the fault is still there fails again and keeps the job.
    auto again = rig.printer->retry(r.id);
    REQUIRE(again.ok());
    const auto again_result = again.ticket->wait_for(10s);
    REQUIRE(again_result);
    CHECK(std::string(drivers::to_string(*again_result)) == "device error");
    CHECK(rig.printer->failed_jobs().size() == 1);
    // New roll: the fault clears (ASB), the held job prints in full.
    rig.sim.set_paper_remaining(-1);
    rig.server.set_paper(escpos::PaperLevel::Ok);
    REQUIRE(rig.wait_event(K::FaultCleared));
    auto third = rig.printer->retry(r.id);
    REQUIRE(third.ok());
    CHECK(third.ticket->wait_for(10s) == drivers::CommandResult::Ok);
    CHECK(rig.printer->failed_jobs().empty());
    const auto receipts = rig.sim.receipts();
    REQUIRE_FALSE(receipts.empty());
    CHECK_FALSE(receipts.front().complete);  // the torn first attempt
    CHECK(receipts.back().complete);
    CHECK(printer_test::decode(receipts.back().image, ZXing::BarcodeFormat::QRCode) ==
          escpos::sample_receipt_data("checklist").fields.at("guide_url"));
}

TEST_CASE("printer.device checks before the job: cover open sends nothing") {
    Rig rig(/*over_pty=*/true);
    rig.server.set_cover_open(true);
    REQUIRE(rig.wait_event(K::CoverOpen));
    const auto before = rig.sim.stats().bytes;
    auto r = rig.printer->print_receipt("queue_ticket", escpos::sample_receipt_data("queue_ticket"),
                                        "zh-CN");
    REQUIRE(r.ok());
    CHECK(r.ticket->wait_for(10s) == drivers::CommandResult::DeviceError);
    // Only status queries reached the printer: no print data arrived while it could not print.
    CHECK(rig.sim.stats().dropped_bytes == 0);
    CHECK(rig.sim.stats().bytes - before < 200);  // the receipt is ~600 bytes; polls are 12
    REQUIRE(rig.printer->failed_jobs().size() == 1);
    CHECK(rig.printer->failed_jobs()[0].reason == "cover open");
    CHECK(rig.printer->failed_jobs()[0].failure == drivers::JobFailure::CoverOpen);
    CHECK_FALSE(rig.printer->failed_jobs()[0].partial);
    CHECK(rig.sim.receipt_count() == 0);
    rig.server.set_cover_open(false);
    REQUIRE(rig.wait_event(K::FaultCleared));
    CHECK(rig.printer->retry(r.id).ticket->wait_for(10s) == drivers::CommandResult::Ok);
    CHECK(rig.sim.receipt_count() == 1);
}

TEST_CASE("printer.device raises paper near end for the fleet and the service menu") {
    Rig rig;
    rig.server.set_paper(escpos::PaperLevel::NearEnd);
    REQUIRE(rig.wait_event(K::PaperNearEnd));
    CHECK(rig.printer->printer_status().paper == escpos::PaperLevel::NearEnd);
    CHECK(rig.printer->status() == drivers::DeviceStatus::Online);  // near end still prints
    rig.server.set_cutter_error(true);
    CHECK(rig.wait([&] { return rig.printer->status() == drivers::DeviceStatus::HardwareError; }));
}

TEST_CASE("printer.usb picks the bidirectional printer-class interface from descriptors") {
    // A composite device: HID keypad on interface 0, printer class (unidirectional alt 0,
    // bidirectional alt 1) on interface 1 with endpoints 0x03 OUT / 0x84 IN.
    libusb_endpoint_descriptor hid_ep{};
    hid_ep.bEndpointAddress = 0x81;
    hid_ep.bmAttributes = LIBUSB_TRANSFER_TYPE_INTERRUPT;
    libusb_endpoint_descriptor uni[1]{};
    uni[0].bEndpointAddress = 0x03;
    uni[0].bmAttributes = LIBUSB_TRANSFER_TYPE_BULK;
    libusb_endpoint_descriptor bidi[2]{};
    bidi[0].bEndpointAddress = 0x84;
    bidi[0].bmAttributes = LIBUSB_TRANSFER_TYPE_BULK;
    bidi[1].bEndpointAddress = 0x03;
    bidi[1].bmAttributes = LIBUSB_TRANSFER_TYPE_BULK;
    libusb_interface_descriptor hid{};
    hid.bInterfaceNumber = 0;
    hid.bInterfaceClass = LIBUSB_CLASS_HID;
    hid.bNumEndpoints = 1;
    hid.endpoint = &hid_ep;
    libusb_interface_descriptor alts[2]{};
    alts[0].bInterfaceNumber = 1;
    alts[0].bInterfaceClass = LIBUSB_CLASS_PRINTER;
    alts[0].bInterfaceProtocol = 1;
    alts[0].bNumEndpoints = 1;
    alts[0].endpoint = uni;
    alts[1] = alts[0];
    alts[1].bAlternateSetting = 1;
    alts[1].bInterfaceProtocol = 2;
    alts[1].bNumEndpoints = 2;
    alts[1].endpoint = bidi;
    libusb_interface itfs[2]{};
    itfs[0].altsetting = &hid;
    itfs[0].num_altsetting = 1;
    itfs[1].altsetting = alts;
    itfs[1].num_altsetting = 2;
    libusb_config_descriptor cfg{};
    cfg.bNumInterfaces = 2;
    cfg.interface = itfs;
    const auto p = drivers::find_printer_interface(&cfg);
    CHECK(p.interface == 1);
    CHECK(p.alt_setting == 1);
    CHECK(p.protocol == 2);
    CHECK(p.ep_out == 0x03);
    CHECK(p.ep_in == 0x84);
    cfg.bNumInterfaces = 1;  // only the keypad
    CHECK_FALSE(drivers::find_printer_interface(&cfg).found());
    std::string err;
    CHECK(drivers::resolve_usb_printer_uri("usb:0416:5011?interface=0", &err) ==
          "usb:0416:5011?interface=0");
}

TEST_CASE("printer.device prints through the in-process sim: link") {
    printersim::VirtualPrinter sim;
    printersim::SimServerOptions so;
    so.pty = false;
    so.tcp = false;
    so.sim_name = "printer-test-" + std::to_string(::getpid());
    printersim::PrinterSimServer server(sim, so);
    REQUIRE(server.start());
    drivers::ReceiptPrinterOptions o;
    o.profile = *escpos::find_profile("generic-58");
    o.templates_dir = std::string(KIOSK_SOURCE_DIR) + "/assets/receipts";
    drivers::ReceiptPrinter printer("receipt-printer", "sim:" + so.sim_name, o);
    printer.start();
    auto r =
        printer.print_receipt("queue_ticket", escpos::sample_receipt_data("queue_ticket"), "en");
    REQUIRE(r.ok());
    CHECK(r.ticket->wait_for(10s) == drivers::CommandResult::Ok);
    CHECK(sim.receipt_count() == 1);
    printer.stop();
    server.stop();
}

TEST_CASE("printer.device is built by the DeviceManager from configuration") {
    printersim::VirtualPrinter sim;
    printersim::PrinterSimServer server(sim, {});
    REQUIRE(server.start());
    drivers::DeviceManager manager;
    manager.register_kind("receipt-printer", drivers::receipt_printer_factory());
    std::string err;
    drivers::DeviceConfig bad{
        "p0", "receipt-printer", "tcp:127.0.0.1:1", {{"profile", "laser-9000"}}};
    CHECK_FALSE(manager.add(bad, &err));
    CHECK(err.find("laser-9000") != std::string::npos);
    drivers::DeviceConfig c{"receipt-printer",
                            "receipt-printer",
                            "tcp:127.0.0.1:" + std::to_string(server.tcp_port()),
                            {{"profile", "generic-58"},
                             {"templates", std::string(KIOSK_SOURCE_DIR) + "/assets/receipts"}}};
    REQUIRE_MESSAGE(manager.add(c, &err), err);
    auto printer = manager.get_as<drivers::ReceiptPrinter>("receipt-printer");
    REQUIRE(printer);
    CHECK(printer->capabilities().has("printer.58mm"));
    auto r = printer->print_receipt("payment_receipt",
                                    escpos::sample_receipt_data("payment_receipt"), "en");
    REQUIRE(r.ok());
    CHECK(r.ticket->wait_for(10s) == drivers::CommandResult::Ok);
    manager.stop_all();
    server.stop();
}
