// Unit tests of the client session (client_session.hpp) beyond the golden
// transcripts: write flow control, timers per state, results in detail,
// event order edge cases, misuse by the host.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "proto/smtp/client_session.hpp"

using namespace pillarbox::smtp;
using namespace pillarbox::smtp::client;
using K = Action::Kind;

namespace {

std::string written(const std::vector<Action>& actions) {
  std::string out;
  for (const auto& a : actions) {
    if (a.kind == K::Write) out += a.bytes;
  }
  return out;
}

std::size_t writes(const std::vector<Action>& actions) {
  std::size_t n = 0;
  for (const auto& a : actions) n += a.kind == K::Write;
  return n;
}

std::vector<TransactionResult> results(const std::vector<Action>& actions) {
  std::vector<TransactionResult> out;
  for (const auto& a : actions) {
    if (a.kind == K::Result) out.push_back(a.result);
  }
  return out;
}

bool has(const std::vector<Action>& actions, K kind) {
  for (const auto& a : actions) {
    if (a.kind == kind) return true;
  }
  return false;
}

Transaction simple(std::uint64_t id = 1, std::string message = "Hi\r\n") {
  Transaction t;
  t.id = id;
  t.mail_from = "alice@example.org";
  t.recipients.push_back({"bob@example.net", 0, {}});
  t.message = std::move(message);
  return t;
}

Options plain_options() {
  Options o;
  o.helo_name = "client.example.net";
  o.tls = TlsPolicy::None;
  return o;
}

// Connects and answers greeting and EHLO with `ehlo` (lines after the name).
std::vector<Action> greet(Session& s, const std::string& ehlo = "250 PIPELINING\r\n") {
  s.on_connected();
  auto a = s.on_bytes("220 mx ESMTP\r\n");
  REQUIRE(written(a) == "EHLO client.example.net\r\n");
  return s.on_bytes("250-mx\r\n" + ehlo);
}

}  // namespace

TEST_CASE("smtp_client: session: message text is written one block at a time, each after the last was confirmed",
          "[smtp_client][session]") {
  Limits limits;
  limits.data_block = 4;
  Session s(plain_options(), {}, limits);
  s.send(simple(1, "abcdefghij\r\n"));
  auto a = greet(s);
  CHECK(written(a) == "MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.net>\r\nDATA\r\n");
  a = s.on_bytes("250 ok\r\n250 ok\r\n354 go\r\n");
  CHECK(written(a) == "abcd");
  CHECK(s.state() == Session::State::Message);
  CHECK(s.timeout() == std::chrono::seconds(180));
  // Three writes outstanding (EHLO, the command group, the first block):
  // the next block waits for all of them.
  CHECK(s.on_written().empty());
  CHECK(s.on_written().empty());
  a = s.on_written();
  CHECK(written(a) == "efgh");
  CHECK(writes(a) == 1);
  a = s.on_written();
  CHECK(written(a) == "ij\r\n.\r\n");  // the terminator rides with the last text
  CHECK(s.timeout() == std::chrono::seconds(180));  // until the dot has left
  a = s.on_written();
  CHECK(a.empty());
  CHECK(s.timeout() == std::chrono::seconds(600));
  a = s.on_bytes("250 queued\r\n");
  auto r = results(a);
  REQUIRE(r.size() == 1);
  CHECK(r[0].recipients[0].outcome == Outcome::Accepted);
  CHECK(s.idle());
  CHECK(s.on_written().empty());  // stray confirmations are harmless
}

TEST_CASE("smtp_client: session: the reply to the dot may overtake the last write's confirmation", "[smtp_client][session]") {
  Session s(plain_options());
  s.send(simple());
  greet(s);
  auto a = s.on_bytes("250 ok\r\n250 ok\r\n354 go\r\n");
  CHECK(written(a) == "Hi\r\n.\r\n");
  a = s.on_bytes("250 2.0.0 queued\r\n");
  auto r = results(a);
  REQUIRE(r.size() == 1);
  CHECK(r[0].recipients[0].stage == Stage::Final);
  CHECK(r[0].recipients[0].outcome == Outcome::Accepted);
  CHECK(s.idle());
  CHECK(s.on_written().empty());
}

