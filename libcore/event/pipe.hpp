// Pipe: a Unix domain socket (a named pipe on Windows) — the bus transport.
#pragma once

#include <string>

#include "libcore/event/stream.hpp"

namespace pillarbox::event {

class Pipe : public Stream {
 public:
  explicit Pipe(Loop& loop);

  // Binds a listening socket at path, replacing a stale socket file.
  Expected<void> bind(const std::string& path);
  void connect(const std::string& path, std::function<void(int)> done);
  Expected<Pipe> accept();
  // Adopts an open descriptor (a socketpair end, an inherited pipe).
  static Expected<Pipe> open(Loop& loop, int fd);

 private:
  Loop* loop_;
};

}  // namespace pillarbox::event
