// Scan payload validation and recognition (see payload.hpp and docs/drivers/scanner.md).
// References: RFC 3629 (UTF-8 well-formedness), GB 18030-2005 (via glibc iconv), RFC 3986 (URI
// syntax, only the subset the kiosk's own links use), ISO/IEC 7812-1 Annex B (Luhn check digit).
#include "scanner/payload.hpp"

#include <iconv.h>

#include <algorithm>

namespace kiosk::scanner {
namespace {

// [SECTION] UTF-8 helpers

// Decodes one code point at s[i]; returns its length or 0 if malformed.
std::size_t utf8_decode(std::string_view s, std::size_t i, char32_t& cp) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    if (c < 0x80) {
        cp = c;
        return 1;
    }
    std::size_t len = 0;
    char32_t min = 0;
    if ((c & 0xE0) == 0xC0) {
        len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        if ((b(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b(i + k) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

bool is_ascii(std::span<const std::uint8_t> raw) {
    return std::all_of(raw.begin(), raw.end(), [](std::uint8_t c) { return c < 0x80; });
}

// GB18030 → UTF-8 through glibc iconv; false on any invalid or incomplete sequence.
bool gb18030_to_utf8(std::string_view in, std::string& out) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == reinterpret_cast<iconv_t>(-1)) return false;
    out.assign(in.size() * 4 + 8, '\0');  // a GB18030 character is at most 4 bytes in UTF-8
    std::string src(in);
    char* inp = src.data();
    std::size_t inleft = src.size();
    char* outp = out.data();
    std::size_t outleft = out.size();
    const std::size_t rc = iconv(cd, &inp, &inleft, &outp, &outleft);
    const bool ok = rc != static_cast<std::size_t>(-1) && inleft == 0;
    iconv_close(cd);
    if (!ok) return false;
    out.resize(out.size() - outleft);
    return true;
}

// [SECTION] Recognition helpers

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_id_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c == '-';
}

// Ids the hall puts in links and prefixed codes: [A-Za-z0-9_-]{1,64}.
bool is_id(std::string_view s) {
    return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), is_id_char);
}

bool is_token(std::string_view s) {
    return s.size() >= 16 && s.size() <= 1024 && std::all_of(s.begin(), s.end(), [](char c) {
               return is_id_char(c) || c == '+' || c == '/' || c == '=' || c == '.';
           });
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string to_lower(std::string_view s) {
    std::string r(s);
    std::transform(r.begin(), r.end(), r.begin(), lower);
    return r;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (lower(s[i]) != lower(prefix[i])) return false;
    }
    return true;
}

bool contains(const std::vector<std::string>& hosts, std::string_view host) {
    return std::any_of(hosts.begin(), hosts.end(),
                       [&](const std::string& h) { return to_lower(h) == host; });
}

Payload reject(Rejection r) {
    return Payload{PayloadKind::NotForKiosk, r, {}, {}};
}

Payload accept(PayloadKind k, std::string value, std::string url = {}) {
    return Payload{k, Rejection::None, std::move(value), std::move(url)};
}

Payload pickup(std::string_view code, const PayloadConfig& cfg) {
    if (!all_digits(code) || code.size() < cfg.pickup_min_digits ||
        code.size() > cfg.pickup_max_digits) {
        return reject(Rejection::BadValue);
    }
    return accept(PayloadKind::PickupCode, std::string(code));
}

Payload notice(std::string_view n) {
    if (!all_digits(n) || n.size() != 20) return reject(Rejection::BadValue);
    if (!payment_notice_valid(n)) return reject(Rejection::BadCheckDigit);
    return accept(PayloadKind::PaymentNotice, std::string(n));
}

// ESTN:<TYPE>:<value>, the kiosk's own compact forms (docs/drivers/scanner.md).
Payload recognise_prefixed(std::string_view rest, const PayloadConfig& cfg) {
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) return reject(Rejection::UnknownFormat);
    const std::string type = to_lower(rest.substr(0, colon));
    const std::string_view value = rest.substr(colon + 1);
    if (type == "pickup") return pickup(value, cfg);
    if (type == "pay") return notice(value);
    if (type == "guide" || type == "receipt") {
        if (!is_id(value)) return reject(Rejection::BadValue);
        return accept(type == "guide" ? PayloadKind::HallGuide : PayloadKind::HallReceipt,
                      std::string(value));
    }
    if (type == "eid") {
        if (!is_token(value)) return reject(Rejection::BadValue);
        return accept(PayloadKind::EidCode, std::string(value));
    }
    if (type == "cert") {
        const bool ok = value.size() >= 4 && value.size() <= 40 &&
                        std::all_of(value.begin(), value.end(),
                                    [](char c) { return is_id_char(c) && c != '_'; });
        if (!ok) return reject(Rejection::BadValue);
        return accept(PayloadKind::Certificate, std::string(value));
    }
    return reject(Rejection::UnknownFormat);
}

// Value of `key` in a query string a=b&c=d (no percent-decoding: kiosk values never need it).
bool query_value(std::string_view query, std::string_view key, std::string_view& out) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == key) {
            out = pair.substr(eq + 1);
            return true;
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return false;
}

