// Locker bank model and its configuration (see bank.hpp for the TOML shape).
#include "locker/bank.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include <toml++/toml.h>

namespace kiosk::locker {
namespace {

bool fail(std::string* error, std::string msg) {
    if (error) *error = std::move(msg);
    return false;
}

bool polarity(const toml::table& t, std::string_view key, bool& out, std::string* error) {
    auto v = t[key].value<std::string>();
    if (!v) return true;  // default kept
    if (*v == "set")
        out = true;
    else if (*v == "clear")
        out = false;
    else
        return fail(error, std::string(key) + " must be \"set\" or \"clear\"");
    return true;
}

std::chrono::milliseconds ms(const toml::table& t, std::string_view key,
                             std::chrono::milliseconds fallback) {
    auto v = t[key].value<std::int64_t>();
    if (!v || *v < 0 || *v > 86'400'000) return fallback;
    return std::chrono::milliseconds(*v);
}

bool parse_compartment(const toml::table& e, std::size_t bank, CompartmentConfig& c,
                       std::string* error) {
    auto number = e["number"].value<std::int64_t>();
    auto board = e["board"].value<std::int64_t>();
    auto channel = e["channel"].value<std::int64_t>();
    auto size = e["size"].value<std::string>();
    if (!number || !board || !channel || !size)
        return fail(error, "a compartment needs number, board, channel and size");
    auto sz = size_from_string(*size);
    if (!sz) return fail(error, "size must be S, M, L or XL");
    if (*number < 1 || *number > 100000 || *board < 0 || *board > 255 || *channel < 1 ||
        *channel > 255)
        return fail(error, "compartment number, board or channel out of range");
    c = {static_cast<int>(*number), bank, static_cast<int>(*board), static_cast<int>(*channel),
         *sz};
    return true;
}

}  // namespace

const char* to_string(Size s) {
    switch (s) {
        case Size::S:
            return "S";
        case Size::M:
            return "M";
        case Size::L:
            return "L";
        case Size::XL:
            return "XL";
    }
    return "?";
}

std::optional<Size> size_from_string(std::string_view s) {
    if (s == "S") return Size::S;
    if (s == "M") return Size::M;
    if (s == "L") return Size::L;
    if (s == "XL") return Size::XL;
    return std::nullopt;
}

const char* to_string(CompartmentState s) {
    switch (s) {
        case CompartmentState::Free:
            return "free";
        case CompartmentState::Reserved:
            return "reserved";
        case CompartmentState::Occupied:
            return "occupied";
        case CompartmentState::Open:
            return "open";
        case CompartmentState::Faulty:
            return "faulty";
        case CompartmentState::Unknown:
            return "unknown";
    }
    return "?";
}

std::optional<LockerConfig> parse_locker_config(std::string_view text, std::string* error) {
    toml::table root;
    try {
        root = toml::parse(text);
    } catch (const toml::parse_error& e) {
        fail(error, std::string("TOML: ") + std::string(e.description()));
        return std::nullopt;
    }
    const toml::table* locker = root["locker"].as_table();
    if (!locker) {
        fail(error, "no [locker] table");
        return std::nullopt;
    }
    LockerConfig cfg;
    cfg.journal_path = (*locker)["journal"].value_or(std::string{});
    Timing& t = cfg.timing;
    t.poll_interval = ms(*locker, "poll_interval_ms", t.poll_interval);
    t.idle_scan = ms(*locker, "idle_scan_ms", t.idle_scan);
    t.open_detect = ms(*locker, "open_detect_ms", t.open_detect);
    t.left_open_alarm = ms(*locker, "left_open_alarm_ms", t.left_open_alarm);
    t.reply_timeout = ms(*locker, "reply_timeout_ms", t.reply_timeout);
    t.silence_gap = ms(*locker, "silence_gap_ms", t.silence_gap);
    t.report_retry = ms(*locker, "report_retry_ms", t.report_retry);
    t.query_retries = static_cast<int>(
        std::clamp<std::int64_t>((*locker)["query_retries"].value_or(std::int64_t{2}), 0, 10));

    if (auto* buses = (*locker)["bus"].as_array()) {
        for (auto& node : *buses) {
            auto* b = node.as_table();
            if (!b) {
                fail(error, "[[locker.bus]] entries must be tables");
                return std::nullopt;
            }
            BusConfig bc;
            bc.name = (*b)["name"].value_or(std::string{});
            bc.uri = (*b)["uri"].value_or(std::string{});
            bc.dialect = find_profile((*b)["dialect"].value_or(std::string{}));
            if (bc.name.empty() || bc.uri.empty() || !bc.dialect) {
                fail(error, "a bus needs name, uri and a known dialect (8a80, kerong-cu16)");
                return std::nullopt;
            }
            if (auto ur = (*b)["unlock_reply"].value<std::string>()) {
                if (*ur == "auto")
                    bc.unlock_reply = UnlockReply::Auto;
                else if (*ur == "yes")
                    bc.unlock_reply = UnlockReply::Yes;
                else if (*ur == "no")
                    bc.unlock_reply = UnlockReply::No;
                else {
                    fail(error, "bus " + bc.name + ": unlock_reply must be auto, yes or no");
                    return std::nullopt;
                }
            }
            bc.reports = (*b)["reports"].value_or(false);
            if (bc.reports && bc.dialect->hdr_report == 0) {
                fail(error, "bus " + bc.name + ": dialect " + std::string(bc.dialect->name) +
                                " sends no unsolicited reports");
                return std::nullopt;
            }
            cfg.buses.push_back(std::move(bc));
        }
    }
    if (cfg.buses.empty()) {
        fail(error, "no [[locker.bus]]");
        return std::nullopt;
    }
    auto* banks = (*locker)["bank"].as_array();
    if (!banks || banks->empty()) {
        fail(error, "no [[locker.bank]]");
        return std::nullopt;
    }
    for (auto& node : *banks) {
        auto* b = node.as_table();
        if (!b) {
            fail(error, "[[locker.bank]] entries must be tables");
            return std::nullopt;
        }
        BankConfig bk;
        bk.name = (*b)["name"].value_or(std::string{});
        const std::string bus = (*b)["bus"].value_or(std::string{});
        auto it = std::find_if(cfg.buses.begin(), cfg.buses.end(),
                               [&](const BusConfig& x) { return x.name == bus; });
        if (bk.name.empty() || it == cfg.buses.end()) {
            fail(error, "a bank needs a name and an existing bus");
            return std::nullopt;
        }
        bk.bus = static_cast<std::size_t>(it - cfg.buses.begin());
        bk.item_sensors = (*b)["item_sensors"].value_or(false);
        // The field's default for this board family; the bank's own setting overrides it.
        bk.door_open_when_set = it->dialect->lock_bit_set_means_open;
        if (!polarity(*b, "door_open_when", bk.door_open_when_set, error) ||
            !polarity(*b, "item_present_when", bk.item_present_when_set, error))
            return std::nullopt;
        const DialectProfile& d = *it->dialect;
        const auto board_channels = (*b)["board_channels"].value_or(std::int64_t{0});
        if (board_channels < 0 || board_channels > d.max_channels) {
            fail(error, "bank " + bk.name + ": board_channels out of the dialect's range");
            return std::nullopt;
        }
        bk.board_channels = static_cast<int>(board_channels);
        if (bk.item_sensors && !d.item_sensors) {
            fail(error, "bank " + bk.name + ": dialect " + std::string(d.name) +
                            " cannot report item sensors");
            return std::nullopt;
        }
        const std::size_t bank_index = cfg.banks.size();
        cfg.banks.push_back(bk);
        auto add = [&](const CompartmentConfig& c) {
            if (c.board < d.min_board || c.board > d.max_board || c.channel > d.max_channels)
                return fail(error, "compartment " + std::to_string(c.number) +
                                       ": board or channel outside the dialect's range");
            cfg.compartments.push_back(c);
            return true;
        };
        if (auto* list = (*b)["compartments"].as_array()) {
            for (auto& e : *list) {
                CompartmentConfig c;
                if (!e.as_table() || !parse_compartment(*e.as_table(), bank_index, c, error) ||
                    !add(c))
                    return std::nullopt;
            }
        }
        if (auto* ranges = (*b)["ranges"].as_array()) {
            for (auto& e : *ranges) {
                auto* r = e.as_table();
                auto* chans = r ? (*r)["channels"].as_array() : nullptr;
                auto first = r ? (*r)["first"].value<std::int64_t>() : std::nullopt;
                auto board = r ? (*r)["board"].value<std::int64_t>() : std::nullopt;
                auto size =
                    r ? size_from_string((*r)["size"].value_or(std::string{})) : std::nullopt;
                if (!chans || chans->size() != 2 || !first || !board || !size) {
                    fail(error, "a range needs first, board, channels = [from, to] and size");
                    return std::nullopt;
                }
                auto from = (*chans)[0].value<std::int64_t>();
                auto to = (*chans)[1].value<std::int64_t>();
                if (!from || !to || *from < 1 || *to < *from || *to > 255 || *first < 1 ||
                    *first > 100000 || *board < 0 || *board > 255) {
                    fail(error, "range values out of bounds");
                    return std::nullopt;
                }
                for (std::int64_t ch = *from; ch <= *to; ++ch) {
                    CompartmentConfig c{static_cast<int>(*first + (ch - *from)), bank_index,
                                        static_cast<int>(*board), static_cast<int>(ch), *size};
                    if (!add(c)) return std::nullopt;
                }
            }
        }
    }
    std::sort(cfg.compartments.begin(), cfg.compartments.end(),
              [](const auto& a, const auto& b) { return a.number < b.number; });
    std::set<std::tuple<std::size_t, int, int>> wires;
    for (std::size_t i = 0; i < cfg.compartments.size(); ++i) {
        const auto& c = cfg.compartments[i];
        if (i > 0 && cfg.compartments[i - 1].number == c.number) {
            fail(error, "compartment " + std::to_string(c.number) + " is defined twice");
            return std::nullopt;
        }
        if (!wires.insert({cfg.banks[c.bank].bus, c.board, c.channel}).second) {
            fail(error, "compartment " + std::to_string(c.number) +
                            " shares its board and channel with another compartment");
            return std::nullopt;
        }
    }
    if (cfg.compartments.empty()) {
        fail(error, "no compartments");
        return std::nullopt;
    }
    return cfg;
}

Bank::Bank(LockerConfig cfg) : cfg_(std::move(cfg)) {
    for (std::size_t i = 0; i < cfg_.compartments.size(); ++i) {
        index_[cfg_.compartments[i].number] = i;
        live_[cfg_.compartments[i].number] = Live{};
    }
}

const CompartmentConfig* Bank::find(int number) const {
    auto it = index_.find(number);
    return it == index_.end() ? nullptr : &cfg_.compartments[it->second];
}

const BankConfig& Bank::bank_of(int number) const {
    return cfg_.banks[find(number)->bank];
}

CompartmentState Bank::state(int number) const {
    auto it = live_.find(number);
    if (it == live_.end()) return CompartmentState::Unknown;
    const Live& l = it->second;
    if (l.faulty) return CompartmentState::Faulty;
    if (l.door == Door::Unknown) return CompartmentState::Unknown;
    if (l.door == Door::Open) return CompartmentState::Open;
    switch (l.inventory) {
        case Inventory::Free:
            return CompartmentState::Free;
        case Inventory::Reserved:
            return CompartmentState::Reserved;
        case Inventory::Occupied:
            return CompartmentState::Occupied;
    }
    return CompartmentState::Unknown;
}

Inventory Bank::inventory(int n) const {
    return live_.at(n).inventory;
}
Door Bank::door(int n) const {
    return live_.at(n).door;
}
Item Bank::item(int n) const {
    return live_.at(n).item;
}
bool Bank::faulty(int n) const {
    return live_.at(n).faulty;
}
void Bank::set_inventory(int n, Inventory v, std::int64_t since_ms) {
    Live& l = live_.at(n);
    if (since_ms != 0) {
        l.since_ms = since_ms;
    } else if (l.inventory != v) {
        l.since_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    }
    l.inventory = v;
}
std::int64_t Bank::inventory_since(int n) const {
    return live_.at(n).since_ms;
}
void Bank::set_faulty(int n, bool v) {
    live_.at(n).faulty = v;
}
void Bank::set_door(int n, Door d) {
    live_.at(n).door = d;
}
void Bank::set_item(int n, Item i) {
    live_.at(n).item = i;
}

std::optional<int> Bank::choose_free(Size min, const std::vector<int>& exclude) const {
    std::optional<int> best;
    for (const auto& c : cfg_.compartments) {
        if (c.size < min || state(c.number) != CompartmentState::Free) continue;
        if (std::find(exclude.begin(), exclude.end(), c.number) != exclude.end()) continue;
        if (!best || c.size < find(*best)->size) best = c.number;
    }
    return best;
}

Door Bank::door_from_raw(int number, bool raw) const {
    return raw == bank_of(number).door_open_when_set ? Door::Open : Door::Closed;
}
Item Bank::item_from_raw(int number, bool raw) const {
    return raw == bank_of(number).item_present_when_set ? Item::Present : Item::Absent;
}
bool Bank::raw_for_door(std::size_t bank, Door d) const {
    return (d == Door::Open) == cfg_.banks[bank].door_open_when_set;
}

std::vector<int> Bank::numbers() const {
    std::vector<int> v;
    for (const auto& c : cfg_.compartments) v.push_back(c.number);
    return v;
}

}  // namespace kiosk::locker
