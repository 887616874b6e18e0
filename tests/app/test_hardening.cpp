// Core dumps off in the production program (issue #20): kiosk/app/hardening.cpp, as main calls
// it. Each check runs in a forked child, so the test process itself keeps its settings.
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>

#include <doctest/doctest.h>

#include "app/hardening.hpp"

namespace {

// Runs `body` in a child; returns its wait status.
template <class F>
int in_child(F body) {
    const pid_t pid = fork();
    if (pid == 0) {
        body();
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

}  // namespace

TEST_CASE("app.hardening the production program turns core dumps and ptrace off") {
    const int st = in_child([] {
        if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 1) _exit(10);  // the default: dumpable
        if (kiosk::app::dumps_disabled()) _exit(11);
        if (!kiosk::app::harden_process().empty()) _exit(12);
        if (!kiosk::app::dumps_disabled()) _exit(13);
        rlimit r{};
        getrlimit(RLIMIT_CORE, &r);
        if (r.rlim_cur != 0 || r.rlim_max != 0) _exit(14);
    });
    REQUIRE(WIFEXITED(st));
    CHECK(WEXITSTATUS(st) == 0);
}

TEST_CASE("app.hardening a crash after hardening leaves no core") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("kiosk-core-" + std::to_string(getpid()));
    fs::create_directories(dir);
    const int st = in_child([&] {
        if (chdir(dir.c_str()) != 0) _exit(20);
        kiosk::app::harden_process();
        std::signal(SIGABRT, SIG_DFL);
        std::abort();  // a core-dumping signal
    });
    CHECK(WIFSIGNALED(st));
    CHECK(WTERMSIG(st) == SIGABRT);
    CHECK_FALSE(WCOREDUMP(st));  // the kernel says no core was written, by any core_pattern
    bool core_file = false;
    for (const auto& e : fs::directory_iterator(dir)) core_file = core_file || e.is_regular_file();
    CHECK_FALSE(core_file);
    fs::remove_all(dir);
}
