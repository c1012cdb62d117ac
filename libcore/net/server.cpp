#include "libcore/net/server.hpp"

#include "libcore/base/log.hpp"

namespace pillarbox::net {

Server::Server(event::Loop& loop, Factory factory, LimitsFn limits, std::string busy_line)
    : loop_(loop), factory_(std::move(factory)), limits_(std::move(limits)), busy_line_(std::move(busy_line)) {}

Server::~Server() { *alive_ = false; }

Expected<void> Server::listen(int fd, const std::string& service) {
  auto t = event::Tcp::open(loop_, fd);
  if (!t) return Unexpected{t.error()};
  listeners_.push_back(std::make_unique<event::Tcp>(std::move(*t)));
  event::Tcp* listener = listeners_.back().get();
  return listener->listen(511, [this, listener, service](int status) {
    if (status == 0) accept(*listener, service);
  });
}

void Server::accept(event::Tcp& listener, const std::string& service) {
  auto t = listener.accept();
  if (!t) {
    log::warning("{}: accept: {}", service, t.error().describe());
    return;
  }
  std::string address = t->peer_address();
  auto limits = limits_();
  auto here = per_address_.find(address);
  std::size_t from_here = here == per_address_.end() ? 0 : here->second;
  if (sessions_.size() >= limits.total || from_here >= limits.per_address) {
    log::warning("{} {}: too many connections ({} in all, {} from this address); refused", service, address,
                 sessions_.size(), from_here);
    // Written straight to the socket and closed: no session for it.
    (void)t->write(busy_line_);
    auto owned = std::make_shared<event::Tcp>(std::move(*t));
    (void)owned->shutdown([owned](int) { owned->close(); });
    return;
  }
  ++per_address_[address];
  sessions_.push_back(Entry{nullptr, address});
  auto it = std::prev(sessions_.end());
  std::weak_ptr<bool> alive = alive_;
  it->session = factory_(std::move(*t), service, [this, alive, it] {
    if (!alive.expired()) ended(it);
  });
  it->session->start();
}

void Server::ended(std::list<Entry>::iterator it) {
  auto n = per_address_.find(it->address);
  if (n != per_address_.end() && --n->second == 0) per_address_.erase(n);
  // The session is inside its own callback: it touches nothing after
  // reporting its end, so destroying it here is safe.
  sessions_.erase(it);
  maybe_stopped();
}

void Server::stop(std::function<void()> done) {
  stopped_ = std::move(done);
  listeners_.clear();
  // shutdown() may end a session at once (and erase it): walk a copy.
  std::vector<ServerSession*> live;
  for (auto& e : sessions_) live.push_back(e.session.get());
  for (auto* s : live) s->shutdown();
  maybe_stopped();
}

void Server::maybe_stopped() {
  if (stopped_ && sessions_.empty()) {
    auto done = std::move(stopped_);
    stopped_ = nullptr;
    done();
  }
}

}  // namespace pillarbox::net
