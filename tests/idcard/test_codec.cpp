// SAM codec and text parser against the byte-exact frames of shared/reference/idcard-sam.md.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "idcard/codec.hpp"
#include "idcard/photo.hpp"
#include "idcard/text.hpp"

using namespace kiosk::idcard;
using Bytes = std::vector<std::uint8_t>;

namespace {

Identity resident(std::string id = "110101199003071233") {
    Identity p;
    p.type = CardType::Resident;
    p.name = "王䶮";  // U+4DAE, CJK Extension A: a rare character real cards carry
    p.sex = Sex::Male;
    p.nation_code = "01";
    p.birth = "19900307";
    p.address = "北京市东城区示例路1号院2号楼303室";
    p.id_number = std::move(id);
    p.authority = "北京市公安局东城分局";
    p.valid_from = "20150101";
    p.valid_to = "20350101";
    return p;
}

}  // namespace

TEST_CASE("idcard.codec encodes every request of the reference byte-exactly") {
    struct {
        Command c;
        Bytes want;
    } cases[] = {
        {Command::ResetSam, {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x10, 0xFF, 0xEC}},
        {Command::SamStatus, {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x11, 0xFF, 0xED}},
        {Command::SamId, {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x12, 0xFF, 0xEE}},
        {Command::FindCard, {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22}},
        {Command::SelectCard, {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x02, 0x21}},
        {Command::ReadTextPhoto, {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x30, 0x01, 0x32}},
        {Command::ReadAddress, {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x30, 0x03, 0x30}},
        {Command::ReadWithFingerprint,
         {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x30, 0x10, 0x23}},
        {Command::SetBaud, {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x60, 0x00, 0x63}},
    };
    for (auto& c : cases) {
        CAPTURE(to_string(c.c));
        CHECK(encode_request(c.c) == c.want);
    }
    CHECK(*encode_set_baud(115200) == cases[8].want);
    CHECK((*encode_set_baud(9600))[8] == 0x04);
    CHECK_FALSE(encode_set_baud(4800));
}

TEST_CASE("idcard.codec parses the find-card and no-card replies") {
    const Bytes find_ok = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x08, 0x00,
                           0x00, 0x9F, 0x00, 0x00, 0x00, 0x00, 0x97};
    Response r;
    REQUIRE(parse_response(find_ok, r) == FrameError::None);
    CHECK(r.status == Status::FindOk);
    CHECK(r.data.size() == 4);
    CHECK(encode_response(0x9F, Bytes{0, 0, 0, 0}) == find_ok);

    const Bytes no_card = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x04, 0x00, 0x00, 0x80, 0x84};
    REQUIRE(parse_response(no_card, r) == FrameError::None);
    CHECK(r.status == Status::NoCard);
    CHECK(r.data.empty());
    CHECK(encode_response(0x80) == no_card);

    Bytes bad = find_ok;
    bad.back() ^= 1;
    CHECK(parse_response(bad, r) == FrameError::BadChecksum);
    bad = find_ok;
    bad[0] = 0xAB;
    CHECK(parse_response(bad, r) == FrameError::BadPreamble);
    bad = find_ok;
    bad.pop_back();
    CHECK(parse_response(bad, r) == FrameError::BadLength);
    CHECK(parse_response(Bytes{0xAA, 0xAA}, r) == FrameError::TooShort);

    // A select reply: length 00 0C, SW 00 00 90, 8 data bytes.
    auto sel = encode_response(0x90, Bytes(8, 0));
    CHECK(sel.size() == 19);
    CHECK(sel[5] == 0x00);
    CHECK(sel[6] == 0x0C);
}

