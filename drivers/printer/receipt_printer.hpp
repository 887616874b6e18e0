// ReceiptPrinter: an ESC/POS thermal receipt printer over any transport (serial, tcp:…:9100, usb).
//
// Built on common/device.hpp (one worker thread owns the link; reconnect with backoff). On
// connect it turns on automatic status back (when the profile has it) and reads DLE EOT 1–4;
// while idle it polls DLE EOT 1–4 at the poll interval and takes ASB frames as they come.
// Status changes become PrinterEvents (paper near end / out / ok, cover open / closed, fault
// cleared) for the fleet report and the service menu, and DeviceStatus for the device manager.
//
// Jobs — a job is never silently lost:
//   1. checked before it runs (DLE EOT 1–4): a printer that cannot print fails the job at once;
//   2. sent in chunks, watching ASB between chunks: a fault mid-job stops sending;
//   3. checked after it ran (DLE EOT 1–4 again; the printer answers them in order after the data
//      it has received — see "Not done" below);
//   any failure → JobFailed event (the core tells the citizen), the job is HELD with its bytes,
//   the failure is logged and appended to the journal file; retry(id) re-queues it once the
//   fault is cleared (a FaultCleared event says when). Held jobs are capped (oldest dropped,
//   recorded as such).
// Privacy: receipt bytes are never logged; held jobs keep bytes that only carry masked data.
// Not done: real printers may answer DLE EOT before they finish printing buffered data; exact
// end-of-print detection would need GS ( H process IDs, which cheap printers lack. The post-check
// therefore catches faults that stopped the job, not a jam after the last dot line.
// Reference: ../shared/reference/escpos.md.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/device.hpp"
#include "common/device_manager.hpp"
#include "common/event_queue.hpp"
#include "escpos/profile.hpp"
#include "escpos/receipt.hpp"
#include "escpos/status.hpp"

namespace kiosk::drivers {

using JobId = std::uint64_t;

struct ReceiptPrinterOptions {
    escpos::PrinterProfile profile;
    std::string templates_dir;  // assets/receipts; empty: print_receipt() rejects everything
    std::string journal_path;   // failed jobs appended as JSON lines; empty: log only
    std::size_t chunk_bytes = 512;
    std::chrono::milliseconds status_timeout{500};  // per DLE EOT reply
    std::chrono::milliseconds job_timeout{30000};
    std::size_t max_held_jobs = 8;
};

enum class JobState : std::uint8_t { Queued, Printing, Done, Failed, Discarded };
const char* to_string(JobState s);

// Why a job failed, for the screen text (the core maps it to an i18n key).
enum class JobFailure : std::uint8_t {
    None,
    PaperOut,
    CoverOpen,
    CutterError,
    PrinterError,  // unrecoverable error reported by the printer
    Offline,
    NoAnswer,  // the printer did not answer status queries
    LinkLost,  // unplugged / connection lost / write failed
    Cancelled,
    NotRun,  // never started (link down, device stopped)
};
const char* to_string(JobFailure f);

struct JobInfo {
    JobId id = 0;
    std::string label;  // template name (never data)
    JobState state = JobState::Queued;
    std::string reason;  // why it failed ("paper out", "cover open", "link lost", ...)
    JobFailure failure = JobFailure::None;
    bool partial = false;  // failed while printing: a torn, incomplete receipt may be out
    bool retryable = false;
    int attempts = 0;
    std::size_t bytes = 0;
};

struct PrinterEvent {
    enum class Kind : std::uint8_t {
        StatusChanged,  // any change; `status` holds the new one
        PaperNearEnd,
        PaperOut,
        PaperOk,
        CoverOpen,
        CoverClosed,
        FaultCleared,  // ready again after a fault: held jobs may be retried
        JobDone,
        JobFailed,
    } kind = Kind::StatusChanged;
    escpos::PrinterStatus status;
    JobInfo job;  // JobDone / JobFailed
};
const char* to_string(PrinterEvent::Kind k);

struct SubmitResult {
    JobId id = 0;  // 0: rejected (see error)
    std::string error;
    std::shared_ptr<CommandTicket> ticket;  // wait_for() in tests; the UI uses events
    bool ok() const { return id != 0; }
};

class ReceiptPrinter final : public Device {
  public:
    ReceiptPrinter(std::string name, std::string uri, ReceiptPrinterOptions options,
                   DeviceTiming timing = {});
    ~ReceiptPrinter() override;

    DeviceCapabilities capabilities() const override;

    // Fills a template (assets/receipts/<name>.toml) and queues the job. A template or data
    // error is reported here, before anything reaches the printer.
    SubmitResult print_receipt(const std::string& template_name, const escpos::ReceiptData& data,
                               const std::string& lang);
    // Queues ready-made ESC/POS bytes (e.g. from escpos::Builder).
    SubmitResult print_bytes(std::string label, std::vector<std::uint8_t> bytes);
    // Re-queues a failed job; false if unknown or not failed.
    SubmitResult retry(JobId id);
    bool discard(JobId id);

    std::vector<JobInfo> jobs() const;  // held (failed) jobs and the last finished ones
    std::vector<JobInfo> failed_jobs() const;
    escpos::PrinterStatus printer_status() const;
    const escpos::PrinterProfile& profile() const { return options_.profile; }

    // Events for the core, drained once per frame (never blocks).
    EventQueue<PrinterEvent>& events() { return events_; }

  protected:
    CommandResult on_connect(CommandContext& ctx) override;
    void on_poll(CommandContext& ctx) override;
    void on_unsolicited(std::span<const std::uint8_t> bytes) override;

  private:
    struct Job {
        JobInfo info;
        std::vector<std::uint8_t> bytes;
    };
    SubmitResult enqueue(JobId id);
    CommandResult run_job(CommandContext& ctx, JobId id);
    void finish_job(JobId id, JobState state, std::string reason, bool retryable);
    // Reads what is available (waiting at most `wait`), feeding the status stream.
    void pump(CommandContext& ctx, std::chrono::milliseconds wait);
    void handle(std::span<const std::uint8_t> bytes);
    // DLE EOT 1..4; false when the printer does not answer.
    bool query_all(CommandContext& ctx);
    void apply(const escpos::PrinterStatus& s);

    ReceiptPrinterOptions options_;
    std::map<std::string, escpos::ReceiptTemplate> templates_;
    EventQueue<PrinterEvent> events_;

    mutable std::mutex mutex_;  // guards status_, jobs_, next_id_
    escpos::PrinterStatus status_;
    bool have_status_ = false;
    std::map<JobId, Job> jobs_;
    std::deque<JobInfo> finished_;  // most recent finished jobs (info only, no bytes)
    JobId next_id_ = 1;

    // Worker thread only.
    escpos::StatusStream stream_;
    std::deque<std::uint8_t> rt_replies_;
    bool resync_ = false;  // the last status query went unanswered
};

// Builds the printer a configuration names: options "profile" (built-in name) or
// "profile_file" (TOML), "templates" (directory), "journal" (file). For usb: URIs without an
// interface the USB printer-class interface is looked up (usb_printer.hpp).
// The DeviceManager factory for kind "receipt-printer" (config.options as above):
//   manager.register_kind("receipt-printer", receipt_printer_factory());
DeviceFactory receipt_printer_factory();

std::shared_ptr<ReceiptPrinter> make_receipt_printer(
    const std::string& name, const std::string& uri,
    const std::map<std::string, std::string>& options, std::string* error);

}  // namespace kiosk::drivers
