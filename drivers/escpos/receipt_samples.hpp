// Demo data for each receipt template (fictional; used by printer-sim --demo, tests, the bench).
#pragma once

#include <string_view>

#include "escpos/receipt.hpp"

namespace kiosk::escpos {

// Data that fills every field of the named template (empty data for an unknown name).
ReceiptData sample_receipt_data(std::string_view template_name);

}  // namespace kiosk::escpos
