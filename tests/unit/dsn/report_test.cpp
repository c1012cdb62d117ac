// The report builder (proto/dsn/dsn.hpp), checked by parsing its output with
// proto/mime: structure, every field, returned content, character sets.
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "proto/dsn/dsn.hpp"
#include "proto/mime/codec.hpp"
#include "proto/mime/headers.hpp"

using namespace pillarbox;
using namespace pillarbox::dsn;
using namespace pillarbox::dsn::test;

namespace {

struct Parsed {
  Report report;
  mime::Message msg;
  std::vector<std::vector<mime::Header>> groups;  // of the delivery-status part
  std::string text;                               // the explanation, decoded, LF line ends
};

Parsed build_and_parse(const ReportInput& in) {
  Parsed p{build_ok(in), {}, {}, {}};
  check_wire(p.report.message);
  p.msg = parse_ok(p.report.message);
  REQUIRE(p.msg.root.type == "multipart");
  REQUIRE(p.msg.root.subtype == "report");
  REQUIRE(p.msg.root.children.size() >= 2);
  const mime::Part& status = p.msg.root.children[1];
  p.groups = status_groups(body_of(p.report.message, status));
  const mime::Part& text = p.msg.root.children[0];
  for (char c : mime::decode_transfer(body_of(p.report.message, text), text.encoding)) {
    if (c != '\r') p.text += c;
  }
  return p;
}

std::string header(const Parsed& p, std::string_view name) { return field(p.msg.headers, name); }

}  // namespace

TEST_CASE("a failure report is a three-part multipart/report", "[dsn][report]") {
  const std::string original = sample_original();
  const Parsed p = build_and_parse(failure_input(original));
  CHECK(p.msg.root.param("report-type") == "delivery-status");
  CHECK(p.msg.root.param("boundary") == p.report.boundary);
  REQUIRE(p.msg.root.children.size() == 3);
  const auto& kids = p.msg.root.children;
  CHECK(kids[0].type + "/" + kids[0].subtype == "text/plain");
  CHECK(kids[0].param("charset") == "us-ascii");
  CHECK(kids[0].encoding == "7bit");
  CHECK(kids[1].type + "/" + kids[1].subtype == "message/delivery-status");
  CHECK(kids[2].type + "/" + kids[2].subtype == "message/rfc822");
  CHECK(kids[2].encoding == "7bit");
  CHECK(body_of(p.report.message, kids[2]) == original);
  REQUIRE(kids[2].children.size() == 1);
  CHECK(field(kids[2].children[0].headers, "Message-ID") == "<lunch-1@example.org>");

  CHECK(header(p, "From") == "Mail Delivery System <MAILER-DAEMON@mail.example.com>");
  CHECK(header(p, "To") == "<alice@example.org>");
  CHECK(header(p, "Subject") == "Undelivered Mail Returned to Sender");
  CHECK(header(p, "Date") == "Tue, 3 Mar 2026 09:30:00 +0000");
  CHECK(header(p, "Message-ID") == "<4F2A1B.1@mail.example.com>");
  CHECK(header(p, "Auto-Submitted") == "auto-replied");
  CHECK(header(p, "MIME-Version") == "1.0");
  CHECK(p.report.message_id == "<4F2A1B.1@mail.example.com>");
  CHECK(p.report.subject == "Undelivered Mail Returned to Sender");
  CHECK(p.report.returned == Returned::Full);
  CHECK_FALSE(p.report.eight_bit);
  CHECK_FALSE(p.report.smtputf8);
}

