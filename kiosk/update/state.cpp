#include "update/state.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

namespace kiosk::update {

namespace {
using J = nlohmann::json;

constexpr const char* kPhases[] = {"idle",     "downloading", "verified",   "installed",
                                   "switched", "committed",   "rolled_back"};

std::string read_all(const std::string& path, bool& found) {
    std::ifstream in(path, std::ios::binary);
    found = static_cast<bool>(in);
    if (!found) return {};
    std::string s;
    char buf[4096];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        s.append(buf, static_cast<std::size_t>(in.gcount()));
        if (s.size() > 1024 * 1024) break;  // a state file is small; never read a huge one
    }
    return s;
}

bool mkdir_p(const std::string& path) {
    std::size_t i = 1;
    while (true) {
        std::size_t j = path.find('/', i);
        std::string cur = path.substr(0, j);
        if (!cur.empty() && ::mkdir(cur.c_str(), 0755) != 0 && errno != EEXIST) return false;
        if (j == std::string::npos) return true;
        i = j + 1;
    }
}

std::string parent_of(const std::string& p) {
    auto s = p.rfind('/');
    if (s == std::string::npos) return ".";
    if (s == 0) return "/";
    return p.substr(0, s);
}

std::int64_t read_counter_file(const std::string& root) {
    bool found = false;
    std::string t = read_all(root + "/update-counter", found);
    if (!found || t.empty() || t.size() > 20) return 0;
    std::int64_t v = 0;
    for (char c : t) {
        if (c == '\n') break;
        if (c < '0' || c > '9') return 0;
        v = v * 10 + (c - '0');
    }
    return v;
}
}  // namespace

const char* phase_name(Phase p) {
    return kPhases[static_cast<int>(p)];
}

std::optional<Phase> phase_from(const std::string& s) {
    for (int i = 0; i < 7; ++i)
        if (s == kPhases[i]) return static_cast<Phase>(i);
    return std::nullopt;
}

std::string state_to_json(const State& s) {
    J j{{"phase", phase_name(s.phase)},
        {"action_id", s.action_id},
        {"artifact_url", s.artifact_url},
        {"artifact_name", s.artifact_name},
        {"artifact_size", s.artifact_size},
        {"artifact_sha256", s.artifact_sha256},
        {"update_mode", s.update_mode},
        {"maintenance", s.maintenance},
        {"downloaded_reported", s.downloaded_reported},
        {"version", s.version},
        {"counter", s.counter},
        {"target_slot", s.target_slot},
        {"previous_slot", s.previous_slot},
        {"attempts", s.attempts},
        {"max_attempts", s.max_attempts},
        {"trial_started", s.trial_started},
        {"installed_counter", s.installed_counter},
        {"installed_version", s.installed_version}};
    if (s.pending) {
        j["pending"] = {{"action_id", s.pending->action_id},
                        {"cancel", s.pending->cancel},
                        {"execution", s.pending->execution},
                        {"finished", s.pending->finished},
                        {"details", s.pending->details}};
    } else {
        j["pending"] = nullptr;
    }
    return j.dump(2) + "\n";
}