TEST_CASE("idcard.codec maps every SW3 code to a typed status") {
    struct {
        std::uint8_t sw3;
        Status s;
    } table[] = {{0x90, Status::Success},
                 {0x9F, Status::FindOk},
                 {0x91, Status::NoContent},
                 {0x10, Status::ChecksumError},
                 {0x11, Status::LengthError},
                 {0x21, Status::CommandError},
                 {0x23, Status::NotPermitted},
                 {0x24, Status::UnrecognisedError},
                 {0x31, Status::CardToSamAuthFailed},
                 {0x32, Status::SamToCardAuthFailed},
                 {0x33, Status::VerificationError},
                 {0x40, Status::UnknownCardType},
                 {0x41, Status::CardReadFailed},
                 {0x47, Status::GetRandomFailed},
                 {0x60, Status::SamSelfTestFailed},
                 {0x66, Status::SamNotAuthorised},
                 {0x80, Status::NoCard},
                 {0x81, Status::SelectFailed}};
    for (auto& t : table) {
        CAPTURE(int(t.sw3));
        CHECK(status_from_sw3(t.sw3) == t.s);
        CHECK(std::string(to_string(t.s)) != "unknown status");
    }
    CHECK(status_from_sw3(0x55) == Status::Unknown);
    CHECK(is_success(Status::FindOk));
    CHECK_FALSE(is_success(Status::NoCard));
    CHECK(is_sam_fault(Status::SamSelfTestFailed));
    CHECK(is_sam_fault(Status::SamNotAuthorised));
}

TEST_CASE("idcard.codec builds the 1295-byte read reply with the reference header") {
    auto p = resident();
    auto text = encode_text(p);
    REQUIRE(text.size() == 256);
    Bytes photo(1024, 0);
    const Bytes wlt_head = {0x57, 0x4C, 0x66, 0x00, 0x7E, 0x00, 0x32, 0x00, 0x00, 0xFF, 0x85};
    std::copy(wlt_head.begin(), wlt_head.end(), photo.begin());
    auto frame = encode_response(0x90, encode_card_data(text, photo, std::nullopt));
    REQUIRE(frame.size() == 1295);
    const Bytes head = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x05, 0x08,
                        0x00, 0x00, 0x90, 0x01, 0x00, 0x04, 0x00};
    CHECK(Bytes(frame.begin(), frame.begin() + 14) == head);
    CHECK(std::memcmp(frame.data() + 14, text.data(), 256) == 0);  // text at frame offset 14

    Response r;
    REQUIRE(parse_response(frame, r) == FrameError::None);
    CardData d;
    REQUIRE(parse_card_data(r.data, false, d) == CardDataError::None);
    CHECK(d.text == text);
    CHECK(d.photo == photo);
    CHECK(d.fingerprint.empty());
    CHECK(looks_like_wlt(d.photo));
    CHECK_FALSE(photo_decoder());  // no decoder ships

    for (auto [fp, total] : {std::pair{1024, 2321}, {512, 1809}, {0, 1297}}) {
        Bytes fpb(static_cast<std::size_t>(fp), 0xF0);
        auto f = encode_response(0x90, encode_card_data(text, photo, std::span(fpb)));
        CHECK(f.size() == static_cast<std::size_t>(total));
        CHECK(std::memcmp(f.data() + 16, text.data(), 256) == 0);  // text at offset 16
        REQUIRE(parse_response(f, r) == FrameError::None);
        REQUIRE(parse_card_data(r.data, true, d) == CardDataError::None);
        CHECK(d.fingerprint.size() == static_cast<std::size_t>(fp));
    }
    // Length words that disagree with the data are refused, not trusted.
    auto data = encode_card_data(text, photo, std::nullopt);
    data[2] = 0x05;
    CHECK(parse_card_data(data, false, d) == CardDataError::LengthMismatch);
    CHECK(parse_card_data(Bytes{0x01}, false, d) == CardDataError::TooShort);
}

