// ESMTP parameters of MAIL FROM and RCPT TO (RFC 5321 §4.1.2 esmtp-param):
// SIZE (RFC 1870), BODY (RFC 6152, RFC 3030), SMTPUTF8 (RFC 6531), RET/ENVID
// and NOTIFY/ORCPT (RFC 3461 §4), AUTH (RFC 4954 §5). Syntax only: the session
// compares SIZE with its limit and decides what AUTH= is worth.
#pragma once

#include <string_view>

#include "libcore/base/expected.hpp"
#include "proto/smtp/envelope.hpp"

namespace pillarbox::smtp {

// `text` is what follows the path: zero or more " KEY[=VALUE]". Failures
// (reply_error()): 555 5.5.4 Unsupported option: KEY; 501 5.5.4 Invalid KEY
// value; 501 5.5.4 Duplicate KEY parameter; 501 5.5.4 Bad parameter syntax.
Expected<MailParams> parse_mail_params(std::string_view text);
Expected<RcptParams> parse_rcpt_params(std::string_view text);

}  // namespace pillarbox::smtp
