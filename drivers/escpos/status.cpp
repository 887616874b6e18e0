// ESC/POS status codec (see status.hpp). Reference: ../shared/reference/escpos.md.
#include "escpos/status.hpp"

namespace kiosk::escpos {

const char* to_string(PaperLevel p) {
    switch (p) {
        case PaperLevel::Ok:
            return "paper ok";
        case PaperLevel::NearEnd:
            return "paper near end";
        case PaperLevel::Out:
            return "paper out";
    }
    return "paper ?";
}

std::string describe(const PrinterStatus& s) {
    std::string d = to_string(s.paper);
    if (s.offline) d += ", offline";
    if (s.cover_open) d += ", cover open";
    if (s.feed_button) d += ", feed button";
    if (s.cutter_error) d += ", cutter error";
    if (s.unrecoverable) d += ", unrecoverable error";
    if (s.auto_recoverable) d += ", auto-recoverable error";
    return d;
}

std::array<std::uint8_t, 3> realtime_request(int n) {
    return {0x10, 0x04, static_cast<std::uint8_t>(n)};
}

StatusError apply_realtime_reply(int n, std::uint8_t r, PrinterStatus& s) {
    if (!is_realtime_reply(r)) return StatusError::BadFraming;
    switch (n) {
        case 1:
            s.offline = (r & 0x08) != 0;
            break;
        case 2:
            s.cover_open = (r & 0x04) != 0;
            s.feed_button = (r & 0x08) != 0;
            // 0x20 "stopped at paper end" is paper out seen from the offline side.
            if ((r & 0x20) != 0) s.paper = PaperLevel::Out;
            break;
        case 3:
            s.cutter_error = (r & 0x08) != 0;
            s.unrecoverable = (r & 0x20) != 0;
            s.auto_recoverable = (r & 0x40) != 0;
            break;
        case 4:
            s.paper = (r & 0x60) != 0   ? PaperLevel::Out
                      : (r & 0x0C) != 0 ? PaperLevel::NearEnd
                                        : PaperLevel::Ok;
            break;
        default:
            return StatusError::BadRequest;
    }
    return StatusError::None;
}

std::uint8_t encode_realtime_reply(int n, const PrinterStatus& s) {
    std::uint8_t r = 0x12;
    const bool error = s.cutter_error || s.unrecoverable || s.auto_recoverable;
    switch (n) {
        case 1:
            if (s.offline || s.cover_open || s.paper == PaperLevel::Out || error) r |= 0x08;
            break;
        case 2:
            if (s.cover_open) r |= 0x04;
            if (s.feed_button) r |= 0x08;
            if (s.paper == PaperLevel::Out) r |= 0x20;
            if (error) r |= 0x40;
            break;
        case 3:
            if (s.cutter_error) r |= 0x08;
            if (s.unrecoverable) r |= 0x20;
            if (s.auto_recoverable) r |= 0x40;
            break;
        case 4:
            if (s.paper != PaperLevel::Ok) r |= 0x0C;  // out implies near end, as printers do
            if (s.paper == PaperLevel::Out) r |= 0x60;
            break;
        default:
            break;
    }
    return r;
}

StatusError decode_asb(const AsbFrame& f, PrinterStatus& s) {
    if ((f[0] & 0x93) != 0x10 || (f[1] & 0x90) != 0 || (f[2] & 0x90) != 0 || (f[3] & 0x90) != 0) {
        return StatusError::BadFraming;
    }
    s.offline = (f[0] & 0x08) != 0;
    s.cover_open = (f[0] & 0x20) != 0;
    s.feed_button = (f[0] & 0x40) != 0;
    s.cutter_error = (f[1] & 0x08) != 0;
    s.unrecoverable = (f[1] & 0x20) != 0;
    s.auto_recoverable = (f[1] & 0x40) != 0;
    s.paper = (f[2] & 0x0C) != 0   ? PaperLevel::Out
              : (f[2] & 0x03) != 0 ? PaperLevel::NearEnd
                                   : PaperLevel::Ok;
    return StatusError::None;
}

AsbFrame encode_asb(const PrinterStatus& s) {
    AsbFrame f{0x10, 0x00, 0x00, 0x00};
    const bool error = s.cutter_error || s.unrecoverable || s.auto_recoverable;
    if (s.offline || s.cover_open || s.paper == PaperLevel::Out || error) f[0] |= 0x08;
    if (s.cover_open) f[0] |= 0x20;
    if (s.feed_button) f[0] |= 0x40;
    if (s.cutter_error) f[1] |= 0x08;
    if (s.unrecoverable) f[1] |= 0x20;
    if (s.auto_recoverable) f[1] |= 0x40;
    if (s.paper != PaperLevel::Ok) f[2] |= 0x03;
    if (s.paper == PaperLevel::Out) f[2] |= 0x0C;
    return f;
}

void StatusStream::feed(std::span<const std::uint8_t> bytes, std::vector<StatusMessage>& out) {
    bool in_garbage = false;
    auto garbage = [&] {
        if (!in_garbage) out.push_back(StatusMessage{});
        in_garbage = true;
    };
    for (std::uint8_t b : bytes) {
        if (pending_ > 0) {
            if ((b & 0x90) == 0) {
                asb_[static_cast<std::size_t>(pending_++)] = b;
                if (pending_ == 4) {
                    out.push_back({StatusMessage::Kind::Asb, 0, asb_});
                    pending_ = 0;
                    in_garbage = false;
                }
                continue;
            }
            pending_ = 0;  // a truncated ASB frame: drop it and look at b afresh
            garbage();
        }
        if (is_realtime_reply(b)) {
            out.push_back({StatusMessage::Kind::Realtime, b, {}});
            in_garbage = false;
        } else if ((b & 0x93) == 0x10) {
            asb_[0] = b;
            pending_ = 1;
        } else {
            garbage();
        }
    }
}

}  // namespace kiosk::escpos