TEST_CASE("smtp_client: session: a reply in the middle of the message text is read after the final dot",
          "[smtp_client][session]") {
  Limits limits;
  limits.data_block = 4;
  Session s(plain_options(), {}, limits);
  s.send(simple(1, "long message\r\n"));
  s.send(simple(2));
  greet(s);
  s.on_bytes("250 ok\r\n250 ok\r\n354 go\r\n");
  CHECK(s.on_bytes("554 5.3.4 Too much\r\n").empty());  // held back
  s.on_written();
  s.on_written();
  CHECK(written(s.on_written()) == " mes");
  CHECK(written(s.on_written()) == "sage");
  auto a = s.on_written();
  CHECK(written(a).rfind("\r\n.\r\nMAIL FROM:<alice@example.org>\r\n", 0) == 0);
  auto r = results(a);
  REQUIRE(r.size() == 1);
  CHECK(r[0].id == 1);
  CHECK(r[0].recipients[0].stage == Stage::Final);
  CHECK(r[0].recipients[0].outcome == Outcome::PermanentFailure);
  CHECK(format_reply(r[0].recipients[0].reply) == "554 5.3.4 Too much");
  // The next transaction follows at once, the last block still unconfirmed.
  CHECK(s.state() == Session::State::Transaction);
}

TEST_CASE("smtp_client: session: a flood of input while the text is written is a protocol error", "[smtp_client][session]") {
  Limits limits;
  limits.data_block = 4;
  limits.max_reply_line = 100;
  limits.max_reply_lines = 10;
  Session s(plain_options(), {}, limits);
  s.send(simple(1, "long message\r\n"));
  greet(s);
  s.on_bytes("250 ok\r\n250 ok\r\n354 go\r\n");
  CHECK(s.on_bytes(std::string(1000, 'x')).empty());
  auto a = s.on_bytes("x");
  auto r = results(a);
  REQUIRE(r.size() == 1);
  CHECK(format_reply(r[0].recipients[0].reply) ==
        "451 4.5.0 protocol error while sending the message: too much input");
  CHECK(has(a, K::Close));
}

TEST_CASE("smtp_client: session: timers follow the reply awaited, pipelined replies one by one", "[smtp_client][session]") {
  Timeouts t;
  t.greeting = std::chrono::seconds(1);
  t.command = std::chrono::seconds(2);
  t.mail = std::chrono::seconds(3);
  t.rcpt = std::chrono::seconds(4);
  t.data_init = std::chrono::seconds(5);
  t.data_termination = std::chrono::seconds(7);
  Session s(plain_options(), t);
  CHECK_FALSE(s.timeout());
  s.send(simple());
  s.on_connected();
  CHECK(s.timeout() == std::chrono::seconds(1));
  s.on_bytes("220 mx\r\n");
  CHECK(s.timeout() == std::chrono::seconds(2));
  s.on_bytes("250-mx\r\n250 PIPELINING\r\n");
  CHECK(s.timeout() == std::chrono::seconds(3));
  s.on_bytes("250 ok\r\n");
  CHECK(s.timeout() == std::chrono::seconds(4));
  s.on_bytes("250 ok\r\n");
  CHECK(s.timeout() == std::chrono::seconds(5));
  s.on_bytes("354 go\r\n");
  s.on_written();
  s.on_written();
  s.on_written();
  CHECK(s.timeout() == std::chrono::seconds(7));
  s.on_bytes("250 ok\r\n");
  CHECK_FALSE(s.timeout());
  s.quit();
  CHECK(s.timeout() == std::chrono::seconds(2));
  auto a = s.on_timeout();  // no answer to QUIT: just close
  CHECK(has(a, K::Close));
  CHECK_FALSE(has(a, K::Result));
  CHECK_FALSE(s.failure());
}

