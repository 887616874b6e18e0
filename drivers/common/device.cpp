// Device base: worker thread, command queue, reconnect with backoff (see device.hpp).
#include "common/device.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <exception>

#include "base/log.hpp"

namespace kiosk::drivers {

using namespace std::chrono_literals;

// [SECTION] CommandContext

std::chrono::milliseconds CommandContext::remaining() const {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
    return std::max(left, std::chrono::milliseconds(0));
}

IoResult CommandContext::write(std::span<const std::uint8_t> bytes) {
    auto r = transport_.write(bytes);
    if (r.error == TransportError::Gone) gone_ = true;
    return r;
}

IoResult CommandContext::read(std::span<std::uint8_t> into, std::chrono::milliseconds max_wait) {
    // Short slices so a cancel is honoured within ~50 ms even in the middle of a long wait.
    const auto end = std::min(deadline_, Clock::now() + max_wait);
    for (;;) {
        if (cancelled()) return {TransportError::Timeout, 0};
        auto now = Clock::now();
        if (now >= end) return {TransportError::Timeout, 0};
        // Rounded up so the wait never ends a fraction of a millisecond before the deadline.
        auto left = std::chrono::ceil<std::chrono::milliseconds>(end - now);
        auto r = transport_.read(into, std::min(left, std::chrono::milliseconds(50)));
        if (r.error == TransportError::Timeout) continue;
        if (r.error == TransportError::Gone) gone_ = true;
        return r;
    }
}

// [SECTION] CommandTicket

bool CommandTicket::done() const {
    std::lock_guard lock(mutex_);
    return result_.has_value();
}

std::optional<CommandResult> CommandTicket::result() const {
    std::lock_guard lock(mutex_);
    return result_;
}

CommandResult CommandTicket::wait() const {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return result_.has_value(); });
    return *result_;
}

std::optional<CommandResult> CommandTicket::wait_for(std::chrono::milliseconds t) const {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, t, [&] { return result_.has_value(); });
    return result_;
}

void CommandTicket::finish(CommandResult r) {
    {
        std::lock_guard lock(mutex_);
        if (result_) return;
        result_ = r;
    }
    cv_.notify_all();
    if (on_done_) on_done_(r);
    fn_ = nullptr;  // drop captures (buffers, personal data) as soon as the command is over
}

// [SECTION] Device

Device::Device(std::string name, std::string uri, DeviceTiming timing)
    : name_(std::move(name)), uri_(std::move(uri)), timing_(timing) {
    wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

Device::~Device() {
    stop();
    if (wake_fd_ >= 0) ::close(wake_fd_);
}

void Device::wake() {
    if (wake_fd_ < 0) return;
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
}

void Device::start() {
    if (worker_.joinable()) return;
    stopping_ = false;
    worker_ = std::thread([this] { run(); });
}

void Device::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    wake();
    if (worker_.joinable()) worker_.join();
    fail_queued(CommandResult::Cancelled);
    if (transport_) transport_->close();
}

std::shared_ptr<CommandTicket> Device::submit(std::string label, std::chrono::milliseconds timeout,
                                              CommandFn fn,
                                              std::function<void(CommandResult)> on_done) {
    auto t = std::make_shared<CommandTicket>();
    t->label_ = std::move(label);
    t->timeout_ = timeout;
    t->fn_ = std::move(fn);
    t->on_done_ = std::move(on_done);
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            t->finish(CommandResult::Rejected);
            return t;
        }
        queue_.push_back(t);
    }
    cv_.notify_all();
    wake();
    return t;
}

void Device::set_status_listener(std::function<void(const std::string&, DeviceStatus)> listener) {
    std::lock_guard lock(listener_mutex_);
    listener_ = std::move(listener);
}

void Device::set_status(DeviceStatus s) {
    DeviceStatus old = status_.exchange(s);
    if (old == s) return;
    static auto log = kiosk::log::get("device");
    log->info("{}: {} -> {}", name_, to_string(old), to_string(s));
    on_status_changed(old, s);
    std::function<void(const std::string&, DeviceStatus)> l;
    {
        std::lock_guard lock(listener_mutex_);
        l = listener_;
    }
    if (l) l(name_, s);
}

void Device::cancel_all() {
    std::shared_ptr<CommandTicket> running;
    {
        std::lock_guard lock(mutex_);
        running = running_;
        for (auto& t : queue_) t->cancel();
    }
    if (running) running->cancel();
    fail_queued(CommandResult::Cancelled);
    wake();
}

void Device::fail_queued(CommandResult r) {
    std::deque<std::shared_ptr<CommandTicket>> q;
    {
        std::lock_guard lock(mutex_);
        q.swap(queue_);
    }
    for (auto& t : q) t->finish(t->cancel_.load() ? CommandResult::Cancelled : r);
}

