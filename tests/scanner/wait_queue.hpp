// Bounded waits on a ScanQueue for tests: the queue's notifier wakes a condition variable, so
// tests wait for the event itself instead of sleeping.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>

#include "scanner/scanner.hpp"

struct WaitableQueue {
    std::shared_ptr<kiosk::scanner::ScanQueue> queue =
        std::make_shared<kiosk::scanner::ScanQueue>();
    std::shared_ptr<std::pair<std::mutex, std::condition_variable>> sync =
        std::make_shared<std::pair<std::mutex, std::condition_variable>>();

    WaitableQueue() {
        auto s = sync;
        queue->set_notifier([s] {
            std::lock_guard lock(s->first);
            s->second.notify_all();
        });
    }

    std::optional<kiosk::scanner::ScanEvent> wait(
        std::chrono::milliseconds timeout = std::chrono::milliseconds(3000)) {
        const auto until = std::chrono::steady_clock::now() + timeout;
        std::unique_lock lock(sync->first);
        for (;;) {
            if (auto e = queue->try_pop()) return e;
            if (sync->second.wait_until(lock, until) == std::cv_status::timeout) {
                return queue->try_pop();
            }
        }
    }
};
