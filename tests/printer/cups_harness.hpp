// A private, real CUPS server for tests: cupsd in the foreground with a temporary ServerRoot,
// spool, cache, state and logs, listening on 127.0.0.1 on a free port, plus one cups-pdf queue.
//
// What cannot be private, and why: the cups-pdf backend reads its configuration only from
// /etc/cups (compiled in). Its per-device-URI file /etc/cups/cups-pdf-<name>.conf is used for a
// device URI cups-pdf:/<name>, so each harness writes a uniquely named file there pointing Out,
// Spool and Log into its temporary directory, and deletes it on teardown. The backend is
// mode 0700 root, so cupsd must run as root (CI runs tests as root); otherwise start() says why
// and the test is reported as skipped.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace printer_test {

class CupsHarness {
  public:
    int port = 0;
    std::string dir, queue, out_dir;

    CupsHarness() = default;
    CupsHarness(const CupsHarness&) = delete;
    CupsHarness& operator=(const CupsHarness&) = delete;
    ~CupsHarness() { stop(); }

    // Returns false with the reason when a private cupsd cannot run here.
    bool start(std::string& why) {
        namespace fs = std::filesystem;
        const char* ppd = "/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd";
        if (::access("/usr/sbin/cupsd", X_OK) != 0)
            return fail(why, "cupsd not installed (Debian package cups)");
        if (!fs::exists("/usr/lib/cups/backend/cups-pdf") || !fs::exists(ppd))
            return fail(why, "cups-pdf not installed (Debian package printer-driver-cups-pdf)");
        if (::geteuid() != 0)
            return fail(why, "not root: the cups-pdf backend (mode 0700) needs cupsd as root");
        if (::access("/etc/cups", W_OK) != 0)
            return fail(why, "/etc/cups not writable: cups-pdf reads its config only there");
        char tmpl[] = "/tmp/kiosk-cups-XXXXXX";
        if (!::mkdtemp(tmpl)) return fail(why, "mkdtemp failed");
        dir = tmpl;
        ::chmod(dir.c_str(), 0755);  // filters run as lp and must reach the spool
        for (const char* d : {"spool", "cache", "state", "log", "out", "pdfspool"})
            fs::create_directories(dir + "/" + d);
        fs::create_directories(dir + "/tmp");
        ::chmod((dir + "/tmp").c_str(), 01777);
        out_dir = dir + "/out";
        port = free_port();
        if (port == 0) return fail(why, "no free port on 127.0.0.1");
        static std::atomic<int> counter{0};
        queue = "kiosk-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
        write(dir + "/cups-files.conf",
              "ServerRoot " + dir + "\nRequestRoot " + dir + "/spool\nTempDir " + dir + "/tmp\n" +
                  "CacheDir " + dir + "/cache\nStateDir " + dir +
                  "/state\nServerBin /usr/lib/cups\n" +
                  "DataDir /usr/share/cups\nDocumentRoot /usr/share/cups/doc-root\n" +
                  "AccessLog " + dir + "/log/access_log\nErrorLog " + dir + "/log/error_log\n" +
                  "PageLog " + dir +
                  "/log/page_log\nUser lp\nGroup lp\nSystemGroup root\nFileDevice No\n");
        // Open to everyone on loopback, no auth: it lives for one test. A failing filter aborts
        // the job instead of stopping the queue, so tests can see "aborted".
        write(dir + "/cupsd.conf",
              "LogLevel info\nListen 127.0.0.1:" + std::to_string(port) +
                  "\nBrowsing No\nDefaultAuthType None\nWebInterface No\nErrorPolicy abort-job\n"
                  "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
                  "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n");
        pdf_conf_ = "/etc/cups/cups-pdf-" + queue + ".conf";
        write(pdf_conf_, "Out " + out_dir + "\nAnonDirName " + out_dir + "\nSpool " + dir +
                             "/pdfspool\nLog " + dir + "/log\nLogType 3\n");
        pid_ = spawn(
            {"/usr/sbin/cupsd", "-f", "-c", dir + "/cupsd.conf", "-s", dir + "/cups-files.conf"},
            dir + "/log/cupsd.out");
        if (pid_ <= 0) return fail(why, "cannot start cupsd");
        if (!wait_port()) return fail(why, "cupsd did not listen (see " + dir + "/log)");
        const std::string host = "127.0.0.1:" + std::to_string(port);
        const pid_t lp =
            spawn({"/usr/sbin/lpadmin", "-h", host, "-p", queue, "-v", "cups-pdf:/" + queue, "-P",
                   ppd, "-o", "printer-error-policy=abort-job", "-E"},
                  dir + "/log/lpadmin.out");
        int status = 0;
        if (lp <= 0 || ::waitpid(lp, &status, 0) != lp || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0)
            return fail(why, "lpadmin failed to add the cups-pdf queue");
        return true;
    }

