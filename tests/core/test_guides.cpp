// The one-thing guides and convenience services flows, driven through the core with the hall
// simulator's own seed data (sim/hall/seed.cpp: 我要开小餐馆 from the Yueyang report).
#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "api/requests.hpp"
#include "core/flows/guides.hpp"
#include "core/scenes/scenes.hpp"
#include "core_fixture.hpp"
#include "effects.hpp"
#include "sim/hall/seed.hpp"

namespace kiosk::test {
namespace {

api::Payload seed_guide(const std::string& id) {
    for (const auto& g : hallsim::seed::guides())
        if (g["id"] == id) {
            auto r = api::parse_response(api::Op::guide, g.dump());
            REQUIRE_MESSAGE(r.ok(), r.error().describe());
            return r.value();
        }
    FAIL("no seed guide " << id);
    return {};
}

api::Payload seed_list() {
    api::GuideList l;
    for (const auto& g : hallsim::seed::guides()) {
        auto r = api::parse_response(api::Op::guide, g.dump());
        REQUIRE(r.ok());
        const auto& guide = std::get<api::Guide>(r.value());
        l.guides.push_back({guide.id, guide.title, static_cast<int>(guide.departments.size())});
    }
    return l;
}

api::Payload seed_catalog() {
    auto r = api::parse_response(api::Op::catalog, hallsim::seed::catalog().dump());
    REQUIRE_MESSAGE(r.ok(), r.error().describe());
    return r.value();
}

struct GuidesFixture : Fixture {
    std::vector<Effect> fx;

    // The hall requests made since the last call (op, path, tag).
    std::vector<fx::HallRequest> requests() {
        for (auto& e : core.take_effects()) fx.push_back(std::move(e));
        return test::take_of<fx::HallRequest>(fx);
    }
    std::uint64_t last_request(api::Op op) {
        auto r = requests();
        REQUIRE(!r.empty());
        CHECK(r.back().request.op == op);
        return r.back().tag;
    }
    void answer(std::uint64_t tag, api::Op op, api::Payload p, bool cached = false) {
        api::Response r;
        r.op = op;
        r.result = api::Result<api::Payload>(std::move(p));
        r.from_cache = cached;
        core.handle(HallReply{tag, std::move(r)});
    }
    void fail(std::uint64_t tag, api::Op op, api::ErrorKind kind) {
        api::Response r;
        r.op = op;
        r.result = api::Error{kind, 0, {}, {}};
        core.handle(HallReply{tag, std::move(r)});
    }
    // The restaurant guide's overview, reached from the home tile.
    void open_restaurant(bool cached = false) {
        intent("tile", "guides");
        REQUIRE(core.scene() == SceneId::Guides);
        answer(last_request(api::Op::guides), api::Op::guides, seed_list(), cached);
        intent("open", "restaurant");
        answer(last_request(api::Op::guide), api::Op::guide, seed_guide("restaurant"), cached);
    }
    const Element* find(const std::string& id) const {
        for (const auto& e : core.view().page)
            if (e.id == id) return &e;
        return nullptr;
    }
    bool shows(const std::string& text) const {
        for (const auto& e : core.view().page) {
            if (e.text.find(text) != std::string::npos) return true;
            if (e.detail.find(text) != std::string::npos) return true;
            for (const auto& r : e.rows)
                if (r.label.find(text) != std::string::npos ||
                    r.detail.find(text) != std::string::npos ||
                    r.value.find(text) != std::string::npos)
                    return true;
        }
        for (const auto& e : core.view().actions)
            if (e.text.find(text) != std::string::npos) return true;
        return false;
    }
    std::vector<std::string> checklist() const {
        std::vector<std::string> lines;
        for (const auto& e : core.view().page)
            if (e.id == "checklist") lines.push_back(e.text);
        return lines;
    }
    std::vector<std::string> guide_rows() const {
        std::vector<std::string> out;
        if (const Element* e = find("guide_list"))
            for (const auto& r : e->rows) out.push_back(r.arg);
        return out;
    }
};

bool contains(const std::vector<std::string>& lines, const std::string& s) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& l) { return l.find(s) != std::string::npos; });
}

}  // namespace

