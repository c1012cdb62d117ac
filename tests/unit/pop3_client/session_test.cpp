// The POP3 client session through its API (proto/pop3/client_session.hpp):
// one Result per request, ids, accessors, timers, masking, edge cases that
// transcripts show less directly.
#include <catch2/catch.hpp>

#include "client_transcript.hpp"
#include "proto/pop3/client_session.hpp"

using namespace pillarbox::pop3::client;

namespace {

struct Host {
  std::string written;
  std::vector<Result> results;
  int closes = 0;
  int starttls = 0;

  void take(const std::vector<Action>& actions) {
    for (const auto& a : actions) {
      switch (a.kind) {
        case Action::Kind::Write: written += a.bytes; break;
        case Action::Kind::StartTls: ++starttls; break;
        case Action::Kind::Close: ++closes; break;
        case Action::Kind::Result: results.push_back(a.result); break;
      }
    }
  }
};

Options options() {
  Options o;
  o.tls = TlsPolicy::Implicit;
  o.user = "tim";
  o.password = "secret";
  return o;
}

Request with_id(Request r, std::uint64_t id) {
  r.id = id;
  return r;
}

// Logs in by USER/PASS over implicit TLS; the server has no CAPA.
void login(Session& s, Host& h) {
  h.take(s.submit(with_id(Request::login(), 1)));
  h.take(s.on_connected());
  h.take(s.on_bytes("+OK ready\r\n-ERR\r\n+OK\r\n+OK in\r\n"));
  REQUIRE(h.results.size() == 1);
  REQUIRE(h.results[0].ok());
  h.results.clear();
  h.written.clear();
}

}  // namespace

TEST_CASE("pop3_client session: connect failure ends every request", "[pop3_client][session]") {
  Session s(options());
  Host h;
  h.take(s.submit(with_id(Request::login(), 7)));
  h.take(s.submit(with_id(Request::uidl(), 8)));
  h.take(s.on_connect_failed("Connection refused"));
  REQUIRE(h.results.size() == 2);
  CHECK(h.results[0].id == 7);
  CHECK(h.results[0].outcome == Outcome::ConnectionLost);
  CHECK(h.results[0].reply.text == "connection to the server failed: Connection refused");
  CHECK(h.results[1].id == 8);
  CHECK(h.results[1].outcome == Outcome::NotRun);
  CHECK(s.closed());
  CHECK(h.written.empty());
  CHECK(h.closes == 0);  // nothing to close
  h.take(s.submit(Request::noop()));
  REQUIRE(h.results.size() == 3);
  CHECK(h.results[2].outcome == Outcome::NotRun);
  CHECK(s.on_bytes("+OK\r\n").empty());
  CHECK(s.on_timeout().empty());
  CHECK(s.on_closed().empty());
}

TEST_CASE("pop3_client session: a whole collection run, one result per request", "[pop3_client][session]") {
  Session s(options());
  Host h;
  login(s, h);
  CHECK(s.logged_in());
  CHECK(s.idle());
  CHECK(s.method() == AuthMethod::UserPass);
  CHECK(s.tls_active());
  CHECK_FALSE(s.capabilities().known);
  CHECK_FALSE(s.apop_timestamp());

  // The host pipelines its requests; the session sends one command at a time.
  h.take(s.submit(with_id(Request::uidl(), 10)));
  h.take(s.submit(with_id(Request::retr(2), 11)));
  h.take(s.submit(with_id(Request::dele(2), 12)));
  h.take(s.submit(with_id(Request::quit(), 13)));
  CHECK(h.written == "UIDL\r\n");
  CHECK_FALSE(s.idle());
  h.take(s.on_bytes("+OK\r\n1 aaa\r\n2 bbb\r\n.\r\n"));
  CHECK(h.written == "UIDL\r\nRETR 2\r\n");
  h.take(s.on_bytes("+OK\r\nSubject: two\r\n\r\nbody\r\n.\r\n+OK deleted\r\n"));
  CHECK(h.written == "UIDL\r\nRETR 2\r\nDELE 2\r\nQUIT\r\n");
  CHECK(s.last_command_masked() == "QUIT");
  h.take(s.on_bytes("+OK bye\r\n"));
  REQUIRE(h.results.size() == 4);
  CHECK(h.results[0].id == 10);
  CHECK(h.results[0].uids.size() == 2);
  CHECK(h.results[0].uids[1].uid == "bbb");
  CHECK(h.results[1].id == 11);
  CHECK(h.results[1].msg == 2);
  CHECK(h.results[1].body == "Subject: two\r\n\r\nbody\r\n");
  CHECK(h.results[2].id == 12);
  CHECK(h.results[2].reply.text == "deleted");
  CHECK(h.results[3].id == 13);
  CHECK(h.results[3].ok());
  CHECK(h.closes == 1);
  CHECK(s.closed());
  CHECK_FALSE(s.failure());
}

