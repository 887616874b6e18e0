// Receipt templates (see receipt.hpp).
#include "escpos/receipt.hpp"

#include <algorithm>

#include <toml++/toml.h>

#include "base/pii.hpp"

namespace kiosk::escpos {

namespace {

std::optional<Align> parse_align(std::string_view s) {
    if (s == "left") return Align::Left;
    if (s == "center" || s == "centre") return Align::Center;
    if (s == "right") return Align::Right;
    return std::nullopt;
}

std::string apply_mask(std::string_view kind, std::string_view v) {
    if (kind == "name") return pii::mask_name(v);
    if (kind == "id") return pii::mask_id_number(v);
    if (kind == "phone") return pii::mask_phone(v);
    if (kind == "code") return pii::mask_code(v);
    return std::string(v);
}

struct Scope {
    const ReceiptTemplate& tpl;
    const std::map<std::string, std::string>* strings;  // may be null
    const std::map<std::string, std::string>& fields;
    const std::map<std::string, std::string>* item = nullptr;  // list item, looked up first
};

// Expands placeholders; on a missing name returns nullopt and sets `missing`.
std::optional<std::string> expand(std::string_view s, const Scope& sc, std::string& missing) {
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        const std::size_t open = s.find('{', i);
        if (open == std::string_view::npos) {
            out.append(s.substr(i));
            break;
        }
        out.append(s.substr(i, open - i));
        const std::size_t close = s.find('}', open);
        if (close == std::string_view::npos) {
            out.append(s.substr(open));
            break;
        }
        std::string_view key = s.substr(open + 1, close - open - 1);
        std::string_view filter;
        if (const auto bar = key.find('|'); bar != std::string_view::npos) {
            filter = key.substr(bar + 1);
            key = key.substr(0, bar);
        }
        i = close + 1;
        if (key.starts_with("t.")) {
            const std::string k(key.substr(2));
            if (!sc.strings || !sc.strings->contains(k)) {
                missing = "string " + k;
                return std::nullopt;
            }
            out += sc.strings->at(k);
            continue;
        }
        const std::string k(key);
        const std::string* v = nullptr;
        if (sc.item) {
            if (auto it = sc.item->find(k); it != sc.item->end()) v = &it->second;
        }
        if (!v) {
            if (auto it = sc.fields.find(k); it != sc.fields.end()) v = &it->second;
        }
        if (!v) {
            missing = "field " + k;
            return std::nullopt;
        }
        // A [pii] declaration always wins over what the block asked for.
        if (auto p = sc.tpl.pii.find(k); p != sc.tpl.pii.end()) {
            out += apply_mask(p->second, *v);
        } else if (!filter.empty()) {
            out += apply_mask(filter, *v);
        } else {
            out += *v;
        }
    }
    return out;
}

// Splits a UTF-8 string into code points (as strings).
std::vector<std::string_view> code_points(std::string_view s) {
    std::vector<std::string_view> cps;
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        std::size_t n = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : 4;
        if (i + n > s.size()) n = s.size() - i;
        cps.push_back(s.substr(i, n));
        i += n;
    }
    return cps;
}

std::string printable(std::string_view s) {
    return pii::redact(s);
}

// Label on the left, value on the right of the same line; when both do not fit, the value goes
// right-aligned on the lines below.
void kv_line(Builder& b, const std::string& l, const std::string& v, int columns) {
    const int lw = display_columns(l), vw = display_columns(v);
    if (lw + 1 + vw <= columns) {
        b.line(l + std::string(static_cast<std::size_t>(columns - lw - vw), ' ') + v);
        return;
    }
    b.line(l);
    for (const auto& vl : wrap_text(v, columns)) {
        const int w = display_columns(vl);
        b.line(std::string(static_cast<std::size_t>(std::max(0, columns - w)), ' ') + vl);
    }
}

}  // namespace