TEST_CASE("core.guides situations: all no gives the six basic materials of the restaurant") {
    GuidesFixture f;
    f.open_restaurant();
    CHECK(f.shows("我要开小餐馆"));
    f.intent("situations");
    for (const char* a : {"agent_no", "facade_no", "taxes_no", "books_no", "invoice_none"})
        f.intent("answer", a);
    const Element* n = f.find("material_count");
    REQUIRE(n != nullptr);
    CHECK(n->text == "6");
    CHECK(f.shows("全部 15 项材料中,按您的情况只需准备 6 项"));
    const auto lines = f.checklist();
    CHECK(lines == std::vector<std::string>{
                       "□ 1. “我要开小餐馆”一次申请表单", "□ 2. 经营者身份证复印件",
                       "□ 3. 委托代理人证明", "□ 4. 经营场所使用证明",
                       "□ 5. 与食品经营相适应的主要设备设施布局、操作流程等文件", "□ 6. 健康证明"});
    // Only the licence and the catering permit apply.
    CHECK(f.shows("办理个体工商户营业执照"));
    CHECK_FALSE(f.shows("临时占用城市道路审批"));
}

TEST_CASE("core.guides situations: agent shopfront tax and VAT invoices give 14 materials") {
    GuidesFixture f;
    f.open_restaurant();
    f.intent("situations");
    for (const char* a : {"agent_yes", "facade_yes", "taxes_yes", "books_no", "invoice_vat"})
        f.intent("answer", a);
    CHECK(f.find("material_count")->text == "14");
    const auto lines = f.checklist();
    REQUIRE(lines.size() == 14);
    CHECK(contains(lines, "代理人身份证(委托办理的提供)(原件)"));
    CHECK(contains(lines, "现状图(实景照片)"));
    CHECK(contains(lines, "增值税税控系统最高开票限额"));
    CHECK(contains(lines, "发票专用章印模"));
    CHECK_FALSE(contains(lines, "财务会计核算软件"));  // books: no
    CHECK(f.shows("临时占用城市道路审批"));
    CHECK(f.shows("城管部门"));
}

TEST_CASE("core.guides situations: one question per page with progress and back to the previous") {
    GuidesFixture f;
    f.open_restaurant();
    f.intent("situations");
    const Element& p = f.core.view().page.front();
    CHECK(p.kind == Element::Kind::Progress);
    CHECK(p.value == 1);
    CHECK(p.max == 5);
    CHECK(f.shows("第 1 题,共 5 题"));
    CHECK(f.shows("是否委托代理人办理?"));
    f.intent("answer", "agent_yes");
    CHECK(f.shows("第 2 题,共 5 题"));
    f.intent("back");
    CHECK(f.shows("第 1 题,共 5 题"));
    // The earlier answer is shown as chosen; changing it changes the result.
    const Element* o = f.find("options");
    REQUIRE(o != nullptr);
    CHECK(o->rows[0].flag);
    f.intent("answer", "agent_no");
    for (const char* a : {"facade_no", "taxes_yes", "books_yes", "invoice_first"})
        f.intent("answer", a);
    // base 6 + tax 2 + software + invoice seal
    CHECK(f.find("material_count")->text == "10");
    CHECK_FALSE(contains(f.checklist(), "代理人身份证"));
    // Back from the result: the last question; back from the first: the overview.
    f.intent("back");
    CHECK(f.shows("第 5 题,共 5 题"));
    for (int i = 0; i < 5; ++i) f.intent("back");
    CHECK(f.find("fig_materials") != nullptr);
    f.intent("back");
    CHECK(f.find("guide_list") != nullptr);
    f.intent("back");
    CHECK(f.core.scene() == SceneId::Home);
}

TEST_CASE("core.guides overview: figures before and after, chart, code and form from the seed") {
    GuidesFixture f;
    f.open_restaurant();
    CHECK(f.find("fig_materials")->text == "14");
    CHECK(f.find("fig_materials")->detail == "所需材料(份),改革前 26 份");
    CHECK(f.find("fig_days")->text == "8");
    CHECK(f.find("fig_days")->detail == "办理时间(工作日),改革前 14.5 天");
    CHECK(f.shows("4 → 1"));
    f.intent("section", "chart");
    const Element* c = f.find("process_chart");
    REQUIRE(c != nullptr);
    CHECK(c->kind == Element::Kind::Chart);
    REQUIRE(c->rows.size() == 4);
    CHECK(c->rows[1].value == "市场监管部门");
    f.intent("back");
    f.intent("section", "code");
    bool qr = false;
    for (const auto& e : f.core.view().page)
        qr = qr || (e.kind == Element::Kind::Qr &&
                    e.text == "https://hall.example.gov.cn/guide/restaurant");
    CHECK(qr);
    f.intent("back");
    f.intent("section", "form");
    CHECK(f.shows("经营面积(平方米,50以下)"));
    CHECK(f.shows("热食类食品制售"));
    f.intent("back");
    f.intent("section", "list");
    CHECK(f.shows("办理临时占用城市道路审批(办理门头装修的提供)(城管部门)"));
}

