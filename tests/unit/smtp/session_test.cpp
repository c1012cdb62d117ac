// Unit tests of the session contract that transcripts do not show well:
// pending handlers buffer input, merged writes, answers out of turn, the
// pipelined-input cap, state and user(), exact message bytes.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "proto/smtp/session.hpp"
#include "transcript.hpp"

using namespace pillarbox::smtp;
using K = Action::Kind;

namespace {

Options options() {
  Options o;
  o.hostname = "mx.example.org";
  return o;
}

std::string writes(const std::vector<Action>& actions) {
  std::string out;
  for (const auto& a : actions) {
    if (a.kind == K::Write) out += a.bytes;
  }
  return out;
}

std::vector<K> kinds(const std::vector<Action>& actions) {
  std::vector<K> out;
  for (const auto& a : actions) out.push_back(a.kind);
  return out;
}

// A session after the greeting and EHLO.
Session greeted(Options o = options(), Limits l = {}) {
  Session s(std::move(o), l);
  (void)s.start();
  (void)s.on_bytes("EHLO client.example.net\r\n");
  return s;
}

}  // namespace

TEST_CASE("greeting and state", "[smtp][session]") {
  Session s(options(), {});
  CHECK(s.state() == Session::State::Connected);
  CHECK(writes(s.start()) == "220 mx.example.org ESMTP Pillarbox\r\n");
  (void)s.on_bytes("HELO x\r\n");
  CHECK(s.state() == Session::State::Ready);
  CHECK_FALSE(s.pending());
}

TEST_CASE("a pending handler buffers pipelined input until the host answers", "[smtp][session]") {
  Session s = greeted();
  auto actions = s.on_bytes("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nNO");
  REQUIRE(kinds(actions) == std::vector<K>{K::CheckMail});
  CHECK(actions[0].address == "a@example.net");
  CHECK(s.pending());
  CHECK(s.on_bytes("OP\r\n").empty());
  CHECK(s.on_rcpt_result(std::nullopt).empty());  // not what the session waits for
  CHECK(s.on_deliver_result({250, "2.0.0", "x"}).empty());
  CHECK(s.buffered() > 0);
  actions = s.on_mail_result(std::nullopt);
  REQUIRE(kinds(actions) == std::vector<K>{K::Write, K::CheckRcpt});
  CHECK(actions[0].bytes == "250 2.1.0 Ok\r\n");
  CHECK(actions[1].address == "b@example.org");
  CHECK(s.state() == Session::State::Mail);
  actions = s.on_rcpt_result(std::nullopt);
  CHECK(kinds(actions) == std::vector<K>{K::Write});
  CHECK(writes(actions) == "250 2.1.5 Ok\r\n250 2.0.0 Ok\r\n");  // merged into one write
  CHECK(s.buffered() == 0);
}

TEST_CASE("pipelined input beyond the cap closes a pending session", "[smtp][session]") {
  Limits l;
  l.max_message_size = 100;
  l.max_auth_line = 50;
  Session s = greeted(options(), l);
  (void)s.on_bytes("MAIL FROM:<a@example.net>\r\n");
  REQUIRE(s.pending());
  CHECK(s.on_bytes(std::string(150, 'x')).empty());
  auto actions = s.on_bytes("y");
  CHECK(writes(actions) == "421 4.7.0 mx.example.org Error: too much pipelined input\r\n");
  CHECK(kinds(actions).back() == K::Close);
  CHECK(s.closed());
  CHECK(s.on_mail_result(std::nullopt).empty());
}

TEST_CASE("the delivered message is CRLF text with dots unstuffed", "[smtp][session]") {
  Session s = greeted();
  (void)s.on_bytes("MAIL FROM:<a@example.net>\r\n");
  (void)s.on_mail_result(std::nullopt);
  (void)s.on_bytes("RCPT TO:<b@example.org> NOTIFY=NEVER\r\n");
  (void)s.on_rcpt_result(std::nullopt);
  CHECK(writes(s.on_bytes("DATA\r\n")) == "354 End data with <CR><LF>.<CR><LF>\r\n");
  CHECK(s.state() == Session::State::Data);
  auto actions = s.on_bytes("Subject: x\n\n..dot\r\n.\r\n");
  REQUIRE(kinds(actions) == std::vector<K>{K::Deliver});
  const Action& d = actions[0];
  CHECK(d.message == "Subject: x\r\n\r\n.dot\r\n");
  CHECK(d.protocol == "ESMTP");
  CHECK(d.envelope.helo == "client.example.net");
  CHECK(d.envelope.mail_from == "a@example.net");
  REQUIRE(d.envelope.rcpts.size() == 1);
  CHECK(d.envelope.rcpts[0].first == "b@example.org");
  CHECK(d.envelope.rcpts[0].second.notify == "NEVER");
  CHECK(writes(s.on_deliver_result({250, "2.0.0", "Ok: queued as 42"})) ==
        "250 2.0.0 Ok: queued as 42\r\n");
  CHECK(s.state() == Session::State::Ready);
}

