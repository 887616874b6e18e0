// One-thing guides (一件事一次办): browse and search the hall's bundles, read one guide's
// 一事一码一单一表一图一说明 (code, materials list, form, process chart, notes) with the figures
// before and after the reform, answer the situation questions (情形选办) one per page, and take
// the personalised checklist away on paper or as a QR code; then a queue ticket or the rating.
//
// Steps: loading the list → browse (all / by department / by pinyin letters) → loading a guide →
// overview → a section, or the questions → the result (only the materials that apply).
//
// Finding a guide without a Chinese keyboard. A hall has a few dozen bundles, named after life
// events ("我要开小餐馆", "出生“一件事”"), so the first page simply lists them all in large rows:
// for most people reading the list is easiest. Two ways narrow it, as chips, no typing of Chinese:
// - by department: people often know "I need the tax office" rather than the bundle's name; the
//   chips are the departments of all bundles (their names, so the same office in two bundles is
//   one chip);
// - by pinyin initials: younger people type pinyin every day on their phones; tapping X C G finds
//   "小餐馆" (GB2312 level 1 gives the initial of every common character without a dictionary).
//   In English the letters begin a word of the English title instead ("REST": restaurant).
// An elderly person who knows neither simply scrolls the list.
//
// Offline: guides work from the backend's offline cache when the hall is down (response
// from_cache): the page says it is a saved copy.
#include "core/flows/guides.hpp"
#include "core/intents.hpp"

#include <iconv.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "api/requests.hpp"
#include "core/flows/common.hpp"
#include "core/log.hpp"
#include "core/scenes/scenes.hpp"

namespace kiosk::flows {
namespace {

// GB2312 level 1 is ordered by pinyin: the first code of each initial (A B C D E F G H J K L M N
// O P Q R S T W X Y Z; no word starts with I, U or V), and the end of level 1.
constexpr struct {
    unsigned from;
    char letter;
} kInitials[] = {{0xB0A1, 'A'}, {0xB0C5, 'B'}, {0xB2C1, 'C'}, {0xB4EE, 'D'}, {0xB6EA, 'E'},
                 {0xB7A2, 'F'}, {0xB8C1, 'G'}, {0xB9FE, 'H'}, {0xBBF7, 'J'}, {0xBFA6, 'K'},
                 {0xC0AC, 'L'}, {0xC2E8, 'M'}, {0xC4C3, 'N'}, {0xC5B6, 'O'}, {0xC5BE, 'P'},
                 {0xC6DA, 'Q'}, {0xC8BB, 'R'}, {0xC8F6, 'S'}, {0xCBFA, 'T'}, {0xCDDA, 'W'},
                 {0xCEF4, 'X'}, {0xD1B9, 'Y'}, {0xD4D1, 'Z'}};
constexpr unsigned kLevel1End = 0xD7F9;

char initial_of(unsigned gb) {
    if (gb < kInitials[0].from || gb > kLevel1End) return 0;
    char out = 0;
    for (const auto& i : kInitials)
        if (gb >= i.from) out = i.letter;
    return out;
}

std::size_t utf8_len(unsigned char c) {
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) return 2;
    if ((c & 0xF0) == 0xE0) return 3;
    if ((c & 0xF8) == 0xF0) return 4;
    return 1;  // a stray byte: skipped
}

}  // namespace

std::string pinyin_initials(std::string_view s) {
    std::string out;
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    if (cd == reinterpret_cast<iconv_t>(-1)) return out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t n = std::min(utf8_len(c), s.size() - i);
        if (n == 1) {
            if (std::isalnum(c)) out += static_cast<char>(std::toupper(c));
        } else {
            char in[4], gb[8];
            std::copy_n(s.data() + i, n, in);
            char* ip = in;
            char* op = gb;
            std::size_t il = n, ol = sizeof gb;
            iconv(cd, nullptr, nullptr, nullptr, nullptr);
            if (iconv(cd, &ip, &il, &op, &ol) != static_cast<std::size_t>(-1) && op - gb == 2) {
                const unsigned code =
                    (static_cast<unsigned char>(gb[0]) << 8) | static_cast<unsigned char>(gb[1]);
                if (char l = initial_of(code)) out += l;
            }
        }
        i += n;
    }
    iconv_close(cd);
    return out;
}

