// The persisted update state machine, the A/B slots and the launcher's boot-attempt logic.
//
// Layout under the update root (default /var/lib/estation-kiosk):
// (the root is shared with the app's own state files: every name here is update-specific)
//   update-state.json   the state below, replaced atomically (temp, fsync, rename, fsync dir)
//   update-counter      the highest committed manifest counter (a second copy, same writing)
//   update.lock         flock(2) taken around every read-modify-write of the state
//   slots/a, slots/b  the two install slots (each a full tree with bin/kiosk)
//   current         symlink to slots/a or slots/b (absent: the factory /usr/bin/kiosk runs);
//                   switched by renaming a new symlink over it, then fsync of the root directory
//   update-download/    the partial and complete bundle files
//
// Phases: idle -> downloading -> verified -> installed (inactive slot) -> switched (trial,
// boot attempts counted by kiosk-launch) -> committed (health reported) | rolled_back.
// committed and rolled_back carry a pending result for the server; once sent, the phase returns
// to idle. Every step is idempotent, so a power cut at any point resumes or rolls back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::update {

enum class Phase { idle, downloading, verified, installed, switched, committed, rolled_back };
const char* phase_name(Phase p);
std::optional<Phase> phase_from(const std::string& s);

// A result the server must still be told (persisted so a restart or power cut cannot lose it).
struct Pending {
    std::string action_id;
    bool cancel = false;    // feedback to cancelAction/{id}/feedback instead of deploymentBase
    std::string execution;  // closed | rejected | downloaded ...
    std::string finished;   // success | failure | none
    std::vector<std::string> details;
};

struct State {
    Phase phase = Phase::idle;
    std::string action_id;
    std::string artifact_url;
    std::string artifact_name;
    std::uint64_t artifact_size = 0;
    std::string artifact_sha256;  // the server's hash: a transport check only, never trust
    std::string update_mode;      // skip | attempt | forced
    std::string maintenance;      // available | unavailable | ""
    bool downloaded_reported = false;
    std::string version;
    std::int64_t counter = 0;
    std::string target_slot;    // a | b
    std::string previous_slot;  // a | b | "" (factory)
    int attempts = 0;
    int max_attempts = 3;
    std::int64_t trial_started = 0;  // epoch seconds of the last boot attempt / switch
    std::int64_t installed_counter = 0;
    std::string installed_version;
    std::optional<Pending> pending;
};

std::string state_to_json(const State& s);
std::optional<std::string> state_from_json(const std::string& text, State& s);

// Holds flock on <root>/update.lock for its lifetime (creates the root when missing).
class StateLock {
  public:
    explicit StateLock(const std::string& root);
    ~StateLock();
    StateLock(const StateLock&) = delete;
    StateLock& operator=(const StateLock&) = delete;
    bool ok() const { return fd_ >= 0; }

  private:
    int fd_ = -1;
};

// Missing file: a fresh idle state. A corrupt file is set aside (update-state.json.corrupt) and
// reported in `warning`; the committed counter then still comes from <root>/update-counter.
bool load_state(const std::string& root, State& s, std::string* warning = nullptr);
bool save_state(const std::string& root, const State& s);

// Atomic file replacement: temp file, fsync, rename, fsync of the directory.
bool write_file_atomic(const std::string& path, const std::string& data);
bool fsync_dir(const std::string& dir);
bool remove_tree(const std::string& path);  // rm -rf without following symlinks

std::string slot_dir(const std::string& root, const std::string& slot);
std::string active_slot(const std::string& root);  // "a", "b" or "" (factory)
inline std::string other_slot(const std::string& s) {
    return s == "a" ? "b" : "a";
}
// Points <root>/current at slots/<slot> ("" removes it: the factory binary runs).
bool switch_current(const std::string& root, const std::string& slot);

// Rolls back a trial in `s` (switches `current` to the previous slot, records the failure to
// report). The caller holds the lock and saves.
bool rollback(const std::string& root, State& s, const std::string& reason);

// kiosk-launch: under the lock, completes an interrupted switch, counts a boot attempt for a
// slot on trial and rolls back when the attempts are used up. Returns the binary to exec:
// <root>/slots/<active>/bin/kiosk (`current` resolved once, so a later switch does not move the
// running version's files), or `factory` when no slot is active.
struct LaunchDecision {
    std::string binary;
    std::string slot_dir;  // "" for the factory binary
    bool rolled_back = false;
    std::string note;  // what happened, for the launcher's stderr line
};
LaunchDecision prepare_launch(const std::string& root, const std::string& factory,
                              std::int64_t now_epoch);

// The app calls this once it drew its first frame and its devices started. On a slot in trial it
// commits the update (the updater then reports closed/success). Returns true when it committed.
// Only the trial slot's own binary can commit: `running_exe` (default /proc/self/exe) must
// resolve to <root>/slots/<target>/bin/kiosk, so an old version started without kiosk-launch
// cannot vouch for a new one it never ran.
bool report_healthy(const std::string& root);
bool report_healthy(const std::string& root, const std::string& running_exe);

}  // namespace kiosk::update
