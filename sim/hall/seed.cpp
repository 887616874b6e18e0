// Seed data of the hall simulator; see seed.hpp for the sources.
#include "seed.hpp"

namespace kiosk::hallsim::seed {

using J = nlohmann::json;

namespace {
J T(const char* zh, const char* en) {
    return J{{"zh-CN", zh}, {"en", en}};
}

J service(const char* id, J title, const char* kind, std::vector<std::string> needs,
          const char* guide = nullptr) {
    J s{{"id", id}, {"title", std::move(title)}, {"kind", kind}, {"needs", needs}};
    if (guide) s["guide_id"] = guide;
    return s;
}

J material(const char* id, J title, const char* item, std::vector<std::string> situations,
           int copies = 1, bool original = false) {
    J m{{"id", id},
        {"title", std::move(title)},
        {"situations", situations},
        {"copies", copies},
        {"original", original}};
    if (item) m["item"] = item;
    return m;
}

J yes_no(const char* qid, J text, std::vector<std::string> yes_selects) {
    std::string y = std::string(qid) + "_yes", n = std::string(qid) + "_no";
    return J{{"id", qid},
             {"text", std::move(text)},
             {"options",
              {{{"id", y}, {"label", T("是", "Yes")}, {"selects", yes_selects}},
               {{"id", n}, {"label", T("否", "No")}, {"selects", J::array()}}}}};
}

J field(const char* id, J label, const char* type, bool required, int max_length = 0) {
    J f{{"id", id}, {"label", std::move(label)}, {"type", type}, {"required", required}};
    if (max_length) f["max_length"] = max_length;
    return f;
}

J step(int n, J title, const char* dep = nullptr) {
    J s{{"n", n}, {"title", std::move(title)}};
    if (dep) s["department"] = dep;
    return s;
}

const char* kSource =
    "湖南省人民政府门户网站 "
    "2019-06-25《岳阳市“一件事一次办”改革主要做法》附件“我要开小餐馆”服务规程分析";

// 我要开小餐馆: every department, item, material and figure below is from the seed report.
J restaurant() {
    J g;
    g["id"] = "restaurant";
    g["title"] = T("我要开小餐馆", "I want to open a small restaurant");
    g["code"] = "https://hall.example.gov.cn/guide/restaurant";
    g["departments"] = {
        {{"id", "market"}, {"name", T("市场监管部门", "Market Regulation Administration")}},
        {{"id", "food"}, {"name", T("食品药品监管部门", "Food and Drug Administration")}},
        {{"id", "urban"}, {"name", T("城管部门", "Urban Management Bureau")}},
        {{"id", "tax"}, {"name", T("税务部门", "Tax Bureau")}}};
    g["items"] = {{{"id", "licence"},
                   {"title", T("办理个体工商户营业执照", "Business licence (individual business)")},
                   {"department", "market"},
                   {"days_before", 2.5},
                   {"materials_before", 6},
                   {"materials_after", 4}},
                  {{"id", "catering"},
                   {"title", T("办理小餐饮经营许可证(经营面积50平方米以下)",
                               "Small catering permit (floor area under 50 m²)")},
                   {"department", "food"},
                   {"days_before", 6},
                   {"materials_before", 7},
                   {"materials_after", 2}},
                  {{"id", "road"},
                   {"title", T("办理临时占用城市道路审批(办理门头装修的提供)",
                               "Temporary road-occupation permit (when renovating the shopfront)")},
                   {"department", "urban"},
                   {"days_before", 6},
                   {"materials_before", 5},
                   {"materials_after", 3}},
                  {{"id", "taxreg"},
                   {"title", T("办理涉税事项", "Tax registration")},
                   {"department", "tax"},
                   {"days_before", 0},  // 即时: on the spot
                   {"materials_before", 8},
                   {"materials_after", 5}}};
    g["questions"] = {
        yes_no("agent", T("是否委托代理人办理?", "Is an agent applying on your behalf?"),
               {"agent"}),
        yes_no("facade",
               T("是否进行门头装修(需临时占用城市道路)?",
                 "Will you renovate the shopfront (temporary use of the road)?"),
               {"road"}),
        yes_no("taxes", T("是否需要办理涉税事项?", "Do you need to register for tax?"), {"tax"}),
        yes_no("books", T("是否使用计算机记账?", "Do you keep your accounts on a computer?"),
               {"computer_books"}),
        J{{"id", "invoice"},
          {"text", T("需要使用哪类发票?", "Which invoices will you issue?")},
          {"options",
           {{{"id", "invoice_none"},
             {"label", T("暂不领用发票", "None for now")},
             {"selects", J::array()}},
            {{"id", "invoice_first"},
             {"label", T("首次领用普通发票", "Ordinary invoices, first time")},
             {"selects", {"first_invoice"}}},
            {{"id", "invoice_vat"},
             {"label", T("增值税专用发票", "Special VAT invoices")},
             {"selects", {"vat_special", "first_invoice"}}}}}}};
    g["situations"] = {
        {{"id", "base"},
         {"title", T("基本情形", "Basic case")},
         {"items", {"licence", "catering"}}},
        {{"id", "agent"},
         {"title", T("委托办理", "Applying through an agent")},
         {"items", J::array()}},
        {{"id", "road"}, {"title", T("门头装修", "Shopfront renovation")}, {"items", {"road"}}},
        {{"id", "tax"}, {"title", T("需要办税", "Tax registration needed")}, {"items", {"taxreg"}}},
        {{"id", "computer_books"},
         {"title", T("使用计算机记账", "Computerised bookkeeping")},
         {"items", {"taxreg"}}},
        {{"id", "vat_special"},
         {"title", T("仅使用增值税专用发票", "Special VAT invoices only")},
         {"items", {"taxreg"}}},
        {{"id", "first_invoice"},
         {"title", T("首次核定发票", "First invoice approval")},
         {"items", {"taxreg"}}}};
    g["materials"] = {
        // 基本材料(4份)
        material("form", T("“我要开小餐馆”一次申请表单", "The single application form"), nullptr,
                 {"base"}),
        material("id_copy", T("经营者身份证复印件", "Copy of the operator's ID card"), nullptr,
                 {"base"}),
        material("agent_letter", T("委托代理人证明", "Letter appointing the agent"), nullptr,
                 {"base"}),
        material(
            "agent_id",
            T("代理人身份证(委托办理的提供)", "Agent's ID card (when applying through an agent)"),
            nullptr, {"agent"}, 1, true),
        // 办理营业执照材料(1份)
        material("premises", T("经营场所使用证明", "Proof of the right to use the premises"),
                 "licence", {"base"}),
        // 办理小餐饮经营许可证材料(2个)
        material("layout",
                 T("与食品经营相适应的主要设备设施布局、操作流程等文件",
                   "Layout of the main equipment and the operating procedures for food handling"),
                 "catering", {"base"}),
        material("health", T("健康证明", "Health certificates"), "catering", {"base"}),
        // 办理临时占用城市道路审批材料(3份)
        material("photo_now", T("现状图(实景照片)", "Current state (photographs)"), "road",
                 {"road"}),
        material("render", T("效果图", "Rendering of the new shopfront"), "road", {"road"}),
        material("drawings",
                 T("施工图(若为简易门头只标注尺码)",
                   "Construction drawings (dimensions only for a simple shopfront)"),
                 "road", {"road"}),
        // 涉税事项申报材料(5份,需要办税的提交)
        material("bank_account", T("账户、账号开立证明", "Proof of the bank account"), "taxreg",
                 {"tax"}),
        material("accounting",
                 T("纳税人财务、会计制度或纳税人财务、会计核算办法",
                   "The taxpayer's accounting system or accounting method"),
                 "taxreg", {"tax"}),
        material(
            "software",
            T("财务会计核算软件、使用说明书原件及复印件(使用计算机记账的纳税人提供)",
              "Accounting software and its manual, original and copy (computerised bookkeeping)"),
            "taxreg", {"computer_books"}, 1, true),
        material("vat_decision",
                 T("增值税税控系统最高开票限额《准予税务行政许可决定书》("
                   "仅使用增值税专用发票的纳税人提交)",
                   "Decision approving the VAT invoice limit (special VAT invoices only)"),
                 "taxreg", {"vat_special"}),
        material(
            "invoice_seal",
            T("发票专用章印模(首次核定时提供)", "Imprint of the invoice seal (first approval)"),
            "taxreg", {"first_invoice"})};
    g["form"] = {
        field("operator_name", T("经营者姓名", "Operator's name"), "text", true, 32),
        field("operator_id", T("经营者身份证号码", "Operator's ID number"), "id_number", true),
        field("phone", T("联系电话", "Phone"), "phone", true),
        field("shop_name", T("字号名称", "Trade name"), "text", false, 40),
        field("address", T("经营场所", "Premises address"), "area", true, 200),
        field("floor_area", T("经营面积(平方米,50以下)", "Floor area (m², under 50)"), "number",
              true),
        J{{"id", "food_type"},
          {"label", T("经营项目", "Food business")},
          {"type", "select"},
          {"required", true},
          {"options",
           {T("热食类食品制售", "Hot food"), T("冷食类食品制售", "Cold food"),
            T("糕点类食品制售", "Pastries"), T("自制饮品制售", "Home-made drinks")}}},
        field("staff_count", T("从业人员人数", "Number of staff"), "number", true),
        field("opening_date", T("拟开业日期", "Planned opening date"), "date", false)};
    g["steps"] = {step(1, T("申请人向“一件事一次办”专区“综合受理窗口”一次性提交申报材料",
                            "Hand in all materials once at the one-thing comprehensive window")),
                  step(2,
                       T("综合受理窗口收件并派送相关材料,市场监管部门核发营业执照",
                         "The window distributes the materials; Market Regulation issues the "
                         "business licence"),
                       "market"),
                  step(3, T("相关办理部门审核材料(预约现场勘察),作出审批决定(证照送综合窗口)",
                            "The departments review (site inspection by appointment) and decide; "
                            "permits go to the window")),
                  step(4, T("综合受理窗口通知申请人领证或快递证照("
                            "营业执照、小餐饮经营许可证、临时占用城市道路和街道两侧公共场地许可证)",
                            "The window tells you to collect the permits, or posts them (licence, "
                            "catering permit, road permit)"))};
    g["notes"] = {
        T("适用于经营面积50平方米以下的小餐饮。", "For small catering businesses under 50 m²."),
        T("临时占用城市道路审批仅在门头装修时办理。",
          "The road-occupation permit is only needed when renovating the shopfront."),
        T("涉税事项材料需要办税的提交;涉税事项即时办理。",
          "Tax materials only if you register for tax; tax registration is done on the spot."),
        T("改革前共需26份材料、14.5个工作日;改革后14份材料、8个工作日办结。",
          "Before the reform: 26 materials and 14.5 working days; after: 14 materials and 8 "
          "working days."),
        T("证照可选择快递送达,或到“蜂巢”取件专柜自助取件。",
          "Permits can be posted to you or collected from the hive pickup lockers at any hour.")};
    g["before"] = {{"materials", 26}, {"working_days", 14.5}, {"departments", 4}};
    g["after"] = {{"materials", 14}, {"working_days", 8}, {"departments", 1}};
    g["source"] = kSource;
    return g;
}

// 我要开专科医院: the figures are from the seed report; items and materials are demo data.
J hospital() {
    J g;
    g["id"] = "hospital";
    g["title"] = T("我要开专科医院", "I want to open a specialist hospital");
    g["code"] = "https://hall.example.gov.cn/guide/hospital";
    g["departments"] = {
        {{"id", "market"}, {"name", T("市场监管部门", "Market Regulation Administration")}},
        {{"id", "health"}, {"name", T("卫生健康部门", "Health Commission")}},
        {{"id", "fire"}, {"name", T("消防救援部门", "Fire and Rescue")}},
        {{"id", "ecology"}, {"name", T("生态环境部门", "Ecology and Environment")}},
        {{"id", "medins"}, {"name", T("医疗保障部门", "Healthcare Security")}},
        {{"id", "tax"}, {"name", T("税务部门", "Tax Bureau")}}};
    g["items"] = {
        {{"id", "setup"},
         {"title", T("医疗机构设置审批", "Medical institution set-up approval")},
         {"department", "health"}},
        {{"id", "practice"},
         {"title", T("医疗机构执业登记", "Practice registration")},
         {"department", "health"}},
        {{"id", "licence"}, {"title", T("营业执照", "Business licence")}, {"department", "market"}},
        {{"id", "fire"},
         {"title", T("消防安全检查", "Fire safety inspection")},
         {"department", "fire"}},
        {{"id", "eia"},
         {"title", T("环境影响评价审批", "Environmental impact approval")},
         {"department", "ecology"}},
        {{"id", "insurance"},
         {"title", T("医保定点申请", "Designated medical-insurance provider")},
         {"department", "medins"}}};
    g["questions"] = J::array();
    g["situations"] = {{{"id", "base"},
                        {"title", T("基本情形", "Basic case")},
                        {"items", {"setup", "practice", "licence", "fire", "eia", "insurance"}}}};
    g["materials"] = {
        material("form", T("一次申请表单", "The single application form"), nullptr, {"base"}),
        material("id_copy", T("法定代表人身份证明", "Legal representative's ID"), nullptr,
                 {"base"}),
        material("feasibility", T("可行性研究报告", "Feasibility study"), "setup", {"base"})};
    g["form"] = {field("org_name", T("机构名称", "Institution name"), "text", true, 80),
                 field("phone", T("联系电话", "Phone"), "phone", true)};
    g["steps"] = {step(1, T("综合窗口一次提交", "Hand in once at the comprehensive window")),
                  step(2, T("部门并联审批", "Departments review in parallel")),
                  step(3, T("综合窗口统一出件", "Results issued together at the window"))};
    g["notes"] = {T(
        "改革前需材料85份、142.5个工作日、跑6个部门至少6次;改革后材料36份、22个工作日、只需跑1次。",
        "Before: 85 materials, 142.5 working days, 6 departments, at least 6 visits; after: 36 "
        "materials, 22 working days, one visit.")};
    g["before"] = {{"materials", 85}, {"working_days", 142.5}, {"departments", 6}, {"visits", 6}};
    g["after"] = {{"materials", 36}, {"working_days", 22}, {"visits", 1}};
    g["source"] = "湖南省人民政府门户网站 2019-06-25《岳阳市“一件事一次办”改革主要做法》";
    return g;
}

// Life-event bundles named in the seed report; contents are demo data (no published figures).
J life_event(const char* id, J title, std::vector<std::pair<J, J>> items_and_deps) {
    J g;
    g["id"] = id;
    g["title"] = std::move(title);
    g["code"] = std::string("https://hall.example.gov.cn/guide/") + id;
    J deps = J::array(), items = J::array(), ids = J::array();
    int n = 0;
    for (auto& [item, dep] : items_and_deps) {
        std::string did = "d" + std::to_string(++n), iid = "i" + std::to_string(n);
        deps.push_back({{"id", did}, {"name", dep}});
        items.push_back({{"id", iid}, {"title", item}, {"department", did}});
        ids.push_back(iid);
    }
    g["departments"] = deps;
    g["items"] = items;
    g["questions"] = J::array();
    g["situations"] = {{{"id", "base"}, {"title", T("基本情形", "Basic case")}, {"items", ids}}};
    g["materials"] = {
        material("form", T("一次申请表单", "The single application form"), nullptr, {"base"}),
        material("id_card", T("申请人身份证", "Applicant's ID card"), nullptr, {"base"}, 1, true)};
    g["form"] = {field("name", T("申请人姓名", "Applicant's name"), "text", true, 32),
                 field("id_number", T("身份证号码", "ID number"), "id_number", true),
                 field("phone", T("联系电话", "Phone"), "phone", true)};
    g["steps"] = {step(1, T("一次提交", "Apply once")),
                  step(2, T("部门联办", "Departments process together")),
                  step(3, T("结果送达或自助取件", "Results posted or collected from the lockers"))};
    g["notes"] = {T("演示数据。", "Demo data.")};
    g["source"] = "demo";
    return g;
}

}  // namespace

J catalog() {
    J services = {
        service("pickup", T("证照自助取件", "Collect certificates"), "flow",
                {"hall", "locker", "scanner", "idcard"}),
        service("progress", T("办件进度查询", "Application progress"), "query", {"hall", "idcard"}),
        service("ticket", T("排队取号", "Take a queue ticket"), "flow", {"hall", "printer"}),
        service("payment", T("非税缴费", "Pay non-tax fees"), "flow",
                {"hall", "scanner", "printer"}),
        service("proof", T("办件证明打印", "Print application proofs"), "flow",
                {"hall", "idcard", "printer"}),
        service("guides", T("一件事一次办指南", "One-thing guides"), "info", {}),
        service("restaurant", T("我要开小餐馆", "Open a small restaurant"), "info", {},
                "restaurant"),
        service("hospital", T("我要开专科医院", "Open a specialist hospital"), "info", {},
                "hospital"),
        service("social_proof", T("社保参保证明打印", "Social insurance certificate"), "flow",
                {"hall", "idcard", "printer"}),
        service("housing_fund", T("公积金查询", "Housing fund balance"), "query",
                {"hall", "idcard"}),
        service("household_proof", T("户籍证明打印", "Household registration proof"), "flow",
                {"hall", "idcard", "printer"}),
        service("tax_proof", T("个人所得税纳税记录打印", "Income tax record"), "flow",
                {"hall", "idcard", "printer"}),
        service("licence_print", T("营业执照自助打印", "Print a business licence"), "flow",
                {"hall", "idcard", "printer"}),
        service("medical_insurance", T("城乡居民医保缴费", "Resident medical insurance payment"),
                "flow", {"hall", "idcard", "scanner"}),
        service("traffic_fine", T("交通违法罚款缴纳", "Pay a traffic fine"), "flow",
                {"hall", "scanner", "printer"}),
        service("evaluation", T("好差评", "Rate a service"), "flow", {}),
        service("complaint", T("“一件事一次办不成”投诉", "Complain: not done in one visit"), "flow",
                {"keypad"}),
        service("policy", T("政策与办事指南查询", "Policies and service guides"), "info", {}),
        service("deposit", T("工作人员存件", "Staff: deposit certificates"), "flow",
                {"hall", "locker", "keypad"})};
    return J{{"version", "2026.11-1"}, {"services", services}};
}

std::vector<J> guides() {
    return {
        restaurant(),
        hospital(),
        life_event("birth", T("出生“一件事”", "A birth"),
                   {{T("《出生医学证明》", "Birth medical certificate"),
                     T("卫生健康部门", "Health Commission")},
                    {T("户口登记", "Household registration"), T("公安部门", "Public Security")},
                    {T("医疗保险参保登记及缴费", "Medical insurance enrolment and payment"),
                     T("医疗保障部门", "Healthcare Security")},
                    {T("社会保障卡办理", "Social security card"),
                     T("人力资源和社会保障部门", "Human Resources and Social Security")}}),
        life_event("retirement", T("退休“一件事”", "Retirement"),
                   {{T("退休审批", "Retirement approval"),
                     T("人力资源和社会保障部门", "Human Resources and Social Security")},
                    {T("养老金核定", "Pension assessment"),
                     T("社会保险经办机构", "Social Insurance Agency")},
                    {T("医保退休待遇核定", "Retiree medical insurance"),
                     T("医疗保障部门", "Healthcare Security")}}),
        life_event(
            "veteran", T("退伍“一件事”", "Leaving the army"),
            {{T("退役军人报到", "Veteran registration"), T("退役军人事务部门", "Veterans Affairs")},
             {T("户口登记", "Household registration"), T("公安部门", "Public Security")},
             {T("社会保险接续", "Social insurance transfer"),
              T("人力资源和社会保障部门", "Human Resources and Social Security")}}),
        life_event("after_death", T("身后“一件事”", "After a death"),
                   {{T("死亡医学证明", "Medical death certificate"),
                     T("卫生健康部门", "Health Commission")},
                    {T("户口注销", "Household deregistration"), T("公安部门", "Public Security")},
                    {T("丧葬补助领取", "Funeral allowance"),
                     T("人力资源和社会保障部门", "Human Resources and Social Security")}})};
}

std::vector<Person> people() {
    return {{"430602199001011235", "张*"},
            {"43060319850505234X", "李*"},
            {"430621197712123452", "王**"},
            {"43061119620815456X", "赵*"}};
}

std::vector<Certificate> certificates() {
    return {// One person, one SMS, two certificates (the restaurant bundle's results).
            {"PK1001", "430602199001011235", "246810", "QRT-7f3a9c21", "个体工商户营业执照",
             "Business licence", "C1", 3, "waiting", "APP-2026-0001"},
            {"PK1002", "430602199001011235", "246810", "QRT-7f3a9c21", "小餐饮经营许可证",
             "Small catering permit", "C1", 4, "waiting", "APP-2026-0001"},
            {"PK1003", "43060319850505234X", "135790", "QRT-1b2c3d4e", "不动产权证书",
             "Real estate title certificate", "C1", 7, "waiting", "APP-2026-0002"},
            // Three results of the birth bundle for one family.
            {"PK1004", "430621197712123452", "112233", "QRT-55aa66bb", "户口簿",
             "Household register", "C2", 1, "waiting", "APP-2026-0003"},
            {"PK1005", "430621197712123452", "112233", "QRT-55aa66bb", "社会保障卡",
             "Social security card", "C2", 2, "waiting", "APP-2026-0003"},
            {"PK1006", "430621197712123452", "112233", "QRT-55aa66bb", "《出生医学证明》",
             "Birth medical certificate", "C2", 3, "waiting", "APP-2026-0003"},
            {"PK1007", "43061119620815456X", "998877", "QRT-99887766", "退休证",
             "Retirement certificate", "C2", 5, "collected", "APP-2026-0004"}};
}

std::vector<J> applications() {
    auto e = [](const char* at, const char* st, J text, const char* dep = nullptr) {
        J x{{"at", at}, {"state", st}, {"text", std::move(text)}};
        if (dep) x["department"] = dep;
        return x;
    };
    return {
        {{"holder", "430602199001011235"},
         {"application_id", "APP-2026-0001"},
         {"title", T("我要开小餐馆", "Open a small restaurant")},
         {"state", "ready"},
         {"guide_id", "restaurant"},
         {"timeline",
          {e("2026-11-02T09:12:00Z", "submitted", T("综合受理窗口收件", "Received at the window")),
           e("2026-11-02T09:40:00Z", "accepted",
             T("已受理,材料已派送", "Accepted; materials distributed")),
           e("2026-11-03T15:00:00Z", "approved", T("营业执照已核发", "Business licence issued"),
             "market"),
           e("2026-11-06T10:30:00Z", "site_visit", T("现场勘察完成", "Site inspection done"),
             "food"),
           e("2026-11-10T16:20:00Z", "approved",
             T("小餐饮经营许可证已核发", "Catering permit issued"), "food"),
           e("2026-11-11T08:50:00Z", "ready",
             T("证照已放入蜂巢取件柜", "Permits placed in the pickup lockers"))}}},
        {{"holder", "43060319850505234X"},
         {"application_id", "APP-2026-0002"},
         {"title", T("不动产登记", "Real estate registration")},
         {"state", "ready"},
         {"timeline",
          {e("2026-11-05T10:00:00Z", "submitted", T("已提交", "Submitted")),
           e("2026-11-05T11:00:00Z", "accepted", T("已受理", "Accepted")),
           e("2026-11-12T09:00:00Z", "ready",
             T("证书已放入取件柜", "Certificate placed in the lockers"))}}},
        {{"holder", "430621197712123452"},
         {"application_id", "APP-2026-0003"},
         {"title", T("出生“一件事”", "A birth")},
         {"state", "ready"},
         {"guide_id", "birth"},
         {"timeline",
          {e("2026-11-08T09:00:00Z", "submitted", T("已提交", "Submitted")),
           e("2026-11-08T09:05:00Z", "accepted", T("已受理", "Accepted")),
           e("2026-11-09T14:00:00Z", "ready",
             T("证件已放入取件柜", "Documents placed in the lockers"))}}},
        {{"holder", "430602199001011235"},
         {"application_id", "APP-2026-0005"},
         {"title", T("临时占用城市道路审批", "Temporary road-occupation permit")},
         {"state", "reviewing"},
         {"guide_id", "restaurant"},
         {"timeline",
          {e("2026-11-20T10:00:00Z", "submitted", T("已提交", "Submitted")),
           e("2026-11-20T10:30:00Z", "accepted", T("已受理", "Accepted")),
           e("2026-11-23T09:00:00Z", "reviewing", T("城管部门审核中", "Under review"), "urban")}}},
        // The ID-card simulator's "resident" card (110101199003071233): one under way, one done.
        {{"holder", "110101199003071233"},
         {"application_id", "APP-2026-0006"},
         {"title", T("我要开小餐馆", "Open a small restaurant")},
         {"state", "reviewing"},
         {"guide_id", "restaurant"},
         {"timeline",
          {e("2026-11-18T01:10:00Z", "submitted", T("综合受理窗口收件", "Received at the window")),
           e("2026-11-18T01:40:00Z", "accepted",
             T("已受理,材料已派送", "Accepted; materials distributed")),
           e("2026-11-19T07:00:00Z", "approved", T("营业执照已核发", "Business licence issued"),
             "market"),
           e("2026-11-24T02:30:00Z", "reviewing",
             T("小餐饮经营许可证审核中", "Catering permit under review"), "food")}}},
        {{"holder", "110101199003071233"},
         {"application_id", "APP-2026-0007"},
         {"title", T("出生“一件事”", "A birth")},
         {"state", "collected"},
         {"guide_id", "birth"},
         {"timeline",
          {e("2026-10-09T01:00:00Z", "submitted", T("已提交", "Submitted")),
           e("2026-10-09T01:05:00Z", "accepted", T("已受理", "Accepted")),
           e("2026-10-12T06:00:00Z", "ready",
             T("证件已放入取件柜", "Documents placed in the lockers")),
           e("2026-10-13T10:20:00Z", "collected", T("已取件", "Collected"))}}}};
}

std::vector<Notice> notices() {
    return {{"ORD-5001", "4306202611000001", "430602199001011235", "个体工商户登记工本费",
             "Registration fee", 1000},
            {"ORD-5002", "4306202611000002", "43060319850505234X", "不动产登记费",
             "Real estate registration fee", 8000},
            {"ORD-5003", "4306202611000003", "430602199001011235", "交通违法罚款", "Traffic fine",
             20000},
            {"ORD-5004", "4306202611000004", "430621197712123452", "城乡居民医保缴费",
             "Resident medical insurance", 38000},
            // 20-digit notices with their check digit (docs/drivers/scanner.md), for the ID-card
            // simulator's "resident" card; ORD-5005's is the camera simulator's notice.
            {"ORD-5005", "43062026110000000014", "110101199003071233", "不动产登记费",
             "Real estate registration fee", 8000},
            {"ORD-5006", "43062026110000000022", "110101199003071233", "交通违法罚款",
             "Traffic fine", 20000}};
}

std::vector<Staff> staff() {
    return {{"S001", "1234", "刘*", {"deposit", "maintenance"}},
            {"S002", "5678", "陈*", {"supervisor", "deposit", "maintenance"}},
            // The hall's service desk: answers staff calls (acknowledge, resolve).
            {"S010", "2468", "王*", {"desk"}}};
}

}  // namespace kiosk::hallsim::seed
