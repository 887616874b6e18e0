#include "base/base64.hpp"

#include <sodium.h>

namespace kiosk::base64 {
namespace {

void ensure_sodium() {
    // sodium_init() is idempotent and thread-safe; the base64 codec needs no more than this.
    static const int once = sodium_init();
    (void)once;
}

}  // namespace

const char* to_string(Error e) {
    switch (e) {
        case Error::TooLong:
            return "base64 text too long";
        case Error::Malformed:
            return "not base64 (standard alphabet, padded)";
    }
    return "base64 error";
}

std::string encode(const unsigned char* data, std::size_t size) {
    ensure_sodium();
    std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

std::string encode(std::string_view bytes) {
    return encode(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

Result<std::string, Error> decode(std::string_view text, std::size_t max_text) {
    if (text.size() > max_text) return fail(Error::TooLong);
    // The empty text must not reach libsodium: an empty buffer's data() may be null and
    // sodium_base642bin's output is declared nonnull.
    if (text.empty()) return std::string();
    ensure_sodium();
    std::string out(text.size() / 4 * 3 + 3, '\0');
    std::size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text.data() + text.size())
        return fail(Error::Malformed);
    out.resize(len);
    return out;
}

}  // namespace kiosk::base64
