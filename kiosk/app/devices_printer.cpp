// The receipt printer part of Devices: fx::Print → ReceiptPrinter::print_receipt → PrintDone.
// "sim:printer" starts the virtual printer in-process (PrinterSimServer on a sim: link) and saves
// each receipt it cuts as <state_dir>/printed/<n>-<template>.png.
#include <algorithm>
#include <atomic>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "app/devices_parts.hpp"
#include "common/device_manager.hpp"
#include "core/log.hpp"
#if KIOSK_WITH_SIMULATORS
#include "sim/printer/sim_server.hpp"
#include "sim/printer/virtual_printer.hpp"
#endif
#include "printer/receipt_printer.hpp"

namespace kiosk::app::detail {
namespace {

namespace fs = std::filesystem;

auto lg() {
    static auto l = log::get("devices");
    return l;
}

PrintFailure failure_reason(drivers::JobFailure f) {
    using F = drivers::JobFailure;
    switch (f) {
        case F::PaperOut:
            return PrintFailure::paper_out;
        case F::CoverOpen:
            return PrintFailure::cover_open;
        case F::CutterError:
            return PrintFailure::jam;
        case F::Offline:
        case F::NoAnswer:
        case F::LinkLost:
        case F::NotRun:
            return PrintFailure::offline;
        case F::PrinterError:
        case F::Cancelled:
        case F::None:
            break;
    }
    return PrintFailure::failed;
}

// Field "list.<name>" with a JSON array of objects of strings becomes a template list.
void add_field(escpos::ReceiptData& d, const std::string& key, const std::string& value) {
    if (key.starts_with("list.")) {
        auto j = nlohmann::json::parse(value, nullptr, false);
        if (j.is_array()) {
            auto& rows = d.lists[key.substr(5)];
            for (const auto& row : j) {
                if (!row.is_object()) continue;
                std::map<std::string, std::string> r;
                for (const auto& [k, v] : row.items())
                    if (v.is_string()) r[k] = v.get<std::string>();
                rows.push_back(std::move(r));
            }
            return;
        }
    }
    d.fields[key] = value;
}

#if KIOSK_WITH_SIMULATORS
std::atomic<int> sim_counter{0};
#endif

}  // namespace

ReceiptPart::ReceiptPart(Env& env, PrintedDir& printed) : env_(env), printed_(printed) {}

ReceiptPart::~ReceiptPart() {
    if (printer_) printer_->stop();
#if KIOSK_WITH_SIMULATORS
    if (server_) server_->stop();
#endif
}

void ReceiptPart::start(drivers::DeviceManager& manager) {
    std::string uri = env_.config.devices.printer;
#if KIOSK_WITH_SIMULATORS
    if (uri == "sim:printer") {
        sim_out_ = printed_.dir() + "/.sim";
        std::error_code ec;
        fs::remove_all(sim_out_, ec);
        fs::create_directories(sim_out_, ec);
        printersim::VirtualPrinterOptions vo;
        vo.out_dir = sim_out_;
        vo.max_kept_receipts = 1;
        sim_ = std::make_shared<printersim::VirtualPrinter>(vo);
        printersim::SimServerOptions so;
        so.pty = false;
        so.tcp = false;
        so.sim_name =
            "kiosk-printer-" + std::to_string(::getpid()) + "-" + std::to_string(++sim_counter);
        server_ = std::make_shared<printersim::PrinterSimServer>(*sim_, so);
        std::string err;
        if (!server_->start(&err)) {
            last_error_ = "virtual printer did not start: " + err;
            lg()->error("{}", last_error_);
        }
        uri = "sim:" + so.sim_name;
    }
#endif
    std::string err;
    printer_ =
        drivers::make_receipt_printer("printer", uri,
                                      {{"profile", "generic-80"},
                                       {"templates", env_.assets_dir + "/receipts"},
                                       {"journal", env_.state_dir + "/printer-journal.jsonl"}},
                                      &err);
    if (!printer_) {
        last_error_ = err;
        lg()->error("receipt printer on {}: {}", env_.config.devices.printer, err);
        env_.post(DeviceAvailability{"printer", false});
        return;
    }
    if (env_.wake) printer_->events().set_notifier(env_.wake);
    if (!manager.add(printer_, &err)) {
        last_error_ = err;
        lg()->error("receipt printer: {}", err);
        printer_.reset();
        env_.post(DeviceAvailability{"printer", false});
        return;
    }
    lg()->info("receipt printer on {}", env_.config.devices.printer);
}

void ReceiptPart::apply(const fx::Print& job) {
    if (!printer_) {
        env_.post(PrintDone{job.tag, false, PrintFailure::offline, false});
        return;
    }
    escpos::ReceiptData d;
    for (const auto& [k, v] : job.fields) add_field(d, k, v);
    const std::string lang = job.lang.empty() ? env_.config.kiosk.language : job.lang;
    auto r = printer_->print_receipt(job.receipt_template, d, lang);
    if (!r.ok()) {
        // A template or data error: found before anything reached the printer. The error names
        // templates and fields, never their values.
        last_error_ = r.error;
        ++failed_;
        lg()->warn("receipt '{}' not printed: {}", job.receipt_template, r.error);
        env_.post(PrintDone{job.tag, false, PrintFailure::failed, false});
        return;
    }
    jobs_[r.id] = Job{job.tag, job.receipt_template, false};
}

void ReceiptPart::collect_png(const std::string& template_name, bool complete) {
    if (sim_out_.empty()) return;
    std::error_code ec;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(sim_out_, ec))
        if (e.path().extension() == ".png") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        const bool torn = f.filename().string().find("incomplete") != std::string::npos;
        const std::string to =
            printed_.next_path(template_name + (torn || !complete ? "-incomplete" : ""), "png");
        fs::rename(f, to, ec);
        if (ec) lg()->warn("printed receipt not moved to {}: {}", to, ec.message());
    }
}

