// Accepting and connection limits. A client over a limit gets a 421 reply
// and is closed without a session.
#include "daemons/smtpd/smtp_server.hpp"

#include "libcore/base/log.hpp"

namespace pillarbox::smtpd {
SmtpServer::SmtpServer(Services& services) : svc_(services) {}

SmtpServer::~SmtpServer() = default;

Expected<void> SmtpServer::listen(const std::vector<daemon::Listener>& listeners) {
  for (auto& l : listeners) {
    smtp::Listener kind;
    if (l.service == "smtp") kind = smtp::Listener::Smtp;
    else if (l.service == "submission") kind = smtp::Listener::Submission;
    else if (l.service == "smtps") kind = smtp::Listener::Smtps;
    else return fail(ErrorCode::InvalidInput, "smtpd does not serve '" + l.service + "'");
    if (kind == smtp::Listener::Smtps && !svc_.tls)
      return fail(ErrorCode::InvalidInput, "smtps needs a TLS certificate");
    auto t = event::Tcp::open(svc_.loop, l.fd);
    if (!t) return Unexpected{t.error()};
    listeners_.emplace_back(std::make_unique<event::Tcp>(std::move(*t)), kind);
    event::Tcp* lt = listeners_.back().first.get();
    if (auto r = lt->listen(511, [this, lt, kind](int st) { if (st == 0) accept(*lt, kind); }); !r) return r;
  }
  return {};
}

void SmtpServer::accept(event::Tcp& listener, smtp::Listener kind) {
  auto t = listener.accept();
  if (!t) {
    log::warning("accept: {}", t.error().describe());
    return;
  }
  std::string addr = t->peer_address();
  const auto& settings = svc_.directory.current()->settings;
  auto from_here = per_address_.find(addr);
  size_t here = from_here == per_address_.end() ? 0 : from_here->second;
  if (sessions_.size() >= settings.smtp_max_connections || here >= settings.smtp_max_per_address) {
    log::warning("{}: too many connections; refused", addr);
    // Written straight to the socket: a 421 and close, no session.
    (void)t->write("421 4.7.0 " + svc_.hostname + " Error: too many connections, try later\r\n");
    auto owned = std::make_shared<event::Tcp>(std::move(*t));
    (void)owned->shutdown([owned](int) { owned->close(); });
    return;
  }
  ++per_address_[addr];
  sessions_.push_back(std::make_unique<SmtpSession>(svc_, std::move(*t), kind, [this](SmtpSession* s) { ended(s); }));
  sessions_.back()->start();
}

void SmtpServer::ended(SmtpSession* s) {
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
    if (it->get() != s) continue;
    auto n = per_address_.find(s->peer());
    if (n != per_address_.end() && --n->second == 0) per_address_.erase(n);
    // Safe inside the session's own callback: the session and its connection
    // touch nothing after reporting their end (see net::Connection).
    sessions_.erase(it);
    break;
  }
  maybe_stopped();
}

void SmtpServer::stop(std::function<void()> done) {
  stopped_ = std::move(done);
  listeners_.clear();
  // ended() may run inside shutdown() and erase from the list: iterate a copy.
  std::vector<SmtpSession*> live;
  for (auto& s : sessions_) live.push_back(s.get());
  for (auto* s : live) s->shutdown();
  maybe_stopped();
}

void SmtpServer::maybe_stopped() {
  if (stopped_ && sessions_.empty()) {
    auto done = std::move(stopped_);
    stopped_ = nullptr;
    done();
  }
}

}  // namespace pillarbox::smtpd
