// Unit tests of the client's transaction helpers (client_transaction.hpp)
// and dot-stuffing (client_data.hpp): parameters per extension, DSN
// encoding, local refusals, stuffing across any block size.
#include <catch2/catch.hpp>

#include <algorithm>

#include "proto/smtp/client_data.hpp"
#include "proto/smtp/client_transaction.hpp"

using namespace pillarbox::smtp;
using namespace pillarbox::smtp::client;

namespace {

Capabilities all_extensions() {
  Capabilities c;
  c.esmtp = c.size = c.pipelining = c.eightbitmime = c.smtputf8 = c.dsn = true;
  c.max_size = 1000;
  return c;
}

Transaction tx(std::string message = "Hi\r\n") {
  Transaction t;
  t.mail_from = "alice@example.org";
  t.recipients.push_back({"bob@example.net", 0, {}});
  t.message = std::move(message);
  return t;
}

std::string stuff(const std::string& message, std::size_t block) {
  DotStuffer s;
  std::string out;
  int guard = 0;
  while (!s.done() && ++guard < 100000) {
    std::string b = s.next(message, block);
    CHECK(b.size() <= 2 * std::max<std::size_t>(block, 1) + 7);  // doubled dots, CRLFs, terminator
    out += b;
  }
  CHECK(s.next(message, block).empty());
  return out;
}

}  // namespace

TEST_CASE("smtp_client: MAIL parameters appear only when the server offers them", "[smtp_client][transaction]") {
  Transaction t = tx();
  t.needs_8bitmime = true;
  t.needs_smtputf8 = true;
  t.ret = Ret::Full;
  t.envid = "id 1+2=3";
  CHECK(mail_command(t, all_extensions()) ==
        "MAIL FROM:<alice@example.org> SIZE=4 BODY=8BITMIME SMTPUTF8 RET=FULL ENVID=id+201+2B2+3D3");
  CHECK(mail_command(t, Capabilities{}) == "MAIL FROM:<alice@example.org>");
  t.mail_from.clear();
  t.ret = Ret::Headers;
  t.envid.clear();
  t.size = 77;
  Capabilities c = all_extensions();
  c.smtputf8 = false;
  CHECK(mail_command(t, c) == "MAIL FROM:<> SIZE=77 BODY=8BITMIME RET=HDRS");
}

TEST_CASE("smtp_client: RCPT DSN parameters", "[smtp_client][transaction]") {
  Capabilities c = all_extensions();
  CHECK(rcpt_command({"a@b", NotifySuccess | NotifyFailure | NotifyDelay, "rfc822;a+x@b"}, c) ==
        "RCPT TO:<a@b> NOTIFY=SUCCESS,FAILURE,DELAY ORCPT=rfc822;a+2Bx@b");
  CHECK(rcpt_command({"a@b", NotifyNever | NotifySuccess, {}}, c) == "RCPT TO:<a@b> NOTIFY=NEVER");
  CHECK(rcpt_command({"a@b", NotifyDelay, "a@b"}, c) == "RCPT TO:<a@b> NOTIFY=DELAY ORCPT=rfc822;a@b");
  CHECK(rcpt_command({"a@b", 0, "utf-8;j\xC3\xB6rg@b"}, c) == "RCPT TO:<a@b> ORCPT=utf-8;j+C3+B6rg@b");
  c.dsn = false;
  CHECK(rcpt_command({"a@b", NotifyFailure, "rfc822;a@b"}, c) == "RCPT TO:<a@b>");
}

TEST_CASE("smtp_client: needs_smtputf8 and message_size", "[smtp_client][transaction]") {
  Transaction t = tx("12345");
  CHECK_FALSE(needs_smtputf8(t));
  CHECK(message_size(t) == 5);
  t.size = 9;
  CHECK(message_size(t) == 9);
  t.recipients.push_back({"j\xC3\xB6rg@example.net", 0, {}});
  CHECK(needs_smtputf8(t));
  t.recipients.pop_back();
  t.mail_from = "\xC3\xA9@example.org";
  CHECK(needs_smtputf8(t));
}

TEST_CASE("smtp_client: precheck: missing extensions, size, bad sender", "[smtp_client][transaction]") {
  Capabilities c = all_extensions();
  Transaction t = tx();
  CHECK_FALSE(precheck(t, c));
  t.needs_smtputf8 = true;
  c.smtputf8 = false;
  CHECK(precheck(t, c) == Reply{554, "5.6.7", "remote server does not support SMTPUTF8"});
  t.needs_smtputf8 = false;
  t.needs_8bitmime = true;
  c.eightbitmime = false;
  CHECK(precheck(t, c) == Reply{554, "5.6.3", "remote server does not support 8BITMIME"});
  t.needs_8bitmime = false;
  t.size = 1001;
  CHECK(precheck(t, c) == Reply{552, "5.3.4", "message larger than the remote server's limit (1001 > 1000 octets)"});
  t.size = 1000;
  CHECK_FALSE(precheck(t, c));
  c.max_size = 0;  // SIZE without a limit
  t.size = 1ULL << 40;
  CHECK_FALSE(precheck(t, c));
  t.mail_from = "a@b>\r\nRCPT TO:<c@d";
  CHECK(precheck(t, c) == Reply{553, "5.1.7", "invalid sender address"});
}