TEST_CASE("idcard.codec accumulates fragments and resyncs after garbage and checks checksums") {
    auto find_ok = encode_response(0x9F, Bytes{0, 0, 0, 0});
    auto read = encode_response(
        0x90, encode_card_data(encode_text(resident()), Bytes(1024, 7), std::nullopt));
    Bytes stream = {0x00, 0xAA, 0x13, 0xAA, 0xAA, 0x96};  // garbage incl. a partial preamble
    stream.insert(stream.end(), find_ok.begin(), find_ok.end());
    Bytes corrupt = find_ok;
    corrupt[12] ^= 0x40;
    stream.insert(stream.end(), corrupt.begin(), corrupt.end());
    stream.insert(stream.end(), read.begin(), read.end());

    FrameAccumulator acc;
    std::vector<FrameAccumulator::Item> items;
    for (std::size_t i = 0; i < stream.size(); i += 7) {  // 7-byte fragments
        acc.feed(std::span(stream).subspan(i, std::min<std::size_t>(7, stream.size() - i)));
        while (auto it = acc.next()) items.push_back(std::move(*it));
    }
    REQUIRE(items.size() == 3);
    CHECK(items[0].error == FrameError::None);
    CHECK(items[0].frame == find_ok);
    CHECK(items[1].error == FrameError::BadChecksum);
    CHECK(items[2].error == FrameError::None);
    CHECK(items[2].frame == read);
    CHECK(acc.buffered() == 0);

    // An impossible length (beyond the 4 KiB buffer) is reported and skipped.
    FrameAccumulator acc2;
    Bytes huge = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0xFF, 0xFF, 0x00};
    acc2.feed(huge);
    acc2.feed(find_ok);
    auto a = acc2.next();
    REQUIRE(a);
    CHECK(a->error == FrameError::BadLength);
    auto b = acc2.next();
    REQUIRE(b);
    CHECK(b->frame == find_ok);
    // The largest known reply (2321 bytes) fits the default buffer.
    Bytes fp(1024, 1);
    auto big = encode_response(
        0x90, encode_card_data(encode_text(resident()), Bytes(1024, 2), std::span(fp)));
    acc2.feed(big);
    auto c = acc2.next();
    REQUIRE(c);
    CHECK(c->frame.size() == 2321);
    acc2.feed(Bytes(10000, 0x55));  // endless noise stays bounded
    CHECK_FALSE(acc2.next());
    CHECK(acc2.buffered() < 8);
}

TEST_CASE("idcard.codec formats the SAM id") {
    auto data = encode_sam_id_data(5, 2, 20240101, 123456789, 987654321);
    REQUIRE(data.size() == 16);
    CHECK(*format_sam_id(data) == "05.02-20240101-0123456789-0987654321");
    auto frame = encode_response(0x90, data);
    CHECK(std::memcmp(frame.data() + 10, data.data(), 16) == 0);  // at frame offset 10
    CHECK_FALSE(format_sam_id(Bytes(15, 0)));
}

TEST_CASE("idcard.text parses a resident card with a rare character and checks GB 11643") {
    auto text = encode_text(resident());
    // "王" = U+738B → 8B 73; "䶮" = U+4DAE → AE 4D (UCS-2 LE), then space padding.
    CHECK(text[0] == 0x8B);
    CHECK(text[1] == 0x73);
    CHECK(text[2] == 0xAE);
    CHECK(text[3] == 0x4D);
    CHECK(text[4] == 0x20);
    CHECK(text[248] == 0x20);
    Identity p;
    REQUIRE(parse_text(text, p) == TextError::None);
    CHECK(p.type == CardType::Resident);
    CHECK(p.name == "王䶮");
    CHECK(p.sex == Sex::Male);
    CHECK(std::string(to_string(p.sex)) == "男");
    CHECK(p.nation == "汉");
    CHECK(p.birth == "19900307");
    CHECK(p.address == "北京市东城区示例路1号院2号楼303室");
    CHECK(p.id_number == "110101199003071233");
    CHECK(p.id_check == IdCheck::Valid);
    CHECK(p.id_trusted());
    CHECK(p.valid_to == "20350101");
    CHECK_FALSE(p.long_term);

    // A bad check character is reported, never trusted.
    Identity bad;
    REQUIRE(parse_text(encode_text(resident("110101199003071234")), bad) == TextError::None);
    CHECK(bad.id_check == IdCheck::BadCheckCharacter);
    CHECK_FALSE(bad.id_trusted());
}

