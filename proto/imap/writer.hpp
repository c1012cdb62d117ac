// IMAP response writing helpers (RFC 3501 §4 data formats, §7 responses):
// strings as quoted or literal, nstring, astring and mailbox names (modified
// UTF-7), flag lists, sequence sets, date-times and status lines. They build
// text only; what to answer when is the engine's business. Every function
// produces text that a client's RFC 3501 parser reads back as the value
// given; NUL cannot be sent (no literal8 here) and is dropped.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/imap/datetime.hpp"
#include "proto/imap/response_code.hpp"
#include "proto/imap/sequence_set.hpp"

namespace pillarbox::imap {

enum class Status { Ok, No, Bad, Bye, PreAuth };

// A string: quoted ("a \"b\"") when every octet is 7-bit TEXT-CHAR and it is
// short, a literal ("{5}\r\nhello") otherwise (CR, LF, 8-bit octets).
void append_string(std::string& out, std::string_view s);
// NIL for nullopt, else append_string.
void append_nstring(std::string& out, const std::optional<std::string>& s);
// An atom when `s` is a non-empty run of ASTRING-CHARs other than "NIL",
// else append_string.
void append_astring(std::string& out, std::string_view s);
// A mailbox name held as UTF-8: encoded to modified UTF-7, then as astring.
void append_mailbox(std::string& out, std::string_view utf8_name);
// "(\Seen $Forwarded)"; flags are written as given (they are atoms).
void append_flag_list(std::string& out, const std::vector<std::string>& flags);
// "\"03-Nov-2026 09:30:00 +0000\"" (INTERNALDATE).
void append_date_time(std::string& out, const DateTime& dt);

std::string quoted_or_literal(std::string_view s);

// "tag OK [code] text\r\n"; CR and LF in `text` become spaces.
std::string tagged(std::string_view tag, Status status, std::string_view text,
                   const std::optional<ResponseCode>& code = std::nullopt);
// "* OK [code] text\r\n"
std::string untagged(Status status, std::string_view text, const std::optional<ResponseCode>& code = std::nullopt);
// "+ text\r\n", a continuation request; with empty `text`, "+ \r\n" (the
// form SASL exchanges use for an empty challenge).
std::string continuation(std::string_view text);
// "* n NAME\r\n": EXISTS, RECENT, EXPUNGE.
std::string untagged_number(std::uint32_t n, std::string_view name);

std::string_view status_text(Status status);

}  // namespace pillarbox::imap
