// Client internals.
#include "libcore/bus/client.hpp"

#include "libcore/base/log.hpp"
#include "proto/bus/topics.hpp"

namespace pillarbox::bus {

Client::Client(event::Loop& loop, std::string path, std::string name, int pid)
    : loop_(loop), path_(std::move(path)), name_(std::move(name)), pid_(pid), pipe_(loop), heartbeat_(loop) {}

void Client::connect(std::function<void(Expected<void>)> done) {
  pipe_ = event::Pipe(loop_);
  decoder_ = FrameDecoder();
  pipe_.connect(path_, [this, done = std::move(done)](int status) {
    if (status != 0) {
      done(fail(ErrorCode::Unavailable, "connect to bus " + path_ + ": " + event::uv_error_text(status)));
      return;
    }
    connected_ = true;
    Message hello;
    hello.op = Op::Hello;
    hello.name = name_;
    hello.pid = pid_;
    send(hello);
    if (!patterns_.empty()) {
      Message sub;
      sub.op = Op::Subscribe;
      sub.topics = patterns_;
      send(sub);
    }
    auto r = pipe_.read_start(
        [this](std::string_view bytes) {
          auto msgs = decoder_.feed(bytes);
          if (!msgs) {
            lost(msgs.error().describe());
            return;
          }
          for (auto& m : *msgs)
            if (m.op == Op::Publish && on_message_) on_message_(m);
        },
        [this](int st) { lost(st == UV_EOF ? "the master closed the bus" : event::uv_error_text(st)); });
    if (!r) {
      lost(r.error().describe());
      done(Unexpected{r.error()});
      return;
    }
    done({});
  });
}

void Client::subscribe(const std::vector<std::string>& patterns) {
  std::vector<std::string> fresh;
  for (auto& p : patterns)
    if (std::find(patterns_.begin(), patterns_.end(), p) == patterns_.end()) fresh.push_back(p);
  if (fresh.empty()) return;
  patterns_.insert(patterns_.end(), fresh.begin(), fresh.end());
  if (!connected_) return;
  Message sub;
  sub.op = Op::Subscribe;
  sub.topics = fresh;
  send(sub);
}

void Client::publish(std::string_view topic, const nlohmann::json& data) {
  if (!connected_) return;
  Message m;
  m.op = Op::Publish;
  m.topic = std::string(topic);
  m.data = data;
  send(m);
}

void Client::start_heartbeat(uint64_t interval_ms) {
  publish(kHeartbeat);
  heartbeat_.start(interval_ms, interval_ms, [this] { publish(kHeartbeat); });
}

void Client::send(const Message& m) {
  auto r = pipe_.write(encode(m));
  if (!r) log::warning("bus write: {}", r.error().describe());
}

void Client::lost(const std::string& why) {
  if (!connected_) return;
  connected_ = false;
  pipe_.close();
  heartbeat_.stop();
  if (on_disconnect_) on_disconnect_(why);
}

}  // namespace pillarbox::bus
