// The hall backend simulator; see hallsim.hpp for what it implements and the fault switches.
//
// [SECTION] storage  [SECTION] faults and idempotency  [SECTION] routes  [SECTION] lifecycle
#include "hallsim.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>
#include <variant>
#include <chrono>
#include <ctime>
#include <functional>
#include <mutex>
#include <random>
#include <regex>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "core/log.hpp"
#include "core/pii.hpp"
#include "contract.hpp"
#include "pdf.hpp"
#include "seed.hpp"

namespace kiosk::hallsim {

using J = nlohmann::json;

namespace {

std::string now_iso(std::chrono::seconds offset = std::chrono::seconds{0}) {
    auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + offset);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}
std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

J T(const std::string& zh, const std::string& en) {
    return J{{"zh-CN", zh}, {"en", en}};
}

struct Reply {
    int status = 200;
    std::string body;
    std::string content_type = "application/json; charset=utf-8";
};
Reply ok(const J& j) {
    return Reply{200, j.dump(), "application/json; charset=utf-8"};
}
Reply err(int status, const char* code, const char* zh, const char* en) {
    return Reply{status, J{{"error", {{"code", code}, {"message", T(zh, en)}}}}.dump(),
                 "application/json; charset=utf-8"};
}
Reply bad(const char* en) {
    return err(400, "bad_request", "请求不正确", en);
}

// [SECTION] storage ----------------------------------------------------------------------------

class Db {
  public:
    ~Db() {
        if (db_) sqlite3_close(db_);
    }
    bool open(const std::string& path, std::string& error) {
        if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
            error = sqlite3_errmsg(db_);
            return false;
        }
        sqlite3_busy_timeout(db_, 2000);
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=NORMAL");
        return true;
    }
    bool exec(const std::string& sql) {
        return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
    }

    // Runs a statement with text/int parameters; returns the rows as JSON arrays of columns.
    using Param = std::variant<std::string, std::int64_t, std::nullptr_t>;
    std::vector<std::vector<std::string>> query(const std::string& sql,
                                                const std::vector<Param>& params = {}) {
        std::vector<std::vector<std::string>> rows;
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
            log_->error("sql prepare failed: {}", sqlite3_errmsg(db_));
            return rows;
        }
        for (std::size_t i = 0; i < params.size(); ++i) {
            int k = static_cast<int>(i + 1);
            if (auto* s = std::get_if<std::string>(&params[i]))
                sqlite3_bind_text(st, k, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
            else if (auto* n = std::get_if<std::int64_t>(&params[i]))
                sqlite3_bind_int64(st, k, *n);
            else
                sqlite3_bind_null(st, k);
        }
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            std::vector<std::string> row;
            for (int c = 0; c < sqlite3_column_count(st); ++c) {
                const void* p = sqlite3_column_blob(st, c);
                int n = sqlite3_column_bytes(st, c);
                row.emplace_back(
                    p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n))
                      : std::string{});
            }
            rows.push_back(std::move(row));
        }
        if (rc != SQLITE_DONE) log_->error("sql step failed: {}", sqlite3_errmsg(db_));
        sqlite3_finalize(st);
        return rows;
    }
    std::int64_t last_id() const { return sqlite3_last_insert_rowid(db_); }

  private:
    sqlite3* db_ = nullptr;
    std::shared_ptr<spdlog::logger> log_ = kiosk::log::get("hall-sim");
};

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE IF NOT EXISTS idem(k TEXT PRIMARY KEY, body_hash TEXT, status INTEGER, reply TEXT);
CREATE TABLE IF NOT EXISTS events(n INTEGER PRIMARY KEY AUTOINCREMENT, kiosk_id TEXT, seq INTEGER,
  kind TEXT, payload TEXT, idem TEXT, at TEXT);
CREATE TABLE IF NOT EXISTS pickups(pickup_id TEXT PRIMARY KEY, holder TEXT, code TEXT, qr TEXT,
  title_zh TEXT, title_en TEXT, cabinet TEXT, door INTEGER, status TEXT, deposited_at TEXT,
  auth TEXT, completed_at TEXT, application_id TEXT);
CREATE TABLE IF NOT EXISTS applications(application_id TEXT PRIMARY KEY, holder TEXT, doc TEXT);
CREATE TABLE IF NOT EXISTS orders(order_id TEXT PRIMARY KEY, notice TEXT, holder TEXT, title_zh TEXT,
  title_en TEXT, amount INTEGER, status TEXT, paid_at TEXT, qr_ms INTEGER);
CREATE TABLE IF NOT EXISTS tickets(n INTEGER PRIMARY KEY AUTOINCREMENT, service_id TEXT, state TEXT);
CREATE TABLE IF NOT EXISTS evaluations(transaction_id TEXT PRIMARY KEY, level INTEGER, doc TEXT);
CREATE TABLE IF NOT EXISTS complaints(n INTEGER PRIMARY KEY AUTOINCREMENT, doc TEXT);
CREATE TABLE IF NOT EXISTS proofs(n INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT, application_id TEXT, pdf BLOB);
CREATE TABLE IF NOT EXISTS staff(staff_id TEXT PRIMARY KEY, pin TEXT, name TEXT, roles TEXT);
CREATE TABLE IF NOT EXISTS sessions(token TEXT PRIMARY KEY, staff_id TEXT, roles TEXT, expires_ms INTEGER);
CREATE TABLE IF NOT EXISTS audit(n INTEGER PRIMARY KEY AUTOINCREMENT, doc TEXT);
CREATE TABLE IF NOT EXISTS assist(call_id TEXT PRIMARY KEY, kiosk_id TEXT, reason TEXT, scene TEXT,
  location TEXT, after_hours INTEGER, state TEXT, eta INTEGER, note TEXT, created TEXT, updated TEXT);
CREATE TABLE IF NOT EXISTS kiosks(kiosk_id TEXT PRIMARY KEY, version TEXT, state TEXT, outbox_depth INTEGER, seen TEXT);
)sql";

std::string masked_name_of(const std::string& holder) {
    for (const auto& p : seed::people())
        if (p.id_number == holder) return p.name_masked;
    return "*";
}

}  // namespace

