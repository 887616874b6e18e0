// CupsPrinter: A4 printing of PDFs through libcups (IPP to a CUPS server).
//
// Implements: Create-Job + Send-Document (cupsCreateJob / cupsStartDocument /
// cupsWriteRequestData / cupsFinishDocument) with options such as media=iso_a4_210x297mm,
// sides, copies; following a job through Get-Job-Attributes job-state until completed, canceled
// or aborted; Get-Printer-Attributes printer-state and printer-state-reasons, decoded into the
// faults a kiosk reports (media-empty, media-jam, door-open, toner-low/empty, offline).
// Does not implement: authentication, TLS certificate pinning, job-sheets, PPD option discovery.
// Calls block on the network: run them on a worker thread, never on the UI thread.
// One CupsPrinter is one HTTP connection and is not thread-safe (guard or use one per thread).
// Reference: ../shared/reference/escpos.md ("A4 through CUPS"), RFC 8011 (IPP/1.1).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

typedef struct _http_s http_t;

namespace kiosk::drivers {

enum class A4JobState : std::uint8_t {
    Pending,     // 3
    Held,        // 4
    Processing,  // 5
    Stopped,     // 6
    Canceled,    // 7
    Aborted,     // 8
    Completed,   // 9
    Unknown,
};
const char* to_string(A4JobState s);
inline bool is_final(A4JobState s) {
    return s == A4JobState::Canceled || s == A4JobState::Aborted || s == A4JobState::Completed;
}

// printer-state-reasons, with the -report/-warning/-error suffixes folded.
struct A4Faults {
    bool media_empty = false;  // media-empty, media-needed
    bool media_jam = false;
    bool door_open = false;  // door-open, cover-open
    bool toner_low = false;
    bool toner_empty = false;
    bool offline = false;  // offline, connecting-to-device, shutdown
    bool paused = false;
    bool any_error = false;  // some reason ended in -error
    bool can_print() const {
        return !media_empty && !media_jam && !door_open && !toner_empty && !offline && !paused;
    }
};
A4Faults decode_state_reasons(const std::vector<std::string>& reasons);

struct A4PrinterState {
    int state = 0;  // 3 idle, 4 processing, 5 stopped
    std::vector<std::string> reasons;
    std::string message;  // printer-state-message
    A4Faults faults;
};

struct CupsOptions {
    std::string host = "localhost";  // or a CUPS_SERVER-style "host:port"
    int port = 631;
    std::string queue;
    std::chrono::milliseconds poll_interval{200};
};

class CupsPrinter {
  public:
    explicit CupsPrinter(CupsOptions options);
    ~CupsPrinter();
    CupsPrinter(const CupsPrinter&) = delete;
    CupsPrinter& operator=(const CupsPrinter&) = delete;

    // Submits a PDF; returns the job id (> 0), or 0 with `error` set (cupsLastErrorString).
    int print_pdf(std::span<const std::uint8_t> pdf, const std::string& title,
                  const std::map<std::string, std::string>& options, std::string* error);
    A4JobState job_state(int job_id, std::string* error = nullptr);
    // Polls until the job is completed, canceled, aborted or stopped (a filter failed on the
    // document: a failure for the kiosk, cancel it) or `timeout` passes (the last state seen).
    A4JobState wait_job(int job_id, std::chrono::milliseconds timeout,
                        std::string* error = nullptr);
    bool cancel_job(int job_id, std::string* error = nullptr);
    bool printer_state(A4PrinterState& out, std::string* error = nullptr);

  private:
    bool connect(std::string* error);
    std::string printer_uri() const;
    CupsOptions options_;
    http_t* http_ = nullptr;
};

}  // namespace kiosk::drivers