std::vector<std::string> wrap_text(std::string_view utf8, int columns) {
    std::vector<std::string> lines;
    if (columns < 2) columns = 2;
    std::string cur;
    int width = 0;
    std::size_t last_space = std::string::npos;  // byte offset in cur of the last ASCII space
    for (auto cp : code_points(utf8)) {
        if (cp == "\n") {
            lines.push_back(cur);
            cur.clear();
            width = 0;
            last_space = std::string::npos;
            continue;
        }
        const int w = display_columns(cp);
        if (width + w > columns) {
            if (cp == " ") {  // a space at the break is dropped
                lines.push_back(cur);
                cur.clear();
                width = 0;
                last_space = std::string::npos;
                continue;
            }
            // Break Latin words at the last space; CJK may break anywhere.
            const bool latin_word = cp.size() == 1 && last_space != std::string::npos &&
                                    last_space > 0 &&
                                    display_columns(std::string_view(cur).substr(last_space)) ==
                                        static_cast<int>(cur.size() - last_space);
            if (latin_word) {
                lines.push_back(cur.substr(0, last_space));
                cur = cur.substr(last_space + 1);
            } else {
                lines.push_back(cur);
                cur.clear();
            }
            width = display_columns(cur);
            last_space = std::string::npos;
        }
        if (cp == " ") last_space = cur.size();
        cur.append(cp);
        width += w;
    }
    if (!cur.empty() || lines.empty()) lines.push_back(cur);
    return lines;
}

std::optional<ReceiptTemplate> parse_receipt_template(std::string_view text, std::string& error) {
    toml::table t;
    try {
        t = toml::parse(text);
    } catch (const toml::parse_error& e) {
        error = "template: " + std::string(e.description());
        return std::nullopt;
    }
    ReceiptTemplate tpl;
    tpl.name = t["name"].value_or(std::string{});
    if (tpl.name.empty()) {
        error = "template: no name";
        return std::nullopt;
    }
    if (auto* pii = t["pii"].as_table()) {
        for (auto&& [k, v] : *pii) {
            const auto kind = v.value<std::string>();
            if (!kind ||
                (*kind != "name" && *kind != "id" && *kind != "phone" && *kind != "code")) {
                error = "template: bad pii mask for " + std::string(k.str());
                return std::nullopt;
            }
            tpl.pii[std::string(k.str())] = *kind;
        }
    }
    if (auto* strings = t["strings"].as_table()) {
        for (auto&& [lang, table] : *strings) {
            auto* tt = table.as_table();
            if (!tt) continue;
            for (auto&& [k, v] : *tt) {
                if (auto s = v.value<std::string>())
                    tpl.strings[std::string(lang.str())][std::string(k.str())] = *s;
            }
        }
    }
    auto* blocks = t["block"].as_array();
    if (!blocks || blocks->empty()) {
        error = "template: no [[block]]";
        return std::nullopt;
    }
    for (auto&& node : *blocks) {
        auto* b = node.as_table();
        if (!b) {
            error = "template: a block is not a table";
            return std::nullopt;
        }
        ReceiptBlock rb;
        rb.type = (*b)["type"].value_or(std::string{});
        static const char* kTypes[] = {"text", "kv",      "rule", "feed",
                                       "qr",   "barcode", "list", "cut"};
        bool known = false;
        for (const char* k : kTypes) known = known || rb.type == k;
        if (!known) {
            error = "template: unknown block type '" + rb.type + "'";
            return std::nullopt;
        }
        rb.text = (*b)["text"].value_or(std::string{});
        rb.label = (*b)["label"].value_or(std::string{});
        rb.value = (*b)["value"].value_or(std::string{});
        rb.data = (*b)["data"].value_or(std::string{});
        rb.of = (*b)["of"].value_or(std::string{});
        rb.bold = (*b)["bold"].value_or(false);
        rb.optional = (*b)["optional"].value_or(false);
        const auto size = (*b)["size"].value_or<int64_t>(1);
        const auto lines = (*b)["lines"].value_or<int64_t>(1);
        const auto module = (*b)["module"].value_or<int64_t>(6);
        if (size < 1 || size > 4 || lines < 0 || lines > 10 || module < 1 || module > 16) {
            error = "template: size/lines/module out of range";
            return std::nullopt;
        }
        rb.size = static_cast<int>(size);
        rb.lines = static_cast<int>(lines);
        rb.module = static_cast<int>(module);
        const auto align = parse_align((*b)["align"].value_or(std::string("left")));
        if (!align) {
            error = "template: bad align";
            return std::nullopt;
        }
        rb.align = *align;
        tpl.blocks.push_back(std::move(rb));
    }
    return tpl;
}

