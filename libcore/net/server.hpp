// Server: the accept side every protocol daemon shares. It listens on the
// sockets the master handed over (each tagged with its service name), applies
// the connection limits (all sessions, and per client address) with a
// protocol-specific "busy" line, owns the sessions, and on stop asks each to
// finish and reports when the last one has gone. Loop thread only.
#pragma once

#include <cstddef>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "libcore/base/expected.hpp"
#include "libcore/event/loop.hpp"
#include "libcore/event/tcp.hpp"

namespace pillarbox::net {

// One client's session as the Server sees it.
class ServerSession {
 public:
  virtual ~ServerSession() = default;
  virtual void start() = 0;
  // The daemon is stopping: finish at the next safe point and end.
  virtual void shutdown() = 0;
};

struct ServerLimits {
  std::size_t total = 1000;
  std::size_t per_address = 50;
};

class Server {
 public:
  // Called once per session; the session calls `ended` (possibly from inside
  // its own callbacks) when it is over, and must do nothing after that.
  using Factory = std::function<std::unique_ptr<ServerSession>(event::Tcp tcp, const std::string& service,
                                                               std::function<void()> ended)>;
  // Read at each accept, so limits that are settings apply at once.
  using LimitsFn = std::function<ServerLimits()>;

  // `busy_line` is written to a client over a limit before it is closed
  // (e.g. "421 4.7.0 host Error: too many connections\r\n", "-ERR [SYS/TEMP] ...").
  Server(event::Loop& loop, Factory factory, LimitsFn limits, std::string busy_line);
  ~Server();

  // Listens on an inherited socket for `service`.
  Expected<void> listen(int fd, const std::string& service);
  // Stops accepting, shuts every session down; `done` runs once none is left.
  void stop(std::function<void()> done);
  std::size_t sessions() const { return sessions_.size(); }

 private:
  struct Entry {
    std::unique_ptr<ServerSession> session;
    std::string address;
  };
  void accept(event::Tcp& listener, const std::string& service);
  void ended(std::list<Entry>::iterator it);
  void maybe_stopped();

  event::Loop& loop_;
  Factory factory_;
  LimitsFn limits_;
  std::string busy_line_;
  std::vector<std::unique_ptr<event::Tcp>> listeners_;
  std::list<Entry> sessions_;
  std::map<std::string, std::size_t> per_address_;
  std::function<void()> stopped_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace pillarbox::net