TEST_CASE("idcard.text GB 11643 check characters including X") {
    CHECK(gb11643_check_character("11010119900307123") == '3');
    CHECK(gb11643_check_character("93310019850520001") == 'X');
    CHECK(gb11643_check("93310019850520001X") == IdCheck::Valid);
    CHECK(gb11643_check("93310019850520001x") == IdCheck::Valid);
    CHECK(gb11643_check("933100198505200011") == IdCheck::BadCheckCharacter);
    CHECK(gb11643_check("9331001985052000") == IdCheck::Malformed);
    CHECK(gb11643_check("A3310019850520001X") == IdCheck::Malformed);
    CHECK(gb11643_check_character("1234") == 0);
}

TEST_CASE("idcard.text long-term validity and nation and sex tables") {
    auto p = resident("110105195006150022");
    p.long_term = true;
    p.valid_to.clear();
    p.sex = Sex::Female;
    p.nation_code = "98";
    auto text = encode_text(p);
    CHECK(text[204] == 0x7F);  // "长期" = 7F 95 1F 67
    CHECK(text[205] == 0x95);
    CHECK(text[206] == 0x1F);
    CHECK(text[207] == 0x67);
    Identity q;
    REQUIRE(parse_text(text, q) == TextError::None);
    CHECK(q.long_term);
    CHECK(q.valid_to.empty());
    CHECK(q.nation == "外国血统中国籍人士");
    CHECK(q.sex == Sex::Female);
    CHECK(std::string(nation_name("56")) == "基诺");
    CHECK(std::string(nation_name("29")) == "柯尔克孜");
    CHECK(nation_name("57") == nullptr);
    CHECK(nation_name("7") == nullptr);
    p.nation_code = "77";
    CHECK(parse_text(encode_text(p), q) == TextError::BadField);
    CHECK(q.empty());
}

TEST_CASE("idcard.text parses the J and I and Y layouts") {
    Identity j;
    j.type = CardType::HkMoTwResidence;
    j.name = "陈大文";
    j.sex = Sex::Male;
    j.birth = "19900101";
    j.address = "广东省深圳市福田区示例大道8号";
    j.id_number = "810000199001011230";
    j.authority = "深圳市公安局";
    j.valid_from = "20200101";
    j.valid_to = "20250101";
    j.pass_number = "H12345678";
    j.issue_count = "01";
    Identity out;
    REQUIRE(parse_text(encode_text(j), out) == TextError::None);
    CHECK(out.type == CardType::HkMoTwResidence);
    CHECK(out.region == Region::HongKong);
    CHECK(out.pass_number == "H12345678");
    CHECK(out.issue_count == "01");
    CHECK(out.nation.empty());
    CHECK(out.id_check == IdCheck::Valid);

    Identity i;
    i.type = CardType::ForeignPermanent2017;
    i.foreign_name = "SMITH, JOHN ALEXANDER";
    i.name = "约翰";
    i.sex = Sex::Male;
    i.id_number = "USA110080010101";
    i.nationality = "USA";
    i.valid_from = "20180301";
    i.valid_to = "20280301";
    i.birth = "19800101";
    i.card_version = "01";
    i.authority = "1100";
    REQUIRE(parse_text(encode_text(i), out) == TextError::None);
    CHECK(out.type == CardType::ForeignPermanent2017);
    CHECK(out.foreign_name == "SMITH, JOHN ALEXANDER");
    CHECK(out.name == "约翰");
    CHECK(out.id_number == "USA110080010101");
    CHECK(out.nationality == "USA");
    CHECK(out.birth == "19800101");
    CHECK(out.id_check == IdCheck::NotApplicable);
    CHECK(out.authority == "1100");

    Identity y;
    y.type = CardType::ForeignPermanent2023;
    y.name = "玛丽";
    y.sex = Sex::Female;
    y.renewal_count = "00";
    y.birth = "19850520";
    // 44 characters: longer than the 35 of the first slot, so it continues at byte 220.
    y.foreign_name = "MARTIN-DUBOIS, MARIE CLAIRE ELISABETH ANNICK";
    y.id_number = "93310019850520001X";
    y.authority = "上海市公安局";
    y.valid_from = "20230601";
    y.valid_to = "20330601";
    y.nationality = "FRA";
    REQUIRE(parse_text(encode_text(y), out) == TextError::None);
    CHECK(out.type == CardType::ForeignPermanent2023);
    CHECK(out.foreign_name == y.foreign_name);
    CHECK(out.nationality == "FRA");
    CHECK(out.id_check == IdCheck::Valid);
    CHECK(out.renewal_count == "00");
}

