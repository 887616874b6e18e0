// CupsPrinter (see cups_printer.hpp). Reference: RFC 8011 (IPP/1.1), CUPS API.
#include "printer/cups_printer.hpp"

#include <cups/cups.h>

#include <thread>

#include "base/log.hpp"

namespace kiosk::drivers {

namespace {
auto clog() {
    static auto l = kiosk::log::get("printer.cups");
    return l;
}
}  // namespace

const char* to_string(A4JobState s) {
    switch (s) {
        case A4JobState::Pending:
            return "pending";
        case A4JobState::Held:
            return "held";
        case A4JobState::Processing:
            return "processing";
        case A4JobState::Stopped:
            return "stopped";
        case A4JobState::Canceled:
            return "canceled";
        case A4JobState::Aborted:
            return "aborted";
        case A4JobState::Completed:
            return "completed";
        case A4JobState::Unknown:
            return "unknown";
    }
    return "unknown";
}

A4Faults decode_state_reasons(const std::vector<std::string>& reasons) {
    A4Faults f;
    for (std::string r : reasons) {
        for (const char* suffix : {"-report", "-warning", "-error"}) {
            const std::string s(suffix);
            if (r.size() > s.size() && r.compare(r.size() - s.size(), s.size(), s) == 0) {
                if (s == "-error") f.any_error = true;
                r.resize(r.size() - s.size());
                break;
            }
        }
        if (r == "media-empty" || r == "media-needed")
            f.media_empty = true;
        else if (r == "media-jam")
            f.media_jam = true;
        else if (r == "door-open" || r == "cover-open")
            f.door_open = true;
        else if (r == "toner-low" || r == "marker-supply-low")
            f.toner_low = true;
        else if (r == "toner-empty" || r == "marker-supply-empty")
            f.toner_empty = true;
        else if (r == "offline" || r == "connecting-to-device" || r == "shutdown")
            f.offline = true;
        else if (r == "paused")
            f.paused = true;
    }
    return f;
}

CupsPrinter::CupsPrinter(CupsOptions options) : options_(std::move(options)) {
    if (const auto colon = options_.host.rfind(':');
        colon != std::string::npos && options_.host.find(']') == std::string::npos) {
        options_.port = std::atoi(options_.host.c_str() + colon + 1);
        options_.host.resize(colon);
    }
}

CupsPrinter::~CupsPrinter() {
    if (http_) httpClose(http_);
}

bool CupsPrinter::connect(std::string* error) {
    if (http_) return true;
    http_ = httpConnect2(options_.host.c_str(), options_.port, nullptr, AF_UNSPEC,
                         HTTP_ENCRYPTION_IF_REQUESTED, 1, 5000, nullptr);
    if (!http_ && error)
        *error = "cannot connect to CUPS at " + options_.host + ":" + std::to_string(options_.port);
    return http_ != nullptr;
}

std::string CupsPrinter::printer_uri() const {
    char uri[1024];
    httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", nullptr, options_.host.c_str(),
                     options_.port, "/printers/%s", options_.queue.c_str());
    return uri;
}

int CupsPrinter::print_pdf(std::span<const std::uint8_t> pdf, const std::string& title,
                           const std::map<std::string, std::string>& options, std::string* error) {
    if (!connect(error)) return 0;
    if (pdf.size() < 5 ||
        std::string_view(reinterpret_cast<const char*>(pdf.data()), 5) != "%PDF-") {
        if (error) *error = "not a PDF";
        return 0;
    }
    cups_option_t* opts = nullptr;
    int nopts = 0;
    for (const auto& [k, v] : options) nopts = cupsAddOption(k.c_str(), v.c_str(), nopts, &opts);
    // Create-Job by hand rather than cupsCreateJob(): that one resolves the queue through the
    // default server's destinations (CUPS_SERVER / client.conf), not through `http_`.
    ipp_t* req = ippNewRequest(IPP_OP_CREATE_JOB);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr,
                 printer_uri().c_str());
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr, cupsUser());
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", nullptr, title.c_str());
    cupsEncodeOptions2(req, nopts, opts, IPP_TAG_OPERATION);
    cupsEncodeOptions2(req, nopts, opts, IPP_TAG_JOB);
    const std::string resource = "/printers/" + options_.queue;
    ipp_t* resp = cupsDoRequest(http_, req, resource.c_str());
    int job = 0;
    if (resp && ippGetStatusCode(resp) <= IPP_STATUS_OK_CONFLICTING) {
        if (ipp_attribute_t* a = ippFindAttribute(resp, "job-id", IPP_TAG_INTEGER))
            job = ippGetInteger(a, 0);
    }
    ippDelete(resp);
    if (job == 0) {
        if (error) *error = std::string("create job: ") + cupsLastErrorString();
        cupsFreeOptions(nopts, opts);
        return 0;
    }
    bool ok = cupsStartDocument(http_, options_.queue.c_str(), job, title.c_str(), CUPS_FORMAT_PDF,
                                1) == HTTP_STATUS_CONTINUE;
    ok = ok && cupsWriteRequestData(http_, reinterpret_cast<const char*>(pdf.data()), pdf.size()) ==
                   HTTP_STATUS_CONTINUE;
    ok = cupsFinishDocument(http_, options_.queue.c_str()) == IPP_STATUS_OK && ok;
    cupsFreeOptions(nopts, opts);
    if (!ok) {
        if (error) *error = std::string("send document: ") + cupsLastErrorString();
        cupsCancelJob2(http_, options_.queue.c_str(), job, 0);
        return 0;
    }
    clog()->info("A4 job {} queued on {} ({} bytes)", job, options_.queue, pdf.size());
    return job;
}