TEST_CASE("the delivery-status fields of a failure", "[dsn][report]") {
  const std::string original = sample_original();
  const Parsed p = build_and_parse(failure_input(original));
  REQUIRE(p.groups.size() == 2);
  const auto& msg = p.groups[0];
  CHECK(msg[0].name == "Original-Envelope-Id");  // first, as RFC 3464 2.2 orders it
  CHECK(field(msg, "Original-Envelope-Id") == "QQ314159");
  CHECK(field(msg, "Reporting-MTA") == "dns; mail.example.com");
  CHECK(field(msg, "Received-From-MTA") == "dns; client.example.org");
  CHECK(field(msg, "Arrival-Date") == "Tue, 3 Mar 2026 09:00:00 +0000");
  CHECK(field(msg, "X-Pillarbox-Queue-ID") == "4F2A1B");
  const auto& rcpt = p.groups[1];
  CHECK(rcpt[0].name == "Original-Recipient");
  CHECK(field(rcpt, "Original-Recipient") == "rfc822;bob@example.net");
  CHECK(field(rcpt, "Final-Recipient") == "rfc822; bob@example.net");
  CHECK(field(rcpt, "Action") == "failed");
  CHECK(field(rcpt, "Status") == "5.1.1");
  CHECK(field(rcpt, "Remote-MTA") == "dns; mx.example.net");
  CHECK(field(rcpt, "Diagnostic-Code") ==
        "smtp; 550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown in virtual "
        "mailbox table");
  CHECK(field(rcpt, "Last-Attempt-Date") == "Tue, 3 Mar 2026 09:29:55 +0000");
  CHECK(field(rcpt, "Will-Retry-Until") == "<absent>");

  CHECK(p.text.find("could not be delivered to the following recipient.") != std::string::npos);
  CHECK(p.text.find("<bob@example.net>\n    Status: 5.1.1 (permanent failure: Bad destination "
                    "mailbox address)\n"
                    "    The server mx.example.net replied:\n"
                    "        550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown "
                    "in virtual "
                    "mailbox table\n") != std::string::npos);
  CHECK(p.text.find("Your message is attached.") != std::string::npos);
}

TEST_CASE("optional per-message fields are left out when unknown", "[dsn][report]") {
  const std::string original = sample_original();
  ReportInput in = failure_input(original);
  in.envid.clear();
  in.arrival_date.reset();
  in.received_from_mta.clear();
  in.queue_id.clear();
  in.recipients[0].original_recipient.clear();
  in.recipients[0].last_attempt.reset();
  const Parsed p = build_and_parse(in);
  REQUIRE(p.groups.size() == 2);
  CHECK(p.groups[0].size() == 1);
  CHECK(field(p.groups[0], "Reporting-MTA") == "dns; mail.example.com");
  CHECK(field(p.groups[1], "Original-Recipient") == "<absent>");
  CHECK(field(p.groups[1], "Last-Attempt-Date") == "<absent>");
  CHECK(p.groups[1][0].name == "Final-Recipient");
}

TEST_CASE("a delay report", "[dsn][report]") {
  const std::string original = sample_original();
  ReportInput in = failure_input(original);
  in.ret = Ret::Full;  // still headers only: nothing failed
  RecipientReport& r = in.recipients[0];
  const Outcome o =
      outcome_from_local(LocalFailure::ConnectFailed,
                         "connect to mx.example.net[192.0.2.25]:25: Connection timed out");
  r.action = Action::Delayed;
  r.status = o.status;
  r.diagnostic_type = o.diagnostic_type;
  r.diagnostic = o.diagnostic;
  r.remote_mta.clear();
  r.will_retry_until = 1772787600;  // Fri, 6 Mar 2026 09:00:00
  const Parsed p = build_and_parse(in);
  CHECK(header(p, "Subject") == "Delayed Mail (still being retried)");
  REQUIRE(p.msg.root.children.size() == 3);
  const auto& third = p.msg.root.children[2];
  CHECK(third.type + "/" + third.subtype == "text/rfc822-headers");
  CHECK(p.report.returned == Returned::Headers);
  const auto& rcpt = p.groups[1];
  CHECK(field(rcpt, "Action") == "delayed");
  CHECK(field(rcpt, "Status") == "4.4.1");
  CHECK(field(rcpt, "Remote-MTA") == "<absent>");
  CHECK(field(rcpt, "Diagnostic-Code") ==
        "x-pillarbox; connect to mx.example.net[192.0.2.25]:25: Connection timed out");
  CHECK(field(rcpt, "Will-Retry-Until") == "Fri, 6 Mar 2026 09:00:00 +0000");
  CHECK(p.text.find("has not yet been delivered") != std::string::npos);
  CHECK(
      p.text.find("    Reason: connect to mx.example.net[192.0.2.25]:25: Connection timed out\n") !=
      std::string::npos);
  CHECK(p.text.find("Will keep trying until: Fri, 6 Mar 2026 09:00:00 +0000") != std::string::npos);
}

