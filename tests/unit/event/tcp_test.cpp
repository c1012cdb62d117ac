// I/O tests for libcore/event/tcp and stream: a loopback listener on port 0,
// echo both ways, peer/local addresses, EOF as UV_EOF, write and shutdown
// statuses, large writes that copy their bytes, the close rule (no callback
// after close, a connection destroyed inside its own callbacks), and
// Tcp::open over a socket made with ::socket/::bind/::listen as a child
// adopting an inherited listener does.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "libcore/event/loop.hpp"
#include "libcore/event/tcp.hpp"

using namespace pillarbox;
using namespace pillarbox::event;
using namespace std::chrono_literals;

namespace {

constexpr auto kDeadline = 5s;
constexpr int kPending = 1;  // "callback not called yet" for status variables

// A listener on 127.0.0.1 that keeps each accepted connection and hands it
// to on_accept. Connections live in unique_ptrs so their addresses are stable.
struct TestServer {
  Tcp listener;
  std::vector<std::unique_ptr<Tcp>> accepted;
  std::function<void(Tcp&)> on_accept;
  int accept_errors = 0;

  explicit TestServer(Loop& loop) : listener(loop) {}

  uint16_t start() {
    REQUIRE(listener.bind("127.0.0.1", 0).ok());
    auto r = listener.listen(16, [this](int status) {
      if (status != 0) {
        ++accept_errors;
        return;
      }
      auto c = listener.accept();
      if (!c) {
        ++accept_errors;
        return;
      }
      accepted.push_back(std::make_unique<Tcp>(std::move(*c)));
      if (on_accept) on_accept(*accepted.back());
    });
    REQUIRE(r.ok());
    uint16_t port = listener.local_port();
    REQUIRE(port != 0);
    return port;
  }
};

std::string pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7) % 26);
  return s;
}

// Connects `client` and waits for the server to accept it.
void connect_client(Loop& loop, TestServer& server, Tcp& client, uint16_t port) {
  int status = kPending;
  size_t before = server.accepted.size();
  REQUIRE(client.connect("127.0.0.1", port, [&](int s) { status = s; }).ok());
  REQUIRE(loop.run_until([&] { return status != kPending && server.accepted.size() > before; }, kDeadline));
  REQUIRE(status == 0);
}

// A port on 127.0.0.1 nobody listens on: bound, read, released.
uint16_t closed_port(Loop& loop) {
  Tcp t(loop);
  REQUIRE(t.bind("127.0.0.1", 0).ok());
  uint16_t port = t.local_port();
  REQUIRE(port != 0);
  return port;
}

}  // namespace

TEST_CASE("Tcp bind to port 0 gets an ephemeral port", "[tcp]") {
  Loop loop;
  Tcp t(loop);
  REQUIRE(t.bind("127.0.0.1", 0).ok());
  CHECK(t.local_port() != 0);
  CHECK(t.fileno() >= 0);
}

TEST_CASE("Tcp echoes bytes both ways over loopback", "[tcp]") {
  Loop loop;
  TestServer server(loop);
  std::string server_got;
  int server_write_status = kPending;
  server.on_accept = [&](Tcp& c) {
    CHECK(c.write("hello client", [&](int s) { server_write_status = s; }).ok());
    CHECK(c.read_start(
               [&c, &server_got](std::string_view d) {
                 server_got += d;
                 CHECK(c.write(d).ok());
               },
               [](int) {})
              .ok());
  };
  uint16_t port = server.start();

  Tcp client(loop);
  int connect_status = kPending;
  int client_write_status = kPending;
  std::string client_got;
  REQUIRE(client
              .connect("127.0.0.1", port,
                       [&](int s) {
                         connect_status = s;
                         if (s != 0) return;
                         CHECK(client.read_start([&](std::string_view d) { client_got += d; }, [](int) {}).ok());
                         CHECK(client.write("ping", [&](int ws) { client_write_status = ws; }).ok());
                       })
              .ok());
  REQUIRE(loop.run_until(
      [&] {
        return client_got.size() >= 16 && server_write_status != kPending && client_write_status != kPending;
      },
      kDeadline));
  CHECK(connect_status == 0);
  CHECK(server_got == "ping");
  CHECK(client_got == "hello clientping");
  CHECK(server_write_status == 0);
  CHECK(client_write_status == 0);
  CHECK(server.accept_errors == 0);
}

