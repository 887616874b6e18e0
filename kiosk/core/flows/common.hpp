// What several flows share: picking the session's language from a hall Text, describing a hall
// error to a citizen, the phone-number rule, the keypad's editing, the waiting and failure pages.
#pragma once

#include <string>

#include "api/result.hpp"
#include "api/types.hpp"
#include "core/kiosk_core.hpp"

namespace kiosk::flows {

// The text in the session's language.
const std::string& pick(const Core& core, const api::Text& t);

// The i18n key of what to tell a citizen for a failed hall request: "flow.error.offline",
// "flow.error.not_found", ... (shared strings in assets/i18n/<lang>/flow.toml).
std::string error_key(const api::Error& e);

// The i18n key that says why a print failed: "print.reason.<word>" (assets/i18n/<lang>/flow.toml).
std::string print_reason_key(PrintFailure reason);

// Mainland mobile number: 11 digits starting 1[3-9].
bool valid_mobile(std::string_view digits);

// Applies a keypad key ("0".."9", "del") to `typed` (at most max_len digits). Returns true when
// it changed; "ok" and anything else return false.
bool keypad_edit(std::string& typed, std::string_view key, std::size_t max_len);

// "2026-11-26T09:30:00+08:00" → "2026-11-26 09:30" (display; no time-zone arithmetic).
std::string short_time(std::string_view iso);

// Money in fen → "¥12.50".
std::string yuan(std::int64_t fen);

// The one identify step for an ID card (every flow that reads one, and the ID-card scene): the
// session's previous person is wiped, this one kept, and the one redaction rule applied: name,
// ID number and address are masked in any log line from now on (core.identify ...).
const Person& take_person(Core& core, const Person& person);

// "One moment…" while the hall or a device answers.
void show_wait(const Core& core, ViewModel& vm);
// A failure the person can do something about: what went wrong (an i18n key), the shared hint,
// and "try again" (action "retry") unless `retry` is false. Callers add their own buttons first.
void show_failed(const Core& core, ViewModel& vm, const std::string& error_key, bool retry = true);

}  // namespace kiosk::flows
