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
#include "libcore/event/timer.hpp"
#include "libcore/service/client_session.hpp"
#include "proto/imap/session.hpp"

namespace pillarbox::imapd {

class ImapSession : public service::ClientSession {
 public:
  ImapSession(Services& services, event::Tcp tcp, bool implicit_tls, std::function<void()> ended);
  ~ImapSession() override;

  void start() override;
  void shutdown() override;

 private:
  void on_input(std::string_view bytes) override;
  void on_idle() override;
  void on_finished() override;
  void run(std::vector<imap::Action> actions);
  void request(const imap::Request& r);
  void answered(Outcome outcome, bool writes);
  void mailbox_changed();
  void release_account();  // this session no longer counts towards its account's limit

  Services& svc_;
  bool implicit_tls_;
  std::unique_ptr<imap::Session> session_;
  Context context_;
  std::string account_;
  event::Timer recheck_;
};

}  // namespace pillarbox::imapd
