// Shared inputs and checks for the proto/dsn tests (see fixtures.hpp).
#include "fixtures.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "proto/mime/headers.hpp"

namespace pillarbox::dsn::test {

std::string sample_original() {
  return crlf(
      "Received: from client.example.org (client.example.org [192.0.2.10])\n"
      "\tby mail.example.com with ESMTPSA id 4F2A1B; Tue, 3 Mar 2026 09:00:00 +0000\n"
      "From: Alice <alice@example.org>\n"
      "To: Bob <bob@example.net>\n"
      "Subject: Lunch on Friday\n"
      "Date: Tue, 3 Mar 2026 08:59:58 +0000\n"
      "Message-ID: <lunch-1@example.org>\n"
      "MIME-Version: 1.0\n"
      "Content-Type: text/plain; charset=us-ascii\n"
      "\n"
      "Hi Bob,\n"
      "\n"
      "are you free for lunch on Friday?\n"
      "\n"
      "Alice\n");
}

ReportInput failure_input(std::string_view original) {
  ReportInput in;
  in.reporting_mta = "mail.example.com";
  in.postmaster = "MAILER-DAEMON@mail.example.com";
  in.envelope_sender = "alice@example.org";
  in.envid = "QQ314159";
  in.ret = Ret::Unspecified;
  in.arrival_date = 1772528400;  // Tue, 3 Mar 2026 09:00:00 +0000
  in.queue_id = "4F2A1B";
  in.received_from_mta = "client.example.org";
  in.original = original;
  in.now = 1772530200;  // 09:30:00
  in.unique = "4F2A1B.1";
  RecipientReport r;
  r.final_recipient = "bob@example.net";
  r.original_recipient = "rfc822;bob@example.net";
  r.action = Action::Failed;
  r.status = "5.1.1";
  r.remote_mta = "mx.example.net";
  r.diagnostic_type = "smtp";
  r.diagnostic =
      "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown in virtual mailbox "
      "table";
  r.last_attempt = 1772530195;
  in.recipients.push_back(r);
  return in;
}

Report build_ok(const ReportInput& input) {
  auto r = build_report(input);
  if (!r) FAIL("build_report failed: " << r.error().message << " (" << r.error().context << ")");
  return std::move(*r);
}

mime::Message parse_ok(std::string_view raw) {
  auto m = mime::parse(raw);
  if (!m) FAIL("parse failed: " << m.error().message);
  return std::move(*m);
}

std::string_view body_of(std::string_view raw, const mime::Part& part) {
  return raw.substr(part.body_start, part.body_end - part.body_start);
}

std::vector<std::vector<mime::Header>> status_groups(std::string_view body) {
  std::vector<std::vector<mime::Header>> groups;
  std::size_t pos = 0;
  while (pos < body.size()) {
    auto block = mime::read_headers(body, pos, body.size(), body.size() + 1);
    REQUIRE(block);
    groups.push_back(block->headers);
    if (block->body_start <= pos) break;
    pos = block->body_start;
  }
  return groups;
}

std::string field(const std::vector<mime::Header>& group, std::string_view name) {
  const mime::Header* h = mime::find_header(group, name);
  return h == nullptr ? "<absent>" : h->value;
}

void check_wire(std::string_view text) {
  // FAIL only on a problem: a per-octet assertion would drown the counts.
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') FAIL("bare LF at offset " << i);
    if (text[i] != '\r') continue;
    if (i + 1 == text.size() || text[i + 1] != '\n') FAIL("bare CR at offset " << i);
    if (i - line_start > 998)
      FAIL("line of " << i - line_start << " octets at offset " << line_start);
    line_start = i + 2;
    ++i;
  }
  CHECK(line_start == text.size());  // the text ends with CRLF
}

std::string data_file(std::string_view name) {
  const std::string path = std::string(PILLARBOX_DSN_DATA) + "/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  if (!in) FAIL("cannot open " << path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string crlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

}  // namespace pillarbox::dsn::test