    void stop() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            int status = 0;
            for (int i = 0; i < 300 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            if (::waitpid(pid_, &status, WNOHANG) == 0) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, &status, 0);
            }
            pid_ = -1;
        }
        if (!pdf_conf_.empty()) std::filesystem::remove(pdf_conf_);
        pdf_conf_.clear();
        if (!dir.empty()) {
            std::error_code ec;
            std::filesystem::remove_all(dir, ec);
            dir.clear();
        }
    }

    // The end of cupsd's error log, for a failure message.
    std::string log_tail(std::size_t bytes = 3000) const {
        std::ifstream f(dir + "/log/error_log");
        std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        return s.size() > bytes ? s.substr(s.size() - bytes) : s;
    }

    // The PDFs cups-pdf wrote so far.
    std::vector<std::string> outputs() const {
        std::vector<std::string> v;
        std::error_code ec;
        for (const auto& e : std::filesystem::directory_iterator(out_dir, ec))
            if (e.path().extension() == ".pdf") v.push_back(e.path().string());
        return v;
    }

  private:
    pid_t pid_ = -1;
    std::string pdf_conf_;

    static bool fail(std::string& why, std::string reason) {
        why = std::move(reason);
        return false;
    }
    static void write(const std::string& path, const std::string& text) {
        std::ofstream f(path);
        f << text;
    }
    static int free_port() {
        const int s = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        int port = 0;
        if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
            ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0)
            port = ntohs(a.sin_port);
        ::close(s);
        return port;
    }
    bool wait_port() const {
        for (int i = 0; i < 1000; ++i) {  // ≤ 10 s
            const int s = ::socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in a{};
            a.sin_family = AF_INET;
            a.sin_port = htons(static_cast<std::uint16_t>(port));
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
            ::close(s);
            if (ok) return true;
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) return false;  // cupsd died
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }
    static pid_t spawn(const std::vector<std::string>& args, const std::string& log) {
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_adddup2(&fa, 1, 2);
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        pid_t pid = -1;
        if (posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) != 0) pid = -1;
        posix_spawn_file_actions_destroy(&fa);
        return pid;
    }
};

// A one-page A4 PDF with a line of text (hand-written; offsets computed, so it is valid).
inline std::string tiny_pdf(const std::string& text) {
    std::string body = "%PDF-1.4\n";
    std::vector<std::size_t> off;
    auto obj = [&](const std::string& s) {
        off.push_back(body.size());
        body += std::to_string(off.size()) + " 0 obj\n" + s + "\nendobj\n";
    };
    const std::string stream = "BT /F1 24 Tf 72 720 Td (" + text + ") Tj ET";
    obj("<< /Type /Catalog /Pages 2 0 R >>");
    obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>");
    obj("<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "\nendstream");
    obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    const std::size_t xref = body.size();
    body += "xref\n0 " + std::to_string(off.size() + 1) + "\n0000000000 65535 f \n";
    for (auto o : off) {
        char line[32];
        std::snprintf(line, sizeof line, "%010zu 00000 n \n", o);
        body += line;
    }
    body += "trailer\n<< /Size " + std::to_string(off.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
            std::to_string(xref) + "\n%%EOF\n";
    return body;
}

}  // namespace printer_test
