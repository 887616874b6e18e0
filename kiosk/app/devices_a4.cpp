// The A4 printer part of Devices: fx::PrintPdf → PrintDone, on its own worker thread.
//   "sim:a4"                 the virtual A4 printer: checks the document starts with %PDF-, takes
//                            about 1 s per page, stores it as <state_dir>/printed/<n>-a4.pdf;
//                            faults "paper out" / "paper in" / "jam" / "clear" (simulate()).
//   "<queue>[@host[:port]]"  a CUPS queue (drivers/printer CupsPrinter; default localhost:631).
#include <chrono>
#include <fstream>
#include <optional>

#include "app/devices_parts.hpp"
#include "core/log.hpp"
#include "printer/cups_printer.hpp"

namespace kiosk::app::detail {
namespace {

auto lg() {
    static auto l = log::get("devices");
    return l;
}

constexpr auto kPageTime = std::chrono::milliseconds(1000);
constexpr auto kCupsJobTimeout = std::chrono::minutes(5);

// Page objects ("/Type /Page", not "/Pages"); at least one.
int count_pages(const std::string& pdf) {
    int n = 0;
    for (std::size_t i = pdf.find("/Type"); i != std::string::npos; i = pdf.find("/Type", i + 5)) {
        std::size_t j = i + 5;
        while (j < pdf.size() && (pdf[j] == ' ' || pdf[j] == '\r' || pdf[j] == '\n')) ++j;
        if (pdf.compare(j, 5, "/Page") == 0 && (j + 5 >= pdf.size() || pdf[j + 5] != 's')) ++n;
    }
    return std::max(n, 1);
}

PrintFailure fault_reason(const drivers::A4Faults& f) {
    if (f.media_empty) return PrintFailure::paper_out;
    if (f.media_jam) return PrintFailure::jam;
    if (f.door_open) return PrintFailure::cover_open;
    if (f.offline) return PrintFailure::offline;
    return PrintFailure::failed;
}

}  // namespace

A4Part::A4Part(Env& env, PrintedDir& printed) : env_(env), printed_(printed) {}

A4Part::~A4Part() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (worker_.joinable()) worker_.join();
}

void A4Part::start() {
    const std::string& uri = env_.config.devices.a4_printer;
#if KIOSK_WITH_SIMULATORS
    sim_ = uri == "sim:a4";  // the virtual A4 printer (kiosk-demo only)
#else
    sim_ = false;
#endif
    if (!sim_) {
        if (uri.starts_with("sim:")) {
            last_error_ = "unknown A4 simulator '" + uri + "' (only sim:a4)";
            lg()->error("a4 printer: {}", last_error_);
            set_up(false);
            return;
        }
        queue_ = uri;
    }
    worker_ = std::thread([this] { run(); });
    lg()->info("a4 printer on {}", sim_ ? "the virtual A4 printer" : uri);
}

void A4Part::set_up(bool up) {
    // Caller may hold mutex_: post() only takes the inbox lock.
    const bool was = up_.exchange(up);
    if (up_known_ && was == up) return;
    up_known_ = true;
    env_.post(DeviceAvailability{"a4_printer", up});
}

void A4Part::apply(const fx::PrintPdf& job) {
    if (!worker_.joinable()) {
        env_.post(PrintDone{job.tag, false, PrintFailure::offline, false});
        return;
    }
    {
        std::lock_guard lock(mutex_);
        queue_jobs_.push_back(Job{job.tag, job.title, job.pdf, -1});
    }
    cv_.notify_all();
}

void A4Part::cancel_all() {
    {
        std::lock_guard lock(mutex_);
        queue_jobs_.clear();
        held_ = false;
        ++generation_;
    }
    cv_.notify_all();
}

// The virtual A4 printer's faults, as a scenario names them (`simulate` device "a4_printer").
namespace a4_sim {
constexpr std::string_view paper_out = "paper out", paper_in = "paper in", jam = "jam",
                           clear = "clear";
}  // namespace a4_sim

bool A4Part::simulate(const std::string& action) {
    if (!sim_) return false;
    {
        std::lock_guard lock(mutex_);
        if (action == a4_sim::paper_out) {
            paper_out_ = true;
        } else if (action == a4_sim::paper_in) {
            paper_out_ = false;
        } else if (action == a4_sim::jam) {
            jam_ = true;
        } else if (action == a4_sim::clear) {
            jam_ = false;
        } else {
            return false;
        }
        const bool ok = !paper_out_ && !jam_;
        if (ok) held_ = false;  // the held job prints now
        set_up(ok);
    }
    cv_.notify_all();
    return true;
}

void A4Part::run() {
    std::unique_lock lock(mutex_);
    if (sim_) {
        set_up(!paper_out_ && !jam_);
    } else {
        lock.unlock();
        drivers::CupsOptions co;
        co.queue = queue_;
        if (auto at = queue_.find('@'); at != std::string::npos) {
            co.queue = queue_.substr(0, at);
            co.host = queue_.substr(at + 1);
        }
        drivers::CupsPrinter probe(co);
        drivers::A4PrinterState st;
        std::string err;
        const bool ok = probe.printer_state(st, &err);
        lock.lock();
        if (!ok) last_error_ = err;
        if (ok) paper_ = st.faults.media_empty ? "out" : "ok";
        set_up(ok && st.faults.can_print());
    }
    while (true) {
        cv_.wait(lock, [&] { return stopping_ || (!queue_jobs_.empty() && !held_); });
        if (stopping_) return;
        if (sim_)
            run_sim(queue_jobs_.front(), lock);
        else
            run_cups(queue_jobs_.front(), lock);
    }
}

