// UI benchmark: prints figures, asserts nothing.
//
// On the attract and home screens at 1080×1920 under Xvfb (started here unless $DISPLAY is set):
//   - time from process start (fork) to the first frame drawn,
//   - CPU used over N seconds idle on the attract screen (utime+stime from /proc),
//   - resident and proportional memory (RSS, PSS from /proc/<pid>/smaps_rollup),
//   - time to draw one frame (kiosk --bench-frames).
// Usage: kiosk-bench-ui [--idle-seconds 60] [--kiosk PATH]
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

pid_t spawn(const std::vector<std::string>& args, int* stdout_fd) {
    int pipefd[2] = {-1, -1};
    if (stdout_fd && pipe(pipefd) != 0) return -1;
    const pid_t pid = fork();
    if (pid == 0) {
        if (stdout_fd) {
            dup2(pipefd[1], 1);
            close(pipefd[0]);
            close(pipefd[1]);
        }
        const int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 2);
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    if (stdout_fd) {
        close(pipefd[1]);
        *stdout_fd = pipefd[0];
    }
    return pid;
}

std::string read_line(int fd) {
    std::string line;
    char c;
    while (read(fd, &c, 1) == 1 && c != '\n') line.push_back(c);
    return line;
}

double cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string s((std::istreambuf_iterator<char>(in)), {});
    const auto rp = s.rfind(')');
    if (rp == std::string::npos) return 0;
    std::istringstream rest(s.substr(rp + 2));
    std::string field;
    unsigned long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
        if (i == 14) utime = std::stoul(field);
        if (i == 15) stime = std::stoul(field);
    }
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

void memory(pid_t pid, long& rss_kb, long& pss_kb) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/smaps_rollup");
    std::string line;
    rss_kb = pss_kb = -1;
    while (std::getline(in, line)) {
        long v = 0;
        if (std::sscanf(line.c_str(), "Rss: %ld kB", &v) == 1) rss_kb = v;
        if (std::sscanf(line.c_str(), "Pss: %ld kB", &v) == 1) pss_kb = v;
    }
}

void stop(pid_t pid) {
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
}

}  // namespace

int main(int argc, char** argv) {
    int idle_seconds = 60;
    std::string kiosk = KIOSK_EXE;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--idle-seconds")) idle_seconds = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--kiosk")) kiosk = argv[i + 1];
    }
    setenv("TZ", "Asia/Shanghai", 0);
    setenv("KIOSK_STATE_DIR", "/tmp/kiosk-bench-ui-state", 0);
    mkdir("/tmp/kiosk-bench-ui-state", 0700);
    pid_t xvfb = 0;
    if (!std::getenv("DISPLAY")) {
        xvfb = spawn({"/usr/bin/Xvfb", ":94", "-screen", "0", "1080x1920x24", "-nolisten", "tcp"},
                     nullptr);
        for (int i = 0; i < 100 && access("/tmp/.X11-unix/X94", F_OK) != 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        setenv("DISPLAY", ":94", 1);
    }
    std::printf("kiosk UI benchmark (%s, 1080x1920, Xvfb, software renderer)\n", kiosk.c_str());

    // 1. Start → first frame (best and median of 5), attract screen.
    setenv("KIOSK_REPORT_FIRST_FRAME", "1", 1);
    std::vector<double> starts;
    pid_t idle_pid = 0;
    for (int run = 0; run < 5; ++run) {
        int out = -1;
        const auto t0 = Clock::now();
        const pid_t pid = spawn({kiosk}, &out);
        const std::string line = read_line(out);
        const double ms = ms_since(t0);
        close(out);
        if (line != "first-frame") {
            std::printf("kiosk did not report a first frame (got '%s')\n", line.c_str());
            stop(pid);
            if (xvfb) stop(xvfb);
            return 1;
        }
        starts.push_back(ms);
        if (run == 4) {
            idle_pid = pid;
        } else {
            stop(pid);
        }
    }
    std::sort(starts.begin(), starts.end());
    std::printf("start to first frame:   median %.0f ms, best %.0f ms (target <= 400 ms)\n",
                starts[2], starts[0]);

    // 2. Idle CPU and memory on the attract screen.
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const double cpu0 = cpu_seconds(idle_pid);
    const auto t_idle = Clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(idle_seconds));
    const double cpu = cpu_seconds(idle_pid) - cpu0;
    const double wall = ms_since(t_idle) / 1000.0;
    long rss = 0, pss = 0;
    memory(idle_pid, rss, pss);
    stop(idle_pid);
    std::printf("idle CPU on attract:    %.3f %% of one core over %.0f s (target <= 0.3 %%)\n",
                100.0 * cpu / wall, wall);
    std::printf("memory on attract:      RSS %.1f MB, PSS %.1f MB (target PSS <= 60 MB)\n",
                rss / 1024.0, pss / 1024.0);

    // 3. Memory on the home screen.
    {
        const pid_t pid =
            spawn({kiosk, "--scenario", KIOSK_SOURCE_DIR "/bench/ui/home-hold.toml"}, nullptr);
        std::this_thread::sleep_for(std::chrono::seconds(5));
        memory(pid, rss, pss);
        stop(pid);
        std::printf("memory on home:         RSS %.1f MB, PSS %.1f MB\n", rss / 1024.0,
                    pss / 1024.0);
    }

    // 4. Frame cost.
    {
        int out = -1;
        const pid_t pid = spawn({kiosk, "--bench-frames", "50"}, &out);
        const std::string line = read_line(out);
        close(out);
        int status = 0;
        waitpid(pid, &status, 0);
        double attract = 0, home = 0;
        if (std::sscanf(line.c_str(), "frame_ms attract %lf home %lf", &attract, &home) == 2) {
            std::printf("time to draw one frame: attract %.2f ms, home %.2f ms\n", attract, home);
        } else {
            std::printf("frame benchmark failed: '%s'\n", line.c_str());
        }
    }
    if (xvfb) stop(xvfb);
    return 0;
}