TEST_CASE("smtp_client: precheck_recipient refuses what would break the command", "[smtp_client][transaction]") {
  CHECK_FALSE(precheck_recipient({"bob@example.net", 0, {}}));
  CHECK_FALSE(precheck_recipient({"\"bob smith\"@example.net", 0, {}}));
  Reply bad{553, "5.1.3", "invalid recipient address"};
  CHECK(precheck_recipient({"", 0, {}}) == bad);
  CHECK(precheck_recipient({"a@b>", 0, {}}) == bad);
  CHECK(precheck_recipient({"a@b\r\nDATA", 0, {}}) == bad);
  CHECK(precheck_recipient({std::string("a\0b", 3), 0, {}}) == bad);
}

TEST_CASE("smtp_client: outcomes by reply code", "[smtp_client][transaction]") {
  CHECK(outcome_of(250) == Outcome::Accepted);
  CHECK(outcome_of(251) == Outcome::Accepted);
  CHECK(outcome_of(450) == Outcome::TemporaryFailure);
  CHECK(outcome_of(354) == Outcome::TemporaryFailure);
  CHECK(outcome_of(550) == Outcome::PermanentFailure);
  CHECK(failure_of(250) == Outcome::TemporaryFailure);
  CHECK(failure_of(554) == Outcome::PermanentFailure);
  CHECK(to_string(Stage::Final) == "final");
  CHECK(to_string(Stage::StartTls) == "starttls");
  CHECK(to_string(Outcome::PermanentFailure) == "permfail");
}

TEST_CASE("smtp_client: dot-stuffing: dots, line ends, terminator", "[smtp_client][data]") {
  CHECK(stuff("", 100) == ".\r\n");
  CHECK(stuff("a\r\n", 100) == "a\r\n.\r\n");
  CHECK(stuff("a", 100) == "a\r\n.\r\n");
  CHECK(stuff(".\r\n", 100) == "..\r\n.\r\n");
  CHECK(stuff("x\r\n.y\r\n..z\r\n", 100) == "x\r\n..y\r\n...z\r\n.\r\n");
  CHECK(stuff("a.b\r\n", 100) == "a.b\r\n.\r\n");
  CHECK(stuff("a\n.\nb", 100) == "a\r\n..\r\nb\r\n.\r\n");
  CHECK(stuff("a\r.\rb", 100) == "a\r\n..\r\nb\r\n.\r\n");
  CHECK(stuff("a\r", 100) == "a\r\n.\r\n");
  CHECK(stuff("\r\n\r\n", 100) == "\r\n\r\n.\r\n");
  CHECK(stuff("a\r\r\nb", 100) == "a\r\n\r\nb\r\n.\r\n");
}

TEST_CASE("smtp_client: dot-stuffing gives the same text for every block size", "[smtp_client][data]") {
  const std::string message = "Subject: x\r\n\r\n.line\r\n..\r\nbare\nlf\rcr\r\n.\r\nend.";
  const std::string want = "Subject: x\r\n\r\n..line\r\n...\r\nbare\r\nlf\r\ncr\r\n..\r\nend.\r\n.\r\n";
  for (std::size_t block : {0, 1, 2, 3, 4, 7, 64, 4096}) {
    INFO("block " << block);
    CHECK(stuff(message, block) == want);
  }
}

TEST_CASE("smtp_client: dot-stuffing never lets the terminator appear early", "[smtp_client][data]") {
  // Every combination of CR, LF and "." up to five octets.
  const char alphabet[] = {'\r', '\n', '.', 'x'};
  for (int len = 1; len <= 5; ++len) {
    int total = 1;
    for (int i = 0; i < len; ++i) total *= 4;
    for (int n = 0; n < total; ++n) {
      std::string m;
      for (int i = 0, k = n; i < len; ++i, k /= 4) m += alphabet[k % 4];
      std::string out = stuff(m, 2);
      INFO("message " << n << " of length " << len);
      CHECK(out.find("\r\n.\r\n") == out.size() - 5);
      CHECK(out.rfind(".\r\n", 0) == (out == ".\r\n" ? 0 : std::string::npos));
      // Only CRLF pairs: no bare CR or LF on the wire.
      for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i] == '\r') CHECK((i + 1 < out.size() && out[i + 1] == '\n'));
        if (out[i] == '\n') CHECK((i > 0 && out[i - 1] == '\r'));
      }
    }
  }
}
