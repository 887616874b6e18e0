#include "base/log.hpp"

#include <map>
#include <mutex>
#include <vector>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include "base/pii.hpp"

namespace kiosk::log {
namespace {

constexpr const char* kPattern = "%Y-%m-%d %H:%M:%S.%e %l [%n] %v";

spdlog::sink_ptr with_pattern(spdlog::sink_ptr s) {
    s->set_pattern(kPattern);
    return s;
}

class RedactingSink final : public spdlog::sinks::base_sink<std::mutex> {
  public:
    void set_terms(std::vector<std::string> terms) {
        std::lock_guard lock(mutex_);
        terms_ = std::move(terms);
    }
    void set_sinks(std::vector<spdlog::sink_ptr> sinks) {
        std::lock_guard lock(mutex_);
        sinks_ = std::move(sinks);
    }

  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        const std::string clean =
            pii::redact(std::string_view(msg.payload.data(), msg.payload.size()), terms_);
        spdlog::details::log_msg copy(msg.time, msg.source, msg.logger_name, msg.level, clean);
        for (auto& s : sinks_) {
            if (s->should_log(copy.level)) s->log(copy);
        }
    }
    void flush_() override {
        for (auto& s : sinks_) s->flush();
    }

  private:
    std::vector<std::string> terms_;
    std::vector<spdlog::sink_ptr> sinks_;
};

struct State {
    std::mutex mutex;
    std::shared_ptr<RedactingSink> sink = [] {
        auto s = std::make_shared<RedactingSink>();
        s->set_sinks({with_pattern(std::make_shared<spdlog::sinks::stderr_color_sink_mt>())});
        return s;
    }();
    std::map<std::string, std::shared_ptr<spdlog::logger>, std::less<>> loggers;
    std::vector<std::string> terms;
    spdlog::level::level_enum level = spdlog::level::info;
};

State& state() {
    static State s;
    return s;
}

}  // namespace

void init(const Options& options) {
    auto& st = state();
    std::lock_guard lock(st.mutex);
    std::vector<spdlog::sink_ptr> sinks;
    if (options.to_stderr)
        sinks.push_back(with_pattern(std::make_shared<spdlog::sinks::stderr_color_sink_mt>()));
    if (!options.file.empty()) {
        sinks.push_back(with_pattern(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
            options.file, options.max_size_bytes, options.max_files)));
    }
    st.sink->set_sinks(std::move(sinks));
    st.level = spdlog::level::from_str(options.level);
    for (auto& [_, l] : st.loggers) l->set_level(st.level);
}

std::shared_ptr<spdlog::logger> get(std::string_view module) {
    auto& st = state();
    std::lock_guard lock(st.mutex);
    if (auto it = st.loggers.find(module); it != st.loggers.end()) return it->second;
    auto logger = std::make_shared<spdlog::logger>(std::string(module), st.sink);
    logger->set_level(st.level);
    logger->flush_on(spdlog::level::warn);
    st.loggers.emplace(std::string(module), logger);
    return logger;
}

void flush() {
    auto& st = state();
    std::lock_guard lock(st.mutex);
    st.sink->flush();
}

void add_redaction(std::string term) {
    auto& st = state();
    std::lock_guard lock(st.mutex);
    if (term.empty()) return;
    st.terms.push_back(std::move(term));
    st.sink->set_terms(st.terms);
}

void clear_redactions() {
    auto& st = state();
    std::lock_guard lock(st.mutex);
    // Overwrite before release: the terms are personal data.
    for (auto& t : st.terms) std::fill(t.begin(), t.end(), '\0');
    st.terms.clear();
    st.sink->set_terms({});
}

}  // namespace kiosk::log
