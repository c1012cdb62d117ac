// Pop3Session: one POP3 client, from accept to close. Glues the protocol
// engine (proto/pop3) to its connection and to the store through the
// database executor: access rules before the greeting, login and maildrop
// lock, message text, and the deletions at QUIT. A session that ends any
// other way deletes nothing and only gives its lock back.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "daemons/pop3d/services.hpp"
#include "libcore/service/client_session.hpp"
#include "proto/pop3/session.hpp"

namespace pillarbox::pop3d {

class Pop3Session : public service::ClientSession {
 public:
  // `implicit_tls`: the pop3s listener.
  Pop3Session(Services& services, event::Tcp tcp, bool implicit_tls, std::function<void()> ended);
  ~Pop3Session() override;

  void start() override;
  // The daemon is stopping: close now unless a question to the store is
  // under way (then right after it); nothing is deleted without QUIT.
  void shutdown() override;

 private:
  void on_input(std::string_view bytes) override;
  void on_idle() override;
  void on_finished() override;
  void run(std::vector<pop3::Action> actions);
  void authenticate(const pop3::Action& a);
  void retrieve(const pop3::Action& a);
  void commit(const pop3::Action& a);
  void unlock();

  Services& svc_;
  bool implicit_tls_;
  std::unique_ptr<pop3::Session> session_;
  std::string timestamp_;       // the APOP timestamp of the greeting
  int64_t account_id_ = 0;      // set while the maildrop is locked
  std::string account_;
  std::vector<int64_t> ids_;    // maildrop position -> message id
  bool stopping_ = false;
};

}  // namespace pillarbox::pop3d
