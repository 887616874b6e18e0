// See contract.hpp.
#include "contract.hpp"

#include <cmath>
#include <set>

namespace kiosk::hallsim::contract {

extern const std::string_view kContractJson;  // contract_json.cpp, generated at build time

using J = nlohmann::json;

namespace {

constexpr int kMaxDepth = 64;

const std::set<std::string>& constraint_keywords() {
    static const std::set<std::string> k = {"$ref",
                                            "type",
                                            "nullable",
                                            "enum",
                                            "required",
                                            "properties",
                                            "additionalProperties",
                                            "items",
                                            "minItems",
                                            "maxItems",
                                            "minLength",
                                            "maxLength",
                                            "pattern",
                                            "minimum",
                                            "maximum",
                                            "allOf",
                                            "format"};
    return k;
}
const std::set<std::string>& annotation_keywords() {
    static const std::set<std::string> k = {"description", "example",   "deprecated",  "title",
                                            "readOnly",    "writeOnly", "externalDocs"};
    return k;
}

std::size_t code_points(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

bool date_time(const std::string& s) {
    static const std::regex re(
        R"(^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]{1,9})?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$)");
    return std::regex_match(s, re);
}

std::string type_name(const J& v) {
    if (v.is_null()) return "null";
    if (v.is_boolean()) return "boolean";
    if (v.is_number_integer()) return "integer";
    if (v.is_number()) return "number";
    if (v.is_string()) return "string";
    if (v.is_array()) return "array";
    return "object";
}

bool has_type(const J& v, const std::string& t) {
    if (t == "string") return v.is_string();
    if (t == "boolean") return v.is_boolean();
    if (t == "object") return v.is_object();
    if (t == "array") return v.is_array();
    if (t == "number") return v.is_number();
    if (t == "integer") {
        if (v.is_number_integer()) return true;
        if (!v.is_number_float()) return false;
        double d = v.get<double>();
        return std::isfinite(d) && std::floor(d) == d;
    }
    return false;
}

std::string media_type(std::string_view content_type) {
    auto semi = content_type.find(';');
    std::string m(content_type.substr(0, semi));
    while (!m.empty() && m.back() == ' ') m.pop_back();
    for (auto& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return m;
}

std::vector<std::string> segments(std::string_view path) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '/') {
            ++i;
            continue;
        }
        auto j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        out.emplace_back(path.substr(i, j - i));
        i = j;
    }
    return out;
}

// One allocation for a message made of several parts.
std::string cat(std::initializer_list<std::string_view> parts) {
    std::string s;
    for (auto p : parts) s += p;
    return s;
}

std::string sub(const std::string& where, const std::string& key) {
    return where + "." + key;
}

}  // namespace

std::string describe(const std::vector<Violation>& v, std::size_t at_most) {
    std::string s;
    for (std::size_t i = 0; i < v.size() && i < at_most; ++i) {
        if (!s.empty()) s += "; ";
        s += v[i].where + ": " + v[i].what;
    }
    if (v.size() > at_most) s += "; and " + std::to_string(v.size() - at_most) + " more";
    return s;
}

std::unique_ptr<Contract> Contract::from_json(std::string_view json, std::string& error) {
    std::unique_ptr<Contract> c(new Contract());
    c->doc_ = J::parse(json, nullptr, false);
    if (c->doc_.is_discarded() || !c->doc_.is_object()) {
        error = "the contract is not a JSON object";
        return nullptr;
    }
    if (!c->load(error)) return nullptr;
    return c;
}

const Contract& Contract::hall() {
    static const std::unique_ptr<Contract> c = [] {
        std::string error;
        auto made = from_json(kContractJson, error);
        // Built from the repository's own contract, which its tests check: failing here is a
        // build defect, never an input error.
        if (!made) throw std::runtime_error("the built-in hall contract: " + error);
        return made;
    }();
    return *c;
}

const J* Contract::resolve(const J& node) const {
    const J* n = &node;
    for (int hops = 0; n->is_object() && n->contains("$ref"); ++hops) {
        if (hops > 16) return nullptr;
        const J& ref = (*n)["$ref"];
        if (!ref.is_string()) return nullptr;
        std::string r = ref.get<std::string>();
        if (r.rfind("#/", 0) != 0) return nullptr;
        try {
            n = &doc_.at(J::json_pointer(r.substr(1)));
        } catch (const std::exception&) {
            return nullptr;
        }
    }
    return n;
}

