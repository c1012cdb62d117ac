// Pipe: a Unix domain socket (a named pipe on Windows) — the bus transport.
#pragma once

#include <string>

#include "libcore/event/stream.hpp"

namespace pillarbox::event {

class Pipe : public Stream {
 public:
  explicit Pipe(Loop& loop);

  // Binds a listening socket at path. A socket file nobody listens on (left
  // by a crash) is replaced; a live one is InUse, any other file
  // AlreadyExists, a path too long for sockaddr_un InvalidInput.
  Expected<void> bind(const std::string& path);
  void connect(const std::string& path, std::function<void(int)> done);
  Expected<Pipe> accept();
  // Adopts an open descriptor (a socketpair end, an inherited pipe).
  static Expected<Pipe> open(Loop& loop, int fd);

 private:
  Loop* loop_;
};

}  // namespace pillarbox::event
