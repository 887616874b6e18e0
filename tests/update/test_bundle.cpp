// Bundles: format, signature, key rotation, counters, expiry, sizes, archive path safety; the
// [update] configuration section.
#include <cstring>

#include "core/config.hpp"
#include "helpers.hpp"

using namespace update_test;

namespace {
Policy policy_for(const Key& k) {
    Policy p;
    p.keys.keys.push_back(k.trusted());
    p.hw_revision = "rev2";
    p.now_epoch = kNow;
    p.installed_counter = 1000;
    p.max_payload = 1024 * 1024;
    return p;
}
std::string save(const TempDir& t, const std::string& name, const std::string& bytes) {
    write_file(t.path + "/" + name, bytes);
    return t.path + "/" + name;
}
}  // namespace

TEST_CASE("update.bundle builds + verifies + inspects and extracts what was packed") {
    TempDir t;
    Key k("rel-2026");
    const std::string path = save(t, "a.bundle", make_bundle(t, k, {}));
    Manifest m;
    Verdict v = verify_bundle(path, policy_for(k), m);
    CHECK_MESSAGE(v.ok(), v.detail);
    CHECK(m.version == "1.4.2");
    CHECK(m.counter == 1042);
    CHECK(m.key_id == "rel-2026");
    std::vector<std::string> entries;
    REQUIRE_FALSE(list_archive(path, entries).has_value());
    CHECK(std::find(entries.begin(), entries.end(), "x bin/kiosk 19") != entries.end());
    REQUIRE(extract_payload(path, t.path + "/out").ok());
    CHECK(read_file(t.path + "/out/bin/kiosk") == "#!/bin/sh\necho new\n");
    CHECK(::access((t.path + "/out/bin/kiosk").c_str(), X_OK) == 0);
    CHECK(read_file(t.path + "/out/share/estation-kiosk/VERSION") == "1.4.2\n");
    // Extraction never writes into an existing directory.
    CHECK_FALSE(extract_payload(path, t.path + "/out").ok());
}

TEST_CASE("update.bundle tampered payload + manifest or signature is refused") {
    TempDir t;
    Key k("rel-2026");
    const std::string good = make_bundle(t, k, {});
    BundleHead head;
    const std::string gp = save(t, "good.bundle", good);
    REQUIRE(read_head(gp, head).ok());
    Manifest m;

    std::string payload = good;
    payload[payload.size() - 5] ^= 0x01;
    Verdict v = verify_bundle(save(t, "p.bundle", payload), policy_for(k), m);
    CHECK(v.refusal == Refusal::bad_hash);

    std::string manifest = good;
    auto at = manifest.find("1.4.2");
    REQUIRE(at < head.payload_offset);
    manifest[at + 4] = '3';  // version 1.4.3: same length, signature no longer matches
    v = verify_bundle(save(t, "m.bundle", manifest), policy_for(k), m);
    CHECK(v.refusal == Refusal::bad_signature);

    std::string sig = good;
    sig[head.payload_offset - 1] ^= 0x80;
    v = verify_bundle(save(t, "s.bundle", sig), policy_for(k), m);
    CHECK(v.refusal == Refusal::bad_signature);

    v = verify_bundle(save(t, "short.bundle", good.substr(0, 10)), policy_for(k), m);
    CHECK(v.refusal == Refusal::malformed);
    v = verify_bundle(save(t, "trunc.bundle", good.substr(0, good.size() - 1)), policy_for(k), m);
    CHECK(v.refusal == Refusal::bad_hash);
    v = verify_bundle(save(t, "long.bundle", good + "x"), policy_for(k), m);
    CHECK(v.refusal == Refusal::bad_hash);
}

