// Locker operations service (see service.hpp). Reference: ../shared/reference/locker-boards.md,
// "How working locker systems run".
#include "locker/service.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>

#include "base/log.hpp"

namespace kiosk::locker {
namespace {
using Clock = std::chrono::steady_clock;

std::shared_ptr<spdlog::logger> lg() {
    return kiosk::log::get("locker");
}

}  // namespace

const char* to_string(LockerEvent::Type t) {
    using T = LockerEvent::Type;
    switch (t) {
        case T::UnlockSent:
            return "unlock_sent";
        case T::AlreadyOpen:
            return "already_open";
        case T::Opened:
            return "opened";
        case T::OpenedAndClosed:
            return "opened_and_closed";
        case T::Closed:
            return "closed";
        case T::Jammed:
            return "jammed";
        case T::NoReply:
            return "no_reply";
        case T::LeftOpen:
            return "left_open";
        case T::Tamper:
            return "tamper";
        case T::BoardOffline:
            return "board_offline";
        case T::BoardOnline:
            return "board_online";
        case T::Reported:
            return "reported";
        case T::SensorAlert:
            return "sensor_alert";
    }
    return "?";
}

LockerService::LockerService(LockerConfig cfg, Journal& journal, OperationReporter& reporter,
                             ServiceOptions options)
    : bank_(std::move(cfg)), journal_(journal), reporter_(reporter), options_(std::move(options)) {
    const Timing& t = bank_.config().timing;
    for (const auto& bc : bank_.config().buses) {
        std::unique_ptr<drivers::Transport> tr;
        std::string err;
        if (options_.make_transport)
            tr = options_.make_transport(bc);
        else
            tr = drivers::make_transport(bc.uri, &err);
        if (!tr) lg()->error("bus {}: bad transport URI: {}", bc.name, err);
        buses_.push_back(std::make_unique<BoardBus>(std::move(tr), *bc.dialect, t.reply_timeout,
                                                    t.silence_gap, t.query_retries,
                                                    bc.unlock_reply));
        const std::size_t index = buses_.size() - 1;
        buses_.back()->on_report = [this, index](const DoorReport& r) { apply_report(index, r); };
    }
    diag_.resize(buses_.size());
    wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

LockerService::~LockerService() {
    stop();
    if (wake_fd_ >= 0) ::close(wake_fd_);
}

std::vector<std::map<std::string, std::uint64_t>> LockerService::diagnostics() const {
    std::lock_guard lock(mu_);
    return diag_;
}

void LockerService::apply_report(std::size_t bus, const DoorReport& r) {
    // An unsolicited door report: better evidence than the next poll, applied at once. Called
    // from inside a bus exchange on the service thread, with mu_ not held.
    std::vector<std::string> done;
    std::lock_guard lock(mu_);
    const CompartmentConfig* cc = nullptr;
    for (const auto& c : bank_.config().compartments)
        if (bank_.config().banks[c.bank].bus == bus && c.board == r.board && c.channel == r.channel)
            cc = &c;
    if (!cc) {
        lg()->warn("bus {}: door report for board {} channel {}, which no compartment uses",
                   buses_[bus]->describe(), r.board, r.channel);
        return;
    }
    const int n = cc->number;
    const Door d = bank_.door_from_raw(n, r.lock_raw);
    bank_.set_door(n, d);
    if (d == Door::Closed) tamper_raised_[n] = false;
    for (auto& [k, a] : active_) {
        if (a.rec.compartment != n) continue;
        // "Closed" reported for a door we fired: it opened in between (the report is sent when
        // a door shuts), so a fast open-and-close is settled now, not after open_detect.
        if (d == Door::Closed && a.rec.step == Step::UnlockSent && a.rec.fired) a.evidence = true;
        evaluate(a, done);
    }
    for (const auto& k : done) active_.erase(k);
    if (d == Door::Open && !busy_.count(n) && !tamper_raised_[n]) {
        tamper_raised_[n] = true;
        emit({LockerEvent::Type::Tamper, {}, n});
    }
}

void LockerService::set_event_handler(std::function<void(const LockerEvent&)> handler) {
    handler_ = std::move(handler);
}

void LockerService::emit(LockerEvent e) {
    // Keys stay out of the log (they may be derived from a pickup code); numbers are not personal.
    using T = LockerEvent::Type;
    const bool alarm = e.type == T::Jammed || e.type == T::Tamper || e.type == T::LeftOpen ||
                       e.type == T::NoReply || e.type == T::BoardOffline;
    lg()->log(alarm ? spdlog::level::warn : spdlog::level::debug, "{} compartment {} {}",
              to_string(e.type), e.compartment,
              e.outcome == Outcome::None ? "" : to_string(e.outcome));
    std::lock_guard lock(ev_mu_);
    events_.push_back(std::move(e));
}

void LockerService::flush_events() {
    {
        // The diagnostics are as new as the events about to be heard (service thread: the
        // buses are only touched here).
        std::lock_guard lock(mu_);
        for (std::size_t i = 0; i < buses_.size(); ++i) diag_[i] = buses_[i]->variants();
    }
    std::vector<LockerEvent> batch;
    {
        std::lock_guard lock(ev_mu_);
        batch.swap(events_);
    }
    if (handler_)
        for (const auto& e : batch) handler_(e);
}

LockerService::BoardKey LockerService::board_of(int compartment) const {
    const auto* c = bank_.find(compartment);
    return {bank_.config().banks[c->bank].bus, c->board};
}

int LockerService::channels_on(BoardKey b) const {
    int n = 1;
    for (const auto& c : bank_.config().compartments)
        if (bank_.config().banks[c.bank].bus == b.bus && c.board == b.board)
            n = std::max({n, c.channel, bank_.config().banks[c.bank].board_channels});
    // Ask for whole status bytes: an 8-channel board answers with one, a 32-channel with four.
    return std::min(((n + 7) / 8) * 8, buses_[b.bus]->dialect().max_channels);
}

bool LockerService::start() {
    if (running_) return true;
    // Failsafe: nothing is fired at start-up. Both dialects drive their locks with a timed pulse,
    // so no relay can be left energised by a crash; a dialect with latching relays would add an
    // "all off" request here. What remains is to re-read every door and reconcile the journal.
    for (const auto& [n, row] : journal_.inventory()) {
        if (!bank_.find(n)) continue;
        bank_.set_inventory(n, row.inventory, row.since_ms);
        bank_.set_faulty(n, row.faulty);
    }
    reconcile();
    flush_events();
    running_ = true;
    thread_ = std::thread([this] { run(); });
    return true;
}

void LockerService::stop() {
    if (!running_.exchange(false)) return;
    cv_.notify_all();
    if (wake_fd_ >= 0) {
        const std::uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
    }
    if (thread_.joinable()) thread_.join();
}

void LockerService::reconcile() {
    const auto ops = journal_.unfinished();
    {
        std::lock_guard lock(mu_);
        for (const auto& r : ops)
            if (r.step < Step::Closed && bank_.find(r.compartment)) busy_.insert(r.compartment);
    }
    scan_all();
    std::vector<std::string> done;
    std::lock_guard lock(mu_);
    for (const auto& r : ops) {
        if (!bank_.find(r.compartment)) {
            lg()->error("journal names compartment {} which the configuration lacks",
                        r.compartment);
            continue;
        }
        switch (r.step) {
            case Step::Intent:
                // Never fired. The person who asked is long gone: do not open now.
                settle(r, Outcome::Cancelled);
                break;
            case Step::UnlockSent:
            case Step::Opened: {
                Active a{r};
                a.recovered = true;
                a.open_deadline = Clock::now();
                a.opened_at = Clock::now();
                active_[r.key] = a;
                break;
            }
            case Step::Closed:
                to_report_[r.key] = r;
                break;
            case Step::Reported:
                break;
        }
    }
    for (auto& [key, a] : active_) evaluate(a, done);
    for (const auto& k : done) active_.erase(k);
}

LockerService::Admit LockerService::admit(const std::string& key, OpKind kind, int compartment) {
    OpRecord rec;
    {
        std::lock_guard lock(mu_);
        if (!bank_.find(compartment)) return Admit::NoSuchCompartment;
        if (journal_.find(key)) return Admit::Duplicate;
        if (busy_.count(compartment)) return Admit::NotAvailable;
        if (kind != OpKind::StaffOpen) {
            if (bank_.faulty(compartment) || bank_.door(compartment) == Door::Unknown)
                return Admit::NotAvailable;
            const Inventory inv = bank_.inventory(compartment);
            if (kind == OpKind::Pickup && inv != Inventory::Occupied) return Admit::WrongState;
            if (kind == OpKind::Deposit && inv != Inventory::Free) return Admit::WrongState;
        }
        rec.key = key;
        rec.kind = kind;
        rec.compartment = compartment;
        std::optional<InventoryRow> inv;
        if (kind == OpKind::Deposit) inv = InventoryRow{Inventory::Reserved, false};
        // Intent needs no fsync: losing it in a power cut loses an operation that never fired.
        if (!journal_.add_intent(rec, Sync::Normal, inv)) {
            if (journal_.find(key)) return Admit::Duplicate;
            lg()->error("journal: {}", journal_.last_error());
            return Admit::JournalError;
        }
        if (kind == OpKind::Deposit) bank_.set_inventory(compartment, Inventory::Reserved);
        busy_.insert(compartment);
        to_fire_.push_back(rec);
    }
    cv_.notify_all();
    if (wake_fd_ >= 0) {  // a bus listener for door reports wakes at once
        const std::uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
    }
    crash("intent");
    return Admit::Accepted;
}

LockerService::Admit LockerService::start_pickup(const std::string& key, int compartment) {
    return admit(key, OpKind::Pickup, compartment);
}
LockerService::Admit LockerService::start_deposit(const std::string& key, int compartment) {
    return admit(key, OpKind::Deposit, compartment);
}
LockerService::Admit LockerService::start_deposit(const std::string& key, Size min, int& chosen) {
    std::optional<int> c;
    {
        std::lock_guard lock(mu_);
        std::vector<int> busy(busy_.begin(), busy_.end());
        c = bank_.choose_free(min, busy);
    }
    if (!c) return Admit::NotAvailable;
    chosen = *c;
    return admit(key, OpKind::Deposit, *c);
}
LockerService::Admit LockerService::staff_open(const std::string& key, int compartment) {
    return admit(key, OpKind::StaffOpen, compartment);
}

int LockerService::staff_open_all(const std::string& key, int bus, int board) {
    if (key.empty() || bus < 0 || static_cast<std::size_t>(bus) >= buses_.size()) return 0;
    std::vector<int> doors;
    {
        std::lock_guard lock(mu_);
        for (const auto& c : bank_.config().compartments)
            if (bank_.config().banks[c.bank].bus == static_cast<std::size_t>(bus) &&
                c.board == board)
                doors.push_back(c.number);
    }
    int admitted = 0;
    for (int n : doors)
        if (admit(key + "#" + std::to_string(n), OpKind::StaffOpen, n) == Admit::Accepted)
            ++admitted;
    lg()->info("staff open-all: bus {} board {}: {} of {} compartments", bus, board, admitted,
               doors.size());
    return admitted;
}

bool LockerService::find_boards(std::function<void(BoardsFound)> done) {
    if (!done || !running_) return false;
    {
        std::lock_guard lock(mu_);
        if (find_boards_) return false;
        find_boards_ = std::move(done);
    }
    cv_.notify_all();
    return true;
}

BoardsFound LockerService::search_boards() {
    BoardsFound out;
    const LockerConfig& cfg = bank_.config();
    for (std::size_t b = 0; b < buses_.size() && b < cfg.buses.size(); ++b) {
        BoardsFound::Bus r;
        r.bus = b;
        r.name = cfg.buses[b].name;
        r.dialect = std::string(buses_[b]->dialect().name);
        r.link = buses_[b]->describe();
        std::set<int> configured;
        int channels = 1;
        for (const auto& c : cfg.compartments) {
            if (cfg.banks[c.bank].bus != b) continue;
            configured.insert(c.board);
            channels = std::max(channels, channels_on({b, c.board}));
        }
        r.configured.assign(configured.begin(), configured.end());
        const DialectProfile& d = buses_[b]->dialect();
        if (d.framing == Framing::StxEtxSum) {
            r.method = "list";
            r.error = buses_[b]->list_boards(r.answering);
        } else {
            r.method = "probe";
            r.probed_from = d.min_board;
            r.probed_to = std::min(d.max_board,
                                   (configured.empty() ? d.min_board : *configured.rbegin()) + 2);
            r.answering = buses_[b]->probe_boards(r.probed_from, r.probed_to, channels);
            r.error = r.answering.empty() ? BusError::NoReply : BusError::None;
        }
        lg()->info("boards on bus {} ({}): {} configured, {} answering", b, r.dialect,
                   r.configured.size(), r.answering.size());
        out.buses.push_back(std::move(r));
    }
    return out;
}

bool LockerService::staff_clear(int compartment, Inventory inventory) {
    std::lock_guard lock(mu_);
    if (!bank_.find(compartment) || busy_.count(compartment)) return false;
    if (!journal_.set_inventory(compartment, {inventory, false}, Sync::Full)) return false;
    bank_.set_faulty(compartment, false);
    bank_.set_inventory(compartment, inventory);
    return true;
}

bool LockerService::staff_set_faulty(int compartment, bool faulty) {
    std::lock_guard lock(mu_);
    if (!bank_.find(compartment) || busy_.count(compartment)) return false;
    Inventory inv = bank_.inventory(compartment);
    if (!faulty && inv == Inventory::Reserved) inv = Inventory::Free;
    if (!journal_.set_inventory(compartment, {inv, faulty}, Sync::Full)) return false;
    bank_.set_faulty(compartment, faulty);
    bank_.set_inventory(compartment, inv);
    return true;
}

CompartmentState LockerService::state(int compartment) const {
    std::lock_guard lock(mu_);
    return bank_.state(compartment);
}

std::vector<LockerService::CompartmentView> LockerService::snapshot() const {
    std::lock_guard lock(mu_);
    std::vector<CompartmentView> v;
    for (const auto& c : bank_.config().compartments)
        v.push_back({c.number, c.size, bank_.state(c.number)});
    return v;
}

std::vector<int> LockerService::overdue(std::chrono::milliseconds retention) const {
    std::lock_guard lock(mu_);
    std::vector<int> v;
    const std::int64_t cutoff = wall_ms() - retention.count();
    for (const auto& c : bank_.config().compartments)
        if (bank_.inventory(c.number) == Inventory::Occupied &&
            bank_.inventory_since(c.number) <= cutoff)
            v.push_back(c.number);
    return v;
}

bool LockerService::idle() const {
    std::lock_guard lock(mu_);
    return to_fire_.empty() && active_.empty() && to_report_.empty() && !firing_;
}

void LockerService::run() {
    while (running_) {
        std::optional<OpRecord> f;
        {
            std::lock_guard lock(mu_);
            if (!to_fire_.empty()) {
                f = to_fire_.front();
                to_fire_.pop_front();
                firing_ = true;
            }
        }
        if (f) {  // unlocks jump ahead of polls
            fire(*f);
            flush_events();
            // The first look at the door comes one poll interval after the pulse, as every later
            // one: a fast open-and-close in between is what the evidence rule is for.
            next_poll_ = Clock::now() + bank_.config().timing.poll_interval;
            std::lock_guard lock(mu_);
            firing_ = false;
            continue;
        }
        const Timing& t = bank_.config().timing;
        bool has_active;
        std::function<void(BoardsFound)> search;
        {
            std::lock_guard lock(mu_);
            has_active = !active_.empty();
            // A board search waits until no door is fired or watched (it holds the bus).
            if (!has_active && to_fire_.empty() && find_boards_) {
                search = std::move(find_boards_);
                find_boards_ = nullptr;
            }
        }
        if (search) {
            search(search_boards());
            continue;
        }
        auto now = Clock::now();
        if (has_active && now >= next_poll_) {
            poll_active();
            next_poll_ = Clock::now() + t.poll_interval;
        }
        now = Clock::now();
        if (now >= next_scan_) {
            scan_all();
            next_scan_ = Clock::now() + t.idle_scan;
        }
        bool has_reports;
        {
            std::lock_guard lock(mu_);
            has_reports = !to_report_.empty();
        }
        if (has_reports && Clock::now() >= next_report_) report_pending();
        flush_events();

        std::unique_lock lock(mu_);
        auto until = next_scan_;
        if (!active_.empty()) until = std::min(until, next_poll_);
        if (!to_report_.empty()) until = std::min(until, std::max(next_report_, Clock::now()));
        bool listen = false;
        for (const auto& bc : bank_.config().buses) listen = listen || bc.reports;
        if (!listen) {
            cv_.wait_until(lock, until, [&] {
                return !running_ || !to_fire_.empty() || (find_boards_ && active_.empty());
            });
            continue;
        }
        lock.unlock();
        wait_idle_until(until);
    }
}

void LockerService::wait_idle_until(Clock::time_point until) {
    // Buses whose boards send door reports are read while idle, so a report is applied when it
    // arrives; a queued unlock wakes the listener through wake_fd_ (or within one slice).
    std::vector<std::size_t> reporting;
    for (std::size_t i = 0; i < bank_.config().buses.size(); ++i)
        if (bank_.config().buses[i].reports) reporting.push_back(i);
    for (;;) {
        if (wake_fd_ >= 0) {
            std::uint64_t v = 0;
            [[maybe_unused]] auto n = ::read(wake_fd_, &v, sizeof v);
        }
        {
            std::lock_guard lock(mu_);
            if (!running_ || !to_fire_.empty()) return;
        }
        const auto now = Clock::now();
        if (now >= until) return;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - now);
        if (left.count() < 1) left = std::chrono::milliseconds(1);
        for (std::size_t i : reporting) {
            const auto slice = reporting.size() == 1 && buses_[i]->can_wake()
                                   ? left
                                   : std::min(left, std::chrono::milliseconds(50));
            const int got = buses_[i]->listen(slice, wake_fd_);
            if (got > 0) flush_events();
            if (got < 0) {  // link down: wait the slice out here (reopened by the next scan)
                std::unique_lock lock(mu_);
                cv_.wait_for(lock, slice, [&] { return !running_ || !to_fire_.empty(); });
            }
        }
    }
}

bool LockerService::read_board(BoardKey b) {
    BoardRead rd;
    const auto err = buses_[b.bus]->query_board(b.board, channels_on(b), rd);
    std::vector<LockerEvent> events;
    {
        std::lock_guard lock(mu_);
        auto it = board_online_.find(b);
        const bool was_known = it != board_online_.end();
        const bool was_online = was_known && it->second;
        if (err != BusError::None) {
            for (const auto& c : bank_.config().compartments)
                if (board_of(c.number) == b) bank_.set_door(c.number, Door::Unknown);
            if (!was_known || was_online) {
                lg()->warn("bus {} board {}: {}", buses_[b.bus]->describe(), b.board,
                           to_string(err));
                events.push_back({LockerEvent::Type::BoardOffline,
                                  {},
                                  0,
                                  Outcome::None,
                                  static_cast<int>(b.bus),
                                  b.board});
            }
            board_online_[b] = false;
        } else {
            if (was_known && !was_online)
                events.push_back({LockerEvent::Type::BoardOnline,
                                  {},
                                  0,
                                  Outcome::None,
                                  static_cast<int>(b.bus),
                                  b.board});
            board_online_[b] = true;
            for (const auto& c : bank_.config().compartments) {
                if (board_of(c.number) != b) continue;
                const auto ch = static_cast<std::size_t>(c.channel - 1);
                if (ch >= rd.lock_raw.size()) continue;
                const Door before = bank_.door(c.number);
                const Door now = bank_.door_from_raw(c.number, rd.lock_raw[ch]);
                bank_.set_door(c.number, now);
                if (bank_.bank_of(c.number).item_sensors && ch < rd.item_raw.size())
                    bank_.set_item(c.number, bank_.item_from_raw(c.number, rd.item_raw[ch]));
                if (now == Door::Closed) tamper_raised_[c.number] = false;
                if (now == Door::Open && !busy_.count(c.number) && !tamper_raised_[c.number]) {
                    // Open with no unlock of ours. Found open at start-up or when the board
                    // came back: left open (or forced while we were down); otherwise tamper.
                    tamper_raised_[c.number] = true;
                    events.push_back({before == Door::Closed ? LockerEvent::Type::Tamper
                                                             : LockerEvent::Type::LeftOpen,
                                      {},
                                      c.number,
                                      Outcome::None,
                                      0,
                                      0});
                }
            }
        }
    }
    for (auto& e : events) emit(std::move(e));
    return err == BusError::None;
}

void LockerService::scan_all() {
    std::set<BoardKey> boards;
    {
        std::lock_guard lock(mu_);
        for (const auto& c : bank_.config().compartments) boards.insert(board_of(c.number));
    }
    for (const auto& b : boards) {
        {
            // An unlock waiting behind a long scan would make a person wait: let it go first.
            std::lock_guard lock(mu_);
            if (!to_fire_.empty()) return;
        }
        read_board(b);
    }
}

void LockerService::poll_active() {
    std::set<BoardKey> boards;
    {
        std::lock_guard lock(mu_);
        for (const auto& [k, a] : active_) boards.insert(board_of(a.rec.compartment));
    }
    for (const auto& b : boards) read_board(b);
    std::vector<std::string> done;
    std::lock_guard lock(mu_);
    for (auto& [k, a] : active_) evaluate(a, done);
    for (const auto& k : done) active_.erase(k);
}

void LockerService::fire(OpRecord rec) {
    const int c = rec.compartment;
    BoardKey b;
    const CompartmentConfig* cc;
    bool sensors;
    {
        std::lock_guard lock(mu_);
        b = board_of(c);
        cc = bank_.find(c);
        sensors = bank_.bank_of(c).item_sensors;
    }
    const bool staff = rec.kind == OpKind::StaffOpen;
    // Read the door before firing.
    const bool read_ok = read_board(b);
    std::unique_lock lock(mu_);
    if (!read_ok && !staff) {
        emit({LockerEvent::Type::NoReply, rec.key, c});
        settle(rec, Outcome::NoReply);
        return;
    }
    const Door door = bank_.door(c);
    const Item item = bank_.item(c);
    const int item_before = sensors && item != Item::Unknown ? (item == Item::Present ? 1 : 0) : -1;
    rec.item_before = item_before;
    Active a{rec};
    // A citizen's pickup is never refused because the sensor reads "open": the door may be shut
    // on a broken sensor, or shut but unlatched. Fire anyway, say so in the journal (with
    // unlock_sent, fsynced, before the frame leaves) and ask for maintenance. A deposit into a
    // door that reads open is not fired (nothing to release; it is watched until it shuts).
    const bool sensor_open = !staff && door == Door::Open && rec.kind == OpKind::Pickup;
    if (!staff && door == Door::Open && !sensor_open) {
        // Already open: firing would add nothing; watch it close.
        journal_.advance(rec.key, Step::Opened, Outcome::None, Sync::Normal, std::nullopt,
                         item_before);
        a.rec.step = Step::Opened;
        a.opened_at = Clock::now();
        active_[rec.key] = a;
        emit({LockerEvent::Type::AlreadyOpen, rec.key, c});
        return;
    }
    // The step that prevents a doubled opening: durable BEFORE the frame goes out.
    if (!journal_.advance(rec.key, Step::UnlockSent, Outcome::None, Sync::Full, std::nullopt,
                          item_before, sensor_open)) {
        lg()->error("journal: {}; not firing compartment {}", journal_.last_error(), c);
        settle(rec, Outcome::Cancelled);
        return;
    }
    if (sensor_open) {
        lg()->warn("compartment {}: sensor said open before the pulse; firing the pickup anyway",
                   c);
        a.rec.sensor_open_before = true;
        a.sensor_open = true;
        emit({LockerEvent::Type::SensorAlert, {}, c});
    }
    crash("unlock_sent");
    BoardBus& bus = *buses_[b.bus];
    bus.on_unlock_written = [this, c] {
        if (options_.on_unlock_written) options_.on_unlock_written(c);
    };
    // The exchange (up to the reply timeout) runs without mu_ so state() and start_*() never
    // wait on the wire; the compartment is in busy_, so nobody else can touch it meanwhile.
    lock.unlock();
    const UnlockResult res = bus.unlock(cc->board, cc->channel);
    bus.on_unlock_written = nullptr;
    crash("unlock_written");
    lock.lock();
    a.rec.step = Step::UnlockSent;
    a.rec.fired = true;
    // The unlock reply is the first evidence of the pulse (8A/80 always; Kerong boards that
    // answer): a reply saying "open" means it opened even if every poll then sees it shut.
    a.evidence = res.replied && res.has_state && bank_.door_from_raw(c, res.lock_raw) == Door::Open;
    if (res.replied && !res.has_state)
        lg()->debug("compartment {}: the board acknowledged the unlock", c);
    a.open_deadline = Clock::now() + bank_.config().timing.open_detect;
    if (res.error != BusError::None)
        lg()->warn("compartment {}: unlock {} (not retried; watching the door)", c,
                   to_string(res.error));
    // A door report may have settled it during the exchange (apply_report): nothing to watch.
    if (!busy_.count(c)) return;
    active_[rec.key] = a;
    emit({LockerEvent::Type::UnlockSent, rec.key, c});
}

void LockerService::evaluate(Active& a, std::vector<std::string>& done) {
    const int c = a.rec.compartment;
    const Door d = bank_.door(c);
    const auto now = Clock::now();
    if (d == Door::Unknown) return;  // board not answering: decide when it does
    if (a.rec.step == Step::UnlockSent) {
        if (d == Door::Open) {
            journal_.advance(a.rec.key, Step::Opened, Outcome::None, Sync::Normal);
            crash("opened");
            a.rec.step = Step::Opened;
            a.opened_at = now;
            emit({LockerEvent::Type::Opened, a.rec.key, c});
            return;
        }
        const bool sensors = bank_.bank_of(c).item_sensors;
        const Item item = bank_.item(c);
        const bool item_changed = sensors && a.rec.item_before >= 0 && item != Item::Unknown &&
                                  (item == Item::Present) != (a.rec.item_before == 1);
        if (a.recovered) {
            // We died after committing unlock_sent and the door is shut again: either the frame
            // never left, or it opened and closed while we were down. The item sensor tells
            // (settle() derives the outcome from it); with no sensor nobody can: staff check.
            if (item_changed) emit({LockerEvent::Type::OpenedAndClosed, a.rec.key, c});
            if (sensors && a.rec.item_before >= 0)
                settle(a.rec);
            else
                settle(a.rec, Outcome::Uncertain);
            done.push_back(a.rec.key);
            return;
        }
        if (a.evidence || item_changed) {
            emit({LockerEvent::Type::OpenedAndClosed, a.rec.key, c});
            settle(a.rec);
            done.push_back(a.rec.key);
            return;
        }
        if (now >= a.open_deadline) {
            emit({LockerEvent::Type::Jammed, a.rec.key, c});
            settle(a.rec, Outcome::Jammed);
            done.push_back(a.rec.key);
        }
        return;
    }
    if (a.rec.step == Step::Opened) {
        // A pickup fired through a sensor that read open: if the sensor is stuck, the door never
        // reads closed; the item sensor seeing the item gone is then what completes it.
        const bool taken_past_stuck_sensor =
            a.sensor_open && a.rec.kind == OpKind::Pickup && bank_.bank_of(c).item_sensors &&
            a.rec.item_before == 1 && bank_.item(c) == Item::Absent;
        if (d == Door::Closed || taken_past_stuck_sensor) {
            settle(a.rec);
            done.push_back(a.rec.key);
        } else if (!a.left_open_alarmed &&
                   now - a.opened_at >= bank_.config().timing.left_open_alarm) {
            a.left_open_alarmed = true;
            emit({LockerEvent::Type::LeftOpen, a.rec.key, c});
        }
    }
}

void LockerService::settle(const OpRecord& rec, Outcome forced) {
    // Caller holds mu_.
    const int c = rec.compartment;
    const bool sensors = bank_.bank_of(c).item_sensors;
    const Item item = bank_.item(c);
    Inventory inv = bank_.inventory(c);
    bool faulty = bank_.faulty(c);
    Outcome out = forced;
    if (forced == Outcome::None) {
        switch (rec.kind) {
            case OpKind::Pickup:
                out = sensors && item == Item::Present ? Outcome::NoChange : Outcome::Completed;
                inv = out == Outcome::Completed ? Inventory::Free : Inventory::Occupied;
                break;
            case OpKind::Deposit:
                out = sensors && item != Item::Present ? Outcome::NoChange : Outcome::Completed;
                inv = out == Outcome::Completed ? Inventory::Occupied : Inventory::Free;
                break;
            case OpKind::StaffOpen:
                out = Outcome::Completed;
                if (sensors && item != Item::Unknown)
                    inv = item == Item::Present ? Inventory::Occupied : Inventory::Free;
                break;
        }
    } else {
        if (rec.kind == OpKind::Deposit) inv = Inventory::Free;  // release the reservation
        if (forced == Outcome::Jammed) faulty = true;
        if (forced == Outcome::Uncertain) {
            faulty = true;  // out of service until staff have looked
            if (rec.kind == OpKind::Deposit) inv = Inventory::Occupied;
        }
    }
    // The outcome and the inventory it implies become durable together, before anyone hears.
    if (!journal_.advance(rec.key, Step::Closed, out, Sync::Full, InventoryRow{inv, faulty}))
        lg()->error("journal: {} (compartment {})", journal_.last_error(), c);
    crash("closed");
    bank_.set_inventory(c, inv);
    bank_.set_faulty(c, faulty);
    busy_.erase(c);
    OpRecord settled = rec;
    settled.step = Step::Closed;
    settled.outcome = out;
    to_report_[rec.key] = settled;
    next_report_ = Clock::now();
    emit({LockerEvent::Type::Closed, rec.key, c, out});
}

void LockerService::report_pending() {
    std::vector<OpRecord> todo;
    {
        std::lock_guard lock(mu_);
        for (const auto& [k, r] : to_report_) todo.push_back(r);
    }
    for (const auto& r : todo) {
        {
            // A waiting person's unlock goes before the paperwork.
            std::lock_guard lock(mu_);
            if (!to_fire_.empty()) return;
        }
        OperationReport rep{r.key, r.kind, r.compartment, r.outcome, r.created_ms, wall_ms()};
        if (!reporter_.report(rep)) {
            std::lock_guard lock(mu_);
            next_report_ = Clock::now() + bank_.config().timing.report_retry;
            return;
        }
        crash("reported");
        journal_.advance(r.key, Step::Reported, Outcome::None, Sync::Normal);
        {
            std::lock_guard lock(mu_);
            to_report_.erase(r.key);
        }
        emit({LockerEvent::Type::Reported, r.key, r.compartment, r.outcome});
    }
}

}  // namespace kiosk::locker
