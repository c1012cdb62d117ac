// I/O tests for libcore/net Connection and libcore/tls Session: plaintext
// echo, TLS from the first byte (implicit), a STARTTLS-style switch after a
// plaintext reply, the idle callback, close_after_flush delivering queued
// bytes, and a garbage handshake closing the connection with a reason.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "libcore/event/loop.hpp"
#include "libcore/event/tcp.hpp"
#include "libcore/net/connection.hpp"
#include "libcore/tls/context.hpp"
#include "libcore/tls/self_signed.hpp"
#include "libcore/tls/session.hpp"

using namespace pillarbox;
using namespace std::chrono_literals;

namespace {

struct Certs {
  std::string dir;
  std::shared_ptr<tls::Context> server;
  Certs() {
    char tmpl[] = "/tmp/pbx-net-XXXXXX";
    dir = ::mkdtemp(tmpl);
    auto r = tls::make_self_signed("mail.test.example", dir + "/cert.pem", dir + "/key.pem");
    REQUIRE(r.ok());
    auto ctx = tls::Context::server(dir + "/cert.pem", dir + "/key.pem");
    REQUIRE(ctx.ok());
    server = *ctx;
  }
  ~Certs() { std::filesystem::remove_all(dir); }
};

// A server accepting one connection into a net::Connection that echoes
// lines back, upper-cased, and switches to TLS after answering "STARTTLS".
struct EchoServer {
  event::Loop& loop;
  event::Tcp listener;
  std::unique_ptr<net::Connection> conn;
  std::shared_ptr<tls::Context> ctx;
  bool implicit_tls = false;
  bool idled = false;
  std::optional<std::string> closed;
  uint64_t idle_ms = 60000;

  EchoServer(event::Loop& l, std::shared_ptr<tls::Context> c) : loop(l), listener(l), ctx(std::move(c)) {
    REQUIRE(listener.bind("127.0.0.1", 0).ok());
    REQUIRE(listener.listen(8, [this](int) { accept(); }).ok());
  }
  uint16_t port() const { return listener.local_port(); }

  void accept() {
    auto t = listener.accept();
    REQUIRE(t.ok());
    conn = std::make_unique<net::Connection>(loop, std::move(*t), net::ConnectionLimits{idle_ms, 1 << 20});
    if (implicit_tls) REQUIRE(conn->start_tls(ctx).ok());
    REQUIRE(conn->start([this](std::string_view d) { on_data(d); },
                        [this](const std::string& why) { closed = why; },
                        [this] {
                          idled = true;
                          conn->send("BYE\n");
                          conn->close_after_flush();
                        })
                .ok());
  }
  void on_data(std::string_view d) {
    std::string s(d);
    if (s == "STARTTLS\n") {
      conn->send("GO\n");
      REQUIRE(conn->start_tls(ctx).ok());
      return;
    }
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    conn->send(s);
  }
};

// A client over event::Tcp with an optional client-side tls::Session.
struct Client {
  event::Tcp tcp;
  std::optional<tls::Session> tls;
  std::string received;
  bool ended = false;

  explicit Client(event::Loop& loop) : tcp(loop) {}
  void connect(event::Loop& loop, uint16_t port) {
    bool connected = false;
    REQUIRE(tcp.connect("127.0.0.1", port, [&](int st) { connected = st == 0; }).ok());
    REQUIRE(loop.run_until([&] { return connected; }, 5s));
    REQUIRE(tcp.read_start([this](std::string_view d) { on_bytes(d); }, [this](int) { ended = true; }).ok());
  }
  void start_tls() {
    auto ctx = tls::Context::client(false);
    REQUIRE(ctx.ok());
    auto s = tls::Session::client(*ctx, "mail.test.example");
    REQUIRE(s.ok());
    tls.emplace(std::move(*s));
    flush();
  }
  void on_bytes(std::string_view d) {
    if (!tls) {
      received += d;
      return;
    }
    auto plain = tls->on_ciphertext(d);
    REQUIRE(plain.ok());
    received += *plain;
    flush();
  }
  void send(std::string_view s) {
    if (!tls) {
      REQUIRE(tcp.write(s).ok());
      return;
    }
    REQUIRE(tls->write(s).ok());
    flush();
  }
  void flush() {
    std::string out = tls->take_ciphertext();
    if (!out.empty()) REQUIRE(tcp.write(out).ok());
  }
};

}  // namespace

TEST_CASE("Connection echoes plaintext and reports an orderly close", "[net]") {
  event::Loop loop;
  Certs certs;
  EchoServer server(loop, certs.server);
  Client client(loop);
  client.connect(loop, server.port());
  client.send("hello\n");
  REQUIRE(loop.run_until([&] { return client.received == "HELLO\n"; }, 5s));
  CHECK_FALSE(server.conn->tls_active());
  CHECK(server.conn->peer_address() == "127.0.0.1");
  client.tcp.close();
  REQUIRE(loop.run_until([&] { return server.closed.has_value(); }, 5s));
  CHECK(*server.closed == "");
}

TEST_CASE("Connection speaks TLS from the first byte when asked", "[net][tls]") {
  event::Loop loop;
  Certs certs;
  EchoServer server(loop, certs.server);
  server.implicit_tls = true;
  Client client(loop);
  client.connect(loop, server.port());
  client.start_tls();
  client.send("secret\n");
  REQUIRE(loop.run_until([&] { return client.received == "SECRET\n"; }, 5s));
  REQUIRE(server.conn->tls_active());
  CHECK(server.conn->tls()->handshake_done());
  CHECK(server.conn->tls()->version().rfind("TLSv1.", 0) == 0);
}

TEST_CASE("Connection switches to TLS after a plaintext reply", "[net][tls]") {
  event::Loop loop;
  Certs certs;
  EchoServer server(loop, certs.server);
  Client client(loop);
  client.connect(loop, server.port());
  client.send("STARTTLS\n");
  REQUIRE(loop.run_until([&] { return client.received == "GO\n"; }, 5s));
  client.received.clear();
  client.start_tls();
  client.send("inside\n");
  REQUIRE(loop.run_until([&] { return client.received == "INSIDE\n"; }, 5s));
  CHECK(server.conn->tls_active());
}

TEST_CASE("Connection calls on_idle and close_after_flush delivers the goodbye", "[net]") {
  event::Loop loop;
  Certs certs;
  EchoServer server(loop, certs.server);
  server.idle_ms = 50;
  Client client(loop);
  client.connect(loop, server.port());
  REQUIRE(loop.run_until([&] { return client.ended; }, 5s));
  CHECK(server.idled);
  CHECK(client.received == "BYE\n");
  REQUIRE(loop.run_until([&] { return server.closed.has_value(); }, 5s));
}

TEST_CASE("Connection closes with a reason on a garbage TLS handshake", "[net][tls]") {
  event::Loop loop;
  Certs certs;
  EchoServer server(loop, certs.server);
  server.implicit_tls = true;
  Client client(loop);
  client.connect(loop, server.port());
  client.send("EHLO this is not TLS\r\n");
  REQUIRE(loop.run_until([&] { return server.closed.has_value(); }, 5s));
  CHECK(server.closed->find("TLS handshake") != std::string::npos);
}
