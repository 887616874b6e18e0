// The devices the kiosk drives, as the core sees them: events in, commands out.
//
// Built from the [devices] URIs through the device manager (drivers/common). A "sim:<name>" URI
// also starts that device's wire-level simulator in this process, so the same driver code runs
// over the simulated link as over a serial port or USB (nothing is mocked above the transport).
// URIs, simulators and scenario verbs: docs/drivers/wiring.md.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/events.hpp"

namespace kiosk::api {
class OutboxPort;
}
namespace kiosk::drivers {
class DeviceManager;
}
namespace kiosk::idcard {
class IdCardReader;
class IdCardSimulator;
}  // namespace kiosk::idcard

namespace kiosk::app {

namespace detail {
struct Env;
class PrintedDir;
class Consumables;
class ReceiptPart;
class A4Part;
class LockerPart;
class ScannerPart;
}  // namespace detail

// A consumable staff replace (the receipt roll, the A4 paper tray): what the sensor says and how
// much was used since staff last reset the count (Devices::reset_consumable).
struct ConsumableInfo {
    std::string name;           // "paper"
    std::string level;          // "ok", "near_end", "out", "" (the device cannot tell)
    std::int64_t used = 0;      // receipts / pages since the last reset
    std::int64_t since_ms = 0;  // wall clock of the last reset (0: never reset)
};

// One line of the service menu's device list.
struct DeviceInfo {
    std::string name;        // "idcard", "printer", "a4_printer", "locker", "scanner", "camera"
    std::string status;      // "online", "busy", "offline", "no device", "user error", ...
    std::string last_error;  // never personal data
    std::map<std::string, std::int64_t> counters;  // jobs, failures, operations, scans, ...
    std::vector<ConsumableInfo> consumables;
};

// One compartment for the service menu.
struct LockerCompartment {
    int number = 0;
    std::string size;   // "S" .. "XL"
    std::string state;  // "free", "reserved", "occupied", "open", "faulty", "unknown"
    bool occupied = false;
    bool faulty = false;
    std::int64_t since_ms = 0;  // when the inventory last changed (wall clock; 0 unknown)
};

class Devices {
  public:
    // `wake` is called on a device thread whenever an event is waiting (the frame loop sleeps).
    Devices(const Config& config, std::function<void()> wake);
    ~Devices();
    Devices(const Devices&) = delete;
    Devices& operator=(const Devices&) = delete;
    // Opens every configured device; failures are reported as availability events, never fatal.
    void start();
    // Events that arrived since the last call (never blocks).
    std::vector<Event> poll();
    // Session reset: cancels running and queued device work (printer jobs, held receipts, A4 jobs,
    // scans in flight). Locker operations already fired are NOT cancelled (a door is open).
    void cancel_all();
    // Carries out a device effect of the core (print, locker, camera); the answer comes back
    // through poll() (PrintDone, LockerUpdate).
    void apply(const Effect& effect);
    // Where operation reports go (the locker's pickup.completed / deposit.made); set before
    // start(). May be null (no outbox): reports then wait in the locker journal.
    void set_outbox(api::OutboxPort* outbox) { outbox_ = outbox; }
    // The live camera preview for the UI: fills RGB (packed, w×h×3) and returns true when there
    // is a newer frame than the last call; false when nothing new or no camera.
    bool camera_preview(int& w, int& h, std::vector<std::uint8_t>& rgb);
    // Scenario control of the simulators (no effect on real devices); the verbs are listed in
    // docs/drivers/wiring.md:
    //   idcard: "place <card>" (resident, resident-longterm, permit-hk, foreign-2017,
    //           foreign-2023, bad-check), "remove", "unplug", "replug".
    //   printer: "paper out", "paper near", "paper in", "cover open", "cover close",
    //            "cutter jam", "cutter ok".
    //   a4_printer: "paper out", "paper in", "jam", "clear".
    //   locker: "close <n>", "take <n>", "leave <n>", "put <n>", "jam <n>", "unjam <n>",
    //           "open <n>", "board off <address>", "board on <address>".
    //   scanner: "scan <text>".
    bool simulate(const std::string& device, const std::string& action);

    // For the service menu.
    std::vector<DeviceInfo> status() const;
    std::vector<LockerCompartment> locker_snapshot() const;
    // Compartments occupied for longer than `days` (staff take them back to the counter).
    std::vector<int> locker_overdue(int days) const;
    // Staff replaced a device's consumables ("printer", "a4_printer") at `now_ms` (the kiosk's
    // clock): its used count starts again from 0 (kept in <state_dir>/consumables.json). False:
    // no such device or not stored.
    bool reset_consumable(const std::string& device, std::int64_t now_ms);
    // Where printed output goes: <state_dir>/printed (receipts as PNG, A4 as PDF).
    std::string printed_dir() const;

  private:
    void post(Event e);  // any thread: queued for poll(), wakes the loop
    void start_idcard();

    const Config& config_;
    api::OutboxPort* outbox_ = nullptr;
    std::function<void()> wake_;
    std::mutex inbox_mutex_;
    std::vector<Event> inbox_;  // guarded by inbox_mutex_
    std::unique_ptr<detail::Env> env_;
    std::unique_ptr<detail::PrintedDir> printed_;
    std::unique_ptr<detail::Consumables> consumables_;
    std::unique_ptr<drivers::DeviceManager> manager_;
#if KIOSK_WITH_SIMULATORS
    std::shared_ptr<idcard::IdCardSimulator> idcard_sim_;
#endif
    std::shared_ptr<idcard::IdCardReader> idcard_;
    std::unique_ptr<detail::ReceiptPart> printer_;
    std::unique_ptr<detail::A4Part> a4_;
    std::unique_ptr<detail::LockerPart> locker_;
    std::unique_ptr<detail::ScannerPart> scanner_;
};

}  // namespace kiosk::app