TEST_CASE("core.guides checklist: printed with only the materials that apply, and as a QR link") {
    GuidesFixture f;
    f.open_restaurant();
    f.core.take_effects();
    f.intent("situations");
    for (const char* a : {"agent_no", "facade_yes", "taxes_no", "books_no", "invoice_none"})
        f.intent("answer", a);
    f.intent("print");
    const fx::Print* print = nullptr;
    auto effects = f.core.take_effects();
    for (const auto& e : effects)
        if (const auto* p = std::get_if<fx::Print>(&e)) print = p;
    REQUIRE(print != nullptr);
    CHECK(print->receipt_template == "checklist");
    std::map<std::string, std::string> fields(print->fields.begin(), print->fields.end());
    CHECK(fields["service"] == "我要开小餐馆");
    CHECK(fields["guide_url"] == "https://hall.example.gov.cn/guide/restaurant?s=road");
    CHECK(fields.count("applicant") == 0);  // no personal data on a guide checklist
    const auto items = nlohmann::json::parse(fields["list.items"]);
    REQUIRE(items.size() == 9);
    CHECK(items[6]["title"] == "现状图(实景照片)");
    CHECK(f.core.busy());
    CHECK(f.shows("正在打印材料清单"));
    f.core.handle(PrintDone{print->tag, true, {}, false});
    CHECK(f.shows("清单已打印"));
    CHECK_FALSE(f.core.busy());
    f.intent("take");
    bool qr = false;
    for (const auto& e : f.core.view().page)
        qr = qr || (e.kind == Element::Kind::Qr &&
                    e.text == "https://hall.example.gov.cn/guide/restaurant?s=road");
    CHECK(qr);
    f.intent("back");
    CHECK(f.find("checklist") != nullptr);
    // Printer down: the button is disabled and the page says why.
    f.core.handle(DeviceAvailability{"printer", false});
    CHECK(f.shows("打印机暂不可用"));
    bool disabled = false;
    for (const auto& a : f.core.view().actions)
        if (a.action == "print") disabled = !a.enabled;
    CHECK(disabled);
}

TEST_CASE("core.guides checklist link: no personal data and within QR capacity") {
    api::Guide g;
    g.id = "restaurant";
    g.code = "https://hall.example.gov.cn/guide/restaurant";
    CHECK(flows::checklist_link(g, {"base", "agent", "tax"}) ==
          "https://hall.example.gov.cn/guide/restaurant?s=agent.tax");
    g.code.clear();
    CHECK(flows::checklist_link(g, {"base"}) == "ESTN:GUIDE:restaurant");
    std::vector<std::string> many(100, "situation_with_a_long_id");
    CHECK(flows::checklist_link(g, many).size() <= 300);
}

TEST_CASE("core.guides after the guide: a queue ticket and the rating") {
    GuidesFixture f;
    f.open_restaurant();
    f.intent("ticket");
    CHECK(f.core.scene() == SceneId::Ticket);
    GuidesFixture g;
    g.open_restaurant();
    g.intent("situations");
    for (const char* a : {"agent_no", "facade_no", "taxes_no", "books_no", "invoice_none"})
        g.intent("answer", a);
    g.intent("rate");
    CHECK(g.core.scene() == SceneId::Evaluation);
    CHECK(g.core.rating_target().service_id == "guides");
}

