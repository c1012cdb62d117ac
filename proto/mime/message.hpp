// Parse a message once, at delivery: its part tree with exact byte offsets,
// the IMAP ENVELOPE/BODY/BODYSTRUCTURE strings, decoded listing fields and the
// text to index, so that IMAP and search never parse the message again.
// RFC 5322 (format), RFC 2045-2049 (MIME), RFC 2047/2231 (encoded headers and
// parameters), RFC 3501 §7.4.2 (FETCH forms). Pure: no I/O, never throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "libcore/base/expected.hpp"

namespace pillarbox::mime {

// Exceeding a limit makes parse() fail with ErrorCode::TooBig; everything else
// (bad syntax of any kind) still yields a best-effort Message. Work is linear
// in the message size times the nesting depth.
struct Limits {
  std::size_t max_depth = 32;               // multipart/message nesting below the root
  std::size_t max_parts = 2000;             // parts in the whole tree, root included
  std::size_t max_header_bytes = 1 << 20;   // one header block, blank line included
  std::size_t max_search_text = 1 << 20;    // Message::search_text is cut here (not an error)
};

struct Header {
  std::string name;    // as written ("Subject"); compare case-insensitively
  std::string value;   // unfolded (line breaks removed), leading whitespace dropped, otherwise raw
  std::size_t offset;  // of the name's first byte in the message
};

using Params = std::vector<std::pair<std::string, std::string>>;

struct Part {
  // Byte offsets into the original message: header block [header_start,
  // body_start) (blank line included), body [body_start, body_end). A
  // multipart child's body excludes the line break that belongs to the next
  // boundary delimiter (RFC 2046 §5.1.1).
  std::size_t header_start = 0, body_start = 0, body_end = 0;
  std::string type = "text", subtype = "plain";  // lower-case
  Params params;  // lower-case names; RFC 2231 values joined and decoded to UTF-8, plain ones as written
  std::string id, description, encoding = "7bit", md5;  // Content-ID, -Description, -Transfer-Encoding (lower-case), -MD5
  std::string disposition;                        // lower-case, empty when absent
  Params disposition_params;
  std::vector<std::string> language;              // Content-Language tags
  std::string location;                           // Content-Location
  std::size_t lines = 0;                          // LFs in the body (text/* and message/rfc822 only)
  // multipart/*: its parts (none when the boundary is missing or never seen);
  // message/rfc822: exactly one, the embedded message's root part.
  std::vector<Part> children;
  std::vector<Header> headers;  // this part's header block

  std::size_t body_size() const { return body_end - body_start; }
  bool is_multipart() const { return type == "multipart"; }
  bool is_message() const { return type == "message" && subtype == "rfc822"; }
  // The value of parameter `name` (lower-case), or nullopt.
  std::optional<std::string> param(std::string_view name) const;
};

struct Message {
  std::vector<Header> headers;  // top-level headers, in order (same as root.headers)
  Part root;
  std::string envelope;       // IMAP ENVELOPE as FETCH prints it, parentheses included
  std::string body;           // IMAP BODY (non-extensible form)
  std::string bodystructure;  // IMAP BODYSTRUCTURE (with extension data)
  // RFC 2047-decoded, trimmed, valid UTF-8 without NUL; empty when absent.
  // The first occurrence of each field; from, to and cc join every occurrence
  // with ", " (the ENVELOPE lists them all too).
  std::string subject, from, to, cc, message_id, in_reply_to, date;
  std::optional<std::int64_t> date_epoch;  // Date: as Unix seconds, if it parses
  std::string search_text;  // every text/* part decoded to UTF-8 (HTML stripped), "\n"-joined, capped
  std::size_t size = 0;     // octets of the raw message
};

// Parses `raw` (CRLF or bare LF line endings; offsets are exact either way).
// A message without MIME-Version and Content-Type is read as plain text, its
// other Content-* fields ignored (RFC 2045 §4). Delimiters match RFC 2046
// exactly: "--boundary" plus only whitespace (Dovecot also takes prefixes).
// Sizes in BODY/BODYSTRUCTURE are raw octet counts: a store that serves bare
// LF messages with CRLF must normalise line endings before calling this.
// Fails only with ErrorCode::TooBig when `limits` are exceeded.
Expected<Message> parse(std::string_view raw, const Limits& limits = {});

// The first header called `name` (case-insensitive), or nullptr.
const Header* find_header(const std::vector<Header>& headers, std::string_view name);

}  // namespace pillarbox::mime
