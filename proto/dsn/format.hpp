// Writing helpers for the report builder: RFC 5322 §3.3 dates with a numeric
// zone, header fields folded at whitespace (§2.2.3, lines ≤ 78 where the
// text allows and never over 998 octets, §2.1.1), quoted-printable text
// (RFC 2045 §6.7) and text cleaning. Pure functions; no parsing here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pillarbox::dsn {

// "Tue, 3 Mar 2026 09:30:00 +0100": `unix_seconds` shown in the zone
// `utc_offset_minutes` east of UTC (RFC 3464 §2.2.5 wants numeric zones).
std::string format_date(std::int64_t unix_seconds, int utc_offset_minutes);

// Appends "Name: value\r\n". The value (no CR; see clean_text) is folded
// before whitespace so that lines stay within 78 octets where a whitespace
// run allows. A "\n" in the value forces a fold there: CRLF SP, read back
// as one space (multi-line SMTP replies keep a line each). A run of more
// than 997 octets without whitespace is cut hard and continued after CRLF
// SP, which adds one space to the unfolded value. No line exceeds 998 octets.
void append_field(std::string& out, std::string_view name, std::string_view value);

// Quoted-printable of `text` whose lines end in "\n" (a "\r" before it is
// dropped): CRLF line ends, lines ≤ 76 octets with soft breaks, "=",
// controls, 8-bit octets and whitespace before a line end encoded.
std::string qp_encode(std::string_view text);

// True when every octet is below 0x80.
bool is_ascii(std::string_view text);

// `text` with what a report field cannot hold replaced: CR, LF, NUL and other
// controls (TAB kept) become a space; with `utf8` valid UTF-8 is kept and
// octets that are not valid UTF-8 become "?"; without it every 8-bit octet
// becomes "?".
std::string clean_text(std::string_view text, bool utf8);

// An address for a report field, which cannot hold controls: octets below
// 0x20 and DEL (and, without `utf8`, every 8-bit octet; with it,
// octets that are not valid UTF-8) are written as "+XX" as xtext would
// (RFC 3461 §4). Every other octet, "+" included, is kept: RFC 3464 §2.3.2
// wants the address exactly as received unless it cannot be written.
std::string clean_address(std::string_view address, bool utf8);

}  // namespace pillarbox::dsn
