// One logger for the whole program: spdlog, a per-module prefix, stderr and a rotating file.
//
// Every line passes a redacting sink (pii::redact) before any output: ID-number and phone-number
// shapes are masked, and so is each term the session registered while it holds personal data
// (a name read from a card, a typed code). Modules still log masked values themselves; the
// redactor is the second line of defence, not the first.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

namespace kiosk::log {

struct Options {
    std::string file;  // empty: no file
    std::size_t max_size_bytes = 5 * 1024 * 1024;
    std::size_t max_files = 5;
    std::string level = "info";  // trace, debug, info, warn, error, critical, off
    bool to_stderr = true;
};

// Sets up the sinks; safe to call again (replaces them). Before init, loggers write to stderr.
void init(const Options& options);
// The logger of a module; its lines read "[module] message".
std::shared_ptr<spdlog::logger> get(std::string_view module);
// Flushes every sink (before exit, and in tests before reading the file).
void flush();

// Session-held personal data that must be masked if it ever reaches a log line.
void add_redaction(std::string term);
void clear_redactions();

}  // namespace kiosk::log