bool guide_matches(const api::Text& title, std::string_view letters, bool english) {
    if (letters.empty()) return true;
    if (!english) return pinyin_initials(title.zh).find(letters) != std::string::npos;
    std::string word;
    for (std::size_t i = 0; i <= title.en.size(); ++i) {
        const auto c = i < title.en.size() ? static_cast<unsigned char>(title.en[i]) : ' ';
        if (std::isalnum(c)) {
            word += static_cast<char>(std::toupper(c));
            continue;
        }
        if (word.starts_with(letters)) return true;
        word.clear();
    }
    return false;
}

std::string checklist_link(const api::Guide& g, const std::vector<std::string>& situations) {
    constexpr std::size_t kMax = 300;
    std::string base = g.code.starts_with("https://") ? g.code : "ESTN:GUIDE:" + g.id;
    if (base.size() > kMax - 40) base = "ESTN:GUIDE:" + g.id;
    std::string s;
    for (const auto& id : situations) {
        if (id == "base") continue;
        if (base.size() + 3 + s.size() + 1 + id.size() > kMax) break;
        if (!s.empty()) s += '.';
        s += id;
    }
    if (s.empty()) return base;
    return base + (base.find('?') == std::string::npos ? "?s=" : "&s=") + s;
}

}  // namespace kiosk::flows

namespace kiosk::scenes {
namespace {

using flows::pick;

constexpr std::size_t kMaxPrefetch = 60;
constexpr const char* kSections[] = {"list", "form", "chart", "notes", "code"};

class GuidesFlow final : public Flow {
  public:
    enum class Step { Loading, Browse, Opening, Overview, Section, Question, Result, Failed };
    enum class Mode { All, Department, Letters };

    void enter(Core& core) override {
        // Opened for one guide (a convenience tile "guide:<id>"): straight to it.
        const std::string& sel = core.selected_service;
        if (sel.starts_with("guide:")) {
            direct_ = true;
            open(core, sel.substr(6));
        } else {
            load_list(core);
        }
    }

    bool event(Core& core, const Event& ev) override {
        if (const auto* r = std::get_if<HallReply>(&ev)) return reply(core, *r);
        if (const auto* p = std::get_if<PrintDone>(&ev)) {
            if (p->tag != print_tag_) return false;
            printed_ = p->ok ? 2 : -1;
            print_reason_ = p->reason;
            return true;
        }
        const auto* in = std::get_if<Intent>(&ev);
        if (!in) return false;
        const std::string& a = in->action;
        if (a == intents::back) return back();
        if (a == intents::guides::mode && step_ == Step::Browse) {
            mode_ = in->arg == "dept"  ? Mode::Department
                    : in->arg == "abc" ? Mode::Letters
                                       : Mode::All;
            if (mode_ == Mode::Department) prefetch(core);
            return true;
        }
        if (a == intents::guides::dept && step_ == Step::Browse) {
            dept_ = dept_ == in->arg ? std::string{} : in->arg;
            return true;
        }
        if (a == intents::guides::letter && step_ == Step::Browse) {
            if (in->arg == "del") {
                if (!letters_.empty()) letters_.pop_back();
            } else if (in->arg == "clear") {
                letters_.clear();
            } else if (in->arg.size() == 1 && in->arg[0] >= 'A' && in->arg[0] <= 'Z' &&
                       letters_.size() < 8) {
                letters_ += in->arg;
            }
            return true;
        }
        if (a == intents::open && step_ == Step::Browse) {
            open(core, in->arg);
            return true;
        }
        if (a == intents::guides::section && (step_ == Step::Overview || step_ == Step::Result)) {
            section_from_result_ = step_ == Step::Result;
            section_ = in->arg;
            step_ = Step::Section;
            return true;
        }
        if (a == intents::guides::situations && step_ == Step::Overview) {
            answers_.assign(guide().questions.size(), std::string{});
            q_ = 0;
            step_ = guide().questions.empty() ? Step::Result : Step::Question;
            printed_ = 0;
            return true;
        }
        if (a == intents::guides::answer && step_ == Step::Question) {
            const auto& qs = guide().questions;
            if (q_ >= qs.size()) return true;
            bool known = false;
            for (const auto& o : qs[q_].options) known = known || o.id == in->arg;
            if (!known) return true;
            answers_[q_] = in->arg;
            if (q_ + 1 < qs.size())
                ++q_;
            else
                step_ = Step::Result;
            printed_ = 0;
            return true;
        }
        if (a == intents::print && step_ == Step::Result) {
            print(core);
            return true;
        }
        if (a == intents::guides::take && step_ == Step::Result) {
            section_from_result_ = true;
            section_ = "take";
            step_ = Step::Section;
            return true;
        }
        if (a == intents::guides::ticket && guide_loaded()) {
            core.go(SceneId::Ticket);
            return true;
        }
        if (a == intents::guides::rate && guide_loaded()) {
            std::string tx = "guide-" + guide_id_ + "-" + std::to_string(core.now_ms());
            if (tx.size() > 64) tx = "guide-" + std::to_string(core.now_ms());
            core.rate("guides", tx);
            return true;
        }
        if (a == intents::retry && step_ == Step::Failed) {
            if (!guide_id_.empty())
                open(core, guide_id_);
            else
                load_list(core);
            return true;
        }
        return false;
    }

