// Master: pillarboxd's whole job, in order — lock the data directory, bind
// every listener, bring up the database (embedded or external), apply
// migrations, open the bus, start and supervise the children; on SIGHUP
// re-read the file and announce config.changed; on SIGTERM stop children,
// then PostgreSQL, then itself. It does no mail work.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemons/master/data_dir.hpp"
#include "daemons/master/listeners.hpp"
#include "daemons/master/pg_channel.hpp"
#include "daemons/master/postgres.hpp"
#include "daemons/master/service_manager.hpp"
#include "daemons/master/service_user.hpp"
#include "daemons/master/supervisor.hpp"
#include "daemons/master/tls_material.hpp"
#include "libcore/base/expected.hpp"
#include "libcore/bus/broker.hpp"
#include "libcore/config/config.hpp"
#include "libcore/event/loop.hpp"
#include "libcore/event/signal.hpp"

namespace pillarbox::master {

class Master {
 public:
  Master(event::Loop& loop, config::Bootstrap config, std::string config_path);
  ~Master();

  // Everything up to "ready". On failure the caller logs and exits non-zero;
  // whatever was started is stopped by the destructor.
  Expected<void> start();
  // Runs until stopped; returns the exit code.
  int run();
  // After a failed start(): stops what did start (PostgreSQL) and waits.
  void abort_start();

 private:
  Expected<void> start_database();
  Expected<void> ensure_server_key();
  void locate_children();
  void plan_children();
  void shutdown(const std::string& why);
  void reload();
  void publish_activity(const nlohmann::json& data);
  void open_pg_channel();
  void write_endpoints() const;

  event::Loop& loop_;
  config::Bootstrap config_;
  std::string config_path_;
  DataDir dir_;
  ServiceUser user_;
  UniqueFd lock_;
  struct Program {
    config::ChildSpec spec;
    std::string path;
  };
  std::vector<Program> programs_;  // the children that are installed
  std::vector<BoundSocket> sockets_;
  TlsFiles tls_;
  std::string conninfo_;
  std::string admin_password_;  // generated at first start, printed once at ready
  std::unique_ptr<EmbeddedPostgres> postgres_;
  std::unique_ptr<bus::Broker> broker_;
  std::unique_ptr<PgChannel> pg_channel_;  // configuration changes, and the bus between nodes
  std::string node_;                        // this node's name on the bus bridge
  std::unique_ptr<Supervisor> supervisor_;
  std::unique_ptr<ServiceManager> service_manager_;
  std::vector<std::unique_ptr<event::Signal>> signals_;
  bool stopping_ = false;
  int exit_code_ = 0;
};

}  // namespace pillarbox::master