TEST_CASE("smtp_client: session: greeting timeout and idle timer events", "[smtp_client][session]") {
  Session s(plain_options());
  CHECK(s.on_timeout().empty());  // before connecting: no timer was armed
  s.send(simple());
  s.on_connected();
  auto a = s.on_timeout();
  auto r = results(a);
  REQUIRE(r.size() == 1);
  CHECK(r[0].recipients[0].stage == Stage::Greeting);
  CHECK(r[0].recipients[0].outcome == Outcome::TemporaryFailure);
  CHECK_FALSE(r[0].recipients[0].remote);
  CHECK(format_reply(r[0].recipients[0].reply) == "451 4.4.2 timed out while waiting for the greeting");
  CHECK(has(a, K::Close));
  CHECK(s.on_timeout().empty());
  CHECK(s.on_closed().empty());
}

TEST_CASE("smtp_client: session: quit before anything was sent, and with nothing to do", "[smtp_client][session]") {
  Session s(plain_options());
  CHECK(s.quit().empty());
  greet(s);
  CHECK(s.state() == Session::State::Quit);
  auto a = s.on_bytes("221 bye\r\n");
  CHECK(has(a, K::Close));
  CHECK(s.closed());
  CHECK_FALSE(s.failure());
  // Work given after the end fails at once.
  a = s.send(simple(9));
  auto r = results(a);
  REQUIRE(r.size() == 1);
  CHECK(r[0].id == 9);
  CHECK(format_reply(r[0].recipients[0].reply) == "451 4.4.2 connection already closed");
  CHECK(r[0].recipients[0].outcome == Outcome::TemporaryFailure);
}

TEST_CASE("smtp_client: session: quit waits for queued transactions", "[smtp_client][session]") {
  Session s(plain_options());
  s.send(simple(1));
  s.send(simple(2));
  s.quit();
  CHECK(s.quit().empty());
  greet(s);
  s.on_bytes("250 ok\r\n250 ok\r\n354 go\r\n");
  auto a = s.on_bytes("250 ok\r\n");
  CHECK(written(a) == "MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.net>\r\nDATA\r\n");
  s.on_bytes("250 ok\r\n250 ok\r\n354 go\r\n");
  a = s.on_bytes("250 ok\r\n");
  CHECK(results(a).size() == 1);
  CHECK(written(a) == "QUIT\r\n");
  a = s.on_closed();  // the server closed without answering QUIT: fine
  CHECK(a.empty());
  CHECK(s.closed());
  CHECK_FALSE(s.failure());
}

TEST_CASE("smtp_client: session: results carry id, dsn_passed and per-recipient replies", "[smtp_client][session]") {
  Session s(plain_options());
  Transaction t = simple(42);
  t.recipients.push_back({"bad>@example.net", 0, {}});
  t.recipients.push_back({"carol@example.net", NotifyFailure, {}});
  s.send(t);
  auto a = greet(s, "250-DSN\r\n250 PIPELINING\r\n");
  CHECK(written(a) ==
        "MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.net>\r\n"
        "RCPT TO:<carol@example.net> NOTIFY=FAILURE\r\nDATA\r\n");
  s.on_bytes("250 ok\r\n250 ok\r\n452 4.5.3 Too many recipients\r\n354 go\r\n");
  a = s.on_bytes("250 2.0.0 ok\r\n");
  auto r = results(a);
  REQUIRE(r.size() == 1);
  CHECK(r[0].id == 42);
  CHECK(r[0].dsn_passed);
  REQUIRE(r[0].recipients.size() == 3);
  CHECK(r[0].recipients[0].address == "bob@example.net");
  CHECK(r[0].recipients[0].outcome == Outcome::Accepted);
  CHECK(r[0].recipients[0].reply == Reply{250, "2.0.0", "ok"});
  CHECK(r[0].recipients[1].outcome == Outcome::PermanentFailure);
  CHECK(r[0].recipients[1].stage == Stage::Rcpt);
  CHECK_FALSE(r[0].recipients[1].remote);
  CHECK(r[0].recipients[1].reply == Reply{553, "5.1.3", "invalid recipient address"});
  CHECK(r[0].recipients[2].outcome == Outcome::TemporaryFailure);
  CHECK(r[0].recipients[2].reply == Reply{452, "4.5.3", "Too many recipients"});
}

