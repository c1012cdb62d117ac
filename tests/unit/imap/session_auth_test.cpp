// IMAP session: greeting, CAPABILITY, LOGIN, AUTHENTICATE, STARTTLS, LOGOUT,
// literals, errors and limits (proto/imap/session.hpp).
#include "session_test_util.hpp"

using namespace imap_test;
using pillarbox::imap::Options;

TEST_CASE("imap session: greeting and CAPABILITY before TLS", "[imap][session]") {
  Options o;
  o.tls_available = true;
  check_transcript({"1 CAPABILITY\r\n2 LOGIN alice secret\r\n3 AUTHENTICATE PLAIN\r\n"},
                   lines({"* OK [CAPABILITY " + kCaps + " STARTTLS LOGINDISABLED] Pillarbox ready",
                          "* CAPABILITY " + kCaps + " STARTTLS LOGINDISABLED", "1 OK Capability completed",
                          "2 NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure connections",
                          "3 NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure connections"}),
                   o);
}

TEST_CASE("imap session: STARTTLS discards injected plaintext", "[imap][session]") {
  Options o;
  o.tls_available = true;
  FakeAccount account;
  Player p(account, o);
  p.start();
  p.take();
  p.feed("s STARTTLS\r\nx LOGIN alice secret\r\n");
  CHECK(p.take() == "s OK Begin TLS negotiation now\r\n#tls\n");
  p.feed("y NOOP\r\n");
  CHECK(p.take().empty());
  p.tls_done();
  p.feed("c CAPABILITY\r\n");
  CHECK(p.take() == lines({"* CAPABILITY " + kCaps + " AUTH=PLAIN AUTH=LOGIN", "c OK Capability completed"}));
  p.feed("d STARTTLS\r\n");
  CHECK(p.take() == "d BAD TLS is already active\r\n");
}

TEST_CASE("imap session: LOGIN, pipelined, with literals", "[imap][session]") {
  check_transcript({"a LOGIN alice wrong\r\nb LOGIN {5}\r\nalice {6+}\r\nsecret\r\nc CAPABILITY\r\nd LOGIN x y\r\n"},
                   kGreeting +
                       lines({"a NO [AUTHENTICATIONFAILED] Authentication failed", "+ Ready for literal data",
                              "b OK [CAPABILITY " + kCaps + "] Logged in", "* CAPABILITY " + kCaps,
                              "c OK Capability completed", "d NO Already authenticated"}));
}

TEST_CASE("imap session: AUTHENTICATE PLAIN and LOGIN", "[imap][session]") {
  // "\0alice\0secret" and "\0alice\0bad".
  check_transcript({"a AUTHENTICATE PLAIN AGFsaWNlAGJhZA==\r\n", "b AUTHENTICATE PLAIN\r\n", "*\r\n",
                    "c AUTHENTICATE PLAIN\r\n", "!!!\r\n", "d AUTHENTICATE LOGIN\r\n", "YWxpY2U=\r\n",
                    "c2VjcmV0\r\n", "e NOOP\r\n"},
                   kGreeting + lines({"a NO [AUTHENTICATIONFAILED] Authentication failed", "+ ",
                                      "b BAD Authentication cancelled", "+ ", "c BAD Invalid base64 data",
                                      "+ VXNlcm5hbWU6", "+ UGFzc3dvcmQ6",
                                      "d OK [CAPABILITY " + kCaps + "] Logged in", "e OK NOOP completed"}));
}

TEST_CASE("imap session: SASL-IR, empty response and authzid", "[imap][session]") {
  // "alice\0alice\0secret", then "bob\0alice\0secret".
  check_transcript({"a AUTHENTICATE PLAIN =\r\n", "b AUTHENTICATE PLAIN Ym9iAGFsaWNlAHNlY3JldA==\r\n",
                    "c AUTHENTICATE X-UNKNOWN\r\n", "d AUTHENTICATE PLAIN YWxpY2UAYWxpY2UAc2VjcmV0\r\n"},
                   kGreeting + lines({"a BAD Invalid PLAIN response",
                                      "b NO [AUTHORIZATIONFAILED] Authorization failed",
                                      "c NO Unsupported authentication mechanism",
                                      "d OK [CAPABILITY " + kCaps + "] Logged in"}));
}