const J* Contract::schema(const std::string& name) const {
    auto s = doc_.find("components");
    if (s == doc_.end() || !s->contains("schemas")) return nullptr;
    const J& all = (*s)["schemas"];
    auto it = all.find(name);
    return it == all.end() ? nullptr : &*it;
}

bool Contract::scan(const J& s, const std::string& where, std::string& error, int depth) {
    if (depth > kMaxDepth) return error = where + ": nested too deeply", false;
    if (!s.is_object()) return error = where + ": a schema must be an object", false;
    for (const auto& [k, v] : s.items()) {
        if (!constraint_keywords().count(k) && !annotation_keywords().count(k))
            return error = cat({where, ": keyword ", k, " is not implemented by the checker"}),
                   false;
        if (k == "$ref" && !resolve(s))
            return error = where + ": $ref " + v.dump() + " does not resolve", false;
        if (k == "pattern") {
            if (!v.is_string()) return error = where + ": pattern must be a string", false;
            try {
                patterns_.emplace(v.get<std::string>(), std::regex(v.get<std::string>()));
            } catch (const std::regex_error&) {
                return error = where + ": pattern " + v.dump() + " does not compile", false;
            }
        }
        if (k == "properties") {
            if (!v.is_object()) return error = where + ": properties must be an object", false;
            for (const auto& [name, ps] : v.items())
                if (!scan(ps, sub(where, name), error, depth + 1)) return false;
        }
        if ((k == "items" || (k == "additionalProperties" && v.is_object())) &&
            !scan(v, cat({where, "/", k}), error, depth + 1))
            return false;
        if (k == "allOf") {
            if (!v.is_array()) return error = where + ": allOf must be an array", false;
            for (const auto& part : v)
                if (!scan(part, where + "/allOf", error, depth + 1)) return false;
        }
        if (k == "required" && !v.is_array())
            return error = where + ": required must be an array", false;
        if (k == "enum" && !v.is_array()) return error = where + ": enum must be an array", false;
    }
    return true;
}

bool Contract::load(std::string& error) {
    auto openapi = doc_.find("openapi");
    if (openapi == doc_.end() || !openapi->is_string() ||
        openapi->get<std::string>().rfind("3.0.", 0) != 0)
        return error = "not an OpenAPI 3.0 document", false;
    auto info = doc_.find("info");
    if (info == doc_.end() || !info->contains("version") || !(*info)["version"].is_string())
        return error = "info.version missing", false;
    version_ = (*info)["version"].get<std::string>();
    if (doc_.contains("components") && doc_["components"].contains("schemas"))
        for (const auto& [name, s] : doc_["components"]["schemas"].items())
            if (!scan(s, name, error, 0)) return false;
    auto paths = doc_.find("paths");
    if (paths == doc_.end() || !paths->is_object()) return error = "paths missing", false;
    for (const auto& [path, item] : paths->items()) {
        for (const char* m : {"get", "post", "put", "patch", "delete"}) {
            if (!item.contains(m)) continue;
            const J& op = item[m];
            Operation o{m, path, op.value("operationId", std::string(m) + " " + path), &op};
            for (const auto& p : op.value("parameters", J::array())) {
                const J* param = resolve(p);
                if (!param || !param->contains("schema") || !param->contains("name"))
                    return error = o.id + ": a parameter without name or schema", false;
                std::string in = param->value("in", "");
                if (in != "path" && in != "header")
                    return error = o.id + ": parameters in " + in + " are not implemented", false;
                if (!scan((*param)["schema"], o.id + " parameter", error, 0)) return false;
            }
            if (op.contains("requestBody")) {
                const J* rb = resolve(op["requestBody"]);
                if (!rb || !rb->contains("content"))
                    return error = o.id + ": requestBody without content", false;
                for (const auto& [ct, media] : (*rb)["content"].items())
                    if (media.contains("schema") &&
                        !scan(media["schema"], o.id + " request " + ct, error, 0))
                        return false;
            }
            if (!op.contains("responses")) return error = o.id + ": no responses", false;
            for (const auto& [st, r] : op["responses"].items()) {
                const J* resp = resolve(r);
                if (!resp) return error = o.id + " " + st + ": $ref does not resolve", false;
                const J content = resp->value("content", J::object());
                for (const auto& [ct, media] : content.items())
                    if (media.contains("schema") &&
                        !scan(media["schema"], cat({o.id, " ", st, " ", ct}), error, 0))
                        return false;
            }
            ops_.push_back(std::move(o));
        }
    }
    return true;
}