    void fill(const Core& core, ViewModel& vm) const override {
        vm.title = core.tr("service.guides.title");
        vm.can_go_back = true;
        switch (step_) {
            case Step::Loading:
            case Step::Opening:
                flows::show_wait(core, vm);
                break;
            case Step::Browse:
                fill_browse(core, vm);
                break;
            case Step::Overview:
                fill_overview(core, vm);
                break;
            case Step::Section:
                fill_section(core, vm);
                break;
            case Step::Question:
                fill_question(core, vm);
                break;
            case Step::Result:
                fill_result(core, vm);
                break;
            case Step::Failed:
                flows::show_failed(core, vm, error_);
                break;
        }
    }

    void wipe() override { letters_.clear(); }

    bool busy() const override { return printed_ == 1; }

  private:
    // [SECTION] requests and answers

    void load_list(Core& core) {
        step_ = Step::Loading;
        guide_id_.clear();
        list_tag_ = core.hall(api::req::guides());
    }

    void open(Core& core, const std::string& id) {
        guide_id_ = id;
        printed_ = 0;
        if (details_.count(id)) {
            step_ = Step::Overview;
            return;
        }
        step_ = Step::Opening;
        for (const auto& [tag, gid] : pending_)
            if (gid == id) {
                open_tag_ = tag;
                return;
            }
        open_tag_ = core.hall(api::req::guide(id));
        pending_[open_tag_] = id;
    }

    // The department chips need every guide's departments: fetched once, when asked for (this
    // also leaves every guide in the offline cache).
    void prefetch(Core& core) {
        if (prefetched_) return;
        prefetched_ = true;
        std::size_t n = 0;
        for (const auto& g : list_) {
            if (++n > kMaxPrefetch) break;
            if (details_.count(g.id)) continue;
            bool asked = false;
            for (const auto& [tag, gid] : pending_) asked = asked || gid == g.id;
            if (!asked) pending_[core.hall(api::req::guide(g.id))] = g.id;
        }
    }

    bool reply(Core&, const HallReply& r) {
        if (r.tag == list_tag_) {
            list_tag_ = 0;
            if (!r.response.result.ok()) {
                error_ = flows::error_key(r.response.result.error());
                step_ = Step::Failed;
                return true;
            }
            list_ = std::get<api::GuideList>(r.response.result.value()).guides;
            list_cached_ = r.response.from_cache;
            step_ = Step::Browse;
            log::get("guides")->info("{} guides{}", list_.size(),
                                     list_cached_ ? " (saved copy)" : "");
            return true;
        }
        auto it = pending_.find(r.tag);
        if (it == pending_.end()) return false;
        const std::string id = it->second;
        pending_.erase(it);
        const bool wanted = r.tag == open_tag_ && step_ == Step::Opening;
        if (!r.response.result.ok()) {
            if (wanted) {
                error_ = flows::error_key(r.response.result.error());
                step_ = Step::Failed;
            }
            return true;
        }
        details_[id] = std::get<api::Guide>(r.response.result.value());
        cached_[id] = r.response.from_cache;
        if (wanted) {
            step_ = Step::Overview;
            log::get("guides")->info("guide {}{}", id, cached_[id] ? " (saved copy)" : "");
        }
        return true;
    }

