// The card's 256-byte text block (see text.hpp; reference: shared/reference/idcard-sam.md).
#include "idcard/text.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace kiosk::idcard {

const char* to_string(TextError e) {
    switch (e) {
        case TextError::None:
            return "none";
        case TextError::WrongSize:
            return "text block is not 256 bytes";
        case TextError::UnknownCardType:
            return "unknown card type";
        case TextError::BadEncoding:
            return "bad UCS-2 in a field";
        case TextError::BadField:
            return "malformed field";
    }
    return "unknown";
}

// [SECTION] Encodings

namespace {

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

// Decodes one code point; an invalid sequence gives U+FFFD and consumes one byte.
char32_t next_utf8(std::string_view s, std::size_t& i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80             ? 0
                          : (c & 0xE0) == 0xC0 ? 1
                          : (c & 0xF0) == 0xE0 ? 2
                          : (c & 0xF8) == 0xF0 ? 3
                                               : 4;
    if (n == 0) {
        ++i;
        return c;
    }
    if (n == 4 || i + n >= s.size()) {
        ++i;
        return 0xFFFD;
    }
    char32_t cp = c & (0x3Fu >> n);
    for (std::size_t k = 1; k <= n; ++k) {
        const auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) {
            ++i;
            return 0xFFFD;
        }
        cp = cp << 6 | (cc & 0x3F);
    }
    i += n + 1;
    return cp;
}

}  // namespace