A4JobState CupsPrinter::job_state(int job_id, std::string* error) {
    if (!connect(error)) return A4JobState::Unknown;
    ipp_t* req = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr,
                 printer_uri().c_str());
    ippAddInteger(req, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr, cupsUser());
    static const char* attrs[] = {"job-state", "job-state-reasons"};
    ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 2, nullptr,
                  attrs);
    ipp_t* resp = cupsDoRequest(http_, req, "/");
    A4JobState s = A4JobState::Unknown;
    if (resp && ippGetStatusCode(resp) <= IPP_STATUS_OK_CONFLICTING) {
        if (ipp_attribute_t* a = ippFindAttribute(resp, "job-state", IPP_TAG_ENUM)) {
            const int v = ippGetInteger(a, 0);
            if (v >= IPP_JSTATE_PENDING && v <= IPP_JSTATE_COMPLETED)
                s = static_cast<A4JobState>(v - IPP_JSTATE_PENDING);
        }
    } else if (error) {
        *error = std::string("get job: ") + cupsLastErrorString();
    }
    ippDelete(resp);
    return s;
}

A4JobState CupsPrinter::wait_job(int job_id, std::chrono::milliseconds timeout,
                                 std::string* error) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    A4JobState s = A4JobState::Unknown;
    while (true) {
        s = job_state(job_id, error);
        // Stopped is not final for CUPS (an operator may restart it), but nobody will at a
        // kiosk: a filter that failed on the document stops the job, so the caller hears now.
        if (is_final(s) || s == A4JobState::Stopped || std::chrono::steady_clock::now() >= end)
            break;
        std::this_thread::sleep_for(
            options_.poll_interval);  // IPP has no push without subscriptions
    }
    clog()->info("A4 job {}: {}", job_id, to_string(s));
    return s;
}

bool CupsPrinter::cancel_job(int job_id, std::string* error) {
    if (!connect(error)) return false;
    if (cupsCancelJob2(http_, options_.queue.c_str(), job_id, 0) != IPP_STATUS_OK) {
        if (error) *error = cupsLastErrorString();
        return false;
    }
    return true;
}

bool CupsPrinter::printer_state(A4PrinterState& out, std::string* error) {
    if (!connect(error)) return false;
    ipp_t* req = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr,
                 printer_uri().c_str());
    static const char* attrs[] = {"printer-state", "printer-state-reasons",
                                  "printer-state-message"};
    ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 3, nullptr,
                  attrs);
    ipp_t* resp = cupsDoRequest(http_, req, "/");
    if (!resp || ippGetStatusCode(resp) > IPP_STATUS_OK_CONFLICTING) {
        if (error) *error = std::string("get printer: ") + cupsLastErrorString();
        ippDelete(resp);
        return false;
    }
    out = A4PrinterState{};
    if (ipp_attribute_t* a = ippFindAttribute(resp, "printer-state", IPP_TAG_ENUM))
        out.state = ippGetInteger(a, 0);
    if (ipp_attribute_t* a = ippFindAttribute(resp, "printer-state-reasons", IPP_TAG_KEYWORD)) {
        for (int i = 0; i < ippGetCount(a); ++i) {
            const char* r = ippGetString(a, i, nullptr);
            if (r && std::string_view(r) != "none") out.reasons.emplace_back(r);
        }
    }
    if (ipp_attribute_t* a = ippFindAttribute(resp, "printer-state-message", IPP_TAG_TEXT)) {
        if (const char* m = ippGetString(a, 0, nullptr)) out.message = m;
    }
    out.faults = decode_state_reasons(out.reasons);
    ippDelete(resp);
    return true;
}

}  // namespace kiosk::drivers