TEST_CASE("Tcp peer and local addresses match on both ends", "[tcp]") {
  Loop loop;
  TestServer server(loop);
  uint16_t port = server.start();
  Tcp client(loop);
  connect_client(loop, server, client, port);
  Tcp& accepted = *server.accepted.at(0);

  CHECK(client.peer_address() == "127.0.0.1");
  CHECK(client.peer_port() == port);
  CHECK(accepted.peer_address() == "127.0.0.1");
  CHECK(accepted.peer_port() == client.local_port());
  CHECK(accepted.local_port() == port);
  CHECK(client.local_port() != 0);
  CHECK(client.local_port() != port);
}

TEST_CASE("Tcp addresses of an unconnected socket are empty", "[tcp]") {
  Loop loop;
  Tcp t(loop);
  CHECK(t.peer_address().empty());
  CHECK(t.peer_port() == 0);
  CHECK(t.local_port() == 0);
}

TEST_CASE("Tcp shutdown delivers UV_EOF to the peer's on_end", "[tcp]") {
  Loop loop;
  TestServer server(loop);
  int server_end = kPending;
  std::string server_got;
  server.on_accept = [&](Tcp& c) {
    CHECK(c.read_start([&](std::string_view d) { server_got += d; }, [&](int s) { server_end = s; }).ok());
  };
  uint16_t port = server.start();
  Tcp client(loop);
  connect_client(loop, server, client, port);

  int client_end = kPending;
  CHECK(client.read_start([](std::string_view) {}, [&](int s) { client_end = s; }).ok());
  CHECK(client.write("last words").ok());
  int shutdown_status = kPending;
  REQUIRE(client.shutdown([&](int s) { shutdown_status = s; }).ok());
  REQUIRE(loop.run_until([&] { return server_end != kPending && shutdown_status != kPending; }, kDeadline));
  CHECK(server_got == "last words");
  CHECK(server_end == UV_EOF);
  CHECK(shutdown_status == 0);

  // And the other direction: the server closes, the client reads EOF.
  server.accepted.clear();
  REQUIRE(loop.run_until([&] { return client_end != kPending; }, kDeadline));
  CHECK(client_end == UV_EOF);
}

TEST_CASE("Tcp large write arrives whole and the caller's buffer may go at once", "[tcp]") {
  Loop loop;
  TestServer server(loop);
  server.on_accept = [&](Tcp& c) {
    CHECK(c.read_start([&c](std::string_view d) { CHECK(c.write(d).ok()); }, [](int) {}).ok());
  };
  uint16_t port = server.start();
  Tcp client(loop);
  connect_client(loop, server, client, port);

  constexpr size_t kSize = 4 * 1024 * 1024;
  std::string got;
  CHECK(client.read_start([&](std::string_view d) { got += d; }, [](int) {}).ok());
  int write_status = kPending;
  {
    std::string payload = pattern(kSize);
    REQUIRE(client.write(payload, [&](int s) { write_status = s; }).ok());
    // Scribble over and free the caller's copy: the stream must have its own.
    payload.assign(payload.size(), 'X');
  }
  REQUIRE(loop.run_until([&] { return got.size() >= kSize && write_status != kPending; }, kDeadline));
  CHECK(write_status == 0);
  CHECK(got.size() == kSize);
  CHECK(got == pattern(kSize));
}

TEST_CASE("Tcp many small writes arrive in order", "[tcp]") {
  Loop loop;
  TestServer server(loop);
  std::string server_got;
  server.on_accept = [&](Tcp& c) {
    CHECK(c.read_start([&](std::string_view d) { server_got += d; }, [](int) {}).ok());
  };
  uint16_t port = server.start();
  Tcp client(loop);
  connect_client(loop, server, client, port);

  std::string expected;
  int done = 0;
  std::vector<int> order;
  for (int i = 0; i < 200; ++i) {
    std::string piece = std::to_string(i) + ";";
    expected += piece;
    REQUIRE(client.write(piece, [&, i](int s) {
      CHECK(s == 0);
      order.push_back(i);
      ++done;
    }).ok());
  }
  REQUIRE(loop.run_until([&] { return server_got.size() >= expected.size() && done == 200; }, kDeadline));
  CHECK(server_got == expected);
  for (int i = 0; i < 200; ++i) CHECK(order.at(static_cast<size_t>(i)) == i);
}

