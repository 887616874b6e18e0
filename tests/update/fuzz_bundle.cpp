// Fuzz target: manifest JSON, bundle header and archive parsing (the parts that read bytes from
// the server before and after the signature check).
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "update/bundle.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace kiosk::update;
    const std::string text(reinterpret_cast<const char*>(data), size);
    Manifest m;
    (void)parse_manifest(text, m);
    (void)parse_utc(text.substr(0, 20));
    TrustedKey k;
    (void)parse_trusted_key(text.substr(0, 200), k);
    (void)safe_relative_path(text.substr(0, 2000));
    if (size >= kHeaderSize) {
        std::size_t mlen = 0;
        (void)parse_header(data, mlen);
    }
    // The whole input as a bundle file: header, manifest and the archive walk.
    static const std::string path = "/tmp/fuzz_update_bundle." + std::to_string(::getpid());
    if (FILE* f = std::fopen(path.c_str(), "wb")) {
        std::fwrite(data, 1, size, f);
        std::fclose(f);
        BundleHead head;
        (void)read_head(path, head);
        std::vector<std::string> entries;
        (void)list_archive(path, entries);
    }
    return 0;
}
