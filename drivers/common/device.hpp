// Device: the base every peripheral driver builds on.
//
// One worker thread per device owns the transport. It (re)opens the link from the device's URI
// with backoff, runs a handshake (on_connect), then runs queued commands one at a time, calls
// on_poll() at the configured interval, and between them reads unsolicited bytes (on_unsolicited)
// in short slices, which is also how an unplug is noticed while idle. Whatever reports
// TransportError::Gone makes the worker close the link, report NoDevice and reconnect.
//
// Commands carry a timeout and can be cancelled; CommandResult::Cancelled and ::TimedOut are
// distinct. Status changes go to a listener (the DeviceManager) and to on_status_changed() so
// a driver can put them in its own typed event queue. No call here blocks the caller's thread
// except CommandTicket::wait(), which the UI thread must not use.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/device_status.hpp"
#include "common/transport.hpp"

namespace kiosk::drivers {

using Clock = std::chrono::steady_clock;

// What a command sees while it runs on the worker thread.
class CommandContext {
  public:
    CommandContext(Transport& transport, Clock::time_point deadline,
                   const std::atomic<bool>* cancel)
        : transport_(transport), deadline_(deadline), cancel_(cancel) {}

    Transport& transport() { return transport_; }
    bool cancelled() const { return cancel_ && cancel_->load(); }
    bool expired() const { return Clock::now() >= deadline_; }
    std::chrono::milliseconds remaining() const;
    Clock::time_point deadline() const { return deadline_; }
    // Transport I/O that notes Gone for the worker. read() waits at most min(max_wait,
    // remaining()) and checks cancellation every slice; on cancel/expiry it returns Timeout.
    IoResult write(std::span<const std::uint8_t> bytes);
    IoResult read(std::span<std::uint8_t> into, std::chrono::milliseconds max_wait);
    bool gone() const { return gone_; }
    void mark_gone() { gone_ = true; }

  private:
    Transport& transport_;
    Clock::time_point deadline_;
    const std::atomic<bool>* cancel_;
    bool gone_ = false;
};

using CommandFn = std::function<CommandResult(CommandContext&)>;

// The caller's handle on a queued command.
class CommandTicket {
  public:
    void cancel() { cancel_.store(true); }
    bool done() const;
    std::optional<CommandResult> result() const;  // nullopt while pending
    CommandResult wait() const;                   // blocks: not on the UI thread
    std::optional<CommandResult> wait_for(std::chrono::milliseconds t) const;

  private:
    friend class Device;
    void finish(CommandResult r);
    std::string label_;
    std::chrono::milliseconds timeout_{0};
    CommandFn fn_;
    std::function<void(CommandResult)> on_done_;
    std::atomic<bool> cancel_{false};
    mutable std::mutex mutex_;
    mutable std::condition_variable cv_;
    std::optional<CommandResult> result_;
};

struct DeviceCapabilities {
    std::string kind;                   // "idcard", "printer", ...
    std::vector<std::string> features;  // e.g. "idcard.photo", "idcard.fingerprint"
    bool has(std::string_view f) const {
        for (const auto& x : features)
            if (x == f) return true;
        return false;
    }
};

struct DeviceTiming {
    std::chrono::milliseconds backoff_initial{100};
    std::chrono::milliseconds backoff_max{1000};  // bounds "ready again" after a replug
    std::chrono::milliseconds poll_interval{1000};
    std::chrono::milliseconds connect_timeout{2000};
    // Idle read length on transports that cannot be woken (can_wake() false); it bounds command
    // start latency there. Transports that can be woken sleep until the next poll.
    std::chrono::milliseconds idle_read_slice{20};
};

class Device {
  public:
    Device(std::string name, std::string uri, DeviceTiming timing = {});
    virtual ~Device();  // derived destructors must call stop() first
    Device(const Device&) = delete;
    Device& operator=(const Device&) = delete;

    const std::string& name() const { return name_; }
    const std::string& uri() const { return uri_; }
    DeviceStatus status() const { return status_.load(); }
    virtual DeviceCapabilities capabilities() const = 0;

    void start();
    void stop();  // cancels queued commands, closes the link, joins the worker

    // Queues a command; `on_done` (optional) runs on the worker thread when it completes.
    std::shared_ptr<CommandTicket> submit(std::string label, std::chrono::milliseconds timeout,
                                          CommandFn fn,
                                          std::function<void(CommandResult)> on_done = {});

    // Cancels the running command and every queued one (session reset: nothing a person started
    // may finish for the next person). The device stays open.
    void cancel_all();

    // The manager's hook: called on the worker thread after each status change.
    void set_status_listener(std::function<void(const std::string&, DeviceStatus)> listener);

  protected:
    // Handshake after the link opened; anything but Ok closes it and retries with backoff.
    virtual CommandResult on_connect(CommandContext&) { return CommandResult::Ok; }
    virtual void on_disconnect() {}
    // Periodic work while connected (e.g. polling for a card).
    virtual void on_poll(CommandContext&) {}
    // Bytes that arrived while no command ran.
    virtual void on_unsolicited(std::span<const std::uint8_t>) {}
    virtual void on_status_changed(DeviceStatus /*old*/, DeviceStatus /*now*/) {}
    // From a command or poll: e.g. HardwareError after a SAM self-test failure.
    void set_status(DeviceStatus s);
    const DeviceTiming& timing() const { return timing_; }

  private:
    void run();
    bool try_connect();
    void disconnect(DeviceStatus why);
    void run_command(const std::shared_ptr<CommandTicket>& t);
    void fail_queued(CommandResult r);

    std::string name_;
    std::string uri_;
    DeviceTiming timing_;
    std::unique_ptr<Transport> transport_;
    std::atomic<DeviceStatus> status_{DeviceStatus::Starting};
    std::atomic<bool> stopping_{false};
    std::thread worker_;
    std::mutex mutex_;
    std::condition_variable cv_;
    int wake_fd_ = -1;  // eventfd: a queued command or stop() wakes the idle read at once
    void wake();
    std::deque<std::shared_ptr<CommandTicket>> queue_;
    std::shared_ptr<CommandTicket> running_;  // under mutex_
    std::function<void(const std::string&, DeviceStatus)> listener_;
    std::mutex listener_mutex_;
    bool connected_ = false;
};

}  // namespace kiosk::drivers
