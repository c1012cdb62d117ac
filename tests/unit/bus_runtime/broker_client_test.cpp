// Broker and Client together on one loop, over a Unix socket in a fresh temp
// dir: routing by pattern, "from" stamping, heartbeats, dropping misbehaving
// peers (raw Pipes speaking garbage), disconnect and reconnect. No sleeps:
// ordering on one connection is what proves that something did NOT arrive.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "libcore/bus/broker.hpp"
#include "libcore/bus/client.hpp"
#include "libcore/event/loop.hpp"
#include "libcore/event/pipe.hpp"
#include "libcore/event/timer.hpp"
#include "proto/bus/frame.hpp"
#include "proto/bus/topics.hpp"

using namespace std::chrono_literals;
using pillarbox::ErrorCode;
using pillarbox::Expected;
using pillarbox::bus::Broker;
using pillarbox::bus::Client;
using pillarbox::bus::encode;
using pillarbox::bus::FrameDecoder;
using pillarbox::bus::Message;
using pillarbox::bus::Op;
namespace event = pillarbox::event;

namespace {

constexpr auto kDeadline = 5s;

// A fresh 0700 directory under /tmp, removed with everything in it.
struct TempDir {
  std::string path;
  TempDir() {
    std::string templ = "/tmp/pillarbox-bus-XXXXXX";
    REQUIRE(::mkdtemp(templ.data()) != nullptr);
    path = templ;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

// A Client plus everything it received and whether it was told it is gone.
struct Peer {
  std::unique_ptr<Client> client;
  std::vector<Message> got;
  std::optional<std::string> disconnected;
  int pid = 0;
};

// A peer that speaks the wire protocol by hand, or speaks garbage.
struct RawPeer {
  event::Pipe pipe;
  FrameDecoder decoder;
  std::vector<Message> got;
  std::optional<int> connect_status;
  bool ended = false;
  bool decode_failed = false;  // the broker sent something that is not a frame

  explicit RawPeer(event::Loop& loop) : pipe(loop) {}
  void send(const Message& m) { REQUIRE(pipe.write(encode(m)).ok()); }
  void send_bytes(const std::string& bytes) { REQUIRE(pipe.write(bytes).ok()); }
};

Message hello(const std::string& name, int pid) {
  Message m;
  m.op = Op::Hello;
  m.name = name;
  m.pid = pid;
  return m;
}

Message subscription(Op op, std::vector<std::string> topics) {
  Message m;
  m.op = op;
  m.topics = std::move(topics);
  return m;
}

Message publication(const std::string& topic, nlohmann::json data = nlohmann::json::object()) {
  Message m;
  m.op = Op::Publish;
  m.topic = topic;
  m.data = std::move(data);
  return m;
}

// The topics received, in order, without the tests' own "test.sync" ones
// (a "*" subscriber may see another peer's sync arrive late).
std::vector<std::string> topics_of(const std::vector<Message>& msgs) {
  std::vector<std::string> out;
  for (const auto& m : msgs)
    if (m.topic != "test.sync") out.push_back(m.topic);
  return out;
}

// One loop, one broker on a socket in a fresh temp dir, and helpers to
// connect Clients and raw peers. Members are declared so that the loop is
// destroyed last.
struct BusFixture {
  TempDir dir;
  event::Loop loop;
  std::string path = dir.path + "/bus.sock";
  std::unique_ptr<Broker> broker;
  std::vector<std::pair<Message, int>> seen;  // what on_publish reported
  int sync_seq = 0;

  BusFixture() {
    // As in every Pillarbox process (master.cpp, daemon.cpp): a write to a
    // peer that just went away must be an error, not a signal.
    ::signal(SIGPIPE, SIG_IGN);
    start_broker();
  }

  void start_broker() {
    broker = std::make_unique<Broker>(loop, path);
    REQUIRE(broker->start(0660).ok());
    broker->on_publish([this](const Message& m, int pid) { seen.emplace_back(m, pid); });
  }

  std::unique_ptr<Peer> make_peer(const std::string& name, int pid) {
    auto p = std::make_unique<Peer>();
    p->pid = pid;
    p->client = std::make_unique<Client>(loop, path, name, pid);
    Peer* raw = p.get();
    p->client->on_message([raw](const Message& m) { raw->got.push_back(m); });
    p->client->on_disconnect([raw](const std::string& why) { raw->disconnected = why; });
    return p;
  }

  void connect(Peer& p) {
    std::size_t before = broker ? broker->client_count() : 0;
    std::optional<Expected<void>> result;
    p.client->connect([&result](Expected<void> r) { result.emplace(std::move(r)); });
    REQUIRE(loop.run_until([&] { return result.has_value(); }, kDeadline));
    REQUIRE(result->ok());
    REQUIRE(p.client->connected());
    REQUIRE(loop.run_until([&] { return broker->client_count() == before + 1; }, kDeadline));
  }

  std::unique_ptr<Peer> connected_peer(const std::string& name, int pid) {
    auto p = make_peer(name, pid);
    connect(*p);
    return p;
  }

  // Returns once the broker has handled everything `pid` sent before: the
  // sync publish travels behind it on the same connection.
  void sync(Client& c, int pid) {
    int n = ++sync_seq;
    c.publish("test.sync", {{"seq", n}});
    REQUIRE(loop.run_until([&] { return saw_sync(pid, n); }, kDeadline));
  }
  void sync(RawPeer& r, int pid) {
    int n = ++sync_seq;
    r.send(publication("test.sync", {{"seq", n}}));
    REQUIRE(loop.run_until([&] { return saw_sync(pid, n); }, kDeadline));
  }
  bool saw_sync(int pid, int n) const {
    for (const auto& [m, p] : seen)
      if (p == pid && m.topic == "test.sync" && m.data.value("seq", 0) == n) return true;
    return false;
  }

  // Connects a raw peer and waits until the broker has accepted it.
  std::unique_ptr<RawPeer> raw_peer(bool read = true) {
    std::size_t before = broker->client_count();
    auto r = std::make_unique<RawPeer>(loop);
    RawPeer* p = r.get();
    p->pipe.connect(path, [p, read](int status) {
      p->connect_status = status;
      if (status != 0 || !read) return;
      auto ok = p->pipe.read_start(
          [p](std::string_view bytes) {
            // No REQUIRE here: an exception must not unwind through libuv.
            auto msgs = p->decoder.feed(bytes);
            if (!msgs) {
              p->decode_failed = true;
              return;
            }
            for (auto& m : *msgs) p->got.push_back(std::move(m));
          },
          [p](int) { p->ended = true; });
      REQUIRE(ok.ok());
    });
    REQUIRE(loop.run_until([&] { return p->connect_status.has_value(); }, kDeadline));
    REQUIRE(*p->connect_status == 0);
    REQUIRE(loop.run_until([&] { return broker->client_count() == before + 1; }, kDeadline));
    return r;
  }

  // Runs the loop until `p` has received a publish of `topic`.
  bool received(Peer& p, const std::string& topic) {
    return loop.run_until(
        [&] {
          for (const auto& m : p.got)
            if (m.topic == topic) return true;
          return false;
        },
        kDeadline);
  }
};

}  // namespace

TEST_CASE("a publish reaches a subscriber with from set to name and pid", "[bus][broker][client]") {
  BusFixture f;
  auto sub = f.connected_peer("imapd", 1111);
  auto pub = f.connected_peer("smtpd", 2222);
  sub->client->subscribe({std::string(pillarbox::bus::kConfigChanged)});
  f.sync(*sub->client, sub->pid);

  pub->client->publish("config.changed", {{"table", "accounts"}, {"n", 7}});
  REQUIRE(f.received(*sub, "config.changed"));
  REQUIRE(sub->got.size() == 1);
  const Message& m = sub->got.front();
  CHECK(m.op == Op::Publish);
  CHECK(m.topic == "config.changed");
  CHECK(m.from == "smtpd[2222]");
  CHECK(m.data == nlohmann::json({{"table", "accounts"}, {"n", 7}}));

  // on_publish saw it too, stamped the same way, with the sender's pid.
  bool reported = false;
  for (const auto& [seen_m, pid] : f.seen)
    if (seen_m.topic == "config.changed") {
      reported = true;
      CHECK(pid == 2222);
      CHECK(seen_m.from == "smtpd[2222]");
    }
  CHECK(reported);
}

TEST_CASE("a publisher does not receive its own publish", "[bus][broker][client]") {
  BusFixture f;
  auto a = f.connected_peer("smtpd", 10);
  auto b = f.connected_peer("imapd", 20);
  a->client->subscribe({"*"});
  b->client->subscribe({"*"});
  f.sync(*a->client, a->pid);
  f.sync(*b->client, b->pid);
  a->got.clear();
  b->got.clear();

  a->client->publish("queue.ready");
  REQUIRE(f.received(*b, "queue.ready"));
  // b received it, so the broker has routed it; b's marker is routed after
  // it and reaches a on the same connection any copy would have used.
  b->client->publish("activity", {{"marker", true}});
  REQUIRE(f.received(*a, "activity"));
  CHECK(topics_of(a->got) == std::vector<std::string>{"activity"});
  CHECK(topics_of(b->got) == std::vector<std::string>{"queue.ready"});
}

TEST_CASE("a prefix pattern selects the topics below it only", "[bus][broker][client]") {
  BusFixture f;
  auto sub = f.connected_peer("imapd", 30);
  auto pub = f.connected_peer("lmtpd", 31);
  sub->client->subscribe({"mailbox.*"});
  f.sync(*sub->client, sub->pid);

  pub->client->publish("queue.ready");
  pub->client->publish("mailbox");
  pub->client->publish("mailboxes.x");
  pub->client->publish("mailbox.changed", {{"mailbox", 5}});
  pub->client->publish("mailbox.a.b");
  REQUIRE(f.received(*sub, "mailbox.a.b"));
  // One connection, in order: anything wrongly routed would sit before it.
  CHECK(topics_of(sub->got) == std::vector<std::string>{"mailbox.changed", "mailbox.a.b"});
  CHECK(sub->got.front().data == nlohmann::json({{"mailbox", 5}}));
}

TEST_CASE("the star pattern receives every topic", "[bus][broker][client]") {
  BusFixture f;
  auto sub = f.connected_peer("master-ui", 40);
  auto pub = f.connected_peer("senderd", 41);
  sub->client->subscribe({"*"});
  f.sync(*sub->client, sub->pid);
  sub->got.clear();

  const std::vector<std::string> topics = {"mailbox.changed", "queue.ready", "config.changed",
                                           "collect.now", "activity", "shutdown", "x-1_y.z"};
  for (const auto& t : topics) pub->client->publish(t);
  REQUIRE(f.received(*sub, "x-1_y.z"));
  CHECK(topics_of(sub->got) == topics);
  for (const auto& m : sub->got) CHECK(m.from == "senderd[41]");
}

TEST_CASE("a publish matching several patterns is delivered once", "[bus][broker][client]") {
  BusFixture f;
  auto sub = f.connected_peer("imapd", 50);
  auto pub = f.connected_peer("smtpd", 51);
  sub->client->subscribe({"mailbox.changed", "mailbox.*", "*"});
  sub->client->subscribe({"mailbox.*"});  // already held: not sent again
  f.sync(*sub->client, sub->pid);
  sub->got.clear();

  pub->client->publish("mailbox.changed");
  pub->client->publish("queue.ready");
  REQUIRE(f.received(*sub, "queue.ready"));
  CHECK(topics_of(sub->got) == std::vector<std::string>{"mailbox.changed", "queue.ready"});
}

TEST_CASE("unsubscribe stops delivery", "[bus][broker]") {
  // Client has no unsubscribe(); the broker's side is driven by hand.
  BusFixture f;
  auto raw = f.raw_peer();
  raw->send(hello("popd", 60));
  raw->send(subscription(Op::Subscribe, {"config.changed", "queue.ready"}));
  f.sync(*raw, 60);
  auto pub = f.connected_peer("smtpd", 61);

  pub->client->publish("config.changed", {{"round", 1}});
  REQUIRE(f.loop.run_until([&] { return raw->got.size() == 1; }, kDeadline));
  CHECK(raw->got[0].topic == "config.changed");
  CHECK(raw->got[0].from == "smtpd[61]");

  raw->send(subscription(Op::Unsubscribe, {"config.changed"}));
  f.sync(*raw, 60);
  pub->client->publish("config.changed", {{"round", 2}});
  pub->client->publish("queue.ready");
  REQUIRE(f.loop.run_until([&] { return raw->got.size() >= 2; }, kDeadline));
  CHECK(topics_of(raw->got) == std::vector<std::string>{"config.changed", "queue.ready"});
  CHECK(raw->got[0].data == nlohmann::json({{"round", 1}}));
}

TEST_CASE("a publish from the master reaches subscribers with the given from", "[bus][broker][client]") {
  BusFixture f;
  auto sub = f.connected_peer("imapd", 70);
  auto other = f.connected_peer("smtpd", 71);
  sub->client->subscribe({"config.*", "config.changed"});
  other->client->subscribe({"queue.ready"});
  f.sync(*sub->client, sub->pid);
  f.sync(*other->client, other->pid);

  f.broker->publish("config.changed", {{"source", "database"}}, "master[1]");
  f.broker->publish("queue.ready", nlohmann::json::object(), "master[1]");
  REQUIRE(f.received(*sub, "config.changed"));
  REQUIRE(f.received(*other, "queue.ready"));
  REQUIRE(sub->got.size() == 1);
  CHECK(sub->got[0].from == "master[1]");
  CHECK(sub->got[0].data == nlohmann::json({{"source", "database"}}));
  CHECK(topics_of(other->got) == std::vector<std::string>{"queue.ready"});
  // The master's own publishes are not client publishes.
  for (const auto& [m, pid] : f.seen) CHECK(m.topic == "test.sync");
}

TEST_CASE("on_publish sees heartbeats with the sender pid", "[bus][broker][client]") {
  BusFixture f;
  auto c = f.connected_peer("smtpd", 4242);
  auto watcher = f.connected_peer("other", 4343);
  c->client->start_heartbeat(20);
  auto heartbeats = [&] {
    std::size_t n = 0;
    for (const auto& [m, pid] : f.seen)
      if (m.topic == pillarbox::bus::kHeartbeat) ++n;
    return n;
  };
  // The first one goes out at once, then one every 20 ms.
  REQUIRE(f.loop.run_until([&] { return heartbeats() >= 3; }, kDeadline));
  for (const auto& [m, pid] : f.seen) {
    CHECK(m.topic == "heartbeat");
    CHECK(pid == 4242);
    CHECK(m.from == "smtpd[4242]");
  }
  // Heartbeats are publishes like any other: a "*" subscriber sees them.
  watcher->client->subscribe({"*"});
  f.sync(*watcher->client, watcher->pid);
  REQUIRE(f.received(*watcher, "heartbeat"));
  CHECK(watcher->got.back().from == "smtpd[4242]");

  // After stop and a sync, nothing more arrives across several intervals.
  c->client->stop_heartbeat();
  f.sync(*c->client, c->pid);
  std::size_t after_stop = heartbeats();
  bool elapsed = false;
  event::Timer later(f.loop);
  later.start(100, 0, [&elapsed] { elapsed = true; });
  REQUIRE(f.loop.run_until([&] { return elapsed; }, kDeadline));
  f.sync(*c->client, c->pid);
  CHECK(heartbeats() == after_stop);
}

TEST_CASE("a peer sending a bad frame is dropped while others keep working", "[bus][broker]") {
  BusFixture f;
  auto sub = f.connected_peer("imapd", 80);
  auto pub = f.connected_peer("smtpd", 81);
  sub->client->subscribe({"*"});
  f.sync(*sub->client, sub->pid);
  sub->got.clear();

  auto raw = f.raw_peer();
  raw->send(hello("evil", 82));
  raw->send(subscription(Op::Subscribe, {"*"}));
  f.sync(*raw, 82);
  REQUIRE(f.broker->client_count() == 3);

  std::string garbage;
  SECTION("an oversized length header") {
    garbage = std::string("\xff\xff\xff\xff", 4);
  }
  SECTION("a length just over the limit") {
    const auto n = static_cast<uint32_t>(pillarbox::bus::kMaxFrame + 1);
    garbage = {static_cast<char>(n >> 24), static_cast<char>((n >> 16) & 0xff),
               static_cast<char>((n >> 8) & 0xff), static_cast<char>(n & 0xff)};
  }
  SECTION("a zero length") {
    garbage = std::string(4, '\0');
  }
  SECTION("a payload that is not JSON") {
    garbage = std::string("\0\0\0\x05{oops", 9);
  }
  SECTION("JSON that is not a message") {
    garbage = std::string("\0\0\0\x0f{\"op\":\"launch\"}", 19);
  }
  SECTION("a subscription to an invalid pattern") {
    std::string payload = R"({"op":"subscribe","topics":["Bad Topic"]})";
    garbage = std::string(3, '\0') + static_cast<char>(payload.size()) + payload;
  }
  raw->send_bytes(garbage);
  REQUIRE(f.loop.run_until([&] { return f.broker->client_count() == 2; }, kDeadline));
  // The broker closed its end: the raw peer reads end of file.
  CHECK(f.loop.run_until([&] { return raw->ended; }, kDeadline));

  pub->client->publish("mailbox.changed", {{"after", "drop"}});
  REQUIRE(f.received(*sub, "mailbox.changed"));
  CHECK(sub->got.back().from == "smtpd[81]");
  CHECK(sub->client->connected());
  CHECK(pub->client->connected());
  CHECK_FALSE(sub->disconnected.has_value());
  CHECK_FALSE(pub->disconnected.has_value());
  // Nothing reached the dropped peer after the drop.
  CHECK_FALSE(raw->decode_failed);
  for (const auto& m : raw->got) CHECK(m.topic != "mailbox.changed");
}

TEST_CASE("a publish before hello drops the client and is not routed", "[bus][broker]") {
  BusFixture f;
  auto sub = f.connected_peer("imapd", 90);
  sub->client->subscribe({"*"});
  f.sync(*sub->client, sub->pid);
  sub->got.clear();
  std::size_t seen_before = f.seen.size();

  auto raw = f.raw_peer();
  raw->send(subscription(Op::Subscribe, {"*"}));  // allowed before hello
  raw->send(publication("config.changed", {{"forged", true}}));
  REQUIRE(f.loop.run_until([&] { return f.broker->client_count() == 1; }, kDeadline));
  CHECK(f.loop.run_until([&] { return raw->ended; }, kDeadline));
  CHECK(f.seen.size() == seen_before);

  auto pub = f.connected_peer("smtpd", 91);
  pub->client->publish("queue.ready");
  REQUIRE(f.received(*sub, "queue.ready"));
  CHECK(topics_of(sub->got) == std::vector<std::string>{"queue.ready"});
}

TEST_CASE("subscriptions made before connect are sent on connect", "[bus][client]") {
  BusFixture f;
  auto sub = f.make_peer("senderd", 100);
  sub->client->subscribe({"queue.ready", "collect.now"});
  CHECK_FALSE(sub->client->connected());
  f.connect(*sub);
  f.sync(*sub->client, sub->pid);

  auto pub = f.connected_peer("smtpd", 101);
  pub->client->publish("mailbox.changed");
  pub->client->publish("queue.ready", {{"id", 1}});
  pub->client->publish("collect.now");
  REQUIRE(f.received(*sub, "collect.now"));
  CHECK(topics_of(sub->got) == std::vector<std::string>{"queue.ready", "collect.now"});
}

TEST_CASE("connecting to a socket that does not exist fails with Unavailable", "[bus][client]") {
  TempDir dir;
  event::Loop loop;
  Client c(loop, dir.path + "/nobody.sock", "smtpd", 5);
  std::optional<Expected<void>> result;
  c.connect([&result](Expected<void> r) { result.emplace(std::move(r)); });
  REQUIRE(loop.run_until([&] { return result.has_value(); }, kDeadline));
  REQUIRE_FALSE(result->ok());
  CHECK(result->error().code == ErrorCode::Unavailable);
  CHECK(result->error().message.find("nobody.sock") != std::string::npos);
  CHECK_FALSE(c.connected());
  c.publish("queue.ready");  // dropped silently
}

TEST_CASE("destroying the broker disconnects its clients", "[bus][broker][client]") {
  BusFixture f;
  auto a = f.connected_peer("smtpd", 110);
  auto b = f.connected_peer("imapd", 111);
  f.sync(*b->client, b->pid);      // the broker has read all b sent
  a->client->start_heartbeat(20);  // a's first heartbeat may still be unread

  f.broker.reset();
  REQUIRE(f.loop.run_until([&] { return a->disconnected && b->disconnected; }, kDeadline));
  CHECK_FALSE(a->client->connected());
  CHECK_FALSE(b->client->connected());
  CHECK(*b->disconnected == "the master closed the bus");
  // Closing a socket with unread input resets it: a may see ECONNRESET.
  CHECK_FALSE(a->disconnected->empty());

  // Publishing, subscribing and heartbeats while disconnected: no crash, no
  // second on_disconnect.
  a->disconnected.reset();
  a->client->publish("queue.ready", {{"lost", true}});
  a->client->subscribe({"config.changed"});
  a->client->start_heartbeat(5);
  int ticks = 0;
  event::Timer tick(f.loop);
  tick.start(5, 5, [&ticks] { ++ticks; });
  REQUIRE(f.loop.run_until([&] { return ticks >= 6; }, kDeadline));  // heartbeat timer fired too
  a->client->stop_heartbeat();
  CHECK_FALSE(a->disconnected.has_value());
  CHECK_FALSE(a->client->connected());
}

TEST_CASE("a publish on a client that never connected is dropped silently", "[bus][client]") {
  BusFixture f;
  auto c = f.make_peer("smtpd", 120);
  c->client->publish("queue.ready");
  c->client->publish("config.changed", {{"a", 1}});
  CHECK_FALSE(c->client->connected());
  CHECK(f.broker->client_count() == 0);
  CHECK(f.seen.empty());
}

TEST_CASE("a client reconnecting to a new broker sends its subscriptions again", "[bus][broker][client]") {
  BusFixture f;
  auto sub = f.connected_peer("imapd", 130);
  sub->client->subscribe({"mailbox.*"});
  f.sync(*sub->client, sub->pid);

  f.broker.reset();
  REQUIRE(f.loop.run_until([&] { return sub->disconnected.has_value(); }, kDeadline));
  f.start_broker();
  f.connect(*sub);
  f.sync(*sub->client, sub->pid);

  auto pub = f.connected_peer("lmtpd", 131);
  pub->client->publish("queue.ready");
  pub->client->publish("mailbox.changed", {{"again", true}});
  REQUIRE(f.received(*sub, "mailbox.changed"));
  CHECK(topics_of(sub->got) == std::vector<std::string>{"mailbox.changed"});
  CHECK(sub->got[0].from == "lmtpd[131]");
}

TEST_CASE("a subscriber that stops reading is dropped once too far behind", "[bus][broker]") {
  BusFixture f;
  auto good = f.connected_peer("imapd", 140);
  good->client->subscribe({"activity"});
  f.sync(*good->client, good->pid);

  auto slow = f.raw_peer(/*read=*/false);
  slow->send(hello("stuck", 141));
  slow->send(subscription(Op::Subscribe, {"*"}));
  f.sync(*slow, 141);
  REQUIRE(f.broker->client_count() == 2);

  // 64 KiB events, far more than the socket buffer and kMaxBacklog together.
  const std::string blob(64 * 1024, 'x');
  const int rounds = static_cast<int>(2 * Broker::kMaxBacklog / blob.size());
  for (int i = 0; i < rounds && f.broker->client_count() == 2; ++i)
    f.broker->publish("queue.ready", {{"blob", blob}}, "master[1]");
  CHECK(f.broker->client_count() == 1);

  f.broker->publish("activity", {{"line", "still here"}}, "master[1]");
  REQUIRE(f.received(*good, "activity"));
  CHECK(good->client->connected());
}

TEST_CASE("the socket file gets the requested mode", "[bus][broker]") {
  TempDir dir;
  event::Loop loop;
  Broker broker(loop, dir.path + "/bus.sock");
  REQUIRE(broker.start(0660).ok());
  struct stat st {};
  REQUIRE(::stat(broker.path().c_str(), &st) == 0);
  CHECK(S_ISSOCK(st.st_mode));
  CHECK((st.st_mode & 0777) == 0660);
}

TEST_CASE("a client that goes away is forgotten by the broker", "[bus][broker][client]") {
  BusFixture f;
  auto stays = f.connected_peer("imapd", 150);
  auto leaves = f.connected_peer("smtpd", 151);
  leaves->client->subscribe({"*"});
  f.sync(*leaves->client, leaves->pid);
  REQUIRE(f.broker->client_count() == 2);

  leaves.reset();
  REQUIRE(f.loop.run_until([&] { return f.broker->client_count() == 1; }, kDeadline));
  // Routing to the remaining subscriber still works; nothing is written to
  // the one that left.
  stays->client->subscribe({"queue.ready"});
  f.sync(*stays->client, stays->pid);
  f.broker->publish("queue.ready", nlohmann::json::object(), "master[1]");
  REQUIRE(f.received(*stays, "queue.ready"));
}
