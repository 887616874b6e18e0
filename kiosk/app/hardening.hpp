// Process hardening the production program applies first thing in main (issue #20, "a core dump
// of the kiosk can hold a citizen's name, ID number and photo"):
//  - RLIMIT_CORE 0 (soft and hard): the kernel writes no core file, and the process cannot raise
//    the limit again;
//  - PR_SET_DUMPABLE 0: no core either through a core_pattern pipe (systemd-coredump, apport),
//    and no ptrace attach or /proc/<pid>/mem read by another process of the same user.
// The systemd units say the same (LimitCORE=0). kiosk-demo does not call it (developers debug it).
#pragma once

#include <string>

namespace kiosk::app {

// Returns "" or what could not be set (the program goes on: a kiosk that cannot harden itself
// still serves, and says so in the log).
std::string harden_process();

// For the tests and the service menu: dumps are off (both settings hold).
bool dumps_disabled();

}  // namespace kiosk::app
