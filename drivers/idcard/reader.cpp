// IdCardReader (see reader.hpp; reference: shared/reference/idcard-sam.md).
#include "idcard/reader.hpp"

#include <charconv>

#include "base/log.hpp"
#include "idcard/text.hpp"

namespace kiosk::idcard {

using drivers::CommandContext;
using drivers::CommandResult;
using drivers::DeviceStatus;
using drivers::TransportError;
using namespace std::chrono_literals;

namespace {
std::shared_ptr<spdlog::logger> logger() {
    static auto log = kiosk::log::get("idcard");
    return log;
}
}  // namespace

const char* to_string(ReadFailure f) {
    switch (f) {
        case ReadFailure::NoReply:
            return "no reply";
        case ReadFailure::Corrupt:
            return "corrupted reply";
        case ReadFailure::Card:
            return "card or SAM refused";
        case ReadFailure::BadPayload:
            return "malformed card data";
        case ReadFailure::BadText:
            return "malformed text block";
    }
    return "unknown";
}

const char* to_string(TxError e) {
    switch (e) {
        case TxError::None:
            return "none";
        case TxError::Transport:
            return "transport";
        case TxError::Timeout:
            return "timeout";
        case TxError::Corrupt:
            return "corrupt";
    }
    return "unknown";
}

// [SECTION] Options

std::optional<ReaderOptions> reader_options_from(const std::map<std::string, std::string>& m,
                                                 std::string* error) {
    ReaderOptions o;
    auto fail = [&](const std::string& k) -> std::optional<ReaderOptions> {
        if (error) *error = "bad idcard option: " + k;
        return std::nullopt;
    };
    auto boolean = [](const std::string& v, bool& out) {
        if (v == "1" || v == "true" || v == "yes") return out = true, true;
        if (v == "0" || v == "false" || v == "no") return out = false, true;
        return false;
    };
    auto integer = [](const std::string& v, int lo, int hi, int& out) {
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
        return ec == std::errc{} && p == v.data() + v.size() && out >= lo && out <= hi;
    };
    for (const auto& [k, v] : m) {
        int n = 0;
        if (k == "fingerprint") {
            if (!boolean(v, o.read_fingerprint)) return fail(k);
        } else if (k == "address") {
            if (!boolean(v, o.read_appended_address)) return fail(k);
        } else if (k == "select_confirms_presence") {
            if (!boolean(v, o.select_confirms_presence)) return fail(k);
        } else if (k == "reply_timeout_ms") {
            if (!integer(v, 100, 30000, n)) return fail(k);
            o.reply_timeout = std::chrono::milliseconds(n);
        } else if (k == "read_attempts") {
            if (!integer(v, 1, 10, n)) return fail(k);
            o.read_attempts = n;
        } else {
            return fail(k);  // a typo in the configuration must not pass silently
        }
    }
    return o;
}

// [SECTION] Transaction

TxError transact(CommandContext& ctx, FrameAccumulator& acc, std::span<const std::uint8_t> request,
                 Response& out, std::chrono::milliseconds reply_timeout,
                 std::chrono::milliseconds gap_timeout) {
    // Late bytes of an earlier, abandoned reply must not be taken for this one.
    ctx.transport().flush();
    acc.reset();
    if (!ctx.write(request).ok()) return ctx.gone() ? TxError::Transport : TxError::Timeout;
    std::uint8_t buf[1024];
    bool started = false;
    for (;;) {
        auto r = ctx.read(buf, started ? gap_timeout : reply_timeout);
        if (r.error == TransportError::Timeout) return TxError::Timeout;
        if (!r.ok()) return TxError::Transport;
        started = true;
        acc.feed(std::span<const std::uint8_t>(buf, r.bytes));
        while (auto item = acc.next()) {
            if (item->error == FrameError::BadChecksum) {
                acc.reset();
                return TxError::Corrupt;
            }
            if (item->error != FrameError::None) continue;  // impossible length: keep scanning
            FrameError e = parse_response(item->frame, out);
            secure_wipe(item->frame);
            if (e == FrameError::None) return TxError::None;
        }
    }
}

// [SECTION] Reader

IdCardReader::IdCardReader(std::string name, std::string uri, ReaderOptions options,
                           drivers::DeviceTiming timing)
    : Device(std::move(name), std::move(uri), timing), options_(options) {}

IdCardReader::~IdCardReader() {
    stop();
    acc_.reset();
}

drivers::DeviceCapabilities IdCardReader::capabilities() const {
    drivers::DeviceCapabilities c{"idcard", {"idcard.text", "idcard.photo"}};
    if (options_.read_fingerprint) c.features.push_back("idcard.fingerprint");
    if (options_.read_appended_address) c.features.push_back("idcard.appended_address");
    return c;
}

std::optional<std::string> IdCardReader::sam_id() const {
    std::lock_guard lock(sam_mutex_);
    return sam_id_;
}

TxError IdCardReader::tx(CommandContext& ctx, Command c, Response& out) {
    auto req = encode_request(c);
    return transact(ctx, acc_, req, out, options_.reply_timeout, options_.gap_timeout);
}

std::shared_ptr<drivers::CommandTicket> IdCardReader::reset_sam() {
    return submit("reset SAM", 5s, [this](CommandContext& ctx) {
        Response r;
        TxError e = tx(ctx, Command::ResetSam, r);
        if (e != TxError::None) return CommandResult::TransportError;
        return r.status == Status::Success ? CommandResult::Ok : CommandResult::DeviceError;
    });
}

CommandResult IdCardReader::on_connect(CommandContext& ctx) {
    Response r;
    for (int attempt = 0; attempt < 2; ++attempt) {
        TxError e = tx(ctx, Command::SamStatus, r);
        if (e == TxError::Transport) return CommandResult::TransportError;
        if (e == TxError::Timeout) return CommandResult::TimedOut;
        if (e == TxError::None && r.status == Status::Success) break;
        if (e == TxError::None && is_sam_fault(r.status)) {
            logger()->error("{}: {}", name(), to_string(r.status));
            set_status(DeviceStatus::HardwareError);
            return CommandResult::DeviceError;
        }
        if (attempt == 1) return CommandResult::DeviceError;
        // Neither ok nor a SAM fault: one SAM reset, then ask again.
        Response reset;
        if (tx(ctx, Command::ResetSam, reset) == TxError::Transport)
            return CommandResult::TransportError;
    }
    if (tx(ctx, Command::SamId, r) == TxError::None && r.status == Status::Success) {
        if (auto id = format_sam_id(r.data)) {
            logger()->info("{}: SAM {}", name(), *id);  // the module's id, not personal data
            std::lock_guard lock(sam_mutex_);
            sam_id_ = std::move(id);
        }
    }
    timeouts_ = 0;
    return CommandResult::Ok;
}

void IdCardReader::on_disconnect() {
    acc_.reset();
    // A reader that comes back must read whatever card lies on it then: forget this placement.
    if (card_present_.exchange(false)) events_.push(CardRemoved{});
    read_done_ = false;
    attempts_ = 0;
}

void IdCardReader::on_status_changed(DeviceStatus, DeviceStatus now) {
    events_.push(ReaderStatus{now});
}

void IdCardReader::on_poll(CommandContext& ctx) {
    Response r;
    TxError e = tx(ctx, Command::FindCard, r);
    if (e == TxError::Transport) return;  // the base sees ctx.gone() and reconnects
    if (e == TxError::Timeout) {
        if (++timeouts_ >= options_.offline_after_timeouts && status() == DeviceStatus::Online)
            set_status(DeviceStatus::Offline);
        return;
    }
    timeouts_ = 0;
    if (e == TxError::Corrupt) return;  // a damaged reply: the next poll asks again
    if (is_sam_fault(r.status)) {
        if (status() != DeviceStatus::HardwareError) {
            logger()->error("{}: {}", name(), to_string(r.status));
            set_status(DeviceStatus::HardwareError);
        }
        return;
    }
    if (status() == DeviceStatus::Offline || status() == DeviceStatus::HardwareError)
        set_status(DeviceStatus::Online);

    bool present = card_present_.load();
    if (r.status == Status::FindOk) {
        present = true;
    } else if (r.status == Status::NoCard) {
        present = false;
        if (card_present_ && read_done_ && options_.select_confirms_presence) {
            Response s;
            if (tx(ctx, Command::SelectCard, s) == TxError::None && s.status == Status::Success)
                present = true;
        }
    }
    if (present && !card_present_) {
        card_present_ = true;
        read_done_ = false;
        attempts_ = 0;
    } else if (!present && card_present_) {
        card_present_ = false;
        read_done_ = false;
        attempts_ = 0;
        logger()->info("{}: card removed", name());
        events_.push(CardRemoved{});
        return;
    }
    if (card_present_ && !read_done_ && attempts_ < options_.read_attempts &&
        r.status == Status::FindOk)
        read_card(ctx);
}

void IdCardReader::fail(ReadFailure reason, Status status) {
    bool retry = attempts_ < options_.read_attempts;
    logger()->warn("{}: read failed: {}{}{}", name(), to_string(reason),
                   reason == ReadFailure::Card ? std::string(" (") + to_string(status) + ")" : "",
                   retry ? ", will retry" : "");
    events_.push(CardReadFailed{reason, status, retry});
}

void IdCardReader::read_card(CommandContext& ctx) {
    ++attempts_;
    Response r;
    auto check = [&](TxError e, Status want) {
        if (e == TxError::Transport) return false;
        if (e == TxError::Timeout) return fail(ReadFailure::NoReply, Status::Unknown), false;
        if (e == TxError::Corrupt) return fail(ReadFailure::Corrupt, Status::Unknown), false;
        if (r.status != want) return fail(ReadFailure::Card, r.status), false;
        return true;
    };
    if (!check(tx(ctx, Command::SelectCard, r), Status::Success)) return;
    const Command read_cmd =
        options_.read_fingerprint ? Command::ReadWithFingerprint : Command::ReadTextPhoto;
    if (!check(tx(ctx, read_cmd, r), Status::Success)) {
        secure_wipe(r.data);
        return;
    }
    CardData data;
    if (parse_card_data(r.data, options_.read_fingerprint, data) != CardDataError::None) {
        secure_wipe(r.data);
        return fail(ReadFailure::BadPayload, Status::Success);
    }
    secure_wipe(r.data);
    Identity id;
    TextError te = parse_text(data.text, id);
    secure_wipe(data.text);
    if (te != TextError::None) {
        secure_wipe(data.photo);
        secure_wipe(data.fingerprint);
        return fail(ReadFailure::BadText, Status::Success);
    }
    id.photo = std::move(data.photo);
    id.fingerprint = std::move(data.fingerprint);
    if (options_.read_appended_address) {
        Response a;
        if (tx(ctx, Command::ReadAddress, a) == TxError::None && a.status == Status::Success) {
            if (auto addr = parse_address(a.data)) id.appended_address = std::move(*addr);
        }
        secure_wipe(a.data);
    }
    if (id.id_check == IdCheck::BadCheckCharacter)
        logger()->warn("{}: card number check character does not match (GB 11643): not trusted",
                       name());
    logger()->info("{}: card read ({}, id check {})", name(), to_string(id.type),
                   to_string(id.id_check));
    read_done_ = true;
    events_.push(CardRead{std::move(id)});
}

void register_idcard_kind(drivers::DeviceManager& manager) {
    manager.register_kind(
        "idcard",
        [](const drivers::DeviceConfig& c, std::string* error) -> std::shared_ptr<drivers::Device> {
            auto o = reader_options_from(c.options, error);
            if (!o) return nullptr;
            return std::make_shared<IdCardReader>(c.name, c.uri, *o);
        });
}

}  // namespace kiosk::idcard