TEST_CASE("idcard.text rejects malformed blocks with typed errors") {
    Identity out;
    CHECK(parse_text(Bytes(255, 0x20), out) == TextError::WrongSize);
    auto t = encode_text(resident());
    t[248] = 'Q';
    CHECK(parse_text(t, out) == TextError::UnknownCardType);
    t = encode_text(resident());
    t[2] = 0x00;  // an unpaired low surrogate in the name
    t[3] = 0xDC;
    CHECK(parse_text(t, out) == TextError::BadEncoding);
    t = encode_text(resident());
    t[36] = 'x';  // birth date
    CHECK(parse_text(t, out) == TextError::BadField);
    t = encode_text(resident());
    t[30] = '5';  // sex code
    CHECK(parse_text(t, out) == TextError::BadField);
    CHECK(out.empty());
}

TEST_CASE("idcard.identity wipes its memory and moves without leaving copies") {
    Identity p = resident();
    p.photo.assign(1024, 0x57);
    Identity q = std::move(p);
    CHECK(p.empty());
    CHECK(p.address.empty());
    CHECK(q.name == "王䶮");
    q.wipe();
    CHECK(q.empty());
    CHECK(q.photo.empty());
    CHECK(q.address.empty());

    // The buffer stays allocated after a wipe (clear keeps capacity): its bytes must be zero.
    std::string s(100, 'A');
    const char* buf = s.data();
    secure_wipe(s);
    CHECK(s.empty());
    REQUIRE(s.data() == buf);
    bool zero = true;
    for (std::size_t i = 0; i < 100; ++i) zero &= buf[i] == 0;
    CHECK(zero);
}

TEST_CASE("idcard.text appended address") {
    auto a = encode_address("北京市朝阳区新地址5号");
    CHECK(a.size() == 70);
    CHECK(*parse_address(a) == "北京市朝阳区新地址5号");
    CHECK_FALSE(parse_address(Bytes{0x41}));
}

TEST_CASE("idcard.text matches independently generated byte-exact fixtures") {
    // tests/idcard/corpus/*: built by a separate script from the reference's offsets (also the
    // fuzz seeds), so the encoder and the parser are checked against bytes they did not make.
    auto load = [](const std::string& rel) {
        std::string path = std::string(KIOSK_SOURCE_DIR) + "/tests/idcard/corpus/" + rel;
        FILE* f = std::fopen(path.c_str(), "rb");
        REQUIRE_MESSAGE(f, path);
        Bytes b;
        int c;
        while ((c = std::fgetc(f)) != EOF) b.push_back(static_cast<std::uint8_t>(c));
        std::fclose(f);
        return b;
    };
    auto text = load("idcard_text/resident.bin");
    CHECK(text == encode_text(resident()));
    Identity p;
    REQUIRE(parse_text(load("idcard_text/foreign2023.bin"), p) == TextError::None);
    CHECK(p.id_number == "93310019850520001X");
    CHECK(p.foreign_name == "MARTIN-DUBOIS, MARIE CLAIRE ELISABETH ANNICK");
    REQUIRE(parse_text(load("idcard_text/foreign2017.bin"), p) == TextError::None);
    CHECK(p.nationality == "USA");
    REQUIRE(parse_text(load("idcard_text/permit.bin"), p) == TextError::None);
    CHECK(p.region == Region::HongKong);
    REQUIRE(parse_text(load("idcard_text/longterm.bin"), p) == TextError::None);
    CHECK(p.long_term);

    auto read = load("idcard_frames/read.bin");  // first byte: the fuzzer's fragment size
    Bytes frame(read.begin() + 1, read.end());
    REQUIRE(frame.size() == 1295);
    Response r;
    REQUIRE(parse_response(frame, r) == FrameError::None);
    CardData d;
    REQUIRE(parse_card_data(r.data, false, d) == CardDataError::None);
    CHECK(d.text == text);
}
