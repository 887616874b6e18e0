// Codec fixtures for both dialects, byte for byte from ../shared/reference/locker-boards.md.
#include <doctest/doctest.h>

#include <algorithm>

#include "locker/codec.hpp"

using namespace kiosk::locker;
using B = std::vector<std::uint8_t>;

namespace {
const DialectProfile& A() {
    return *find_profile("8a80");
}
const DialectProfile& K() {
    return *find_profile("kerong-cu16");
}
Reply reply(const DialectProfile& p, const B& b) {
    auto r = parse_reply(p, b);
    REQUIRE_MESSAGE(r.ok(), to_string(r.error));
    return *r.value;
}
}  // namespace

TEST_CASE("locker.codec 8A/80 requests match the reference bytes") {
    CHECK(encode_request(A(), {RequestKind::Unlock, 1, 1}) == B{0x8A, 0x01, 0x01, 0x11, 0x9B});
    CHECK(encode_request(A(), {RequestKind::UnlockAll, 1, 0}) == B{0x8A, 0x01, 0x00, 0x11, 0x9A});
    CHECK(encode_request(A(), {RequestKind::QueryLock, 1, 1}) == B{0x80, 0x01, 0x01, 0x33, 0xB3});
    CHECK(encode_request(A(), {RequestKind::QueryBoard, 1, 0}) == B{0x80, 0x01, 0x00, 0x33, 0xB2});
    CHECK(encode_request(A(), {RequestKind::QueryAddress, 0, 0}) ==
          B{0x80, 0x01, 0x00, 0x99, 0x18});
    // Out of range gives nothing to send rather than a wrong frame.
    CHECK(encode_request(A(), {RequestKind::Unlock, 0, 1}).empty());
    CHECK(encode_request(A(), {RequestKind::Unlock, 1, 33}).empty());
    // The simulator parses them back.
    auto r = parse_request(A(), B{0x8A, 0x01, 0x01, 0x11, 0x9B});
    REQUIRE(r.ok());
    CHECK(*r.value == Request{RequestKind::Unlock, 1, 1});
    CHECK(parse_request(A(), B{0x80, 0x01, 0x00, 0x99, 0x18}).value->kind ==
          RequestKind::QueryAddress);
    CHECK(parse_request(A(), B{0x80, 0x01, 0x00, 0x33, 0xB2}).value->kind ==
          RequestKind::QueryBoard);
}

TEST_CASE("locker.codec 8A/80 replies: lock both headers board status address") {
    auto r = reply(A(), {0x80, 0x01, 0x01, 0x00, 0x80});
    CHECK(r.kind == ReplyKind::LockStatus);
    CHECK(r.board == 1);
    CHECK(r.channel == 1);
    CHECK_FALSE(r.lock_bit);
    CHECK(reply(A(), {0x80, 0x01, 0x01, 0x11, 0x91}).lock_bit);
    // Unlock reply with the 8A header, and the vendor note's 80 header: both accepted.
    auto u = reply(A(), {0x8A, 0x01, 0x01, 0x11, 0x9B});
    CHECK(u.kind == ReplyKind::LockStatus);
    CHECK(u.header == 0x8A);
    CHECK(u.lock_bit);
    // 32-channel board: four status bytes, all set.
    auto all = reply(A(), {0x80, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x33, 0xB2});
    CHECK(all.kind == ReplyKind::BoardStatus);
    CHECK(all.lock_bits.size() == 32);
    CHECK(std::all_of(all.lock_bits.begin(), all.lock_bits.end(), [](bool b) { return b; }));
    // 8-channel board: one status byte; bit0 = channel 1. Count taken from the frame.
    auto eight = reply(A(), {0x80, 0x01, 0x05, 0x33, 0xB7});
    REQUIRE(eight.lock_bits.size() == 8);
    CHECK(eight.lock_bits[0]);
    CHECK_FALSE(eight.lock_bits[1]);
    CHECK(eight.lock_bits[2]);
    // 16-channel board: S2 first, S1 last.
    auto sixteen = reply(A(), {0x80, 0x02, 0x80, 0x01, 0x33, 0x80 ^ 0x02 ^ 0x80 ^ 0x01 ^ 0x33});
    REQUIRE(sixteen.lock_bits.size() == 16);
    CHECK(sixteen.lock_bits[0]);
    CHECK(sixteen.lock_bits[15]);
    CHECK(std::count(sixteen.lock_bits.begin(), sixteen.lock_bits.end(), true) == 2);
    auto addr = reply(A(), {0x80, 0x01, 0x07, 0x99, 0x1F});
    CHECK(addr.kind == ReplyKind::Address);
    CHECK(addr.board == 7);
    // Round trip through the simulator's encoder.
    CHECK(encode_reply(A(), all) == B{0x80, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x33, 0xB2});
    CHECK(encode_reply(A(), u) == B{0x8A, 0x01, 0x01, 0x11, 0x9B});
}