TEST_CASE("a large message survives any slicing unchanged", "[smtp][session]") {
  std::string body;
  for (int i = 0; i < 2000; ++i) {
    body += (i % 5 == 0 ? "." : "") + std::string(static_cast<std::size_t>(i % 97), 'x') + "\r\n";
  }
  std::string stuffed;
  for (std::size_t pos = 0; pos < body.size();) {
    std::size_t end = body.find("\r\n", pos) + 2;
    std::string line = body.substr(pos, end - pos);
    stuffed += (line[0] == '.' ? "." : "") + line;
    pos = end;
  }
  const std::string input = "MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n" + stuffed + ".\r\n";
  for (std::size_t step : std::vector<std::size_t>{1, 3, 1000, input.size()}) {
    Session s = greeted();
    std::string delivered;
    for (std::size_t pos = 0; pos < input.size(); pos += step) {
      std::vector<Action> queue = s.on_bytes(std::string_view(input).substr(pos, step));
      for (std::size_t i = 0; i < queue.size(); ++i) {
        std::vector<Action> more;
        if (queue[i].kind == K::CheckMail) more = s.on_mail_result(std::nullopt);
        if (queue[i].kind == K::CheckRcpt) more = s.on_rcpt_result(std::nullopt);
        if (queue[i].kind == K::Deliver) delivered = queue[i].message;
        queue.insert(queue.end(), more.begin(), more.end());
      }
    }
    CHECK(delivered == body);
  }
}

TEST_CASE("authentication sets user and survives RSET but not STARTTLS", "[smtp][session]") {
  Options o = options();
  o.tls_available = true;
  o.plain_auth_without_tls = true;
  Session s = greeted(o);
  auto actions = s.on_bytes("AUTH PLAIN AGJvYgBzZWNyZXQ=\r\n");
  REQUIRE(kinds(actions) == std::vector<K>{K::Authenticate});
  CHECK(actions[0].mechanism == "PLAIN");
  CHECK(actions[0].user == "bob");
  CHECK(actions[0].password == "secret");
  CHECK(writes(s.on_auth_result(true, "bob@example.org")) == "235 2.7.0 Authentication successful\r\n");
  CHECK(s.user() == "bob@example.org");
  (void)s.on_bytes("RSET\r\n");
  CHECK(s.user() == "bob@example.org");
  actions = s.on_bytes("STARTTLS\r\n");
  CHECK(kinds(actions) == std::vector<K>{K::Write, K::StartTls});
  CHECK(s.pending());
  CHECK(s.on_tls_started().empty());
  CHECK(s.user().empty());
  CHECK(s.state() == Session::State::Connected);
}

TEST_CASE("a host that accepts without a name keeps the SASL user", "[smtp][session]") {
  Options o = options();
  o.plain_auth_without_tls = true;
  Session s = greeted(o);
  (void)s.on_bytes("AUTH LOGIN Ym9i\r\nc2VjcmV0\r\n");
  (void)s.on_auth_result(true, "");
  CHECK(s.user() == "bob");
}

TEST_CASE("max_errors of one closes at the first error", "[smtp][session]") {
  Limits l;
  l.max_errors = 1;
  Session s(options(), l);
  (void)s.start();
  auto actions = s.on_bytes("FOO\r\nNOOP\r\n");
  CHECK(writes(actions) ==
        "500 5.5.2 Error: command not recognized\r\n421 4.7.0 mx.example.org Error: too many errors\r\n");
  CHECK(kinds(actions) == std::vector<K>{K::Write, K::Close});
  CHECK(s.closed());
  CHECK(s.on_bytes("NOOP\r\n").empty());
  CHECK(s.on_timeout().empty());
  CHECK(s.start().empty());
}

TEST_CASE("timeout closes even while the host is asked", "[smtp][session]") {
  Session s = greeted();
  (void)s.on_bytes("MAIL FROM:<a@example.net>\r\n");
  auto actions = s.on_timeout();
  CHECK(writes(actions) == "421 4.4.2 mx.example.org Error: timeout exceeded\r\n");
  CHECK(s.closed());
  CHECK(s.on_mail_result(std::nullopt).empty());
}

TEST_CASE("implicit TLS listener starts with TLS active", "[smtp][session]") {
  Options o = options();
  o.listener = Listener::Smtps;
  Session s = greeted(o);
  auto reply = writes(s.on_bytes("EHLO x\r\n"));
  CHECK(reply.find("AUTH PLAIN LOGIN") != std::string::npos);
  CHECK(reply.find("STARTTLS") == std::string::npos);
}

TEST_CASE("auth_exempt lets a submission client send without AUTH", "[smtp][session]") {
  Options o = options();
  o.listener = Listener::Submission;
  o.auth_exempt = true;
  Session s = greeted(o);
  CHECK(kinds(s.on_bytes("MAIL FROM:<a@example.net>\r\n")) == std::vector<K>{K::CheckMail});
}

TEST_CASE("action descriptions used by transcripts", "[smtp][session]") {
  using pillarbox::smtp::testing::describe;
  Action w;
  w.bytes = "250-a\r\n250 b\r\n";
  CHECK(describe(w) == std::vector<std::string>{"S: 250-a", "S: 250 b"});
  w.bytes = "250 unterminated";
  CHECK(describe(w) == std::vector<std::string>{"S! unterminated 250 unterminated"});
}

TEST_CASE("SASL responses obey max_auth_line even when commands may be longer", "[smtp][session]") {
  Options o = options();
  o.plain_auth_without_tls = true;
  Limits l;
  l.max_command_line = 300;
  l.max_auth_line = 20;
  Session s = greeted(o, l);
  CHECK(writes(s.on_bytes("AUTH PLAIN\r\n")) == "334 \r\n");
  CHECK(writes(s.on_bytes(std::string(30, 'A') + "\r\n")) == "500 5.5.2 Line too long\r\n");
  CHECK(s.state() == Session::State::Ready);
  CHECK(writes(s.on_bytes("AUTH PLAIN " + std::string(30, 'A') + "\r\n")) == "500 5.5.2 Line too long\r\n");
}