TEST_CASE("imap session: state checks, parse errors, LOGOUT", "[imap][session]") {
  check_transcript({"a SELECT INBOX\r\nb FROB\r\n\r\n)\r\nc FETCH 1 (FLAGS\r\nd NOOP\r\n", kLogin,
                    "e CLOSE\r\nf LOGOUT\r\ng NOOP\r\n"},
                   kGreeting + lines({"a NO Log in first", "b BAD Unknown command", "* BAD Invalid tag",
                                      "c BAD Unbalanced parentheses", "d OK NOOP completed"}) +
                       kLoggedIn +
                       lines({"e NO No mailbox selected", "* BYE Logging out", "f OK Logout completed"}) +
                       "#close\n");
}

TEST_CASE("imap session: too many errors", "[imap][session]") {
  pillarbox::imap::Limits limits;
  limits.max_errors = 3;
  check_transcript({"a X\r\nb X\r\nc X\r\nd NOOP\r\n"},
                   kGreeting + lines({"a BAD Unknown command", "b BAD Unknown command", "c BAD Unknown command",
                                      "* BYE Too many invalid commands"}) +
                       "#close\n",
                   secure(), limits);
}

TEST_CASE("imap session: line and literal limits", "[imap][session]") {
  pillarbox::imap::Limits limits;
  limits.max_line = 40;
  limits.max_literal = 10;
  check_transcript({"a NOOP " + std::string(60, 'x') + "\r\n", "b LOGIN {11}\r\n", "c NOOP\r\n"},
                   kGreeting + lines({"a BAD Line too long", "b NO [TOOBIG] Literal too big", "c OK NOOP completed"}),
                   secure(), limits);
}

TEST_CASE("imap session: timeout and shutdown", "[imap][session]") {
  FakeAccount account;
  Player p(account, secure());
  p.start();
  p.take();
  p.timeout();
  CHECK(p.take() == "* BYE Autologout; idle for too long\r\n#close\n");
  p.feed("a NOOP\r\n");
  CHECK(p.take().empty());
  CHECK(p.session().closed());

  Player q(account, secure());
  q.start();
  q.take();
  q.shutdown();
  CHECK(q.take() == "* BYE Server shutting down\r\n#close\n");
}

TEST_CASE("imap session: ID, ENABLE, NAMESPACE", "[imap][session]") {
  check_transcript({"i ID (\"name\" \"mutt\")\r\n", kLogin, "e ENABLE CONDSTORE QRESYNC X\r\nf ENABLE QRESYNC\r\n",
                    "n NAMESPACE\r\n"},
                   kGreeting + lines({"* ID (\"name\" \"Pillarbox\")", "i OK ID completed"}) + kLoggedIn +
                       lines({"* ENABLED CONDSTORE QRESYNC", "e OK Enabled", "* ENABLED", "f OK Enabled",
                              "* NAMESPACE ((\"\" \"/\")) NIL NIL", "n OK Namespace completed"}));
}

TEST_CASE("imap session: pending requests hold pipelined input and shutdown", "[imap][session]") {
  using namespace pillarbox::imap;
  Session s(secure(), {});
  s.start();
  auto actions = s.on_bytes("a LOGIN alice secret\r\nb NO");
  REQUIRE(actions.size() == 1);
  CHECK(actions[0].kind == Action::Kind::Request);
  CHECK(std::get<LoginRequest>(actions[0].request).user == "alice");
  CHECK(s.pending());
  CHECK(s.on_bytes("OP\r\n").empty());
  CHECK(s.shutdown().empty());
  CHECK(s.on_result(AppendedData{}).size() == 2);  // a wrong answer: NO [SERVERBUG], then b, then BYE
  CHECK(s.closed());
  CHECK(s.on_result(std::monostate{}).empty());

  Session t(secure(), {});
  t.start();
  t.on_bytes("a LOGIN alice secret\r\nb NOOP\r\n");
  actions = t.on_result(std::monostate{});
  REQUIRE(actions.size() == 1);
  CHECK(actions[0].bytes == kLoggedIn + "b OK NOOP completed\r\n");
  CHECK(t.state() == Session::State::Authenticated);
  CHECK(t.user() == "alice");
}
