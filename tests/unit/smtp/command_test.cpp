// Unit tests of the SMTP command parser (proto/smtp/command.hpp): verbs,
// arguments, MAIL/RCPT parameters and the replies for malformed commands.
// Path syntax and relay tricks are in address_test.cpp.
#include <catch2/catch.hpp>

#include <limits>

#include "proto/smtp/command.hpp"
#include "proto/smtp/reply.hpp"

using namespace pillarbox::smtp;

namespace {

// The reply a malformed line gets, "" when it parses.
std::string refusal(std::string_view line) {
  auto cmd = parse_command(line);
  if (cmd) return "";
  Reply r = reply_for(cmd.error());
  return std::to_string(r.code) + " " + r.enhanced + " " + r.text;
}

Command parsed(std::string_view line) {
  auto cmd = parse_command(line);
  INFO(std::string(line));
  REQUIRE(cmd.ok());
  return *cmd;
}

}  // namespace

TEST_CASE("verbs are recognised case-insensitively", "[smtp][command]") {
  CHECK(parse_verb("ehlo x") == Verb::Ehlo);
  CHECK(parse_verb("StartTLS") == Verb::StartTls);
  CHECK(parse_verb("bdat 1") == Verb::Bdat);
  CHECK(parse_verb(std::string_view("NOOP\0", 5)) == Verb::Noop);
  CHECK_FALSE(parse_verb("QUIT:"));
  CHECK_FALSE(parse_verb("MAILFROM:<a@b>"));
  CHECK_FALSE(parse_verb(""));
  CHECK_FALSE(parse_verb("ETRN example.org"));
  CHECK(refusal("XYZZY") == "500 5.5.2 Error: command not recognized");
  CHECK(refusal(std::string_view("NOOP\0", 5)) == "500 5.5.2 Error: bad character in command");
  CHECK(refusal("NOOP a\rb") == "500 5.5.2 Error: bad character in command");
}

TEST_CASE("commands without arguments refuse them", "[smtp][command]") {
  CHECK(parsed("DATA").verb == Verb::Data);
  CHECK(parsed("rset   ").verb == Verb::Rset);  // trailing blanks are forgiven
  CHECK(refusal("DATA x") == "501 5.5.4 Syntax: DATA");
  CHECK(refusal("QUIT now") == "501 5.5.4 Syntax: QUIT");
  CHECK(refusal("STARTTLS x") == "501 5.5.4 Syntax: STARTTLS");
  CHECK(parsed("NOOP anything at all").argument == "anything at all");
  CHECK(parsed("HELP").argument.empty());
  CHECK(parsed("VRFY bob").argument == "bob");
  CHECK(refusal("VRFY") == "501 5.5.4 Syntax: VRFY address");
}

TEST_CASE("EHLO and HELO need a name", "[smtp][command]") {
  CHECK(parsed("EHLO client.example.net").argument == "client.example.net");
  CHECK(parsed("HELO [192.0.2.1]").argument == "[192.0.2.1]");
  CHECK(refusal("EHLO") == "501 5.5.4 Syntax: EHLO hostname");
  CHECK(refusal("HELO   ") == "501 5.5.4 Syntax: HELO hostname");
  CHECK(refusal("EHLO bad\xff") == "501 5.5.4 Syntax: EHLO hostname");
}

TEST_CASE("MAIL FROM takes a path and parameters", "[smtp][command]") {
  Command c = parsed("MAIL FROM:<alice@example.net> SIZE=1000 BODY=8bitmime SMTPUTF8 RET=full "
                     "ENVID=id+2B1 AUTH=alice+40example.net");
  CHECK(c.verb == Verb::Mail);
  CHECK(c.address == "alice@example.net");
  CHECK(c.mail.size == 1000U);
  CHECK(c.mail.body == "8BITMIME");
  CHECK(c.mail.smtputf8);
  CHECK(c.mail.ret == "FULL");
  CHECK(c.mail.envid == "id+1");
  CHECK(c.mail.auth == "alice@example.net");
  CHECK(parsed("mail from:<>").address.empty());
  CHECK(parsed("MAIL FROM: <a@example.net>").address == "a@example.net");
  CHECK(parsed("MAIL FROM:<a@example.net>  SIZE=1").mail.size == 1U);
  CHECK(parsed("MAIL FROM:<a@b> SIZE=99999999999999999999").mail.size ==
        std::numeric_limits<std::uint64_t>::max());
  CHECK(parsed("MAIL FROM:<a@b> BODY=BINARYMIME").mail.body == "BINARYMIME");
  CHECK(refusal("MAIL TO:<a@b>") == "501 5.5.4 Syntax: MAIL FROM:<address>");
  CHECK(refusal("MAIL") == "501 5.5.4 Syntax: MAIL FROM:<address>");
  CHECK(refusal("MAIL FROM:") == "501 5.1.7 Bad sender address syntax");
  CHECK(refusal("MAIL FROM:<a@b") == "501 5.1.7 Bad sender address syntax");
}

