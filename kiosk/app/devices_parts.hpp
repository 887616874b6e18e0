// The parts of Devices, one per device family (devices_printer.cpp, devices_a4.cpp,
// devices_locker.cpp, devices_scanner.cpp). Private to kiosk/app.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/devices.hpp"

namespace kiosk::api {
class OutboxPort;
}
namespace kiosk::drivers {
class DeviceManager;
class ReceiptPrinter;
}  // namespace kiosk::drivers
namespace kiosk::printersim {
class VirtualPrinter;
class PrinterSimServer;
}  // namespace kiosk::printersim

namespace kiosk::app::detail {

class Consumables;

// What every part needs from Devices.
struct Env {
    const Config& config;
    std::string state_dir;
    std::string assets_dir;
    std::function<void(Event)> post;  // any thread: queued for poll(), wakes the loop
    std::function<void()> wake;       // for driver queues drained in poll()
    api::OutboxPort* outbox = nullptr;
    Consumables* consumables = nullptr;
};

// <state_dir>/printed/<n>-<what>.<ext>: n counts up across restarts (the highest existing + 1).
class PrintedDir {
  public:
    explicit PrintedDir(std::string dir);
    const std::string& dir() const { return dir_; }
    // A fresh path for one printed item; thread-safe.
    std::string next_path(const std::string& what, const std::string& ext);

  private:
    std::mutex mutex_;
    std::string dir_;
    int next_ = 1;
};

// How much of each device's consumables was used since staff last replaced them, kept in
// <state_dir>/consumables.json so a restart does not forget it. A damaged or foreign file is set
// aside (renamed *.bad) and counting starts again: a wrong count is better than a dead printer.
// Thread-safe (the A4 worker counts on its own thread).
class Consumables {
  public:
    explicit Consumables(std::string path);
    void add(const std::string& device, std::int64_t n);
    bool reset(const std::string& device, std::int64_t now_ms);
    // used, since_ms (0 when never reset)
    std::pair<std::int64_t, std::int64_t> get(const std::string& device) const;

  private:
    struct Entry {
        std::int64_t used = 0;
        std::int64_t since_ms = 0;
    };
    bool save() const;  // with mutex_ held

    std::string path_;
    mutable std::mutex mutex_;
    std::map<std::string, Entry> entries_;  // guarded by mutex_
};

std::string status_word(bool up);

// The ESC/POS receipt printer ("printer").
class ReceiptPart {
  public:
    ReceiptPart(Env& env, PrintedDir& printed);
    ~ReceiptPart();
    void start(drivers::DeviceManager& manager);
    void apply(const fx::Print& job);
    void poll(std::vector<Event>& out);
    void cancel_all();
    bool simulate(const std::string& action);
    DeviceInfo info(drivers::DeviceManager& manager) const;

  private:
    struct Job {
        std::uint64_t tag = 0;
        std::string name;  // template
        bool held = false;
    };
    void collect_png(const std::string& template_name, bool complete);

    Env& env_;
    PrintedDir& printed_;
#if KIOSK_WITH_SIMULATORS
    std::shared_ptr<printersim::VirtualPrinter> sim_;  // "sim:printer" (kiosk-demo only)
    std::shared_ptr<printersim::PrinterSimServer> server_;
#endif
    std::string sim_out_;  // the virtual printer's own PNG directory
    std::shared_ptr<drivers::ReceiptPrinter> printer_;
    std::map<std::uint64_t, Job> jobs_;  // driver job id → the core's request (UI thread)
    std::string last_error_;
    std::int64_t done_ = 0, failed_ = 0;
};

// The A4 printer ("a4_printer"): a CUPS queue, or the in-process virtual A4 printer.
class A4Part {
  public:
    A4Part(Env& env, PrintedDir& printed);
    ~A4Part();
    void start();
    void apply(const fx::PrintPdf& job);
    void cancel_all();
    bool simulate(const std::string& action);
    DeviceInfo info() const;

  private:
    struct Job {
        std::uint64_t tag = 0;
        std::string title;
        std::string pdf;
        int pages_left = -1;  // sim: pages still to print (-1: not started)
    };
    void run();
    void run_sim(Job& job, std::unique_lock<std::mutex>& lock);
    void run_cups(Job& job, std::unique_lock<std::mutex>& lock);
    void set_up(bool up);

    Env& env_;
    PrintedDir& printed_;
    bool sim_ = false;
    std::string queue_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Job> queue_jobs_;  // guarded by mutex_; the front one may be held on a fault
    bool paper_out_ = false, jam_ = false, jam_next_ = false;  // sim faults, guarded by mutex_
    std::string paper_;  // CUPS: "out" / "ok" from the last printer-state-reasons; "" unknown
    bool held_ = false;  // the front job failed and waits for the fault to clear
    bool stopping_ = false;
    std::uint64_t generation_ = 0;  // bumped by cancel_all: a running job's answer is dropped
    std::atomic<bool> up_{false};
    bool up_known_ = false;
    std::string last_error_;
    std::int64_t done_ = 0, failed_ = 0;
    std::thread worker_;
};

// The lockers ("locker"): LockerService over the configured buses, or the demo wall's simulators.
class LockerPart {
  public:
    explicit LockerPart(Env& env);
    ~LockerPart();
    void start();
    void apply(const Effect& fx);
    bool simulate(const std::string& action);
    DeviceInfo info() const;
    std::vector<LockerCompartment> snapshot() const;
    std::vector<int> overdue(int days) const;

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

// The code scanners ("scanner": HID/serial/inject; "camera": a camera scanner next to it).
class ScannerPart {
  public:
    explicit ScannerPart(Env& env);
    ~ScannerPart();
    void start();
    void apply(const fx::Camera& camera);
    void poll(std::vector<Event>& out);
    void cancel_all();
    bool simulate(const std::string& device, const std::string& action);
    bool preview(int& w, int& h, std::vector<std::uint8_t>& rgb);
    std::vector<DeviceInfo> info() const;

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk::app::detail
