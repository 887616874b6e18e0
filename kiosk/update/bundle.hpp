// Signed update bundles (docs/fleet.md "Updates", /work reference fleet.md "Signed bundles").
//
// A bundle file is, in this order:
//   header    8 bytes magic "KSKBNDL1", u32 big-endian manifest length (1..16384),
//             u32 big-endian signature length (always 64)
//   manifest  JSON, exactly the bytes that were signed
//   signature Ed25519 detached signature of the manifest bytes (crypto_sign_detached; never the
//             multi-part Ed25519ph API)
//   payload   an archive (below) whose sha256 and size the manifest names
//
// Manifest: {"schema":1,"product":"kiosk","hw_compat":["rev2"],"version":"1.4.2","counter":1042,
//            "expires":"2026-12-31T00:00:00Z","payload":{"sha256":"<64 hex>","size":N},
//            "key_id":"rel-2026"}
//
// Payload archive ("KAR1"): magic "KAR1", then entries until an end entry:
//   u8 type ('d' directory, 'f' file, 'E' end), u16 BE path length, path bytes,
//   for 'f': u8 executable (0/1), u64 BE size, data.
// Paths are relative, '/'-separated, without empty, "." or ".." components, at most 1024 bytes;
// no other entry types exist (so no symlinks, devices or hard links can be expressed).
//
// The server's hashes (DDI artifact sha256) only protect the transport: authenticity comes from
// the signature over the manifest and the manifest's sha256 over the payload.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/trusted_key.hpp"

namespace kiosk::update {

inline constexpr std::size_t kHeaderSize = 16;
inline constexpr std::size_t kMaxManifest = 16 * 1024;
inline constexpr std::size_t kSignatureSize = 64;
inline constexpr std::size_t kMaxArchiveEntries = 100000;
inline constexpr std::size_t kMaxPathBytes = 1024;

struct Manifest {
    int schema = 1;
    std::string product;
    std::vector<std::string> hw_compat;
    std::string version;
    std::int64_t counter = 0;
    std::string expires;             // as written (RFC 3339, UTC "Z")
    std::int64_t expires_epoch = 0;  // seconds since the epoch
    std::string payload_sha256;      // lower-case hex
    std::uint64_t payload_size = 0;
    std::string key_id;
};

// Parses and validates a manifest (types, lengths, formats). Error text on failure.
std::optional<std::string> parse_manifest(std::string_view json, Manifest& out);
std::string manifest_json(const Manifest& m);  // canonical serialisation (the builder's)

// Parses "YYYY-MM-DDTHH:MM:SSZ" into seconds since the epoch.
std::optional<std::int64_t> parse_utc(std::string_view text);

// Parses the fixed 16-byte header. Returns the manifest length or an error.
std::optional<std::string> parse_header(const unsigned char* h, std::size_t& manifest_len);
inline std::size_t header_total(std::size_t manifest_len) {
    return kHeaderSize + manifest_len + kSignatureSize;
}

using kiosk::TrustedKey;  // base/include/base/trusted_key.hpp
struct KeyRing {
    std::vector<TrustedKey> keys;
    std::vector<std::string> retired;  // key ids refused even if still listed
};
// "id:BASE64" (standard base64 of the 32-byte Ed25519 public key; the id may have '+'), through
// kiosk::parse_trusted_key. Returns the error message.
std::optional<std::string> parse_trusted_key(std::string_view text, TrustedKey& out);

// Why a bundle is refused (the updater reports these; tests match on them).
enum class Refusal {
    none,
    malformed,      // header, manifest or archive is not well formed
    unknown_key,    // key_id not in the trusted list
    retired_key,    // key_id retired
    bad_signature,  // signature does not verify
    wrong_product,
    incompatible_hw,
    expired,       // freeze attack
    rollback,      // counter lower than the installed one
    same_version,  // counter equal: nothing to do
    too_large,     // size over the limit (declared or streamed)
    bad_hash,      // payload sha256 or size mismatch
    io,            // local file problem
};
const char* refusal_name(Refusal r);

struct Verdict {
    Refusal refusal = Refusal::none;
    std::string detail;
    bool ok() const { return refusal == Refusal::none; }
};

struct Policy {
    KeyRing keys;
    std::string product = "kiosk";
    std::string hw_revision;     // must be in hw_compat
    std::int64_t now_epoch = 0;  // for expiry
    std::int64_t installed_counter = 0;
    std::uint64_t max_payload = 512ull * 1024 * 1024;
};

// Checks the signed part: signature by a trusted, not retired key, then product, hardware,
// expiry, counter and declared payload size. `manifest` is filled when it parses.
Verdict verify_manifest(std::string_view manifest_bytes,
                        const unsigned char (&signature)[kSignatureSize], const Policy& policy,
                        Manifest& manifest);

// Reads a bundle file's header, manifest and signature (without the payload).
struct BundleHead {
    std::string manifest_bytes;
    unsigned char signature[kSignatureSize]{};
    std::size_t payload_offset = 0;
};
Verdict read_head(const std::string& path, BundleHead& head);

// Full verification of a bundle file: head, then the payload's size and sha256 streamed from the
// file, then the archive's structure (paths, entry types, bounds) without writing anything.
Verdict verify_bundle(const std::string& path, const Policy& policy, Manifest& manifest);

// Extracts the (already verified) payload into `dest` (created; must not exist).
Verdict extract_payload(const std::string& path, const std::string& dest);

// A path inside an archive: relative, no "..", ".", empty components, NUL or backslash.
bool safe_relative_path(std::string_view p);

// Builder (kiosk-bundle and tests). Archives `dir` (regular files and directories only; a symlink
// or special file is an error), fills payload sha256/size into `manifest`, signs with `secret_key`
// (64-byte libsodium Ed25519 secret key; empty = all-zero signature, for `sign` later).
std::optional<std::string> build_archive(const std::string& dir, std::string& archive);
std::optional<std::string> write_bundle(const std::string& out, Manifest manifest,
                                        const std::string& archive,
                                        const std::vector<unsigned char>& secret_key);
// Replaces a bundle's manifest key id and signature (re-signs the manifest).
std::optional<std::string> sign_bundle(const std::string& in, const std::string& out,
                                       const std::string& key_id,
                                       const std::vector<unsigned char>& secret_key);
// Lists an archive's entries ("f path size", "d path").
std::optional<std::string> list_archive(const std::string& bundle, std::vector<std::string>& out);

// Key helpers. Keys are written in base64 (base/include/base/base64.hpp); a key's text is at
// most kKeyTextMax characters.
inline constexpr std::size_t kKeyTextMax = 4096;
std::string to_hex(const unsigned char* data, std::size_t size);
void keygen(std::vector<unsigned char>& public_key, std::vector<unsigned char>& secret_key);

// Streaming sha256 over a file range.
std::optional<std::string> sha256_file(const std::string& path, std::uint64_t offset,
                                       std::uint64_t size);

}  // namespace kiosk::update
