// Broker: the bus hub in the master. Accepts clients on a Unix socket, keeps
// each one's name, pid and subscriptions, and forwards every publish to the
// other clients whose patterns match. Events, not data: a client that falls
// too far behind (write queue over kMaxBacklog) is disconnected rather than
// buffered without bound. Loop thread only.
#pragma once

#include <functional>
#include <list>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "libcore/base/expected.hpp"
#include "libcore/event/loop.hpp"
#include "libcore/event/pipe.hpp"
#include "proto/bus/frame.hpp"

namespace pillarbox::bus {

class Broker {
 public:
  static constexpr std::size_t kMaxBacklog = 4 * 1024 * 1024;

  Broker(event::Loop& loop, std::string path);
  ~Broker();
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  // Binds and listens; `mode` is applied to the socket file (e.g. 0660).
  Expected<void> start(unsigned mode);
  const std::string& path() const { return path_; }

  // Publishes from the master itself to every matching client.
  void publish(std::string_view topic, const nlohmann::json& data, std::string_view from);
  // Every publish a client makes (heartbeats included), after validation.
  void on_publish(std::function<void(const Message&, int pid)> cb) { on_publish_ = std::move(cb); }
  std::size_t client_count() const { return clients_.size(); }

 private:
  struct Client {
    event::Pipe pipe;
    FrameDecoder decoder;
    std::string name;
    int pid = 0;
    std::vector<std::string> patterns;
    explicit Client(event::Pipe p) : pipe(std::move(p)) {}
  };
  using ClientIt = std::list<Client>::iterator;

  void accept_one();
  void on_bytes(ClientIt it, std::string_view bytes);
  // False when the client was dropped (the iterator is then invalid).
  bool handle(ClientIt it, Message m);
  void route(const Message& m, const Client* sender);
  void drop(ClientIt it, const std::string& why);

  event::Loop& loop_;
  std::string path_;
  event::Pipe listener_;
  std::list<Client> clients_;
  std::function<void(const Message&, int)> on_publish_;
};

}  // namespace pillarbox::bus
