// Serial and HID POS scan framing (see framing.hpp).
#include "scanner/framing.hpp"

#include <algorithm>

namespace kiosk::scanner {

bool parse_line_end(std::string_view s, LineEnd& out) {
    if (s == "cr") return out = LineEnd::Cr, true;
    if (s == "lf") return out = LineEnd::Lf, true;
    if (s == "crlf") return out = LineEnd::CrLf, true;
    if (s == "any") return out = LineEnd::Any, true;
    if (s == "none") return out = LineEnd::None, true;
    return false;
}

SerialFramer::SerialFramer(SerialFramerOptions options) : opt_(options) {}

void SerialFramer::reset() {
    buf_.clear();
    done_.clear();
    last_.reset();
    pending_cr_ = false;
}

void SerialFramer::complete() {
    pending_cr_ = false;
    last_.reset();
    if (buf_.empty()) return;
    RawScan s;
    std::size_t skip = 0;
    if (opt_.aim_prefix && buf_.size() >= 3 && buf_[0] == ']') {
        s.symbology =
            symbology_from_aim(std::string_view(reinterpret_cast<const char*>(buf_.data()), 3));
        skip = 3;
    }
    s.bytes.assign(buf_.begin() + static_cast<std::ptrdiff_t>(skip), buf_.end());
    buf_.clear();
    if (!s.bytes.empty()) done_.push_back(std::move(s));
}

void SerialFramer::feed(std::span<const std::uint8_t> bytes, std::chrono::milliseconds now) {
    poll(now);
    for (std::uint8_t b : bytes) {
        const bool cr = b == '\r', lf = b == '\n';
        switch (opt_.end) {
            case LineEnd::Cr:
                if (cr) {
                    complete();
                    continue;
                }
                break;
            case LineEnd::Lf:
                if (lf) {
                    complete();
                    continue;
                }
                break;
            case LineEnd::Any:
                if (cr || lf) {  // CR LF gives one scan: the LF then ends an empty one
                    complete();
                    continue;
                }
                break;
            case LineEnd::CrLf:
                if (pending_cr_ && lf) {
                    complete();
                    continue;
                }
                if (pending_cr_) {  // a lone CR inside a scan is data
                    if (buf_.size() <= opt_.max_bytes) buf_.push_back('\r');
                    pending_cr_ = false;
                }
                if (cr) {
                    pending_cr_ = true;
                    last_ = now;
                    continue;
                }
                break;
            case LineEnd::None:
                break;
        }
        // One byte over the cap is kept so validation reports TooLong instead of a cut scan.
        if (buf_.size() <= opt_.max_bytes) buf_.push_back(b);
        last_ = now;
    }
}

void SerialFramer::poll(std::chrono::milliseconds now) {
    // An idle line ends a scan: the scanner sends no suffix, or a suffix byte was lost.
    if (last_ && now - *last_ > opt_.idle_timeout) complete();
}

std::optional<RawScan> SerialFramer::take() {
    if (done_.empty()) return std::nullopt;
    RawScan s = std::move(done_.front());
    done_.pop_front();
    return s;
}

HidPosAssembler::HidPosAssembler(HidPosProfile profile, std::size_t max_bytes)
    : p_(profile), max_bytes_(max_bytes) {}

HidPosError HidPosAssembler::feed(std::span<const std::uint8_t> r) {
    if (r.empty() || r[0] != p_.report_id) return HidPosError::WrongReportId;
    const std::size_t need =
        std::max({p_.length_offset + 1, p_.aim_offset + 3, p_.more_offset + 1});
    if (r.size() < need) {
        buf_.clear();
        overflow_ = false;
        return HidPosError::ShortReport;
    }
    const std::size_t len = r[p_.length_offset];
    if (len > p_.data_max || p_.data_offset + len > r.size()) {
        buf_.clear();
        overflow_ = false;
        return HidPosError::BadLength;
    }
    if (buf_.empty() && !overflow_) {
        sym_ = symbology_from_aim(
            std::string_view(reinterpret_cast<const char*>(&r[p_.aim_offset]), 3));
    }
    const auto* d = &r[p_.data_offset];
    for (std::size_t i = 0; i < len; ++i) {
        if (buf_.size() <= max_bytes_) {
            buf_.push_back(d[i]);
        } else {
            overflow_ = true;
        }
    }
    if (r[p_.more_offset] & p_.more_mask) return HidPosError::None;
    // Last report of the scan.
    RawScan s{std::move(buf_), sym_};
    buf_.clear();
    const bool over = overflow_;
    overflow_ = false;
    if (!s.bytes.empty()) done_.push_back(std::move(s));
    return over ? HidPosError::TooLong : HidPosError::None;
}

std::optional<RawScan> HidPosAssembler::take() {
    if (done_.empty()) return std::nullopt;
    RawScan s = std::move(done_.front());
    done_.pop_front();
    return s;
}

std::vector<std::vector<std::uint8_t>> HidPosAssembler::encode(std::span<const std::uint8_t> data,
                                                               std::string_view aim) const {
    std::vector<std::vector<std::uint8_t>> out;
    std::size_t pos = 0;
    do {
        std::vector<std::uint8_t> r(p_.report_size, 0);
        r[0] = p_.report_id;
        const std::size_t n = std::min(p_.data_max, data.size() - pos);
        r[p_.length_offset] = static_cast<std::uint8_t>(n);
        for (std::size_t i = 0; i < 3 && i < aim.size(); ++i) {
            r[p_.aim_offset + i] = static_cast<std::uint8_t>(aim[i]);
        }
        std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(pos), n,
                    r.begin() + static_cast<std::ptrdiff_t>(p_.data_offset));
        pos += n;
        if (pos < data.size()) r[p_.more_offset] |= p_.more_mask;
        out.push_back(std::move(r));
    } while (pos < data.size());
    return out;
}

}  // namespace kiosk::scanner
