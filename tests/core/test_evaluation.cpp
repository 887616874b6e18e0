// The evaluation (好差评) and complaint flows (kiosk/core/flows/evaluation.cpp) through the core:
// the outbox's answers are fed by hand (the real program:
// tests/scenarios/evaluation-complaint.toml).
#include <doctest/doctest.h>

#include "core/intents.hpp"
#include "core_fixture.hpp"
#include "effects.hpp"

namespace kiosk::test {
namespace {

struct Rate : Fixture {
    std::vector<Effect> fx;

    Rate() {
        core.handle(Touch{});
        REQUIRE(core.scene() == SceneId::Home);
    }
    template <class T>
    std::vector<T> of(std::string_view kind = {}) {
        for (auto& e : core.take_effects()) fx.push_back(std::move(e));
        return take_of<T>(fx, kind);
    }
    // The single outbox row of `kind` written since the last call.
    fx::OutboxAppend row(std::string_view kind) {
        auto rows = of<fx::OutboxAppend>(kind);
        REQUIRE(rows.size() == 1);
        return rows[0];
    }
    std::string tr(const std::string& key) const { return core.tr(key); }
    bool shows(const std::string& needle) const { return test::view_shows(core.view(), needle); }
    // The rows of the page's choices (reasons, problems) or rating, as action/arg → selected.
    std::vector<std::pair<std::string, bool>> options() const {
        std::vector<std::pair<std::string, bool>> out;
        for (const auto& e : core.view().page)
            if (e.kind == Element::Kind::Choices || e.kind == Element::Kind::Rating)
                for (const auto& r : e.rows) out.push_back({r.action + "/" + r.arg, r.flag});
        return out;
    }
    bool selected(const std::string& tap) const {
        for (const auto& [t, on] : options())
            if (t == tap) return on;
        return false;
    }
};

}  // namespace

TEST_CASE("core.evaluation happy path: after a service, a good rating is stored, then thanks") {
    Rate f;
    f.core.rate("payment", "ORD-5005");
    f.core.handle(Touch{});  // (in the kiosk a flow calls rate() inside an event: the view follows)
    REQUIRE(f.core.scene() == SceneId::Evaluation);
    CHECK(f.core.view().title == f.tr("service.evaluation.title"));
    CHECK(f.core.view().prompt == f.tr("evaluation.ask"));
    CHECK(f.shows(f.tr("service.payment.title")));
    CHECK(f.options().size() == 5);
    f.intent(intents::evaluation::level, "2");
    auto r = f.row("evaluation.submitted");
    CHECK(r.payload.find("\"transaction_id\":\"ORD-5005\"") != std::string::npos);
    CHECK(r.payload.find("\"level\":2") != std::string::npos);
    CHECK(r.payload.find("\"channel\":\"kiosk\"") != std::string::npos);
    CHECK_FALSE(f.shows(f.tr("evaluation.thanks")));  // not before it is on disk
    f.core.handle(OutboxStored{r.tag, true, {}});
    CHECK(f.core.view().prompt == f.tr("evaluation.thanks"));
    CHECK(f.core.already_rated("ORD-5005"));
    f.intent(intents::done);
    CHECK(f.core.scene() == SceneId::Home);
    // One rating per transaction: asked again, the kiosk goes home.
    f.core.rate("payment", "ORD-5005");
    CHECK(f.core.scene() == SceneId::Home);
}

TEST_CASE("core.evaluation a bad rating asks why (at least one reason) and sends the reasons") {
    Rate f;
    f.core.rate("proof", "PR7");
    f.intent(intents::evaluation::level, "5");
    CHECK(f.core.view().prompt == f.tr("evaluation.why"));
    CHECK(f.of<fx::OutboxAppend>("evaluation.submitted").empty());
    f.intent(intents::submit);  // no reason yet: nothing sent
    CHECK(f.of<fx::OutboxAppend>("evaluation.submitted").empty());
    f.intent(intents::evaluation::reason, "slow");
    f.intent(intents::evaluation::reason, "attitude");
    f.intent(intents::evaluation::reason, "attitude");  // a second tap deselects
    CHECK(f.selected("reason/slow"));
    CHECK_FALSE(f.selected("reason/attitude"));
    f.intent(intents::submit);
    auto r = f.row("evaluation.submitted");
    CHECK(r.payload.find("\"level\":5") != std::string::npos);
    CHECK(r.payload.find("\"reasons\":[\"slow\"]") != std::string::npos);
    f.core.handle(OutboxStored{r.tag, true, {}});
    CHECK(f.core.view().prompt == f.tr("evaluation.thanks"));
}

TEST_CASE("core.evaluation from the tile: the receipt QR is scanned, another code is explained") {
    Rate f;
    f.intent(intents::tile, "evaluation");
    REQUIRE(f.core.scene() == SceneId::Evaluation);
    CHECK(f.core.view().prompt == f.tr("evaluation.scan"));
    auto cams = f.of<fx::Camera>();
    REQUIRE_FALSE(cams.empty());
    CHECK(cams.back().on);
    f.intent(intents::evaluation::level, "1");  // no level on the scan step
    CHECK(f.of<fx::OutboxAppend>("evaluation.submitted").empty());
    f.core.handle(CodeScanned{CodeKind::pickup, "246810", CodeRejection::none, ScanSource::inject});
    CHECK(f.shows(f.tr("evaluation.scan_wrong")));
    f.core.handle(
        CodeScanned{CodeKind::receipt, "RC-2026-0001", CodeRejection::none, ScanSource::camera});
    CHECK(f.core.view().prompt == f.tr("evaluation.ask"));
    cams = f.of<fx::Camera>();
    REQUIRE_FALSE(cams.empty());
    CHECK_FALSE(cams.back().on);
    f.intent(intents::evaluation::level, "1");
    auto r = f.row("evaluation.submitted");
    CHECK(r.payload.find("\"transaction_id\":\"RC-2026-0001\"") != std::string::npos);
}

TEST_CASE("core.evaluation the outbox refuses the row: says so, retry stores it") {
    Rate f;
    f.core.rate("guides", "G-1");
    f.intent(intents::evaluation::level, "3");
    auto r = f.row("evaluation.submitted");
    f.core.handle(OutboxStored{r.tag, false, "disk full"});
    CHECK(f.core.view().prompt == f.tr("flow.error.storage"));
    CHECK_FALSE(f.core.already_rated("G-1"));
    f.core.handle(OutboxStored{r.tag + 1000, true, {}});  // not ours: ignored
    CHECK(f.core.view().prompt == f.tr("flow.error.storage"));
    f.intent(intents::retry);
    auto again = f.row("evaluation.submitted");
    CHECK(again.payload == r.payload);
    f.core.handle(OutboxStored{again.tag, true, {}});
    CHECK(f.core.view().prompt == f.tr("evaluation.thanks"));
    CHECK(f.core.already_rated("G-1"));
}

TEST_CASE("core.evaluation back from the reasons to the levels, then out, timeout sends nothing") {
    Rate f;
    f.core.rate("pickup", "AUTH-1");
    f.intent(intents::evaluation::level, "4");
    CHECK(f.core.view().prompt == f.tr("evaluation.why"));
    f.intent(intents::back);
    CHECK(f.core.view().prompt == f.tr("evaluation.ask"));
    f.intent(intents::back);
    CHECK(f.core.scene() == SceneId::Home);

    Rate g;
    g.core.rate("pickup", "AUTH-2");
    g.intent(intents::evaluation::level, "4");
    g.intent(intents::evaluation::reason, "slow");
    const auto& s = g.core.config().session;
    g.advance(s.inactivity_seconds + s.warning_seconds + 1);
    CHECK(g.core.scene() == SceneId::Attract);
    CHECK(g.of<fx::OutboxAppend>("evaluation.submitted").empty());
}

TEST_CASE("core.evaluation bad input: levels out of range, unknown reasons, a bad transaction id") {
    Rate f;
    f.core.rate("payment", "ORD-1");
    for (const char* level : {"0", "6", "-1", "x", ""}) f.intent(intents::evaluation::level, level);
    CHECK(f.core.view().prompt == f.tr("evaluation.ask"));
    CHECK(f.of<fx::OutboxAppend>().empty());
    f.intent(intents::evaluation::level, "4");
    f.intent(intents::evaluation::reason, "nonsense");
    f.intent(intents::submit);
    CHECK(f.of<fx::OutboxAppend>("evaluation.submitted").empty());  // no known reason chosen
    for (const auto& [tap, on] : f.options()) CHECK_FALSE(on);

    Rate g;
    g.core.rate("payment", "not a valid id/..");
    g.intent(intents::evaluation::level, "1");
    CHECK(g.core.view().prompt == g.tr("flow.error.invalid"));
    CHECK(g.of<fx::OutboxAppend>("evaluation.submitted").empty());
}

TEST_CASE("core.complaint happy path: problems chosen, stored in Chinese for the hall, then done") {
    Rate f;
    f.intent(intents::tile, "evaluation");
    f.intent(intents::evaluation::complaint);
    REQUIRE(f.core.scene() == SceneId::Complaint);
    CHECK(f.core.view().title == f.tr("complaint.title"));
    CHECK(f.core.view().prompt == f.tr("complaint.ask"));
    CHECK(f.options().size() == 6);
    f.intent(intents::lang, "en");  // the screen in English; the hall still reads Chinese
    f.intent(intents::complaint::problem, "long_wait");
    f.intent(intents::complaint::problem, "many_visits");
    CHECK(f.selected("problem/long_wait"));
    f.intent(intents::submit);
    auto r = f.row("complaint.submitted");
    CHECK(r.payload.find("\"category\":\"not_done_in_one_visit\"") != std::string::npos);
    CHECK(r.payload.find(f.core.tr_in("zh-CN", "complaint.problem.long_wait") + ";" +
                         f.core.tr_in("zh-CN", "complaint.problem.many_visits")) !=
          std::string::npos);
    CHECK(r.payload.find("phone") == std::string::npos);
    f.core.handle(OutboxStored{r.tag, true, {}});
    CHECK(f.core.view().prompt == f.tr("complaint.done"));
    bool qr = false;
    for (const auto& e : f.core.view().page)
        qr |= e.kind == Element::Kind::Qr && e.text == "ESTN:GUIDE:complaint";
    CHECK(qr);
    f.intent(intents::done);
    CHECK(f.core.scene() == SceneId::Home);
}

TEST_CASE("core.complaint the outbox refuses the row: says so, retry stores the same complaint") {
    Rate f;
    f.intent(intents::tile, "evaluation");
    f.intent(intents::evaluation::complaint);
    f.intent(intents::complaint::problem, "system_down");
    f.intent(intents::submit);
    auto r = f.row("complaint.submitted");
    f.core.handle(OutboxStored{r.tag, false, "disk full"});
    CHECK(f.core.view().prompt == f.tr("flow.error.storage"));
    f.intent(intents::retry);
    auto again = f.row("complaint.submitted");
    CHECK(again.payload == r.payload);
    f.core.handle(OutboxStored{again.tag, true, {}});
    CHECK(f.core.view().prompt == f.tr("complaint.done"));
}

TEST_CASE("core.complaint back returns to the evaluation, timeout sends nothing") {
    Rate f;
    f.intent(intents::tile, "evaluation");
    f.intent(intents::evaluation::complaint);
    f.intent(intents::complaint::problem, "long_wait");
    f.intent(intents::back);
    CHECK(f.core.scene() == SceneId::Evaluation);
    CHECK(f.of<fx::OutboxAppend>("complaint.submitted").empty());

    Rate g;
    g.intent(intents::tile, "evaluation");
    g.intent(intents::evaluation::complaint);
    g.intent(intents::complaint::problem, "long_wait");
    const auto& s = g.core.config().session;
    g.advance(s.inactivity_seconds + s.warning_seconds + 1);
    CHECK(g.core.scene() == SceneId::Attract);
    CHECK(g.of<fx::OutboxAppend>("complaint.submitted").empty());
}

TEST_CASE("core.complaint bad input: nothing chosen, unknown problems, retry when nothing failed") {
    Rate f;
    f.intent(intents::tile, "evaluation");
    f.intent(intents::evaluation::complaint);
    f.intent(intents::submit);  // nothing chosen
    f.intent(intents::complaint::problem, "../../etc");
    f.intent(intents::submit);
    f.intent(intents::retry);  // nothing failed
    CHECK(f.of<fx::OutboxAppend>("complaint.submitted").empty());
    for (const auto& [tap, on] : f.options()) CHECK_FALSE(on);
    CHECK(f.core.view().prompt == f.tr("complaint.ask"));
    f.intent(intents::complaint::problem, "long_wait");
    f.intent(intents::complaint::problem, "long_wait");  // chosen, then not
    f.intent(intents::submit);
    CHECK(f.of<fx::OutboxAppend>("complaint.submitted").empty());
}

}  // namespace kiosk::test
