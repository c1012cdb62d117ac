// ConfigListener: LISTENs on the database channel the configuration triggers
// notify (`pillarbox_config`, see migration 0001) and calls back with each
// payload, on the loop, without blocking it. When the connection breaks (the
// server restarted) it reconnects every second and then reports a
// {"source":"reconnect"} change, since notifications sent meanwhile are lost.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "libcore/base/owner.hpp"
#include "libcore/event/loop.hpp"
#include "libcore/event/poll.hpp"
#include "libcore/event/timer.hpp"

struct pg_conn;

namespace pillarbox::master {

class ConfigListener {
 public:
  static constexpr const char* kChannel = "pillarbox_config";

  ConfigListener(event::Loop& loop, std::string conninfo, std::function<void(const nlohmann::json&)> on_change);
  ~ConfigListener();

  void start();
  bool listening() const { return conn_ != nullptr; }

 private:
  void connect();
  void readable();
  void lost(const std::string& why);

  event::Loop& loop_;
  std::string conninfo_;
  std::function<void(const nlohmann::json&)> on_change_;
  pg_conn* conn_ = nullptr;
  std::unique_ptr<event::Poll> poll_;
  event::Timer retry_;
  bool was_connected_ = false;
};

}  // namespace pillarbox::master