Payload recognise_url(std::string_view text, const PayloadConfig& cfg) {
    const auto sep = text.find("://");
    const std::string scheme = to_lower(text.substr(0, sep));
    std::string_view rest = text.substr(sep + 3);
    const auto auth_end = rest.find_first_of("/?#");
    const std::string_view authority = rest.substr(0, auth_end);
    rest = auth_end == std::string_view::npos ? std::string_view{} : rest.substr(auth_end);

    const auto at = authority.rfind('@');
    const std::string_view hostport =
        at == std::string_view::npos ? authority : authority.substr(at + 1);
    std::string host = to_lower(hostport);
    std::string_view port;
    if (const auto c = host.rfind(':'); c != std::string::npos) {
        port = hostport.substr(c + 1);
        host.resize(c);
    }
    if (!host.empty() && host.back() == '.') host.pop_back();  // "host." is the same host
    const bool hall = contains(cfg.hall_hosts, host);
    const bool eid = contains(cfg.eid_hosts, host);
    // userinfo ("https://hall.host@evil.example/") is a classic way to fake a host: never trusted.
    if (at != std::string_view::npos) {
        return reject(hall || eid ? Rejection::MalformedUrl : Rejection::ForeignUrl);
    }
    if (!hall && !eid) return reject(Rejection::ForeignUrl);
    if (scheme != "https") return reject(Rejection::InsecureUrl);
    if (!port.empty() && port != "443") return reject(Rejection::MalformedUrl);
    if (eid) return accept(PayloadKind::EidCode, std::string(text), std::string(text));

    // Hall link: path, query, fragment.
    const auto frag = rest.find('#');
    if (frag != std::string_view::npos) rest = rest.substr(0, frag);
    std::string_view query;
    if (const auto q = rest.find('?'); q != std::string_view::npos) {
        query = rest.substr(q + 1);
        rest = rest.substr(0, q);
    }
    std::string_view path = rest;
    // Split the path; the kiosk's actions are keyed on its last one or two segments so a hall that
    // serves under a prefix (/estation/guide/<id>) works without configuration.
    std::vector<std::string_view> segs;
    for (std::string_view p = path; !p.empty();) {
        if (p.front() == '/') {
            p.remove_prefix(1);
            continue;
        }
        const auto slash = p.find('/');
        segs.push_back(p.substr(0, slash));
        if (slash == std::string_view::npos) break;
        p.remove_prefix(slash);
    }
    const std::string url(text);
    if (!segs.empty()) {
        const std::string last = to_lower(segs.back());
        std::string_view v;
        if (last == "pickup" && query_value(query, "code", v)) {
            Payload p = pickup(v, cfg);
            p.url = url;
            return p;
        }
        if (last == "pay" && query_value(query, "notice", v)) {
            Payload p = notice(v);
            p.url = url;
            return p;
        }
    }
    if (segs.size() >= 2) {
        const std::string kind = to_lower(segs[segs.size() - 2]);
        const std::string_view id = segs.back();
        if (kind == "guide" || kind == "receipt") {
            if (!is_id(id)) return reject(Rejection::MalformedUrl);
            return accept(kind == "guide" ? PayloadKind::HallGuide : PayloadKind::HallReceipt,
                          std::string(id), url);
        }
        if (kind == "pickup") {
            Payload p = pickup(id, cfg);
            p.url = url;
            return p;
        }
        if (kind == "pay") {
            Payload p = notice(id);
            p.url = url;
            return p;
        }
    }
    return accept(PayloadKind::HallLink, std::string(path.empty() ? "/" : path), url);
}

}  // namespace

// [SECTION] Names

const char* to_string(TextEncoding e) {
    switch (e) {
        case TextEncoding::Ascii:
            return "ascii";
        case TextEncoding::Utf8:
            return "utf-8";
        case TextEncoding::Gb18030:
            return "gb18030";
        case TextEncoding::ShiftJis:
            return "shift_jis";
        case TextEncoding::Latin1:
            return "iso-8859-1";
        case TextEncoding::Declared:
            return "declared by eci";
    }
    return "unknown";
}

const char* to_string(ValidationError e) {
    switch (e) {
        case ValidationError::None:
            return "none";
        case ValidationError::Empty:
            return "empty";
        case ValidationError::TooLong:
            return "too long";
        case ValidationError::BadEncoding:
            return "bad encoding";
        case ValidationError::EciMismatch:
            return "bytes invalid for their eci";
        case ValidationError::EciNotText:
            return "eci is not a character set";
    }
    return "unknown";
}

const char* to_string(PayloadKind k) {
    switch (k) {
        case PayloadKind::PickupCode:
            return "pickup code";
        case PayloadKind::PaymentNotice:
            return "payment notice";
        case PayloadKind::HallGuide:
            return "hall guide";
        case PayloadKind::HallReceipt:
            return "hall receipt";
        case PayloadKind::HallLink:
            return "hall link";
        case PayloadKind::EidCode:
            return "e-ID code";
        case PayloadKind::Certificate:
            return "certificate";
        case PayloadKind::NotForKiosk:
            return "not for this kiosk";
    }
    return "unknown";
}