std::optional<std::string> state_from_json(const std::string& text, State& out) {
    J j = J::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return "state is not a JSON object";
    try {
        State s;
        auto ph = phase_from(j.at("phase").get<std::string>());
        if (!ph) return "unknown phase";
        s.phase = *ph;
        s.action_id = j.at("action_id").get<std::string>();
        s.artifact_url = j.at("artifact_url").get<std::string>();
        s.artifact_name = j.at("artifact_name").get<std::string>();
        s.artifact_size = j.at("artifact_size").get<std::uint64_t>();
        s.artifact_sha256 = j.value("artifact_sha256", std::string{});
        s.update_mode = j.at("update_mode").get<std::string>();
        s.maintenance = j.at("maintenance").get<std::string>();
        s.downloaded_reported = j.at("downloaded_reported").get<bool>();
        s.version = j.at("version").get<std::string>();
        s.counter = j.at("counter").get<std::int64_t>();
        s.target_slot = j.at("target_slot").get<std::string>();
        s.previous_slot = j.at("previous_slot").get<std::string>();
        s.attempts = j.at("attempts").get<int>();
        s.max_attempts = j.at("max_attempts").get<int>();
        s.trial_started = j.at("trial_started").get<std::int64_t>();
        s.installed_counter = j.at("installed_counter").get<std::int64_t>();
        s.installed_version = j.at("installed_version").get<std::string>();
        const auto& p = j.at("pending");
        if (!p.is_null()) {
            Pending pe;
            pe.action_id = p.at("action_id").get<std::string>();
            pe.cancel = p.at("cancel").get<bool>();
            pe.execution = p.at("execution").get<std::string>();
            pe.finished = p.at("finished").get<std::string>();
            pe.details = p.at("details").get<std::vector<std::string>>();
            s.pending = std::move(pe);
        }
        for (const auto* slot : {&s.target_slot, &s.previous_slot})
            if (!slot->empty() && *slot != "a" && *slot != "b") return "bad slot name";
        out = std::move(s);
        return std::nullopt;
    } catch (const std::exception& e) {
        return std::string("state field missing or of the wrong type: ") + e.what();
    }
}

StateLock::StateLock(const std::string& root) {
    if (!mkdir_p(root)) return;
    fd_ = ::open((root + "/update.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) return;
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno != EINTR) {
            ::close(fd_);
            fd_ = -1;
            return;
        }
    }
}

StateLock::~StateLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

bool fsync_dir(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

bool write_file_atomic(const std::string& path, const std::string& data) {
    const std::string tmp = path + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return false;
    const char* p = data.data();
    std::size_t n = data.size();
    bool ok = true;
    while (n > 0) {
        ssize_t w = ::write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            ok = false;
            break;
        }
        p += w;
        n -= static_cast<std::size_t>(w);
    }
    ok = ok && ::fsync(fd) == 0;
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        ::unlink(tmp.c_str());
        return false;
    }
    return fsync_dir(parent_of(path));
}

bool load_state(const std::string& root, State& s, std::string* warning) {
    bool found = false;
    std::string text = read_all(root + "/update-state.json", found);
    State fresh;
    if (found) {
        if (auto e = state_from_json(text, fresh)) {
            if (warning) *warning = "state file unreadable (" + *e + "); starting idle";
            ::rename((root + "/update-state.json").c_str(),
                     (root + "/update-state.json.corrupt").c_str());
            fresh = State{};
        }
    }
    // The committed counter is also kept on its own: a lost state file must not reopen the
    // door to a rollback.
    fresh.installed_counter = std::max(fresh.installed_counter, read_counter_file(root));
    s = std::move(fresh);
    return true;
}

bool save_state(const std::string& root, const State& s) {
    if (!mkdir_p(root)) return false;
    if (s.installed_counter > read_counter_file(root) &&
        !write_file_atomic(root + "/update-counter", std::to_string(s.installed_counter) + "\n"))
        return false;
    return write_file_atomic(root + "/update-state.json", state_to_json(s));
}

bool remove_tree(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return errno == ENOENT;
    if (S_ISDIR(st.st_mode)) {
        DIR* d = ::opendir(path.c_str());
        if (!d) return false;
        std::vector<std::string> names;
        while (auto* e = ::readdir(d)) {
            std::string n = e->d_name;
            if (n != "." && n != "..") names.push_back(n);
        }
        ::closedir(d);
        for (const auto& n : names)
            if (!remove_tree(path + "/" + n)) return false;
        return ::rmdir(path.c_str()) == 0;
    }
    return ::unlink(path.c_str()) == 0;
}

std::string slot_dir(const std::string& root, const std::string& slot) {
    return root + "/slots/" + slot;
}

