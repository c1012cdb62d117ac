// test_child: a small child program for supervision tests, built on the same
// daemon start-up as the real children. On each inherited listener it greets
// "hello NAME PID" and answers line commands:
//   PING -> "PONG PID"      QUERY -> "OK N" (schema migrations, via the executor)
//   EVENTS -> "EVENTS N JSON" (config.changed seen, the last one's data)
//   ACTIVITY -> "ACTIVITY N JSON" (activity events seen, the last one's data)
//   HANG -> blocks its loop forever (no more heartbeats)      QUIT -> closes
// Test-only: never installed.
#include <unistd.h>

#include <list>
#include <memory>
#include <string>

#include "libcore/base/log.hpp"
#include "libcore/daemon/daemon.hpp"
#include "libcore/event/tcp.hpp"

using namespace pillarbox;

namespace {

struct Conn {
  event::Tcp tcp;
  std::string buffer;
};

class TestChild {
 public:
  TestChild(event::Loop& loop, daemon::Daemon& d) : loop_(loop), d_(d) {}

  Expected<void> start() {
    for (auto& l : d_.listeners()) {
      auto t = event::Tcp::open(loop_, l.fd);
      if (!t) return Unexpected{t.error()};
      listeners_.push_back(std::make_unique<event::Tcp>(std::move(*t)));
      event::Tcp* lt = listeners_.back().get();
      if (auto r = lt->listen(128, [this, lt](int st) { if (st == 0) accept(*lt); }); !r) return r;
    }
    d_.on_config_changed([this](const nlohmann::json& data) {
      ++events_;
      last_event_ = data.dump();
    });
    d_.on_activity([this](const nlohmann::json& data) {
      ++activity_;
      last_activity_ = data.dump();
    });
    d_.on_stop([this](std::function<void()> finished) {
      listeners_.clear();
      conns_.clear();
      finished();
    });
    return {};
  }

 private:
  void accept(event::Tcp& listener) {
    auto c = listener.accept();
    if (!c) return;
    conns_.push_back(Conn{std::move(*c), {}});
    auto it = std::prev(conns_.end());
    (void)it->tcp.write("hello " + d_.environment().name + " " + std::to_string(::getpid()) + "\r\n");
    (void)it->tcp.read_start([this, it](std::string_view bytes) { on_bytes(it, bytes); },
                             [this, it](int) { conns_.erase(it); });
  }

  void on_bytes(std::list<Conn>::iterator it, std::string_view bytes) {
    it->buffer.append(bytes);
    size_t eol;
    while ((eol = it->buffer.find('\n')) != std::string::npos) {
      std::string line = it->buffer.substr(0, eol);
      it->buffer.erase(0, eol + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!command(it, line)) return;
    }
  }

  // False when the connection was closed.
  bool command(std::list<Conn>::iterator it, const std::string& line) {
    auto reply = [it](const std::string& s) { (void)it->tcp.write(s + "\r\n"); };
    if (line == "PING") {
      reply("PONG " + std::to_string(::getpid()));
    } else if (line == "EVENTS") {
      reply("EVENTS " + std::to_string(events_) + " " + last_event_);
    } else if (line == "ACTIVITY") {
      reply("ACTIVITY " + std::to_string(activity_) + " " + last_activity_);
    } else if (line == "QUERY") {
      auto alive = std::weak_ptr<int>(alive_);
      d_.db().run<long>(
          [](pqxx::connection& c) -> Expected<long> {
            pqxx::work tx(c);
            long n = tx.exec1("SELECT count(*) FROM schema_migrations")[0].as<long>();
            tx.commit();
            return n;
          },
          [this, it, alive](Expected<long> r) {
            if (alive.expired()) return;
            bool open = false;
            for (auto i = conns_.begin(); i != conns_.end(); ++i) open = open || i == it;
            if (!open) return;
            (void)it->tcp.write(r ? "OK " + std::to_string(*r) + "\r\n" : "ERR " + r.error().describe() + "\r\n");
          });
    } else if (line == "HANG") {
      log::info("HANG: blocking the loop");
      for (;;) ::pause();
    } else if (line == "QUIT") {
      conns_.erase(it);
      return false;
    } else {
      reply("ERR unknown command");
    }
    return true;
  }

  event::Loop& loop_;
  daemon::Daemon& d_;
  std::vector<std::unique_ptr<event::Tcp>> listeners_;
  std::list<Conn> conns_;
  int events_ = 0;
  std::string last_event_ = "{}";
  int activity_ = 0;
  std::string last_activity_ = "{}";
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace

int main() {
  event::Loop loop;
  int code = 0;
  {
    daemon::Daemon d(loop);
    if (auto r = d.start(1); !r) {
      log::error("start: {}", r.error().describe());
      return 1;
    }
    TestChild child(loop, d);
    if (auto r = child.start(); !r) {
      log::error("start: {}", r.error().describe());
      return 1;
    }
    code = d.run();
  }
  return code;
}
