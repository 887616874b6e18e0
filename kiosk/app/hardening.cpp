#include "app/hardening.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>

namespace kiosk::app {

std::string harden_process() {
    std::string problems;
    const rlimit none{0, 0};
    if (setrlimit(RLIMIT_CORE, &none) != 0)
        problems += std::string("RLIMIT_CORE: ") + std::strerror(errno) + "; ";
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        problems += std::string("PR_SET_DUMPABLE: ") + std::strerror(errno) + "; ";
    if (!problems.empty()) problems.resize(problems.size() - 2);
    return problems;
}

bool dumps_disabled() {
    rlimit r{};
    return getrlimit(RLIMIT_CORE, &r) == 0 && r.rlim_cur == 0 && r.rlim_max == 0 &&
           prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0;
}

}  // namespace kiosk::app