std::string active_slot(const std::string& root) {
    char buf[256];
    ssize_t n = ::readlink((root + "/current").c_str(), buf, sizeof buf - 1);
    if (n <= 0) return "";
    std::string t(buf, static_cast<std::size_t>(n));
    if (t == "slots/a") return "a";
    if (t == "slots/b") return "b";
    return "";
}

bool switch_current(const std::string& root, const std::string& slot) {
    const std::string cur = root + "/current";
    if (slot.empty()) {
        if (::unlink(cur.c_str()) != 0 && errno != ENOENT) return false;
        return fsync_dir(root);
    }
    const std::string tmp = root + "/current.new";
    ::unlink(tmp.c_str());
    if (::symlink(("slots/" + slot).c_str(), tmp.c_str()) != 0) return false;
    if (::rename(tmp.c_str(), cur.c_str()) != 0) {
        ::unlink(tmp.c_str());
        return false;
    }
    return fsync_dir(root);
}

bool rollback(const std::string& root, State& s, const std::string& reason) {
    if (!switch_current(root, s.previous_slot)) return false;
    s.phase = Phase::rolled_back;
    s.pending = Pending{
        s.action_id,
        false,
        "closed",
        "failure",
        {reason, "rolled back to " + (s.previous_slot.empty() ? std::string("the factory version")
                                                              : "slot " + s.previous_slot)}};
    return true;
}

LaunchDecision prepare_launch(const std::string& root, const std::string& factory,
                              std::int64_t now_epoch) {
    LaunchDecision d;
    StateLock lock(root);
    if (lock.ok()) {
        State s;
        load_state(root, s);
        if (s.phase == Phase::switched) {
            // An interrupted switch (power cut between the state write and the rename) is
            // completed here: the state is the truth.
            if (active_slot(root) != s.target_slot) switch_current(root, s.target_slot);
            s.attempts += 1;
            s.trial_started = now_epoch;
            if (s.attempts > s.max_attempts) {
                rollback(root, s,
                         "version " + s.version + " did not become healthy in " +
                             std::to_string(s.max_attempts) + " boot attempts");
                d.rolled_back = true;
                d.note = "rolled back after " + std::to_string(s.max_attempts) + " boot attempts";
            } else {
                d.note = "trial boot " + std::to_string(s.attempts) + " of " +
                         std::to_string(s.max_attempts) + " for version " + s.version;
            }
            save_state(root, s);
        }
    }
    const std::string slot = active_slot(root);
    if (!slot.empty()) {
        const std::string bin = slot_dir(root, slot) + "/bin/kiosk";
        if (::access(bin.c_str(), X_OK) == 0) {
            d.binary = bin;
            d.slot_dir = slot_dir(root, slot);
            return d;
        }
        d.note += (d.note.empty() ? "" : "; ") + std::string("slot ") + slot +
                  " has no bin/kiosk, starting the factory version";
    }
    d.binary = factory;
    return d;
}

bool report_healthy(const std::string& root) {
    return report_healthy(root, "/proc/self/exe");
}

bool report_healthy(const std::string& root, const std::string& running_exe) {
    StateLock lock(root);
    if (!lock.ok()) return false;
    State s;
    load_state(root, s);
    if (s.phase != Phase::switched) return false;
    char* self = ::realpath(running_exe.c_str(), nullptr);
    char* slot = ::realpath((slot_dir(root, s.target_slot) + "/bin/kiosk").c_str(), nullptr);
    const bool same = self && slot && std::strcmp(self, slot) == 0;
    std::free(self);
    std::free(slot);
    if (!same) return false;
    s.phase = Phase::committed;
    s.installed_counter = s.counter;
    s.installed_version = s.version;
    s.pending = Pending{s.action_id,
                        false,
                        "closed",
                        "success",
                        {"version " + s.version + " healthy after " + std::to_string(s.attempts) +
                         " boot attempt(s)"}};
    return save_state(root, s);
}

}  // namespace kiosk::update
