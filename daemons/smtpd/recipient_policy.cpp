// RCPT policy. Reply texts follow REQUIREMENTS.md §2-3.
#include "daemons/smtpd/recipient_policy.hpp"

namespace pillarbox::smtpd {
namespace {

smtp::Reply refuse(int code, std::string enhanced, std::string text) {
  return smtp::Reply{code, std::move(enhanced), std::move(text)};
}

smtp::Reply reply_for(const Error& e, std::string_view rcpt) {
  std::string who = "<" + std::string(rcpt) + ">: Recipient address rejected: ";
  switch (e.code) {
    case ErrorCode::NotFound: return refuse(550, "5.1.1", who + "User unknown in local recipient table");
    case ErrorCode::PermissionDenied: return refuse(550, "5.7.1", who + e.message);
    case ErrorCode::InvalidInput: return refuse(554, "5.4.6", who + e.message);
    default: return refuse(451, "4.3.0", who + "Temporary lookup failure");
  }
}

}  // namespace

RcptDecision decide_recipient(const route::Router& router, std::string_view rcpt,
                              const route::Context& context, const ClientStanding& client,
                              const RelaySettings& settings) {
  RcptDecision d;
  // <postmaster> without a domain (RFC 5321 §4.1.1.3) is postmaster at our
  // first local domain.
  std::string qualified;
  if (rcpt.find('@') == std::string_view::npos && !router.table().local_domains.empty())
    qualified = std::string(rcpt) + "@" + router.table().local_domains.front();
  std::string_view recipient = qualified.empty() ? rcpt : std::string_view(qualified);
  auto at = recipient.rfind('@');
  bool local = at == std::string_view::npos || router.is_local_domain(recipient.substr(at + 1));
  bool vouched = client.trusted && client.no_auth;
  if (!local) {
    bool may_relay = client.authenticated || vouched || (client.trusted && !settings.require_auth);
    if (!may_relay) {
      d.refusal = refuse(550, "5.7.1", "Relaying not allowed! Bad sender IP address");
      return d;
    }
  } else if (settings.require_auth && !settings.local_exception && !client.authenticated && !vouched) {
    d.refusal = refuse(530, "5.7.0", "Authentication required");
    return d;
  }
  auto r = router.resolve(recipient, context);
  if (!r) {
    d.refusal = reply_for(r.error(), recipient);
    return d;
  }
  d.targets = std::move(*r);
  return d;
}

}  // namespace pillarbox::smtpd
