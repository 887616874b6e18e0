// kiosk-launch: the start wrapper systemd runs (docs/fleet.md "## Updates").
//
//   kiosk-launch [kiosk arguments...]
// Reads the update root (KIOSK_UPDATE_ROOT, default /var/lib/estation-kiosk), completes an
// interrupted slot switch, counts a boot attempt for a slot on trial and rolls back to the
// previous slot when the attempts are used up; then execv()s <root>/slots/<active>/bin/kiosk
// (what <root>/current points at; with KIOSK_ASSETS_DIR set to the slot's
// share/estation-kiosk/assets when it has them), or the
// factory kiosk (KIOSK_FACTORY_BIN, default the installed bin/kiosk) when no slot is active, with
// the same arguments. The PID stays the same, so systemd Type=notify sees the kiosk's READY=1.
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "update/state.hpp"

#ifndef KIOSK_FACTORY_BIN
#define KIOSK_FACTORY_BIN "/usr/bin/kiosk"
#endif

int main(int argc, char** argv) {
    const char* env_root = std::getenv("KIOSK_UPDATE_ROOT");
    const char* env_factory = std::getenv("KIOSK_FACTORY_BIN");
    const std::string root =
        env_root && *env_root ? env_root : std::string("/var/lib/estation-kiosk");
    const std::string factory = env_factory && *env_factory ? env_factory : KIOSK_FACTORY_BIN;
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    auto d = kiosk::update::prepare_launch(root, factory, now);
    if (!d.note.empty()) std::cerr << "kiosk-launch: " << d.note << "\n";
    if (!d.slot_dir.empty()) {
        // A slot that carries its own assets uses them (the units point KIOSK_ASSETS_DIR at the
        // factory ones).
        const std::string assets = d.slot_dir + "/share/estation-kiosk/assets";
        if (::access(assets.c_str(), R_OK | X_OK) == 0)
            ::setenv("KIOSK_ASSETS_DIR", assets.c_str(), 1);
    }
    std::vector<char*> args;
    args.push_back(const_cast<char*>(d.binary.c_str()));
    for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
    args.push_back(nullptr);
    ::execv(d.binary.c_str(), args.data());
    const int err = errno;
    std::cerr << "kiosk-launch: cannot start " << d.binary << ": " << std::strerror(err) << "\n";
    if (d.binary != factory) {
        // A slot that cannot even be executed: the factory version still can.
        args[0] = const_cast<char*>(factory.c_str());
        ::execv(factory.c_str(), args.data());
        std::cerr << "kiosk-launch: cannot start " << factory << ": " << std::strerror(errno)
                  << "\n";
    }
    return 127;
}