const char* to_string(Rejection r) {
    switch (r) {
        case Rejection::None:
            return "none";
        case Rejection::Invalid:
            return "invalid text";
        case Rejection::ForeignUrl:
            return "foreign url";
        case Rejection::InsecureUrl:
            return "insecure url";
        case Rejection::MalformedUrl:
            return "malformed url";
        case Rejection::BadCheckDigit:
            return "bad check digit";
        case Rejection::BadValue:
            return "bad value";
        case Rejection::UnknownFormat:
            return "unknown format";
    }
    return "unknown";
}

// [SECTION] Validation

bool is_valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp = 0;
        const std::size_t n = utf8_decode(s, i, cp);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

ValidatedText validate_text(std::span<const std::uint8_t> raw, const ValidationLimits& limits) {
    ValidatedText r;
    if (raw.size() > limits.max_bytes) {
        r.error = ValidationError::TooLong;
        return r;
    }
    // C0 controls and DEL are single bytes in both UTF-8 and GB18030 (neither uses 0x00–0x1F or
    // 0x7F inside a multi-byte sequence), so they can go before the encoding is known.
    std::string bytes;
    bytes.reserve(raw.size());
    for (std::uint8_t c : raw) {
        if (c >= 0x20 && c != 0x7F) bytes.push_back(static_cast<char>(c));
    }
    std::string utf8;
    if (is_ascii(raw)) {
        r.encoding = TextEncoding::Ascii;
        utf8 = std::move(bytes);
    } else if (is_valid_utf8(bytes)) {
        r.encoding = TextEncoding::Utf8;
        utf8 = std::move(bytes);
    } else if (gb18030_to_utf8(bytes, utf8) && is_valid_utf8(utf8)) {
        r.encoding = TextEncoding::Gb18030;
    } else {
        r.error = ValidationError::BadEncoding;
        return r;
    }
    // Remove C1 controls (U+0080–U+009F) and BOM / zero-width no-break space (U+FEFF).
    std::string out;
    out.reserve(utf8.size());
    std::size_t chars = 0;
    for (std::size_t i = 0; i < utf8.size();) {
        char32_t cp = 0;
        const std::size_t n = utf8_decode(utf8, i, cp);
        if (n == 0) {  // cannot happen after the checks above; stay safe anyway
            r.error = ValidationError::BadEncoding;
            return r;
        }
        if (!(cp >= 0x80 && cp <= 0x9F) && cp != 0xFEFF) {
            out.append(utf8, i, n);
            ++chars;
        }
        i += n;
    }
    if (chars > limits.max_chars) {
        r.error = ValidationError::TooLong;
        return r;
    }
    if (out.empty()) {
        r.error = ValidationError::Empty;
        return r;
    }
    r.text = std::move(out);
    return r;
}

ValidatedText validate_text(std::string_view raw, const ValidationLimits& limits) {
    return validate_text(std::span<const std::uint8_t>(
                             reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size()),
                         limits);
}

// [SECTION] Recognition

const char* message_key(const Payload& p) {
    if (p.recognised()) return "";
    switch (p.reason) {
        case Rejection::Invalid:
            return "scan.unreadable";
        case Rejection::BadCheckDigit:
            return "scan.check_notice_number";
        case Rejection::InsecureUrl:
            return "scan.insecure_link";
        default:
            return "scan.not_for_this_kiosk";
    }
}

std::string url_host(std::string_view url) {
    const auto sep = url.find("://");
    if (sep == std::string_view::npos) return {};
    std::string_view auth = url.substr(sep + 3);
    auth = auth.substr(0, auth.find_first_of("/?#"));
    if (const auto at = auth.rfind('@'); at != std::string_view::npos) auth = auth.substr(at + 1);
    if (const auto c = auth.rfind(':'); c != std::string_view::npos) auth = auth.substr(0, c);
    std::string host = to_lower(auth);
    if (!host.empty() && host.back() == '.') host.pop_back();
    return host;
}

Payload recognise(std::string_view text, const PayloadConfig& cfg) {
    // Scanners pad with spaces; the kiosk's payloads never start or end with one.
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    if (text.empty() || text.size() > 4096) return reject(Rejection::UnknownFormat);
    if (std::any_of(text.begin(), text.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; })) {
        return reject(Rejection::UnknownFormat);
    }
    if (starts_with_ci(text, "ESTN:")) return recognise_prefixed(text.substr(5), cfg);
    if (starts_with_ci(text, "https://") || starts_with_ci(text, "http://")) {
        return recognise_url(text, cfg);
    }
    if (all_digits(text)) {
        if (text.size() >= cfg.pickup_min_digits && text.size() <= cfg.pickup_max_digits) {
            return accept(PayloadKind::PickupCode, std::string(text));
        }
        if (text.size() == 20) return notice(text);
    }
    return reject(Rejection::UnknownFormat);
}

}  // namespace kiosk::scanner
