// IdCardSimulator: a wire-level SAM ID-card reader for tests, the demo and the bench.
//
// Speaks the real protocol (reference: shared/reference/idcard-sam.md) over a pseudo-terminal
// (the driver opens serial:<device_path()>) or over the in-process sim link (sim:<name>), with
// wire pacing at the configured baud (10 bits per byte, 8N1) for requests and replies alike, so
// timing is what a real serial reader gives. Cards are synthetic people for all four layouts
// (valid GB 11643 check characters, plus one deliberately bad), including a rare character.
// Faults: no card, corrupted and fragmented frames, garbage between frames, slow or missing
// replies, SAM failure, card lifted mid-read, a reply stalling mid-frame, unplug/replug, and the
// uncertain "find fails while a read card stays" behaviour.
// Everything here is thread-safe: tests and the devsim control channel call it from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/pty.hpp"
#include "idcard/codec.hpp"
#include "idcard/identity.hpp"

namespace kiosk::idcard {

// [SECTION] Synthetic cards

// Keys: resident (王䶮, rare character U+4DAE), resident-longterm ("长期", appended address),
// permit-hk ('J'), foreign-2017 ('I'), foreign-2023 ('Y', check character X), bad-check (a
// resident card whose check character is wrong).
std::vector<std::string> synthetic_card_keys();
// nullopt for an unknown key.
std::optional<Identity> synthetic_identity(std::string_view key);
// 1024 bytes that start like a WLT photo (the content is noise: no decoder exists anyway).
std::vector<std::uint8_t> synthetic_photo(std::uint32_t seed);

// [SECTION] Simulator

struct SimFaults {
    bool sam_failure = false;                  // SAM status / find answer 60
    bool mute = false;                         // no replies at all (module hung)
    std::chrono::milliseconds reply_delay{0};  // slow replies (added before each reply)
    int corrupt_replies = 0;                   // the next N replies get one flipped byte
    bool fragment = false;                     // replies in 1..17-byte fragments with pauses
    bool garbage_before_reply = false;         // noise bytes before every reply (resync test)
    bool lift_mid_read = false;                // one-shot: the next read answers 41, card is gone
    bool stall_mid_read = false;               // one-shot: the next read stops after half a frame
    bool find_fails_after_read = false;        // "find" answers 80 while a read card stays
};

class IdCardSimulator {
  public:
    struct Options {
        int baud = 115200;
        bool pace = true;       // wire pacing at `baud`
        std::string link_path;  // stable symlink for the pty (replug re-points it)
        std::chrono::milliseconds processing{0};  // module think time per command
        std::size_t fingerprint_bytes = 1024;     // in 30 10 replies (0, 512 or 1024)
    };

    IdCardSimulator();
    explicit IdCardSimulator(Options options);
    ~IdCardSimulator();
    IdCardSimulator(const IdCardSimulator&) = delete;
    IdCardSimulator& operator=(const IdCardSimulator&) = delete;

    // Serve a new pseudo-terminal; false + error when none can be opened.
    bool start_pty(std::string* error = nullptr);
    // Serve the in-process link sim:<name> (registered until stop()).
    bool start_sim_link(const std::string& name);
    void stop();

    // What a driver should open: "serial:<path>?baud=N" or "sim:<name>".
    std::string uri() const;
    std::string device_path() const;  // pty mode: the link (or the slave) path

    // Cards (thread-safe). place() of an unknown key returns false.
    bool place(std::string_view key);
    void place(Identity identity, std::vector<std::uint8_t> photo = {},
               std::vector<std::uint8_t> fingerprint = {}, std::string appended_address = {});
    void remove();
    bool card_present() const;

    SimFaults faults() const;
    void set_faults(const SimFaults& f);

    // Unplug: the pty hangs up and its link disappears (sim link: closed and refused).
    // Replug: a fresh pty behind the same link (sim link: accepted again). Both wait until done.
    void unplug();
    void replug();

    // Counters for tests and the bench.
    std::size_t requests(Command c) const;
    std::size_t reads_served() const;  // successful 30 01 / 30 10 replies

  private:
    struct Card;
    void run();
    void handle(const Request& req);
    void send(std::vector<std::uint8_t> frame, bool stall = false);
    void pace_bytes(std::size_t n, std::chrono::steady_clock::time_point& t);
    void do_request(int r);
    void poke();  // wakes the serving thread (stop, unplug/replug, a new sim-link connection)
    void drain_wake();

    Options options_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::unique_ptr<Card> card_;
    SimFaults faults_;
    bool read_since_placed_ = false;
    std::map<std::uint16_t, std::size_t> counts_;
    std::size_t reads_served_ = 0;

    // I/O state: owned by the serving thread.
    std::unique_ptr<drivers::PtyPair> pty_;
    std::unique_ptr<drivers::Transport> link_;  // the sim link's simulator end
    std::string sim_name_;
    int pending_fd_ = -1;  // a new sim-link connection, adopted by the serving thread
    bool unplugged_ = false;
    int request_ = 0;  // 1 unplug, 2 replug (serving thread acknowledges with 0)
    std::thread thread_;
    std::atomic<bool> stop_{false};
    int wake_fd_ = -1;  // eventfd: the serving thread sleeps on it and its link, nothing else
    std::string pty_path_;
    std::uint32_t rng_ = 0x12345678;
};

}  // namespace kiosk::idcard