    bool back() {
        switch (step_) {
            case Step::Section:
                step_ = section_from_result_ ? Step::Result : Step::Overview;
                return true;
            case Step::Question:
                if (q_ > 0) {
                    --q_;
                    return true;
                }
                step_ = Step::Overview;
                return true;
            case Step::Result:
                if (!guide().questions.empty()) {
                    q_ = guide().questions.size() - 1;
                    step_ = Step::Question;
                } else {
                    step_ = Step::Overview;
                }
                return true;
            case Step::Overview:
            case Step::Opening:
            case Step::Failed:
                if (direct_ || list_.empty()) return false;
                guide_id_.clear();
                step_ = Step::Browse;
                return true;
            default:
                return false;
        }
    }

    void print(Core& core) {
        if (!core.device_up("printer")) {
            printed_ = -1;
            print_reason_ = PrintFailure::offline;
            return;
        }
        const auto sits = situations();
        nlohmann::json items = nlohmann::json::array();
        for (const auto* m : guide().materials_for(sits))
            items.push_back({{"title", material_line(core, *m)}});
        printed_ = 1;
        print_tag_ =
            core.print("checklist", {{"hall", core.config().kiosk.hall_name.get(core.lang())},
                                     {"service", pick(core, guide().title)},
                                     {"time", core.clock_text()},
                                     {"guide_url", flows::checklist_link(guide(), sits)},
                                     {"list.items", items.dump()}});
    }

    // [SECTION] the guide

    bool guide_loaded() const { return !guide_id_.empty() && details_.count(guide_id_) > 0; }
    const api::Guide& guide() const {
        static const api::Guide none;
        auto it = details_.find(guide_id_);
        return it == details_.end() ? none : it->second;
    }

    std::vector<std::string> chosen() const {
        std::vector<std::string> out;
        for (const auto& a : answers_)
            if (!a.empty()) out.push_back(a);
        return out;
    }
    std::vector<std::string> situations() const { return guide().situations_for(chosen()); }

    std::string department_name(const Core& core, const std::string& id) const {
        for (const auto& d : guide().departments)
            if (d.id == id) return pick(core, d.name);
        return {};
    }

    std::string material_line(const Core& core, const api::Material& m) const {
        std::string s = pick(core, m.title);
        if (m.original) s += core.tr("guides.original");
        if (m.copies > 1) s += core.tr("guides.copies", {{"n", std::to_string(m.copies)}});
        return s;
    }

    void cache_notice(const Core& core, ViewModel& vm, bool cached) const {
        if (cached)
            vm.page.push_back(page::notice(core.tr("guides.cached"), Tone::Info,
                                           core.tr("guides.cached_detail")));
    }

    // [SECTION] pages

    void fill_browse(const Core& core, ViewModel& vm) const {
        vm.prompt = core.tr("guides.browse");
        vm.page.push_back(page::heading(vm.prompt));
        cache_notice(core, vm, list_cached_);
        Element modes;
        modes.kind = Element::Kind::Choices;
        modes.columns = 3;
        for (const auto& [m, arg, key] : {std::tuple{Mode::All, "all", "guides.mode.all"},
                                          {Mode::Department, "dept", "guides.mode.dept"},
                                          {Mode::Letters, "abc", "guides.mode.abc"}}) {
            PageRow r;
            r.label = core.tr(key);
            r.action = intents::guides::mode;
            r.arg = arg;
            r.flag = mode_ == m;
            modes.rows.push_back(std::move(r));
        }
        vm.page.push_back(std::move(modes));

        std::vector<const api::GuideSummary*> shown;
        if (mode_ == Mode::Department) {
            fill_departments(core, vm);
            if (dept_.empty()) return;
            for (const auto& g : list_) {
                auto it = details_.find(g.id);
                if (it == details_.end()) continue;
                for (const auto& d : it->second.departments)
                    if (d.name.zh == dept_) {
                        shown.push_back(&g);
                        break;
                    }
            }
        } else if (mode_ == Mode::Letters) {
            vm.prompt = core.tr("guides.abc_prompt");
            Element typed =
                page::fields({{core.tr("guides.abc_typed"),
                               letters_.empty() ? core.tr("guides.abc_none") : spaced(letters_)}});
            vm.page.push_back(std::move(typed));
            Element keys;
            keys.kind = Element::Kind::Choices;
            keys.columns = 7;
            for (char c = 'A'; c <= 'Z'; ++c) {
                PageRow r;
                r.label = std::string(1, c);
                r.action = intents::guides::letter;
                r.arg = r.label;
                keys.rows.push_back(std::move(r));
            }
            PageRow del;
            del.label = core.tr("keypad.del");
            del.action = intents::guides::letter;
            del.arg = "del";
            keys.rows.push_back(del);
            PageRow clr;
            clr.label = core.tr("guides.abc_clear");
            clr.action = intents::guides::letter;
            clr.arg = "clear";
            keys.rows.push_back(clr);
            vm.page.push_back(std::move(keys));
            for (const auto& g : list_)
                if (flows::guide_matches(g.title, letters_, core.lang() == "en"))
                    shown.push_back(&g);
            if (shown.empty()) {
                vm.page.push_back(page::notice(core.tr("guides.abc_nothing"), Tone::Info));
                return;
            }
        } else {
            for (const auto& g : list_) shown.push_back(&g);
        }
        Element c;
        c.kind = Element::Kind::Choices;
        c.id = "guide_list";
        for (const auto* g : shown) {
            PageRow r;
            r.label = pick(core, g->title);
            if (g->departments > 0)
                r.detail = core.tr("guides.departments", {{"n", std::to_string(g->departments)}});
            r.action = intents::open;
            r.arg = g->id;
            c.rows.push_back(std::move(r));
        }
        vm.page.push_back(std::move(c));
    }