TEST_CASE("smtp_client: session: a transaction with no usable recipient sends nothing", "[smtp_client][session]") {
  Session s(plain_options());
  Transaction t = simple(3);
  t.recipients = {{"", 0, {}}};
  s.send(t);
  Transaction none = simple(4);
  none.recipients.clear();
  s.send(none);
  auto a = greet(s);
  CHECK(written(a).empty());
  auto r = results(a);
  REQUIRE(r.size() == 2);
  CHECK(r[0].recipients[0].outcome == Outcome::PermanentFailure);
  CHECK(r[1].recipients.empty());
  CHECK(s.idle());
}

TEST_CASE("smtp_client: session: credentials but no AUTH offered, AUTH not required: go on", "[smtp_client][session]") {
  Options o = plain_options();
  o.tls = TlsPolicy::Implicit;
  o.credentials = Credentials{"bob", "secret", {}, {"PLAIN"}, {}};
  Session s(o);
  CHECK(s.tls_active());
  s.send(simple());
  auto a = greet(s, "250 PIPELINING\r\n");
  CHECK(written(a).rfind("MAIL FROM:", 0) == 0);
  CHECK_FALSE(s.authenticated());
}

TEST_CASE("smtp_client: session: AUTH required without credentials fails", "[smtp_client][session]") {
  Options o = plain_options();
  o.auth_required = true;
  Session s(o);
  s.send(simple());
  auto a = greet(s, "250 AUTH PLAIN\r\n");
  auto r = results(a);
  REQUIRE(r.size() == 1);
  CHECK(format_reply(r[0].recipients[0].reply) == "451 4.7.0 AUTH is required, but no credentials are configured");
  CHECK(written(a) == "QUIT\r\n");
}

TEST_CASE("smtp_client: session: AUTH required and succeeding, cleartext allowed by option", "[smtp_client][session]") {
  Options o = plain_options();
  o.auth_required = true;
  o.cleartext_auth = true;
  o.credentials = Credentials{"bob", "secret", {}, {"LOGIN"}, {}};
  Session s(o);
  s.send(simple());
  auto a = greet(s, "250 AUTH LOGIN\r\n");
  CHECK(written(a) == "AUTH LOGIN\r\n");
  CHECK(s.timeout() == std::chrono::seconds(300));
  CHECK(written(s.on_bytes("334 VXNlcm5hbWU6\r\n")) == "Ym9i\r\n");
  CHECK(written(s.on_bytes("334 UGFzc3dvcmQ6\r\n")) == "c2VjcmV0\r\n");
  a = s.on_bytes("235 2.7.0 ok\r\n");
  CHECK(s.authenticated());
  CHECK(written(a) == "MAIL FROM:<alice@example.org>\r\n");
}

TEST_CASE("smtp_client: session: a challenge after the client cancelled is a protocol error", "[smtp_client][session]") {
  Options o = plain_options();
  o.credentials = Credentials{"bob", "secret", {}, {"LOGIN"}, {}};
  o.cleartext_auth = true;
  Session s(o);
  s.send(simple());
  greet(s, "250 AUTH LOGIN\r\n");
  s.on_bytes("334 a\r\n");
  s.on_bytes("334 b\r\n");
  CHECK(written(s.on_bytes("334 c\r\n")) == "*\r\n");
  auto a = s.on_bytes("334 d\r\n");
  auto r = results(a);
  REQUIRE(r.size() == 1);
  CHECK(format_reply(r[0].recipients[0].reply) ==
        "451 4.5.0 protocol error after AUTH: challenge after the AUTH exchange was cancelled");
  CHECK(has(a, K::Close));
}