TEST_CASE("success and relay reports", "[dsn][report]") {
  const std::string original = sample_original();
  ReportInput in = failure_input(original);
  in.ret = Ret::Full;
  RecipientReport& r = in.recipients[0];
  const Outcome o = outcome_from_reply("250 2.0.0 Ok: queued as 9C1D");
  r.status = o.status;
  r.diagnostic_type = o.diagnostic_type;
  r.diagnostic = o.diagnostic;

  SECTION("delivered") {
    r.action = Action::Delivered;
    const Parsed p = build_and_parse(in);
    CHECK(header(p, "Subject") == "Successful Mail Delivery Report");
    CHECK(field(p.groups[1], "Action") == "delivered");
    CHECK(field(p.groups[1], "Status") == "2.0.0");
    CHECK(field(p.groups[1], "Diagnostic-Code") == "smtp; 250 2.0.0 Ok: queued as 9C1D");
    CHECK(p.report.returned == Returned::Headers);  // RFC 3461: no content in success reports
    CHECK(p.text.find("Your message was delivered to the following recipient.") !=
          std::string::npos);
  }
  SECTION("relayed") {
    r.action = Action::Relayed;
    const Parsed p = build_and_parse(in);
    CHECK(header(p, "Subject") == "Relayed Mail Report");
    CHECK(field(p.groups[1], "Action") == "relayed");
    CHECK(p.report.returned == Returned::Headers);
    CHECK(p.text.find("The next mail system does not send delivery reports") != std::string::npos);
  }
  SECTION("expanded") {
    r.action = Action::Expanded;
    const Parsed p = build_and_parse(in);
    CHECK(header(p, "Subject") == "Successful Mail Delivery Report");
    CHECK(field(p.groups[1], "Action") == "expanded");
  }
}

TEST_CASE("several recipients with different actions", "[dsn][report]") {
  const std::string original = sample_original();
  ReportInput in = failure_input(original);
  RecipientReport delayed = in.recipients[0];
  delayed.final_recipient = "carol@example.net";
  delayed.original_recipient.clear();
  delayed.action = Action::Delayed;
  delayed.status = "4.2.2";
  delayed.diagnostic = "452 4.2.2 Mailbox full";
  RecipientReport failed2 = in.recipients[0];
  failed2.final_recipient = "dave@example.net";
  failed2.original_recipient.clear();
  in.recipients.push_back(delayed);
  in.recipients.push_back(failed2);
  const Parsed p = build_and_parse(in);
  CHECK(header(p, "Subject") == "Undelivered Mail Returned to Sender");
  REQUIRE(p.groups.size() == 4);
  CHECK(field(p.groups[1], "Final-Recipient") == "rfc822; bob@example.net");
  CHECK(field(p.groups[2], "Final-Recipient") == "rfc822; carol@example.net");
  CHECK(field(p.groups[2], "Action") == "delayed");
  CHECK(field(p.groups[3], "Final-Recipient") == "rfc822; dave@example.net");
  CHECK(p.text.find("to the following recipients.") != std::string::npos);
  CHECK(p.text.find("not yet been delivered to the following recipient.") != std::string::npos);
  CHECK(p.text.find("<carol@example.net>") >
        p.text.find("<dave@example.net>"));  // grouped by action
}

TEST_CASE("RET=HDRS returns only the header section", "[dsn][report]") {
  const std::string original = sample_original();
  ReportInput in = failure_input(original);
  in.ret = Ret::Headers;
  const Parsed p = build_and_parse(in);
  REQUIRE(p.msg.root.children.size() == 3);
  const auto& third = p.msg.root.children[2];
  CHECK(third.type + "/" + third.subtype == "text/rfc822-headers");
  const std::string_view body = body_of(p.report.message, third);
  CHECK(body == original.substr(0, original.find("\r\n\r\n") + 2));
  CHECK(body.find("lunch on Friday?") == std::string_view::npos);
  CHECK(p.report.returned == Returned::Headers);
  CHECK(p.text.find("The header section of your message is attached.\n") != std::string::npos);
}