const Operation* Contract::match(std::string_view method, std::string_view path,
                                 std::map<std::string, std::string>* params) const {
    std::string m(method);
    for (auto& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto got = segments(path);
    const Operation* best = nullptr;
    int best_literals = -1;
    std::map<std::string, std::string> best_params;
    for (const auto& op : ops_) {
        if (op.method != m) continue;
        auto want = segments(op.path);
        if (want.size() != got.size()) continue;
        int literals = 0;
        bool ok = true;
        std::map<std::string, std::string> p;
        for (std::size_t i = 0; i < want.size() && ok; ++i) {
            const auto& w = want[i];
            if (w.size() > 2 && w.front() == '{' && w.back() == '}')
                p[w.substr(1, w.size() - 2)] = got[i];
            else if (w == got[i])
                ++literals;
            else
                ok = false;
        }
        if (ok && literals > best_literals) {
            best = &op;
            best_literals = literals;
            best_params = std::move(p);
        }
    }
    if (best && params) *params = std::move(best_params);
    return best;
}

void Contract::validate(const J& value, const J& schema, const std::string& where, bool closed,
                        std::vector<Violation>& out) const {
    check(value, schema, where, closed, out, 0);
}

void Contract::check(const J& v, const J& schema, const std::string& where, bool closed,
                     std::vector<Violation>& out, int depth) const {
    if (depth > kMaxDepth) {
        out.push_back({where, "nested deeper than the checker follows"});
        return;
    }
    const J* sp = resolve(schema);
    if (!sp || !sp->is_object()) {
        out.push_back({where, "the schema does not resolve"});
        return;
    }
    const J& s = *sp;
    if (v.is_null() && s.value("nullable", false)) return;
    if (auto t = s.find("type"); t != s.end() && t->is_string()) {
        if (!has_type(v, t->get<std::string>())) {
            out.push_back({where, "expected " + t->get<std::string>() + ", got " + type_name(v)});
            return;
        }
    }
    if (auto e = s.find("enum"); e != s.end()) {
        bool found = false;
        for (const auto& x : *e) found = found || x == v;
        if (!found)
            out.push_back({where, "value " + v.dump().substr(0, 64) + " is not in the enum"});
    }
    if (auto a = s.find("allOf"); a != s.end())
        for (const auto& part : *a) check(v, part, where, closed, out, depth + 1);
    if (v.is_string()) {
        const auto& str = v.get_ref<const std::string&>();
        auto n = code_points(str);
        if (auto x = s.find("minLength"); x != s.end() && n < x->get<std::size_t>())
            out.push_back({where, "shorter than " + x->dump()});
        if (auto x = s.find("maxLength"); x != s.end() && n > x->get<std::size_t>())
            out.push_back({where, "longer than " + x->dump()});
        if (auto x = s.find("pattern"); x != s.end()) {
            auto re = patterns_.find(x->get<std::string>());
            if (re == patterns_.end() || !std::regex_search(str, re->second))
                out.push_back({where, "does not match " + x->get<std::string>()});
        }
        if (s.value("format", "") == "date-time" && !date_time(str))
            out.push_back({where, "not an RFC 3339 date-time"});
    }
    if (v.is_number()) {
        double d = v.get<double>();
        if (auto x = s.find("minimum"); x != s.end() && d < x->get<double>())
            out.push_back({where, "below the minimum " + x->dump()});
        if (auto x = s.find("maximum"); x != s.end() && d > x->get<double>())
            out.push_back({where, "above the maximum " + x->dump()});
    }
    if (v.is_array()) {
        if (auto x = s.find("minItems"); x != s.end() && v.size() < x->get<std::size_t>())
            out.push_back({where, "fewer than " + x->dump() + " items"});
        if (auto x = s.find("maxItems"); x != s.end() && v.size() > x->get<std::size_t>())
            out.push_back({where, "more than " + x->dump() + " items"});
        if (auto x = s.find("items"); x != s.end())
            for (std::size_t i = 0; i < v.size(); ++i)
                check(v[i], *x, where + "[" + std::to_string(i) + "]", closed, out, depth + 1);
    }
    if (v.is_object()) {
        if (auto r = s.find("required"); r != s.end())
            for (const auto& name : *r)
                if (name.is_string() && !v.contains(name.get<std::string>()))
                    out.push_back(
                        {where, "required field " + name.get<std::string>() + " missing"});
        auto props = s.find("properties");
        auto extra = s.find("additionalProperties");
        for (const auto& [k, x] : v.items()) {
            if (props != s.end() && props->contains(k)) {
                check(x, (*props)[k], sub(where, k), closed, out, depth + 1);
            } else if (extra != s.end()) {
                if (extra->is_object())
                    check(x, *extra, sub(where, k), closed, out, depth + 1);
                else if (extra->is_boolean() && !extra->get<bool>())
                    out.push_back({sub(where, k), "field not allowed"});
            } else if (closed && props != s.end()) {
                out.push_back({sub(where, k), "field not in the contract"});
            }
        }
    }
}

std::vector<Violation> Contract::check_request(std::string_view method, std::string_view path,
                                               const HeaderFn& header,
                                               std::string_view body) const {
    std::vector<Violation> out;
    std::map<std::string, std::string> params;
    const Operation* op = match(method, path, &params);
    std::string m(method);
    if (!op) {
        out.push_back({m + " " + std::string(path), "no such operation in the contract"});
        return out;
    }
    const J& o = *op->node;
    const std::string where = op->id + " request";
    for (const auto& p : o.value("parameters", J::array())) {
        const J* param = resolve(p);
        if (!param) continue;  // load() refused unresolvable ones
        std::string name = (*param)["name"].get<std::string>();
        std::string in = (*param)["in"].get<std::string>();
        bool required = param->value("required", false);
        std::optional<std::string> value;
        if (in == "path") {
            auto it = params.find(name);
            if (it != params.end()) value = it->second;
        } else if (header) {
            value = header(name);
        }
        if (!value) {
            if (required) out.push_back({cat({where, " ", in, " ", name}), "required, missing"});
            continue;
        }
        check(J(*value), (*param)["schema"], cat({where, " ", in, " ", name}), true, out, 0);
    }
    if (!o.contains("requestBody")) {
        if (!body.empty()) out.push_back({where, "a body where the contract has none"});
        return out;
    }
    const J* rb = resolve(o["requestBody"]);
    if (body.empty()) {
        if (rb->value("required", false)) out.push_back({where, "the required body is missing"});
        return out;
    }
    std::string ct = header ? media_type(header("Content-Type").value_or("")) : "application/json";
    const J& content = (*rb)["content"];
    if (!content.contains(ct)) {
        out.push_back({where, "content type '" + ct + "' is not in the contract"});
        return out;
    }
    if (ct != "application/json") return out;
    J v = J::parse(body, nullptr, false);
    if (v.is_discarded()) {
        out.push_back({where, "the body is not JSON"});
        return out;
    }
    if (content[ct].contains("schema")) check(v, content[ct]["schema"], where + " $", true, out, 0);
    return out;
}

std::vector<Violation> Contract::check_response(std::string_view method, std::string_view path,
                                                int status, std::string_view content_type,
                                                std::string_view body) const {
    std::vector<Violation> out;
    const Operation* op = match(method, path);
    if (!op) {
        out.push_back(
            {std::string(method) + " " + std::string(path), "no such operation in the contract"});
        return out;
    }
    const std::string st = std::to_string(status);
    const std::string where = op->id + " " + st;
    const J& responses = (*op->node)["responses"];
    const J* resp = nullptr;
    if (responses.contains(st))
        resp = resolve(responses[st]);
    else if (responses.contains("default"))
        resp = resolve(responses["default"]);
    if (!resp) {
        out.push_back({where, "status not documented"});
        return out;
    }
    if (!resp->contains("content")) {
        if (!body.empty()) out.push_back({where, "a body where the contract has none"});
        return out;
    }
    const std::string ct = media_type(content_type);
    const J& content = (*resp)["content"];
    if (!content.contains(ct)) {
        out.push_back({where, "content type '" + ct + "' is not in the contract"});
        return out;
    }
    const J& media = content[ct];
    if (ct != "application/json") {
        // Binary bodies (the proof PDF): present is all the schema (string, binary) can say.
        if (body.empty()) out.push_back({where, "an empty " + ct + " body"});
        return out;
    }
    J v = J::parse(body, nullptr, false);
    if (v.is_discarded()) {
        out.push_back({where, "the body is not JSON"});
        return out;
    }
    if (media.contains("schema")) check(v, media["schema"], where + " $", true, out, 0);
    return out;
}

}  // namespace kiosk::hallsim::contract