TEST_CASE("MAIL parameters are checked", "[smtp][command]") {
  CHECK(refusal("MAIL FROM:<a@b> SIZE=") == "501 5.5.4 Bad parameter syntax");
  CHECK(refusal("MAIL FROM:<a@b> SIZE") == "501 5.5.4 Invalid SIZE value");
  CHECK(refusal("MAIL FROM:<a@b> SIZE=-1") == "501 5.5.4 Invalid SIZE value");
  CHECK(refusal("MAIL FROM:<a@b> BODY=BIN") == "501 5.5.4 Invalid BODY value");
  CHECK(refusal("MAIL FROM:<a@b> RET=") == "501 5.5.4 Bad parameter syntax");
  CHECK(refusal("MAIL FROM:<a@b> ENVID=" + std::string(101, 'x')) == "501 5.5.4 Invalid ENVID value");
  CHECK(parsed("MAIL FROM:<a@b> ENVID=" + std::string(100, 'x')).mail.envid.size() == 100);
  CHECK(refusal("MAIL FROM:<a@b> AUTH=a+4") == "501 5.5.4 Invalid AUTH value");
  CHECK(refusal("MAIL FROM:<a@b> NOTIFY=NEVER") == "555 5.5.4 Unsupported option: NOTIFY");
  CHECK(refusal("MAIL FROM:<a@b> body=7BIT BODY=7BIT") == "501 5.5.4 Duplicate BODY parameter");
  CHECK(refusal("MAIL FROM:<a@b> -X=1") == "501 5.5.4 Bad parameter syntax");
  CHECK(refusal("MAIL FROM:<a@b> X==1") == "501 5.5.4 Bad parameter syntax");
  CHECK(refusal("MAIL FROM:<a@b>X=1") == "501 5.5.4 Bad parameter syntax");
}

TEST_CASE("RCPT TO takes a path and DSN parameters", "[smtp][command]") {
  Command c = parsed("RCPT TO:<bob@example.org> NOTIFY=delay,success ORCPT=RFC822;b+2Bo+3Db@x.org");
  CHECK(c.verb == Verb::Rcpt);
  CHECK(c.address == "bob@example.org");
  CHECK(c.rcpt.notify == "DELAY,SUCCESS");
  CHECK(c.rcpt.orcpt == "rfc822;b+o=b@x.org");
  CHECK(parsed("RCPT TO:<b@x> NOTIFY=NEVER").rcpt.notify == "NEVER");
  CHECK(refusal("RCPT TO:<b@x> NOTIFY=NEVER,FAILURE") == "501 5.5.4 Invalid NOTIFY value");
  CHECK(refusal("RCPT TO:<b@x> NOTIFY=") == "501 5.5.4 Bad parameter syntax");
  CHECK(refusal("RCPT TO:<b@x> NOTIFY=SUCCESS,") == "501 5.5.4 Invalid NOTIFY value");
  CHECK(refusal("RCPT TO:<b@x> ORCPT=rfc822") == "501 5.5.4 Invalid ORCPT value");
  CHECK(refusal("RCPT TO:<b@x> ORCPT=;a@b") == "501 5.5.4 Invalid ORCPT value");
  CHECK(refusal("RCPT TO:<b@x> ORCPT=rfc822;") == "501 5.5.4 Invalid ORCPT value");
  CHECK(refusal("RCPT TO:<b@x> SMTPUTF8") == "555 5.5.4 Unsupported option: SMTPUTF8");
  CHECK(refusal("RCPT FROM:<b@x>") == "501 5.5.4 Syntax: RCPT TO:<address>");
  CHECK(refusal("RCPT TO:") == "501 5.1.3 Bad recipient address syntax");
}

TEST_CASE("non-ASCII addresses need SMTPUTF8", "[smtp][command]") {
  CHECK(refusal("MAIL FROM:<jos\xc3\xa9@example.net>") == "553 5.6.7 Non-ASCII address requires SMTPUTF8");
  Command c = parsed("MAIL FROM:<jos\xc3\xa9@example.net> SMTPUTF8");
  CHECK(c.utf8_address);
  // RCPT: the parser flags it; the session knows whether MAIL said SMTPUTF8.
  CHECK(parsed("RCPT TO:<jos\xc3\xa9@example.net>").utf8_address);
  CHECK_FALSE(parsed("RCPT TO:<jose@example.net>").utf8_address);
}

TEST_CASE("BDAT takes a size and LAST", "[smtp][command]") {
  Command c = parsed("BDAT 1234");
  CHECK(c.chunk_size == 1234U);
  CHECK_FALSE(c.last_chunk);
  c = parsed("bdat 0 last");
  CHECK(c.chunk_size == 0U);
  CHECK(c.last_chunk);
  CHECK(parsed("BDAT 999999999999999999").chunk_size == 999999999999999999ULL);
  for (const char* bad : {"BDAT", "BDAT x", "BDAT -1", "BDAT 1 FINAL", "BDAT 1 LAST X",
                          "BDAT 9999999999999999999", "BDAT  LAST"}) {
    INFO(bad);
    CHECK(refusal(bad) == "501 5.5.4 Syntax: BDAT count [LAST]");
  }
}

TEST_CASE("AUTH takes a mechanism and an initial response", "[smtp][command]") {
  Command c = parsed("AUTH plain AGJvYgBzZWNyZXQ=");
  CHECK(c.mechanism == "PLAIN");
  CHECK(c.initial_response == "AGJvYgBzZWNyZXQ=");
  c = parsed("AUTH LOGIN");
  CHECK(c.mechanism == "LOGIN");
  CHECK_FALSE(c.initial_response);
  CHECK(parsed("AUTH SCRAM-SHA-256").mechanism == "SCRAM-SHA-256");
  CHECK(refusal("AUTH") == "501 5.5.4 Syntax: AUTH mechanism [initial-response]");
  CHECK(refusal("AUTH PLAIN a b") == "501 5.5.4 Syntax: AUTH mechanism [initial-response]");
  CHECK(refusal("AUTH PL*IN") == "501 5.5.4 Syntax: AUTH mechanism [initial-response]");
}