// [SECTION] faults and idempotency -------------------------------------------------------------

struct HallSim::Impl {
    Options options;
    Db db;
    bool db_open = false;
    mutable std::mutex db_mutex;  // one connection shared by the server's worker threads
    mutable std::mutex fault_mutex;
    Faults faults;
    std::mt19937_64 rng{20261126};
    std::atomic<std::int64_t> requests{0};
    // Strict contract mode (hallsim.hpp): the checker and what it counted.
    const contract::Contract* contract = nullptr;
    std::atomic<std::int64_t> checked_requests{0}, checked_responses{0}, violations{0};
    std::atomic<int> desk{-1};  // the desk: 1 on duty, 0 nobody, -1 by desk_hours
    std::unique_ptr<httplib::Server> server;
    std::thread thread;
    int bound_port = 0;
    std::string error;
    J catalog = seed::catalog();
    std::vector<J> guides = seed::guides();
    std::shared_ptr<spdlog::logger> log = kiosk::log::get("hall-sim");

    bool open_db() {
        if (db_open) return true;
        if (!db.open(options.db, error)) return false;
        db.exec(kSchema);
        if (db.query("SELECT v FROM meta WHERE k='seeded'").empty()) seed_db();
        db_open = true;
        return true;
    }

    void seed_db() {
        db.exec("BEGIN");
        for (const auto& c : seed::certificates())
            db.query("INSERT INTO pickups VALUES(?,?,?,?,?,?,?,?,?,?,NULL,NULL,?)",
                     {c.pickup_id, c.holder_id_number, c.code, c.qr_token, c.title_zh, c.title_en,
                      c.cabinet, std::int64_t{c.door}, c.status,
                      std::string("2026-11-11T08:50:00Z"), c.application_id});
        for (const auto& a : seed::applications()) {
            J doc = a;
            std::string holder = doc["holder"];
            doc.erase("holder");
            db.query("INSERT INTO applications VALUES(?,?,?)",
                     {doc["application_id"].get<std::string>(), holder, doc.dump()});
        }
        for (const auto& n : seed::notices())
            db.query("INSERT INTO orders VALUES(?,?,?,?,?,?,'unpaid',NULL,NULL)",
                     {n.order_id, n.notice_number, n.holder_id_number, n.title_zh, n.title_en,
                      std::int64_t{n.amount_fen}});
        for (const auto& s : seed::staff())
            db.query("INSERT INTO staff VALUES(?,?,?,?)",
                     {s.staff_id, s.pin, s.name_masked, J(s.roles).dump()});
        db.query("INSERT INTO meta VALUES('seeded','1')");
        db.exec("COMMIT");
    }

    double roll() {
        std::lock_guard lock(fault_mutex);
        return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    }
    bool take_fail_next() {
        std::lock_guard lock(fault_mutex);
        if (faults.fail_next <= 0) return false;
        --faults.fail_next;
        return true;
    }
    Faults current_faults() const {
        std::lock_guard lock(fault_mutex);
        return faults;
    }

    using Handler = std::function<Reply(const httplib::Request&, const J& body)>;

    // Every /api/v1 route passes here: faults, JSON body parsing, idempotency, then the handler.
    void serve(const httplib::Request& req, httplib::Response& res, bool mutating,
               const Handler& fn) {
        ++requests;
        Faults f = current_faults();
        if (contract) {
            auto v = contract->check_request(req.method, api_path(req), header_of(req), req.body);
            ++checked_requests;
            if (!v.empty()) {
                violation("request", req, v);
                send(req, res,
                     err(400, "contract_violation", "请求不符合接口约定",
                         "the request breaks the hall contract"),
                     f);
                return;
            }
        }
        if (f.latency_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(f.latency_ms));
        if (take_fail_next()) {
            send(req, res,
                 f.fail_status >= 500
                     ? err(f.fail_status, "unavailable", "服务暂不可用", "unavailable (simulated)")
                     : err(f.fail_status, "rejected", "请求被拒绝", "rejected (simulated)"),
                 f);
            return;
        }
        if (f.error_rate > 0 && roll() < f.error_rate) {
            send(req, res,
                 err(503, "unavailable", "服务暂不可用", "service unavailable (simulated)"), f);
            return;
        }
        J body = J::object();
        if (req.method == "POST" && !req.body.empty()) {
            body = J::parse(req.body, nullptr, false);
            if (body.is_discarded() || !body.is_object()) {
                send(req, res, bad("body is not a JSON object"), f);
                return;
            }
        }
        Reply reply;
        if (mutating) {
            std::string key = req.get_header_value("Idempotency-Key");
            if (key.empty() || key.size() > 128) {
                send(req, res, bad("Idempotency-Key header required"), f);
                return;
            }
            std::string k = key + "|" + req.path;
            std::string hash = std::to_string(std::hash<std::string>{}(req.body));
            std::unique_lock lock(db_mutex);
            auto rows = db.query("SELECT body_hash, status, reply FROM idem WHERE k=?", {k});
            if (!rows.empty()) {
                if (rows[0][0] != hash) {
                    reply = err(422, "idempotency_mismatch", "重复的请求标识",
                                "Idempotency-Key reused with another body");
                } else {
                    reply =
                        Reply{std::stoi(rows[0][1]), rows[0][2], "application/json; charset=utf-8"};
                    if (req.path.find("/events") != std::string::npos && reply.status == 200) {
                        J j = J::parse(reply.body, nullptr, false);
                        if (j.is_object()) j["duplicate"] = true;
                        reply.body = j.dump();
                    }
                }
            } else {
                reply = fn(req, body);
                if (reply.status < 500)
                    db.query("INSERT INTO idem VALUES(?,?,?,?)",
                             {k, hash, std::int64_t{reply.status}, reply.body});
            }
        } else {
            std::unique_lock lock(db_mutex);
            reply = fn(req, body);
        }
        send(req, res, reply, f);
    }