TEST_CASE("without RET the size cap decides", "[dsn][report]") {
  const std::string original = sample_original();
  ReportInput in = failure_input(original);
  SECTION("at the cap: the whole message") {
    in.return_size_limit = original.size();
    CHECK(build_and_parse(in).report.returned == Returned::Full);
  }
  SECTION("over the cap: the header section") {
    in.return_size_limit = original.size() - 1;
    const Parsed p = build_and_parse(in);
    CHECK(p.report.returned == Returned::Headers);
    CHECK(p.msg.root.children[2].subtype == "rfc822-headers");
    CHECK(p.text.find("is too large to return in full") != std::string::npos);
  }
  SECTION("RET=FULL ignores the cap") {
    in.return_size_limit = 10;
    in.ret = Ret::Full;
    CHECK(build_and_parse(in).report.returned == Returned::Full);
  }
}

TEST_CASE("a message that cannot travel unchanged is not returned whole", "[dsn][report]") {
  std::string original = sample_original();
  ReportInput in = failure_input(original);
  in.ret = Ret::Full;
  SECTION("a line over 998 octets in the body") {
    original += std::string(1500, 'y') + "\r\n";
    in.original = original;
    const Parsed p = build_and_parse(in);
    CHECK(p.report.returned == Returned::Headers);
    CHECK(p.text.find("cannot be attached unchanged") != std::string::npos);
  }
  SECTION("a NUL in the header section") {
    original.insert(original.find("Subject:"), std::string("X-Bad: a\0b\r\n", 12));
    in.original = original;
    const Parsed p = build_and_parse(in);
    CHECK(p.report.returned == Returned::None);
    CHECK(p.msg.root.children.size() == 2);
    CHECK(p.text.find("Your message could not be attached.") != std::string::npos);
  }
}

TEST_CASE("bare LF originals come back with CRLF", "[dsn][report]") {
  std::string lf;
  for (char c : sample_original()) {
    if (c != '\r') lf += c;
  }
  ReportInput in = failure_input(lf);
  const Parsed p = build_and_parse(in);
  CHECK(body_of(p.report.message, p.msg.root.children[2]) == sample_original());
}

TEST_CASE("ORCPT round trip", "[dsn][report]") {
  // RCPT TO:<bob@example.net> ORCPT=rfc822;Bob+2Bfilter+3Dx@Example.NET, as
  // proto/smtp stores it: xtext-decoded.
  const std::string original = sample_original();
  ReportInput in = failure_input(original);
  in.recipients[0].original_recipient = "rfc822;Bob+filter=x@Example.NET";
  const Parsed p = build_and_parse(in);
  const std::string value = field(p.groups[1], "Original-Recipient");
  CHECK(value == "rfc822;Bob+filter=x@Example.NET");
  // Re-encoding the address part gives the parameter the client sent.
  const std::size_t semi = value.find(';');
  std::string xtext = value.substr(0, semi + 1);
  for (char c : value.substr(semi + 1)) {
    if (c == '+' || c == '=') {
      xtext += c == '+' ? "+2B" : "+3D";
    } else {
      xtext += c;
    }
  }
  CHECK(xtext == "rfc822;Bob+2Bfilter+3Dx@Example.NET");
  CHECK(p.text.find("    Originally addressed to: <Bob+filter=x@Example.NET>\n") !=
        std::string::npos);

  SECTION("other address types are kept as sent") {
    in.recipients[0].original_recipient = "x400;/G=Bob/S=Smith/O=Example/";
    const Parsed q = build_and_parse(in);
    CHECK(field(q.groups[1], "Original-Recipient") == "x400;/G=Bob/S=Smith/O=Example/");
  }
  SECTION("controls cannot get into the field") {
    in.recipients[0].original_recipient = "rfc822;bob\r\nX-Injected: 1@example.net";
    const Parsed q = build_and_parse(in);
    CHECK(field(q.groups[1], "Original-Recipient") == "rfc822;bob+0D+0AX-Injected: 1@example.net");
    CHECK(field(q.groups[1], "X-Injected") == "<absent>");
  }
}