TEST_CASE("pop3_client session: a large message in many reads", "[pop3_client][session]") {
  Options o = options();
  o.max_message_size = 1024 * 1024;
  Session s(o);
  Host h;
  login(s, h);
  h.take(s.submit(Request::retr(1)));
  std::string message;
  for (int i = 0; i < 5000; ++i) message += "line " + std::to_string(i) + (i % 100 == 0 ? "\r\n." : "") + "\r\n";
  std::string wire = "+OK\r\n";
  for (std::size_t pos = 0; pos < message.size();) {  // stuff as a server would
    std::size_t end = message.find("\r\n", pos) + 2;
    std::string line = message.substr(pos, end - pos);
    wire += (line[0] == '.' ? "." : "") + line;
    pos = end;
  }
  wire += ".\r\n";
  for (std::size_t pos = 0; pos < wire.size(); pos += 4093) h.take(s.on_bytes(wire.substr(pos, 4093)));
  REQUIRE(h.results.size() == 1);
  CHECK(h.results[0].ok());
  CHECK(h.results[0].body == message);
}

TEST_CASE("pop3_client session: timers", "[pop3_client][session]") {
  Session s(options());
  Host h;
  CHECK_FALSE(s.timeout());
  h.take(s.submit(Request::login()));
  h.take(s.on_connected());
  CHECK(s.timeout() == std::chrono::seconds(120));
  h.take(s.on_bytes("+OK ready\r\n"));
  CHECK(s.state() == Session::State::Capa);
  CHECK(s.timeout() == std::chrono::seconds(300));
  h.take(s.on_bytes("-ERR\r\n+OK\r\n+OK\r\n"));
  CHECK(s.state() == Session::State::Transaction);
  CHECK_FALSE(s.timeout());
  CHECK(s.on_timeout().empty());  // no timer was asked for
  h.take(s.submit(Request::dele(1)));
  CHECK(s.timeout() == std::chrono::seconds(300));
  h.take(s.on_bytes("+OK\r\n"));
  h.take(s.submit(Request::list()));
  CHECK(s.timeout() == std::chrono::seconds(600));
}

TEST_CASE("pop3_client session: QUIT refused or timing out", "[pop3_client][session]") {
  {
    Session s(options());
    Host h;
    login(s, h);
    h.take(s.submit(Request::quit()));
    h.take(s.submit(Request::noop()));  // after QUIT: not run
    h.take(s.on_bytes("-ERR some deleted messages not removed\r\n"));
    REQUIRE(h.results.size() == 2);
    CHECK(h.results[0].kind == Request::Kind::Noop);
    CHECK(h.results[0].outcome == Outcome::NotRun);
    CHECK(h.results[1].outcome == Outcome::Refused);
    CHECK(h.closes == 1);
  }
  {
    Session s(options());
    Host h;
    login(s, h);
    h.take(s.submit(Request::quit()));
    h.take(s.on_timeout());
    REQUIRE(h.results.size() == 1);
    CHECK(h.results[0].outcome == Outcome::Timeout);
    CHECK(h.results[0].reply.text == "timed out while waiting for the response to QUIT; deletions are not certain");
    CHECK(h.closes == 1);
    CHECK(s.closed());
  }
}

TEST_CASE("pop3_client session: QUIT before login", "[pop3_client][session]") {
  Session s(options());
  Host h;
  h.take(s.on_connected());
  h.take(s.on_bytes("+OK ready <1.2@host>\r\n"));
  CHECK(s.apop_timestamp() == std::optional<std::string>("<1.2@host>"));
  CHECK(s.state() == Session::State::Authorization);
  h.take(s.submit(Request::quit()));
  CHECK(h.written == "QUIT\r\n");
  h.take(s.on_bytes("+OK\r\n"));
  REQUIRE(h.results.size() == 1);
  CHECK(h.results[0].ok());
  CHECK(h.closes == 1);
}