    static std::string api_path(const httplib::Request& req) {
        static const std::string v1 = "/api/v1";
        return req.path.rfind(v1, 0) == 0 ? req.path.substr(v1.size()) : req.path;
    }
    static contract::HeaderFn header_of(const httplib::Request& req) {
        return [&req](const std::string& name) -> std::optional<std::string> {
            if (!req.has_header(name)) return std::nullopt;
            return req.get_header_value(name);
        };
    }
    void violation(const char* what, const httplib::Request& req,
                   const std::vector<contract::Violation>& v) {
        ++violations;
        log->error("contract violation ({} {} {}): {}", what, req.method, req.path,
                   contract::describe(v, 5));
    }

    // The response as the contract allows it (strict mode), then the transport faults.
    void send(const httplib::Request& req, httplib::Response& res, Reply reply, const Faults& f) {
        if (contract) {
            auto v = contract->check_response(req.method, api_path(req), reply.status,
                                              reply.content_type, reply.body);
            ++checked_responses;
            if (!v.empty()) {
                violation("response", req, v);
                reply = err(500, "contract_violation", "应答不符合接口约定",
                            "the simulator's answer breaks the hall contract");
            }
        }
        send(res, std::move(reply), f);
    }
    void send(httplib::Response& res, Reply reply, const Faults& f) {
        res.status = reply.status;
        bool json = reply.content_type.rfind("application/json", 0) == 0;
        if (f.reset_rate > 0 && roll() < f.reset_rate) {
            // Headers promise a body that never comes: the connection closes under the client.
            auto size = reply.body.size();
            res.set_content_provider(
                size, reply.content_type,
                [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
            return;
        }
        if (f.truncate_rate > 0 && roll() < f.truncate_rate) {
            auto body = std::make_shared<std::string>(std::move(reply.body));
            res.set_content_provider(
                body->size(), reply.content_type,
                [body](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                    if (offset == 0) sink.write(body->data(), body->size() / 2);
                    return false;
                });
            return;
        }
        if (json && f.malformed_rate > 0 && roll() < f.malformed_rate)
            reply.body = reply.body.substr(0, reply.body.size() / 2) + "\x01";
        else if (json && f.oversize_rate > 0 && roll() < f.oversize_rate)
            reply.body += std::string(1100 * 1024, ' ');
        res.set_content(reply.body, reply.content_type);
    }

    // [SECTION] routes -------------------------------------------------------------------------

    J pickup_json(const std::vector<std::string>& r) {
        return J{
            {"pickup_id", r[0]},      {"holder", masked_name_of(r[1])},
            {"title", T(r[4], r[5])}, {"locker", {{"cabinet", r[6]}, {"door", std::stoi(r[7])}}},
            {"status", r[8]},         {"deposited_at", r[9]}};
    }
    J order_json(const std::vector<std::string>& r) {
        J o{{"order_id", r[0]},       {"notice_number", r[1]},
            {"title", T(r[3], r[4])}, {"amount_fen", std::stoll(r[5])},
            {"currency", "CNY"},      {"status", r[6]}};
        if (!r[7].empty()) o["paid_at"] = r[7];
        return o;
    }
    static constexpr const char* kOrderCols =
        "order_id, notice, holder, title_zh, title_en, amount, status, paid_at, qr_ms";
    std::vector<std::vector<std::string>> orders_where(const std::string& where,
                                                       const std::string& v) {
        // The simulated payer with auto-pay: orders shown as QR long enough become paid.
        if (options.auto_pay_ms >= 0)
            db.query(
                "UPDATE orders SET status='paid', paid_at=? WHERE status='pending' AND qr_ms <= ?",
                {now_iso(), now_ms() - options.auto_pay_ms});
        return db.query(std::string("SELECT ") + kOrderCols + " FROM orders WHERE " + where, {v});
    }
    std::string staff_role_check(const httplib::Request& req, const char* role) {
        std::string auth = req.get_header_value("Authorization");
        if (auth.rfind("Bearer ", 0) != 0) return "missing";
        auto rows =
            db.query("SELECT roles, expires_ms FROM sessions WHERE token=?", {auth.substr(7)});
        if (rows.empty() || std::stoll(rows[0][1]) < now_ms()) return "invalid";
        if (rows[0][0].find(role) == std::string::npos) return "forbidden";
        return {};
    }
    static std::string str(const J& b, const char* k) {
        auto it = b.find(k);
        return it != b.end() && it->is_string() ? it->get<std::string>() : std::string{};
    }

    void routes(httplib::Server& s) {
        auto get = [&](const std::string& pattern, Handler fn) {
            s.Get(pattern, [this, fn](const httplib::Request& q, httplib::Response& r) {
                serve(q, r, false, fn);
            });
        };
        // Lookups use POST to keep personal data out of URLs but change nothing: no key needed.
        auto lookup = [&](const std::string& pattern, Handler fn) {
            s.Post(pattern, [this, fn](const httplib::Request& q, httplib::Response& r) {
                serve(q, r, false, fn);
            });
        };
        auto post = [&](const std::string& pattern, Handler fn) {
            s.Post(pattern, [this, fn](const httplib::Request& q, httplib::Response& r) {
                serve(q, r, true, fn);
            });
        };
        const std::string v1 = "/api/v1";
        const std::string id = "([A-Za-z0-9._:-]{1,64})";

        post(v1 + "/kiosks/register", [this](const httplib::Request&, const J& b) {
            std::string kid = str(b, "kiosk_id");
            if (kid.empty()) return bad("kiosk_id required");
            db.query("INSERT OR REPLACE INTO kiosks VALUES(?,?,'registered',0,?)",
                     {kid, str(b, "version"), now_iso()});
            return ok({{"kiosk_id", kid},
                       {"heartbeat_interval_s", 30},
                       {"server_time", now_iso()},
                       {"site_name", T("岳阳市政务服务中心 政务e站",
                                       "Yueyang Government Service Centre e-station")}});
        });
        post(v1 + "/kiosks/" + id + "/heartbeat", [this](const httplib::Request& q, const J& b) {
            auto depth = b.value("outbox_depth", 0);
            db.query("UPDATE kiosks SET state=?, outbox_depth=?, seen=? WHERE kiosk_id=?",
                     {str(b, "state"), std::int64_t{depth}, now_iso(), q.matches[1].str()});
            return ok({{"server_time", now_iso()},
                       {"catalog_version", catalog["version"]},
                       {"commands", J::array()}});
        });
        post(v1 + "/kiosks/" + id + "/events", [this](const httplib::Request& q, const J& b) {
            auto seq = b.find("seq");
            auto payload = b.find("payload");
            if (seq == b.end() || !seq->is_number_integer() || str(b, "kind").empty() ||
                payload == b.end() || !payload->is_object())
                return bad("seq, kind and payload required");
            std::string kind = str(b, "kind");
            db.query(
                "INSERT INTO events(kiosk_id, seq, kind, payload, idem, at) VALUES(?,?,?,?,?,?)",
                {q.matches[1].str(), seq->get<std::int64_t>(), kind, payload->dump(),
                 q.get_header_value("Idempotency-Key"), now_iso()});
            std::int64_t n = db.last_id();
            if (kind == "pickup.completed") {
                std::string pid = str(*payload, "pickup_id");
                db.query(
                    "UPDATE pickups SET status='collected', completed_at=COALESCE(completed_at, ?) "
                    "WHERE pickup_id=?",
                    {now_iso(), pid});
            }
            return ok({{"event_id", "EV" + std::to_string(n)}, {"duplicate", false}});
        });

        get(v1 + "/catalog", [this](const httplib::Request&, const J&) { return ok(catalog); });
        get(v1 + "/guides", [this](const httplib::Request&, const J&) {
            J list = J::array();
            for (const auto& g : guides)
                list.push_back({{"id", g["id"]},
                                {"title", g["title"]},
                                {"departments", g["departments"].size()}});
            return ok({{"guides", list}});
        });
        get(v1 + "/guides/" + id, [this](const httplib::Request& q, const J&) {
            for (const auto& g : guides)
                if (g["id"] == q.matches[1].str()) return ok(g);
            return err(404, "not_found", "未找到该指南", "no such guide");
        });

        lookup(v1 + "/pickups/lookup", [this](const httplib::Request&, const J& b) {
            std::string by = str(b, "by"), value = str(b, "value");
            const char* where = by == "code" ? "code=?"
                                : by == "qr" ? "qr=?"
                                : by == "id_number"
                                    ? "holder=? AND status IN ('waiting','authorized')"
                                    : nullptr;
            if (!where || value.empty())
                return bad("by must be code, qr or id_number; value required");
            J list = J::array();
            for (const auto& r : db.query(
                     std::string("SELECT * FROM pickups WHERE ") + where + " ORDER BY pickup_id",
                     {value}))
                list.push_back(pickup_json(r));
            return ok({{"pickups", list}});
        });
        post(v1 + "/pickups/" + id + "/authorize", [this](const httplib::Request& q, const J& b) {
            auto rows = db.query("SELECT * FROM pickups WHERE pickup_id=?", {q.matches[1].str()});
            if (rows.empty()) return err(404, "not_found", "未找到该证件", "no such pickup");
            if (rows[0][8] == "collected")
                return err(409, "already_collected", "该证件已取走", "already collected");
            std::string auth = "AUTH-" + rows[0][0] + "-" + std::to_string(now_ms() % 100000000);
            db.query("UPDATE pickups SET status='authorized', auth=? WHERE pickup_id=?",
                     {auth, rows[0][0]});
            (void)b;
            return ok({{"authorization_id", auth},
                       {"pickup_id", rows[0][0]},
                       {"locker", {{"cabinet", rows[0][6]}, {"door", std::stoi(rows[0][7])}}},
                       {"expires_at", now_iso(std::chrono::seconds{300})}});
        });
        post(v1 + "/pickups/" + id + "/complete", [this](const httplib::Request& q, const J& b) {
            auto rows = db.query("SELECT * FROM pickups WHERE pickup_id=?", {q.matches[1].str()});
            if (rows.empty()) return err(404, "not_found", "未找到该证件", "no such pickup");
            std::string auth = str(b, "authorization_id");
            if (auth.empty() || auth != rows[0][10])
                return err(409, "not_authorized", "未授权取件", "no matching authorization");
            // Idempotent: completing twice under the same authorisation answers the same.
            if (rows[0][8] != "collected")
                db.query("UPDATE pickups SET status='collected', completed_at=? WHERE pickup_id=?",
                         {now_iso(), rows[0][0]});
            auto done =
                db.query("SELECT completed_at FROM pickups WHERE pickup_id=?", {rows[0][0]});
            return ok(
                {{"pickup_id", rows[0][0]}, {"status", "collected"}, {"completed_at", done[0][0]}});
        });
        post(v1 + "/deposits", [this](const httplib::Request& q, const J& b) {
            std::string why = staff_role_check(q, "deposit");
            if (why == "forbidden") return err(403, "forbidden", "无存件权限", "no deposit role");
            if (!why.empty()) return err(401, "unauthorized", "请先登录", "staff login required");
            std::string app = str(b, "application_id");
            auto apps =
                db.query("SELECT holder, doc FROM applications WHERE application_id=?", {app});
            if (apps.empty()) return err(404, "not_found", "未找到该办件", "no such application");
            auto locker = b.find("locker");
            if (locker == b.end() || !locker->is_object() || !(*locker)["door"].is_number_integer())
                return bad("locker required");
            std::string cabinet = str(*locker, "cabinet");
            int door = (*locker)["door"].get<int>();
            J doc = J::parse(apps[0][1]);
            auto n = db.query("SELECT COUNT(*) FROM pickups")[0][0];
            std::string pid = "PK" + std::to_string(2000 + std::stoi(n));
            std::string code = std::to_string(100000 + (now_ms() * 7919) % 900000);
            db.query("INSERT INTO pickups VALUES(?,?,?,?,?,?,?,?,'waiting',?,NULL,NULL,?)",
                     {pid, apps[0][0], code, "QRT-" + pid, doc["title"]["zh-CN"].get<std::string>(),
                      doc["title"]["en"].get<std::string>(), cabinet, std::int64_t{door}, now_iso(),
                      app});
            return ok({{"pickup_id", pid},
                       {"locker", {{"cabinet", cabinet}, {"door", door}}},
                       {"notified", true}});
        });

        lookup(v1 + "/applications/lookup", [this](const httplib::Request&, const J& b) {
            J list = J::array();
            for (const auto& r :
                 db.query("SELECT doc FROM applications WHERE holder=? ORDER BY application_id",
                          {str(b, "id_number")}))
                list.push_back(J::parse(r[0]));
            return ok({{"applications", list}});
        });
        get(v1 + "/applications/" + id, [this](const httplib::Request& q, const J&) {
            auto r = db.query("SELECT doc FROM applications WHERE application_id=?",
                              {q.matches[1].str()});
            if (r.empty()) return err(404, "not_found", "未找到该办件", "no such application");
            return ok(J::parse(r[0][0]));
        });

        auto ticket_json = [this](const std::string& n) -> Reply {
            auto r = db.query("SELECT n, service_id, state FROM tickets WHERE n=?",
                              {std::int64_t{std::stoll(n)}});
            if (r.empty()) return err(404, "not_found", "未找到该号", "no such ticket");
            auto ahead = db.query(
                "SELECT COUNT(*) FROM tickets WHERE service_id=? AND state='waiting' AND n<?",
                {r[0][1], std::int64_t{std::stoll(n)}});
            int waiting = 2 + std::stoi(ahead[0][0]);  // the hall already has people waiting
            char number[16];
            std::snprintf(number, sizeof number, "A%03lld", std::stoll(n) % 1000);
            return ok({{"ticket_id", "T" + r[0][0]},
                       {"number", number},
                       {"service_id", r[0][1]},
                       {"waiting_ahead", waiting},
                       {"estimated_wait_min", waiting * 4},
                       {"state", r[0][2]}});
        };
        post(v1 + "/queue/tickets", [this, ticket_json](const httplib::Request&, const J& b) {
            std::string sid = str(b, "service_id");
            bool known = false;
            for (const auto& s : catalog["services"]) known = known || s["id"] == sid;
            if (!known) return err(404, "not_found", "未找到该服务", "no such service");
            db.query("INSERT INTO tickets(service_id, state) VALUES(?, 'waiting')", {sid});
            return ticket_json(std::to_string(db.last_id()));
        });
        get(v1 + "/queue/tickets/T([0-9]{1,9})",
            [ticket_json](const httplib::Request& q, const J&) {
                return ticket_json(q.matches[1].str());
            });

        post(v1 + "/payments/orders", [this](const httplib::Request&, const J& b) {
            auto r = orders_where("notice=?", str(b, "notice_number"));
            if (r.empty())
                return err(404, "not_found", "未找到该缴款通知书", "no such payment notice");
            return ok(order_json(r[0]));
        });
        lookup(v1 + "/payments/lookup", [this](const httplib::Request&, const J& b) {
            std::string by = str(b, "by");
            if (by != "notice_number" && by != "id_number")
                return bad("by must be notice_number or id_number");
            J list = J::array();
            for (const auto& r :
                 orders_where(by == "notice_number" ? "notice=?" : "holder=?", str(b, "value")))
                list.push_back(order_json(r));
            return ok({{"orders", list}});
        });
        get(v1 + "/payments/orders/" + id, [this](const httplib::Request& q, const J&) {
            auto r = orders_where("order_id=?", q.matches[1].str());
            if (r.empty()) return err(404, "not_found", "未找到该订单", "no such order");
            return ok(order_json(r[0]));
        });
        post(v1 + "/payments/orders/" + id + "/qr", [this](const httplib::Request& q, const J&) {
            auto r = orders_where("order_id=?", q.matches[1].str());
            if (r.empty()) return err(404, "not_found", "未找到该订单", "no such order");
            if (r[0][6] == "paid") return err(409, "already_paid", "该订单已缴费", "already paid");
            db.query("UPDATE orders SET status='pending', qr_ms=? WHERE order_id=?",
                     {now_ms(), r[0][0]});
            return ok({{"order_id", r[0][0]},
                       {"qr_payload", "https://pay.hall.example.gov.cn/qr/" + r[0][0]},
                       {"expires_at", now_iso(std::chrono::seconds{900})}});
        });

        post(v1 + "/proofs", [this](const httplib::Request&, const J& b) {
            std::string app = str(b, "application_id"), kind = str(b, "kind");
            if (kind != "acceptance_receipt" && kind != "completion_certificate" &&
                kind != "payment_receipt")
                return bad("unknown proof kind");
            auto a = db.query("SELECT doc FROM applications WHERE application_id=?", {app});
            if (a.empty()) return err(404, "not_found", "未找到该办件", "no such application");
            J doc = J::parse(a[0][0]);
            const std::string kind_zh = kind == "acceptance_receipt"       ? "受理回执"
                                        : kind == "completion_certificate" ? "办结证明"
                                                                           : "缴费凭证";
            std::string pdf =
                make_pdf({"岳阳市政务服务中心 24小时政务e站 · " + kind_zh,
                          "Yueyang Government Service Centre - 24h e-station - Proof: " + kind,
                          "办件编号 Application: " + app,
                          "事项 Subject: " + doc["title"]["zh-CN"].get<std::string>() + " / " +
                              doc["title"]["en"].get<std::string>(),
                          "状态 State: " + doc["state"].get<std::string>(),
                          "出具时间 Issued: " + now_iso()});
            if (pdf.empty()) return err(500, "internal", "证明生成失败", "proof not made");
            db.query("INSERT INTO proofs(kind, application_id, pdf) VALUES(?,?,?)",
                     {kind, app, pdf});
            return ok({{"proof_id", "PR" + std::to_string(db.last_id())},
                       {"title", T("办件证明", "Application proof")},
                       {"pages", 1},
                       {"bytes", pdf.size()}});
        });
        get(v1 + "/proofs/PR([0-9]{1,9})/pdf", [this](const httplib::Request& q, const J&) {
            auto r = db.query("SELECT pdf FROM proofs WHERE n=?",
                              {std::int64_t{std::stoll(q.matches[1].str())}});
            if (r.empty()) return err(404, "not_found", "未找到该证明", "no such proof");
            return Reply{200, r[0][0], "application/pdf"};
        });

        post(v1 + "/evaluations", [this](const httplib::Request&, const J& b) {
            std::string tx = str(b, "transaction_id");
            auto level = b.find("level");
            if (tx.empty() || level == b.end() || !level->is_number_integer() || *level < 1 ||
                *level > 5)
                return bad("transaction_id and level 1..5 required");
            auto reasons = b.find("reasons");
            if (*level >= 4 && (reasons == b.end() || !reasons->is_array() || reasons->empty()))
                return err(422, "reason_required", "差评请选择原因", "a bad rating needs a reason");
            if (!db.query("SELECT 1 FROM evaluations WHERE transaction_id=?", {tx}).empty())
                return err(409, "already_rated", "该办件已评价",
                           "this transaction was already rated");
            db.query("INSERT INTO evaluations VALUES(?,?,?)",
                     {tx, level->get<std::int64_t>(), b.dump()});
            return ok({{"id", "EVAL-" + tx}});
        });
        post(v1 + "/complaints", [this](const httplib::Request&, const J& b) {
            if (str(b, "text").empty()) return bad("text required");
            db.query("INSERT INTO complaints(doc) VALUES(?)", {b.dump()});
            // "125": an ordinary matter is answered within 2 days.
            return ok({{"id", "CMP" + std::to_string(db.last_id())},
                       {"due", now_iso(std::chrono::hours{48})}});
        });
        post(v1 + "/staff/login", [this](const httplib::Request&, const J& b) {
            auto r = db.query("SELECT pin, name, roles FROM staff WHERE staff_id=?",
                              {str(b, "staff_id")});
            if (r.empty() || r[0][0] != str(b, "pin"))
                return err(401, "unauthorized", "工号或密码错误", "wrong staff id or PIN");
            std::random_device rd;
            char token[40];
            std::snprintf(token, sizeof token, "%08x%08x%08x%08x", rd(), rd(), rd(), rd());
            auto expires = now_ms() + 30 * 60 * 1000;
            db.query("INSERT INTO sessions VALUES(?,?,?,?)",
                     {std::string(token), str(b, "staff_id"), r[0][2], std::int64_t{expires}});
            return ok({{"token", token},
                       {"staff_id", str(b, "staff_id")},
                       {"name", r[0][1]},
                       {"roles", J::parse(r[0][2])},
                       {"expires_at", now_iso(std::chrono::minutes{30})}});
        });
        post(v1 + "/audit", [this](const httplib::Request&, const J& b) {
            auto ev = b.find("events");
            if (ev == b.end() || !ev->is_array() || ev->empty()) return bad("events required");
            for (const auto& e : *ev) db.query("INSERT INTO audit(doc) VALUES(?)", {e.dump()});
            return ok({{"id", "AUD" + std::to_string(db.last_id())}});
        });

        // Staff calls (the kiosk creates, asks, cancels, resolves; the desk lists and answers).
        post(v1 + "/assist/calls", [this](const httplib::Request& q, const J& b) {
            const std::string call = str(b, "call_id"), kiosk = str(b, "kiosk_id");
            const std::string reason = str(b, "reason"), scene = str(b, "scene");
            if (!valid_id(call) || !valid_id(kiosk) || !valid_code(reason) || !valid_code(scene))
                return bad("call_id, kiosk_id, reason and scene required");
            if (auto h = q.get_header_value("X-Kiosk-Id"); !h.empty() && h != kiosk)
                return err(403, "forbidden", "机器编号不符", "X-Kiosk-Id differs from kiosk_id");
            auto ah = b.find("after_hours");
            db.query("INSERT OR IGNORE INTO assist VALUES(?,?,?,?,?,?,'open',-1,'',?,?)",
                     {call, kiosk, reason, scene, str(b, "location").substr(0, 200),
                      std::int64_t{ah != b.end() && ah->is_boolean() && ah->get<bool>()}, now_iso(),
                      now_iso()});
            return assist_reply(call);
        });
        get(v1 + "/assist/calls/" + id, [this](const httplib::Request& q, const J&) {
            return assist_reply(q.matches[1].str());
        });
        get(v1 + "/assist/calls", [this](const httplib::Request& q, const J&) {
            if (auto e = staff_role_check(q, "desk"); !e.empty()) return desk_refusal(e);
            J list = J::array();
            for (const auto& r :
                 db.query("SELECT call_id FROM assist ORDER BY created DESC, call_id "
                          "DESC LIMIT 200",
                          {}))
                list.push_back(assist_json(r[0]));
            return ok({{"calls", list}});
        });
        post(v1 + "/assist/calls/" + id + "/acknowledge",
             [this](const httplib::Request& q, const J& b) {
                 if (auto e = staff_role_check(q, "desk"); !e.empty()) return desk_refusal(e);
                 auto eta = b.find("eta_minutes");
                 if (eta == b.end() || !eta->is_number_integer() || *eta < 0 || *eta > 240)
                     return bad("eta_minutes 0..240 required");
                 return assist_move(q.matches[1].str(), "acknowledged", eta->get<int>(), "desk");
             });
        post(v1 + "/assist/calls/" + id + "/cancel", [this](const httplib::Request& q, const J& b) {
            if (!valid_code(str(b, "reason"))) return bad("reason required");
            return assist_move(q.matches[1].str(), "cancelled", -1, str(b, "reason"));
        });
        post(v1 + "/assist/calls/" + id + "/resolve",
             [this](const httplib::Request& q, const J& b) {
                 if (!valid_id(str(b, "by"))) return bad("by required");
                 return assist_move(q.matches[1].str(), "resolved", -1, str(b, "by"));
             });

        // Admin (not part of the contract).
        s.Post("/sim/desk", [this](const httplib::Request& q, httplib::Response& r) {
            J b = J::parse(q.body, nullptr, false);
            if (!b.is_object() || !b.contains("staffed")) {
                r.status = 400;
                return;
            }
            const J& v = b["staffed"];
            desk = v.is_boolean() ? (v.get<bool>() ? 1 : 0) : -1;
            r.set_content("{}", "application/json");
        });
        s.Get("/sim/faults", [this](const httplib::Request&, httplib::Response& r) {
            Faults f = current_faults();
            r.set_content(J{{"latency_ms", f.latency_ms},
                            {"error_rate", f.error_rate},
                            {"reset_rate", f.reset_rate},
                            {"truncate_rate", f.truncate_rate},
                            {"malformed_rate", f.malformed_rate},
                            {"oversize_rate", f.oversize_rate},
                            {"fail_next", f.fail_next},
                            {"fail_status", f.fail_status}}
                              .dump(),
                          "application/json");
        });
        s.Post("/sim/faults", [this](const httplib::Request& q, httplib::Response& r) {
            J b = J::parse(q.body, nullptr, false);
            if (!b.is_object()) {
                r.status = 400;
                return;
            }
            Faults f = current_faults();
            try {
                f.latency_ms = b.value("latency_ms", f.latency_ms);
                f.fail_next = b.value("fail_next", f.fail_next);
                f.fail_status = b.value("fail_status", f.fail_status);
                f.error_rate = b.value("error_rate", f.error_rate);
                f.reset_rate = b.value("reset_rate", f.reset_rate);
                f.truncate_rate = b.value("truncate_rate", f.truncate_rate);
                f.malformed_rate = b.value("malformed_rate", f.malformed_rate);
                f.oversize_rate = b.value("oversize_rate", f.oversize_rate);
            } catch (const std::exception&) {
                r.status = 400;
                return;
            }
            if (f.fail_status < 400 || f.fail_status > 599) {
                r.status = 400;
                return;
            }
            std::lock_guard lock(fault_mutex);
            faults = f;
            r.set_content("{}", "application/json");
        });
        s.Post("/sim/pay/" + id, [this](const httplib::Request& q, httplib::Response& r) {
            std::lock_guard lock(db_mutex);
            r.status = pay_locked(q.matches[1].str()) ? 200 : 404;
            r.set_content("{}", "application/json");
        });
        s.Get("/sim/events", [this](const httplib::Request&, httplib::Response& r) {
            J list = J::array();
            for (const auto& e : arrived())
                list.push_back({{"kiosk_id", e.kiosk_id}, {"seq", e.seq}, {"kind", e.kind}});
            r.set_content(J{{"events", list}}.dump(), "application/json");
        });
        s.Get("/sim/stats", [this](const httplib::Request&, httplib::Response& r) {
            r.set_content(J{{"requests", requests.load()},
                            {"events", arrived().size()},
                            {"contract",
                             {{"strict", contract != nullptr},
                              {"requests", checked_requests.load()},
                              {"responses", checked_responses.load()},
                              {"violations", violations.load()}}}}
                              .dump(),
                          "application/json");
        });
    }

    // [SECTION] staff calls

    static bool valid_code(const std::string& c) {
        if (c.empty() || c.size() > 48) return false;
        for (char ch : c)
            if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_'))
                return false;
        return true;
    }
    static bool valid_id(const std::string& c) {
        if (c.empty() || c.size() > 64) return false;
        for (char ch : c)
            if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '_' &&
                ch != ':' && ch != '-')
                return false;
        return true;
    }
    // Is the desk on duty now? The run-time switch first, then the configured hours.
    bool desk_staffed() const {
        if (desk >= 0) return desk == 1;
        if (options.desk_hours.empty()) return true;
        int h1 = 0, m1 = 0, h2 = 0, m2 = 0;
        if (std::sscanf(options.desk_hours.c_str(), "%d:%d-%d:%d", &h1, &m1, &h2, &m2) != 4)
            return true;
        const std::time_t t = std::time(nullptr);
        std::tm tm{};
        localtime_r(&t, &tm);
        const char day = static_cast<char>('0' + tm.tm_wday);
        const bool today = options.desk_days.find(day) != std::string::npos ||
                           (tm.tm_wday == 0 && options.desk_days.find('7') != std::string::npos);
        const int now = tm.tm_hour * 60 + tm.tm_min;
        return today && now >= h1 * 60 + m1 && now < h2 * 60 + m2;
    }
    J assist_json(const std::string& call) {
        auto r = db.query(
            "SELECT call_id, kiosk_id, reason, state, eta, updated FROM assist WHERE call_id=?",
            {call});
        if (r.empty()) return J();
        J j{{"call_id", r[0][0]}, {"kiosk_id", r[0][1]},       {"reason", r[0][2]},
            {"state", r[0][3]},   {"staffed", desk_staffed()}, {"updated_at", r[0][5]}};
        if (r[0][3] == "acknowledged" && std::stoi(r[0][4]) >= 0)
            j["eta_minutes"] = std::stoi(r[0][4]);
        return j;
    }
    Reply assist_reply(const std::string& call) {
        J j = assist_json(call);
        if (j.is_null()) return err(404, "not_found", "未找到该呼叫", "no such staff call");
        return ok(j);
    }
    static Reply desk_refusal(const std::string& why) {
        return why == "forbidden" ? err(403, "forbidden", "无权处理呼叫", "not a desk login")
                                  : err(401, "unauthorized", "请先登录", "desk login required");
    }
    // open → acknowledged → resolved; open/acknowledged → cancelled. A finished call stays so.
    Reply assist_move(const std::string& call, const std::string& to, int eta,
                      const std::string& note) {
        auto r = db.query("SELECT state FROM assist WHERE call_id=?", {call});
        if (r.empty()) return err(404, "not_found", "未找到该呼叫", "no such staff call");
        const std::string& from = r[0][0];
        if (from == to) return assist_reply(call);
        if (from == "cancelled" || from == "resolved")
            return err(409, "call_closed", "该呼叫已结束", "the staff call is already closed");
        db.query("UPDATE assist SET state=?, eta=?, note=?, updated=? WHERE call_id=?",
                 {to, std::int64_t{to == "acknowledged" ? eta : -1}, note, now_iso(), call});
        return assist_reply(call);
    }

    bool pay_locked(const std::string& order_id) {
        auto r = db.query("SELECT status FROM orders WHERE order_id=?", {order_id});
        if (r.empty()) return false;
        db.query("UPDATE orders SET status='paid', paid_at=COALESCE(paid_at, ?) WHERE order_id=?",
                 {now_iso(), order_id});
        return true;
    }

    std::vector<ArrivedEvent> arrived() {
        std::lock_guard lock(db_mutex);
        std::vector<ArrivedEvent> out;
        for (const auto& r : db.query("SELECT kiosk_id, seq, kind, idem FROM events ORDER BY n"))
            out.push_back({r[0], std::stoll(r[1]), r[2], r[3]});
        return out;
    }
};

// [SECTION] lifecycle --------------------------------------------------------------------------

bool strict_contract_from_env() {
    const char* v = std::getenv("HALLSIM_STRICT_CONTRACT");
    return v && (std::string_view(v) == "1" || v[0] == '/');
}

std::string contract_counts_file_from_env() {
    const char* v = std::getenv("HALLSIM_STRICT_CONTRACT");
    return v && v[0] == '/' ? std::string(v) : std::string();
}

HallSim::HallSim(Options options) : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
    impl_->faults = impl_->options.faults;
    if (impl_->options.strict_contract) impl_->contract = &contract::Contract::hall();
}