bool Device::try_connect() {
    TransportError e = transport_->open();
    if (e != TransportError::None) {
        set_status(e == TransportError::Gone ? DeviceStatus::NoDevice : DeviceStatus::Offline);
        return false;
    }
    // A device that keeps failing its handshake stays in its fault status instead of flapping
    // through "starting" on every retry.
    if (status() == DeviceStatus::NoDevice) set_status(DeviceStatus::Starting);
    const DeviceStatus before = status();
    CommandContext ctx(*transport_, Clock::now() + timing_.connect_timeout, &stopping_);
    CommandResult r;
    try {
        r = on_connect(ctx);
    } catch (const std::exception&) {
        r = CommandResult::DeviceError;
    }
    if (r == CommandResult::Ok && !ctx.gone()) {
        connected_ = true;
        set_status(DeviceStatus::Online);
        return true;
    }
    transport_->close();
    on_disconnect();
    if (ctx.gone()) {
        set_status(DeviceStatus::NoDevice);
    } else if (status() == before) {
        // The driver did not name the fault: present but failing, or not answering at all.
        set_status(r == CommandResult::DeviceError ? DeviceStatus::HardwareError
                                                   : DeviceStatus::Offline);
    }
    return false;
}

void Device::disconnect(DeviceStatus why) {
    transport_->close();
    connected_ = false;
    on_disconnect();
    set_status(why);
}

void Device::run_command(const std::shared_ptr<CommandTicket>& t) {
    if (t->cancel_.load()) {
        t->finish(CommandResult::Cancelled);
        return;
    }
    {
        std::lock_guard lock(mutex_);
        running_ = t;
    }
    bool mark_busy = status() == DeviceStatus::Online;
    if (mark_busy) set_status(DeviceStatus::Busy);
    CommandContext ctx(*transport_, Clock::now() + t->timeout_, &t->cancel_);
    CommandResult r;
    try {
        r = t->fn_ ? t->fn_(ctx) : CommandResult::Rejected;
    } catch (const std::exception&) {
        r = CommandResult::DeviceError;
    }
    if (r != CommandResult::Ok) {
        if (ctx.gone())
            r = CommandResult::TransportError;
        else if (t->cancel_.load())
            r = CommandResult::Cancelled;
        else if (ctx.expired())
            r = CommandResult::TimedOut;
    }
    if (ctx.gone()) {
        disconnect(DeviceStatus::NoDevice);
    } else if (mark_busy && status() == DeviceStatus::Busy) {
        set_status(DeviceStatus::Online);
    }
    {
        std::lock_guard lock(mutex_);
        running_.reset();
    }
    t->finish(r);
}

void Device::run() {
    static auto log = kiosk::log::get("device");
    std::string error;
    transport_ = make_transport(uri_, &error);
    if (!transport_) {
        log->error("{}: bad transport uri ({}): device disabled", name_, error);
        set_status(DeviceStatus::HardwareError);
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            lock.unlock();
            fail_queued(CommandResult::Rejected);
            lock.lock();
            cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        }
        return;
    }

    auto backoff = timing_.backoff_initial;
    auto next_poll = Clock::now();
    std::vector<std::uint8_t> idle_buf(512);
    while (!stopping_) {
        if (!connected_) {
            if (try_connect()) {
                backoff = timing_.backoff_initial;
                next_poll = Clock::now();
                continue;
            }
            // Nothing can run while the link is down: fail commands now so callers move on.
            auto until = Clock::now() + backoff;
            std::unique_lock lock(mutex_);
            while (!stopping_ && Clock::now() < until) {
                if (!queue_.empty()) {
                    lock.unlock();
                    fail_queued(CommandResult::TransportError);
                    lock.lock();
                    continue;
                }
                cv_.wait_until(lock, until);
            }
            backoff = std::min(backoff * 2, timing_.backoff_max);
            continue;
        }

        // A due poll goes first so a stream of commands cannot starve it (card detection).
        auto now = Clock::now();
        if (now >= next_poll) {
            CommandContext ctx(*transport_, now + std::max(timing_.poll_interval * 4, 10000ms),
                               &stopping_);
            try {
                on_poll(ctx);
            } catch (const std::exception& e) {
                log->warn("{}: poll failed: {}", name_, e.what());
            }
            next_poll = Clock::now() + timing_.poll_interval;
            if (ctx.gone()) disconnect(DeviceStatus::NoDevice);
            continue;
        }
        std::shared_ptr<CommandTicket> next;
        {
            std::lock_guard lock(mutex_);
            if (!queue_.empty()) {
                next = queue_.front();
                queue_.pop_front();
            }
        }
        if (next) {
            run_command(next);
            continue;
        }
        const auto until_poll =
            std::chrono::duration_cast<std::chrono::milliseconds>(next_poll - now);
        const bool wakeable = transport_->can_wake() && wake_fd_ >= 0;
        auto slice = wakeable ? until_poll : std::min(timing_.idle_read_slice, until_poll);
        auto r = transport_->read_or_wake(idle_buf, std::max(slice, 1ms), wakeable ? wake_fd_ : -1);
        if (wakeable) {
            std::uint64_t drained = 0;  // reset the eventfd; the loop re-checks queue and stop
            [[maybe_unused]] auto n = ::read(wake_fd_, &drained, sizeof drained);
        }
        if (r.ok() && r.bytes > 0) {
            on_unsolicited(std::span<const std::uint8_t>(idle_buf.data(), r.bytes));
        } else if (r.error == TransportError::Gone) {
            disconnect(DeviceStatus::NoDevice);
        } else if (r.error != TransportError::Timeout && !r.ok()) {
            disconnect(DeviceStatus::Offline);
        }
    }
    if (connected_) {
        transport_->close();
        connected_ = false;
        on_disconnect();
    }
}

}  // namespace kiosk::drivers
