// The process-wide photo decoder slot (see photo.hpp). Empty unless a deployment installs one.
#include "idcard/photo.hpp"

#include <mutex>

namespace kiosk::idcard {
namespace {
std::mutex g_mutex;
std::shared_ptr<PhotoDecoder> g_decoder;
}  // namespace

std::shared_ptr<PhotoDecoder> photo_decoder() {
    std::lock_guard lock(g_mutex);
    return g_decoder;
}

void set_photo_decoder(std::shared_ptr<PhotoDecoder> decoder) {
    std::lock_guard lock(g_mutex);
    g_decoder = std::move(decoder);
}

}  // namespace kiosk::idcard
