// Reverse and forward paths of MAIL FROM / RCPT TO (RFC 5321 §4.1.2, §4.1.1.3,
// §3.3 source routes; RFC 6531 §3.3 UTF-8 mailboxes). Syntax and the classic
// relay tricks only: whether an address is local, allowed or known is the
// host's business.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "libcore/base/expected.hpp"

namespace pillarbox::smtp {

enum class PathRole { Sender, Recipient };

struct Path {
  std::string address;     // without <>, a source route dropped; "" for the null sender <>
  bool utf8 = false;       // holds non-ASCII (valid UTF-8); needs SMTPUTF8 (RFC 6531)
  std::size_t length = 0;  // octets of the input taken, "<" through ">"
};

// Parses the path at the start of `text` (it must begin with "<"). Failures
// are reply_error()s (reply.hpp):
//  - 501 5.1.7 Bad sender address syntax / 501 5.1.3 Bad recipient address syntax;
//  - Recipient only, 550 5.7.1 "Relaying not allowed: ..." for a source route
//    (<@a,@b:user@c>), "%" or "!" in the local part, or a quoted local part
//    holding "@".
// A Sender may be <> and may carry a source route, which is dropped (RFC 5321
// §4.1.1.3 says receivers ignore it). A Recipient may be <postmaster> (any case).
Expected<Path> parse_path(std::string_view text, PathRole role);

// Domain (RFC 5321 §4.1.2): dot-separated labels of letters, digits and "-",
// not starting or ending with "-"; with allow_utf8 also UTF-8 octets (U-labels).
bool is_valid_domain(std::string_view domain, bool allow_utf8);

// address-literal with its brackets: [IPv4], [IPv6:...] or [tag:content].
bool is_valid_address_literal(std::string_view literal);

// Well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
bool is_valid_utf8(std::string_view text);

}  // namespace pillarbox::smtp