TEST_CASE("multi-line remote replies", "[dsn][report]") {
  const std::string original = sample_original();
  ReportInput in = failure_input(original);
  const Outcome o = outcome_from_reply(
      "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
      "550-5.1.1 double-checking the recipient's email address for typos or\r\n"
      "550-5.1.1 unnecessary spaces. For more information, go to\r\n"
      "550 5.1.1  https://support.example.net/mail/?p=NoSuchUser x12si3456789abc.12 - gsmtp\r\n");
  in.recipients[0].status = o.status;
  in.recipients[0].diagnostic = o.diagnostic;
  const Parsed p = build_and_parse(in);
  CHECK(field(p.groups[1], "Diagnostic-Code") ==
        "smtp; 550-5.1.1 The email account that you tried to reach does not exist. Please try "
        "550-5.1.1 double-checking the recipient's email address for typos or "
        "550-5.1.1 unnecessary spaces. For more information, go to "
        "550 5.1.1  https://support.example.net/mail/?p=NoSuchUser x12si3456789abc.12 - gsmtp");
  // Each reply line starts a line of its own in the field.
  CHECK(p.report.message.find("\r\n 550-5.1.1 double-checking") != std::string::npos);
  CHECK(p.report.message.find("\r\n 550 5.1.1  https://") != std::string::npos);
  CHECK(p.text.find("        550-5.1.1 double-checking the recipient's email address for typos or\n"
                    "        550-5.1.1 unnecessary spaces.") != std::string::npos);
}

TEST_CASE("very long reply lines keep every line within 998 octets", "[dsn][report]") {
  const std::string original = sample_original();
  ReportInput in = failure_input(original);
  in.recipients[0].diagnostic = "550 5.7.1 " + std::string(3000, 'z');
  const Parsed p = build_and_parse(in);  // check_wire runs inside
  CHECK(p.msg.root.children[0].encoding == "quoted-printable");
  CHECK(p.text.find(std::string(3000, 'z')) != std::string::npos);
}

TEST_CASE("the boundary occurs nowhere in the content", "[dsn][report]") {
  std::string original = sample_original();
  ReportInput in = failure_input(original);
  const std::string first = build_ok(in).boundary;
  CHECK(first == "=_pbdsn_4F2A1B1_0");
  // A message that quotes that boundary gets another one.
  original += "--" + first + "\r\n" + first + "--\r\n";
  in.original = original;
  const Parsed p = build_and_parse(in);
  CHECK(p.report.boundary != first);
  REQUIRE(p.msg.root.children.size() == 3);
  CHECK(body_of(p.report.message, p.msg.root.children[2]) == original);
  const std::string& m = p.report.message;
  std::size_t count = 0;
  for (std::size_t at = m.find(p.report.boundary); at != std::string::npos;
       at = m.find(p.report.boundary, at + 1)) {
    ++count;
  }
  CHECK(count == 5);  // the Content-Type parameter, three delimiters, the close delimiter
}

TEST_CASE("8-bit originals go back as 8bit", "[dsn][report]") {
  std::string original = sample_original();
  original +=
      "Gr\xFC\xDF"
      "e\r\n";  // latin-1 in the body of a non-SMTPUTF8 message
  ReportInput in = failure_input(original);
  const Parsed p = build_and_parse(in);
  CHECK(p.msg.root.children[2].subtype == "rfc822");
  CHECK(p.msg.root.children[2].encoding == "8bit");
  CHECK(p.msg.root.children[1].encoding == "7bit");
  CHECK(p.report.eight_bit);
  CHECK_FALSE(p.report.smtputf8);
}