TEST_CASE("core.guides search: pinyin initials of GB2312 level 1") {
    CHECK(flows::pinyin_initials("我要开小餐馆") == "WYKXCG");
    CHECK(flows::pinyin_initials("我要开专科医院") == "WYKZKYY");
    CHECK(flows::pinyin_initials("出生“一件事”") == "CSYJS");
    CHECK(flows::pinyin_initials("退休") == "TX");
    CHECK(flows::pinyin_initials("身后") == "SH");
    CHECK(flows::pinyin_initials("a1 b") == "A1B");
    CHECK(flows::guide_matches({"我要开小餐馆", "Open a small restaurant"}, "XCG"));
    CHECK(flows::guide_matches({"我要开小餐馆", "Open a small restaurant"}, "REST", true));
    CHECK_FALSE(flows::guide_matches({"我要开小餐馆", "Open a small restaurant"}, "REST"));
    CHECK_FALSE(flows::guide_matches({"我要开小餐馆", "Open a small restaurant"}, "TAU", true));
    CHECK_FALSE(flows::guide_matches({"我要开小餐馆", "Open a small restaurant"}, "YY"));
}

TEST_CASE("core.guides search: letters and departments narrow the list") {
    GuidesFixture f;
    f.intent("tile", "guides");
    f.answer(f.last_request(api::Op::guides), api::Op::guides, seed_list());
    CHECK(f.guide_rows().size() == 6);
    f.intent("mode", "abc");
    for (const char* l : {"X", "C", "G"}) f.intent("letter", l);
    CHECK(f.shows("X C G"));
    CHECK(f.guide_rows() == std::vector<std::string>{"restaurant"});
    f.intent("letter", "del");
    f.intent("letter", "del");
    f.intent("letter", "del");
    f.intent("letter", "T");
    CHECK(f.guide_rows() == std::vector<std::string>{"retirement", "veteran"});
    f.intent("letter", "clear");
    f.intent("letter", "Q");
    f.intent("letter", "Q");
    CHECK(f.guide_rows().empty());
    CHECK(f.shows("没有找到"));

    // By department: every guide is fetched once, then the offices are chips.
    f.intent("mode", "dept");
    auto reqs = f.requests();
    CHECK(reqs.size() == 6);
    for (const auto& r : reqs) {
        const std::string id = r.request.path.substr(std::string("/guides/").size());
        f.answer(r.tag, api::Op::guide, seed_guide(id));
    }
    CHECK(f.shows("税务部门"));
    CHECK(f.shows("公安部门"));
    CHECK(f.guide_rows().empty());  // nothing chosen yet
    f.intent("dept", "税务部门");
    CHECK(f.guide_rows() == std::vector<std::string>{"restaurant", "hospital"});
    f.intent("dept", "公安部门");
    CHECK(f.guide_rows() == std::vector<std::string>{"birth", "veteran", "after_death"});
    // Opening a prefetched guide needs no new request.
    f.intent("open", "birth");
    CHECK(f.requests().empty());
    CHECK(f.shows("出生“一件事”"));
}

TEST_CASE("core.guides offline: a saved copy is shown with the notice, nothing saved is an error") {
    GuidesFixture f;
    f.open_restaurant(true);
    CHECK(f.shows("这是本机保存的指南"));
    CHECK(f.find("fig_materials") != nullptr);

    GuidesFixture g;
    g.open_restaurant(false);
    CHECK_FALSE(g.shows("这是本机保存的指南"));

    GuidesFixture h;
    h.intent("tile", "guides");
    h.fail(h.last_request(api::Op::guides), api::Op::guides, api::ErrorKind::offline);
    CHECK(h.shows("暂时连不上大厅系统"));
    h.intent("retry");
    h.answer(h.last_request(api::Op::guides), api::Op::guides, seed_list());
    h.intent("open", "hospital");
    h.fail(h.last_request(api::Op::guide), api::Op::guide, api::ErrorKind::not_found);
    CHECK(h.shows("没有找到相关信息"));
    h.intent("back");
    CHECK(h.find("guide_list") != nullptr);
}

TEST_CASE("core.guides without questions: the checklist is every material") {
    GuidesFixture f;
    f.intent("tile", "guides");
    f.answer(f.last_request(api::Op::guides), api::Op::guides, seed_list());
    f.intent("open", "hospital");
    f.answer(f.last_request(api::Op::guide), api::Op::guide, seed_guide("hospital"));
    CHECK(f.shows("4 → 1") == false);
    f.intent("situations");
    CHECK(f.find("material_count")->text == "3");
}

// [SECTION] convenience services

