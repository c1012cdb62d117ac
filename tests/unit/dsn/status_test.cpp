// Status codes from SMTP replies and local failures, and the Action for a
// status (proto/dsn/status.hpp).
#include "proto/dsn/status.hpp"

#include <catch2/catch.hpp>

using namespace pillarbox::dsn;

TEST_CASE("status codes follow RFC 3464 2.3.4", "[dsn][status]") {
  for (const char* ok : {"2.0.0", "4.4.1", "5.1.1", "5.1.10", "4.999.999", "5.7.0"}) {
    INFO(ok);
    CHECK(is_status_code(ok));
  }
  for (const char* bad : {"", "5", "5.1", "5.1.", "3.1.1", "1.0.0", "5.01.1", "5.1.01", "5.1000.1",
                          "5.1.1 ", " 5.1.1", "5.a.1", "55.1.1", "5..1"}) {
    INFO(bad);
    CHECK_FALSE(is_status_code(bad));
  }
}

TEST_CASE("the enhanced code of a reply is its status", "[dsn][status]") {
  CHECK(outcome_from_reply("550 5.1.1 User unknown").status == "5.1.1");
  CHECK(outcome_from_reply("452 4.2.2 Mailbox full").status == "4.2.2");
  CHECK(outcome_from_reply("250 2.0.0 Ok: queued as 123").status == "2.0.0");
  CHECK(outcome_from_reply("554 5.7.1 <x@y>: Relay access denied\r\n").status == "5.7.1");
}

TEST_CASE("without a usable enhanced code the reply class decides", "[dsn][status]") {
  CHECK(outcome_from_reply("550 no such user").status == "5.0.0");
  CHECK(outcome_from_reply("421 mx.example.net Service not available").status == "4.0.0");
  CHECK(outcome_from_reply("250 ok").status == "2.0.0");
  // RFC 3463 2: an enhanced code of another class than the reply is ignored.
  CHECK(outcome_from_reply("550 4.2.2 mailbox full").status == "5.0.0");
  CHECK(outcome_from_reply("451 5.1.1 odd").status == "4.0.0");
  CHECK(outcome_from_reply("550 5.01.1 leading zero").status == "5.0.0");
  CHECK(outcome_from_reply("550").status == "5.0.0");
  // Outside 2xx/4xx/5xx: a protocol error, to be retried.
  CHECK(outcome_from_reply("354 go ahead").status == "4.5.0");
}

TEST_CASE("multi-line replies keep every line verbatim", "[dsn][status]") {
  const auto o = outcome_from_reply(
      "550-5.1.1 The email account that you tried to reach does not exist.\r\n"
      "550-5.1.1 Please try double-checking the recipient's email address.\r\n"
      "550 5.1.1 https://support.example.net/answer/6596 - gsmtp\r\n");
  CHECK(o.status == "5.1.1");
  CHECK(o.diagnostic_type == "smtp");
  CHECK(o.diagnostic ==
        "550-5.1.1 The email account that you tried to reach does not exist.\n"
        "550-5.1.1 Please try double-checking the recipient's email address.\n"
        "550 5.1.1 https://support.example.net/answer/6596 - gsmtp");

  const auto parsed = parse_reply("451-first\n451 second");
  REQUIRE(parsed);
  CHECK(parsed->code == 451);
  CHECK(parsed->enhanced.empty());
  CHECK(parsed->lines == std::vector<std::string>{"451-first", "451 second"});
}

TEST_CASE("replies that are no replies", "[dsn][status]") {
  CHECK_FALSE(parse_reply(""));
  CHECK_FALSE(parse_reply("hello"));
  CHECK_FALSE(parse_reply("55 short"));
  CHECK_FALSE(parse_reply("550x5.1.1"));
  CHECK_FALSE(parse_reply("550-a\r\n451 b"));  // codes disagree
  const auto o = outcome_from_reply("garbage from server");
  CHECK(o.status == "4.5.0");
  CHECK(o.diagnostic_type == "x-pillarbox");
  CHECK(o.diagnostic == "unparsable reply: garbage from server");
}

TEST_CASE("replies rebuilt from proto/smtp's Reply parts", "[dsn][status]") {
  const auto one = outcome_from_reply(550, "5.1.1", "User unknown");
  CHECK(one.status == "5.1.1");
  CHECK(one.diagnostic == "550 5.1.1 User unknown");
  const auto multi = outcome_from_reply(452, "4.3.1", "Insufficient storage\nTry later");
  CHECK(multi.status == "4.3.1");
  CHECK(multi.diagnostic == "452-4.3.1 Insufficient storage\n452 4.3.1 Try later");
  const auto bare = outcome_from_reply(554, "", "");
  CHECK(bare.status == "5.0.0");
  CHECK(bare.diagnostic == "554");
}

TEST_CASE("local failures map to RFC 3463 codes", "[dsn][status]") {
  CHECK(status_of(LocalFailure::ConnectFailed) == "4.4.1");
  CHECK(status_of(LocalFailure::ConnectionLost) == "4.4.2");
  CHECK(status_of(LocalFailure::DnsTemporary) == "4.4.3");
  CHECK(status_of(LocalFailure::NoRoute) == "4.4.4");
  CHECK(status_of(LocalFailure::NoSuchDomain) == "5.1.2");
  CHECK(status_of(LocalFailure::NullMx) == "5.1.10");
  CHECK(status_of(LocalFailure::ProtocolError) == "4.5.0");
  CHECK(status_of(LocalFailure::TlsFailed) == "4.7.0");
  CHECK(status_of(LocalFailure::MessageTooBig) == "5.3.4");
  CHECK(status_of(LocalFailure::RoutingLoop) == "5.4.6");
  CHECK(status_of(LocalFailure::Expired) == "4.4.7");
  CHECK(status_of(LocalFailure::LocalError) == "4.3.0");
  const auto o = outcome_from_local(LocalFailure::ConnectFailed,
                                    "connect to mx.example.net[192.0.2.25]:25: Connection refused");
  CHECK(o.status == "4.4.1");
  CHECK(o.diagnostic_type == "x-pillarbox");
  CHECK(o.diagnostic == "connect to mx.example.net[192.0.2.25]:25: Connection refused");
}

TEST_CASE("the action follows the status class and the retry state", "[dsn][status]") {
  CHECK(action_for("5.1.1", false) == Action::Failed);
  CHECK(action_for("4.4.1", false) == Action::Delayed);
  CHECK(action_for("4.4.1", true) == Action::Failed);  // expiry keeps the 4.x.x status
  CHECK(action_for("2.0.0", false) == Action::Delivered);
  CHECK(action_for("2.0.0", false, false) == Action::Relayed);
  CHECK(action_name(Action::Failed) == "failed");
  CHECK(action_name(Action::Delayed) == "delayed");
  CHECK(action_name(Action::Delivered) == "delivered");
  CHECK(action_name(Action::Relayed) == "relayed");
  CHECK(action_name(Action::Expanded) == "expanded");
}

TEST_CASE("status titles for the human part", "[dsn][status]") {
  CHECK(status_title("5.1.1") == "Bad destination mailbox address");
  CHECK(status_title("4.4.7") == "Delivery time expired");
  CHECK(status_title("5.1.10") == "Recipient address has null MX");
  CHECK(status_title("5.0.0") == "");
  CHECK(status_title("4.9.9") == "");
  CHECK(status_title("x") == "");
  CHECK(status_class_name("5.0.0") == "permanent failure");
  CHECK(status_class_name("4.9.9") == "temporary failure");
  CHECK(status_class_name("2.0.0") == "success");
  CHECK(status_class_name("x") == "");
}