TEST_CASE("locker.codec 8A/80 rejects bad frames with typed errors") {
    CHECK(parse_reply(A(), B{0x80, 0x01, 0x01, 0x00, 0x81}).error == CodecError::BadChecksum);
    CHECK(parse_reply(A(), B{0x80, 0x01, 0x01}).error == CodecError::Truncated);
    CHECK(parse_reply(A(), B(13, 0x80)).error == CodecError::TooLong);
    CHECK(parse_reply(A(), B{0x55, 0x01, 0x01, 0x00, 0x55}).error == CodecError::BadHeader);
    CHECK(parse_reply(A(), B{0x80, 0x01, 0x01, 0x42, 0xC2}).error == CodecError::BadFormat);
    CHECK(parse_reply(A(), B{0x80, 0x00, 0x01, 0x00, 0x81}).error == CodecError::BadAddress);
    CHECK(parse_request(A(), B{0x8A, 0x01, 0x01, 0x33, 0xB9}).error == CodecError::BadFormat);
    CHECK(parse_request(A(), B{}).error == CodecError::Truncated);
}

TEST_CASE("locker.codec Kerong CU16 requests and state reply match the reference") {
    CHECK(encode_request(K(), {RequestKind::Unlock, 0, 1}) == B{0x02, 0x00, 0x31, 0x03, 0x36});
    CHECK(encode_request(K(), {RequestKind::Unlock, 1, 4}) == B{0x02, 0x13, 0x31, 0x03, 0x49});
    CHECK(encode_request(K(), {RequestKind::QueryBoard, 1, 0}) == B{0x02, 0x10, 0x30, 0x03, 0x45});
    CHECK(encode_request(K(), {RequestKind::UnlockAll, 1, 0}) == B{0x02, 0x10, 0x33, 0x03, 0x48});
    CHECK(encode_request(K(), {RequestKind::QueryLock, 1, 1}).empty());  // not a CU16 command
    CHECK(encode_request(K(), {RequestKind::Unlock, 16, 1}).empty());
    auto rq = parse_request(K(), B{0x02, 0x13, 0x31, 0x03, 0x49});
    REQUIRE(rq.ok());
    CHECK(*rq.value == Request{RequestKind::Unlock, 1, 4});

    // 02 ADDR 35 L1-8 L9-16 IR1-8 IR9-16 03 SUM
    const B state{0x02, 0x10, 0x35, 0x01, 0x80, 0x02, 0x00, 0x03, 0xCD};
    auto r = reply(K(), state);
    CHECK(r.kind == ReplyKind::BoardStatus);
    CHECK(r.board == 1);
    REQUIRE(r.lock_bits.size() == 16);
    REQUIRE(r.item_bits.size() == 16);
    CHECK(r.lock_bits[0]);
    CHECK(r.lock_bits[15]);
    CHECK_FALSE(r.lock_bits[1]);
    CHECK(r.item_bits[1]);
    CHECK_FALSE(r.item_bits[0]);
    CHECK(encode_reply(K(), r) == state);
    B bad = state;
    bad.back() ^= 1;
    CHECK(parse_reply(K(), bad).error == CodecError::BadChecksum);
    CHECK(parse_reply(K(), B(state.begin(), state.end() - 1)).error == CodecError::Truncated);
}

