// SmtpSession: one SMTP client, from accept to close. Glues the protocol
// engine (proto/smtp) to its connection (libcore/net) and to the services:
// access rules at connect, logins and delivery through the database
// executor, recipients through the router. Reading pauses while the engine
// waits for an answer, so pipelined input never piles up in memory.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "daemons/smtpd/recipient_policy.hpp"
#include "daemons/smtpd/services.hpp"
#include "libcore/service/client_session.hpp"
#include "proto/smtp/session.hpp"

namespace pillarbox::smtpd {

// The engine's listener kind for a service name: smtp, submission, smtps.
Expected<smtp::Listener> parse_listener(const std::string& service);
inline smtp::Listener listener_kind(const std::string& service) {
  auto kind = parse_listener(service);
  return kind ? *kind : smtp::Listener::Smtp;
}

class SmtpSession : public service::ClientSession {
 public:
  SmtpSession(Services& services, event::Tcp tcp, smtp::Listener listener, std::function<void()> ended);
  ~SmtpSession() override;

  // Applies the access rules, then greets (or starts TLS first on smtps).
  void start() override;
  // The daemon is stopping: say 421 and close at the next point between mail
  // transactions (at once when idle); a transaction under way may finish.
  void shutdown() override;

 private:
  void on_input(std::string_view bytes) override;
  void on_idle() override;
  void run(std::vector<smtp::Action> actions);
  void authenticate(const smtp::Action& a);
  void check_rcpt(const smtp::Action& a);
  void deliver(const smtp::Action& a);
  bool between_transactions() const;

  Services& svc_;
  smtp::Listener listener_;
  std::unique_ptr<smtp::Session> session_;
  ClientStanding standing_;
  std::string mail_from_;
  bool stopping_ = false;
  std::string id_;                                    // for log lines
  std::map<std::string, route::Resolution> targets_;  // accepted RCPT -> where it goes
};

}  // namespace pillarbox::smtpd
