#include "update/bundle.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>

#include <nlohmann/json.hpp>
#include <sodium.h>

namespace kiosk::update {

namespace {

using J = nlohmann::json;
constexpr char kMagic[8] = {'K', 'S', 'K', 'B', 'N', 'D', 'L', '1'};
constexpr char kArMagic[4] = {'K', 'A', 'R', '1'};

bool sodium_ready() {
    static const bool ok = sodium_init() >= 0;
    return ok;
}

void put_be(std::string& s, std::uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint64_t get_be(const unsigned char* p, int bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
    return v;
}

bool is_hex64(const std::string& s) {
    if (s.size() != 64) return false;
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool printable_id(const std::string& s, std::size_t max) {
    if (s.empty() || s.size() > max) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               c == '-' || c == '_' || c == '.' || c == '+';
    });
}

// A buffered reader over a file descriptor, bounded by a byte budget.
class Reader {
  public:
    Reader(int fd, std::uint64_t limit) : fd_(fd), left_(limit) {}
    bool read(void* out, std::size_t n) {
        auto* o = static_cast<unsigned char*>(out);
        while (n > 0) {
            if (pos_ == len_) {
                if (left_ == 0) return false;
                std::size_t want =
                    static_cast<std::size_t>(std::min<std::uint64_t>(sizeof(buf_), left_));
                ssize_t r = ::read(fd_, buf_, want);
                if (r < 0 && errno == EINTR) continue;
                if (r <= 0) return false;
                len_ = static_cast<std::size_t>(r);
                pos_ = 0;
                left_ -= static_cast<std::uint64_t>(r);
            }
            std::size_t take = std::min(n, len_ - pos_);
            std::memcpy(o, buf_ + pos_, take);
            pos_ += take;
            o += take;
            n -= take;
        }
        return true;
    }
    bool at_end() const { return pos_ == len_ && left_ == 0; }

