// Proof self-printing flow (kiosk/core/flows/proof.cpp) with hand-made hall answers and print
// results.
#include <doctest/doctest.h>

#include <algorithm>

#include "api/requests.hpp"
#include "core_fixture.hpp"
#include "effects.hpp"

namespace kiosk::test {
namespace {

struct ProofF : Fixture {
    ProofF() {
        intent("tile", "proof");
        REQUIRE(core.scene() == SceneId::Proof);
        core.take_effects();
    }
    template <class T>
    std::vector<T> effects() {
        auto all = core.take_effects();
        return test::take_of<T>(all);
    }
    void answer(std::uint64_t tag, api::Op op, api::Result<api::Payload> result) {
        api::Response r;
        r.op = op;
        r.result = std::move(result);
        core.handle(HallReply{tag, std::move(r)});
    }
    static api::Application app(std::string id) {
        api::Application a;
        a.application_id = std::move(id);
        a.title = {"我要开小餐馆", "Open a small restaurant"};
        a.state = api::AppState::ready;
        a.timeline = {
            {"2026-11-02T01:12:00Z", api::AppState::submitted, {"已提交", "Submitted"}, ""}};
        return a;
    }
    void card() {
        Person p;
        p.name = "王䶮";
        p.id_number = "110101199003071233";
        core.handle(CardRead{p});
    }
    // Card → two applications → the first → acceptance receipt → issued → PDF → print effect.
    std::uint64_t to_printing() {
        card();
        auto rq = effects<fx::HallRequest>();
        REQUIRE(rq.size() == 1);
        CHECK(rq[0].request.op == api::Op::application_lookup);
        api::ApplicationList list;
        list.applications = {app("APP-2026-0006"), app("APP-2026-0007")};
        answer(rq[0].tag, api::Op::application_lookup, api::Payload{list});
        intent("app", "APP-2026-0006");
        intent("kind", "completion_certificate");
        rq = effects<fx::HallRequest>();
        REQUIRE(rq.size() == 1);
        CHECK(rq[0].request.op == api::Op::proof_request);
        CHECK(rq[0].request.body.find("completion_certificate") != std::string::npos);
        CHECK(rq[0].request.body.find("APP-2026-0006") != std::string::npos);
        CHECK(core.busy());
        answer(rq[0].tag, api::Op::proof_request,
               api::Payload{api::Proof{"PR7", {"办件证明", "Application proof"}, 2, 900}});
        rq = effects<fx::HallRequest>();
        REQUIRE(rq.size() == 1);
        CHECK(rq[0].request.op == api::Op::proof_pdf);
        answer(rq[0].tag, api::Op::proof_pdf, api::Payload{api::ProofPdf{"%PDF-1.4 …%%EOF"}});
        auto pr = effects<fx::PrintPdf>();
        REQUIRE(pr.size() == 1);
        CHECK(pr[0].pdf == "%PDF-1.4 …%%EOF");
        CHECK(pr[0].title == "proof-PR7");
        return pr[0].tag;
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
    std::string tr(const std::string& key) const { return i18n().tr("zh-CN", key); }
};

}  // namespace

TEST_CASE("core.proof: ID card, choose application and kind, issue, download, print, rating") {
    ProofF f;
    CHECK(f.core.view().prompt == f.tr("proof.card"));
    const std::uint64_t tag = f.to_printing();
    CHECK(f.shows(f.tr("proof.printing")));
    CHECK(f.core.busy());
    f.intent("back");  // a page is on its way out: stays
    CHECK(f.core.scene() == SceneId::Proof);
    f.core.handle(PrintDone{tag, true, {}, false});
    CHECK(f.shows(f.tr("proof.printed")));
    CHECK_FALSE(f.core.busy());
    f.intent("done");
    CHECK(f.core.scene() == SceneId::Evaluation);
    CHECK(f.core.rating_target().transaction_id == "PR7");
}

TEST_CASE("core.proof paper out: job held, staff called, prints when paper is loaded") {
    ProofF f;
    const std::uint64_t tag = f.to_printing();
    f.core.handle(PrintDone{tag, false, PrintFailure::paper_out, true});
    CHECK(f.shows(f.tr("proof.held")));
    CHECK(f.shows(f.tr("proof.held_paper")));
    CHECK(f.shows(f.tr("print.reason.paper_out")));
    CHECK(f.core.view().prompt == f.tr("proof.held"));
    CHECK(f.core.busy());
    auto staff = f.effects<fx::CallStaff>();
    CHECK(staff.size() == 1);
    // The printer reports again (still held): staff are not called twice.
    f.core.handle(PrintDone{tag, false, PrintFailure::paper_out, true});
    CHECK(f.effects<fx::CallStaff>().empty());
    f.core.handle(PrintDone{tag, true, {}, false});
    CHECK(f.shows(f.tr("proof.printed")));
}

TEST_CASE("core.proof print failed (not held): retry prints the same PDF again") {
    ProofF f;
    const std::uint64_t tag = f.to_printing();
    f.core.handle(PrintDone{tag, false, PrintFailure::offline, false});
    CHECK(f.shows(f.tr("proof.print_failed")));
    f.intent("retry");
    auto pr = f.effects<fx::PrintPdf>();
    REQUIRE(pr.size() == 1);
    CHECK(pr[0].pdf == "%PDF-1.4 …%%EOF");
}

TEST_CASE("core.proof A4 printer down: says so before asking the hall") {
    ProofF f;
    f.core.handle(DeviceAvailability{"a4_printer", false});
    f.card();
    auto rq = f.effects<fx::HallRequest>();
    api::ApplicationList list;
    list.applications = {ProofF::app("APP-2026-0006")};
    f.answer(rq[0].tag, api::Op::application_lookup, api::Payload{list});
    f.intent("app", "APP-2026-0006");
    f.intent("kind", "acceptance_receipt");
    CHECK(f.shows(f.tr("proof.printer_down")));
    CHECK(f.effects<fx::HallRequest>().empty());
    f.intent("back");
    CHECK(f.shows(f.tr("proof.kind")));
}

TEST_CASE("core.proof: no applications, hall errors with retry, back through the steps") {
    ProofF f;
    f.card();
    auto rq = f.effects<fx::HallRequest>();
    f.answer(rq[0].tag, api::Op::application_lookup, api::Payload{api::ApplicationList{}});
    CHECK(f.shows(f.tr("proof.none")));

    ProofF g;
    g.card();
    rq = g.effects<fx::HallRequest>();
    g.answer(rq[0].tag, api::Op::application_lookup,
             api::Error{api::ErrorKind::offline, 0, {}, {}});
    CHECK(g.shows(g.tr("flow.error.offline")));
    g.intent("retry");
    rq = g.effects<fx::HallRequest>();
    REQUIRE(rq.size() == 1);
    api::ApplicationList list;
    list.applications = {ProofF::app("APP-2026-0006")};
    g.answer(rq[0].tag, api::Op::application_lookup, api::Payload{list});
    CHECK(g.shows("王*"));
    CHECK_FALSE(g.shows("王䶮"));
    g.intent("app", "APP-2026-0006");
    g.intent("kind", "payment_receipt");
    rq = g.effects<fx::HallRequest>();
    REQUIRE(rq.size() == 1);
    g.answer(rq[0].tag, api::Op::proof_request, api::Error{api::ErrorKind::not_found, 404, {}, {}});
    CHECK(g.shows(g.tr("flow.error.not_found")));
    g.intent("back");
    CHECK(g.shows(g.tr("proof.kind")));
    g.intent("back");
    CHECK(g.shows(g.tr("proof.choose")));
    g.intent("back");
    CHECK(g.core.scene() == SceneId::Home);
}

}  // namespace kiosk::test
