// Broker internals. A client is dropped on any framing or protocol error:
// the bus carries only our own processes, so a bad frame is a bug to surface.
#include "libcore/bus/broker.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "libcore/base/log.hpp"
#include "proto/bus/topics.hpp"

namespace pillarbox::bus {

Broker::Broker(event::Loop& loop, std::string path) : loop_(loop), path_(std::move(path)), listener_(loop) {}

Broker::~Broker() = default;

Expected<void> Broker::start(unsigned mode) {
  if (auto r = listener_.bind(path_); !r) return r;
  if (::chmod(path_.c_str(), mode) != 0)
    return fail(ErrorCode::PermissionDenied, "chmod " + path_ + ": " + std::strerror(errno));
  return listener_.listen(64, [this](int status) {
    if (status == 0) accept_one();
  });
}

void Broker::accept_one() {
  auto p = listener_.accept();
  if (!p) {
    log::warning("bus accept: {}", p.error().describe());
    return;
  }
  clients_.emplace_back(std::move(*p));
  auto it = std::prev(clients_.end());
  auto r = it->pipe.read_start([this, it](std::string_view bytes) { on_bytes(it, bytes); },
                               [this, it](int status) {
                                 drop(it, status == UV_EOF ? "" : event::uv_error_text(status));
                               });
  if (!r) drop(it, r.error().describe());
}

void Broker::on_bytes(ClientIt it, std::string_view bytes) {
  auto msgs = it->decoder.feed(bytes);
  if (!msgs) {
    drop(it, msgs.error().describe());
    return;
  }
  for (auto& m : *msgs)
    if (!handle(it, std::move(m))) return;
}

bool Broker::handle(ClientIt it, Message m) {
  switch (m.op) {
    case Op::Hello:
      it->name = m.name;
      it->pid = m.pid;
      log::debug("bus: {}[{}] connected", m.name, m.pid);
      break;
    case Op::Subscribe:
      for (auto& t : m.topics)
        if (std::find(it->patterns.begin(), it->patterns.end(), t) == it->patterns.end())
          it->patterns.push_back(t);
      break;
    case Op::Unsubscribe:
      for (auto& t : m.topics) std::erase(it->patterns, t);
      break;
    case Op::Publish:
      if (it->name.empty()) {
        drop(it, "publish before hello");
        return false;
      }
      m.from = it->name + "[" + std::to_string(it->pid) + "]";
      if (on_publish_) on_publish_(m, it->pid);
      route(m, &*it);
      break;
  }
  return true;
}

void Broker::publish(std::string_view topic, const nlohmann::json& data, std::string_view from) {
  Message m;
  m.op = Op::Publish;
  m.topic = std::string(topic);
  m.from = std::string(from);
  m.data = data;
  route(m, nullptr);
}

void Broker::route(const Message& m, const Client* sender) {
  std::string frame;
  std::vector<ClientIt> slow;
  for (auto it = clients_.begin(); it != clients_.end(); ++it) {
    if (&*it == sender) continue;
    bool wanted = std::any_of(it->patterns.begin(), it->patterns.end(),
                              [&](const std::string& p) { return topic_matches(p, m.topic); });
    if (!wanted) continue;
    if (it->pipe.write_queue_size() > kMaxBacklog) {
      slow.push_back(it);
      continue;
    }
    if (frame.empty()) frame = encode(m);
    (void)it->pipe.write(frame);
  }
  for (auto it : slow) drop(it, "too far behind on the bus");
}

void Broker::drop(ClientIt it, const std::string& why) {
  if (!why.empty()) log::warning("bus: dropping {}[{}]: {}", it->name, it->pid, why);
  // Erasing closes the pipe; its callbacks never run again.
  clients_.erase(it);
}

}  // namespace pillarbox::bus
