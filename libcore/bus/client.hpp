// Client: a child's end of the bus. Says hello, keeps its subscriptions
// (re-sent if it reconnects), publishes events and, once started, a
// heartbeat every interval. Loop thread only.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "libcore/base/expected.hpp"
#include "libcore/event/loop.hpp"
#include "libcore/event/pipe.hpp"
#include "libcore/event/timer.hpp"
#include "proto/bus/frame.hpp"

namespace pillarbox::bus {

class Client {
 public:
  Client(event::Loop& loop, std::string path, std::string name, int pid);

  // Connects and says hello; done(error) if the broker cannot be reached.
  void connect(std::function<void(Expected<void>)> done);
  bool connected() const { return connected_; }

  void subscribe(const std::vector<std::string>& patterns);
  // Drops silently while disconnected: events are hints, consumers re-check.
  void publish(std::string_view topic, const nlohmann::json& data = nlohmann::json::object());

  void on_message(std::function<void(const Message&)> cb) { on_message_ = std::move(cb); }
  // The connection ended (the master went away, or a protocol error).
  void on_disconnect(std::function<void(const std::string& why)> cb) { on_disconnect_ = std::move(cb); }

  void start_heartbeat(uint64_t interval_ms);
  void stop_heartbeat() { heartbeat_.stop(); }

 private:
  void send(const Message& m);
  void lost(const std::string& why);

  event::Loop& loop_;
  std::string path_;
  std::string name_;
  int pid_;
  event::Pipe pipe_;
  event::Timer heartbeat_;
  FrameDecoder decoder_;
  bool connected_ = false;
  std::vector<std::string> patterns_;
  std::function<void(const Message&)> on_message_;
  std::function<void(const std::string&)> on_disconnect_;
};

}  // namespace pillarbox::bus
