// Receipt templates: TOML layouts (assets/receipts/*.toml) filled from data into ESC/POS.
//
// A template has per-language string tables and a list of blocks:
//   name = "pickup_slip"
//   [pii]            field → mask applied whenever the field is printed (name, id, phone, code)
//   citizen_name = "name"
//   [strings.zh-CN]  title = "取件凭条"
//   [strings.en]     title = "Pickup slip"
//   [[block]] type = "text"     text = "{t.title}"  align = "center"  size = 2  bold = true
//   [[block]] type = "kv"       label = "{t.locker}"  value = "{locker}"   (label left, value
//   right)
//   [[block]] type = "rule"     (a dashed line)      type = "feed"  lines = 1
//   [[block]] type = "qr"       data = "{pickup_qr}"  module = 6
//   [[block]] type = "barcode"  data = "{order_no}"
//   [[block]] type = "list"     of = "items"  text = "{index}. {title}"  (one line per item)
//   [[block]] type = "cut"
// Any block may say `optional = true`: it is skipped when a field it uses is missing; otherwise a
// missing field is an error, found before anything is sent to the printer.
// Placeholders: {field}, {t.key} (string table), {field|name|id|phone|code} (explicit mask).
// Privacy: fields listed under [pii] are always masked (core/pii.hpp rules), and every printed
// text line also passes pii::redact, so an ID or phone number in free text is masked as well.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "escpos/builder.hpp"

namespace kiosk::escpos {

struct ReceiptData {
    std::map<std::string, std::string> fields;
    std::map<std::string, std::vector<std::map<std::string, std::string>>> lists;
};

struct ReceiptBlock {
    std::string type;  // text, kv, rule, feed, qr, barcode, list, cut
    std::string text, label, value, data, of;
    Align align = Align::Left;
    int size = 1;
    bool bold = false;
    bool optional = false;
    int lines = 1;
    int module = 6;
};

struct ReceiptTemplate {
    std::string name;
    std::map<std::string, std::string> pii;                             // field → mask kind
    std::map<std::string, std::map<std::string, std::string>> strings;  // lang → key → text
    std::vector<ReceiptBlock> blocks;
};

std::optional<ReceiptTemplate> parse_receipt_template(std::string_view toml_text,
                                                      std::string& error);

// Appends the receipt to `out` (after out.init()). Returns false and sets `error` (naming the
// missing field or string, never its value) when the data does not fill the template.
bool render_receipt(const ReceiptTemplate& tpl, const ReceiptData& data, std::string_view lang,
                    Builder& out, std::string& error);

// Word-wraps UTF-8 text to `columns` half-width columns (CJK counts two).
std::vector<std::string> wrap_text(std::string_view utf8, int columns);

}  // namespace kiosk::escpos
