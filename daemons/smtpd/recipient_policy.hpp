// Who may send to whom: the RCPT decision of smtpd, as a pure function of the
// routing result and the client's standing. Relaying (a recipient outside the
// local domains) needs authentication or an SMTP access rule that trusts the
// client; mail for local domains is accepted from anywhere unless "Require
// SMTP authentication" is on without its local-domains exception.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "libcore/route/router.hpp"
#include "proto/smtp/session.hpp"

namespace pillarbox::smtpd {

struct ClientStanding {
  bool authenticated = false;
  bool trusted = false;  // an ALLOW rule of the SMTP access list matched the client
  bool no_auth = false;  // that rule says: no authentication needed from here
};

struct RelaySettings {
  bool require_auth = false;     // "Require SMTP authentication"
  bool local_exception = true;   // "...not for incoming mail to local domains"
};

struct RcptDecision {
  std::optional<smtp::Reply> refusal;  // set: refuse with this reply
  route::Resolution targets;           // otherwise: where the message goes
};

RcptDecision decide_recipient(const route::Router& router, std::string_view recipient,
                              const route::Context& context, const ClientStanding& client,
                              const RelaySettings& settings);

}  // namespace pillarbox::smtpd
