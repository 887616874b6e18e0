// Convenience services (便民服务): the hall's whole service catalog (api::req::catalog()) as pages
// of large tiles. A tile leads to
// - a kiosk flow (pickup, ticket, payment, proof, progress, guides, evaluation, complaint): the
//   flow's scene, or "coming soon" on this kiosk while that flow is not built yet;
// - a one-thing guide (a service with a guide id): the guides flow, opened at that guide;
// - anything else (a query the hall contract has no endpoint for, such as the housing-fund
//   balance, or an information service): an information page with a QR code to the hall's
//   online service, to finish it on a phone.
// A service needing a device or the hall that is down is shown disabled, with the reason in words.
#include <algorithm>

#include "api/requests.hpp"
#include "core/flows/common.hpp"
#include "core/flows/guides.hpp"
#include "core/intents.hpp"
#include "core/log.hpp"
#include "core/scenes/scenes.hpp"

namespace kiosk::flows {

SceneId service_scene(const api::Service& s) {
    static const std::pair<const char*, SceneId> kFlows[] = {
        {"pickup", SceneId::Pickup},
        {"progress", SceneId::Progress},
        {"ticket", SceneId::Ticket},
        {"queue", SceneId::Ticket},
        {"payment", SceneId::Payment},
        // Fines and insurance contributions are paid with a payment notice like any non-tax fee.
        {"traffic_fine", SceneId::Payment},
        {"medical_insurance", SceneId::Payment},
        {"proof", SceneId::Proof},
        {"guides", SceneId::Guides},
        {"evaluation", SceneId::Evaluation},
        {"complaint", SceneId::Complaint}};
    for (const auto& [id, scene] : kFlows)
        if (s.id == id) return scene;
    return SceneId::Home;
}

}  // namespace kiosk::flows

namespace kiosk::scenes {
namespace {

using flows::pick;

constexpr std::size_t kPerPage = 8;

const char* device_of(api::Need n) {
    switch (n) {
        case api::Need::hall:
            return "hall";
        case api::Need::idcard:
            return "idcard";
        case api::Need::printer:
            return "printer";
        case api::Need::locker:
            return "locker";
        case api::Need::scanner:
            return "scanner";
        case api::Need::camera:
            return "camera";
        case api::Need::payment:
        case api::Need::keypad:
            return nullptr;  // the payment QR and the keypad are on the screen itself
    }
    return nullptr;
}

class ConvenienceFlow final : public Flow {
  public:
    enum class Step { Loading, Tiles, Info, Soon, Failed };

    void enter(Core& core) override { load(core); }

    bool event(Core& core, const Event& ev) override {
        if (const auto* r = std::get_if<HallReply>(&ev)) {
            if (r->tag != tag_) return false;
            if (!r->response.result.ok()) {
                error_ = flows::error_key(r->response.result.error());
                step_ = Step::Failed;
                return true;
            }
            services_.clear();
            for (const auto& s : std::get<api::Catalog>(r->response.result.value()).services)
                // Staff functions (存件) are in the staff service menu, not for citizens.
                if (s.id != "deposit" && s.id != "convenience") services_.push_back(s);
            cached_ = r->response.from_cache;
            step_ = Step::Tiles;
            log::get("convenience")->info("{} services", services_.size());
            return true;
        }
        const auto* in = std::get_if<Intent>(&ev);
        if (!in) return false;
        const std::string& a = in->action;
        if (a == intents::back) {
            if (step_ == Step::Info || step_ == Step::Soon) {
                step_ = Step::Tiles;
                return true;
            }
            if (step_ == Step::Tiles && page_ > 0) {
                --page_;
                return true;
            }
            return false;
        }
        if (a == intents::convenience::page && step_ == Step::Tiles) {
            if (in->arg == "next" && (page_ + 1) * kPerPage < services_.size()) ++page_;
            if (in->arg == "prev" && page_ > 0) --page_;
            return true;
        }
        if (a == intents::convenience::svc && step_ == Step::Tiles) {
            // choose() may leave the scene, which destroys this flow: nothing after it.
            for (const auto& s : services_)
                if (s.id == in->arg) {
                    const api::Service chosen = s;
                    choose(core, chosen);
                    return true;
                }
            return true;
        }
        if (a == intents::retry && step_ == Step::Failed) {
            load(core);
            return true;
        }
        return false;
    }

    void fill(const Core& core, ViewModel& vm) const override {
        vm.title = core.tr("service.convenience.title");
        vm.can_go_back = true;
        switch (step_) {
            case Step::Loading:
                flows::show_wait(core, vm);
                break;
            case Step::Tiles:
                fill_tiles(core, vm);
                break;
            case Step::Info:
                fill_info(core, vm);
                break;
            case Step::Soon:
                vm.prompt = pick(core, service_.title);
                vm.page.push_back(page::heading(vm.prompt));
                vm.page.push_back(page::notice(core.tr("convenience.soon"), Tone::Info,
                                               core.tr("convenience.soon_detail")));
                vm.prompt += "。" + core.tr("convenience.soon");
                break;
            case Step::Failed:
                flows::show_failed(core, vm, error_);
                break;
        }
    }

