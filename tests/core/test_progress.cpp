// Application progress flow (kiosk/core/flows/progress.cpp) with hand-made hall answers.
#include <doctest/doctest.h>

#include "api/requests.hpp"
#include "core_fixture.hpp"
#include "effects.hpp"

namespace kiosk::test {
namespace {

struct Prog : Fixture {
    Prog() {
        intent("tile", "progress");
        REQUIRE(core.scene() == SceneId::Progress);
        core.take_effects();
    }
    std::vector<fx::HallRequest> hall_requests() {
        auto effects = core.take_effects();
        return test::take_of<fx::HallRequest>(effects);
    }
    void answer(std::uint64_t tag, api::Op op, api::Result<api::Payload> result) {
        api::Response r;
        r.op = op;
        r.result = std::move(result);
        core.handle(HallReply{tag, std::move(r)});
    }
    static api::Application app(std::string id, api::AppState state) {
        api::Application a;
        a.application_id = std::move(id);
        a.title = {"我要开小餐馆", "Open a small restaurant"};
        a.state = state;
        a.timeline = {
            {"2026-11-20T02:00:00Z", api::AppState::submitted, {"已提交", "Submitted"}, ""},
            {"2026-11-20T02:30:00Z", api::AppState::accepted, {"已受理", "Accepted"}, ""},
            {"2026-11-23T01:00:00Z",
             api::AppState::reviewing,
             {"城管部门审核中", "Under review"},
             "urban"}};
        return a;
    }
    void card() {
        Person p;
        p.name = "王䶮";
        p.id_number = "110101199003071233";
        core.handle(CardRead{p});
    }
    bool shows(const std::string& needle) const {
        auto in = [&](const std::string& s) { return s.find(needle) != std::string::npos; };
        for (const auto* list : {&core.view().page, &core.view().actions})
            for (const auto& e : *list) {
                if (in(e.text) || in(e.detail)) return true;
                for (const auto& r : e.rows)
                    if (in(r.label) || in(r.value) || in(r.detail)) return true;
            }
        return false;
    }
    const Element* element(Element::Kind k) const {
        for (const auto& e : core.view().page)
            if (e.kind == k) return &e;
        return nullptr;
    }
    std::string tr(const std::string& key) const { return i18n().tr("zh-CN", key); }
};

}  // namespace

TEST_CASE("core.progress by ID card: one application → timeline, state in words, what is next") {
    Prog f;
    f.intent("by", "idcard");
    CHECK(f.core.view().prompt == f.tr("progress.card"));
    f.card();
    auto rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    CHECK(rq[0].request.op == api::Op::application_lookup);
    api::ApplicationList list;
    list.applications = {Prog::app("APP-2026-0006", api::AppState::reviewing)};
    f.answer(rq[0].tag, api::Op::application_lookup, api::Payload{list});
    const Element* t = f.element(Element::Kind::Timeline);
    REQUIRE(t);
    REQUIRE(t->rows.size() == 4);  // three done, the next one hollow
    CHECK(t->rows[0].flag);
    CHECK(t->rows[2].flag);
    CHECK(t->rows[2].detail == f.tr("progress.dept.urban"));
    CHECK_FALSE(t->rows[3].flag);
    CHECK(t->rows[3].value == f.tr("progress.state.approved"));
    CHECK(t->rows[0].label.rfind("2026-11-20 ", 0) == 0);  // in local time, minutes only
    CHECK(f.shows(f.tr("progress.next.reviewing")));
    CHECK(f.shows("王*"));         // the masked name
    CHECK_FALSE(f.shows("王䶮"));  // never the full name
    CHECK_FALSE(f.shows("110101199003071233"));
    CHECK(f.core.view().prompt.find(f.tr("progress.state.reviewing")) != std::string::npos);
    f.intent("back");
    CHECK(f.shows(f.tr("progress.by_idcard")));  // one application: back to the start
}

TEST_CASE("core.progress by ID card: several applications → a list first, back returns to it") {
    Prog f;
    f.card();  // placing the card on the first step works too
    auto rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    api::ApplicationList list;
    list.applications = {Prog::app("APP-2026-0006", api::AppState::reviewing),
                         Prog::app("APP-2026-0007", api::AppState::collected)};
    f.answer(rq[0].tag, api::Op::application_lookup, api::Payload{list});
    const Element* c = f.element(Element::Kind::Choices);
    REQUIRE(c);
    CHECK(c->rows.size() == 2);
    CHECK(c->rows[1].detail.find(f.tr("progress.state.collected")) != std::string::npos);
    f.intent("open", "APP-2026-0007");
    const Element* t = f.element(Element::Kind::Timeline);
    REQUIRE(t);
    CHECK(t->rows.size() == 3);  // collected: nothing comes next
    f.intent("back");
    CHECK(f.element(Element::Kind::Choices));
}

TEST_CASE("core.progress by receipt QR: one application fetched by id, unknown receipt") {
    Prog f;
    f.core.handle(
        CodeScanned{CodeKind::receipt, "APP-2026-0006", CodeRejection::none, ScanSource::inject});
    auto rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    CHECK(rq[0].request.op == api::Op::application);
    CHECK(rq[0].request.path == "/applications/APP-2026-0006");
    f.answer(rq[0].tag, api::Op::application,
             api::Payload{Prog::app("APP-2026-0006", api::AppState::approved)});
    CHECK(f.element(Element::Kind::Timeline));
    CHECK_FALSE(f.shows(f.tr("progress.holder")));  // nobody's name: the QR says nothing of it

    f.intent("other");
    f.core.handle(
        CodeScanned{CodeKind::receipt, "ORD-5005", CodeRejection::none, ScanSource::inject});
    rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    f.answer(rq[0].tag, api::Op::application, api::Error{api::ErrorKind::not_found, 404, {}, {}});
    CHECK(f.shows(f.tr("progress.receipt_unknown")));
}

TEST_CASE("core.progress: a code that is not a receipt is explained, nothing found, hall down") {
    Prog f;
    f.core.handle(CodeScanned{CodeKind::pickup, "246810", CodeRejection::none, ScanSource::inject});
    CHECK(f.shows(f.tr("progress.scan_wrong")));
    CHECK(f.hall_requests().empty());

    f.card();
    auto rq = f.hall_requests();
    f.answer(rq[0].tag, api::Op::application_lookup, api::Payload{api::ApplicationList{}});
    CHECK(f.shows(f.tr("progress.none")));

    f.intent("other");
    f.intent("by", "idcard");  // the card was read this session: looked up at once
    rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    f.answer(rq[0].tag, api::Op::application_lookup,
             api::Error{api::ErrorKind::offline, 0, {}, {}});
    CHECK(f.shows(f.tr("flow.error.offline")));
    CHECK(f.core.view().prompt == f.tr("flow.error.offline"));
    f.intent("retry");
    rq = f.hall_requests();
    REQUIRE(rq.size() == 1);
    CHECK(rq[0].request.op == api::Op::application_lookup);
}

TEST_CASE("core.progress in English and elder mode") {
    Prog f;
    f.intent("lang", "en");
    f.intent("elder");
    CHECK(f.core.view().prompt == i18n().tr("en", "progress.how"));
    CHECK(f.core.view().elder);
}

}  // namespace kiosk::test
