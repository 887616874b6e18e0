// Configuration: one TOML file, strictly validated.
//
// The documented default (config/kiosk.toml) is compiled in; a deployment file is applied on top.
// An unknown key, a wrong type, a value out of range or a missing file is a ConfigError that names
// the key and the line, with an exit code for start-up (EX_NOINPUT 66, EX_CONFIG 78).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk {

// A text in every language the kiosk speaks ("zh-CN", "en").
struct LocalText {
    std::map<std::string, std::string, std::less<>> by_lang;
    const std::string& get(std::string_view lang) const;
};

struct Config {
    struct Kiosk {
        std::string id;
        std::string language = "zh-CN";
        std::string assets_dir;
        std::string state_dir;
        LocalText hall_name;
    } kiosk;
    struct Display {
        int width = 1080;
        int height = 1920;
        int rotation = 0;
        bool fullscreen = true;
        double window_scale = 1.0;
        std::string renderer = "software";
    } display;
    struct Session {
        int inactivity_seconds = 60;
        int warning_seconds = 30;
    } session;
    struct Attract {
        int notice_seconds = 8;
        std::vector<LocalText> notices;
    } attract;
    struct Accessibility {
        bool elder_mode = false;
        bool voice = false;
    } accessibility;
    struct Fonts {
        std::string cjk;
        int cjk_face = 2;
        std::string fallback;
        int base_size = 34;
    } fonts;
    struct Log {
        std::string file;
        std::string level = "info";
        int max_size_mb = 5;
        int max_files = 5;
    } log;
    struct Devices {
        std::string idcard, scanner, printer, a4_printer, locker;
        std::string camera;  // a camera scanner next to the HID/serial one; "" = none
        // Hosts whose https links scanned codes may carry (the hall's, the e-ID service's).
        std::vector<std::string> hall_hosts, eid_hosts;
    } devices;
    struct Backend {
        std::string url;
        std::string ca_file, pinned_key, client_cert, client_key;
        int connect_timeout_ms = 3000;
        int total_timeout_ms = 10000;
        int heartbeat_seconds = 60;  // POST /kiosks/{id}/heartbeat; 0 = none
    } backend;
    struct ServiceMenu {       // the staff service menu (docs/service-menu.md)
        std::string gesture;   // "corner-taps" or "off"
        std::string pin_hash;  // crypto_pwhash_str of the local staff PIN; "" = no local PIN
        std::vector<std::string> staff_cards;  // hex card hashes (kiosk-staff-pin card ...)
        bool hall_login = true;                // staff ID + PIN checked by the hall
        std::string staff_id_prefix = "S";     // typed digits 001 → staff ID S001
        int max_failures = 5;                  // wrong PINs in a row before the lockout
        int lockout_seconds = 300;             // the first lockout; each next one doubles
        int max_lockout_seconds = 86400;       // ... up to this
        int alert_after_failures = 10;         // fleet alert after so many wrong tries (0 never)
        int idle_seconds = 300;  // no touch for this long in the menu → warning, then exit
        int overdue_days = 7;    // a compartment occupied longer is listed as overdue
    } service_menu;
    struct Update {           // signed updates over hawkBit DDI (docs/fleet.md "Updates")
        std::string ddi_url;  // "" = updates disabled
        std::string tenant = "DEFAULT";
        std::string controller_id;  // "" = kiosk.id
        std::string token, ca_file;
        std::vector<std::string> trusted_keys;  // "key_id:BASE64" Ed25519 public keys
        std::vector<std::string> retired_keys;  // key ids refused even if still listed
        std::string hw_revision = "rev2";
        std::string root = "/var/lib/estation-kiosk";
        std::string maintenance_window;  // "HH:MM-HH:MM" local; "" = whenever idle
        int health_timeout_seconds = 300;
        int health_boot_attempts = 3;
        int max_bundle_mb = 512;
        bool test_network =
            false;  // true = a plain http:// ddi_url is accepted (test networks only)
    } update;
    struct Fleet {           // telemetry and remote commands over MQTT (docs/fleet.md)
        std::string broker;  // mqtt://host:port or mqtts://host:port; "" = fleet disabled
        std::string name = "default";
        int heartbeat_seconds = 60;
        int will_delay_seconds = 30;
        int buffer_max_rows = 10000;
        std::string ca_file, client_cert, client_key, username, password;
        struct OperatorKey {
            std::string id, public_key;  // public_key: base64 of the 32-byte Ed25519 key
        };
        std::vector<OperatorKey> operator_keys;
    } fleet;
    struct Assist {  // staff calls (kiosk/core/assist.hpp, docs/service-menu.md "Staff calls")
        std::string hotline = "12345";  // shown when nobody can come
        std::string short_code;         // what a caller quotes to the hotline; "" = from kiosk.id
        LocalText location;             // where this kiosk stands, for the desk; empty = hall_name
        LocalText counter_hours;  // "周一至周五 8:30-17:30": when the counter can help instead
        int answer_seconds = 180;  // no acknowledgement in this time: the hotline is shown
        int poll_seconds = 5;      // how often an open call's status is asked of the hall
        // Duty hours per weekday, 0 = Sunday: "08:30-12:00,13:30-17:30"; "" = nobody on duty.
        std::vector<std::string> duty = std::vector<std::string>(7);
        std::vector<std::string> holidays;  // "YYYY-MM-DD": nobody on duty all day
        std::vector<std::string> workdays;  // "YYYY-MM-DD": make-up working days (Monday's hours)
    } assist;
};

struct ConfigError {
    enum class Kind { MissingFile, Syntax, UnknownKey, WrongType, BadValue };
    Kind kind = Kind::Syntax;
    std::string source;   // file name or "<built-in>"
    std::string key;      // dotted key, when one is to blame
    int line = 0;         // 1-based, 0 when unknown
    std::string message;  // full human message: "kiosk.toml:12: unknown key 'display.widht'"
    int exit_code() const { return kind == Kind::MissingFile ? 66 : 78; }
};

// The compiled-in default configuration (the text of config/kiosk.toml).
std::string_view default_config_text();

// Applies `text` on top of `config`. Returns an error (and leaves config partly applied) on the
// first problem found.
std::optional<ConfigError> apply_config(Config& config, std::string_view text,
                                        std::string_view source);

// Defaults, then the file at `path` if not empty.
std::optional<ConfigError> load_config(Config& config, const std::string& path);

}  // namespace kiosk