TEST_CASE("smtp_client: session: STARTTLS refused under the required policy", "[smtp_client][session]") {
  Options o = plain_options();
  o.tls = TlsPolicy::Required;
  Session s(o);
  s.send(simple());
  auto a = greet(s, "250 STARTTLS\r\n");
  CHECK(written(a) == "STARTTLS\r\n");
  a = s.on_bytes("454 4.7.0 TLS not available\r\n");
  auto r = results(a);
  REQUIRE(r.size() == 1);
  CHECK(r[0].recipients[0].stage == Stage::StartTls);
  CHECK(r[0].recipients[0].outcome == Outcome::TemporaryFailure);
  CHECK(r[0].recipients[0].remote);
  CHECK(written(a) == "QUIT\r\n");
}

TEST_CASE("smtp_client: session: failed TLS handshake is a lost connection", "[smtp_client][session]") {
  Options o = plain_options();
  o.tls = TlsPolicy::Opportunistic;
  Session s(o);
  s.send(simple());
  greet(s, "250 STARTTLS\r\n");
  auto a = s.on_bytes("220 go\r\n");
  CHECK(has(a, K::StartTls));
  CHECK(s.timeout() == std::chrono::seconds(300));
  CHECK(s.on_bytes("250 injected\r\n").empty());
  a = s.on_closed();
  auto r = results(a);
  REQUIRE(r.size() == 1);
  CHECK(format_reply(r[0].recipients[0].reply) ==
        "451 4.4.2 lost connection with the remote server during the TLS handshake");
  CHECK(r[0].recipients[0].stage == Stage::StartTls);
  CHECK_FALSE(has(a, K::Close));  // already closed
  CHECK(s.on_tls_started().empty());
}

TEST_CASE("smtp_client: session: never STARTTLS twice, nor with implicit TLS or policy none", "[smtp_client][session]") {
  for (auto policy : {TlsPolicy::None, TlsPolicy::Implicit}) {
    Options o = plain_options();
    o.tls = policy;
    Session s(o);
    s.send(simple());
    auto a = greet(s, "250 STARTTLS\r\n");
    CHECK(written(a) == "MAIL FROM:<alice@example.org>\r\n");
  }
  Options o = plain_options();
  o.tls = TlsPolicy::Opportunistic;
  Session s(o);
  s.send(simple());
  greet(s, "250 STARTTLS\r\n");
  s.on_bytes("220 go\r\n");
  CHECK(written(s.on_tls_started()) == "EHLO client.example.net\r\n");
  CHECK(s.on_tls_started().empty());  // only once
  auto a = s.on_bytes("250-mx\r\n250 STARTTLS\r\n");
  CHECK(written(a) == "MAIL FROM:<alice@example.org>\r\n");
  CHECK(s.tls_active());
}

TEST_CASE("smtp_client: session: an unexpected reply while idle is a protocol error", "[smtp_client][session]") {
  Session s(plain_options());
  greet(s);
  CHECK(s.idle());
  auto a = s.on_bytes("250 surprise\r\n");
  CHECK(has(a, K::Close));
  REQUIRE(s.failure());
  CHECK(format_reply(s.failure()->reply) == "451 4.5.0 protocol error while idle: unexpected reply \"250 surprise\"");
}

