// seccomp-run: runs a command under a system call allow-list, the way systemd applies a unit's
// SystemCallFilter= (docs/packaging.md, "The filter, enforced"). A test helper: not installed,
// not packaged.
//
//   seccomp-run [--errno NAME|NUMBER] [--known FILE] [--log] ALLOW_FILE -- COMMAND [ARG...]
//
// ALLOW_FILE holds the allowed calls, one name a line ('#' starts a comment). A refused call
// kills the process with SIGSYS (systemd's default) or, with --errno (SystemCallErrorNumber=),
// fails with that error. --known names the calls systemd knows (systemd-analyze syscall-filter
// @known): a call the kernel has and that list lacks fails with ENOSYS instead, as systemd does
// for calls newer than its own table. --log: refused calls are still refused with the same
// action's errno (EPERM when no --errno is given), but each is printed first, with its
// process id and name, by this program, which stays outside the filter and answers the
// kernel's notifications (SECCOMP_RET_USER_NOTIF). Names that libseccomp does not know are
// skipped with a note; names of other architectures' calls (systemd's groups hold them all)
// are skipped quietly (SECCOMP_RUN_VERBOSE=1 lists them, with the counts).
#include <seccomp.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <string>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

int usage() {
    std::fputs(
        "usage: seccomp-run [--errno NAME|NUMBER] [--known FILE] [--log] ALLOW_FILE -- "
        "COMMAND [ARG...]\n",
        stderr);
    return 2;
}

bool read_names(const char* path, std::set<std::string>& out) {
    std::ifstream in(path);
    if (!in) {
        std::fprintf(stderr, "seccomp-run: cannot read %s\n", path);
        return false;
    }
    std::string line;
    while (std::getline(in, line)) {
        const auto hash = line.find('#');
        if (hash != std::string::npos) line.erase(hash);
        const auto b = line.find_first_not_of(" \t\r");
        if (b == std::string::npos) continue;
        const auto e = line.find_last_not_of(" \t\r");
        out.insert(line.substr(b, e - b + 1));
    }
    return true;
}

int parse_errno(const std::string& s) {
    struct Named {
        const char* name;
        int value;
    };
    static const Named names[] = {{"EPERM", EPERM},   {"EACCES", EACCES}, {"ENOSYS", ENOSYS},
                                  {"EINVAL", EINVAL}, {"EIO", EIO},       {"ENOTSUP", ENOTSUP}};
    for (const auto& n : names)
        if (s == n.name) return n.value;
    char* end = nullptr;
    const long v = std::strtol(s.c_str(), &end, 10);
    if (end && *end == '\0' && v > 0 && v < 4096) return static_cast<int>(v);
    return -1;
}

// Sends (or receives) one file descriptor over a Unix socket.
bool send_fd(int sock, int fd) {
    char byte = 0;
    iovec iov{&byte, 1};
    alignas(cmsghdr) char buf[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = buf;
    msg.msg_controllen = sizeof buf;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &fd, sizeof(int));
    return sendmsg(sock, &msg, 0) == 1;
}

