// Master start-up, reload and shutdown sequencing.
#include "daemons/master/master.hpp"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <pqxx/pqxx>

#include "daemons/master/child_programs.hpp"
#include "daemons/master/first_start.hpp"
#include "libcore/base/log.hpp"
#include "libcore/crypto/secret_box.hpp"
#include "libcore/db/migrations.hpp"
#include "proto/bus/bridge.hpp"
#include "proto/bus/topics.hpp"

extern char** environ;

namespace pillarbox::master {

Master::Master(event::Loop& loop, config::Bootstrap config, std::string config_path)
    : loop_(loop), config_(std::move(config)), config_path_(std::move(config_path)) {
  dir_.root = config_.data_dir;
}

Master::~Master() = default;

Expected<void> Master::start() {
  auto user = resolve_service_user(config_.user);
  if (!user) return Unexpected{user.error()};
  user_ = *user;
  std::optional<std::pair<uid_t, gid_t>> owner;
  if (user_.switch_to) owner = std::pair{user_.uid, user_.gid};
  if (auto r = prepare(dir_, owner); !r) return r;
  auto lk = lock(dir_);
  if (!lk) return Unexpected{lk.error()};
  lock_ = std::move(*lk);

  auto tls = ensure_tls_files(config_, user_);
  if (!tls) return Unexpected{tls.error()};
  tls_ = *tls;
  if (auto r = ensure_server_key(); !r) return r;

  // Only services whose program is installed are bound: a socket nobody
  // serves would let clients queue forever instead of being refused.
  locate_children();
  std::map<std::string, std::vector<config::Endpoint>> served;
  for (auto& c : programs_)
    for (auto& svc : c.spec.services)
      if (config_.listen.count(svc)) served[svc] = config_.listen.at(svc);
  auto bound = bind_all(served);
  if (!bound) return Unexpected{bound.error()};
  sockets_ = std::move(*bound);

  if (auto r = start_database(); !r) return r;

  broker_ = std::make_unique<bus::Broker>(loop_, dir_.bus_socket());
  if (auto r = broker_->start(0600); !r) return r;
  if (user_.switch_to && ::chown(dir_.bus_socket().c_str(), user_.uid, user_.gid) != 0)
    return fail(ErrorCode::PermissionDenied, "chown " + dir_.bus_socket());

  open_pg_channel();

  SupervisorOptions so;
  so.heartbeat_timeout_ms = static_cast<uint64_t>(config_.heartbeat_timeout * 1000);
  so.shutdown_ms = static_cast<uint64_t>(config_.shutdown_timeout * 1000);
  so.user = user_;
  for (char** e = environ; *e; ++e) {
    std::string v = *e;
    if (v.rfind("PILLARBOX_", 0) == 0 || v.rfind("NOTIFY_SOCKET=", 0) == 0 || v.rfind("WATCHDOG_", 0) == 0 ||
        v.rfind("LISTEN_", 0) == 0)
      continue;
    so.base_env.push_back(v);
  }
  supervisor_ = std::make_unique<Supervisor>(loop_, so, [this](const nlohmann::json& d) { publish_activity(d); });
  broker_->on_publish([this](const bus::Message& m, int pid) {
    if (m.topic == bus::kHeartbeat) supervisor_->heartbeat(pid);
    if (bus::crosses_nodes(m.topic)) {
      if (auto payload = bus::bridge_payload({node_, m.topic, m.data}))
        pg_channel_->notify(std::string(bus::kBridgeChannel), std::move(*payload));
    }
  });
  plan_children();

  signals_.push_back(std::make_unique<event::Signal>(loop_, SIGTERM, [this](int) { shutdown("SIGTERM"); }));
  signals_.push_back(std::make_unique<event::Signal>(loop_, SIGINT, [this](int) { shutdown("SIGINT"); }));
  signals_.push_back(std::make_unique<event::Signal>(loop_, SIGHUP, [this](int) { reload(); }));
  ::signal(SIGPIPE, SIG_IGN);

  supervisor_->start_all();
  write_endpoints();
  for (auto& s : sockets_) log::info("listening: {} on {}", s.service, s.endpoint.text());
  if (postgres_) log::info("database: psql \"{}\"", conninfo_);
  log::info("tls: certificate {}{}", tls_.cert, tls_.generated ? " (self-signed, generated now)" : "");
  service_manager_ = std::make_unique<ServiceManager>(loop_);
  service_manager_->ready("running");
  log::info("ready (data directory {})", dir_.root);
  if (!admin_password_.empty()) {
    // Shown once, on the terminal that started the first run, never logged.
    std::cout << "\nPillarbox is ready. Administrator login (shown only this once):\n"
              << "  user:     admin\n  password: " << admin_password_ << "\n"
              << "Change it with: pillarbox --data-dir " << dir_.root << " account passwd admin\n\n"
              << std::flush;
    admin_password_.assign(admin_password_.size(), '\0');
    admin_password_.clear();
  }
  return {};
}

// The key that seals stored secrets: made once, readable by the service user only.
Expected<void> Master::ensure_server_key() {
  auto path = config::server_key_file(config_);
  auto key = crypto::load_or_create_key(path);
  if (!key) return Unexpected{key.error()};
  if (user_.switch_to) {
    auto dir = std::filesystem::path(path).parent_path().string();
    if (::chown(dir.c_str(), user_.uid, user_.gid) != 0 || ::chown(path.c_str(), user_.uid, user_.gid) != 0)
      return fail(ErrorCode::PermissionDenied, "chown " + path + " to " + user_.name);
  }
  return {};
}

Expected<void> Master::start_database() {
  if (config_.database.empty()) {
    postgres_ = std::make_unique<EmbeddedPostgres>(loop_, dir_, user_);
    postgres_->on_event([this](const std::string& what) {
      publish_activity({{"child", "postgres"}, {"event", "exited"}, {"detail", what}});
    });
    if (auto r = postgres_->start(); !r) return r;
    conninfo_ = postgres_->conninfo();
  } else {
    conninfo_ = config_.database;
  }
  try {
    pqxx::connection c(conninfo_);
    auto applied = db::apply_migrations(c);
    if (!applied) return Unexpected{applied.error()};
    if (*applied > 0) log::info("applied {} schema migration(s)", *applied);
    auto setup = first_start(c, config_.hostname, admin_password_);
    if (!setup) return Unexpected{setup.error()};
    if (setup->performed) {
      for (auto& service : setup->rules_for) log::info("first start: default access rules for {}", service);
      if (setup->domain_added) log::info("first start: local domain {}", config_.hostname);
    }
  } catch (const std::exception& e) {
    return fail(ErrorCode::Unavailable, std::string("connect to the database: ") + e.what());
  }
  return {};
}

void Master::locate_children() {
  for (auto& spec : config_.children) {
    auto program = locate_child_program(spec);
    if (!program) {
      log::warning("child {}: {}; not started", spec.name, program.error().message);
      continue;
    }
    if (user_.switch_to && !can_execute(*program, user_.uid, user_.gid)) {
      log::error("child {}: user {} cannot execute {}; not started", spec.name, user_.name, *program);
      exit_code_ = 1;
      continue;
    }
    programs_.push_back({spec, *program});
  }
}

void Master::plan_children() {
  for (auto& [spec, program] : programs_) {
    ChildPlan plan;
    plan.name = spec.name;
    plan.program = program;
    plan.args = spec.args;
    plan.env.name = spec.name;
    plan.env.bus_path = dir_.bus_socket();
    plan.env.database = conninfo_;
    plan.env.config_path = config_path_;
    plan.env.heartbeat_ms = static_cast<uint64_t>(config_.heartbeat_interval * 1000);
    plan.env.shutdown_ms = static_cast<uint64_t>(config_.shutdown_timeout * 1000);
    for (auto& s : sockets_) {
      for (auto& svc : spec.services) {
        if (s.service != svc) continue;
        plan.env.listeners.push_back({3 + static_cast<int>(plan.fds.size()), s.service});
        plan.fds.push_back(s.fd.get());
      }
    }
    supervisor_->add(std::move(plan));
  }
}

// One connection LISTENs for both: the configuration triggers' changes become
// config.changed here, and the other nodes' bus events are published on this
// node's bus. This node's own events come back from the channel too and are
// skipped by name: the host, the pid and a random part, new at every start.
void Master::open_pg_channel() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  node_ = std::string(host) + ":" + std::to_string(::getpid()) + ":" + std::to_string(std::random_device{}());
  auto on_notify = [this](const std::string& channel, const std::string& payload) {
    if (channel == bus::kBridgeChannel) {
      auto event = bus::read_bridge_payload(payload);
      if (!event) return log::warning("bus bridge: {}", event.error().describe());
      if (event->node != node_) broker_->publish(event->topic, event->data, "node " + event->node);
      return;
    }
    nlohmann::json d = nlohmann::json::parse(payload, nullptr, false);
    if (!d.is_object()) d = {{"payload", payload}};
    d["source"] = "database";
    log::info("configuration changed: {}", d.dump());
    broker_->publish(bus::kConfigChanged, d, "pillarboxd");
  };
  auto on_reconnect = [this] {
    // Changes made while the channel was down were not announced.
    broker_->publish(bus::kConfigChanged, {{"source", "reconnect"}}, "pillarboxd");
  };
  pg_channel_ = std::make_unique<PgChannel>(loop_, conninfo_,
                                            std::vector<std::string>{"pillarbox_config", std::string(bus::kBridgeChannel)},
                                            on_notify, on_reconnect);
  pg_channel_->start();
}