TEST_CASE("smtp_client: session: EHLO refused with 4xx fails, HELO refused fails", "[smtp_client][session]") {
  Session s(plain_options());
  s.send(simple());
  s.on_connected();
  s.on_bytes("220 mx\r\n");
  auto a = s.on_bytes("450 4.7.1 Slow down\r\n");
  REQUIRE(results(a).size() == 1);
  CHECK(results(a)[0].recipients[0].stage == Stage::Ehlo);
  CHECK(written(a) == "QUIT\r\n");

  Session h(plain_options());
  h.send(simple());
  h.on_connected();
  h.on_bytes("220 mx\r\n");
  CHECK(written(h.on_bytes("554 5.5.1 no\r\n")) == "HELO client.example.net\r\n");
  a = h.on_bytes("550 5.7.1 go away\r\n");
  REQUIRE(results(a).size() == 1);
  CHECK(results(a)[0].recipients[0].outcome == Outcome::PermanentFailure);
}

TEST_CASE("smtp_client: session: RSET refused ends the session", "[smtp_client][session]") {
  Session s(plain_options());
  s.send(simple(1));
  s.send(simple(2));
  greet(s, "250 8BITMIME\r\n");
  s.on_bytes("550 no\r\n");  // MAIL refused
  auto a = s.on_bytes("500 what\r\n");  // RSET refused
  auto r = results(a);
  REQUIRE(r.size() == 1);
  CHECK(r[0].id == 2);
  CHECK(r[0].recipients[0].stage == Stage::Mail);
  CHECK(format_reply(r[0].recipients[0].reply) == "500 what");
  CHECK(written(a) == "QUIT\r\n");
}

TEST_CASE("smtp_client: session: bytes before on_connected wait for it", "[smtp_client][session]") {
  Session s(plain_options());
  CHECK(s.on_bytes("220 mx\r\n").empty());
  CHECK(written(s.on_connected()) == "EHLO client.example.net\r\n");
  CHECK(s.on_connected().empty());
  CHECK(s.on_connect_failed("late").empty());
}

TEST_CASE("smtp_client: session: capabilities are exposed and reset by HELO", "[smtp_client][session]") {
  Session s(plain_options());
  greet(s, "250-SIZE 1000\r\n250 PIPELINING\r\n");
  CHECK(s.capabilities().pipelining);
  CHECK(s.capabilities().max_size == 1000);
  CHECK(s.capabilities().server_name == "mx");

  Session h(plain_options());
  h.on_connected();
  h.on_bytes("220 mx\r\n");
  h.on_bytes("502 no\r\n");
  h.on_bytes("250 old.example.net Hello\r\n");
  CHECK_FALSE(h.capabilities().esmtp);
  CHECK(h.capabilities().server_name == "old.example.net");
  CHECK(h.idle());
}

TEST_CASE("smtp_client: session: an error after the final dot reads the same whether or not its write was confirmed",
          "[smtp_client][session]") {
  // Found by tests/fuzz/smtp_client_fuzz: the text depended on whether the
  // host confirmed the "." before the bad line arrived, so whole and
  // byte-by-byte input disagreed.
  const std::string expected = "451 4.5.0 protocol error after the end of the message: malformed reply line \"bogus\"";
  Session s(plain_options());
  s.send(simple());
  greet(s);
  auto r = results(s.on_bytes("250 ok\r\n250 ok\r\n354 go\r\nbogus\r\n"));
  REQUIRE(r.size() == 1);
  CHECK(r[0].recipients[0].stage == Stage::Final);
  CHECK(format_reply(r[0].recipients[0].reply) == expected);

  Session t(plain_options());
  t.send(simple());
  greet(t);
  CHECK(written(t.on_bytes("250 ok\r\n250 ok\r\n354 go\r\n")) == "Hi\r\n.\r\n");
  for (int i = 0; i < 3; ++i) t.on_written();  // EHLO, the command group, the text
  r = results(t.on_bytes("bogus\r\n"));
  REQUIRE(r.size() == 1);
  CHECK(r[0].recipients[0].stage == Stage::Final);
  CHECK(format_reply(r[0].recipients[0].reply) == expected);
}
