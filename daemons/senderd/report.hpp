// The delivery report senderd owes a message's sender after an attempt: one
// RFC 3464 report (proto/dsn) naming every recipient decided this time that
// wants to hear of it, addressed to the envelope sender and routed like any
// other mail — to the sender's INBOX when the sender is local, into the
// queue with the null sender when not. Never for a null sender or a report
// (proto/dsn loop_guard). Pure apart from the router it is given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "libcore/route/router.hpp"
#include "libcore/store/delivery.hpp"
#include "libcore/store/sender_queue.hpp"
#include "proto/dsn/dsn.hpp"

namespace pillarbox::senderd {

struct ReportLine {
  store::ClaimedRecipient recipient;
  dsn::Action action = dsn::Action::Failed;
  dsn::Outcome status;
  std::string remote_mta;
  std::optional<int64_t> retry_until;  // Delayed
};

struct ReportContext {
  std::string hostname;  // Reporting-MTA, MAILER-DAEMON@hostname
  int64_t now = 0;
};

// The report as a Delivery ready for store::record_attempts, or nullopt with
// `why` set when none goes out (null sender, a report about a report, the
// sender not routable, nothing to report).
std::optional<store::Delivery> make_report(const store::ClaimedMessage& message, const std::string& body,
                                           const std::vector<ReportLine>& lines, const route::Router& router,
                                           const ReportContext& ctx, std::string& why);

}  // namespace pillarbox::senderd