  private:
    void load(Core& core) {
        step_ = Step::Loading;
        tag_ = core.hall(api::req::catalog());
    }

    // The first device the service needs that is down, or null.
    const char* down(const Core& core, const api::Service& s) const {
        for (auto n : s.needs)
            if (const char* d = device_of(n); d && !core.device_up(d)) return d;
        return nullptr;
    }

    void choose(Core& core, const api::Service& s) {
        if (down(core, s)) return;  // a disabled tile: its reason is on it
        service_ = s;
        if (!s.guide_id.empty()) {
            core.selected_service = "guide:" + s.guide_id;
            core.go(SceneId::Guides);
            return;
        }
        const SceneId scene = flows::service_scene(s);
        if (scene == SceneId::Home) {
            step_ = Step::Info;
            return;
        }
        // A flow not built yet on this kiosk is not in the scene table.
        if (scenes::get(scene).id != scene) {
            step_ = Step::Soon;
            return;
        }
        core.selected_service = s.id;
        core.go(scene);
    }

    void fill_tiles(const Core& core, ViewModel& vm) const {
        vm.prompt = core.tr("convenience.choose");
        vm.page.push_back(page::heading(vm.prompt));
        if (cached_) vm.page.push_back(page::notice(core.tr("convenience.cached"), Tone::Info));
        const std::size_t pages = (services_.size() + kPerPage - 1) / kPerPage;
        Element c;
        c.kind = Element::Kind::Choices;
        c.id = "services";
        c.columns = 2;
        for (std::size_t i = page_ * kPerPage;
             i < std::min(services_.size(), (page_ + 1) * kPerPage); ++i) {
            const auto& s = services_[i];
            PageRow r;
            r.label = pick(core, s.title);
            r.action = intents::convenience::svc;
            r.arg = s.id;
            if (const char* d = down(core, s)) {
                r.enabled = false;
                r.detail = core.tr(std::string("convenience.down.") + d);
            } else if (!s.guide_id.empty()) {
                r.detail = core.tr("convenience.kind.guide");
            } else if (flows::service_scene(s) != SceneId::Home) {
                r.detail = core.tr("convenience.kind.flow");
            } else {
                r.detail = core.tr(s.kind == api::ServiceKind::query ? "convenience.kind.query"
                                                                     : "convenience.kind.info");
            }
            c.rows.push_back(std::move(r));
        }
        vm.page.push_back(std::move(c));
        if (pages > 1) {
            Element p;
            p.kind = Element::Kind::Progress;
            p.value = static_cast<int>(page_ + 1);
            p.max = static_cast<int>(pages);
            p.text = core.tr("convenience.page", {{"i", std::to_string(page_ + 1)},
                                                  {"n", std::to_string(pages)},
                                                  {"t", std::to_string(services_.size())}});
            vm.page.push_back(std::move(p));
            vm.actions.push_back(page::button(
                core.tr("convenience.prev"), intents::convenience::page, "prev", false, page_ > 0));
            vm.actions.push_back(page::button(core.tr("convenience.next"),
                                              intents::convenience::page, "next", true,
                                              page_ + 1 < pages));
        }
    }

    // The hall's online service for a service: its public site (the backend's host; the
    // simulator's public site for "sim:") + /service/<id>.
    std::string online_link(const Core& core) const {
        std::string base = "https://hall.example.gov.cn";
        const std::string& url = core.config().backend.url;
        if (url.starts_with("https://")) {
            const auto end = url.find('/', 8);
            base = url.substr(0, end);
        }
        return base + "/service/" + service_.id;
    }

    void fill_info(const Core& core, ViewModel& vm) const {
        vm.prompt = pick(core, service_.title);
        vm.page.push_back(page::heading(vm.prompt));
        if (service_.description) vm.page.push_back(page::text(pick(core, *service_.description)));
        const bool query = service_.kind == api::ServiceKind::query;
        vm.page.push_back(page::notice(
            core.tr(query ? "convenience.query_here" : "convenience.info_here"), Tone::Info));
        Element q = page::qr(online_link(core), core.tr("convenience.qr"));
        q.id = "online_qr";
        vm.page.push_back(std::move(q));
        vm.page.push_back(page::text(core.tr("convenience.counter")));
        vm.prompt += "。" + core.tr(query ? "convenience.query_here" : "convenience.info_here");
    }

    Step step_ = Step::Loading;
    std::uint64_t tag_ = 0;
    std::vector<api::Service> services_;
    bool cached_ = false;
    std::size_t page_ = 0;
    api::Service service_;
    std::string error_;
};

}  // namespace

std::unique_ptr<Flow> make_convenience_flow() {
    return std::make_unique<ConvenienceFlow>();
}

}  // namespace kiosk::scenes