    static std::string spaced(const std::string& s) {
        std::string out;
        for (char ch : s) {
            if (!out.empty()) out += ' ';
            out += ch;
        }
        return out;
    }

    void fill_departments(const Core& core, ViewModel& vm) const {
        // Departments by name across every guide fetched so far, in list order.
        std::vector<const api::Text*> names;
        std::set<std::string> seen;
        for (const auto& g : list_) {
            auto it = details_.find(g.id);
            if (it == details_.end()) continue;
            for (const auto& d : it->second.departments)
                if (seen.insert(d.name.zh).second) names.push_back(&d.name);
        }
        if (names.empty()) {
            vm.page.push_back(
                page::text(core.tr(pending_.empty() ? "guides.dept_none" : "flow.wait")));
            return;
        }
        vm.prompt = core.tr("guides.dept_prompt");
        Element c;
        c.kind = Element::Kind::Choices;
        c.columns = 2;
        for (const auto* n : names) {
            PageRow r;
            r.label = pick(core, *n);
            r.action = intents::guides::dept;
            r.arg = n->zh;
            r.flag = dept_ == n->zh;
            c.rows.push_back(std::move(r));
        }
        vm.page.push_back(std::move(c));
        if (!pending_.empty()) vm.page.push_back(page::text(core.tr("guides.dept_more")));
    }

    // A figure before and after the reform as a big number: "26 → 14" over its label.
    static std::string num(double v) {
        char buf[32];
        if (v == static_cast<double>(static_cast<long long>(v)))
            std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
        else
            std::snprintf(buf, sizeof buf, "%.1f", v);
        return buf;
    }

    void fill_overview(const Core& core, ViewModel& vm) const {
        const auto& g = guide();
        vm.prompt = pick(core, g.title);
        vm.page.push_back(page::heading(vm.prompt));
        cache_notice(core, vm, cached_.count(g.id) && cached_.at(g.id));
        if (g.before && g.after) {
            const auto& b = *g.before;
            const auto& f = *g.after;
            // The figure now, big, under a label that says what it was before.
            auto big = [&](double before, double now, const char* label, const char* id) {
                Element e = page::heading(num(now));
                e.detail = core.tr(label, {{"b", num(before)}});
                e.id = id;
                vm.page.push_back(std::move(e));
            };
            big(b.materials, f.materials, "guides.fig.materials", "fig_materials");
            big(b.working_days, f.working_days, "guides.fig.days", "fig_days");
            std::vector<std::pair<std::string, std::string>> rows;
            if (b.departments && f.departments)
                rows.push_back({core.tr("guides.fig.departments"),
                                num(*b.departments) + " → " + num(*f.departments)});
            if (b.visits && f.visits)
                rows.push_back(
                    {core.tr("guides.fig.visits"), num(*b.visits) + " → " + num(*f.visits)});
            if (!rows.empty()) vm.page.push_back(page::fields(std::move(rows)));
            vm.page.push_back(page::text(core.tr("guides.fig.note"), Tone::Info));
        }
        Element s;
        s.kind = Element::Kind::Choices;
        s.columns = 2;
        for (const char* id : kSections) {
            PageRow r;
            r.label = core.tr(std::string("guides.section.") + id);
            r.detail = section_hint(core, id);
            r.action = intents::guides::section;
            r.arg = id;
            s.rows.push_back(std::move(r));
        }
        vm.page.push_back(std::move(s));
        vm.actions.push_back(page::button(core.tr("guides.ticket"), intents::guides::ticket));
        vm.actions.push_back(
            page::button(core.tr(g.questions.empty() ? "guides.my_list" : "guides.start"),
                         intents::guides::situations, {}, true));
    }

