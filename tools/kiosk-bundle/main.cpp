// kiosk-bundle: make, sign, verify and inspect signed update bundles (kiosk/update/bundle.hpp).
//
//   kiosk-bundle keygen --id ID --out PREFIX        PREFIX.key (secret, 0600) + PREFIX.pub;
//                                                  prints the trusted_keys line "ID:BASE64"
//   kiosk-bundle build --dir DIR --out FILE --version V --counter N --expires YYYY-MM-DDTHH:MM:SSZ
//                      --hw rev2[,rev3] --key-id ID [--key PREFIX.key] [--product kiosk]
//                      (without --key the signature is left empty: sign it later)
//   kiosk-bundle sign --in FILE --out FILE2 --key PREFIX.key [--key-id ID]
//   kiosk-bundle verify --in FILE --trusted ID:BASE64 [--trusted ...] [--retired ID ...]
//                       --hw REV [--installed-counter N] [--now EPOCH]
//   kiosk-bundle inspect --in FILE
// Exit codes: 0 ok, 1 verification refused, 64 bad arguments, 65 bad input, 74 I/O error.
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "base/base64.hpp"
#include "update/bundle.hpp"

using namespace kiosk::update;

namespace {

int usage() {
    std::cerr << "usage: kiosk-bundle keygen|build|sign|verify|inspect [options]\n"
                 "  keygen  --id ID --out PREFIX\n"
                 "  build   --dir DIR --out FILE --version V --counter N --expires T --hw R[,R]\n"
                 "          --key-id ID [--key PREFIX.key] [--product P]\n"
                 "  sign    --in FILE --out FILE2 --key PREFIX.key [--key-id ID]\n"
                 "  verify  --in FILE --trusted ID:B64 [...] [--retired ID] --hw R\n"
                 "          [--installed-counter N] [--now EPOCH]\n"
                 "  inspect --in FILE\n";
    return 64;
}

std::multimap<std::string, std::string> args;
std::string arg(const std::string& k) {
    auto it = args.find(k);
    return it == args.end() ? std::string{} : it->second;
}

bool read_text(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    out.assign(std::istreambuf_iterator<char>(in), {});
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == ' '))
        out.pop_back();
    return true;
}

bool to_int(const std::string& s, std::int64_t& v) {
    if (s.empty() || s.size() > 18) return false;
    char* end = nullptr;
    v = std::strtoll(s.c_str(), &end, 10);
    return end && *end == '\0' && v >= 0;
}

std::optional<std::vector<unsigned char>> load_secret(const std::string& path) {
    std::string text;
    if (!read_text(path, text)) return std::nullopt;
    auto sk = kiosk::base64::decode(text, kKeyTextMax);
    if (!sk || sk->size() != 64) return std::nullopt;
    return std::vector<unsigned char>(sk->begin(), sk->end());
}

int keygen_cmd() {
    const std::string id = arg("--id"), out = arg("--out");
    if (id.empty() || out.empty()) return usage();
    std::vector<unsigned char> pk, sk;
    keygen(pk, sk);
    const std::string pub = kiosk::base64::encode(pk.data(), pk.size());
    const std::string sec = kiosk::base64::encode(sk.data(), sk.size());
    {
        ::umask(077);
        std::ofstream k(out + ".key", std::ios::trunc);
        k << sec << "\n";
        if (!k) return std::cerr << "cannot write " << out << ".key\n", 74;
    }
    std::ofstream p(out + ".pub", std::ios::trunc);
    p << pub << "\n";
    if (!p) return std::cerr << "cannot write " << out << ".pub\n", 74;
    TrustedKey check;
    if (auto e = parse_trusted_key(id + ":" + pub, check)) return std::cerr << *e << "\n", 64;
    std::cout << id << ":" << pub << "\n";
    return 0;
}