TEST_CASE("pop3_client session: credentials with a line break are never sent", "[pop3_client][session]") {
  Options o = options();
  o.password = "secret\r\nDELE 1";
  Session s(o);
  Host h;
  h.take(s.submit(Request::login()));
  h.take(s.on_connected());
  h.take(s.on_bytes("+OK ready\r\n-ERR\r\n"));
  REQUIRE(h.results.size() == 1);
  CHECK(h.results[0].outcome == Outcome::Unsupported);
  CHECK(h.written == "CAPA\r\nQUIT\r\n");
}

TEST_CASE("pop3_client session: a raw command cannot carry a line break", "[pop3_client][session]") {
  Session s(options());
  Host h;
  login(s, h);
  h.take(s.submit(Request::raw("*ENV 1\r\nDELE 1", true)));
  REQUIRE(h.results.size() == 1);
  CHECK(h.results[0].outcome == Outcome::NotRun);
  CHECK(h.written.empty());
}

TEST_CASE("pop3_client session: APOP digest function failing", "[pop3_client][session]") {
  Options o = options();
  o.tls = TlsPolicy::None;
  o.auth = AuthMethod::Apop;
  o.apop_digest = [](std::string_view, std::string_view) { return std::string(); };
  Session s(o);
  Host h;
  h.take(s.submit(Request::login()));
  h.take(s.on_connected());
  h.take(s.on_bytes("+OK <1.2@host>\r\n-ERR\r\n"));
  REQUIRE(h.results.size() == 1);
  CHECK(h.results[0].outcome == Outcome::Unsupported);
  CHECK(h.results[0].reply.text == "APOP impossible: the APOP digest function failed");
  CHECK(h.written == "CAPA\r\nQUIT\r\n");
}

TEST_CASE("pop3_client session: malformed listings end the session", "[pop3_client][session]") {
  Session s(options());
  Host h;
  login(s, h);
  h.take(s.submit(Request::list()));
  h.take(s.on_bytes("+OK\r\n1 120\r\nbogus\r\n.\r\n"));
  REQUIRE(h.results.size() == 1);
  CHECK(h.results[0].outcome == Outcome::ProtocolError);
  CHECK(h.results[0].reply.text ==
        "protocol error while waiting for the response to LIST: malformed LIST line \"bogus\"");
  CHECK(h.closes == 1);

  Session s2(options());
  Host h2;
  login(s2, h2);
  h2.take(s2.submit(Request::stat()));
  h2.take(s2.on_bytes("+OK lots\r\n"));
  REQUIRE(h2.results.size() == 1);
  CHECK(h2.results[0].outcome == Outcome::ProtocolError);
}

TEST_CASE("pop3_client session: STLS handshake failure", "[pop3_client][session]") {
  Options o = options();
  o.tls = TlsPolicy::Required;
  Session s(o);
  Host h;
  h.take(s.submit(Request::login()));
  h.take(s.on_connected());
  h.take(s.on_bytes("+OK\r\n+OK\r\nSTLS\r\n.\r\n+OK begin\r\n"));
  CHECK(h.starttls == 1);
  CHECK(s.state() == Session::State::TlsHandshake);
  h.take(s.on_closed());
  REQUIRE(h.results.size() == 1);
  CHECK(h.results[0].outcome == Outcome::ConnectionLost);
  CHECK(h.results[0].reply.text == "connection lost during the TLS handshake");
  CHECK_FALSE(s.tls_active());
}

TEST_CASE("pop3_client session: connection closed while idle", "[pop3_client][session]") {
  Session s(options());
  Host h;
  login(s, h);
  h.take(s.on_closed());
  CHECK(h.results.empty());  // nothing was owed
  REQUIRE(s.failure());
  CHECK(s.failure()->outcome == Outcome::ConnectionLost);
  CHECK(s.failure()->reply.text == "connection lost");
  h.take(s.submit(Request::stat()));
  REQUIRE(h.results.size() == 1);
  CHECK(h.results[0].outcome == Outcome::NotRun);
  CHECK(h.results[0].reply.text == "connection lost");
}
