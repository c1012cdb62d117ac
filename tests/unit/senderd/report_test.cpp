// The report senderd stores for a sender: routed to the sender's INBOX or
// queued with the null sender, and never for a report or a null sender.
#include <catch2/catch.hpp>

#include "daemons/senderd/report.hpp"

using namespace pillarbox;
using namespace pillarbox::senderd;

namespace {

route::Router router() {
  route::Table t;
  t.local_domains = {"here.example"};
  route::Account joe;
  joe.id = 42;
  joe.name = "joe";
  t.accounts.push_back(joe);
  auto r = route::Router::build(std::move(t));
  if (!r) FAIL(r.error().describe());
  return std::move(*r);
}

store::ClaimedMessage message(std::string sender) {
  store::ClaimedMessage m;
  m.id = 3;
  m.delivery_id = "00000000AB";
  m.sender = std::move(sender);
  m.created_at = 1'700'000'000;
  return m;
}

std::vector<ReportLine> failed_line() {
  ReportLine l;
  l.recipient.id = 9;
  l.recipient.recipient.address = "nobody@remote.example";
  l.recipient.attempts = 1;
  l.action = dsn::Action::Failed;
  l.status = dsn::outcome_from_reply("550 5.1.1 <nobody@remote.example>: no such user");
  l.remote_mta = "mx.remote.example";
  return {l};
}

const std::string kBody = "From: joe@here.example\r\nSubject: hello\r\n\r\nhi\r\n";

}  // namespace

TEST_CASE("a report to a local sender goes to its INBOX from the null sender", "[senderd][report]") {
  std::string why;
  auto d = make_report(message("joe@here.example"), kBody, failed_line(), router(),
                       ReportContext{"mail.here.example", 1'700'000'100}, why);
  REQUIRE(d);
  CHECK(d->local_accounts == std::vector<int64_t>{42});
  CHECK(d->remote.empty());
  CHECK(d->sender.empty());
  CHECK(d->raw.find("Subject: Undelivered Mail Returned to Sender\r\n") != std::string::npos);
  CHECK(d->raw.find("Final-Recipient: rfc822; nobody@remote.example") != std::string::npos);
  CHECK(d->raw.find("Diagnostic-Code: smtp; 550 5.1.1 <nobody@remote.example>: no such user") != std::string::npos);
  CHECK(d->meta.subject == "Undelivered Mail Returned to Sender");
}

TEST_CASE("a report to a remote sender is queued for it", "[senderd][report]") {
  std::string why;
  auto d = make_report(message("someone@elsewhere.example"), kBody, failed_line(), router(),
                       ReportContext{"mail.here.example", 1'700'000'100}, why);
  REQUIRE(d);
  CHECK(d->local_accounts.empty());
  REQUIRE(d->remote.size() == 1);
  CHECK(d->remote[0].address == "someone@elsewhere.example");
}

TEST_CASE("no report for the null sender, for a report, or for nothing", "[senderd][report]") {
  std::string why;
  CHECK_FALSE(make_report(message(""), kBody, failed_line(), router(), ReportContext{"h.example", 1}, why));
  CHECK_FALSE(why.empty());
  why.clear();
  const std::string report = "From: MAILER-DAEMON@x.example\r\nContent-Type: multipart/report; "
                             "report-type=delivery-status; boundary=b\r\n\r\n--b--\r\n";
  CHECK_FALSE(make_report(message("joe@here.example"), report, failed_line(), router(),
                          ReportContext{"h.example", 1}, why));
  CHECK_FALSE(why.empty());
  CHECK_FALSE(make_report(message("joe@here.example"), kBody, {}, router(), ReportContext{"h.example", 1}, why));
  CHECK(why == "nothing to report");
  // An unknown local sender cannot be reached: said, not stored anywhere.
  CHECK_FALSE(make_report(message("ghost@here.example"), kBody, failed_line(), router(),
                          ReportContext{"h.example", 1}, why));
  CHECK(why.find("ghost@here.example") != std::string::npos);
}