TEST_CASE("update.bundle key rotation: listed keys verify + unknown and retired keys are refused") {
    TempDir t;
    Key old_key("rel-2025"), new_key("rel-2026"), stranger("evil");
    Policy p = policy_for(new_key);
    p.keys.keys.push_back(old_key.trusted());
    Manifest m;
    CHECK(verify_bundle(save(t, "n.bundle", make_bundle(t, new_key, {})), p, m).ok());
    CHECK(verify_bundle(save(t, "o.bundle", make_bundle(t, old_key, {})), p, m).ok());
    CHECK(verify_bundle(save(t, "s.bundle", make_bundle(t, stranger, {})), p, m).refusal ==
          Refusal::unknown_key);
    // A key id that is trusted but signed by another key's secret: the signature fails.
    Key impostor("rel-2026");
    CHECK(verify_bundle(save(t, "i.bundle", make_bundle(t, impostor, {})), p, m).refusal ==
          Refusal::bad_signature);
    p.keys.retired.push_back("rel-2025");
    CHECK(verify_bundle(t.path + "/o.bundle", p, m).refusal == Refusal::retired_key);
    CHECK(verify_bundle(t.path + "/n.bundle", p, m).ok());
}

TEST_CASE("update.trusted key written 'w:' (empty key) is a clear error, not undefined behaviour") {
    // fuzz_update_bundle found it (tests/update/corpus/bundle/trusted-key-empty): base64 of
    // an empty text handed libsodium a null output pointer declared nonnull. This test aborts
    // under the asan preset's UBSan if it comes back.
    auto empty = kiosk::base64::decode("", kKeyTextMax);
    REQUIRE(empty.has_value());
    CHECK(empty->empty());
    auto three = kiosk::base64::decode("AAAA", kKeyTextMax);
    REQUIRE(three.has_value());
    CHECK(three->size() == 3);
    CHECK_FALSE(kiosk::base64::decode("A", kKeyTextMax).has_value());

    TrustedKey k;
    auto e = parse_trusted_key("w:", k);
    REQUIRE(e.has_value());
    CHECK(*e == "trusted key 'w' has no key after ':'");
    e = parse_trusted_key("w:AAAA", k);  // base64, but 3 bytes, not 32
    REQUIRE(e.has_value());
    CHECK(*e == "trusted key is not a base64 32-byte Ed25519 key");

    // The same key through the configuration, as the kiosk reads it.
    kiosk::Config c;
    REQUIRE_FALSE(kiosk::load_config(c, "").has_value());
    REQUIRE_FALSE(kiosk::apply_config(c,
                                      "[update]\nddi_url = \"https://hawkbit.example\"\n"
                                      "trusted_keys = [\"w:\"]\n",
                                      "t.toml")
                      .has_value());
    c.kiosk.id = "kiosk-7";
    Options o;
    auto err = options_from_config(c, o);
    REQUIRE(err.has_value());
    CHECK(*err == "update.trusted_keys: trusted key 'w' has no key after ':'");
}

TEST_CASE("update.bundle counter + expiry + hardware + product and size rules") {
    TempDir t;
    Key k("rel-2026");
    Policy p = policy_for(k);
    Manifest m;
    auto check = [&](BundleSpec s, Refusal want) {
        static int n = 0;
        auto path = save(t, "b" + std::to_string(++n) + ".bundle", make_bundle(t, k, s));
        Verdict v = verify_bundle(path, p, m);
        CHECK_MESSAGE(v.refusal == want, refusal_name(v.refusal), " ", v.detail);
    };
    BundleSpec s;
    s.counter = 999;
    check(s, Refusal::rollback);
    s.counter = 1000;
    check(s, Refusal::same_version);
    s = {};
    s.expires = "2026-11-26T11:59:59Z";
    check(s, Refusal::expired);
    s = {};
    s.hw = {"rev1", "rev3"};
    check(s, Refusal::incompatible_hw);
    s = {};
    s.product = "printer";
    check(s, Refusal::wrong_product);
    s = {};
    s.files["big"] = std::string(2000, 'x');
    p.max_payload = 1000;
    check(s, Refusal::too_large);
}

