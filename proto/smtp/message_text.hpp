// Checks on a received message's text that SMTP itself needs: the hop count
// (RFC 5321 §6.3, Received: fields in the header block) and line-end
// normalisation for BDAT content. No MIME or RFC 5322 parsing beyond that.
#pragma once

#include <string>
#include <string_view>

namespace pillarbox::smtp {

// Received: fields (name case-insensitive, optional WSP before ":") in the
// header block, which ends at the first empty line or with the message.
int count_received_headers(std::string_view message);

// Bare CR and bare LF become CRLF; CRLF stays as it is.
std::string normalize_line_ends(std::string_view text);

}  // namespace pillarbox::smtp
