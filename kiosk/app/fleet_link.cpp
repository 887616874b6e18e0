#include "app/fleet_link.hpp"

#include <sys/statvfs.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/port.hpp"
#include "app/app.hpp"
#include "app/devices.hpp"
#include "app/hall.hpp"
#include "core/log.hpp"
#include "core/paths.hpp"
#include "core/staff.hpp"
#include "fleet/agent.hpp"

namespace kiosk::app {
namespace {

std::string read_tail(const std::string& path, std::size_t max) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    in.seekg(0, std::ios::end);
    const auto size = static_cast<std::size_t>(in.tellg());
    const std::size_t from = size > max ? size - max : 0;
    in.seekg(static_cast<std::streamoff>(from));
    std::string out(size - from, '\0');
    in.read(out.data(), static_cast<std::streamsize>(out.size()));
    return out;
}

}  // namespace

FleetLink::FleetLink(const Config& config, App& app, std::string config_path)
    : config_(config), app_(app), config_path_(std::move(config_path)) {}

FleetLink::~FleetLink() {
    if (agent_) agent_->stop();
}

void FleetLink::start() {
    if (config_.fleet.broker.empty()) return;  // fleet disabled
    auto fc = fleet::fleet_config_from(config_);
    fc.version = KIOSK_VERSION;
    agent_ = std::make_unique<fleet::Agent>(fc);
    snapshot_ = std::make_unique<fleet::Snapshot>();
    agent_->set_snapshot_provider([this] {
        std::lock_guard lock(mu_);
        return *snapshot_;
    });
    std::string err;
    if (!agent_->start(&err)) {
        log::get("fleet")->error("fleet agent not started: {}", err);
        agent_.reset();
        return;
    }
    log::get("fleet")->info("fleet agent started for {}", config_.fleet.broker);
}

void FleetLink::on_event(const Event& event) {
    if (!agent_) return;
    if (const auto* d = std::get_if<DeviceAvailability>(&event))
        agent_->post_event(d->up ? "device_up" : "device_down", {{"device", d->device}});
    if (const auto* l = std::get_if<LockerUpdate>(&event)) {
        using S = LockerStep;
        if (l->what == S::jammed || l->what == S::tamper || l->what == S::left_open)
            agent_->post_event(l->what == S::jammed ? "door_jam" : std::string(to_string(l->what)),
                               {{"compartment", l->compartment}});
    }
    if (const auto* p = std::get_if<PrintDone>(&event);
        p && !p->ok && p->reason != PrintFailure::none)
        agent_->post_event(std::string(to_string(p->reason)), {{"device", "printer"}});
}

void FleetLink::assist(const std::string& kind, const std::string& payload) {
    if (!agent_) return;
    auto p = nlohmann::json::parse(payload, nullptr, false);
    if (!p.is_object()) return;
    nlohmann::json details = nlohmann::json::object();
    details["action"] = kind.substr(kind.find('.') + 1);  // call, cancel, resolve
    // Only the fields the staff-call payload is made of (core/assist.cpp): codes, no person.
    for (const char* k : {"call_id", "kiosk_id", "short_code", "location", "scene", "reason",
                          "after_hours", "at", "by"})
        if (p.contains(k)) details[k] = p[k];
    agent_->post_event("assist", std::move(details));
}

void FleetLink::alert(const std::string& kind, const std::string& payload) {
    if (!agent_ || !kind.starts_with("alert.")) return;
    auto p = nlohmann::json::parse(payload, nullptr, false);
    if (!p.is_object()) return;
    nlohmann::json details = nlohmann::json::object();
    for (const char* k : {"failures", "lockouts", "locked_seconds", "at"})
        if (p.contains(k)) details[k] = p[k];
    agent_->post_event(kind.substr(6), std::move(details));
}

void FleetLink::refresh(std::int64_t now_ms) {
    fleet::Snapshot s;
    s.version = KIOSK_VERSION;
    const Core& core = app_.core();
    s.state = core.maintenance() ? "maintenance" : core.session().active ? "serving" : "idle";
    if (started_ms_ == 0) started_ms_ = now_ms;
    s.uptime_s = (now_ms - started_ms_) / 1000;
    s.paper = "";
    const App::Figures& figures = app_.figures();  // taken by the frame loop, at most 10 s old
    for (const auto& d : figures.devices) {
        s.devices.push_back({d.name, d.status});
        if (d.name == "printer")
            for (const auto& c : d.consumables)
                if (c.name == "paper")
                    s.paper = c.level == "near_end" ? "low" : c.level == "out" ? "out" : "ok";
    }
    for (const auto& c : app_.devices().locker_snapshot()) {
        if (c.faulty)
            ++s.lockers_faulty;
        else if (c.occupied)
            ++s.lockers_occupied;
        else if (c.state == "free")
            ++s.lockers_free;
    }
    s.lockers_overdue =
        static_cast<int>(app_.devices().locker_overdue(config_.service_menu.overdue_days).size());
    struct statvfs fs {};
    if (statvfs(resolve_state_dir(config_).c_str(), &fs) == 0)
        s.disk_free_mb = static_cast<std::int64_t>(fs.f_bavail) *
                         static_cast<std::int64_t>(fs.f_frsize) / (1024 * 1024);
    s.outbox_depth = figures.outbox_depth;
    std::lock_guard lock(mu_);
    *snapshot_ = std::move(s);
}