bool render_receipt(const ReceiptTemplate& tpl, const ReceiptData& data, std::string_view lang,
                    Builder& out, std::string& error) {
    const std::map<std::string, std::string>* strings = nullptr;
    if (auto it = tpl.strings.find(std::string(lang)); it != tpl.strings.end()) {
        strings = &it->second;
    } else if (auto zh = tpl.strings.find("zh-CN"); zh != tpl.strings.end()) {
        strings = &zh->second;  // an unknown language falls back to Chinese
    }
    const int columns = out.profile().columns;
    const Scope top{tpl, strings, data.fields, nullptr};
    // Render into a scratch builder first, so a missing field leaves `out` untouched.
    Builder b(out.profile());
    b.set_force_raster_qr(out.force_raster_qr());
    std::string missing;
    auto fail = [&](const ReceiptBlock& blk) {
        error = tpl.name + ": " + blk.type + " block: missing " + missing;
        return false;
    };
    for (const auto& blk : tpl.blocks) {
        if (blk.type == "text") {
            auto s = expand(blk.text, top, missing);
            if (!s) {
                if (blk.optional) continue;
                return fail(blk);
            }
            b.align(blk.align).size(blk.size, blk.size).bold(blk.bold);
            for (const auto& l : wrap_text(printable(*s), columns / blk.size)) b.line(l);
            b.size(1, 1).bold(false).align(Align::Left);
        } else if (blk.type == "kv") {
            auto label = expand(blk.label, top, missing);
            auto value = label ? expand(blk.value, top, missing) : std::nullopt;
            if (!label || !value) {
                if (blk.optional) continue;
                return fail(blk);
            }
            b.bold(blk.bold);
            kv_line(b, printable(*label), printable(*value), columns);
            b.bold(false);
        } else if (blk.type == "rule") {
            b.align(Align::Left).line(std::string(static_cast<std::size_t>(columns), '-'));
        } else if (blk.type == "feed") {
            b.feed(blk.lines);
        } else if (blk.type == "qr" || blk.type == "barcode") {
            auto d = expand(blk.data, top, missing);
            if (!d || d->empty()) {
                if (blk.optional) continue;
                if (d) missing = "data (empty)";
                return fail(blk);
            }
            // A printer prints nothing for data its QR cannot hold: catch it here, not at the
            // locker when the code is missing from the slip.
            if (blk.type == "qr" && qr_modules(*d, QrEcc::M).width == 0) {
                error = tpl.name + ": qr block: data too long for a QR code";
                return false;
            }
            b.align(Align::Center);
            if (blk.type == "qr") {
                b.qr(*d, blk.module, QrEcc::M);
            } else {
                b.code128(*d, 80, 2, true);
            }
            b.align(Align::Left);
        } else if (blk.type == "list") {
            auto it = data.lists.find(blk.of);
            if (it == data.lists.end()) {
                if (blk.optional) continue;
                missing = "list " + blk.of;
                return fail(blk);
            }
            b.align(blk.align).bold(blk.bold);
            int index = 1;
            for (const auto& item : it->second) {
                auto with_index = item;
                with_index["index"] = std::to_string(index++);
                const Scope sc{tpl, strings, data.fields, &with_index};
                auto s = expand(blk.text, sc, missing);
                if (!s) return fail(blk);
                if (!blk.value.empty()) {  // "label … value" per item, e.g. fee and amount
                    auto v = expand(blk.value, sc, missing);
                    if (!v) return fail(blk);
                    kv_line(b, printable(*s), printable(*v), columns);
                    continue;
                }
                const auto lines = wrap_text(printable(*s), columns - 3);
                for (std::size_t k = 0; k < lines.size(); ++k) {
                    b.line(k == 0 ? lines[k] : "   " + lines[k]);  // hanging indent
                }
            }
            b.bold(false).align(Align::Left);
        } else if (blk.type == "cut") {
            b.cut();
        }
    }
    out.raw(b.take());
    return true;
}

}  // namespace kiosk::escpos
