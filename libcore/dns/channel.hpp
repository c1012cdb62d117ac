// Channel: one c-ares channel driven by one libuv loop — its sockets watched
// with event::Poll, its retransmit timeouts with an event::Timer. Internal to
// libcore/dns; Resolver is the public face.
//
// Callbacks in two stages, so user code never runs inside c-ares:
//   - a query's Done runs inside ares_process_fd (or inside query() when
//     c-ares fails at once). It may only decode the reply (the bytes die when
//     it returns) and post() the rest; it must not start queries.
//   - posted functions run on the next loop iteration, outside c-ares, in
//     order. They may start queries and may destroy the Channel; what is left
//     of the batch is then dropped.
// Destroying the Channel destroys every pending Done and posted function
// without calling it. Loop thread only.
#pragma once

#include <ares.h>

#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "libcore/base/expected.hpp"
#include "libcore/dns/options.hpp"
#include "libcore/event/async.hpp"
#include "libcore/event/loop.hpp"
#include "libcore/event/poll.hpp"
#include "libcore/event/timer.hpp"

namespace pillarbox::dns::detail {

class Channel {
 public:
  using Done = std::function<void(int status, const unsigned char* reply, int len)>;

  // InvalidInput for bad options or server entries; Unavailable when c-ares
  // cannot start (no memory, unreadable resolv_conf).
  static Expected<std::unique_ptr<Channel>> open(event::Loop& loop, Options options);
  ~Channel();
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // Sends one class-IN query for `name` of `type` (1 A, 15 MX, 28 AAAA) to
  // the configured servers, without the search list. At most
  // options.max_in_flight queries are with c-ares at once; the rest wait in
  // order (their timeout starts when they are sent).
  void query(const std::string& name, int type, Done done);
  // Runs fn on the loop thread soon, outside c-ares (see above).
  void post(std::function<void()> fn);

  const Options& options() const { return options_; }
  // The servers c-ares will ask, in order: "ip:port", "[ipv6]:port".
  std::vector<std::string> servers() const;
  // The generator for MX tie shuffling; null when shuffling is off.
  std::mt19937* shuffle_rng() { return options_.shuffle_equal_preference ? &rng_ : nullptr; }

 private:
  Channel(event::Loop& loop, Options options);
  Expected<void> init();
  static void on_sock_state(void* data, ares_socket_t fd, int readable, int writable);
  static void on_answer(void* arg, int status, int timeouts, unsigned char* reply, int len);
  struct Waiting {
    std::string name;
    int type = 0;
    Done done;
  };
  struct Sent {
    Channel* channel;
    Done done;
  };

  void watch(ares_socket_t fd, bool readable, bool writable);
  void process(ares_socket_t read_fd, ares_socket_t write_fd);
  void send_waiting();
  void arm_timeout();
  void dispatch();

  event::Loop& loop_;
  Options options_;
  ares_channel channel_ = nullptr;
  std::unordered_map<ares_socket_t, event::Poll> polls_;
  event::Timer timeout_;
  event::Timer dispatch_;  // keeps the loop alive while work is posted
  event::Async wake_;      // makes posted work an I/O event (see post())
  std::deque<Waiting> waiting_;
  std::size_t in_flight_ = 0;
  std::vector<std::function<void()>> ready_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::mt19937 rng_;
  bool destroying_ = false;
};

}  // namespace pillarbox::dns::detail
