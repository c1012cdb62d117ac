// The first two parts of a report, written separately from the assembly in
// dsn.cpp: the human explanation (RFC 6522 §3 first part) and the
// message/delivery-status fields (RFC 3464 §2). Internal to proto/dsn;
// inputs are validated by build_report() before these run.
#pragma once

#include <string>
#include <string_view>

#include "proto/dsn/dsn.hpp"

namespace pillarbox::dsn {

// The explanation as UTF-8 text with "\n" line ends: a paragraph per action
// present, each recipient with its status and the remote reply quoted line by
// line verbatim (controls blanked, invalid UTF-8 as "?"), then
// `returned_note` and a reference line. Not yet transfer-encoded.
std::string explanation_text(const ReportInput& input, std::string_view returned_note);

// The message/delivery-status (or, with `utf8`, message/global-delivery-
// status) body: per-message fields, then one group per recipient, each
// preceded by an empty line; CRLF line ends, folded fields.
std::string delivery_status_body(const ReportInput& input, bool utf8);

}  // namespace pillarbox::dsn