TEST_CASE("update.manifest parsing is strict") {
    Manifest m;
    const std::string ok =
        R"({"schema":1,"product":"kiosk","hw_compat":["rev2"],"version":"1.4.2","counter":1042,)"
        R"("expires":"2026-12-31T00:00:00Z","payload":{"sha256":")" +
        std::string(64, 'a') + R"(","size":123456},"key_id":"rel-2026"})";
    REQUIRE_FALSE(parse_manifest(ok, m).has_value());
    CHECK(m.payload_size == 123456);
    CHECK(m.expires_epoch == *parse_utc("2026-12-31T00:00:00Z"));
    auto bad = [&](const std::string& from, const std::string& to) {
        std::string s = ok;
        auto at = s.find(from);
        REQUIRE(at != std::string::npos);
        s.replace(at, from.size(), to);
        Manifest x;
        CHECK_MESSAGE(parse_manifest(s, x).has_value(), s);
    };
    bad("\"schema\":1", "\"schema\":2");
    bad("\"counter\":1042", "\"counter\":-1");
    bad("\"counter\":1042", "\"counter\":\"1042\"");
    bad("2026-12-31T00:00:00Z", "2026-12-31 00:00:00");
    bad("2026-12-31T00:00:00Z", "2026-13-31T00:00:00Z");
    bad("\"size\":123456", "\"size\":-5");
    bad("[\"rev2\"]", "[]");
    bad("\"key_id\":\"rel-2026\"", "\"key_id\":\"../x\"");
    bad("\"schema\":1", "\"schema\":1,\"extra\":true");
    bad(std::string(64, 'a'), std::string(64, 'A'));
    CHECK(parse_manifest("[]", m).has_value());
    CHECK(parse_manifest("", m).has_value());
    CHECK(parse_manifest(std::string(kMaxManifest + 1, ' '), m).has_value());
}

TEST_CASE("update.archive paths: absolute + dot-dot + empty components and symlinks are refused") {
    CHECK(safe_relative_path("bin/kiosk"));
    CHECK(safe_relative_path("share/a.b/c"));
    CHECK_FALSE(safe_relative_path("/etc/passwd"));
    CHECK_FALSE(safe_relative_path("../x"));
    CHECK_FALSE(safe_relative_path("a/../../x"));
    CHECK_FALSE(safe_relative_path("a//b"));
    CHECK_FALSE(safe_relative_path("a/./b"));
    CHECK_FALSE(safe_relative_path("a/"));
    CHECK_FALSE(safe_relative_path(""));
    CHECK_FALSE(safe_relative_path(std::string("a\0b", 3)));
    CHECK_FALSE(safe_relative_path("a\\..\\b"));

    TempDir t;
    ::mkdir((t.path + "/src").c_str(), 0755);
    write_file(t.path + "/src/f", "x");
    REQUIRE(::symlink("/etc/passwd", (t.path + "/src/link").c_str()) == 0);
    std::string archive;
    CHECK(build_archive(t.path + "/src", archive).has_value());

    // A correctly signed bundle whose archive carries "../escape": signed garbage is still
    // refused by the archive check, and nothing is written outside the destination.
    Key k("rel-2026");
    std::string ar = "KAR1";
    const std::string evil = "../escape";
    ar += 'f';
    ar += static_cast<char>(0);
    ar += static_cast<char>(evil.size());
    ar += evil;
    ar += static_cast<char>(0);
    ar += std::string(7, '\0') + static_cast<char>(1);
    ar += "x";
    ar += 'E';
    ar += std::string(2, '\0');
    Manifest m;
    m.product = "kiosk";
    m.version = "1.4.2";
    m.counter = 1042;
    m.expires = "2027-01-01T00:00:00Z";
    m.hw_compat = {"rev2"};
    m.key_id = k.id;
    const std::string path = t.path + "/evil.bundle";
    REQUIRE_FALSE(write_bundle(path, m, ar, k.sk).has_value());
    Manifest got;
    Verdict v = verify_bundle(path, policy_for(k), got);
    CHECK(v.refusal == Refusal::malformed);
    REQUIRE(::mkdir((t.path + "/dest").c_str(), 0755) == 0);
    CHECK_FALSE(extract_payload(path, t.path + "/dest/inner").ok());
    CHECK(::access((t.path + "/dest/escape").c_str(), F_OK) != 0);
}