int recv_fd(int sock) {
    char byte = 0;
    iovec iov{&byte, 1};
    alignas(cmsghdr) char buf[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = buf;
    msg.msg_controllen = sizeof buf;
    if (recvmsg(sock, &msg, 0) != 1) return -1;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    if (!c || c->cmsg_type != SCM_RIGHTS) return -1;
    int fd = -1;
    std::memcpy(&fd, CMSG_DATA(c), sizeof(int));
    return fd;
}

// Answers the filtered process tree's refused calls: prints each, then fails it with err.
// Returns when no process is left under the filter.
void answer_notifications(int nfd, int err) {
    seccomp_notif* req = nullptr;
    seccomp_notif_resp* resp = nullptr;
    if (seccomp_notify_alloc(&req, &resp) != 0) return;
    for (;;) {
        // POLLHUP: no process uses the filter any more (the command and all its children ended).
        pollfd p{nfd, POLLIN, 0};
        if (poll(&p, 1, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (!(p.revents & POLLIN)) break;
        if (seccomp_notify_receive(nfd, req) != 0) {
            if (errno == EINTR || errno == ENOENT) continue;
            break;
        }
        char* name = seccomp_syscall_resolve_num_arch(req->data.arch, req->data.nr);
        std::fprintf(stderr, "seccomp-run: refused %s (nr %d) in pid %u\n", name ? name : "?",
                     req->data.nr, req->pid);
        std::free(name);
        resp->id = req->id;
        resp->val = 0;
        resp->error = -err;
        resp->flags = 0;
        seccomp_notify_respond(nfd, resp);  // ENOENT: the caller died meanwhile
    }
    seccomp_notify_free(req, resp);
}

}  // namespace

int main(int argc, char** argv) {
    int err = 0;  // 0: kill the process (SIGSYS), as systemd does without SystemCallErrorNumber=
    const char* known_file = nullptr;
    bool log = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && std::strcmp(argv[i], "--") != 0; ++i) {
        const std::string a = argv[i];
        if (a == "--errno" && i + 1 < argc) {
            err = parse_errno(argv[++i]);
            if (err < 0) {
                std::fprintf(stderr, "seccomp-run: unknown errno %s\n", argv[i]);
                return 2;
            }
        } else if (a == "--known" && i + 1 < argc) {
            known_file = argv[++i];
        } else if (a == "--log") {
            log = true;
        } else {
            return usage();
        }
    }
    if (i + 2 >= argc || std::strcmp(argv[i + 1], "--") != 0) return usage();
    const char* allow_file = argv[i];
    char** command = argv + i + 2;

    std::set<std::string> allow, known;
    if (!read_names(allow_file, allow)) return 2;
    if (known_file && !read_names(known_file, known)) return 2;

    uint32_t refuse = err ? SCMP_ACT_ERRNO(static_cast<uint16_t>(err)) : SCMP_ACT_KILL_PROCESS;
    if (log) refuse = SCMP_ACT_NOTIFY;
    scmp_filter_ctx ctx = seccomp_init(refuse);
    if (!ctx) {
        std::fputs("seccomp-run: seccomp_init failed\n", stderr);
        return 1;
    }
    std::set<int> allowed_nrs;
    std::string unknown_names, other_arch;
    int other_arch_count = 0;
    for (const auto& name : allow) {
        const int nr = seccomp_syscall_resolve_name(name.c_str());
        if (nr == __NR_SCMP_ERROR) {
            unknown_names += " " + name;
            continue;
        }
        // Negative numbers: calls of other architectures (libseccomp's pseudo numbers), which
        // this one does not have; nothing to allow.
        if (nr < 0) {
            other_arch += " " + name;
            ++other_arch_count;
            continue;
        }
        const int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
        if (rc != 0) {
            std::fprintf(stderr, "seccomp-run: cannot allow %s: %s\n", name.c_str(),
                         std::strerror(-rc));
            return 1;
        }
        allowed_nrs.insert(nr);
    }
    if (!unknown_names.empty())
        std::fprintf(stderr, "seccomp-run: note: unknown to libseccomp, skipped:%s\n",
                     unknown_names.c_str());
    int enosys = 0;
    if (known_file) {
        // Every call of this architecture that libseccomp can name and systemd does not know.
        for (int nr = 0; nr < 1024; ++nr) {
            if (allowed_nrs.count(nr)) continue;
            char* name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
            if (!name) continue;
            const bool unknown = !known.count(name);
            std::free(name);
            if (unknown && seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0) == 0) ++enosys;
        }
    }
    if (std::getenv("SECCOMP_RUN_VERBOSE"))
        std::fprintf(stderr,
                     "seccomp-run: %zu calls allowed; %d names not of this architecture:%s; %d "
                     "calls unknown to systemd return ENOSYS\n",
                     allowed_nrs.size(), other_arch_count, other_arch.c_str(), enosys);

    if (!log) {
        const int rc = seccomp_load(ctx);
        if (rc != 0) {
            std::fprintf(stderr, "seccomp-run: seccomp_load: %s\n", std::strerror(-rc));
            return 1;
        }
        seccomp_release(ctx);
        execvp(command[0], command);
        std::fprintf(stderr, "seccomp-run: %s: %s\n", command[0], std::strerror(errno));
        return 127;
    }

    // --log: the child loads the filter and hands its notification fd to this process.
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return 1;
    const pid_t pid = fork();
    if (pid < 0) return 1;
    if (pid == 0) {
        close(sv[0]);
        if (seccomp_load(ctx) != 0) _exit(126);
        const int nfd = seccomp_notify_fd(ctx);
        if (nfd < 0 || !send_fd(sv[1], nfd)) _exit(126);
        close(nfd);
        close(sv[1]);
        execvp(command[0], command);
        _exit(127);
    }
    close(sv[1]);
    const int nfd = recv_fd(sv[0]);
    close(sv[0]);
    seccomp_release(ctx);
    if (nfd >= 0) {
        answer_notifications(nfd, err ? err : EPERM);
        close(nfd);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
