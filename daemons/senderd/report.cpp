// Reports are mail from the system: the router sees them as local mail from
// the null sender, so a sender's forwarding and mappings apply to reports as
// they do to any other message.
#include "daemons/senderd/report.hpp"

#include "libcore/ingest/message_meta.hpp"
#include "proto/dsn/loop_guard.hpp"

namespace pillarbox::senderd {

std::optional<store::Delivery> make_report(const store::ClaimedMessage& message, const std::string& body,
                                           const std::vector<ReportLine>& lines, const route::Router& router,
                                           const ReportContext& ctx, std::string& why) {
  if (lines.empty()) {
    why = "nothing to report";
    return std::nullopt;
  }
  if (auto reason = dsn::no_report_reason(message.sender, body)) {
    why = *reason;
    return std::nullopt;
  }
  dsn::ReportInput in;
  in.reporting_mta = ctx.hostname;
  in.postmaster = "MAILER-DAEMON@" + ctx.hostname;
  in.envelope_sender = message.sender;
  in.envid = message.envid;
  in.ret = message.ret == "FULL" ? dsn::Ret::Full : message.ret == "HDRS" ? dsn::Ret::Headers : dsn::Ret::Unspecified;
  in.smtputf8 = message.smtputf8;
  in.arrival_date = message.created_at;
  in.queue_id = message.delivery_id;
  in.original = body;
  in.now = ctx.now;
  in.unique = message.delivery_id + "." + std::to_string(message.id) + "." + std::to_string(ctx.now) + "." +
              std::to_string(lines.front().recipient.attempts);
  for (const ReportLine& l : lines) {
    dsn::RecipientReport r;
    r.final_recipient = l.recipient.recipient.address;
    r.original_recipient = l.recipient.recipient.orcpt;
    r.action = l.action;
    r.status = l.status.status;
    r.remote_mta = l.remote_mta;
    r.diagnostic_type = l.status.diagnostic_type;
    r.diagnostic = l.status.diagnostic;
    r.last_attempt = ctx.now;
    if (l.action == dsn::Action::Delayed) r.will_retry_until = l.retry_until;
    in.recipients.push_back(std::move(r));
  }
  auto report = dsn::build_report(in);
  if (!report) {
    why = "building the report: " + report.error().message;
    return std::nullopt;
  }
  route::Context rc;
  rc.source = route::Source::Local;
  rc.sender = "";
  rc.sender_internal = true;
  rc.size = report->message.size();
  auto resolved = router.resolve(message.sender, rc);
  if (!resolved) {
    why = "routing the report to " + message.sender + ": " + resolved.error().message;
    return std::nullopt;
  }
  store::Delivery d;
  d.raw = std::move(report->message);
  auto meta = ingest::describe(d.raw);
  if (meta) d.meta = std::move(*meta);
  d.sender = "";
  d.eight_bit = report->eight_bit;
  d.smtputf8 = report->smtputf8;
  for (const auto& t : resolved->local) d.local_accounts.push_back(t.account_id);
  for (const auto& a : resolved->remote) d.remote.push_back({a, "", ""});
  if (d.local_accounts.empty() && d.remote.empty()) {
    why = "the report's recipient " + message.sender + " takes no mail";
    return std::nullopt;
  }
  return d;
}

}  // namespace pillarbox::senderd
