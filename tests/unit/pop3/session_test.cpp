// Unit tests of the session contract that transcripts do not show well:
// pending handlers buffer input, answers out of turn, action fields, user(),
// sizes, STLS discarding, the limits, large messages in several writes.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "proto/pop3/session.hpp"
#include "transcript.hpp"

using namespace pillarbox::pop3;
using K = Action::Kind;
using State = Session::State;

namespace {

Options trusted() {
  Options o;
  o.hostname = "pop.example.org";
  o.plain_login_without_tls = true;
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

std::vector<MaildropEntry> three() { return {{"u1", 100}, {"u2", 200}, {"u3", 300}}; }

// A session logged in with USER/PASS over `maildrop`.
Session logged_in(std::vector<MaildropEntry> maildrop = three(), Limits l = {}) {
  Session s(trusted(), l);
  (void)s.start();
  (void)s.on_bytes("USER alice\r\nPASS secret\r\n");
  REQUIRE(s.pending());
  (void)s.on_auth_result(AuthResult::Ok, std::move(maildrop));
  REQUIRE(s.state() == State::Transaction);
  return s;
}

}  // namespace

TEST_CASE("pop3 greeting with and without an APOP timestamp", "[pop3][session]") {
  Session plain(trusted(), {});
  CHECK(plain.state() == State::Authorization);
  CHECK(writes(plain.start()) == "+OK Pillarbox POP3 ready\r\n");
  Options o = trusted();
  o.apop_timestamp = "<1.2@pop.example.org>";
  Session apop(o, {});
  CHECK(writes(apop.start()) == "+OK Pillarbox POP3 ready <1.2@pop.example.org>\r\n");
}

TEST_CASE("pop3 USER/PASS asks the host and enters TRANSACTION on Ok", "[pop3][session]") {
  Session s(trusted(), {});
  (void)s.start();
  auto actions = s.on_bytes("USER alice\r\nPASS secret\r\nSTAT\r\n");
  REQUIRE(kinds(actions) == std::vector<K>{K::Write, K::Authenticate});
  CHECK(actions[0].bytes == "+OK Send the password\r\n");
  CHECK(actions[1].mechanism == "USER");
  CHECK(actions[1].user == "alice");
  CHECK(actions[1].password == "secret");
  CHECK(actions[1].authzid.empty());
  CHECK(s.pending());
  CHECK(s.user().empty());
  CHECK(s.state() == State::Authorization);
  actions = s.on_auth_result(AuthResult::Ok, three());
  CHECK(writes(actions) == "+OK Maildrop ready, 3 messages (600 octets)\r\n+OK 3 600\r\n");
  CHECK(kinds(actions) == std::vector<K>{K::Write});  // merged into one write
  CHECK(s.user() == "alice");
  CHECK(s.state() == State::Transaction);
  CHECK(s.maildrop().size() == 3);
}

TEST_CASE("pop3 answers nobody asked for are ignored", "[pop3][session]") {
  Session s(trusted(), {});
  (void)s.start();
  CHECK(s.on_auth_result(AuthResult::Ok, three()).empty());
  CHECK(s.state() == State::Authorization);
  CHECK(s.on_message("x").empty());
  CHECK(s.on_message_missing().empty());
  CHECK(s.on_commit_result(true).empty());
  CHECK(s.on_tls_started().empty());
  (void)s.on_bytes("USER a\r\nPASS b\r\n");
  CHECK(s.on_message("x").empty());  // waiting for Auth, not a message
  CHECK(s.pending());
}

TEST_CASE("pop3 a pending handler buffers pipelined input until the host answers", "[pop3][session]") {
  Session s = logged_in();
  auto actions = s.on_bytes("RETR 2\r\nDELE 2\r\nST");
  REQUIRE(kinds(actions) == std::vector<K>{K::Retrieve});
  CHECK(actions[0].index == 1);
  CHECK_FALSE(actions[0].top_lines);
  CHECK(s.on_bytes("AT\r\n").empty());
  CHECK(s.buffered() == 14);
  actions = s.on_message("Subject: two\r\n\r\nbody\r\n");
  CHECK(writes(actions) ==
        "+OK 200 octets\r\nSubject: two\r\n\r\nbody\r\n.\r\n+OK Message 2 deleted\r\n+OK 2 400\r\n");
  CHECK(s.buffered() == 0);
  CHECK_FALSE(s.pending());
}

TEST_CASE("pop3 sizes come from the maildrop, not from the text", "[pop3][session]") {
  Session s = logged_in({{"a", 5}, {"b", 7}});
  CHECK(writes(s.on_bytes("LIST\r\n")) == "+OK 2 messages (12 octets)\r\n1 5\r\n2 7\r\n.\r\n");
  (void)s.on_bytes("RETR 1\r\n");
  // The stored text is longer than the maildrop says; the status line keeps
  // the maildrop's figure so that it matches LIST.
  CHECK(writes(s.on_message("x\r\n.y\r\n")) == "+OK 5 octets\r\nx\r\n..y\r\n.\r\n");
  CHECK(writes(s.on_bytes("DELE 2\r\nSTAT\r\nRSET\r\nSTAT\r\n")) ==
        "+OK Message 2 deleted\r\n+OK 1 5\r\n+OK Maildrop has 2 messages (12 octets)\r\n+OK 2 12\r\n");
}

TEST_CASE("pop3 TOP asks for the line count", "[pop3][session]") {
  Session s = logged_in();
  auto actions = s.on_bytes("TOP 3 7\r\n");
  REQUIRE(kinds(actions) == std::vector<K>{K::Retrieve});
  CHECK(actions[0].index == 2);
  REQUIRE(actions[0].top_lines);
  CHECK(*actions[0].top_lines == 7);
  CHECK(writes(s.on_message("H: 1\r\n\r\n1\r\n2\r\n3\r\n4\r\n5\r\n6\r\n7\r\n8\r\n")) ==
        "+OK Top of message follows\r\nH: 1\r\n\r\n1\r\n2\r\n3\r\n4\r\n5\r\n6\r\n7\r\n.\r\n");
}

TEST_CASE("pop3 a large message comes in several writes of whole lines", "[pop3][session]") {
  std::string raw = "Subject: big\r\n\r\n";
  for (int i = 0; i < 20000; ++i) raw += (i % 3 == 0 ? ".line " : "line ") + std::to_string(i) + "\r\n";
  REQUIRE(raw.size() > 3 * MultilineWriter::kChunkSize);
  Session s = logged_in({{"big", raw.size()}});
  (void)s.on_bytes("RETR 1\r\nNOOP\r\n");
  auto actions = s.on_message(raw);
  CHECK(actions.size() >= 3);
  std::string all;
  for (const Action& a : actions) {
    REQUIRE(a.kind == K::Write);
    CHECK(a.bytes.size() < MultilineWriter::kChunkSize + 100);
    CHECK(a.bytes.compare(a.bytes.size() - 2, 2, "\r\n") == 0);
    all += a.bytes;
  }
  std::string stuffed;
  for (std::size_t pos = 0; pos < raw.size();) {
    std::size_t end = raw.find("\r\n", pos) + 2;
    stuffed += (raw[pos] == '.' ? "." : "") + raw.substr(pos, end - pos);
    pos = end;
  }
  CHECK(all == "+OK " + std::to_string(raw.size()) + " octets\r\n" + stuffed + ".\r\n+OK\r\n");
}

TEST_CASE("pop3 QUIT commits the marks in ascending order and reports what is left", "[pop3][session]") {
  Session s = logged_in();
  (void)s.on_bytes("DELE 3\r\nDELE 1\r\n");
  auto actions = s.on_bytes("QUIT\r\nSTAT\r\n");
  REQUIRE(kinds(actions) == std::vector<K>{K::Commit});
  CHECK(actions[0].deleted == std::vector<std::size_t>{0, 2});
  CHECK(s.state() == State::Update);
  CHECK(s.pending());
  CHECK(s.on_bytes("NOOP\r\n").empty());  // nothing after QUIT is read
  actions = s.on_commit_result(true);
  CHECK(writes(actions) == "+OK Pillarbox signing off (1 message left)\r\n");
  CHECK(kinds(actions) == std::vector<K>{K::Write, K::Close});
  CHECK(s.closed());
  CHECK(s.state() == State::Closed);
}

TEST_CASE("pop3 QUIT with nothing marked still commits, so the host unlocks", "[pop3][session]") {
  Session s = logged_in();
  auto actions = s.on_bytes("QUIT\r\n");
  REQUIRE(kinds(actions) == std::vector<K>{K::Commit});
  CHECK(actions[0].deleted.empty());
  CHECK(writes(s.on_commit_result(false)) == "-ERR [SYS/TEMP] Some deleted messages not removed\r\n");
  CHECK(s.closed());
}

TEST_CASE("pop3 a timeout closes without committing, even while the host is asked", "[pop3][session]") {
  Session s = logged_in();
  (void)s.on_bytes("DELE 1\r\nRETR 2\r\n");
  REQUIRE(s.pending());
  auto actions = s.on_timeout();
  CHECK(writes(actions) == "-ERR Disconnected for inactivity\r\n");
  CHECK(kinds(actions) == std::vector<K>{K::Write, K::Close});
  CHECK(s.closed());
  CHECK_FALSE(s.pending());
  CHECK(s.on_message("x").empty());
  CHECK(s.on_bytes("QUIT\r\n").empty());
  CHECK(s.on_timeout().empty());
  CHECK(s.start().empty());
}

TEST_CASE("pop3 a missing message costs no error", "[pop3][session]") {
  Limits l;
  l.max_errors = 1;
  Session s = logged_in(three(), l);
  (void)s.on_bytes("RETR 3\r\n");
  CHECK(writes(s.on_message_missing()) == "-ERR [SYS/PERM] Message 3 no longer available\r\n");
  CHECK_FALSE(s.closed());
  CHECK(writes(s.on_bytes("NOOP\r\n")) == "+OK\r\n");
}

TEST_CASE("pop3 STLS discards plaintext until the handshake is done", "[pop3][session]") {
  Options o;
  o.tls_available = true;
  Session s(o, {});
  (void)s.start();
  auto actions = s.on_bytes("STLS\r\nUSER mallory\r\n");
  CHECK(kinds(actions) == std::vector<K>{K::Write, K::StartTls});
  CHECK(actions[0].bytes == "+OK Begin TLS negotiation\r\n");
  CHECK(s.pending());
  CHECK(s.buffered() == 0);
  CHECK(s.on_bytes("PASS secret\r\n").empty());
  CHECK(s.buffered() == 0);
  CHECK(s.on_tls_started().empty());
  CHECK_FALSE(s.pending());
  CHECK(writes(s.on_bytes("PASS secret\r\n")) == "-ERR Send USER first\r\n");
  std::string capa = writes(s.on_bytes("CAPA\r\n"));
  CHECK(capa.find("\r\nSTLS\r\n") == std::string::npos);
  CHECK(capa.find("\r\nUSER\r\n") != std::string::npos);
  CHECK(writes(s.on_bytes("STLS\r\n")) == "-ERR Command not permitted when TLS active\r\n");
}

TEST_CASE("pop3 AUTH PLAIN with an initial response and an authzid", "[pop3][session][sasl]") {
  Session s(trusted(), {});
  (void)s.start();
  auto actions = s.on_bytes("AUTH PLAIN YWRtaW4AYWxpY2UAc2VjcmV0\r\n");
  REQUIRE(kinds(actions) == std::vector<K>{K::Authenticate});
  CHECK(actions[0].mechanism == "PLAIN");
  CHECK(actions[0].authzid == "admin");
  CHECK(actions[0].user == "alice");
  CHECK(actions[0].password == "secret");
  (void)s.on_auth_result(AuthResult::Ok, {});
  CHECK(s.user() == "admin");  // the identity the client asked to act as
}

TEST_CASE("pop3 the host may name the canonical login", "[pop3][session][sasl]") {
  Session s(trusted(), {});
  (void)s.start();
  (void)s.on_bytes("AUTH LOGIN\r\n");
  CHECK(s.state() == State::AuthResponse);
  CHECK(writes(s.on_bytes("YWxpY2U=\r\n")) == "+ UGFzc3dvcmQ6\r\n");
  CHECK(s.state() == State::AuthResponse);
  auto actions = s.on_bytes("c2VjcmV0\r\n");
  REQUIRE(kinds(actions) == std::vector<K>{K::Authenticate});
  CHECK(actions[0].mechanism == "LOGIN");
  CHECK(actions[0].user == "alice");
  CHECK(actions[0].password == "secret");
  CHECK(s.state() == State::Authorization);
  (void)s.on_auth_result(AuthResult::Ok, {}, "alice@example.org");
  CHECK(s.user() == "alice@example.org");
}

TEST_CASE("pop3 AUTH with an empty initial response and cancel", "[pop3][session][sasl]") {
  Session s(trusted(), {});
  (void)s.start();
  // LOGIN with "=": an empty user name, then the password prompt.
  CHECK(writes(s.on_bytes("AUTH LOGIN =\r\n")) == "+ UGFzc3dvcmQ6\r\n");
  CHECK(writes(s.on_bytes("*\r\n")) == "-ERR Authentication cancelled\r\n");
  CHECK(s.state() == State::Authorization);
  CHECK(writes(s.on_bytes("AUTH PLAIN\r\n")) == "+ \r\n");
  CHECK(writes(s.on_bytes("*\r\n")) == "-ERR Authentication cancelled\r\n");
  CHECK_FALSE(s.pending());
}

TEST_CASE("pop3 a refused login leaves the session in AUTHORIZATION", "[pop3][session]") {
  Session s(trusted(), {});
  (void)s.start();
  (void)s.on_bytes("USER alice\r\nPASS wrong\r\n");
  CHECK(writes(s.on_auth_result(AuthResult::Invalid, three())) ==
        "-ERR [AUTH] Invalid login or password\r\n");
  CHECK(s.state() == State::Authorization);
  CHECK(s.user().empty());
  CHECK(s.maildrop().size() == 0);
  CHECK(writes(s.on_bytes("STAT\r\n")) == "-ERR Command not valid before login\r\n");
}

TEST_CASE("pop3 APOP hands the lower-case digest to the host", "[pop3][session]") {
  Options o;
  o.apop_timestamp = "<1896.697170952@dbc.mtview.ca.us>";
  o.apop_required = true;
  Session s(o, {});
  (void)s.start();
  auto actions = s.on_bytes("APOP mrose C4C9334BAC560ECC979E58001B3E22FB\r\n");
  REQUIRE(kinds(actions) == std::vector<K>{K::Authenticate});
  CHECK(actions[0].mechanism == "APOP");
  CHECK(actions[0].user == "mrose");
  CHECK(actions[0].password == "c4c9334bac560ecc979e58001b3e22fb");
  CHECK(writes(s.on_auth_result(AuthResult::Ok, {{"x", 120}, {"y", 200}})) ==
        "+OK Maildrop ready, 2 messages (320 octets)\r\n");
  CHECK(s.user() == "mrose");
}

TEST_CASE("pop3 APOP is refused when no timestamp was given", "[pop3][session]") {
  Session s(trusted(), {});
  (void)s.start();
  CHECK(writes(s.on_bytes("APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n")) ==
        "-ERR APOP not available\r\n");
}

TEST_CASE("pop3 max_errors of one closes at the first error", "[pop3][session][limits]") {
  Limits l;
  l.max_errors = 1;
  Session s(trusted(), l);
  (void)s.start();
  auto actions = s.on_bytes("FOO\r\nQUIT\r\n");
  CHECK(writes(actions) == "-ERR Unknown command\r\n-ERR Too many errors\r\n");
  CHECK(kinds(actions) == std::vector<K>{K::Write, K::Close});
  CHECK(s.closed());
  CHECK(s.on_bytes("QUIT\r\n").empty());
}

TEST_CASE("pop3 max_commands counts every line, SASL responses included", "[pop3][session][limits]") {
  Limits l;
  l.max_commands = 3;
  Session s(trusted(), l);
  (void)s.start();
  CHECK(writes(s.on_bytes("AUTH LOGIN\r\nYWxpY2U=\r\n")) == "+ VXNlcm5hbWU6\r\n+ UGFzc3dvcmQ6\r\n");
  CHECK(kinds(s.on_bytes("c2VjcmV0\r\n")) == std::vector<K>{K::Authenticate});
  (void)s.on_auth_result(AuthResult::Ok, {});
  auto actions = s.on_bytes("NOOP\r\n");
  CHECK(writes(actions) == "-ERR Too many commands\r\n");
  CHECK(kinds(actions).back() == K::Close);
}

TEST_CASE("pop3 pipelined input beyond the cap closes a pending session", "[pop3][session][limits]") {
  Limits l;
  l.max_pending_input = 100;
  Session s = logged_in(three(), l);
  (void)s.on_bytes("RETR 1\r\n");
  REQUIRE(s.pending());
  CHECK(s.on_bytes(std::string(100, 'x')).empty());
  auto actions = s.on_bytes("y");
  CHECK(writes(actions) == "-ERR Too much pipelined input\r\n");
  CHECK(kinds(actions).back() == K::Close);
  CHECK(s.closed());
  CHECK(s.buffered() == 0);
  CHECK(s.on_message("x").empty());
}

TEST_CASE("pop3 a command longer than max_command_line but not AUTH is refused", "[pop3][session][limits]") {
  Limits l;
  l.max_command_line = 10;
  l.max_auth_line = 40;
  Session s(trusted(), l);
  (void)s.start();
  CHECK(writes(s.on_bytes("USER abcdefgh\r\n")) == "-ERR Line too long\r\n");
  CHECK(kinds(s.on_bytes("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n")) == std::vector<K>{K::Authenticate});
}

TEST_CASE("pop3 with TLS active STLS is neither offered nor accepted", "[pop3][session]") {
  Options o;
  o.tls_active = true;
  o.tls_available = true;
  Session s(o, {});
  (void)s.start();
  std::string capa = writes(s.on_bytes("CAPA\r\n"));
  CHECK(capa.find("STLS") == std::string::npos);
  CHECK(capa.find("SASL PLAIN LOGIN") != std::string::npos);
  CHECK(kinds(s.on_bytes("STLS\r\n")) == std::vector<K>{K::Write});
}

TEST_CASE("pop3 action descriptions used by transcripts", "[pop3][session]") {
  using pillarbox::pop3::testing::describe;
  Action w;
  w.bytes = "+OK a\r\n\r\n";
  CHECK(describe(w) == std::vector<std::string>{"S: +OK a", "S:"});
  w.bytes = "+OK unterminated";
  CHECK(describe(w) == std::vector<std::string>{"S! unterminated +OK unterminated"});
  Action r;
  r.kind = K::Retrieve;
  r.index = 4;
  r.top_lines = 0;
  CHECK(describe(r) == std::vector<std::string>{"A: retrieve index=4 top=0"});
  Action c;
  c.kind = K::Commit;
  c.deleted = {1, 5};
  CHECK(describe(c) == std::vector<std::string>{"A: commit deleted=1,5"});
}