void ReceiptPart::poll(std::vector<Event>& out) {
    if (!printer_) return;
    using K = drivers::PrinterEvent::Kind;
    for (auto& e : printer_->events().drain()) {
        if (e.kind == K::JobDone) {
            auto it = jobs_.find(e.job.id);
            if (it == jobs_.end()) continue;  // cancelled by a session reset
            collect_png(it->second.name, true);
            ++done_;
            if (env_.consumables) env_.consumables->add("printer", 1);
            out.push_back(PrintDone{it->second.tag, true, {}, false});
            jobs_.erase(it);
        } else if (e.kind == K::JobFailed) {
            auto it = jobs_.find(e.job.id);
            if (it == jobs_.end()) continue;
            collect_png(it->second.name, false);
            ++failed_;
            last_error_ = e.job.reason;
            const PrintFailure reason = failure_reason(e.job.failure);
            // Held: printed when the fault is cleared (paper loaded, cover shut, cutter freed).
            using P = PrintFailure;
            const bool held = e.job.retryable && (reason == P::paper_out ||
                                                  reason == P::cover_open || reason == P::jam);
            out.push_back(PrintDone{it->second.tag, false, reason, held});
            if (held) {
                it->second.held = true;
            } else {
                printer_->discard(e.job.id);
                jobs_.erase(it);
            }
        } else if (e.kind == K::FaultCleared) {
            for (auto it = jobs_.begin(); it != jobs_.end();) {
                if (!it->second.held) {
                    ++it;
                    continue;
                }
                it->second.held = false;
                if (!printer_->retry(it->first).ok()) {
                    out.push_back(PrintDone{it->second.tag, false, PrintFailure::failed, false});
                    it = jobs_.erase(it);
                } else {
                    ++it;
                }
            }
        }
    }
}

void ReceiptPart::cancel_all() {
    // The device's own cancel_all (called by Devices) stops the running and queued jobs; what is
    // held for a retry is dropped here: nothing a person started prints for the next one.
    if (!printer_) return;
    for (const auto& [id, job] : jobs_) printer_->discard(id);
    jobs_.clear();
}

// The virtual receipt printer's faults, as a scenario names them (`simulate` device "printer").
namespace printer_sim {
constexpr std::string_view paper_out = "paper out", paper_near = "paper near",
                           paper_in = "paper in", paper_ok = "paper ok", cover_open = "cover open",
                           cover_close = "cover close", cutter_jam = "cutter jam",
                           cutter_ok = "cutter ok";
}  // namespace printer_sim

bool ReceiptPart::simulate(const std::string& action) {
#if !KIOSK_WITH_SIMULATORS
    (void)action;
    return false;
#else
    if (!server_) return false;
    if (action == printer_sim::paper_out) {
        server_->set_paper(escpos::PaperLevel::Out);
    } else if (action == printer_sim::paper_near) {
        server_->set_paper(escpos::PaperLevel::NearEnd);
    } else if (action == printer_sim::paper_in || action == printer_sim::paper_ok) {
        server_->set_paper(escpos::PaperLevel::Ok);
    } else if (action == printer_sim::cover_open) {
        server_->set_cover_open(true);
    } else if (action == printer_sim::cover_close) {
        server_->set_cover_open(false);
    } else if (action == printer_sim::cutter_jam) {
        server_->set_cutter_error(true);
    } else if (action == printer_sim::cutter_ok) {
        server_->set_cutter_error(false);
    } else {
        return false;
    }
    return true;
#endif
}

DeviceInfo ReceiptPart::info(drivers::DeviceManager& manager) const {
    DeviceInfo i;
    i.name = "printer";
    i.status = printer_ ? drivers::to_string(manager.status("printer")) : "no device";
    i.last_error = last_error_;
    i.counters["printed"] = done_;
    i.counters["failed"] = failed_;
    i.counters["held"] = static_cast<std::int64_t>(
        std::count_if(jobs_.begin(), jobs_.end(), [](const auto& j) { return j.second.held; }));
    if (printer_) {
        // The driver's last status read says it; while the printer does not answer, nobody knows.
        using S = drivers::DeviceStatus;
        const S st = manager.status("printer");
        std::string level;
        if (st == S::Online || st == S::Busy || st == S::UserError) {
            const auto p = printer_->printer_status().paper;
            level = p == escpos::PaperLevel::Out       ? "out"
                    : p == escpos::PaperLevel::NearEnd ? "near_end"
                                                       : "ok";
        }
        ConsumableInfo paper{"paper", level, 0, 0};
        if (env_.consumables)
            std::tie(paper.used, paper.since_ms) = env_.consumables->get("printer");
        i.consumables.push_back(std::move(paper));
    }
    return i;
}

}  // namespace kiosk::app::detail