  private:
    int fd_;
    std::uint64_t left_;
    unsigned char buf_[64 * 1024];
    std::size_t pos_ = 0, len_ = 0;
};

struct Fd {
    int fd = -1;
    explicit Fd(int f) : fd(f) {}
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
};

bool write_all(int fd, const void* data, std::size_t n) {
    const auto* p = static_cast<const char*>(data);
    while (n > 0) {
        ssize_t w = ::write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

// Walks an archive; for each entry calls on_dir / on_file (file data is streamed through
// on_data). Returns an error text, or nullopt on a well-formed archive ending exactly at the
// payload's end.
struct ArchiveVisitor {
    std::function<bool(const std::string&)> on_dir;
    std::function<bool(const std::string&, bool exec, std::uint64_t size)> on_file_begin;
    std::function<bool(const unsigned char*, std::size_t)> on_data;
    std::function<bool()> on_file_end;
};

std::optional<std::string> walk_archive(int fd, std::uint64_t size, const ArchiveVisitor& v) {
    Reader r(fd, size);
    char magic[4];
    if (!r.read(magic, 4) || std::memcmp(magic, kArMagic, 4) != 0)
        return "payload is not a KAR1 archive";
    std::vector<unsigned char> chunk(64 * 1024);
    for (std::size_t n = 0;; ++n) {
        if (n > kMaxArchiveEntries) return "archive has too many entries";
        unsigned char th[3];
        if (!r.read(th, 3)) return "archive truncated";
        const char type = static_cast<char>(th[0]);
        const auto plen = static_cast<std::size_t>(get_be(th + 1, 2));
        if (type == 'E') {
            if (plen != 0) return "archive end entry has a path";
            if (!r.at_end()) return "data after the archive's end";
            return std::nullopt;
        }
        if (plen == 0 || plen > kMaxPathBytes) return "archive path length out of range";
        std::string path(plen, '\0');
        if (!r.read(path.data(), plen)) return "archive truncated";
        if (!safe_relative_path(path)) return "unsafe path in archive";
        if (type == 'd') {
            if (v.on_dir && !v.on_dir(path)) return "cannot create directory " + path;
        } else if (type == 'f') {
            unsigned char fh[9];
            if (!r.read(fh, 9)) return "archive truncated";
            if (fh[0] > 1) return "bad file mode in archive";
            std::uint64_t fsize = get_be(fh + 1, 8);
            if (fsize > size) return "file larger than the payload";
            if (v.on_file_begin && !v.on_file_begin(path, fh[0] == 1, fsize))
                return "cannot create file " + path;
            while (fsize > 0) {
                std::size_t take =
                    static_cast<std::size_t>(std::min<std::uint64_t>(fsize, chunk.size()));
                if (!r.read(chunk.data(), take)) return "archive truncated";
                if (v.on_data && !v.on_data(chunk.data(), take)) return "cannot write " + path;
                fsize -= take;
            }
            if (v.on_file_end && !v.on_file_end()) return "cannot finish " + path;
        } else {
            return "unsupported archive entry type";
        }
    }
}

bool mkdirs(const std::string& path) {
    std::string cur;
    std::size_t i = 0;
    while (i <= path.size()) {
        std::size_t j = path.find('/', i);
        if (j == std::string::npos) j = path.size();
        cur = path.substr(0, j);
        if (!cur.empty()) {
            struct stat st {};
            if (::lstat(cur.c_str(), &st) == 0) {
                if (!S_ISDIR(st.st_mode)) return false;
            } else if (::mkdir(cur.c_str(), 0755) != 0 && errno != EEXIST) {
                return false;
            }
        }
        i = j + 1;
    }
    return true;
}

}  // namespace

const char* refusal_name(Refusal r) {
    switch (r) {
        case Refusal::none:
            return "ok";
        case Refusal::malformed:
            return "malformed";
        case Refusal::unknown_key:
            return "unknown_key";
        case Refusal::retired_key:
            return "retired_key";
        case Refusal::bad_signature:
            return "bad_signature";
        case Refusal::wrong_product:
            return "wrong_product";
        case Refusal::incompatible_hw:
            return "incompatible_hw";
        case Refusal::expired:
            return "expired";
        case Refusal::rollback:
            return "rollback";
        case Refusal::same_version:
            return "same_version";
        case Refusal::too_large:
            return "too_large";
        case Refusal::bad_hash:
            return "bad_hash";
        case Refusal::io:
            return "io";
    }
    return "?";
}

bool safe_relative_path(std::string_view p) {
    if (p.empty() || p.size() > kMaxPathBytes || p.front() == '/') return false;
    std::size_t i = 0;
    while (i <= p.size()) {
        std::size_t j = p.find('/', i);
        if (j == std::string_view::npos) j = p.size();
        std::string_view c = p.substr(i, j - i);
        if (c.empty() || c == "." || c == ".." || c.size() > 255) return false;
        for (char ch : c)
            if (ch == '\0' || ch == '\\' || static_cast<unsigned char>(ch) < 0x20) return false;
        i = j + 1;
    }
    return true;
}

std::optional<std::int64_t> parse_utc(std::string_view t) {
    // YYYY-MM-DDTHH:MM:SSZ
    if (t.size() != 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' ||
        t[16] != ':' || t[19] != 'Z')
        return std::nullopt;
    auto num = [&](std::size_t at, std::size_t n, int& out) {
        out = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (t[i] < '0' || t[i] > '9') return false;
            out = out * 10 + (t[i] - '0');
        }
        return true;
    };
    int y, mo, d, h, mi, s;
    if (!num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d) || !num(11, 2, h) || !num(14, 2, mi) ||
        !num(17, 2, s))
        return std::nullopt;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return std::nullopt;
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    return static_cast<std::int64_t>(timegm(&tm));
}

std::optional<std::string> parse_manifest(std::string_view json, Manifest& out) {
    if (json.empty() || json.size() > kMaxManifest) return "manifest size out of range";
    J j = J::parse(json.begin(), json.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return "manifest is not a JSON object";
    static const char* known[] = {"schema",  "product", "hw_compat", "version",
                                  "counter", "expires", "payload",   "key_id"};
    for (const auto& [k, v] : j.items()) {
        (void)v;
        if (std::find(std::begin(known), std::end(known), k) == std::end(known))
            return "unknown manifest field '" + k + "'";
    }
    Manifest m;
    auto s = [&](const char* k, std::string& dst, std::size_t max) -> std::optional<std::string> {
        auto it = j.find(k);
        if (it == j.end() || !it->is_string()) return std::string("manifest '") + k + "' missing";
        dst = it->get<std::string>();
        if (!printable_id(dst, max)) return std::string("manifest '") + k + "' malformed";
        return std::nullopt;
    };
    auto it = j.find("schema");
    if (it == j.end() || !it->is_number_integer() || it->get<std::int64_t>() != 1)
        return "manifest schema must be 1";
    if (auto e = s("product", m.product, 64)) return e;
    if (auto e = s("version", m.version, 64)) return e;
    if (auto e = s("key_id", m.key_id, 64)) return e;
    it = j.find("counter");
    if (it == j.end() || !it->is_number_integer() || it->get<std::int64_t>() < 0)
        return "manifest 'counter' must be a non-negative integer";
    m.counter = it->get<std::int64_t>();
    it = j.find("expires");
    if (it == j.end() || !it->is_string()) return "manifest 'expires' missing";
    m.expires = it->get<std::string>();
    auto exp = parse_utc(m.expires);
    if (!exp) return "manifest 'expires' is not YYYY-MM-DDTHH:MM:SSZ";
    m.expires_epoch = *exp;
    it = j.find("hw_compat");
    if (it == j.end() || !it->is_array() || it->empty() || it->size() > 64)
        return "manifest 'hw_compat' must be a non-empty array";
    for (const auto& h : *it) {
        if (!h.is_string() || !printable_id(h.get<std::string>(), 64))
            return "manifest 'hw_compat' entries must be short strings";
        m.hw_compat.push_back(h.get<std::string>());
    }
    it = j.find("payload");
    if (it == j.end() || !it->is_object()) return "manifest 'payload' missing";
    auto sh = it->find("sha256");
    auto sz = it->find("size");
    if (sh == it->end() || !sh->is_string() || !is_hex64(sh->get<std::string>()))
        return "manifest 'payload.sha256' must be 64 lower-case hex digits";
    if (sz == it->end() || !sz->is_number_unsigned()) return "manifest 'payload.size' missing";
    if (it->size() != 2) return "manifest 'payload' has unknown fields";
    m.payload_sha256 = sh->get<std::string>();
    m.payload_size = sz->get<std::uint64_t>();
    out = std::move(m);
    return std::nullopt;
}

std::string manifest_json(const Manifest& m) {
    J j = J::object();
    j["schema"] = 1;
    j["product"] = m.product;
    j["hw_compat"] = m.hw_compat;
    j["version"] = m.version;
    j["counter"] = m.counter;
    j["expires"] = m.expires;
    j["payload"] = {{"sha256", m.payload_sha256}, {"size", m.payload_size}};
    j["key_id"] = m.key_id;
    return j.dump();
}

std::optional<std::string> parse_header(const unsigned char* h, std::size_t& manifest_len) {
    if (std::memcmp(h, kMagic, 8) != 0) return "not a kiosk bundle (bad magic)";
    manifest_len = static_cast<std::size_t>(get_be(h + 8, 4));
    if (manifest_len == 0 || manifest_len > kMaxManifest) return "manifest length out of range";
    if (get_be(h + 12, 4) != kSignatureSize) return "signature length must be 64";
    return std::nullopt;
}

std::optional<std::string> parse_trusted_key(std::string_view text, TrustedKey& out) {
    // Update key ids are the manifest's key_id alphabet (printable_id), which allows '+'.
    auto k = kiosk::parse_trusted_key(text, KeyIdRule{64, true});
    if (k) {
        out = std::move(*k);
        return std::nullopt;
    }
    switch (k.error()) {
        case TrustedKeyError::NoSeparator:
            return "trusted key must be 'id:BASE64'";
        case TrustedKeyError::BadId:
            return "trusted key id malformed";
        case TrustedKeyError::NoKey:
            return "trusted key '" + std::string(text.substr(0, text.find(':'))) +
                   "' has no key after ':'";
        case TrustedKeyError::BadKey:
            break;
    }
    return "trusted key is not a base64 32-byte Ed25519 key";
}

Verdict verify_manifest(std::string_view manifest_bytes,
                        const unsigned char (&signature)[kSignatureSize], const Policy& policy,
                        Manifest& manifest) {
    if (!sodium_ready()) return {Refusal::io, "libsodium failed to initialise"};
    Manifest m;
    if (auto e = parse_manifest(manifest_bytes, m)) return {Refusal::malformed, *e};
    if (std::find(policy.keys.retired.begin(), policy.keys.retired.end(), m.key_id) !=
        policy.keys.retired.end())
        return {Refusal::retired_key, "key '" + m.key_id + "' is retired"};
    auto key = std::find_if(policy.keys.keys.begin(), policy.keys.keys.end(),
                            [&](const TrustedKey& k) { return k.id == m.key_id; });
    if (key == policy.keys.keys.end())
        return {Refusal::unknown_key, "key '" + m.key_id + "' is not trusted"};
    if (crypto_sign_verify_detached(signature,
                                    reinterpret_cast<const unsigned char*>(manifest_bytes.data()),
                                    manifest_bytes.size(), key->public_key.data()) != 0)
        return {Refusal::bad_signature,
                "manifest signature does not verify with '" + key->id + "'"};
    manifest = m;
    if (m.product != policy.product)
        return {Refusal::wrong_product, "bundle is for product '" + m.product + "'"};
    if (std::find(m.hw_compat.begin(), m.hw_compat.end(), policy.hw_revision) == m.hw_compat.end())
        return {Refusal::incompatible_hw,
                "bundle does not list hardware '" + policy.hw_revision + "'"};
    if (m.expires_epoch <= policy.now_epoch)
        return {Refusal::expired, "manifest expired at " + m.expires};
    if (m.counter < policy.installed_counter)
        return {Refusal::rollback, "counter " + std::to_string(m.counter) + " is lower than the " +
                                       "installed " + std::to_string(policy.installed_counter)};
    if (m.counter == policy.installed_counter)
        return {Refusal::same_version,
                "counter " + std::to_string(m.counter) + " is already installed"};
    if (m.payload_size > policy.max_payload)
        return {Refusal::too_large,
                "payload of " + std::to_string(m.payload_size) + " bytes is over the limit"};
    return {};
}

Verdict read_head(const std::string& path, BundleHead& head) {
    Fd f(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (f.fd < 0) return {Refusal::io, "cannot open the bundle"};
    Reader r(f.fd, header_total(kMaxManifest));
    unsigned char h[kHeaderSize];
    if (!r.read(h, sizeof h)) return {Refusal::malformed, "bundle shorter than its header"};
    std::size_t mlen = 0;
    if (auto e = parse_header(h, mlen)) return {Refusal::malformed, *e};
    head.manifest_bytes.assign(mlen, '\0');
    if (!r.read(head.manifest_bytes.data(), mlen) || !r.read(head.signature, kSignatureSize))
        return {Refusal::malformed, "bundle truncated in its manifest or signature"};
    head.payload_offset = header_total(mlen);
    return {};
}

std::optional<std::string> sha256_file(const std::string& path, std::uint64_t offset,
                                       std::uint64_t size) {
    if (!sodium_ready()) return std::nullopt;
    Fd f(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (f.fd < 0 || ::lseek(f.fd, static_cast<off_t>(offset), SEEK_SET) < 0) return std::nullopt;
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    std::vector<unsigned char> buf(64 * 1024);
    while (size > 0) {
        auto want = static_cast<std::size_t>(std::min<std::uint64_t>(size, buf.size()));
        ssize_t r = ::read(f.fd, buf.data(), want);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return std::nullopt;
        crypto_hash_sha256_update(&st, buf.data(), static_cast<unsigned long long>(r));
        size -= static_cast<std::uint64_t>(r);
    }
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, out);
    return to_hex(out, sizeof out);
}

Verdict verify_bundle(const std::string& path, const Policy& policy, Manifest& manifest) {
    BundleHead head;
    if (auto v = read_head(path, head); !v.ok()) return v;
    if (auto v = verify_manifest(head.manifest_bytes, head.signature, policy, manifest); !v.ok())
        return v;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return {Refusal::io, "cannot stat the bundle"};
    const auto have = static_cast<std::uint64_t>(st.st_size);
    if (have != head.payload_offset + manifest.payload_size)
        return {Refusal::bad_hash, "bundle size does not match the manifest's payload size"};
    auto hash = sha256_file(path, head.payload_offset, manifest.payload_size);
    if (!hash) return {Refusal::io, "cannot read the payload"};
    if (*hash != manifest.payload_sha256)
        return {Refusal::bad_hash, "payload sha256 does not match the signed manifest"};
    Fd f(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (f.fd < 0 || ::lseek(f.fd, static_cast<off_t>(head.payload_offset), SEEK_SET) < 0)
        return {Refusal::io, "cannot read the payload"};
    if (auto e = walk_archive(f.fd, manifest.payload_size, {})) return {Refusal::malformed, *e};
    return {};
}

Verdict extract_payload(const std::string& path, const std::string& dest) {
    BundleHead head;
    if (auto v = read_head(path, head); !v.ok()) return v;
    Manifest m;
    if (auto e = parse_manifest(head.manifest_bytes, m)) return {Refusal::malformed, *e};
    Fd f(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (f.fd < 0 || ::lseek(f.fd, static_cast<off_t>(head.payload_offset), SEEK_SET) < 0)
        return {Refusal::io, "cannot read the payload"};
    if (::mkdir(dest.c_str(), 0755) != 0) return {Refusal::io, "cannot create " + dest};
    int out = -1;
    ArchiveVisitor v;
    v.on_dir = [&](const std::string& p) { return mkdirs(dest + "/" + p); };
    v.on_file_begin = [&](const std::string& p, bool exec, std::uint64_t) {
        const std::string full = dest + "/" + p;
        auto slash = full.rfind('/');
        if (!mkdirs(full.substr(0, slash))) return false;
        out = ::open(full.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                     exec ? 0755 : 0644);
        return out >= 0;
    };
    v.on_data = [&](const unsigned char* d, std::size_t n) { return write_all(out, d, n); };
    v.on_file_end = [&] {
        bool ok = ::fsync(out) == 0;
        ok = ::close(out) == 0 && ok;
        out = -1;
        return ok;
    };
    auto e = walk_archive(f.fd, m.payload_size, v);
    if (out >= 0) ::close(out);
    if (e) return {Refusal::malformed, *e};
    return {};
}

// [SECTION] builder ------------------------------------------------------------------------------

namespace {
std::optional<std::string> add_dir(const std::string& root, const std::string& rel,
                                   std::string& ar) {
    const std::string full = rel.empty() ? root : root + "/" + rel;
    DIR* d = ::opendir(full.c_str());
    if (!d) return "cannot open directory " + full;
    std::vector<std::string> names;
    while (auto* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..") names.push_back(n);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    for (const auto& n : names) {
        const std::string r = rel.empty() ? n : rel + "/" + n;
        const std::string p = root + "/" + r;
        if (!safe_relative_path(r)) return "unsafe path " + r;
        struct stat st {};
        if (::lstat(p.c_str(), &st) != 0) return "cannot stat " + p;
        if (S_ISLNK(st.st_mode)) return "symlinks are not allowed in a bundle: " + r;
        if (S_ISDIR(st.st_mode)) {
            ar.push_back('d');
            put_be(ar, r.size(), 2);
            ar += r;
            if (auto e = add_dir(root, r, ar)) return e;
        } else if (S_ISREG(st.st_mode)) {
            std::ifstream in(p, std::ios::binary);
            std::string data((std::istreambuf_iterator<char>(in)), {});
            if (!in && !in.eof()) return "cannot read " + p;
            ar.push_back('f');
            put_be(ar, r.size(), 2);
            ar += r;
            ar.push_back((st.st_mode & 0111) ? 1 : 0);
            put_be(ar, data.size(), 8);
            ar += data;
        } else {
            return "only files and directories can go in a bundle: " + r;
        }
    }
    return std::nullopt;
}

std::optional<std::string> write_file(const std::string& path, const std::string& data) {
    std::ofstream o(path, std::ios::binary | std::ios::trunc);
    o.write(data.data(), static_cast<std::streamsize>(data.size()));
    o.close();
    if (!o) return "cannot write " + path;
    return std::nullopt;
}

std::optional<std::string> assemble(const std::string& out, const std::string& manifest,
                                    const std::vector<unsigned char>& sk,
                                    const std::string& payload) {
    if (!sodium_ready()) return "libsodium failed to initialise";
    unsigned char sig[kSignatureSize]{};
    if (!sk.empty()) {
        if (sk.size() != crypto_sign_SECRETKEYBYTES) return "secret key must be 64 bytes";
        crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(manifest.data()),
                             manifest.size(), sk.data());
    }
    std::string b(kMagic, 8);
    put_be(b, manifest.size(), 4);
    put_be(b, kSignatureSize, 4);
    b += manifest;
    b.append(reinterpret_cast<const char*>(sig), kSignatureSize);
    b += payload;
    return write_file(out, b);
}
}  // namespace

std::optional<std::string> build_archive(const std::string& dir, std::string& archive) {
    archive.assign(kArMagic, 4);
    if (auto e = add_dir(dir, "", archive)) return e;
    archive.push_back('E');
    put_be(archive, 0, 2);
    return std::nullopt;
}

std::optional<std::string> write_bundle(const std::string& out, Manifest m,
                                        const std::string& archive,
                                        const std::vector<unsigned char>& secret_key) {
    if (!sodium_ready()) return "libsodium failed to initialise";
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(archive.data()), archive.size());
    m.payload_sha256 = to_hex(h, sizeof h);
    m.payload_size = archive.size();
    const std::string mj = manifest_json(m);
    Manifest check;
    if (auto e = parse_manifest(mj, check)) return *e;
    return assemble(out, mj, secret_key, archive);
}

std::optional<std::string> sign_bundle(const std::string& in, const std::string& out,
                                       const std::string& key_id,
                                       const std::vector<unsigned char>& secret_key) {
    BundleHead head;
    if (auto v = read_head(in, head); !v.ok()) return v.detail;
    Manifest m;
    if (auto e = parse_manifest(head.manifest_bytes, m)) return *e;
    if (!key_id.empty()) m.key_id = key_id;
    std::ifstream f(in, std::ios::binary);
    std::string all((std::istreambuf_iterator<char>(f)), {});
    if (all.size() < head.payload_offset) return "bundle truncated";
    std::string payload = all.substr(head.payload_offset);
    if (secret_key.empty()) return "a secret key is required";
    return assemble(out, manifest_json(m), secret_key, payload);
}

std::optional<std::string> list_archive(const std::string& bundle, std::vector<std::string>& out) {
    BundleHead head;
    if (auto v = read_head(bundle, head); !v.ok()) return v.detail;
    Manifest m;
    if (auto e = parse_manifest(head.manifest_bytes, m)) return *e;
    Fd f(::open(bundle.c_str(), O_RDONLY | O_CLOEXEC));
    if (f.fd < 0 || ::lseek(f.fd, static_cast<off_t>(head.payload_offset), SEEK_SET) < 0)
        return "cannot read the payload";
    ArchiveVisitor v;
    v.on_dir = [&](const std::string& p) {
        out.push_back("d " + p);
        return true;
    };
    v.on_file_begin = [&](const std::string& p, bool exec, std::uint64_t size) {
        out.push_back(std::string(exec ? "x " : "f ") + p + " " + std::to_string(size));
        return true;
    };
    return walk_archive(f.fd, m.payload_size, v);
}

std::string to_hex(const unsigned char* data, std::size_t size) {
    static const char* d = "0123456789abcdef";
    std::string s;
    s.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        s.push_back(d[data[i] >> 4]);
        s.push_back(d[data[i] & 15]);
    }
    return s;
}

void keygen(std::vector<unsigned char>& pk, std::vector<unsigned char>& sk) {
    sodium_ready();
    pk.assign(crypto_sign_PUBLICKEYBYTES, 0);
    sk.assign(crypto_sign_SECRETKEYBYTES, 0);
    crypto_sign_keypair(pk.data(), sk.data());
}

}  // namespace kiosk::update
