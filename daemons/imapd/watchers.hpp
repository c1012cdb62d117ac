// Which sessions look at which mailbox, so that a mailbox.changed event (from
// the bus, or from a session of this process) reaches exactly the sessions
// that must tell their clients. Events name mailboxes ({"mailboxes":
// [{"mailbox": id}, ...]}, from smtpd and imapd) or accounts ({"accounts":
// [id, ...]}, from pop3d). Loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

namespace pillarbox::imapd {

class Watchers {
 public:
  using Wake = std::function<void()>;
  // `key` identifies the watcher (its session); re-watching replaces.
  void watch(const void* key, int64_t account_id, int64_t mailbox_id, Wake wake);
  void unwatch(const void* key);
  // Wakes every watcher the event concerns.
  void notify(const nlohmann::json& event) const;
  std::size_t size() const { return watchers_.size(); }

 private:
  struct Watcher {
    int64_t account_id = 0;
    int64_t mailbox_id = 0;
    Wake wake;
  };
  std::map<const void*, Watcher> watchers_;
};

}  // namespace pillarbox::imapd
