// PgChannel: the master's one libpq connection for LISTEN/NOTIFY. It LISTENs
// on the channels it is given (the configuration triggers' `pillarbox_config`,
// the nodes' `pillarbox_bus`) and calls back with each notification, and it
// sends NOTIFYs for the bus bridge, all on the loop without blocking it
// (connecting blocks once, at start and on reconnect). When the connection
// breaks it reconnects every second and reports it, since notifications sent
// meanwhile are lost; NOTIFYs queued while it is down are dropped (every bus
// consumer re-checks on its own, DESIGN.md §4).
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "libcore/event/loop.hpp"
#include "libcore/event/poll.hpp"
#include "libcore/event/timer.hpp"

struct pg_conn;

namespace pillarbox::master {

class PgChannel {
 public:
  using OnNotify = std::function<void(const std::string& channel, const std::string& payload)>;
  static constexpr std::size_t kMaxQueued = 1000;  // NOTIFYs waiting to be sent; more are dropped

  // `on_reconnect` runs after a reconnection (not after the first connect).
  PgChannel(event::Loop& loop, std::string conninfo, std::vector<std::string> channels, OnNotify on_notify,
            std::function<void()> on_reconnect);
  ~PgChannel();

  void start();
  bool connected() const { return conn_ != nullptr; }

  // pg_notify(channel, payload) (at most 8000 bytes, PostgreSQL's limit),
  // sent after the ones before it. Dropped while disconnected.
  void notify(std::string channel, std::string payload);

 private:
  void connect();
  void on_io(int events);
  void read_results();
  void send_next();
  void watch(bool writable);
  void lost(const std::string& why);

  event::Loop& loop_;
  std::string conninfo_;
  std::vector<std::string> channels_;
  OnNotify on_notify_;
  std::function<void()> on_reconnect_;
  pg_conn* conn_ = nullptr;
  std::unique_ptr<event::Poll> poll_;
  event::Timer retry_;
  bool was_connected_ = false;
  std::deque<std::pair<std::string, std::string>> queued_;
  bool in_flight_ = false;  // a NOTIFY sent, its result not read yet
  bool flushing_ = false;   // libpq holds unsent bytes: wait for writable
};

}  // namespace pillarbox::master