struct ConvenienceFixture : GuidesFixture {
    void open() {
        intent("tile", "convenience");
        REQUIRE(core.scene() == SceneId::Convenience);
        answer(last_request(api::Op::catalog), api::Op::catalog, seed_catalog());
    }
    const PageRow* row(const std::string& id) const {
        if (const Element* e = find("services"))
            for (const auto& r : e->rows)
                if (r.arg == id) return &r;
        return nullptr;
    }
    std::vector<std::string> all_rows() {
        std::vector<std::string> out;
        for (int p = 0; p < 10; ++p) {
            if (const Element* e = find("services"))
                for (const auto& r : e->rows) out.push_back(r.arg);
            bool more = false;
            for (const auto& a : core.view().actions)
                if (a.action == "page" && a.arg == "next") more = a.enabled;
            if (!more) break;
            intent("page", "next");
        }
        return out;
    }
};

TEST_CASE("core.convenience: the hall catalog in pages of tiles, at least 15 services") {
    ConvenienceFixture f;
    f.open();
    CHECK(f.find("services")->rows.size() == 8);
    const auto rows = f.all_rows();
    CHECK(rows.size() >= 15);
    CHECK(std::find(rows.begin(), rows.end(), "housing_fund") != rows.end());
    CHECK(std::find(rows.begin(), rows.end(), "deposit") == rows.end());  // staff only
    f.intent("back");                                                     // back pages back first
    CHECK(f.core.scene() == SceneId::Convenience);
}

TEST_CASE(
    "core.convenience dispatch: a query without an endpoint is an information page with a QR") {
    ConvenienceFixture f;
    f.open();
    f.intent("page", "next");
    f.intent("svc", "housing_fund");
    CHECK(f.shows("公积金查询"));
    CHECK(f.shows("本机暂不能查询此项"));
    const Element* q = f.find("online_qr");
    REQUIRE(q != nullptr);
    CHECK(q->text == "https://hall.example.gov.cn/service/housing_fund");
    f.intent("back");
    CHECK(f.find("services") != nullptr);
}

TEST_CASE("core.convenience dispatch: flows, guides and flows not built yet") {
    for (const char* id : {"ticket", "evaluation", "complaint", "guides", "pickup", "payment",
                           "progress", "proof", "traffic_fine"}) {
        CAPTURE(id);
        ConvenienceFixture f;
        f.open();
        f.all_rows();  // any page: the intent names the service
        f.intent("svc", id);
        api::Service s;
        s.id = id;
        const SceneId want = flows::service_scene(s);
        REQUIRE(want != SceneId::Home);
        if (scenes::get(want).id == want) {
            CHECK(f.core.scene() == want);
        } else {
            CHECK(f.core.scene() == SceneId::Convenience);
            CHECK(f.shows("本机暂未开通此项服务"));
        }
    }
    ConvenienceFixture g;
    g.open();
    g.intent("svc", "restaurant");
    CHECK(g.core.scene() == SceneId::Guides);
    auto reqs = g.requests();
    REQUIRE(!reqs.empty());
    CHECK(reqs.back().request.path == "/guides/restaurant");
    g.answer(reqs.back().tag, api::Op::guide, seed_guide("restaurant"));
    CHECK(g.find("fig_materials") != nullptr);
    g.intent("back");  // opened for one guide: back leaves it
    CHECK(g.core.scene() == SceneId::Convenience);
}

TEST_CASE("core.convenience: a service whose device is down is disabled with the reason") {
    ConvenienceFixture f;
    f.open();
    f.core.handle(DeviceAvailability{"printer", false});
    const PageRow* t = f.row("ticket");
    REQUIRE(t != nullptr);
    CHECK_FALSE(t->enabled);
    CHECK(t->detail == "打印机暂不可用");
    f.intent("svc", "ticket");
    CHECK(f.core.scene() == SceneId::Convenience);
    const PageRow* e = f.row("evaluation");
    CHECK((e == nullptr || e->enabled));
    f.core.handle(DeviceAvailability{"printer", true});
    CHECK(f.row("ticket")->enabled);
}

TEST_CASE("core.convenience: hall down shows the saved catalog and disables hall services") {
    ConvenienceFixture f;
    f.intent("tile", "convenience");
    f.core.handle(DeviceAvailability{"hall", false});
    f.answer(f.last_request(api::Op::catalog), api::Op::catalog, seed_catalog(), true);
    CHECK(f.shows("本机保存的服务目录"));
    CHECK_FALSE(f.row("pickup")->enabled);
    CHECK(f.row("pickup")->detail == "暂时连不上大厅系统");
    CHECK(f.row("guides")->enabled);
}

}  // namespace kiosk::test
