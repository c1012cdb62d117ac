// SmtpServer: accepts on every inherited smtpd listener (smtp, submission,
// smtps), enforces the connection limits, and owns the sessions. On stop it
// closes the listeners and reports when the last session has ended.
#pragma once

#include <functional>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "daemons/smtpd/services.hpp"
#include "daemons/smtpd/smtp_session.hpp"
#include "libcore/daemon/environment.hpp"
#include "libcore/event/tcp.hpp"

namespace pillarbox::smtpd {

class SmtpServer {
 public:
  explicit SmtpServer(Services& services);
  ~SmtpServer();

  // Listens on each inherited socket; unknown services are an error.
  Expected<void> listen(const std::vector<daemon::Listener>& listeners);
  // Stops accepting; `done` runs once no session is left.
  void stop(std::function<void()> done);
  size_t sessions() const { return sessions_.size(); }

 private:
  void accept(event::Tcp& listener, smtp::Listener kind);
  void ended(SmtpSession* s);
  void maybe_stopped();

  Services& svc_;
  std::vector<std::pair<std::unique_ptr<event::Tcp>, smtp::Listener>> listeners_;
  std::list<std::unique_ptr<SmtpSession>> sessions_;
  std::map<std::string, size_t> per_address_;
  std::function<void()> stopped_;
};

}  // namespace pillarbox::smtpd