TEST_CASE("a UTF-8 reply in an ASCII report", "[dsn][report]") {
  const std::string original = sample_original();
  ReportInput in = failure_input(original);
  in.recipients[0].diagnostic = "550 5.2.1 Postfach gesperrt \xE2\x80\x93 bitte sp\xC3\xA4ter";
  const Parsed p = build_and_parse(in);
  CHECK(field(p.groups[1], "Diagnostic-Code") ==
        "smtp; 550 5.2.1 Postfach gesperrt ??? bitte sp??ter");
  CHECK(p.msg.root.children[0].param("charset") == "utf-8");
  CHECK(p.msg.root.children[0].encoding == "quoted-printable");
  CHECK(p.text.find("550 5.2.1 Postfach gesperrt \xE2\x80\x93 bitte sp\xC3\xA4ter") !=
        std::string::npos);
  CHECK_FALSE(p.report.eight_bit);
}

TEST_CASE("non-ASCII addresses make a global report (RFC 6533)", "[dsn][report]") {
  std::string original = crlf(
      "From: J\xC3\xB6rg <j\xC3\xB6rg@b\xC3\xBC"
      "cher.example>\n"
      "To: <ren\xC3\xA9@caf\xC3\xA9.example>\n"
      "Subject: Gr\xC3\xBC\xC3\x9F"
      "e\n"
      "\n"
      "Hallo\n");
  ReportInput in = failure_input(original);
  in.smtputf8 = true;
  in.envelope_sender =
      "j\xC3\xB6rg@b\xC3\xBC"
      "cher.example";
  in.recipients[0].final_recipient = "ren\xC3\xA9@caf\xC3\xA9.example";
  in.recipients[0].original_recipient = "rfc822;ren\xC3\xA9@caf\xC3\xA9.example";
  const Parsed p = build_and_parse(in);
  CHECK(p.report.smtputf8);
  CHECK(p.report.eight_bit);
  CHECK(p.msg.root.param("report-type") == "global-delivery-status");
  CHECK(p.msg.root.children[1].subtype == "global-delivery-status");
  CHECK(p.msg.root.children[1].encoding == "8bit");
  CHECK(p.msg.root.children[2].subtype == "global");
  CHECK(header(p, "To") ==
        "<j\xC3\xB6rg@b\xC3\xBC"
        "cher.example>");
  CHECK(field(p.groups[1], "Final-Recipient") == "utf-8; ren\xC3\xA9@caf\xC3\xA9.example");
  CHECK(field(p.groups[1], "Original-Recipient") == "utf-8;ren\xC3\xA9@caf\xC3\xA9.example");
  CHECK(body_of(p.report.message, p.msg.root.children[2]) == original);

  SECTION("headers only: message/global-headers") {
    in.ret = Ret::Headers;
    const Parsed q = build_and_parse(in);
    CHECK(q.msg.root.children[2].subtype == "global-headers");
  }
  SECTION("an SMTPUTF8 message with ASCII headers stays a plain report") {
    const std::string ascii = sample_original();
    ReportInput plain = failure_input(ascii);
    plain.smtputf8 = true;
    const Parsed q = build_and_parse(plain);
    CHECK_FALSE(q.report.smtputf8);
    CHECK(q.msg.root.param("report-type") == "delivery-status");
  }
}

TEST_CASE("inputs that make no report", "[dsn][report]") {
  const std::string original = sample_original();
  const ReportInput good = failure_input(original);
  auto expect_invalid = [](const ReportInput& in) {
    const auto r = build_report(in);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::InvalidInput);
  };
  ReportInput in = good;
  in.recipients.clear();
  expect_invalid(in);
  in = good;
  in.envelope_sender.clear();
  expect_invalid(in);
  in = good;
  in.reporting_mta.clear();
  expect_invalid(in);
  in = good;
  in.unique.clear();
  expect_invalid(in);
  in = good;
  in.recipients[0].status = "550";
  expect_invalid(in);
  in = good;
  in.recipients[0].will_retry_until = 1;  // only for delayed
  expect_invalid(in);
  in = good;
  in.recipients[0].final_recipient.clear();
  expect_invalid(in);
}
