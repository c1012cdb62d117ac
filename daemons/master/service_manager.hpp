// Telling the service manager how we are: systemd's sd_notify (READY,
// STOPPING, STATUS, and WATCHDOG pings when WatchdogSec is set). Does
// nothing when not run under systemd (no NOTIFY_SOCKET).
#pragma once

#include <memory>
#include <string>

#include "libcore/event/loop.hpp"
#include "libcore/event/timer.hpp"

namespace pillarbox::master {

class ServiceManager {
 public:
  explicit ServiceManager(event::Loop& loop);
  void ready(const std::string& status);
  void stopping();
  void status(const std::string& text);

 private:
  void notify(const std::string& state);
  event::Timer watchdog_;
};

}  // namespace pillarbox::master
