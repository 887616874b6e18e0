// A4 printing through a real, private CUPS server with the cups-pdf back end (cups_harness.hpp).
#include <doctest/doctest.h>

#include <cups/cups.h>

#include <thread>

#include "cups_harness.hpp"
#include "printer/cups_printer.hpp"
#include "printer_test_util.hpp"

using namespace kiosk;
using namespace std::chrono_literals;

namespace {
std::span<const std::uint8_t> as_bytes(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
}  // namespace

TEST_CASE("printer.cups decodes printer-state-reasons") {
    const auto f = drivers::decode_state_reasons(
        {"media-empty-error", "media-jam", "door-open-report", "toner-low-warning"});
    CHECK(f.media_empty);
    CHECK(f.media_jam);
    CHECK(f.door_open);
    CHECK(f.toner_low);
    CHECK_FALSE(f.toner_empty);
    CHECK(f.any_error);
    CHECK_FALSE(f.can_print());
    const auto ok = drivers::decode_state_reasons({"toner-low-report"});
    CHECK(ok.toner_low);
    CHECK(ok.can_print());  // low toner still prints: a warning for the fleet, not a fault
}

TEST_CASE("printer.cups prints a PDF on a private cupsd and the PDF comes out") {
    printer_test::CupsHarness cups;
    std::string why;
    if (!cups.start(why)) {
        MESSAGE("SKIPPED: a private cupsd cannot run here: " << why);
        return;
    }
    drivers::CupsPrinter printer({"127.0.0.1", cups.port, cups.queue});
    drivers::A4PrinterState st;
    std::string err;
    REQUIRE_MESSAGE(printer.printer_state(st, &err), err);
    CHECK(st.state == 3);  // idle
    CHECK(st.faults.can_print());

    const auto pdf = printer_test::tiny_pdf("KIOSK A4 PROOF");
    const int job =
        printer.print_pdf(as_bytes(pdf), "proof", {{"media", "iso_a4_210x297mm"}}, &err);
    REQUIRE_MESSAGE(job > 0, err);
    CHECK(printer.wait_job(job, 30s, &err) == drivers::A4JobState::Completed);
    // cups-pdf writes the file as the job's last step; it is there once the job completed.
    std::vector<std::string> out;
    for (int i = 0; i < 500 && (out = cups.outputs()).empty(); ++i)
        std::this_thread::sleep_for(10ms);
    REQUIRE(out.size() == 1);
    const auto text = printer_test::read_file(out[0]);
    CHECK(text.starts_with("%PDF-"));
    CHECK(text.find("%%EOF") != std::string::npos);
    CHECK(text.find("/Type /Page") != std::string::npos);

    // Not a PDF at all: refused before it reaches CUPS.
    CHECK(printer.print_pdf(as_bytes(std::string("hello")), "x", {}, &err) == 0);
    // A broken PDF: the filter fails and the job ends aborted (ErrorPolicy abort-job).
    const int bad =
        printer.print_pdf(as_bytes(std::string("%PDF-1.4\nthis is not a pdf\n")), "bad", {}, &err);
    REQUIRE(bad > 0);
    const auto bad_state = printer.wait_job(bad, 20s, &err);
    CHECK((bad_state == drivers::A4JobState::Aborted || bad_state == drivers::A4JobState::Stopped));
    if (bad_state != drivers::A4JobState::Aborted && bad_state != drivers::A4JobState::Stopped)
        MESSAGE(cups.log_tail());
    CHECK(printer.cancel_job(bad, &err));
    CHECK(printer.job_state(bad, &err) == drivers::A4JobState::Canceled);

    // Pausing the queue shows up in printer-state and printer-state-reasons.
    http_t* http = httpConnect2("127.0.0.1", cups.port, nullptr, AF_UNSPEC,
                                HTTP_ENCRYPTION_IF_REQUESTED, 1, 5000, nullptr);
    REQUIRE(http);
    char uri[256];
    httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", nullptr, "127.0.0.1", cups.port,
                     "/printers/%s", cups.queue.c_str());
    ipp_t* req = ippNewRequest(IPP_OP_PAUSE_PRINTER);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, uri);
    ippDelete(cupsDoRequest(http, req, "/admin/"));
    httpClose(http);
    REQUIRE(printer.printer_state(st, &err));
    CHECK(st.state == 5);  // stopped
    CHECK(st.faults.paused);
    CHECK_FALSE(st.faults.can_print());
}
