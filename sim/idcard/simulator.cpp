// IdCardSimulator (see simulator.hpp; reference: shared/reference/idcard-sam.md).
#include "simulator.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <map>

#include "common/sim_link.hpp"
#include "idcard/text.hpp"

namespace kiosk::idcard {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

// [SECTION] Synthetic cards

std::vector<std::string> synthetic_card_keys() {
    return {"resident",     "resident-longterm", "permit-hk",
            "foreign-2017", "foreign-2023",      "bad-check"};
}

std::optional<Identity> synthetic_identity(std::string_view key) {
    // Synthetic people: numbers carry correct GB 11643 check characters (except "bad-check"),
    // addresses and authorities are plausible but invented.
    Identity p;
    if (key == "resident" || key == "bad-check") {
        p.type = CardType::Resident;
        p.name = "王䶮";  // 䶮 U+4DAE (CJK Extension A)
        p.sex = Sex::Male;
        p.nation_code = "01";
        p.birth = "19900307";
        p.address = "北京市东城区示例路1号院2号楼303室";
        p.id_number = key == "bad-check" ? "110101199003071234" : "110101199003071233";
        p.authority = "北京市公安局东城分局";
        p.valid_from = "20150101";
        p.valid_to = "20350101";
    } else if (key == "resident-longterm") {
        p.type = CardType::Resident;
        p.name = "欧阳秀英";
        p.sex = Sex::Female;
        p.nation_code = "03";
        p.birth = "19500615";
        p.address = "北京市西城区样例胡同12号";
        p.id_number = "110105195006150022";
        p.authority = "北京市公安局西城分局";
        p.valid_from = "20100801";
        p.long_term = true;
        p.appended_address = "北京市朝阳区新迁街道8号";
    } else if (key == "permit-hk") {
        p.type = CardType::HkMoTwResidence;
        p.name = "陈大文";
        p.sex = Sex::Male;
        p.birth = "19900101";
        p.address = "广东省深圳市福田区示例大道8号";
        p.id_number = "810000199001011230";
        p.authority = "深圳市公安局";
        p.valid_from = "20200101";
        p.valid_to = "20250101";
        p.pass_number = "H12345678";
        p.issue_count = "01";
    } else if (key == "foreign-2017") {
        p.type = CardType::ForeignPermanent2017;
        p.foreign_name = "SMITH, JOHN ALEXANDER";
        p.name = "约翰";
        p.sex = Sex::Male;
        p.id_number = "USA110080010101";
        p.nationality = "USA";
        p.valid_from = "20180301";
        p.valid_to = "20280301";
        p.birth = "19800101";
        p.card_version = "01";
        p.authority = "1100";
    } else if (key == "foreign-2023") {
        p.type = CardType::ForeignPermanent2023;
        p.name = "玛丽";
        p.sex = Sex::Female;
        p.renewal_count = "00";
        p.birth = "19850520";
        p.foreign_name = "MARTIN-DUBOIS, MARIE CLAIRE ELISABETH ANNICK";
        p.id_number = "93310019850520001X";
        p.authority = "上海市公安局";
        p.valid_from = "20230601";
        p.valid_to = "20330601";
        p.nationality = "FRA";
    } else {
        return std::nullopt;
    }
    return p;
}

std::vector<std::uint8_t> synthetic_photo(std::uint32_t seed) {
    std::vector<std::uint8_t> p = {0x57, 0x4C, 0x66, 0x00, 0x7E, 0x00,
                                   0x32, 0x00, 0x00, 0xFF, 0x85};
    std::uint32_t x = seed | 1;
    while (p.size() < 1024) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        p.push_back(static_cast<std::uint8_t>(x));
    }
    return p;
}

// [SECTION] Simulator

struct IdCardSimulator::Card {
    std::vector<std::uint8_t> text;
    std::vector<std::uint8_t> photo;
    std::vector<std::uint8_t> fingerprint;
    std::string appended_address;
    ~Card() {
        secure_wipe(text);
        secure_wipe(photo);
        secure_wipe(fingerprint);
        secure_wipe(appended_address);
    }
};

