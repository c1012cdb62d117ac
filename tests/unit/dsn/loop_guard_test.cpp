// "Never for a null sender, never looping" (proto/dsn/loop_guard.hpp).
#include "proto/dsn/loop_guard.hpp"

#include <catch2/catch.hpp>

#include "fixtures.hpp"

using namespace pillarbox::dsn;
using pillarbox::dsn::test::crlf;
using pillarbox::dsn::test::sample_original;

TEST_CASE("an ordinary message is reported on", "[dsn][loop]") {
  CHECK(should_report("alice@example.org", sample_original()));
  CHECK(should_report("<alice@example.org>", sample_original()));
  CHECK_FALSE(no_report_reason("alice@example.org", sample_original()));
  CHECK(should_report("alice@example.org", ""));  // nothing to look at but the sender
}

TEST_CASE("never to a null sender", "[dsn][loop]") {
  CHECK_FALSE(should_report("", sample_original()));
  CHECK_FALSE(should_report("<>", sample_original()));
  CHECK(*no_report_reason(" <> ", sample_original()) == "null envelope sender");
}

TEST_CASE("never to a mailer-daemon sender", "[dsn][loop]") {
  CHECK_FALSE(should_report("MAILER-DAEMON@mx.example.net", sample_original()));
  CHECK_FALSE(should_report("mailer-daemon@mx.example.net", sample_original()));
  CHECK(*no_report_reason("Mailer-Daemon@x", sample_original()) ==
        "envelope sender is a mailer-daemon");
  CHECK(should_report("mailer-daemon-fan@example.org", sample_original()));
}

TEST_CASE("never about a delivery report, whatever its envelope", "[dsn][loop]") {
  const std::string dsn = crlf(
      "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n"
      "To: <alice@example.org>\n"
      "Subject: Undelivered Mail Returned to Sender\n"
      "MIME-Version: 1.0\n"
      "Content-Type: multipart/report;\n"
      "  report-type=\"delivery-status\"; boundary=\"b1\"\n"
      "\n"
      "--b1\n\ntext\n--b1--\n");
  CHECK_FALSE(should_report("bounces@example.org", dsn));
  CHECK(*no_report_reason("bounces@example.org", dsn) ==
        "message is a delivery status notification");

  std::string global = dsn;
  global.replace(global.find("\"delivery-status\""), 17, "global-delivery-status");
  CHECK_FALSE(should_report("bounces@example.org", global));

  // A read receipt (RFC 8098) is a report too, but not a delivery report.
  std::string mdn = dsn;
  mdn.replace(mdn.find("\"delivery-status\""), 17, "disposition-notification");
  CHECK(should_report("bob@example.net", mdn));
}

TEST_CASE("never about an automatic notice from a mail system", "[dsn][loop]") {
  const std::string notice = crlf(
      "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\n"
      "Auto-Submitted: auto-replied\n"
      "Subject: Warning: message delayed\n"
      "\n"
      "text\n");
  CHECK_FALSE(should_report("notices@mx.example.net", notice));
  CHECK(*no_report_reason("notices@mx.example.net", notice) ==
        "message is an automatic notice from a mail system");

  std::string postmaster = notice;
  postmaster.replace(postmaster.find("MAILER-DAEMON"), 13, "Postmaster");
  CHECK_FALSE(should_report("notices@mx.example.net", postmaster));

  std::string manual = notice;
  manual.replace(manual.find("auto-replied"), 12, "no");
  CHECK(should_report("notices@mx.example.net", manual));

  // Auto-generated mail from a real sender (cron, vacation) is reported on.
  const std::string cron = crlf(
      "From: Cron Daemon <root@host.example.org>\n"
      "Auto-Submitted: auto-generated\n"
      "\n"
      "output\n");
  CHECK(should_report("root@host.example.org", cron));
}