HallSim::~HallSim() {
    stop();
    if (!impl_->contract) return;
    auto c = contract_counts();
    impl_->log->info("contract: {} requests and {} responses validated, {} violations", c.requests,
                     c.responses, c.violations);
    // One line per simulator, appended in one write (tests run in parallel).
    const std::string& file = impl_->options.contract_counts_file;
    if (file.empty()) return;
    const char* path = file.c_str();
    int fd = ::open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        impl_->log->error("contract: cannot append the counts to {}", path);
        return;
    }
    std::string line = "requests " + std::to_string(c.requests) + " responses " +
                       std::to_string(c.responses) + " violations " + std::to_string(c.violations) +
                       " pid " + std::to_string(::getpid()) + "\n";
    if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
        impl_->log->error("contract: short write to {}", path);
    ::close(fd);
}

ContractCounts HallSim::contract_counts() const {
    return ContractCounts{impl_->checked_requests.load(), impl_->checked_responses.load(),
                          impl_->violations.load()};
}

bool HallSim::start() {
    if (running()) return true;
    {
        std::lock_guard lock(impl_->db_mutex);
        if (!impl_->open_db()) return false;
    }
    std::unique_ptr<httplib::Server> server;
    const auto& o = impl_->options;
    if (!o.tls_cert.empty()) {
        auto tls = std::make_unique<httplib::SSLServer>(
            o.tls_cert.c_str(), o.tls_key.c_str(),
            o.tls_client_ca.empty() ? nullptr : o.tls_client_ca.c_str());
        if (!tls->is_valid()) {
            impl_->error = "TLS certificate or key not usable";
            return false;
        }
        server = std::move(tls);
    } else {
        server = std::make_unique<httplib::Server>();
    }
    server->set_keep_alive_timeout(1);
    // httplib writes headers and body separately: without NODELAY, Nagle + delayed ACK add ~40 ms.
    server->set_tcp_nodelay(true);
    server->set_payload_max_length(1024 * 1024);
    impl_->routes(*server);
    int want = impl_->bound_port ? impl_->bound_port : impl_->options.port;
    int port = want ? (server->bind_to_port(impl_->options.host, want) ? want : -1)
                    : server->bind_to_any_port(impl_->options.host);
    if (port <= 0) {
        impl_->error = "cannot bind " + impl_->options.host + ":" + std::to_string(want);
        return false;
    }
    impl_->bound_port = port;
    impl_->server = std::move(server);
    impl_->thread = std::thread([s = impl_->server.get()] { s->listen_after_bind(); });
    // stop() is a no-op on a server whose accept loop has not started yet: wait for it.
    for (int i = 0; i < 2000 && !impl_->server->is_running(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    impl_->log->info("listening on {}:{}", impl_->options.host, port);
    return true;
}

void HallSim::stop() {
    if (!impl_->server) return;
    impl_->server->stop();
    if (impl_->thread.joinable()) impl_->thread.join();
    impl_->server.reset();
}

bool HallSim::running() const {
    return impl_->server != nullptr;
}
int HallSim::port() const {
    return impl_->bound_port;
}
std::string HallSim::base_url() const {
    return (impl_->options.tls_cert.empty() ? "http://" : "https://") + impl_->options.host + ":" +
           std::to_string(impl_->bound_port) + "/api/v1";
}
const std::string& HallSim::error() const {
    return impl_->error;
}

void HallSim::set_faults(const Faults& faults) {
    std::lock_guard lock(impl_->fault_mutex);
    impl_->faults = faults;
}
Faults HallSim::faults() const {
    return impl_->current_faults();
}
bool HallSim::pay(const std::string& order_id) {
    std::lock_guard lock(impl_->db_mutex);
    if (!impl_->open_db()) return false;
    return impl_->pay_locked(order_id);
}
void HallSim::set_auto_pay_ms(int ms) {
    std::lock_guard lock(impl_->db_mutex);  // orders_where reads it under the same lock
    impl_->options.auto_pay_ms = ms;
}
std::vector<AssistRow> HallSim::assist_calls() const {
    std::lock_guard lock(impl_->db_mutex);
    std::vector<AssistRow> out;
    if (!impl_->open_db()) return out;
    for (const auto& r : impl_->db.query(
             "SELECT call_id, kiosk_id, reason, scene, state, eta, after_hours FROM assist "
             "ORDER BY created, call_id",
             {})) {
        AssistRow a{r[0], r[1], r[2], r[3], r[4], std::stoi(r[5]), r[6] == "1"};
        out.push_back(std::move(a));
    }
    return out;
}
bool HallSim::acknowledge(const std::string& call_id, int eta_minutes) {
    std::lock_guard lock(impl_->db_mutex);
    if (!impl_->open_db()) return false;
    return impl_->assist_move(call_id, "acknowledged", eta_minutes, "desk").status == 200;
}
bool HallSim::resolve(const std::string& call_id) {
    std::lock_guard lock(impl_->db_mutex);
    if (!impl_->open_db()) return false;
    return impl_->assist_move(call_id, "resolved", -1, "desk").status == 200;
}
void HallSim::set_desk(int staffed) {
    impl_->desk = staffed;
}
std::vector<ArrivedEvent> HallSim::events() const {
    return impl_->arrived();
}
std::int64_t HallSim::requests() const {
    return impl_->requests.load();
}

}  // namespace kiosk::hallsim