IdCardSimulator::IdCardSimulator() : IdCardSimulator(Options{}) {}
IdCardSimulator::IdCardSimulator(Options options)
    : options_(std::move(options)), wake_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}
IdCardSimulator::~IdCardSimulator() {
    stop();
    if (wake_fd_ >= 0) ::close(wake_fd_);
}

void IdCardSimulator::drain_wake() {
    std::uint64_t n = 0;
    if (wake_fd_ < 0 || ::read(wake_fd_, &n, sizeof n) < 0) return;  // nothing was waiting
}

void IdCardSimulator::poke() {
    if (wake_fd_ < 0) return;
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
}

bool IdCardSimulator::start_pty(std::string* error) {
    stop();
    auto pty = std::make_unique<drivers::PtyPair>(options_.link_path);
    if (pty->open() != drivers::TransportError::None) {
        if (error) *error = pty->error();
        return false;
    }
    pty_path_ = pty->device_path();
    pty_ = std::move(pty);
    stop_ = false;
    unplugged_ = false;
    thread_ = std::thread([this] { run(); });
    return true;
}

bool IdCardSimulator::start_sim_link(const std::string& name) {
    stop();
    sim_name_ = name;
    stop_ = false;
    unplugged_ = false;
    drivers::register_sim_endpoint(name, [this](int fd) {
        std::lock_guard lock(mutex_);
        if (unplugged_ || stop_) return false;
        if (pending_fd_ >= 0) ::close(pending_fd_);
        pending_fd_ = fd;
        poke();
        return true;
    });
    thread_ = std::thread([this] { run(); });
    return true;
}

void IdCardSimulator::stop() {
    if (!sim_name_.empty()) drivers::unregister_sim_endpoint(sim_name_);
    stop_ = true;
    poke();
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mutex_);
    if (pending_fd_ >= 0) ::close(pending_fd_);
    pending_fd_ = -1;
    link_.reset();
    pty_.reset();
    sim_name_.clear();
}

std::string IdCardSimulator::uri() const {
    if (!sim_name_.empty()) return "sim:" + sim_name_;
    return "serial:" + pty_path_ + "?baud=" + std::to_string(options_.baud);
}

std::string IdCardSimulator::device_path() const {
    return pty_path_;
}

bool IdCardSimulator::place(std::string_view key) {
    auto id = synthetic_identity(key);
    if (!id) return false;
    std::uint32_t seed = 0;
    for (char c : key) seed = seed * 31 + static_cast<unsigned char>(c);
    std::string addr = id->appended_address;
    std::vector<std::uint8_t> fp(options_.fingerprint_bytes, 0);
    for (std::size_t i = 0; i < fp.size(); ++i) fp[i] = static_cast<std::uint8_t>(i * 7 + seed);
    place(std::move(*id), synthetic_photo(seed), std::move(fp), std::move(addr));
    return true;
}

void IdCardSimulator::place(Identity identity, std::vector<std::uint8_t> photo,
                            std::vector<std::uint8_t> fingerprint, std::string appended_address) {
    auto card = std::make_unique<Card>();
    card->text = encode_text(identity);
    card->photo = photo.empty() ? synthetic_photo(1) : std::move(photo);
    card->fingerprint = std::move(fingerprint);
    card->appended_address = std::move(appended_address);
    std::lock_guard lock(mutex_);
    card_ = std::move(card);
    read_since_placed_ = false;
}

void IdCardSimulator::remove() {
    std::lock_guard lock(mutex_);
    card_.reset();
    read_since_placed_ = false;
}

bool IdCardSimulator::card_present() const {
    std::lock_guard lock(mutex_);
    return card_ != nullptr;
}

SimFaults IdCardSimulator::faults() const {
    std::lock_guard lock(mutex_);
    return faults_;
}

void IdCardSimulator::set_faults(const SimFaults& f) {
    std::lock_guard lock(mutex_);
    faults_ = f;
}

void IdCardSimulator::unplug() {
    std::unique_lock lock(mutex_);
    if (!thread_.joinable()) return;
    request_ = 1;
    poke();
    cv_.wait(lock, [&] { return request_ == 0 || stop_; });
}