TEST_CASE("locker.codec frame reader resyncs on garbage and split reads") {
    FrameReader rd(A(), FrameReader::Direction::Replies);
    const B garbage{0xFF, 0x00, 0x12, 0x8A};  // a stray header byte too
    rd.feed(garbage);
    const B good{0x8A, 0x01, 0x01, 0x11, 0x9B};
    for (auto b : good) rd.feed(B{b});  // one byte per read
    auto f = rd.next({Expect::Lock});
    REQUIRE(f);
    CHECK(*f == good);
    CHECK(rd.discarded() == 4);

    // Two frames back to back, then a truncated one ended by silence.
    FrameReader r2(A(), FrameReader::Direction::Replies);
    r2.feed(B{0x80, 0x01, 0x01, 0x00, 0x80, 0x80, 0x01, 0x02, 0x11, 0x92, 0x80, 0x01});
    CHECK(r2.next({Expect::Lock}) == B{0x80, 0x01, 0x01, 0x00, 0x80});
    CHECK(r2.next({Expect::Lock}) == B{0x80, 0x01, 0x02, 0x11, 0x92});
    CHECK_FALSE(r2.next({Expect::Lock}));
    CHECK_FALSE(r2.next({Expect::Lock}, true));  // silence: the fragment is dropped
    CHECK(r2.pending() == 0);

    // Kerong: noise, a good state reply, half a reply, then a good one.
    FrameReader rk(K(), FrameReader::Direction::Replies);
    const B state{0x02, 0x10, 0x35, 0x01, 0x80, 0x02, 0x00, 0x03, 0xCD};
    B stream{0x13, 0x02, 0x02};
    stream.insert(stream.end(), state.begin(), state.end());
    stream.insert(stream.end(), state.begin(), state.begin() + 4);
    stream.insert(stream.end(), state.begin(), state.end());
    rk.feed(stream);
    CHECK(rk.next() == state);
    CHECK(rk.next() == state);
    CHECK_FALSE(rk.next({}, true));
}

TEST_CASE("locker.codec ambiguous 8A/80 lengths are settled by what was asked") {
    // A 24-channel board status whose first five bytes also form a valid lock reply.
    const B board{0x80, 0x01, 0x01, 0x00, 0x80, 0x33, 0x33};
    {
        FrameReader rd(A(), FrameReader::Direction::Replies);
        rd.feed(board);
        auto f = rd.next({Expect::Board, 3});
        REQUIRE(f);
        CHECK(*f == board);
        CHECK(reply(A(), *f).lock_bits.size() == 24);
    }
    {
        // Asked nothing specific: nothing is decided until the line is silent.
        FrameReader rd(A(), FrameReader::Direction::Replies);
        rd.feed(B(board.begin(), board.begin() + 5));
        CHECK_FALSE(rd.next());
        auto f = rd.next({}, true);
        REQUIRE(f);
        CHECK(f->size() == 5);
    }
    {
        // A one-status-byte board status (8 channels) shares the lock reply's length.
        FrameReader rd(A(), FrameReader::Direction::Replies);
        rd.feed(B{0x80, 0x01, 0x05, 0x33, 0xB7});
        auto f = rd.next({Expect::Board, 1});
        REQUIRE(f);
        CHECK(reply(A(), *f).kind == ReplyKind::BoardStatus);
    }
}

TEST_CASE("locker.codec request reader (simulator side) drops corrupt frames") {
    FrameReader rd(A(), FrameReader::Direction::Requests);
    rd.feed(B{0x8A, 0x01, 0x01, 0x11, 0x9C, 0x8A, 0x01, 0x01, 0x11, 0x9B});
    auto f = rd.next();
    REQUIRE(f);
    CHECK(*f == B{0x8A, 0x01, 0x01, 0x11, 0x9B});
    CHECK(rd.discarded() == 5);
    FrameReader rk(K(), FrameReader::Direction::Requests);
    rk.feed(B{0x02, 0x13, 0x31, 0x03, 0x48, 0x02, 0x13, 0x31, 0x03, 0x49});
    CHECK(rk.next() == B{0x02, 0x13, 0x31, 0x03, 0x49});
}
