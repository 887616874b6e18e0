// Demo data for the receipt templates. All of it is fictional: the ID number uses the test region
// code and the phone number an unassigned block.
#include "escpos/receipt_samples.hpp"

namespace kiosk::escpos {

ReceiptData sample_receipt_data(std::string_view name) {
    ReceiptData d;
    d.fields["hall"] = "朝阳区政务服务中心 24小时自助区";
    d.fields["time"] = "2026-11-26 14:05";
    if (name == "queue_ticket") {
        d.fields["ticket"] = "A068";
        d.fields["service"] = "社保卡补换领";
        d.fields["waiting"] = "7";
        d.fields["status_url"] = "https://zwfw.example.gov.cn/q/A068?h=CY01";
    } else if (name == "pickup_slip") {
        d.fields["citizen_name"] = "张三丰";
        d.fields["phone"] = "13800138000";
        d.fields["item"] = "不动产权证书";
        d.fields["locker"] = "B-12";
        d.fields["pickup_code"] = "583920";
        d.fields["pickup_qr"] = "https://zwfw.example.gov.cn/pickup/7K3QX9M2?l=B-12";
        d.fields["expires"] = "2026-12-03 18:00";
    } else if (name == "payment_receipt") {
        d.fields["payer"] = "李四";
        d.fields["id_number"] = "110105199001011234";
        d.fields["order_no"] = "PAY20261126140512";
        d.fields["method"] = "微信支付";
        d.fields["total"] = "85.00";
        d.fields["invoice_url"] = "https://inv.example.gov.cn/e/PAY20261126140512";
        d.lists["items"] = {{{"name", "工本费"}, {"amount", "80.00"}},
                            {{"name", "邮寄费"}, {"amount", "5.00"}}};
    } else if (name == "checklist") {
        d.fields["service"] = "新生儿出生登记";
        d.fields["applicant"] = "王小明";
        d.fields["hotline"] = "12345";
        d.fields["guide_url"] = "https://zwfw.example.gov.cn/guide/birth-registration";
        d.lists["items"] = {{{"title", "《出生医学证明》原件"}},
                            {{"title", "父母双方居民身份证原件"}},
                            {{"title", "户口簿原件（随父或随母一方）"}},
                            {{"title", "结婚证原件（非婚生育需提供相关说明材料）"}}};
    }
    return d;
}

}  // namespace kiosk::escpos
