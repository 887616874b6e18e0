#include "core/config.hpp"

#include <functional>

#include <cstdio>

#include "core/assist.hpp"
#include "core/toml_text.hpp"

namespace kiosk {

const std::string& LocalText::get(std::string_view lang) const {
    static const std::string empty;
    if (auto it = by_lang.find(lang); it != by_lang.end()) return it->second;
    if (auto it = by_lang.find("zh-CN"); it != by_lang.end()) return it->second;
    return by_lang.empty() ? empty : by_lang.begin()->second;
}

namespace {

using Setter = std::function<std::optional<std::string>(Config&, const toml::node&)>;

struct Field {
    const char* key;
    const char* type;  // for messages
    Setter set;
};

// What a value must be beyond its type: nullopt when it is fine, else what is wrong.
using Check = std::function<std::optional<std::string>(const std::string&)>;

template <typename T>
Setter str(T Config::*section, std::string T::*member, Check check = {}) {
    return [=](Config& c, const toml::node& n) -> std::optional<std::string> {
        auto v = n.value<std::string>();
        if (!n.is_string() || !v) return "expected a string";
        if (check)
            if (auto e = check(*v)) return e;
        (c.*section).*member = *v;
        return std::nullopt;
    };
}

// One of a few words: "must be one of a, b, c" otherwise.
Check one_of(std::vector<std::string> words) {
    return [words = std::move(words)](const std::string& v) -> std::optional<std::string> {
        for (const auto& w : words)
            if (v == w) return std::nullopt;
        std::string msg = words.size() == 2 ? "must be \"" + words[0] + "\" or \"" + words[1] + "\""
                                            : "must be one of ";
        if (words.size() != 2)
            for (std::size_t i = 0; i < words.size(); ++i) msg += (i ? ", " : "") + words[i];
        return msg;
    };
}

template <typename T>
Setter integer(T Config::*section, int T::*member, long lo, long hi) {
    return [=](Config& c, const toml::node& n) -> std::optional<std::string> {
        if (!n.is_integer()) return "expected an integer";
        const auto v = *n.value<int64_t>();
        if (v < lo || v > hi)
            return "must be between " + std::to_string(lo) + " and " + std::to_string(hi);
        (c.*section).*member = static_cast<int>(v);
        return std::nullopt;
    };
}

template <typename T>
Setter boolean(T Config::*section, bool T::*member) {
    return [=](Config& c, const toml::node& n) -> std::optional<std::string> {
        if (!n.is_boolean()) return "expected true or false";
        (c.*section).*member = *n.value<bool>();
        return std::nullopt;
    };
}

template <typename T>
Setter strings(T Config::*section, std::vector<std::string> T::*member, Check check = {}) {
    return [=](Config& c, const toml::node& n) -> std::optional<std::string> {
        const auto* arr = n.as_array();
        if (!arr) return "expected an array of strings";
        std::vector<std::string> out;
        for (const auto& item : *arr) {
            auto v = item.value<std::string>();
            if (!item.is_string() || !v) return "expected an array of strings";
            if (check)
                if (auto e = check(*v)) return e;
            out.push_back(*v);
        }
        (c.*section).*member = std::move(out);
        return std::nullopt;
    };
}

std::optional<std::string> read_local_text(LocalText& out, const toml::node& n) {
    const auto* t = n.as_table();
    if (!t) return "expected a table of languages (zh-CN = \"…\", en = \"…\")";
    LocalText lt;
    for (const auto& [k, v] : *t) {
        const std::string lang(k.str());
        if (lang != "zh-CN" && lang != "en") return "unknown language '" + lang + "'";
        if (!v.is_string()) return "expected a string for " + lang;
        lt.by_lang[lang] = *v.value<std::string>();
    }
    if (!lt.by_lang.contains("zh-CN")) return "the zh-CN text is required";
    out = std::move(lt);
    return std::nullopt;
}

Check date_check() {
    return [](const std::string& v) -> std::optional<std::string> {
        int y = 0, m = 0, d = 0;
        char tail = 0;
        if (v.size() != 10 || std::sscanf(v.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
            m < 1 || m > 12 || d < 1 || d > 31)
            return "must be dates written YYYY-MM-DD";
        return std::nullopt;
    };
}

Setter duty_day(int weekday) {
    return [weekday](Config& c, const toml::node& n) -> std::optional<std::string> {
        auto v = n.value<std::string>();
        if (!n.is_string() || !v) return "expected a string";
        if (!duty::parse_ranges(*v, nullptr))
            return "must be \"\" or ranges like \"08:30-12:00,13:30-17:30\"";
        c.assist.duty[static_cast<std::size_t>(weekday)] = *v;
        return std::nullopt;
    };
}

const std::vector<Field>& fields() {
    using C = Config;
    static const std::vector<Field> f = {
        {"kiosk.id", "string", str(&C::kiosk, &C::Kiosk::id)},
        {"kiosk.language", "string", str(&C::kiosk, &C::Kiosk::language, one_of({"zh-CN", "en"}))},
        {"kiosk.assets_dir", "string", str(&C::kiosk, &C::Kiosk::assets_dir)},
        {"kiosk.state_dir", "string", str(&C::kiosk, &C::Kiosk::state_dir)},
        {"kiosk.hall_name", "table",
         [](Config& c, const toml::node& n) { return read_local_text(c.kiosk.hall_name, n); }},
        {"display.width", "integer", integer(&C::display, &C::Display::width, 320, 8192)},
        {"display.height", "integer", integer(&C::display, &C::Display::height, 320, 8192)},
        {"display.rotation", "integer",
         [](Config& c, const toml::node& n) -> std::optional<std::string> {
             if (!n.is_integer()) return "expected an integer";
             const auto v = *n.value<int64_t>();
             if (v != 0 && v != 90 && v != 180 && v != 270) return "must be 0, 90, 180 or 270";
             c.display.rotation = static_cast<int>(v);
             return std::nullopt;
         }},
        {"display.fullscreen", "boolean", boolean(&C::display, &C::Display::fullscreen)},
        {"display.window_scale", "number",
         [](Config& c, const toml::node& n) -> std::optional<std::string> {
             if (!n.is_number()) return "expected a number";
             const double v = *n.value<double>();
             if (v < 0.25 || v > 1.0) return "must be between 0.25 and 1.0";
             c.display.window_scale = v;
             return std::nullopt;
         }},
        {"display.renderer", "string",
         str(&C::display, &C::Display::renderer, one_of({"software", "accelerated"}))},
        {"session.inactivity_seconds", "integer",
         integer(&C::session, &C::Session::inactivity_seconds, 10, 3600)},
        {"session.warning_seconds", "integer",
         integer(&C::session, &C::Session::warning_seconds, 20, 300)},
        {"attract.notice_seconds", "integer",
         integer(&C::attract, &C::Attract::notice_seconds, 2, 600)},
        {"attract.notice", "array of tables",
         [](Config& c, const toml::node& n) -> std::optional<std::string> {
             const auto* arr = n.as_array();
             if (!arr) return "expected [[attract.notice]] tables";
             std::vector<LocalText> notices;
             for (const auto& item : *arr) {
                 LocalText lt;
                 if (auto err = read_local_text(lt, item)) return err;
                 notices.push_back(std::move(lt));
             }
             c.attract.notices = std::move(notices);
             return std::nullopt;
         }},
        {"accessibility.elder_mode", "boolean",
         boolean(&C::accessibility, &C::Accessibility::elder_mode)},
        {"accessibility.voice", "boolean", boolean(&C::accessibility, &C::Accessibility::voice)},
        {"fonts.cjk", "string", str(&C::fonts, &C::Fonts::cjk)},
        {"fonts.cjk_face", "integer", integer(&C::fonts, &C::Fonts::cjk_face, 0, 31)},
        {"fonts.fallback", "string", str(&C::fonts, &C::Fonts::fallback)},
        {"fonts.base_size", "integer", integer(&C::fonts, &C::Fonts::base_size, 12, 96)},
        {"log.file", "string", str(&C::log, &C::Log::file)},
        {"log.level", "string",
         str(&C::log, &C::Log::level,
             one_of({"trace", "debug", "info", "warn", "error", "critical", "off"}))},
        {"log.max_size_mb", "integer", integer(&C::log, &C::Log::max_size_mb, 1, 1024)},
        {"log.max_files", "integer", integer(&C::log, &C::Log::max_files, 1, 100)},
        {"devices.idcard", "string", str(&C::devices, &C::Devices::idcard)},
        {"devices.scanner", "string", str(&C::devices, &C::Devices::scanner)},
        {"devices.printer", "string", str(&C::devices, &C::Devices::printer)},
        {"devices.a4_printer", "string", str(&C::devices, &C::Devices::a4_printer)},
        {"devices.locker", "string", str(&C::devices, &C::Devices::locker)},
        {"devices.camera", "string", str(&C::devices, &C::Devices::camera)},
        {"devices.hall_hosts", "array of strings", strings(&C::devices, &C::Devices::hall_hosts)},
        {"devices.eid_hosts", "array of strings", strings(&C::devices, &C::Devices::eid_hosts)},
        {"backend.url", "string", str(&C::backend, &C::Backend::url)},
        {"backend.ca_file", "string", str(&C::backend, &C::Backend::ca_file)},
        {"backend.pinned_key", "string", str(&C::backend, &C::Backend::pinned_key)},
        {"backend.client_cert", "string", str(&C::backend, &C::Backend::client_cert)},
        {"backend.client_key", "string", str(&C::backend, &C::Backend::client_key)},
        {"backend.connect_timeout_ms", "integer",
         integer(&C::backend, &C::Backend::connect_timeout_ms, 100, 60000)},
        {"backend.total_timeout_ms", "integer",
         integer(&C::backend, &C::Backend::total_timeout_ms, 100, 600000)},
        {"backend.heartbeat_seconds", "integer",
         integer(&C::backend, &C::Backend::heartbeat_seconds, 0, 3600)},
        {"service_menu.gesture", "string",
         str(&C::service_menu, &C::ServiceMenu::gesture, one_of({"corner-taps", "off"}))},
        {"service_menu.pin_hash", "string",
         str(&C::service_menu, &C::ServiceMenu::pin_hash,
             [](const std::string& v) -> std::optional<std::string> {
                 if (v.empty() || (v.starts_with("$argon2") && v.size() <= 127))
                     return std::nullopt;
                 return "must be \"\" or a hash from `kiosk-staff-pin pin` ($argon2id$...)";
             })},
        {"service_menu.staff_cards", "array of strings",
         strings(&C::service_menu, &C::ServiceMenu::staff_cards,
                 [](const std::string& v) -> std::optional<std::string> {
                     if (v.size() == 64 && v.find_first_not_of("0123456789abcdef") == v.npos)
                         return std::nullopt;
                     return "each entry must be 64 lowercase hex digits (`kiosk-staff-pin card`)";
                 })},
        {"service_menu.hall_login", "boolean",
         boolean(&C::service_menu, &C::ServiceMenu::hall_login)},
        {"service_menu.staff_id_prefix", "string",
         str(&C::service_menu, &C::ServiceMenu::staff_id_prefix,
             [](const std::string& v) -> std::optional<std::string> {
                 if (v.size() <= 8 && v.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == v.npos)
                     return std::nullopt;
                 return "must be at most 8 capital letters";
             })},
        {"service_menu.max_failures", "integer",
         integer(&C::service_menu, &C::ServiceMenu::max_failures, 1, 20)},
        {"service_menu.lockout_seconds", "integer",
         integer(&C::service_menu, &C::ServiceMenu::lockout_seconds, 10, 86400)},
        {"service_menu.max_lockout_seconds", "integer",
         integer(&C::service_menu, &C::ServiceMenu::max_lockout_seconds, 10, 7 * 86400)},
        {"service_menu.alert_after_failures", "integer",
         integer(&C::service_menu, &C::ServiceMenu::alert_after_failures, 0, 1000)},
        {"service_menu.idle_seconds", "integer",
         integer(&C::service_menu, &C::ServiceMenu::idle_seconds, 30, 3600)},
        {"service_menu.overdue_days", "integer",
         integer(&C::service_menu, &C::ServiceMenu::overdue_days, 1, 365)},
        {"update.ddi_url", "string", str(&C::update, &C::Update::ddi_url)},
        {"update.tenant", "string", str(&C::update, &C::Update::tenant)},
        {"update.controller_id", "string", str(&C::update, &C::Update::controller_id)},
        {"update.token", "string", str(&C::update, &C::Update::token)},
        {"update.ca_file", "string", str(&C::update, &C::Update::ca_file)},
        {"update.trusted_keys", "array of strings", strings(&C::update, &C::Update::trusted_keys)},
        {"update.retired_keys", "array of strings", strings(&C::update, &C::Update::retired_keys)},
        {"update.hw_revision", "string", str(&C::update, &C::Update::hw_revision)},
        {"update.root", "string", str(&C::update, &C::Update::root)},
        {"update.maintenance_window", "string", str(&C::update, &C::Update::maintenance_window)},
        {"update.health_timeout_seconds", "integer",
         integer(&C::update, &C::Update::health_timeout_seconds, 10, 86400)},
        {"update.health_boot_attempts", "integer",
         integer(&C::update, &C::Update::health_boot_attempts, 1, 20)},
        {"update.max_bundle_mb", "integer",
         integer(&C::update, &C::Update::max_bundle_mb, 1, 4096)},
        {"update.test_network", "boolean", boolean(&C::update, &C::Update::test_network)},
        {"fleet.broker", "string",
         str(&C::fleet, &C::Fleet::broker,
             [](const std::string& v) -> std::optional<std::string> {
                 if (v.empty() || v.starts_with("mqtt://") || v.starts_with("mqtts://"))
                     return std::nullopt;
                 return "must be \"\" or mqtt://host:port or mqtts://host:port";
             })},
        {"fleet.name", "string", str(&C::fleet, &C::Fleet::name)},
        {"fleet.heartbeat_seconds", "integer",
         integer(&C::fleet, &C::Fleet::heartbeat_seconds, 1, 86400)},
        {"fleet.will_delay_seconds", "integer",
         integer(&C::fleet, &C::Fleet::will_delay_seconds, 0, 3600)},
        {"fleet.buffer_max_rows", "integer",
         integer(&C::fleet, &C::Fleet::buffer_max_rows, 10, 10000000)},
        {"fleet.ca_file", "string", str(&C::fleet, &C::Fleet::ca_file)},
        {"fleet.client_cert", "string", str(&C::fleet, &C::Fleet::client_cert)},
        {"fleet.client_key", "string", str(&C::fleet, &C::Fleet::client_key)},
        {"fleet.username", "string", str(&C::fleet, &C::Fleet::username)},
        {"fleet.password", "string", str(&C::fleet, &C::Fleet::password)},
        {"assist.hotline", "string",
         str(&C::assist, &C::Assist::hotline,
             [](const std::string& v) -> std::optional<std::string> {
                 if (v.empty() || v.size() > 20 ||
                     v.find_first_not_of("0123456789-+ ") != std::string::npos)
                     return "must be 1..20 digits (with - + or spaces)";
                 return std::nullopt;
             })},
        {"assist.short_code", "string",
         str(&C::assist, &C::Assist::short_code,
             [](const std::string& v) -> std::optional<std::string> {
                 if (v.size() > 12 ||
                     v.find_first_not_of("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") != std::string::npos)
                     return "must be at most 12 of A-Z (no I, O) and 0-9";
                 return std::nullopt;
             })},
        {"assist.location", "table",
         [](Config& c, const toml::node& n) { return read_local_text(c.assist.location, n); }},
        {"assist.counter_hours", "table",
         [](Config& c, const toml::node& n) { return read_local_text(c.assist.counter_hours, n); }},
        {"assist.answer_seconds", "integer",
         integer(&C::assist, &C::Assist::answer_seconds, 20, 3600)},
        {"assist.poll_seconds", "integer", integer(&C::assist, &C::Assist::poll_seconds, 1, 120)},
        {"assist.holidays", "array of strings",
         strings(&C::assist, &C::Assist::holidays, date_check())},
        {"assist.workdays", "array of strings",
         strings(&C::assist, &C::Assist::workdays, date_check())},
        {"assist.duty.sun", "string", duty_day(0)},
        {"assist.duty.mon", "string", duty_day(1)},
        {"assist.duty.tue", "string", duty_day(2)},
        {"assist.duty.wed", "string", duty_day(3)},
        {"assist.duty.thu", "string", duty_day(4)},
        {"assist.duty.fri", "string", duty_day(5)},
        {"assist.duty.sat", "string", duty_day(6)},
        {"fleet.operator_key", "array of tables",
         [](Config& c, const toml::node& n) -> std::optional<std::string> {
             const auto* arr = n.as_array();
             if (!arr) return "expected [[fleet.operator_key]] tables";
             std::vector<Config::Fleet::OperatorKey> keys;
             for (const auto& item : *arr) {
                 const auto* t = item.as_table();
                 if (!t) return "expected [[fleet.operator_key]] tables";
                 Config::Fleet::OperatorKey k;
                 for (const auto& [name, v] : *t) {
                     if (!v.is_string())
                         return "expected a string for '" + std::string(name.str()) + "'";
                     if (name.str() == "id")
                         k.id = *v.value<std::string>();
                     else if (name.str() == "public_key")
                         k.public_key = *v.value<std::string>();
                     else
                         return "unknown key '" + std::string(name.str()) +
                                "' (expected id and public_key)";
                 }
                 if (k.id.empty() || k.public_key.empty())
                     return "each operator key needs an id and a public_key";
                 keys.push_back(std::move(k));
             }
             c.fleet.operator_keys = std::move(keys);
             return std::nullopt;
         }},
    };
    return f;
}

const Field* find_field(std::string_view key) {
    for (const auto& f : fields())
        if (key == f.key) return &f;
    return nullptr;
}

bool is_section(std::string_view key) {
    const std::string prefix = std::string(key) + ".";
    for (const auto& f : fields())
        if (std::string_view(f.key).starts_with(prefix)) return true;
    return false;
}

std::optional<ConfigError> walk(Config& config, const toml::table& table, const std::string& prefix,
                                std::string_view source) {
    for (const auto& [k, node] : table) {
        const std::string key =
            prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
        const int line = static_cast<int>(node.source().begin.line);
        auto error = [&](ConfigError::Kind kind, const std::string& what) {
            ConfigError e;
            e.kind = kind;
            e.source = std::string(source);
            e.key = key;
            e.line = line;
            e.message = e.source + ":" + std::to_string(line) + ": '" + key + "' " + what;
            return e;
        };
        if (const Field* f = find_field(key)) {
            if (auto problem = f->set(config, node)) {
                const bool type = problem->starts_with("expected");
                return error(type ? ConfigError::Kind::WrongType : ConfigError::Kind::BadValue,
                             *problem);
            }
            continue;
        }
        if (is_section(key)) {
            if (const auto* sub = node.as_table()) {
                if (auto e = walk(config, *sub, key, source)) return e;
                continue;
            }
            return error(ConfigError::Kind::WrongType, "expected a table [" + key + "]");
        }
        return error(ConfigError::Kind::UnknownKey, "is not a known key");
    }
    return std::nullopt;
}

}  // namespace

std::optional<ConfigError> apply_config(Config& config, std::string_view text,
                                        std::string_view source) {
    toml::table table;
    if (auto err = parse_toml(text, source, table)) {
        ConfigError e;
        e.kind = ConfigError::Kind::Syntax;
        e.source = std::string(source);
        e.line = err->line;
        e.message = err->message;
        return e;
    }
    return walk(config, table, "", source);
}

std::optional<ConfigError> load_config(Config& config, const std::string& path) {
    if (auto e = apply_config(config, default_config_text(), "<built-in>")) return e;
    if (path.empty()) return std::nullopt;
    std::string text;
    if (!read_text_file(path, text)) {
        ConfigError e;
        e.kind = ConfigError::Kind::MissingFile;
        e.source = path;
        e.message = path + ": cannot open the configuration file";
        return e;
    }
    return apply_config(config, text, path);
}

}  // namespace kiosk

namespace kiosk {
extern const std::string_view kDefaultConfigText;  // generated from config/kiosk.toml
std::string_view default_config_text() {
    return kDefaultConfigText;
}
}  // namespace kiosk
