// Unit tests of the POP3 command parser (proto/pop3/command.hpp): verbs,
// arguments of each command, message numbers, and the exact error texts.
#include <catch2/catch.hpp>

#include <string>

#include "proto/pop3/command.hpp"

using namespace pillarbox::pop3;

namespace {

Command parse_ok(std::string_view line) {
  auto cmd = parse_command(line);
  INFO(std::string(line) << ": " << (cmd ? std::string() : cmd.error().message));
  REQUIRE(cmd.ok());
  return *cmd;
}

std::string parse_error(std::string_view line) {
  auto cmd = parse_command(line);
  INFO(std::string(line));
  REQUIRE_FALSE(cmd.ok());
  CHECK(cmd.error().code == pillarbox::ErrorCode::InvalidInput);
  return cmd.error().message;
}

}  // namespace

TEST_CASE("pop3 verbs are case-insensitive and exact", "[pop3][command]") {
  CHECK(parse_verb("stat") == Verb::Stat);
  CHECK(parse_verb("StAt") == Verb::Stat);
  CHECK(parse_verb("TOP 1 2") == Verb::Top);
  CHECK(parse_verb("UIDL") == Verb::Uidl);
  CHECK(parse_verb("CAPA") == Verb::Capa);
  CHECK(parse_verb("STLS") == Verb::Stls);
  CHECK_FALSE(parse_verb("STATS"));
  CHECK_FALSE(parse_verb("STA"));
  CHECK_FALSE(parse_verb(""));
  CHECK_FALSE(parse_verb(" STAT"));
  CHECK_FALSE(parse_verb("STAT\t"));
  CHECK(parse_error("HELO x") == "Unknown command");
}

TEST_CASE("pop3 USER takes one name, PASS the rest of the line", "[pop3][command]") {
  CHECK(parse_ok("USER alice").argument == "alice");
  CHECK(parse_ok("user  alice  ").argument == "alice");
  CHECK(parse_error("USER") == "Syntax: USER name");
  CHECK(parse_error("USER ") == "Syntax: USER name");
  CHECK(parse_error("USER a b") == "Syntax: USER name");
  CHECK(parse_ok("PASS secret").argument == "secret");
  CHECK(parse_ok("PASS my secret phrase ").argument == "my secret phrase ");
  CHECK(parse_ok("PASS  x").argument == " x");
  CHECK(parse_error("PASS") == "Syntax: PASS password");
  CHECK(parse_error("PASS ") == "Syntax: PASS password");
}

TEST_CASE("pop3 APOP takes a name and a 32-digit hex digest, lower-cased", "[pop3][command]") {
  Command cmd = parse_ok("APOP mrose C4C9334BAC560ECC979E58001B3E22FB");
  CHECK(cmd.verb == Verb::Apop);
  CHECK(cmd.argument == "mrose");
  CHECK(cmd.digest == "c4c9334bac560ecc979e58001b3e22fb");
  CHECK(parse_error("APOP mrose") == "Syntax: APOP name digest");
  CHECK(parse_error("APOP") == "Syntax: APOP name digest");
  CHECK(parse_error("APOP a b c") == "Syntax: APOP name digest");
  const std::string bad_digest = "APOP digest must be 32 hexadecimal digits";
  CHECK(parse_error("APOP mrose c4c9334bac560ecc979e58001b3e22f") == bad_digest);
  CHECK(parse_error("APOP mrose c4c9334bac560ecc979e58001b3e22fbb") == bad_digest);
  CHECK(parse_error("APOP mrose z4c9334bac560ecc979e58001b3e22fb") == bad_digest);
}

TEST_CASE("pop3 AUTH takes an optional mechanism and initial response", "[pop3][command]") {
  Command cmd = parse_ok("AUTH");
  CHECK(cmd.argument.empty());
  CHECK_FALSE(cmd.initial_response);
  cmd = parse_ok("auth plain");
  CHECK(cmd.argument == "PLAIN");
  CHECK_FALSE(cmd.initial_response);
  cmd = parse_ok("AUTH PLAIN AGFsaWNlAHNlY3JldA==");
  REQUIRE(cmd.initial_response);
  CHECK(*cmd.initial_response == "AGFsaWNlAHNlY3JldA==");
  CHECK(*parse_ok("AUTH LOGIN =").initial_response == "=");
  CHECK(parse_error("AUTH PLAIN a b") == "Syntax: AUTH [mechanism [initial-response]]");
}

TEST_CASE("pop3 message numbers are digits only and saturate", "[pop3][command]") {
  Command cmd = parse_ok("RETR 12");
  REQUIRE(cmd.message);
  CHECK(cmd.message->value == 12);
  CHECK(cmd.message->text == "12");
  cmd = parse_ok("DELE 007");
  CHECK(cmd.message->value == 7);
  CHECK(cmd.message->text == "007");
  cmd = parse_ok("RETR 18446744073709551615");
  CHECK(cmd.message->value == UINT64_MAX);
  cmd = parse_ok("RETR 18446744073709551616");
  CHECK(cmd.message->value == UINT64_MAX);
  CHECK(cmd.message->text == "18446744073709551616");
  CHECK(parse_ok("RETR 184467440737095516150").message->value == UINT64_MAX);
  CHECK(parse_error("RETR -1") == "Invalid message number");
  CHECK(parse_error("RETR +1") == "Invalid message number");
  CHECK(parse_error("RETR 1a") == "Invalid message number");
  CHECK(parse_error("RETR 0x1") == "Invalid message number");
  CHECK(parse_error("RETR") == "Syntax: RETR msg");
  CHECK(parse_error("DELE") == "Syntax: DELE msg");
  CHECK(parse_error("DELE 1 2") == "Syntax: DELE msg");
}

TEST_CASE("pop3 LIST and UIDL take an optional number", "[pop3][command]") {
  CHECK_FALSE(parse_ok("LIST").message);
  CHECK_FALSE(parse_ok("UIDL ").message);
  CHECK(parse_ok("LIST 3").message->value == 3);
  CHECK(parse_ok("uidl 4").message->value == 4);
  CHECK(parse_error("LIST 1 2") == "Syntax: LIST [msg]");
  CHECK(parse_error("UIDL x") == "Invalid message number");
}

TEST_CASE("pop3 TOP takes a number and a line count", "[pop3][command]") {
  Command cmd = parse_ok("TOP 2 10");
  CHECK(cmd.message->value == 2);
  CHECK(cmd.lines == 10);
  CHECK(parse_ok("TOP 2 0").lines == 0);
  CHECK(parse_ok("TOP 2 99999999999999999999999").lines == UINT64_MAX);
  CHECK(parse_error("TOP 2") == "Syntax: TOP msg lines");
  CHECK(parse_error("TOP 2 1 1") == "Syntax: TOP msg lines");
  CHECK(parse_error("TOP x 1") == "Invalid message number");
  CHECK(parse_error("TOP 1 -5") == "Invalid line count");
}

TEST_CASE("pop3 commands without arguments refuse them", "[pop3][command]") {
  CHECK(parse_ok("STAT").verb == Verb::Stat);
  CHECK(parse_ok("NOOP  ").verb == Verb::Noop);
  CHECK(parse_ok("quit").verb == Verb::Quit);
  CHECK(parse_error("stat 1") == "STAT takes no arguments");
  CHECK(parse_error("Rset x") == "RSET takes no arguments");
  CHECK(parse_error("CAPA x") == "CAPA takes no arguments");
  CHECK(parse_error("STLS x") == "STLS takes no arguments");
  CHECK(parse_error("QUIT x") == "QUIT takes no arguments");
}