std::optional<std::string> utf16le_to_utf8(std::span<const std::uint8_t> bytes) {
    std::string out;
    const std::size_t units = bytes.size() / 2;
    auto unit = [&](std::size_t i) {
        return static_cast<char16_t>(bytes[2 * i] | bytes[2 * i + 1] << 8);
    };
    for (std::size_t i = 0; i < units; ++i) {
        char32_t c = unit(i);
        if (c >= 0xD800 && c <= 0xDBFF) {
            if (i + 1 >= units) return std::nullopt;
            char32_t lo = unit(i + 1);
            if (lo < 0xDC00 || lo > 0xDFFF) return std::nullopt;
            c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
            ++i;
        } else if (c >= 0xDC00 && c <= 0xDFFF) {
            return std::nullopt;
        } else if (c == 0) {
            // NUL padding: only allowed as trailing fill.
            for (std::size_t k = i; k < units; ++k)
                if (unit(k) != 0 && unit(k) != 0x20) return std::nullopt;
            break;
        } else if (c < 0x20 || c == 0x7F) {
            return std::nullopt;
        }
        append_utf8(out, c);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::vector<std::uint8_t> utf8_to_utf16le(std::string_view s) {
    std::vector<std::uint8_t> out;
    auto put = [&](char32_t u) {
        out.push_back(static_cast<std::uint8_t>(u & 0xFF));
        out.push_back(static_cast<std::uint8_t>(u >> 8));
    };
    for (std::size_t i = 0; i < s.size();) {
        char32_t c = next_utf8(s, i);
        if (c >= 0x10000 && c <= 0x10FFFF) {
            c -= 0x10000;
            put(0xD800 + (c >> 10));
            put(0xDC00 + (c & 0x3FF));
        } else if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) {
            put(0xFFFD);
        } else {
            put(c);
        }
    }
    return out;
}

// [SECTION] Tables and checks

char gb11643_check_character(std::string_view d) {
    static constexpr int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static constexpr char table[] = "10X98765432";
    if (d.size() != 17) return 0;
    int sum = 0;
    for (std::size_t i = 0; i < 17; ++i) {
        if (d[i] < '0' || d[i] > '9') return 0;
        sum += (d[i] - '0') * weights[i];
    }
    return table[sum % 11];
}

IdCheck gb11643_check(std::string_view id) {
    if (id.size() != 18) return IdCheck::Malformed;
    char want = gb11643_check_character(id.substr(0, 17));
    char last = id[17] == 'x' ? 'X' : id[17];
    if (want == 0 || !((last >= '0' && last <= '9') || last == 'X')) return IdCheck::Malformed;
    return last == want ? IdCheck::Valid : IdCheck::BadCheckCharacter;
}

const char* nation_name(std::string_view code) {
    static constexpr const char* names[] = {
        "汉",     "蒙古",   "回",       "藏",     "维吾尔",   "苗",   "彝",     "壮",
        "布依",   "朝鲜",   "满",       "侗",     "瑶",       "白",   "土家",   "哈尼",
        "哈萨克", "傣",     "黎",       "傈僳",   "佤",       "畲",   "高山",   "拉祜",
        "水",     "东乡",   "纳西",     "景颇",   "柯尔克孜", "土",   "达斡尔", "仫佬",
        "羌",     "布朗",   "撒拉",     "毛南",   "仡佬",     "锡伯", "阿昌",   "普米",
        "塔吉克", "怒",     "乌孜别克", "俄罗斯", "鄂温克",   "德昂", "保安",   "裕固",
        "京",     "塔塔尔", "独龙",     "鄂伦春", "赫哲",     "门巴", "珞巴",   "基诺"};
    static_assert(std::size(names) == 56);
    if (code.size() != 2 || code[0] < '0' || code[0] > '9' || code[1] < '0' || code[1] > '9')
        return nullptr;
    int n = (code[0] - '0') * 10 + (code[1] - '0');
    if (n >= 1 && n <= 56) return names[n - 1];
    if (n == 97) return "其他";
    if (n == 98) return "外国血统中国籍人士";
    return nullptr;
}

// [SECTION] Layouts

namespace {

struct Slot {
    std::size_t off, len;
};
// Resident and 'J' (and, where shared, 'Y').
constexpr Slot kName{0, 30}, kSex{30, 2}, kNation{32, 4}, kBirth{36, 16}, kAddress{52, 70},
    kIdNumber{122, 36}, kAuthority{158, 30}, kValidFrom{188, 16}, kValidTo{204, 16},
    kPassNumber{220, 18}, kIssueCount{238, 4};
// 'I' (2017)
constexpr Slot kIEnglishName{0, 120}, kISex{120, 2}, kICardNumber{122, 30}, kINationality{152, 6},
    kIChineseName{158, 30}, kIIssue{188, 16}, kIExpiry{204, 16}, kIBirth{220, 16},
    kIVersion{236, 4}, kIAuthorityCode{240, 8};
// 'Y' (2023)
constexpr Slot kYRenewal{32, 4}, kYForeignName{52, 70}, kYForeignName2{220, 22},
    kYNationality{242, 6}, kYPrevious{250, 6};
constexpr std::size_t kTypeOffset = 248;

bool is_date(std::string_view s) {
    if (s.size() != 8 ||
        !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    int m = (s[4] - '0') * 10 + (s[5] - '0');
    int d = (s[6] - '0') * 10 + (s[7] - '0');
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

std::optional<Sex> sex_from_code(std::string_view s) {
    if (s == "0") return Sex::Unknown;
    if (s == "1") return Sex::Male;
    if (s == "2") return Sex::Female;
    if (s == "9") return Sex::Unspecified;
    return std::nullopt;
}

const char* sex_code(Sex s) {
    switch (s) {
        case Sex::Unknown:
            return "0";
        case Sex::Male:
            return "1";
        case Sex::Female:
            return "2";
        case Sex::Unspecified:
            return "9";
    }
    return "0";
}

class Reader {
  public:
    explicit Reader(std::span<const std::uint8_t> t) : t_(t) {}
    bool ok() const { return ok_; }
    std::string get(Slot s) {
        auto v = utf16le_to_utf8(t_.subspan(s.off, s.len));
        if (!v) {
            ok_ = false;
            return {};
        }
        return std::move(*v);
    }
    std::string get2(Slot a, Slot b) {  // a field continued in a second slot
        std::vector<std::uint8_t> joined(t_.begin() + static_cast<std::ptrdiff_t>(a.off),
                                         t_.begin() + static_cast<std::ptrdiff_t>(a.off + a.len));
        joined.insert(joined.end(), t_.begin() + static_cast<std::ptrdiff_t>(b.off),
                      t_.begin() + static_cast<std::ptrdiff_t>(b.off + b.len));
        auto v = utf16le_to_utf8(joined);
        secure_wipe(joined);
        if (!v) {
            ok_ = false;
            return {};
        }
        return std::move(*v);
    }

  private:
    std::span<const std::uint8_t> t_;
    bool ok_ = true;
};

TextError validity(Identity& id, std::string from, std::string to) {
    id.valid_from = std::move(from);
    if (to == kLongTerm) {
        id.long_term = true;
    } else {
        id.valid_to = std::move(to);
        if (!is_date(id.valid_to)) return TextError::BadField;
    }
    return is_date(id.valid_from) ? TextError::None : TextError::BadField;
}

TextError parse_resident_like(Reader& r, Identity& id, bool permit) {
    id.name = r.get(kName);
    auto sex = sex_from_code(r.get(kSex));
    if (!permit) {
        id.nation_code = r.get(kNation);
        if (const char* n = nation_name(id.nation_code))
            id.nation = n;
        else if (r.ok())
            return TextError::BadField;
    }
    id.birth = r.get(kBirth);
    id.address = r.get(kAddress);
    id.id_number = r.get(kIdNumber);
    id.authority = r.get(kAuthority);
    std::string from = r.get(kValidFrom), to = r.get(kValidTo);
    if (permit) {
        id.pass_number = r.get(kPassNumber);
        id.issue_count = r.get(kIssueCount);
        std::string_view n = id.id_number;
        id.region = n.starts_with("81")   ? Region::HongKong
                    : n.starts_with("82") ? Region::Macau
                    : n.starts_with("83") ? Region::Taiwan
                                          : Region::None;
    }
    if (!r.ok()) return TextError::BadEncoding;
    if (!sex || !is_date(id.birth)) return TextError::BadField;
    id.sex = *sex;
    id.id_check = gb11643_check(id.id_number);
    return validity(id, std::move(from), std::move(to));
}

TextError parse_foreign_2017(Reader& r, Identity& id) {
    id.foreign_name = r.get(kIEnglishName);
    auto sex = sex_from_code(r.get(kISex));
    id.id_number = r.get(kICardNumber);
    id.nationality = r.get(kINationality);
    id.name = r.get(kIChineseName);
    std::string from = r.get(kIIssue), to = r.get(kIExpiry);
    id.birth = r.get(kIBirth);
    id.card_version = r.get(kIVersion);
    id.authority = r.get(kIAuthorityCode);
    if (!r.ok()) return TextError::BadEncoding;
    if (!sex || !is_date(id.birth) || id.id_number.empty()) return TextError::BadField;
    id.sex = *sex;
    id.id_check = IdCheck::NotApplicable;
    return validity(id, std::move(from), std::move(to));
}

TextError parse_foreign_2023(Reader& r, Identity& id) {
    id.name = r.get(kName);
    auto sex = sex_from_code(r.get(kSex));
    id.renewal_count = r.get(kYRenewal);
    id.birth = r.get(kBirth);
    id.foreign_name = r.get2(kYForeignName, kYForeignName2);
    id.id_number = r.get(kIdNumber);
    id.authority = r.get(kAuthority);
    std::string from = r.get(kValidFrom), to = r.get(kValidTo);
    id.nationality = r.get(kYNationality);
    id.previous_card = r.get(kYPrevious);
    if (!r.ok()) return TextError::BadEncoding;
    if (!sex || !is_date(id.birth)) return TextError::BadField;
    id.sex = *sex;
    id.id_check = gb11643_check(id.id_number);
    // The 2023 card's number is an 18-character GB 11643 number that starts with '9'.
    if (id.id_check != IdCheck::Malformed && id.id_number[0] != '9') return TextError::BadField;
    return validity(id, std::move(from), std::move(to));
}

}  // namespace

TextError parse_text(std::span<const std::uint8_t> text, Identity& out) {
    out.wipe();
    if (text.size() != kTextBlockSize) return TextError::WrongSize;
    const unsigned marker = text[kTypeOffset] | text[kTypeOffset + 1] << 8;
    Reader r(text);
    TextError e;
    switch (marker) {
        case 0x0020:
            out.type = CardType::Resident;
            e = parse_resident_like(r, out, false);
            break;
        case 'J':
            out.type = CardType::HkMoTwResidence;
            e = parse_resident_like(r, out, true);
            break;
        case 'I':
            out.type = CardType::ForeignPermanent2017;
            e = parse_foreign_2017(r, out);
            break;
        case 'Y':
            out.type = CardType::ForeignPermanent2023;
            e = parse_foreign_2023(r, out);
            break;
        default:
            return TextError::UnknownCardType;
    }
    if (e != TextError::None) out.wipe();
    return e;
}

namespace {

class Writer {
  public:
    Writer() : t_(kTextBlockSize) {
        for (std::size_t i = 0; i < kTextBlockSize; i += 2) t_[i] = 0x20;
    }
    void put(Slot s, std::string_view utf8) {
        auto u = utf8_to_utf16le(utf8);
        std::size_t n = std::min(u.size(), s.len);
        // Never cut a surrogate pair in half.
        if (n >= 2 && n < u.size()) {
            unsigned last = u[n - 2] | u[n - 1] << 8;
            if (last >= 0xD800 && last <= 0xDBFF) n -= 2;
        }
        std::copy_n(u.begin(), n, t_.begin() + static_cast<std::ptrdiff_t>(s.off));
        secure_wipe(u);
    }
    // A field that overflows into a continuation slot.
    void put2(Slot a, Slot b, std::string_view utf8) {
        auto u = utf8_to_utf16le(utf8);
        std::size_t n = std::min(u.size(), a.len);
        std::copy_n(u.begin(), n, t_.begin() + static_cast<std::ptrdiff_t>(a.off));
        std::size_t m = std::min(u.size() - n, b.len);
        std::copy_n(u.begin() + static_cast<std::ptrdiff_t>(n), m,
                    t_.begin() + static_cast<std::ptrdiff_t>(b.off));
        secure_wipe(u);
    }
    void marker(char c) {
        t_[kTypeOffset] = static_cast<std::uint8_t>(c);
        t_[kTypeOffset + 1] = 0;
    }
    std::vector<std::uint8_t> take() { return std::move(t_); }

  private:
    std::vector<std::uint8_t> t_;
};

}  // namespace

std::vector<std::uint8_t> encode_text(const Identity& id) {
    Writer w;
    std::string to = id.long_term ? std::string(kLongTerm) : id.valid_to;
    switch (id.type) {
        case CardType::Resident:
        case CardType::HkMoTwResidence:
            w.put(kName, id.name);
            w.put(kSex, sex_code(id.sex));
            if (id.type == CardType::Resident) w.put(kNation, id.nation_code);
            w.put(kBirth, id.birth);
            w.put(kAddress, id.address);
            w.put(kIdNumber, id.id_number);
            w.put(kAuthority, id.authority);
            w.put(kValidFrom, id.valid_from);
            w.put(kValidTo, to);
            if (id.type == CardType::HkMoTwResidence) {
                w.put(kPassNumber, id.pass_number);
                w.put(kIssueCount, id.issue_count);
                w.marker('J');
            }
            break;
        case CardType::ForeignPermanent2017:
            w.put(kIEnglishName, id.foreign_name);
            w.put(kISex, sex_code(id.sex));
            w.put(kICardNumber, id.id_number);
            w.put(kINationality, id.nationality);
            w.put(kIChineseName, id.name);
            w.put(kIIssue, id.valid_from);
            w.put(kIExpiry, to);
            w.put(kIBirth, id.birth);
            w.put(kIVersion, id.card_version);
            w.put(kIAuthorityCode, id.authority);
            w.marker('I');
            break;
        case CardType::ForeignPermanent2023:
            w.put(kName, id.name);
            w.put(kSex, sex_code(id.sex));
            w.put(kYRenewal, id.renewal_count);
            w.put(kBirth, id.birth);
            w.put2(kYForeignName, kYForeignName2, id.foreign_name);
            w.put(kIdNumber, id.id_number);
            w.put(kAuthority, id.authority);
            w.put(kValidFrom, id.valid_from);
            w.put(kValidTo, to);
            w.put(kYNationality, id.nationality);
            w.marker('Y');
            w.put(kYPrevious, id.previous_card);
            break;
    }
    return w.take();
}

std::optional<std::string> parse_address(std::span<const std::uint8_t> data) {
    if (data.size() % 2 != 0) return std::nullopt;
    return utf16le_to_utf8(data);
}

std::vector<std::uint8_t> encode_address(std::string_view utf8) {
    auto u = utf8_to_utf16le(utf8);
    while (u.size() < 70) u.insert(u.end(), {0x20, 0x00});  // the slot real modules return
    return u;
}

}  // namespace kiosk::idcard
