// Personal data rules: masking for screens and logs, and a redactor every log line passes.
//
// Kiosk rule: ID numbers, names, phone numbers and photos never reach a log and never outlive the
// citizen's session. Masks follow common government practice: 4306**********123X, 张**,
// 138****5678.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kiosk::pii {

// 18-character (or legacy 15-digit) ID number → first 4 and last 4 kept.
std::string mask_id_number(std::string_view id);
// A name → its first character (UTF-8 aware) and one '*' per further character.
std::string mask_name(std::string_view name);
// A mainland mobile number → 3 + **** + 4.
std::string mask_phone(std::string_view phone);
// Any code a person typed (pickup code, notice number) → last 2 kept.
std::string mask_code(std::string_view code);

// Replaces, in free text: anything shaped like an ID number (17 digits + digit/X), anything shaped
// like a mainland mobile number (1[3-9] + 9 digits), and each of `terms` (names, codes registered
// by the session while it holds them).
std::string redact(std::string_view text, const std::vector<std::string>& terms = {});

// Counts UTF-8 code points (names are measured in characters, not bytes).
std::size_t utf8_length(std::string_view s);

}  // namespace kiosk::pii
