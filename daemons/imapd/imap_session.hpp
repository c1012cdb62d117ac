// ImapSession: one IMAP client, from accept to close. Glues the protocol
// engine (proto/imap) to its connection and to the store: access rules before
// the greeting, each engine request run on a database worker
// (request_runner), and mailbox.changed events passed on so that IDLE and
// NOOP report new mail and other sessions' changes.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "daemons/imapd/request_runner.hpp"
#include "daemons/imapd/services.hpp"
#include "libcore/access/evaluate.hpp"
#include "libcore/event/timer.hpp"
#include "libcore/net/connection.hpp"
#include "libcore/net/server.hpp"
#include "proto/imap/session.hpp"

namespace pillarbox::imapd {

class ImapSession : public net::ServerSession {
 public:
  ImapSession(Services& services, event::Tcp tcp, bool implicit_tls, std::function<void()> ended);
  ~ImapSession() override;

  void start() override;
  void shutdown() override;

 private:
  void run(std::vector<imap::Action> actions);
  void request(const imap::Request& r);
  void answered(Outcome outcome, bool writes);
  void refuse(const std::string& line);
  void finished(const std::string& reason);
  void mailbox_changed();
  void release_account();  // this session no longer counts towards its account's limit

  Services& svc_;
  bool implicit_tls_;
  net::Connection conn_;
  std::unique_ptr<imap::Session> session_;
  std::function<void()> ended_;
  std::shared_ptr<const directory::Snapshot> snapshot_;
  access::Decision decision_;
  Context context_;
  std::string account_;
  event::Timer recheck_;
  bool closing_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace pillarbox::imapd
