// ReceiptPrinter (see receipt_printer.hpp). Reference: ../shared/reference/escpos.md.
#include "printer/receipt_printer.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/log.hpp"
#include "escpos/builder.hpp"
#include "printer/usb_printer.hpp"

namespace kiosk::drivers {

using namespace std::chrono_literals;
using escpos::PaperLevel;
using escpos::PrinterStatus;

namespace {

auto plog() {
    static auto l = kiosk::log::get("printer");
    return l;
}

// The one reason a citizen or a technician needs first.
std::string fault_reason(const PrinterStatus& s) {
    if (s.paper == PaperLevel::Out) return "paper out";
    if (s.cover_open) return "cover open";
    if (s.cutter_error) return "cutter error";
    if (s.unrecoverable) return "printer error";
    if (s.offline) return "offline";
    return "ok";
}

DeviceStatus device_status(const PrinterStatus& s) {
    if (s.cutter_error || s.unrecoverable) return DeviceStatus::HardwareError;
    if (s.paper == PaperLevel::Out || s.cover_open) return DeviceStatus::UserError;
    if (s.offline) return DeviceStatus::Offline;
    return DeviceStatus::Online;
}

std::string json_escape(std::string_view s) {
    std::string o;
    for (char c : s) {
        if (c == '"' || c == '\\') o += '\\';
        if (static_cast<unsigned char>(c) < 0x20) continue;
        o += c;
    }
    return o;
}

}  // namespace

const char* to_string(JobState s) {
    switch (s) {
        case JobState::Queued:
            return "queued";
        case JobState::Printing:
            return "printing";
        case JobState::Done:
            return "done";
        case JobState::Failed:
            return "failed";
        case JobState::Discarded:
            return "discarded";
    }
    return "?";
}

const char* to_string(JobFailure f) {
    switch (f) {
        case JobFailure::None:
            return "none";
        case JobFailure::PaperOut:
            return "paper out";
        case JobFailure::CoverOpen:
            return "cover open";
        case JobFailure::CutterError:
            return "cutter error";
        case JobFailure::PrinterError:
            return "printer error";
        case JobFailure::Offline:
            return "offline";
        case JobFailure::NoAnswer:
            return "no answer";
        case JobFailure::LinkLost:
            return "link lost";
        case JobFailure::Cancelled:
            return "cancelled";
        case JobFailure::NotRun:
            return "not run";
    }
    return "?";
}

namespace {
// The reasons run_job gives are fixed phrases: classify them once, here.
JobFailure classify(std::string_view r) {
    if (r.starts_with("paper out")) return JobFailure::PaperOut;
    if (r.starts_with("cover open")) return JobFailure::CoverOpen;
    if (r.starts_with("cutter error")) return JobFailure::CutterError;
    if (r.starts_with("printer error")) return JobFailure::PrinterError;
    if (r.starts_with("offline")) return JobFailure::Offline;
    if (r.starts_with("printer not answering") || r.starts_with("no answer"))
        return JobFailure::NoAnswer;
    if (r.starts_with("link lost") || r.starts_with("write failed")) return JobFailure::LinkLost;
    if (r.starts_with("cancelled")) return JobFailure::Cancelled;
    if (r.starts_with("not run")) return JobFailure::NotRun;
    return JobFailure::PrinterError;
}
}  // namespace

const char* to_string(PrinterEvent::Kind k) {
    using K = PrinterEvent::Kind;
    switch (k) {
        case K::StatusChanged:
            return "status changed";
        case K::PaperNearEnd:
            return "paper near end";
        case K::PaperOut:
            return "paper out";
        case K::PaperOk:
            return "paper ok";
        case K::CoverOpen:
            return "cover open";
        case K::CoverClosed:
            return "cover closed";
        case K::FaultCleared:
            return "fault cleared";
        case K::JobDone:
            return "job done";
        case K::JobFailed:
            return "job failed";
    }
    return "?";
}

ReceiptPrinter::ReceiptPrinter(std::string name, std::string uri, ReceiptPrinterOptions options,
                               DeviceTiming timing)
    : Device(std::move(name), std::move(uri), timing), options_(std::move(options)) {
    if (!options_.templates_dir.empty()) {
        std::error_code ec;
        for (const auto& e : std::filesystem::directory_iterator(options_.templates_dir, ec)) {
            if (e.path().extension() != ".toml") continue;
            std::ifstream f(e.path());
            std::stringstream ss;
            ss << f.rdbuf();
            std::string err;
            if (auto t = escpos::parse_receipt_template(ss.str(), err)) {
                templates_[t->name] = std::move(*t);
            } else {
                plog()->error("template {} rejected: {}", e.path().filename().string(), err);
            }
        }
    }
}

ReceiptPrinter::~ReceiptPrinter() {
    stop();
}

DeviceCapabilities ReceiptPrinter::capabilities() const {
    DeviceCapabilities c{"printer", {"printer.receipt"}};
    const auto& p = options_.profile;
    if (p.chinese) c.features.push_back("printer.cjk");
    if (p.cut != escpos::CutMode::None) c.features.push_back("printer.cut");
    c.features.push_back(p.native_qr ? "printer.qr.native" : "printer.qr.raster");
    c.features.push_back(p.paper_mm == 58 ? "printer.58mm" : "printer.80mm");
    return c;
}

// [SECTION] Submitting

SubmitResult ReceiptPrinter::print_receipt(const std::string& template_name,
                                           const escpos::ReceiptData& data,
                                           const std::string& lang) {
    SubmitResult r;
    auto it = templates_.find(template_name);
    if (it == templates_.end()) {
        r.error = "unknown receipt template '" + template_name + "'";
        return r;
    }
    escpos::Builder b(options_.profile);
    b.init();
    if (options_.profile.automatic_status_back) b.status_back(true);  // ESC @ may reset it
    if (!escpos::render_receipt(it->second, data, lang, b, r.error)) return r;
    return print_bytes(template_name, b.take());
}

SubmitResult ReceiptPrinter::print_bytes(std::string label, std::vector<std::uint8_t> bytes) {
    JobId id;
    {
        std::lock_guard lock(mutex_);
        id = next_id_++;
        Job j;
        j.info.id = id;
        j.info.label = std::move(label);
        j.info.bytes = bytes.size();
        j.bytes = std::move(bytes);
        jobs_[id] = std::move(j);
    }
    return enqueue(id);
}

SubmitResult ReceiptPrinter::enqueue(JobId id) {
    SubmitResult r;
    r.id = id;
    // Whether run_job ran for THIS submission: a retry may re-queue the job before the previous
    // ticket's completion callback runs, and that callback must not touch the new attempt.
    auto ran = std::make_shared<std::atomic<bool>>(false);
    r.ticket = submit(
        "print job", options_.job_timeout,
        [this, id, ran](CommandContext& ctx) {
            ran->store(true);
            return run_job(ctx, id);
        },
        [this, id, ran](CommandResult res) {
            // Ended without running (link down, device stopped): the job must still end up
            // failed-and-held, never lost.
            if (!ran->load())
                finish_job(id, JobState::Failed, std::string("not run: ") + to_string(res), true);
        });
    return r;
}

SubmitResult ReceiptPrinter::retry(JobId id) {
    {
        std::lock_guard lock(mutex_);
        auto it = jobs_.find(id);
        if (it == jobs_.end() || it->second.info.state != JobState::Failed) {
            SubmitResult r;
            r.error = "no failed job with that id";
            return r;
        }
        it->second.info.state = JobState::Queued;
        it->second.info.reason.clear();
    }
    plog()->info("job {} re-queued", id);
    return enqueue(id);
}

bool ReceiptPrinter::discard(JobId id) {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(id);
    if (it == jobs_.end() || it->second.info.state != JobState::Failed) return false;
    it->second.info.state = JobState::Discarded;
    finished_.push_back(it->second.info);
    jobs_.erase(it);
    plog()->info("job {} discarded by request", id);
    return true;
}

std::vector<JobInfo> ReceiptPrinter::jobs() const {
    std::lock_guard lock(mutex_);
    std::vector<JobInfo> v(finished_.begin(), finished_.end());
    for (const auto& [id, j] : jobs_) v.push_back(j.info);
    return v;
}

std::vector<JobInfo> ReceiptPrinter::failed_jobs() const {
    std::lock_guard lock(mutex_);
    std::vector<JobInfo> v;
    for (const auto& [id, j] : jobs_)
        if (j.info.state == JobState::Failed) v.push_back(j.info);
    return v;
}

PrinterStatus ReceiptPrinter::printer_status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

// [SECTION] Running a job (worker thread)

void ReceiptPrinter::finish_job(JobId id, JobState state, std::string reason, bool retryable) {
    PrinterEvent ev;
    std::vector<JobInfo> dropped;
    {
        std::lock_guard lock(mutex_);
        auto it = jobs_.find(id);
        if (it == jobs_.end()) return;
        JobInfo& info = it->second.info;
        info.state = state;
        info.reason = reason;
        info.retryable = retryable;
        info.failure = state == JobState::Done ? JobFailure::None : classify(reason);
        info.partial = reason.find("during the job") != std::string::npos;
        ev.job = info;
        ev.status = status_;
        if (state == JobState::Done) {
            finished_.push_back(info);
            jobs_.erase(it);
        } else {
            // Cap the held jobs: the oldest go, recorded, so memory stays bounded.
            std::size_t held = 0;
            for (const auto& [k, j] : jobs_) held += j.info.state == JobState::Failed;
            for (auto jt = jobs_.begin(); held > options_.max_held_jobs && jt != jobs_.end();) {
                if (jt->second.info.state == JobState::Failed && jt->first != id) {
                    jt->second.info.state = JobState::Discarded;
                    jt->second.info.reason += " (dropped: too many held jobs)";
                    dropped.push_back(jt->second.info);
                    finished_.push_back(jt->second.info);
                    jt = jobs_.erase(jt);
                    --held;
                } else {
                    ++jt;
                }
            }
        }
        while (finished_.size() > 32) finished_.pop_front();
    }
    if (state == JobState::Done) {
        plog()->info("job {} ({}) printed, {} bytes", id, ev.job.label, ev.job.bytes);
        ev.kind = PrinterEvent::Kind::JobDone;
        events_.push(ev);
        return;
    }
    plog()->warn("job {} ({}) failed: {} (attempt {}, {})", id, ev.job.label, reason,
                 ev.job.attempts, retryable ? "held for retry" : "not retryable");
    if (!options_.journal_path.empty()) {
        std::ofstream j(options_.journal_path, std::ios::app);
        for (const auto& info : dropped) {
            j << "{\"time\":" << std::time(nullptr) << ",\"job\":" << info.id << ",\"label\":\""
              << json_escape(info.label) << "\",\"event\":\"dropped\",\"reason\":\""
              << json_escape(info.reason) << "\"}\n";
        }
        j << "{\"time\":" << std::time(nullptr) << ",\"job\":" << id << ",\"label\":\""
          << json_escape(ev.job.label) << "\",\"event\":\"failed\",\"reason\":\""
          << json_escape(reason) << "\",\"attempt\":" << ev.job.attempts
          << ",\"retryable\":" << (retryable ? "true" : "false") << "}\n";
    }
    ev.kind = PrinterEvent::Kind::JobFailed;
    events_.push(ev);
}

CommandResult ReceiptPrinter::run_job(CommandContext& ctx, JobId id) {
    std::vector<std::uint8_t> bytes;
    {
        std::lock_guard lock(mutex_);
        auto it = jobs_.find(id);
        if (it == jobs_.end() || it->second.info.state != JobState::Queued)
            return CommandResult::Rejected;
        it->second.info.state = JobState::Printing;
        ++it->second.info.attempts;
        bytes = it->second.bytes;
    }
    // 1. Before: can it print at all?
    if (!query_all(ctx)) {
        finish_job(id, JobState::Failed, ctx.gone() ? "link lost" : "printer not answering", true);
        return ctx.gone() ? CommandResult::TransportError : CommandResult::TimedOut;
    }
    if (!printer_status().ready()) {
        finish_job(id, JobState::Failed, fault_reason(printer_status()), true);
        return CommandResult::DeviceError;
    }
    // 2. Send in chunks, listening for ASB between them.
    const std::size_t chunk = std::max<std::size_t>(16, options_.chunk_bytes);
    for (std::size_t off = 0; off < bytes.size(); off += chunk) {
        if (ctx.cancelled()) {
            finish_job(id, JobState::Failed, "cancelled", true);
            return CommandResult::Cancelled;
        }
        const auto n = std::min(chunk, bytes.size() - off);
        const auto w = ctx.write(std::span(bytes).subspan(off, n));
        if (!w.ok()) {
            finish_job(id, JobState::Failed,
                       w.error == TransportError::Gone ? "link lost" : "write failed", true);
            return w.error == TransportError::Gone ? CommandResult::TransportError
                                                   : CommandResult::DeviceError;
        }
        pump(ctx, 1ms);
        if (!printer_status().ready()) {
            finish_job(id, JobState::Failed, fault_reason(printer_status()) + " during the job",
                       true);
            return CommandResult::DeviceError;
        }
    }
    // 3. After: did it stop on the way?
    if (!query_all(ctx)) {
        finish_job(id, JobState::Failed, "no answer after the job", true);
        return CommandResult::TimedOut;
    }
    if (!printer_status().ready()) {
        finish_job(id, JobState::Failed, fault_reason(printer_status()) + " during the job", true);
        return CommandResult::DeviceError;
    }
    finish_job(id, JobState::Done, {}, false);
    return CommandResult::Ok;
}

// [SECTION] Status (worker thread)

void ReceiptPrinter::handle(std::span<const std::uint8_t> bytes) {
    std::vector<escpos::StatusMessage> msgs;
    stream_.feed(bytes, msgs);
    for (const auto& m : msgs) {
        if (m.kind == escpos::StatusMessage::Kind::Realtime) {
            rt_replies_.push_back(m.realtime);
        } else if (m.kind == escpos::StatusMessage::Kind::Asb) {
            PrinterStatus s = printer_status();
            if (escpos::decode_asb(m.asb, s) == escpos::StatusError::None) apply(s);
        }
    }
}

void ReceiptPrinter::pump(CommandContext& ctx, std::chrono::milliseconds wait) {
    std::uint8_t buf[256];
    auto r = ctx.read(buf, wait);
    while (r.ok() && r.bytes > 0) {
        handle(std::span(buf, r.bytes));
        r = ctx.read(buf, 1ms);
    }
}

bool ReceiptPrinter::query_all(CommandContext& ctx) {
    // After an unanswered query its reply may still arrive late; give it the time to land
    // before asking again, or it would be read as the answer to the next DLE EOT n.
    pump(ctx, resync_ ? options_.status_timeout : 1ms);  // ASB frames waiting are news too
    resync_ = true;
    rt_replies_.clear();
    PrinterStatus s = printer_status();
    for (int n = 1; n <= 4; ++n) {
        const auto req = escpos::realtime_request(n);
        if (!ctx.write(req).ok()) return false;
        const auto deadline = Clock::now() + options_.status_timeout;
        while (rt_replies_.empty() && Clock::now() < deadline && !ctx.gone()) {
            std::uint8_t buf[64];
            auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
            auto r = ctx.read(buf, std::max(left, 1ms));
            if (r.ok() && r.bytes > 0) handle(std::span(buf, r.bytes));
            if (r.error == TransportError::Timeout && ctx.cancelled()) return false;
        }
        if (rt_replies_.empty()) return false;
        // Reply to n; anything that is not a well-formed reply means a confused link.
        if (escpos::apply_realtime_reply(n, rt_replies_.front(), s) != escpos::StatusError::None)
            return false;
        rt_replies_.pop_front();
    }
    resync_ = false;
    apply(s);
    return true;
}

void ReceiptPrinter::apply(const PrinterStatus& s) {
    PrinterStatus old;
    bool first;
    {
        std::lock_guard lock(mutex_);
        old = status_;
        first = !have_status_;
        status_ = s;
        have_status_ = true;
    }
    // While a job runs the base shows Busy; only a fault may override that.
    const DeviceStatus ds = device_status(s);
    if (!(ds == DeviceStatus::Online && status() == DeviceStatus::Busy)) set_status(ds);
    if (!first && old == s) return;
    using K = PrinterEvent::Kind;
    auto emit = [&](K k) { events_.push(PrinterEvent{k, s, {}}); };
    if (old.paper != s.paper || (first && s.paper != PaperLevel::Ok)) {
        plog()->info("paper: {}", escpos::to_string(s.paper));
        emit(s.paper == PaperLevel::Out       ? K::PaperOut
             : s.paper == PaperLevel::NearEnd ? K::PaperNearEnd
                                              : K::PaperOk);
    }
    if (old.cover_open != s.cover_open || (first && s.cover_open)) {
        plog()->info("cover {}", s.cover_open ? "open" : "closed");
        emit(s.cover_open ? K::CoverOpen : K::CoverClosed);
    }
    if (!first && !old.ready() && s.ready()) emit(K::FaultCleared);
    emit(K::StatusChanged);
    if (!first) plog()->info("status: {}", escpos::describe(s));
}

CommandResult ReceiptPrinter::on_connect(CommandContext& ctx) {
    stream_.reset();
    rt_replies_.clear();
    if (options_.profile.automatic_status_back) {
        const std::uint8_t asb[] = {0x1D, 0x61, 0x0F};
        if (!ctx.write(asb).ok()) return CommandResult::TransportError;
    }
    return query_all(ctx) ? CommandResult::Ok : CommandResult::TimedOut;
}

void ReceiptPrinter::on_poll(CommandContext& ctx) {
    if (!query_all(ctx) && !ctx.gone() && !ctx.cancelled()) {
        PrinterStatus s = printer_status();
        s.offline = true;  // present but silent: powered off behind a USB-serial bridge, jammed
        apply(s);
    }
}

void ReceiptPrinter::on_unsolicited(std::span<const std::uint8_t> bytes) {
    handle(bytes);
}

// [SECTION] Factory

DeviceFactory receipt_printer_factory() {
    return [](const DeviceConfig& c, std::string* error) -> std::shared_ptr<Device> {
        return make_receipt_printer(c.name, c.uri, c.options, error);
    };
}

std::shared_ptr<ReceiptPrinter> make_receipt_printer(
    const std::string& name, const std::string& uri,
    const std::map<std::string, std::string>& options, std::string* error) {
    auto opt = [&](const char* k) {
        auto it = options.find(k);
        return it == options.end() ? std::string{} : it->second;
    };
    ReceiptPrinterOptions o;
    if (const auto file = opt("profile_file"); !file.empty()) {
        std::ifstream f(file);
        std::stringstream ss;
        ss << f.rdbuf();
        std::string err;
        auto p = escpos::parse_profile_toml(ss.str(), err);
        if (!p) {
            if (error) *error = err;
            return nullptr;
        }
        o.profile = *p;
    } else {
        const auto pname = opt("profile").empty() ? std::string("generic-80") : opt("profile");
        auto p = escpos::find_profile(pname);
        if (!p) {
            if (error) *error = "unknown printer profile '" + pname + "'";
            return nullptr;
        }
        o.profile = *p;
    }
    o.templates_dir = opt("templates");
    o.journal_path = opt("journal");
    std::string resolved = uri;
    if (uri.starts_with("usb:")) {
        std::string err;
        resolved = resolve_usb_printer_uri(uri, &err);
        if (resolved.empty()) {
            // No device right now: keep the URI; the device base retries and reports NoDevice.
            plog()->warn("{}: {}", name, err);
            resolved = uri;
        }
    }
    return std::make_shared<ReceiptPrinter>(name, resolved, std::move(o));
}

}  // namespace kiosk::drivers