TEST_CASE("Tcp connect to a closed port reports ECONNREFUSED", "[tcp]") {
  Loop loop;
  uint16_t port = closed_port(loop);
  Tcp client(loop);
  int status = kPending;
  REQUIRE(client.connect("127.0.0.1", port, [&](int s) { status = s; }).ok());
  REQUIRE(loop.run_until([&] { return status != kPending; }, kDeadline));
  CHECK(status == UV_ECONNREFUSED);
}

TEST_CASE("Tcp bind and connect reject text that is not an IP address", "[tcp]") {
  Loop loop;
  Tcp t(loop);
  auto b = t.bind("localhost", 0);
  REQUIRE_FALSE(b.ok());
  CHECK(b.error().code == ErrorCode::InvalidInput);
  CHECK(b.error().message.find("localhost") != std::string::npos);

  bool called = false;
  auto c = t.connect("256.1.1.1", 25, [&](int) { called = true; });
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().code == ErrorCode::InvalidInput);
  uv_run(loop.get(), UV_RUN_NOWAIT);
  CHECK_FALSE(called);
}

TEST_CASE("Tcp listening on a port already in use fails with InUse", "[tcp]") {
  Loop loop;
  TestServer server(loop);
  uint16_t port = server.start();
  Tcp second(loop);
  // libuv may report EADDRINUSE from bind or defer it to listen.
  auto b = second.bind("127.0.0.1", port);
  if (!b.ok()) {
    CHECK(b.error().code == ErrorCode::InUse);
  } else {
    auto l = second.listen(16, [](int) {});
    REQUIRE_FALSE(l.ok());
    CHECK(l.error().code == ErrorCode::InUse);
  }
}

TEST_CASE("Tcp write callback does not run after close", "[tcp]") {
  Loop loop;
  TestServer server(loop);
  uint16_t port = server.start();
  Tcp client(loop);
  connect_client(loop, server, client, port);

  bool write_called = false;
  bool shutdown_called = false;
  REQUIRE(client.write(pattern(8 * 1024 * 1024), [&](int) { write_called = true; }).ok());
  REQUIRE(client.shutdown([&](int) { shutdown_called = true; }).ok());
  client.close();
  CHECK_FALSE(client.is_open());
  for (int i = 0; i < 4; ++i) uv_run(loop.get(), UV_RUN_NOWAIT);
  CHECK_FALSE(write_called);
  CHECK_FALSE(shutdown_called);
}

TEST_CASE("Tcp connect callback does not run after the Tcp is destroyed", "[tcp]") {
  Loop loop;
  TestServer server(loop);
  uint16_t port = server.start();
  std::optional<Tcp> client;
  client.emplace(loop);
  bool called = false;
  REQUIRE(client->connect("127.0.0.1", port, [&](int) { called = true; }).ok());
  client.reset();
  for (int i = 0; i < 4; ++i) uv_run(loop.get(), UV_RUN_NOWAIT);
  CHECK_FALSE(called);
}

TEST_CASE("Tcp connection destroyed inside its own read callback is safe", "[tcp]") {
  Loop loop;
  TestServer server(loop);
  int server_reads = 0;
  bool server_end_called = false;
  server.on_accept = [&](Tcp& c) {
    CHECK(c.read_start(
               [&](std::string_view) {
                 ++server_reads;
                 server.accepted.clear();  // destroys the Tcp whose callback is running
               },
               [&](int) { server_end_called = true; })
              .ok());
  };
  uint16_t port = server.start();
  Tcp client(loop);
  connect_client(loop, server, client, port);

  int client_end = kPending;
  CHECK(client.read_start([](std::string_view) {}, [&](int s) { client_end = s; }).ok());
  // More than one 64 KiB read buffer, so libuv would read again in the same turn.
  CHECK(client.write(pattern(1024 * 1024)).ok());
  REQUIRE(loop.run_until([&] { return client_end != kPending; }, kDeadline));
  CHECK(server_reads == 1);
  CHECK_FALSE(server_end_called);
  CHECK(server.accepted.empty());
  CHECK(client_end < 0);  // UV_EOF or UV_ECONNRESET: the server went away
}

