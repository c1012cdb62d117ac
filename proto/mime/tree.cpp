// Part tree builder (see tree.hpp). A delimiter line is "--boundary" followed
// only by optional whitespace (or "--" for the close delimiter); the line
// break before it belongs to the delimiter, so it ends no part's body. A
// missing close delimiter ends the last part at the end of its parent.
#include "proto/mime/tree.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

#include "proto/mime/content.hpp"
#include "proto/mime/headers.hpp"
#include "proto/mime/text_util.hpp"

namespace pillarbox::mime {

namespace {

struct Builder {
  std::string_view raw;
  const Limits& limits;
  std::size_t parts = 0;

  // `kind` says what the region is: a message (the root, or the body of a
  // message/rfc822 part), a part of a multipart, or a part of a digest.
  enum class Kind { Message, BodyPart, DigestPart };
  Expected<void> part(Part& p, std::size_t start, std::size_t end, std::size_t depth, Kind kind);
  Expected<void> multipart(Part& p, std::size_t depth);
};

std::size_t count_lf(std::string_view s) {
  std::size_t n = 0;
  for (const char* p = s.data(), *e = s.data() + s.size();
       (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(e - p)))) != nullptr;
       ++p) {
    ++n;
  }
  return n;
}

enum class Delimiter { None, Open, Close };

Delimiter delimiter(std::string_view line, std::string_view boundary) {
  if (line.size() < 2 + boundary.size() || line[0] != '-' || line[1] != '-' ||
      line.substr(2, boundary.size()) != boundary) {
    return Delimiter::None;
  }
  std::string_view rest = line.substr(2 + boundary.size());
  if (rest.size() >= 2 && rest[0] == '-' && rest[1] == '-') return Delimiter::Close;
  for (char c : rest) {
    if (!is_wsp(c)) return Delimiter::None;
  }
  return Delimiter::Open;
}

// Start of the line break that precedes the line at `line_start`, if that
// break lies at or after `floor`.
std::size_t before_break(std::string_view raw, std::size_t line_start, std::size_t floor) {
  if (line_start <= floor || raw[line_start - 1] != '\n') return line_start;
  std::size_t p = line_start - 1;
  if (p > floor && raw[p - 1] == '\r') --p;
  return p;
}

// RFC 2045 §4: a message without MIME-Version is no MIME entity and its
// Content-* fields mean nothing; like Dovecot, a Content-Type alone counts.
bool is_mime(const std::vector<Header>& headers) {
  return find_header(headers, "MIME-Version") != nullptr || find_header(headers, "Content-Type") != nullptr;
}

Expected<void> Builder::part(Part& p, std::size_t start, std::size_t end, std::size_t depth,
                             Kind kind) {
  if (depth > limits.max_depth) {
    return fail(ErrorCode::TooBig, "message nested too deeply",
                "more than " + std::to_string(limits.max_depth) + " levels");
  }
  if (++parts > limits.max_parts) {
    return fail(ErrorCode::TooBig, "message has too many parts",
                "more than " + std::to_string(limits.max_parts) + " parts");
  }
  auto block = read_headers(raw, start, end, limits.max_header_bytes);
  if (!block) return Unexpected{block.error()};
  p.header_start = start;
  p.body_start = block->body_start;
  p.body_end = end;
  p.headers = std::move(block->headers);
  // RFC 2046 §5.1.5: parts of a multipart/digest default to message/rfc822.
  const bool digest = kind == Kind::DigestPart;
  if (kind != Kind::Message || is_mime(p.headers)) {
    apply_content_headers(p, digest ? "message" : "text", digest ? "rfc822" : "plain");
  }
  if (p.type == "text" || p.is_message()) p.lines = count_lf(raw.substr(p.body_start, p.body_size()));
  if (p.is_multipart()) return multipart(p, depth);
  if (p.is_message()) {
    p.children.emplace_back();
    return part(p.children.back(), p.body_start, p.body_end, depth + 1, Kind::Message);
  }
  return {};
}

Expected<void> Builder::multipart(Part& p, std::size_t depth) {
  const auto boundary = p.param("boundary");
  if (!boundary || boundary->empty()) return {};  // no way to find parts
  const Kind kind = p.subtype == "digest" ? Kind::DigestPart : Kind::BodyPart;
  std::size_t pos = p.body_start;
  std::optional<std::size_t> open;  // where the current part starts
  auto close_part = [&](std::size_t part_end) -> Expected<void> {
    if (!open) return {};
    p.children.emplace_back();
    return part(p.children.back(), *open, std::max(part_end, *open), depth + 1, kind);
  };
  while (pos < p.body_end) {
    const LineEnd le = line_end(raw, pos, p.body_end);
    const Delimiter d = delimiter(raw.substr(pos, le.eol - pos), *boundary);
    if (d != Delimiter::None) {
      if (auto r = close_part(before_break(raw, pos, p.body_start)); !r) return r;
      if (d == Delimiter::Close) return {};  // the rest is the epilogue
      open = le.next;
    }
    pos = le.next;
  }
  return close_part(p.body_end);  // unterminated: the last part runs to the end
}

}  // namespace

Expected<Part> parse_tree(std::string_view raw, const Limits& limits) {
  Builder builder{raw, limits};
  Part root;
  if (auto r = builder.part(root, 0, raw.size(), 0, Builder::Kind::Message); !r) {
    return Unexpected{r.error()};
  }
  return root;
}

}  // namespace pillarbox::mime