void IdCardSimulator::replug() {
    std::unique_lock lock(mutex_);
    if (!thread_.joinable()) return;
    request_ = 2;
    poke();
    cv_.wait(lock, [&] { return request_ == 0 || stop_; });
}

std::size_t IdCardSimulator::requests(Command c) const {
    std::lock_guard lock(mutex_);
    auto it = counts_.find(static_cast<std::uint16_t>(c));
    return it == counts_.end() ? 0 : it->second;
}

std::size_t IdCardSimulator::reads_served() const {
    std::lock_guard lock(mutex_);
    return reads_served_;
}

// Called on the serving thread with mutex_ held.
void IdCardSimulator::do_request(int r) {
    if (r == 1) {
        unplugged_ = true;
        if (pty_) pty_->close();
        link_.reset();
        if (pending_fd_ >= 0) ::close(pending_fd_);
        pending_fd_ = -1;
    } else if (r == 2) {
        unplugged_ = false;
        if (pty_ && pty_->open() == drivers::TransportError::None) pty_path_ = pty_->device_path();
    }
}

void IdCardSimulator::pace_bytes(std::size_t n, SteadyClock::time_point& t) {
    if (!options_.pace || options_.baud <= 0) return;
    // 8N1: ten bit times per byte.
    t += std::chrono::nanoseconds(static_cast<long long>(n) * 10'000'000'000LL / options_.baud);
    std::this_thread::sleep_until(t);
}

void IdCardSimulator::send(std::vector<std::uint8_t> frame, bool stall) {
    SimFaults f;
    {
        std::lock_guard lock(mutex_);
        f = faults_;
        if (faults_.corrupt_replies > 0) --faults_.corrupt_replies;
    }
    if (f.mute) return;
    if (f.reply_delay > 0ms) std::this_thread::sleep_for(f.reply_delay);
    if (f.corrupt_replies > 0 && frame.size() > 8) frame[7 + (frame.size() - 8) / 2] ^= 0x5A;
    if (f.garbage_before_reply) frame.insert(frame.begin(), {0x00, 0xAA, 0x55, 0xAA, 0x96, 0x13});
    if (stall) frame.resize(frame.size() / 2);
    drivers::Transport* t = pty_ ? static_cast<drivers::Transport*>(pty_.get()) : link_.get();
    if (!t) return;
    auto clock = SteadyClock::now();
    std::size_t pos = 0;
    while (pos < frame.size() && !stop_) {
        std::size_t chunk = 64;  // pacing granularity: 5.6 ms of wire time at 115200
        if (f.fragment) {
            rng_ ^= rng_ << 13, rng_ ^= rng_ >> 17, rng_ ^= rng_ << 5;
            chunk = 1 + rng_ % 17;
        }
        chunk = std::min(chunk, frame.size() - pos);
        pace_bytes(chunk, clock);
        if (!t->write(std::span(frame).subspan(pos, chunk)).ok()) break;
        pos += chunk;
        if (f.fragment && !options_.pace) std::this_thread::sleep_for(1ms);
    }
    secure_wipe(frame);
}

void IdCardSimulator::handle(const Request& req) {
    std::vector<std::uint8_t> reply;
    bool stall = false;
    {
        std::lock_guard lock(mutex_);
        ++counts_[req.cmd == 0x60 ? std::uint16_t{0x6000} : req.code()];
        const bool sam_ok = !faults_.sam_failure;
        const bool present = card_ != nullptr;
        switch (req.code()) {
            case 0x10FF:
            case 0x11FF:
                reply = encode_response(sam_ok ? 0x90 : 0x60);
                break;
            case 0x12FF:
                reply = sam_ok ? encode_response(
                                     0x90, encode_sam_id_data(5, 2, 20240101, 123456789, 987654321))
                               : encode_response(0x60);
                break;
            case 0x2001: {
                const bool hidden = faults_.find_fails_after_read && read_since_placed_;
                if (!sam_ok)
                    reply = encode_response(0x60);
                else if (present && !hidden)
                    reply = encode_response(0x9F, std::vector<std::uint8_t>(4, 0));
                else
                    reply = encode_response(0x80);
                break;
            }
            case 0x2002:
                reply = present ? encode_response(0x90, std::vector<std::uint8_t>(8, 0))
                                : encode_response(0x81);
                break;
            case 0x3001:
            case 0x3010: {
                if (!present) {
                    reply = encode_response(0x41);
                } else if (faults_.lift_mid_read) {
                    faults_.lift_mid_read = false;
                    card_.reset();
                    read_since_placed_ = false;
                    reply = encode_response(0x41);
                } else {
                    const bool fp = req.para == 0x10;
                    auto data = encode_card_data(
                        card_->text, card_->photo,
                        fp ? std::optional<std::span<const std::uint8_t>>(card_->fingerprint)
                           : std::nullopt);
                    reply = encode_response(0x90, data);
                    secure_wipe(data);
                    if (faults_.stall_mid_read) {
                        faults_.stall_mid_read = false;
                        stall = true;
                    } else {
                        ++reads_served_;
                        read_since_placed_ = true;
                    }
                }
                break;
            }
            case 0x3003:
                if (!present)
                    reply = encode_response(0x41);
                else if (card_->appended_address.empty())
                    reply = encode_response(0x91);
                else
                    reply = encode_response(0x90, encode_address(card_->appended_address));
                break;
            default:
                if (req.cmd == 0x60 && req.para <= 4) {
                    static constexpr int rates[] = {115200, 57600, 38400, 19200, 9600};
                    reply = encode_response(0x90);
                    options_.baud = rates[req.para];
                } else {
                    reply = encode_response(0x21);
                }
        }
    }
    if (options_.processing > 0ms) std::this_thread::sleep_for(options_.processing);
    send(std::move(reply), stall);
}

void IdCardSimulator::run() {
    FrameAccumulator acc;
    std::vector<std::uint8_t> buf(4096);
    while (!stop_) {
        drivers::Transport* t = nullptr;
        {
            std::lock_guard lock(mutex_);
            if (request_) {
                do_request(request_);
                request_ = 0;
                acc.reset();
                cv_.notify_all();
            }
            if (pending_fd_ >= 0) {
                link_ = std::make_unique<drivers::AdoptedFdTransport>(pending_fd_, true, "sim");
                pending_fd_ = -1;
                acc.reset();
            }
            if (!unplugged_) t = pty_ ? static_cast<drivers::Transport*>(pty_.get()) : link_.get();
        }
        if (!t || !t->is_open()) {
            // Unplugged or not yet connected: wait for a request, a connection or stop.
            pollfd p{wake_fd_, POLLIN, 0};
            if (wake_fd_ < 0 || ::poll(&p, 1, 100) < 0) std::this_thread::sleep_for(5ms);
            drain_wake();
            continue;
        }
        // An idle simulator costs nothing (it runs inside the demo kiosk): it sleeps until the
        // driver writes or stop / unplug / replug poke it. Without an eventfd: a tenth of a second.
        const bool wakeable = wake_fd_ >= 0 && t->can_wake();
        auto r = wakeable ? t->read_or_wake(buf, 60'000ms, wake_fd_) : t->read(buf, 100ms);
        if (wakeable && r.error == drivers::TransportError::Timeout) drain_wake();
        if (r.error == drivers::TransportError::Gone) {
            std::lock_guard lock(mutex_);
            if (!pty_)
                link_.reset();  // the driver closed its end of the sim link
            else
                std::this_thread::sleep_for(5ms);
            continue;
        }
        if (!r.ok()) continue;
        auto arrived = SteadyClock::now();
        acc.feed(std::span<const std::uint8_t>(buf.data(), r.bytes));
        while (auto item = acc.next()) {
            if (item->error == FrameError::BadChecksum) {
                send(encode_response(0x10));
                continue;
            }
            if (item->error != FrameError::None) continue;
            Request req;
            if (parse_request(item->frame, req) != FrameError::None) continue;
            // The host wrote the request at memory speed; on a real line it took its wire time.
            pace_bytes(item->frame.size(), arrived);
            handle(req);
        }
    }
}

}  // namespace kiosk::idcard
