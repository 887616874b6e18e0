// The logger moved to the base layer (base/include/base/log.hpp, kiosk_base) so drivers can log
// without linking the core. The core, UI and app still include it by this name.
#pragma once

#include "base/log.hpp"
