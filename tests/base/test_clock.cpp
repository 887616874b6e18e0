// The boot id (base/include/base/clock.hpp): from /proc, or where the packaged units hide /proc/sys
// (ProcSubset=pid), from $KIOSK_BOOT_ID as systemd's %b gives it.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "base/clock.hpp"

TEST_CASE("base.clock boot_id reads /proc and falls back to KIOSK_BOOT_ID") {
    unsetenv("KIOSK_BOOT_ID");
    const std::string proc = kiosk::clock::boot_id();
    if (!proc.empty()) CHECK(proc.size() == 36);
    // /proc/sys hidden: nothing, then the unit's %b (32 hex digits) in the /proc form.
    CHECK(kiosk::clock::boot_id("/nonexistent/boot_id").empty());
    setenv("KIOSK_BOOT_ID", "0123456789abcdef0123456789abcdef", 1);
    CHECK(kiosk::clock::boot_id("/nonexistent/boot_id") == "01234567-89ab-cdef-0123-456789abcdef");
    setenv("KIOSK_BOOT_ID", "01234567-89ab-cdef-0123-456789abcdef", 1);
    CHECK(kiosk::clock::boot_id("/nonexistent/boot_id") == "01234567-89ab-cdef-0123-456789abcdef");
    setenv("KIOSK_BOOT_ID", "not-a-boot-id", 1);
    CHECK(kiosk::clock::boot_id("/nonexistent/boot_id").empty());
    // /proc wins when it is readable.
    if (!proc.empty()) CHECK(kiosk::clock::boot_id() == proc);
    unsetenv("KIOSK_BOOT_ID");
}