void Master::publish_activity(const nlohmann::json& data) {
  if (broker_) broker_->publish(bus::kActivity, data, "pillarboxd");
}

void Master::reload() {
  log::info("SIGHUP: re-reading {}", config_path_);
  auto cfg = config::load(config_path_);
  if (!cfg) {
    log::error("reload: {}; keeping the running configuration", cfg.error().message);
    return;
  }
  if (cfg->listen != config_.listen || cfg->database != config_.database || cfg->data_dir != config_.data_dir)
    log::warning("reload: listeners, database and data_dir take effect at the next start");
  log::set_level(cfg->log_level);
  config_.log_level = cfg->log_level;
  config_.hostname = cfg->hostname;
  broker_->publish(bus::kConfigChanged, {{"source", "file"}}, "pillarboxd");
}

void Master::shutdown(const std::string& why) {
  if (stopping_) return;
  stopping_ = true;
  log::info("{}: stopping", why);
  service_manager_->stopping();
  broker_->publish(bus::kShutdown, nlohmann::json::object(), "pillarboxd");
  supervisor_->stop_all([this] {
    pg_channel_.reset();
    auto finish = [this] {
      signals_.clear();
      loop_.stop();
    };
    if (postgres_)
      postgres_->stop(std::chrono::seconds(10), finish);
    else
      finish();
  });
}

void Master::write_endpoints() const {
  nlohmann::json out = nlohmann::json::object();
  for (auto& s : sockets_) out[s.service].push_back(s.endpoint.text());
  std::string path = dir_.run() + "/endpoints.json";
  std::ofstream f(path + ".tmp");
  f << out.dump(2) << "\n";
  f.close();
  std::filesystem::rename(path + ".tmp", path);
}

void Master::abort_start() {
  if (!postgres_ || postgres_->pid() == 0) return;
  bool done = false;
  postgres_->stop(std::chrono::seconds(10), [&done] { done = true; });
  loop_.run_until([&done] { return done; }, std::chrono::seconds(15));
}

int Master::run() {
  loop_.run();
  supervisor_.reset();
  broker_.reset();
  log::info("stopped");
  return exit_code_;
}

}  // namespace pillarbox::master
