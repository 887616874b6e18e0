// EventQueue: how a device's worker thread hands unsolicited events to the core.
//
// push() never blocks for long (one mutex, no I/O); the UI thread drains with try_pop()/drain()
// once per frame and so never waits on a device. An optional notifier runs on the pushing thread
// after each push, e.g. to post an SDL user event that wakes an idle render loop.
#pragma once

#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace kiosk::drivers {

template <typename T>
class EventQueue {
  public:
    explicit EventQueue(std::size_t capacity = 256) : capacity_(capacity) {}

    // When full the oldest event is dropped: a stalled consumer must not grow memory forever.
    void push(T event) {
        std::function<void()> notify;
        {
            std::lock_guard lock(mutex_);
            if (queue_.size() >= capacity_) queue_.pop_front();
            queue_.push_back(std::move(event));
            notify = notifier_;
        }
        if (notify) notify();
    }
    std::optional<T> try_pop() {
        std::lock_guard lock(mutex_);
        if (queue_.empty()) return std::nullopt;
        T e = std::move(queue_.front());
        queue_.pop_front();
        return e;
    }
    std::vector<T> drain() {
        std::lock_guard lock(mutex_);
        std::vector<T> out(std::make_move_iterator(queue_.begin()),
                           std::make_move_iterator(queue_.end()));
        queue_.clear();
        return out;
    }
    std::size_t size() const {
        std::lock_guard lock(mutex_);
        return queue_.size();
    }
    void set_notifier(std::function<void()> notifier) {
        std::lock_guard lock(mutex_);
        notifier_ = std::move(notifier);
    }

  private:
    mutable std::mutex mutex_;
    std::deque<T> queue_;
    std::size_t capacity_;
    std::function<void()> notifier_;
};

}  // namespace kiosk::drivers