TEST_CASE("update.configuration ddi_url is https:// only, http:// only with update.test_network") {
    Key k("rel-2026");
    kiosk::Config c;
    REQUIRE_FALSE(kiosk::load_config(c, "").has_value());
    CHECK_FALSE(c.update.test_network);  // off unless a test network's configuration says so
    c.kiosk.id = "k1";
    c.update.trusted_keys = {k.line()};
    Options o;
    c.update.ddi_url = "http://hawkbit.example";
    auto e = options_from_config(c, o);
    REQUIRE(e.has_value());
    CHECK(*e ==
          "update.ddi_url must start with https:// (http:// only with update.test_network = "
          "true, on a test network)");
    c.update.ddi_url = "https://hawkbit.example";
    CHECK_FALSE(options_from_config(c, o).has_value());
    CHECK_FALSE(o.test_network);

    // The switch, as a test network's configuration writes it: http:// on loopback is accepted.
    REQUIRE_FALSE(kiosk::apply_config(c,
                                      "[update]\nddi_url = \"http://127.0.0.1:8080\"\n"
                                      "test_network = true\n",
                                      "t.toml")
                      .has_value());
    CHECK(c.update.test_network);
    CHECK_FALSE(options_from_config(c, o).has_value());
    CHECK(o.test_network);
    CHECK(o.ddi_url == "http://127.0.0.1:8080");
    // Even then nothing but http and https.
    c.update.ddi_url = "ftp://127.0.0.1";
    CHECK(options_from_config(c, o).has_value());

    auto bad = kiosk::apply_config(c, "[update]\ntest_network = \"yes\"\n", "t.toml");
    REQUIRE(bad.has_value());
    CHECK(bad->kind == kiosk::ConfigError::Kind::WrongType);
}

TEST_CASE("update.configuration [update] section: defaults + values and strict errors") {
    kiosk::Config c;
    REQUIRE_FALSE(kiosk::load_config(c, "").has_value());
    CHECK(c.update.ddi_url.empty());  // updates disabled by default
    CHECK(c.update.root == "/var/lib/estation-kiosk");
    CHECK(c.update.health_boot_attempts == 3);
    Key k("rel-2026");
    auto e = kiosk::apply_config(c,
                                 "[update]\nddi_url = \"https://hawkbit.example/\"\n"
                                 "token = \"abc\"\ntrusted_keys = [\"" +
                                     k.line() +
                                     "\"]\nretired_keys = [\"rel-2024\"]\n"
                                     "maintenance_window = \"01:00-05:00\"\n",
                                 "test.toml");
    REQUIRE_FALSE(e.has_value());
    Options o;
    c.kiosk.id = "kiosk-7";
    auto err = options_from_config(c, o);
    CHECK_FALSE(err.has_value());
    CHECK(o.controller_id == "kiosk-7");
    CHECK(o.ddi_url == "https://hawkbit.example");
    CHECK(o.keys.keys.size() == 1);
    CHECK(o.keys.retired == std::vector<std::string>{"rel-2024"});

    kiosk::Config c2;
    REQUIRE_FALSE(kiosk::load_config(c2, "").has_value());
    auto bad = kiosk::apply_config(c2, "[update]\ntrusted_keys = \"x\"\n", "t.toml");
    REQUIRE(bad.has_value());
    CHECK(bad->kind == kiosk::ConfigError::Kind::WrongType);
    bad = kiosk::apply_config(c2, "[update]\nhealth_boot_attempts = 0\n", "t.toml");
    REQUIRE(bad.has_value());
    CHECK(bad->kind == kiosk::ConfigError::Kind::BadValue);
    bad = kiosk::apply_config(c2, "[update]\nddi = \"x\"\n", "t.toml");
    REQUIRE(bad.has_value());
    CHECK(bad->kind == kiosk::ConfigError::Kind::UnknownKey);

    c2.update.ddi_url = "https://h";
    c2.kiosk.id = "k1";
    c2.update.trusted_keys = {"rel:not-base64!"};
    CHECK(options_from_config(c2, o).has_value());
    c2.update.trusted_keys = {k.line()};
    c2.update.maintenance_window = "25:00-01:00";
    CHECK(options_from_config(c2, o).has_value());
    c2.update.maintenance_window = "";
    c2.update.ddi_url = "ftp://h";
    CHECK(options_from_config(c2, o).has_value());
}