bool FleetLink::step(std::int64_t now_ms) {
    if (!agent_) return false;
    // The snapshot is cheap but not free (a journal read): every 10 s is plenty for a heartbeat
    // that goes out once a minute.
    if (refreshed_ms_ == 0 || now_ms - refreshed_ms_ >= 10'000) {
        refreshed_ms_ = now_ms;
        refresh(now_ms);
    }
    return run_commands();
}

bool FleetLink::run_commands() {
    auto log = log::get("fleet");
    Core& core = app_.core();
    const bool busy = core.session().active || core.busy();
    bool restart = false;
    while (auto cmd = agent_->poll_command(busy)) {
        using T = fleet::Command::Type;
        log->info("operator command {} ({})", cmd->type_name, cmd->id);
        switch (cmd->type) {
            case T::Screenshot: {
                // A staff view of the screen only where no personal data can be on it: attract,
                // home, the service menu and the out-of-service / coming-soon pages (issue 17).
                // Every request is audited, refused ones too.
                const SceneId sc = core.scene();
                const bool allowed =
                    !core.view().warning &&
                    (sc == SceneId::Attract || sc == SceneId::Home || sc == SceneId::Service ||
                     sc == SceneId::OutOfService || sc == SceneId::ComingSoon);
                core.outbox("audit",
                            staff::audit_json("fleet:" + cmd->key_id,
                                              allowed ? "screenshot" : "screenshot.refused",
                                              to_string(sc), core.now_ms()));
                if (!allowed) {
                    agent_->respond(
                        cmd->id, false,
                        {{"error", "refused: a citizen's screen may show personal data"},
                         {"scene", to_string(sc)}});
                    break;
                }
                const std::string tmp = resolve_state_dir(config_) + "/fleet-screenshot.png";
                app_.step(true);
                if (!app_.display().save_png(tmp)) {
                    agent_->respond(cmd->id, false, {{"error", "screenshot failed"}});
                    break;
                }
                agent_->publish_file(cmd->id, read_tail(tmp, 16 << 20));
                std::filesystem::remove(tmp);
                agent_->respond(cmd->id, true, {{"format", "png"}});
                break;
            }
            case T::UploadLogs: {
                if (config_.log.file.empty()) {
                    agent_->respond(cmd->id, false,
                                    {{"error", "no log file: the kiosk logs to the journal"}});
                    break;
                }
                log::flush();
                std::size_t max = 4 << 20;
                if (cmd->args.contains("max_bytes") && cmd->args["max_bytes"].is_number_unsigned())
                    max = std::min<std::size_t>(max, cmd->args["max_bytes"].get<std::size_t>());
                // publish_file passes the text through the redactor again.
                agent_->publish_file(cmd->id, read_tail(config_.log.file, max));
                agent_->respond(cmd->id, true, {});
                break;
            }
            case T::OutOfService: {
                const bool enter = cmd->args.value("mode", "") == "enter";
                core.set_maintenance(enter, "fleet:" + cmd->key_id);
                agent_->respond(cmd->id, true, {{"out_of_service", enter}});
                break;
            }
            case T::PushConfig: {
                if (config_path_.empty()) {
                    agent_->respond(cmd->id, false,
                                    {{"error", "started without --config: nowhere to write"}});
                    break;
                }
                // Validated by the agent against the schema; written atomically.
                const std::string tmp = config_path_ + ".new";
                {
                    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
                    out << cmd->args.value("toml", "");
                    if (!out.flush()) {
                        agent_->respond(cmd->id, false, {{"error", "cannot write " + tmp}});
                        break;
                    }
                }
                std::error_code ec;
                std::filesystem::rename(tmp, config_path_, ec);
                if (ec) {
                    agent_->respond(cmd->id, false, {{"error", ec.message()}});
                    break;
                }
                const bool r = cmd->args.value("restart", true);
                agent_->respond(cmd->id, true, {{"restart", r}});
                restart = restart || r;
                break;
            }
            case T::AssistAck: {
                const std::string call = cmd->args.value("call_id", "");
                const bool known = core.assist().open() && core.assist().current().call_id == call;
                if (!known) {
                    agent_->respond(cmd->id, false, {{"error", "no such open staff call"}});
                    break;
                }
                core.handle(
                    AssistAck{call, cmd->args.value("eta_minutes", 5), "fleet:" + cmd->key_id});
                agent_->respond(cmd->id, true, {{"call_id", call}});
                break;
            }
            case T::Restart:
                agent_->respond(cmd->id, true, {});
                restart = true;
                break;
        }
    }
    return restart;
}

}  // namespace kiosk::app