TEST_CASE("Tcp connection destroyed inside its own on_end is safe", "[tcp]") {
  Loop loop;
  TestServer server(loop);
  int server_end = kPending;
  server.on_accept = [&](Tcp& c) {
    CHECK(c.read_start([](std::string_view) {},
                       [&](int s) {
                         server_end = s;
                         server.accepted.clear();
                       })
              .ok());
  };
  uint16_t port = server.start();
  Tcp client(loop);
  connect_client(loop, server, client, port);
  int client_end = kPending;
  CHECK(client.read_start([](std::string_view) {}, [&](int s) { client_end = s; }).ok());
  REQUIRE(client.shutdown().ok());
  REQUIRE(loop.run_until([&] { return client_end != kPending; }, kDeadline));
  CHECK(server_end == UV_EOF);
  CHECK(client_end == UV_EOF);
}

TEST_CASE("Tcp destroyed inside its own write callback is safe", "[tcp]") {
  Loop loop;
  TestServer server(loop);
  std::string server_got;
  int server_end = kPending;
  server.on_accept = [&](Tcp& c) {
    CHECK(c.read_start([&](std::string_view d) { server_got += d; }, [&](int s) { server_end = s; }).ok());
  };
  uint16_t port = server.start();
  std::optional<Tcp> client;
  client.emplace(loop);
  connect_client(loop, server, *client, port);
  int status = kPending;
  REQUIRE(client->write("bye", [&](int s) {
    status = s;
    client.reset();
  }).ok());
  REQUIRE(loop.run_until([&] { return server_end != kPending; }, kDeadline));
  CHECK(status == 0);
  CHECK_FALSE(client.has_value());
  CHECK(server_got == "bye");
  CHECK(server_end == UV_EOF);
}

TEST_CASE("Tcp open adopts a listening socket made with socket bind and listen", "[tcp]") {
  Loop loop;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = 0;
  REQUIRE(::inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr) == 1);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
  REQUIRE(::listen(fd, 16) == 0);
  sockaddr_in bound{};
  socklen_t len = sizeof bound;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len) == 0);
  uint16_t port = ntohs(bound.sin_port);

  auto adopted = Tcp::open(loop, fd);  // the Tcp now owns fd
  REQUIRE(adopted.ok());
  Tcp listener = std::move(*adopted);
  CHECK(listener.fileno() == fd);
  CHECK(listener.local_port() == port);

  std::vector<std::unique_ptr<Tcp>> accepted;
  std::string server_got;
  REQUIRE(listener
              .listen(16,
                      [&](int status) {
                        CHECK(status == 0);
                        auto c = listener.accept();
                        CHECK(c.ok());
                        if (!c) return;
                        accepted.push_back(std::make_unique<Tcp>(std::move(*c)));
                        Tcp& conn = *accepted.back();
                        CHECK(conn.read_start(
                                      [&conn, &server_got](std::string_view d) {
                                        server_got += d;
                                        CHECK(conn.write(d).ok());
                                      },
                                      [](int) {})
                                  .ok());
                      })
              .ok());

  Tcp client(loop);
  int connect_status = kPending;
  std::string client_got;
  REQUIRE(client
              .connect("127.0.0.1", port,
                       [&](int s) {
                         connect_status = s;
                         if (s != 0) return;
                         CHECK(client.read_start([&](std::string_view d) { client_got += d; }, [](int) {}).ok());
                         CHECK(client.write("inherited").ok());
                       })
              .ok());
  REQUIRE(loop.run_until([&] { return client_got.size() >= 9; }, kDeadline));
  CHECK(connect_status == 0);
  CHECK(server_got == "inherited");
  CHECK(client_got == "inherited");
}

TEST_CASE("Tcp open rejects a descriptor that is not open", "[tcp]") {
  Loop loop;
  // A high number nobody uses: a freshly closed one could be reused at once
  // (libuv itself opens /dev/null for its EMFILE reserve on first use).
  const int fd = 900;
  REQUIRE(::fcntl(fd, F_GETFD) == -1);
  auto r = Tcp::open(loop, fd);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("tcp open") != std::string::npos);
}
