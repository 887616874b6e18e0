// Check digits of the numbers people type or scan, shared by the scanner's payload recogniser
// (drivers/scanner/payload.hpp) and the payment flow (kiosk/core/flows/payment.cpp).
#pragma once

#include <string_view>

namespace kiosk::codes {

// Payment notice numbers: 19 digits + a Luhn (ISO/IEC 7812-1) check digit. See
// docs/drivers/scanner.md for why the kiosk checks this before calling the backend.
bool payment_notice_valid(std::string_view twenty_digits);
// The check digit for 19 digits ('0'..'9'), or '\0' if the input is not 19 digits.
char payment_notice_check_digit(std::string_view nineteen_digits);

}  // namespace kiosk::codes
