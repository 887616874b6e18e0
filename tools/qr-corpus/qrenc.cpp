// libqrencode wrappers for the corpus (see qrenc.hpp). API: qrencode.h of libqrencode 4.1.1
// (QRinput_new2, QRinput_appendECIheader, QRinput_append, QRcode_encodeInput,
// QRcode_encodeStringMQR; QRcode::data bit 0 = dark module).
#include "qrenc.hpp"

#include <qrencode.h>

#include <string>

namespace qrcorpus {
namespace {

kiosk::scanner::GreyImage render(const QRcode* c, int module, int quiet) {
    const int n = c->width;
    const int side = (n + 2 * quiet) * module;
    auto img = kiosk::scanner::make_grey(side, side, 255);
    for (int y = 0; y < n * module; ++y) {
        for (int x = 0; x < n * module; ++x) {
            if (c->data[(y / module) * n + x / module] & 1) {
                img.at(quiet * module + x, quiet * module + y) = 0;
            }
        }
    }
    return img;
}

}  // namespace

kiosk::scanner::GreyImage qr_bytes(std::string_view bytes, int eci, int module) {
    QRinput* in = QRinput_new2(0, QR_ECLEVEL_M);
    if (!in) return {};
    bool ok = eci < 0 || QRinput_appendECIheader(in, static_cast<unsigned>(eci)) == 0;
    ok = ok && QRinput_append(in, QR_MODE_8, static_cast<int>(bytes.size()),
                              reinterpret_cast<const unsigned char*>(bytes.data())) == 0;
    QRcode* c = ok ? QRcode_encodeInput(in) : nullptr;
    QRinput_free(in);
    if (!c) return {};
    auto img = render(c, module, 4);
    QRcode_free(c);
    return img;
}

kiosk::scanner::GreyImage micro_qr(std::string_view text, int version, int module) {
    const std::string s(text);
    QRcode* c = QRcode_encodeStringMQR(s.c_str(), version, QR_ECLEVEL_L, QR_MODE_8, 1);
    if (!c) return {};
    auto img = render(c, module, 2);
    QRcode_free(c);
    return img;
}

}  // namespace qrcorpus
