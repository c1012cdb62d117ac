#include "daemons/imapd/watchers.hpp"

#include <vector>

namespace pillarbox::imapd {

void Watchers::watch(const void* key, int64_t account_id, int64_t mailbox_id, Wake wake) {
  watchers_[key] = Watcher{account_id, mailbox_id, std::move(wake)};
}

void Watchers::unwatch(const void* key) { watchers_.erase(key); }

void Watchers::notify(const nlohmann::json& event) const {
  std::set<int64_t> mailboxes, accounts;
  try {
    if (event.contains("mailboxes"))
      for (const auto& m : event.at("mailboxes"))
        mailboxes.insert(m.is_object() ? m.at("mailbox").get<int64_t>() : m.get<int64_t>());
    if (event.contains("accounts"))
      for (const auto& a : event.at("accounts")) accounts.insert(a.get<int64_t>());
  } catch (const nlohmann::json::exception&) {
    return;  // not ours to understand: the periodic check catches up
  }
  // Wakes may end sessions (and unwatch): collect first.
  std::vector<Wake> due;
  for (const auto& [key, w] : watchers_)
    if (mailboxes.count(w.mailbox_id) || accounts.count(w.account_id)) due.push_back(w.wake);
  for (auto& wake : due) wake();
}

}  // namespace pillarbox::imapd
