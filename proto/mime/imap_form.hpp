// The IMAP forms of a parsed message (RFC 3501 §7.4.2 and §9 grammar):
// string quoting, ENVELOPE, BODY and BODYSTRUCTURE, printed the way Dovecot
// prints them (text parts get ("charset" "us-ascii") when they name none;
// header strings stay encoded, RFC 2047 words included). parse() calls these
// once; the IMAP engine may use imap_quote for its own strings. Everything
// written here is valid UTF-8.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/mime/message.hpp"

namespace pillarbox::mime {

// A quoted string ("a\"b") when possible; a literal ("{n}\r\n" + bytes) when
// `text` holds CR, LF, NUL or 8-bit bytes. NUL bytes are written as U+FFFD,
// since no IMAP string may carry NUL.
std::string imap_quote(std::string_view text);
// "NIL".
std::string imap_quote(std::nullopt_t);
// imap_quote(*text), or "NIL" when there is no value.
std::string imap_nstring(const std::optional<std::string>& text);
// imap_quote of text taken from a header, as ENVELOPE and BODYSTRUCTURE
// write it: CR and LF removed (as Dovecot does), and bytes that are not UTF-8
// read as windows-1252 (Dovecot passes them raw), so that every IMAP form
// parse() produces is valid UTF-8 and can be stored as text.
std::string imap_quote_header(std::string_view text);
// imap_quote_header written "for humans", as Dovecot writes the ENVELOPE
// subject: runs of whitespace become one space, the ends are trimmed.
std::string imap_quote_subject(std::string_view text);

// ENVELOPE of a header block, parentheses included: date, subject, from,
// sender, reply-to, to, cc, bcc, in-reply-to, message-id. Sender and Reply-To
// default to From. Address lists use RFC 3501 group markers.
std::string write_envelope(const std::vector<Header>& headers);

// BODY (extended = false) or BODYSTRUCTURE (extended = true) of `part`,
// parentheses included.
std::string write_body(const Part& part, bool extended);

}  // namespace pillarbox::mime
