// sd_notify through libsystemd, when it was found at build time.
#include "daemons/master/service_manager.hpp"

#include <cstdint>

#ifdef PILLARBOX_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

namespace pillarbox::master {

ServiceManager::ServiceManager(event::Loop& loop) : watchdog_(loop) {}

void ServiceManager::notify(const std::string& state) {
#ifdef PILLARBOX_HAVE_SYSTEMD
  sd_notify(0, state.c_str());
#else
  (void)state;
#endif
}

void ServiceManager::ready(const std::string& text) {
  notify("READY=1\nSTATUS=" + text);
#ifdef PILLARBOX_HAVE_SYSTEMD
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    uint64_t every = usec / 2000;  // half the interval, in ms
    watchdog_.start(every, every, [this] { notify("WATCHDOG=1"); });
  }
#endif
}

void ServiceManager::stopping() {
  watchdog_.stop();
  notify("STOPPING=1");
}

void ServiceManager::status(const std::string& text) { notify("STATUS=" + text); }

}  // namespace pillarbox::master