    std::string section_hint(const Core& core, const std::string& id) const {
        const auto& g = guide();
        if (id == "list")
            return core.tr("guides.hint.list", {{"n", std::to_string(g.materials.size())}});
        if (id == "form")
            return core.tr("guides.hint.form", {{"n", std::to_string(g.form.size())}});
        if (id == "chart")
            return core.tr("guides.hint.chart", {{"n", std::to_string(g.steps.size())}});
        return core.tr("guides.hint." + id);
    }

    void fill_section(const Core& core, ViewModel& vm) const {
        const auto& g = guide();
        const std::string title = core.tr("guides.section." + section_);
        vm.prompt = title;
        vm.page.push_back(page::heading(pick(core, g.title) + " · " + title));
        if (section_ == "list") {
            // Grouped: the basic materials, then each permit's.
            // One text per material: the page measures a text as one wrapped paragraph.
            auto group = [&](const std::string& item, const std::string& head) {
                int n = 0;
                for (const auto& m : g.materials)
                    if (m.item == item) {
                        if (n == 0) vm.page.push_back(page::text(head, Tone::Info));
                        vm.page.push_back(
                            page::text(std::to_string(++n) + ". " + material_line(core, m)));
                    }
            };
            group({}, core.tr("guides.basic_materials"));
            for (const auto& it : g.items) {
                std::string head = pick(core, it.title);
                const std::string dep = department_name(core, it.department);
                if (!dep.empty()) head += "(" + dep + ")";
                group(it.id, head);
            }
        } else if (section_ == "form") {
            vm.page.push_back(page::text(core.tr("guides.form_intro")));
            std::vector<std::pair<std::string, std::string>> rows;
            for (const auto& f : g.form) {
                std::string v = core.tr(f.required ? "guides.required" : "guides.optional");
                if (f.type == api::FieldType::select) {
                    std::string opts;
                    for (const auto& o : f.options)
                        opts += (opts.empty() ? "" : " / ") + pick(core, o);
                    v += ":" + opts;
                } else if (f.max_length > 0) {
                    v += core.tr("guides.max_len", {{"n", std::to_string(f.max_length)}});
                }
                rows.push_back({pick(core, f.label), v});
            }
            vm.page.push_back(page::fields(std::move(rows)));
        } else if (section_ == "chart") {
            Element c;
            c.kind = Element::Kind::Chart;
            c.id = "process_chart";
            for (const auto& st : g.steps) {
                PageRow r;
                r.label = std::to_string(st.n) + ". " + pick(core, st.title);
                r.value = department_name(core, st.department);
                c.rows.push_back(std::move(r));
            }
            vm.page.push_back(std::move(c));
            if (g.after)
                vm.page.push_back(
                    page::text(core.tr("guides.chart_total", {{"d", num(g.after->working_days)}}),
                               Tone::Info));
        } else if (section_ == "notes") {
            for (const auto& n : g.notes) vm.page.push_back(page::text("· " + pick(core, n)));
            if (!g.source.empty())
                vm.page.push_back(
                    page::text(core.tr("guides.source", {{"s", g.source}}), Tone::Info));
        } else if (section_ == "code") {
            vm.page.push_back(page::qr(g.code.empty() ? "ESTN:GUIDE:" + g.id : g.code,
                                       core.tr("guides.code_caption")));
        } else if (section_ == "take") {
            vm.prompt = core.tr("guides.take_caption");
            vm.page.push_back(page::qr(flows::checklist_link(g, situations()), vm.prompt));
            vm.page.push_back(page::text(core.tr("guides.take_private"), Tone::Info));
        }
    }