void A4Part::run_sim(Job& front, std::unique_lock<std::mutex>& lock) {
    const std::uint64_t gen = generation_;
    if (!front.pdf.starts_with("%PDF-")) {
        const std::uint64_t tag = front.tag;
        queue_jobs_.pop_front();
        ++failed_;
        last_error_ = "not a PDF document";
        lg()->warn("a4 job refused: not a PDF document");
        env_.post(PrintDone{tag, false, PrintFailure::failed, false});
        return;
    }
    if (front.pages_left < 0) front.pages_left = count_pages(front.pdf);
    while (front.pages_left > 0) {
        if (paper_out_ || jam_) {
            held_ = true;  // until "paper in" / "clear"
            ++failed_;
            last_error_ = paper_out_ ? "paper out" : "paper jam";
            env_.post(PrintDone{front.tag, false,
                                paper_out_ ? PrintFailure::paper_out : PrintFailure::jam, true});
            return;
        }
        const bool interrupted = cv_.wait_for(
            lock, kPageTime, [&] { return stopping_ || generation_ != gen || paper_out_ || jam_; });
        if (stopping_ || generation_ != gen) return;  // the deque was cleared: `front` is gone
        if (interrupted) continue;                    // a fault: this page did not come out
        --front.pages_left;
    }
    if (env_.consumables) env_.consumables->add("a4_printer", count_pages(front.pdf));
    const std::string path = printed_.next_path("a4", "pdf");
    std::ofstream f(path, std::ios::binary);
    f.write(front.pdf.data(), static_cast<std::streamsize>(front.pdf.size()));
    f.close();
    if (!f) lg()->warn("a4 sim: could not store {}", path);
    const std::uint64_t tag = front.tag;
    queue_jobs_.pop_front();
    ++done_;
    env_.post(PrintDone{tag, true, {}, false});
}

void A4Part::run_cups(Job& front, std::unique_lock<std::mutex>& lock) {
    const std::uint64_t gen = generation_;
    const Job job = front;
    lock.unlock();
    drivers::CupsOptions co;
    co.queue = queue_;
    if (auto at = queue_.find('@'); at != std::string::npos) {
        co.queue = queue_.substr(0, at);
        co.host = queue_.substr(at + 1);
    }
    drivers::CupsPrinter cups(co);
    std::string err;
    std::optional<PrintFailure> reason;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(job.pdf.data());
    const int id = cups.print_pdf({bytes, job.pdf.size()}, job.title.empty() ? "kiosk" : job.title,
                                  {{"media", "iso_a4_210x297mm"}}, &err);
    if (id <= 0) {
        reason = PrintFailure::offline;
    } else {
        const auto st = cups.wait_job(id, kCupsJobTimeout, &err);
        if (st != drivers::A4JobState::Completed) {
            if (!drivers::is_final(st)) cups.cancel_job(id);
            drivers::A4PrinterState ps;
            reason = cups.printer_state(ps) ? fault_reason(ps.faults) : PrintFailure::offline;
            if (err.empty()) err = std::string("job ") + drivers::to_string(st);
        }
    }
    drivers::A4PrinterState ps;
    const bool known = cups.printer_state(ps);
    const bool up = known && ps.faults.can_print();
    lock.lock();
    set_up(up);
    if (known) paper_ = ps.faults.media_empty ? "out" : "ok";
    if (generation_ != gen || queue_jobs_.empty()) return;  // cancelled meanwhile
    queue_jobs_.pop_front();
    if (reason) {
        ++failed_;
        last_error_ = err;
        lg()->warn("a4 job failed: {}", err);
        env_.post(PrintDone{job.tag, false, *reason, false});
    } else {
        ++done_;
        if (env_.consumables) env_.consumables->add("a4_printer", count_pages(job.pdf));
        env_.post(PrintDone{job.tag, true, {}, false});
    }
}

DeviceInfo A4Part::info() const {
    std::lock_guard lock(mutex_);
    DeviceInfo i;
    i.name = "a4_printer";
    i.status = !worker_.joinable()    ? "no device"
               : up_                  ? (queue_jobs_.empty() ? "online" : "busy")
               : (paper_out_ || jam_) ? "user error"
                                      : "offline";
    i.last_error = last_error_;
    i.counters["printed"] = done_;
    i.counters["failed"] = failed_;
    i.counters["queued"] = static_cast<std::int64_t>(queue_jobs_.size());
    if (worker_.joinable()) {
        ConsumableInfo paper{"paper", sim_ ? (paper_out_ ? "out" : "ok") : paper_, 0, 0};
        if (env_.consumables)
            std::tie(paper.used, paper.since_ms) = env_.consumables->get("a4_printer");
        i.consumables.push_back(std::move(paper));
    }
    return i;
}

}  // namespace kiosk::app::detail