int build_cmd() {
    Manifest m;
    m.product = arg("--product").empty() ? "kiosk" : arg("--product");
    m.version = arg("--version");
    m.expires = arg("--expires");
    m.key_id = arg("--key-id");
    const std::string dir = arg("--dir"), out = arg("--out"), hw = arg("--hw");
    if (dir.empty() || out.empty() || m.version.empty() || m.expires.empty() || m.key_id.empty() ||
        hw.empty() || !to_int(arg("--counter"), m.counter))
        return usage();
    std::size_t i = 0;
    while (i <= hw.size()) {
        auto j = hw.find(',', i);
        if (j == std::string::npos) j = hw.size();
        m.hw_compat.push_back(hw.substr(i, j - i));
        i = j + 1;
    }
    std::vector<unsigned char> sk;
    if (!arg("--key").empty()) {
        auto s = load_secret(arg("--key"));
        if (!s) return std::cerr << "cannot read a secret key from " << arg("--key") << "\n", 65;
        sk = *s;
    }
    std::string archive;
    if (auto e = build_archive(dir, archive)) return std::cerr << *e << "\n", 65;
    if (auto e = write_bundle(out, m, archive, sk)) return std::cerr << *e << "\n", 65;
    std::cout << out << ": " << archive.size() << " payload bytes"
              << (sk.empty() ? " (unsigned)" : "") << "\n";
    return 0;
}

int sign_cmd() {
    const std::string in = arg("--in"), out = arg("--out");
    if (in.empty() || out.empty() || arg("--key").empty()) return usage();
    auto sk = load_secret(arg("--key"));
    if (!sk) return std::cerr << "cannot read a secret key from " << arg("--key") << "\n", 65;
    if (auto e = sign_bundle(in, out, arg("--key-id"), *sk)) return std::cerr << *e << "\n", 65;
    return 0;
}

int verify_cmd() {
    const std::string in = arg("--in");
    if (in.empty() || arg("--hw").empty()) return usage();
    Policy p;
    p.hw_revision = arg("--hw");
    for (auto [it, end] = args.equal_range("--trusted"); it != end; ++it) {
        TrustedKey k;
        if (auto e = parse_trusted_key(it->second, k)) return std::cerr << *e << "\n", 64;
        p.keys.keys.push_back(k);
    }
    for (auto [it, end] = args.equal_range("--retired"); it != end; ++it)
        p.keys.retired.push_back(it->second);
    std::int64_t v = 0;
    if (!arg("--installed-counter").empty()) {
        if (!to_int(arg("--installed-counter"), v)) return usage();
        p.installed_counter = v;
    } else {
        p.installed_counter = -1;  // not given: any counter is new
    }
    if (!arg("--now").empty()) {
        if (!to_int(arg("--now"), v)) return usage();
        p.now_epoch = v;
    } else {
        p.now_epoch = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
    }
    Manifest m;
    Verdict r = verify_bundle(in, p, m);
    if (!r.ok()) {
        std::cout << "refused: " << refusal_name(r.refusal) << ": " << r.detail << "\n";
        return r.refusal == Refusal::io ? 74 : 1;
    }
    std::cout << "ok: " << m.product << " " << m.version << " counter " << m.counter
              << " signed by " << m.key_id << "\n";
    return 0;
}

int inspect_cmd() {
    const std::string in = arg("--in");
    if (in.empty()) return usage();
    BundleHead head;
    if (auto v = read_head(in, head); !v.ok()) return std::cerr << v.detail << "\n", 65;
    std::cout << "manifest " << head.manifest_bytes << "\n"
              << "signature " << to_hex(head.signature, sizeof head.signature) << "\n";
    std::vector<std::string> entries;
    if (auto e = list_archive(in, entries)) return std::cerr << *e << "\n", 65;
    for (const auto& e : entries) std::cout << e << "\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage();
    const std::string cmd = argv[1];
    for (int i = 2; i < argc; ++i) {
        std::string k = argv[i];
        if (k.rfind("--", 0) != 0 || i + 1 >= argc) return usage();
        args.emplace(k, argv[++i]);
    }
    if (cmd == "keygen") return keygen_cmd();
    if (cmd == "build") return build_cmd();
    if (cmd == "sign") return sign_cmd();
    if (cmd == "verify") return verify_cmd();
    if (cmd == "inspect") return inspect_cmd();
    return usage();
}
