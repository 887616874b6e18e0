// The fleet agent: telemetry, events and remote commands over MQTT 5 (libmosquitto).
//
// Topics (prefix kiosk/{fleet}/{kiosk_id}/, docs/fleet.md "Telemetry and commands"):
//   status     retained, QoS 1: {"online":true,"version":…,"boot_id":…} after each CONNACK; the
//              connection's will is a retained {"online":false} with a will delay, and a clean
//              stop() publishes {"online":false,"reason":"stopped"}.
//   telemetry  QoS 1, every heartbeat_seconds: the application's Snapshot.
//   events     QoS 1: post_event(), each with its sequence number and the time it was raised.
//   cmd        the agent subscribes (QoS 1): signed commands (fleet/command.hpp).
//   cmd/resp   QoS 1: every answer (rejected, deferred, done).
//   files/{id} QoS 1, binary: a screenshot or the (redacted) logs a command asked for.
//
// Everything on QoS 1 goes through the on-disk Journal first and leaves it only on PUBACK, so an
// outage or a restart loses nothing (within the bound) and delivery keeps the original order.
// Delivery is at least once: a row whose PUBACK was lost is sent again after a reconnect; the
// events' seq lets a consumer drop the repeat.
//
// Threads: one agent thread owns the MQTT connection (connect, reconnect with backoff, poll,
// heartbeat). Every public method is thread-safe and none waits on the network.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/config.hpp"
#include "fleet/command.hpp"

namespace kiosk::fleet {

struct FleetConfig {
    std::string broker;  // mqtt://host:port or mqtts://host:port
    std::string fleet, kiosk_id;
    int heartbeat_seconds = 60;
    int will_delay_seconds = 30;
    std::vector<OperatorKey> operator_keys;
    std::string state_dir;  // the buffer is state_dir/fleet.sqlite
    std::string ca_file, client_cert, client_key, username, password;
    int buffer_max_rows = 10000;
    std::string version = KIOSK_VERSION;  // reported in status and telemetry
    int keepalive_seconds = 30;
    int reconnect_max_ms = 30000;  // backoff cap between connection attempts
};

// The [fleet] section plus kiosk.id and the resolved state directory.
FleetConfig fleet_config_from(const Config& config);

struct DeviceFigure {
    std::string name, status;
};

// What the heartbeat reports; filled by the application's provider. Negative numbers mean
// "unknown" (uptime_s and disk_free_mb are then measured by the agent).
struct Snapshot {
    std::string version, state;
    std::int64_t uptime_s = -1;
    std::vector<DeviceFigure> devices;
    std::string paper;  // "ok", "low", "out", "" = no printer
    int lockers_free = 0, lockers_occupied = 0, lockers_faulty = 0, lockers_overdue = 0;
    std::int64_t disk_free_mb = -1, outbox_depth = 0;
};

struct Status {
    bool connected = false;
    std::int64_t buffered = 0;  // rows waiting in the on-disk buffer
    std::int64_t dropped = 0;   // events/answers dropped by the buffer bound since start
    std::string last_error;     // the last connection or storage problem ("" = none)
};

class Agent {
  public:
    explicit Agent(FleetConfig config);
    ~Agent();  // stop()
    Agent(const Agent&) = delete;
    Agent& operator=(const Agent&) = delete;

    // Validates the configuration, opens the buffer and starts the agent thread. The broker
    // need not be reachable: the agent keeps trying. false + *err on a bad configuration or an
    // unusable state directory.
    bool start(std::string* err);
    // Publishes a retained offline status (waits at most ~1 s for it), disconnects, joins.
    void stop();

    // Called from the agent's thread at each heartbeat.
    void set_snapshot_provider(std::function<Snapshot()> provider);

    // Records an event (durable when this returns, never waits on the network). type: 1..64 of
    // [a-z0-9_.] (paper_out, door_jam, tamper, device_down, device_up, …); details: an object.
    bool post_event(std::string type, nlohmann::json details);

    // The next accepted command. While citizen_busy, commands that interrupt_citizen() stay
    // queued (the operator is told {"state":"deferred"} once) and the others are returned.
    std::optional<Command> poll_command(bool citizen_busy = false);
    // The final answer to a command returned by poll_command(). false for an unknown id.
    bool respond(const std::string& id, bool ok, nlohmann::json result);
    // A screenshot's or the logs' bytes for command `cmd_id` (before respond()). Logs pass the
    // personal-data redactor again and are cut to the command's max_bytes (the newest part).
    // The answer then carries {"file":{"topic","size","sha256"}}.
    bool publish_file(const std::string& cmd_id, std::string bytes);

    Status status() const;

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk::fleet