    void fill_question(const Core& core, ViewModel& vm) const {
        const auto& qs = guide().questions;
        const auto& q = qs[q_];
        Element p;
        p.kind = Element::Kind::Progress;
        p.value = static_cast<int>(q_ + 1);
        p.max = static_cast<int>(qs.size());
        p.text = core.tr("guides.question_n",
                         {{"i", std::to_string(q_ + 1)}, {"n", std::to_string(qs.size())}});
        vm.page.push_back(std::move(p));
        vm.prompt = pick(core, q.text);
        vm.page.push_back(page::heading(vm.prompt));
        Element c;
        c.kind = Element::Kind::Choices;
        c.id = "options";
        for (const auto& o : q.options) {
            PageRow r;
            r.label = pick(core, o.label);
            r.action = intents::guides::answer;
            r.arg = o.id;
            r.flag = answers_[q_] == o.id;
            c.rows.push_back(std::move(r));
        }
        vm.page.push_back(std::move(c));
        vm.page.push_back(page::text(core.tr("guides.question_why")));
    }

    void fill_result(const Core& core, ViewModel& vm) const {
        const auto& g = guide();
        const auto sits = situations();
        const auto mats = g.materials_for(sits);
        const std::string n = std::to_string(mats.size());
        const std::string total = std::to_string(g.materials.size());
        vm.prompt = core.tr("guides.result_prompt", {{"n", n}, {"t", total}});
        Element big = page::heading(n);
        big.id = "material_count";
        big.detail = core.tr("guides.result_count");
        vm.page.push_back(std::move(big));
        vm.page.push_back(page::text(vm.prompt, Tone::Info));
        // What applies: the permits (and their departments) of the chosen situations.
        std::set<std::string> items;
        for (const auto& s : g.situations)
            if (std::find(sits.begin(), sits.end(), s.id) != sits.end())
                items.insert(s.items.begin(), s.items.end());
        std::vector<std::pair<std::string, std::string>> rows;
        for (const auto& it : g.items)
            if (items.count(it.id))
                rows.push_back({department_name(core, it.department), pick(core, it.title)});
        if (!rows.empty()) {
            vm.page.push_back(page::text(core.tr("guides.result_items"), Tone::Info));
            vm.page.push_back(page::fields(std::move(rows)));
        }
        vm.page.push_back(page::text(core.tr("guides.result_materials"), Tone::Info));
        int i = 0;
        for (const auto* m : mats) {
            Element line = page::text("□ " + std::to_string(++i) + ". " + material_line(core, *m));
            line.id = "checklist";
            vm.page.push_back(std::move(line));
        }
        if (printed_ == 1)
            vm.page.push_back(page::notice(core.tr("guides.printing"), Tone::Info));
        else if (printed_ == 2)
            vm.page.push_back(page::notice(core.tr("guides.printed"), Tone::Good));
        else if (printed_ < 0)
            vm.page.push_back(page::notice(core.tr("guides.print_failed"), Tone::Warn,
                                           core.tr(flows::print_reason_key(print_reason_))));
        const bool printer = core.device_up("printer");
        if (!printer && printed_ >= 0)
            vm.page.push_back(page::text(core.tr("guides.no_printer"), Tone::Warn));
        vm.actions.push_back(page::button(core.tr("guides.print"), intents::print, {}, true,
                                          printer && printed_ != 1));
        vm.actions.push_back(page::button(core.tr("guides.take"), intents::guides::take));
        vm.actions.push_back(
            page::button(core.tr("guides.section.chart"), intents::guides::section, "chart"));
        vm.actions.push_back(page::button(core.tr("guides.ticket"), intents::guides::ticket));
        vm.actions.push_back(page::button(core.tr("guides.rate"), intents::guides::rate));
    }

    Step step_ = Step::Loading;
    Mode mode_ = Mode::All;
    bool direct_ = false;
    std::uint64_t list_tag_ = 0, open_tag_ = 0, print_tag_ = 0;
    std::vector<api::GuideSummary> list_;
    bool list_cached_ = false;
    std::map<std::string, api::Guide> details_;
    std::map<std::string, bool> cached_;
    std::map<std::uint64_t, std::string> pending_;  // tag → guide id
    bool prefetched_ = false;
    std::string dept_;     // selected department (its Chinese name)
    std::string letters_;  // pinyin initials typed
    std::string guide_id_;
    std::string section_;
    bool section_from_result_ = false;
    std::vector<std::string> answers_;  // option id per question ("" = not answered)
    std::size_t q_ = 0;
    int printed_ = 0;  // 0 not asked, 1 printing, 2 printed, -1 failed
    PrintFailure print_reason_ = PrintFailure::none;
    std::string error_;
};

}  // namespace

std::unique_ptr<Flow> make_guides_flow() {
    return std::make_unique<GuidesFlow>();
}

}  // namespace kiosk::scenes
