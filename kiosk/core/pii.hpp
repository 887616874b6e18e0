// PII masking moved to the base layer (base/include/base/pii.hpp, kiosk_base) so drivers can
// mask without linking the core. The core, UI and app still include it by this name.
#pragma once

#include "base/pii.hpp"
