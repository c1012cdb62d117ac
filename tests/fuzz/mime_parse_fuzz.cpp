// libFuzzer target for the MIME parser (proto/mime/message.hpp). Built by
// `cmake -DPILLARBOX_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++` (tests/fuzz/CMakeLists.txt);
// run `build/fuzz/bin/mime_parse_fuzz -max_total_time=60`.
//
// Oracles: parse() fails only with TooBig; part offsets nest inside the
// message; ENVELOPE, BODY and BODYSTRUCTURE are well-formed IMAP (strings,
// literals, NIL, numbers, balanced lists); every decoded field and the search
// text are valid UTF-8 without NUL (the IMAP forms are valid UTF-8 too), the
// search text respects its cap, and the stored JSON form of the tree dumps
// and reads back to the same tree.
// The first input byte picks small limits so the TooBig paths are reached.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "proto/mime/codec.hpp"
#include "proto/mime/message.hpp"
#include "proto/mime/part_json.hpp"

using namespace pillarbox;
using namespace pillarbox::mime;

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

void check_text(std::string_view s) {
  check(is_utf8(s));
  check(s.find('\0') == std::string_view::npos);
}

void check_offsets(const Part& p, std::size_t begin, std::size_t end) {
  check(begin <= p.header_start && p.header_start <= p.body_start);
  check(p.body_start <= p.body_end && p.body_end <= end);
  check(!p.is_message() || p.children.size() == 1);
  for (const auto& c : p.children) check_offsets(c, p.body_start, p.body_end);
}

// A loose reader of RFC 3501 body/envelope syntax: lists of NIL, numbers,
// quoted strings and literals, separated by single spaces.
void check_imap(std::string_view s) {
  std::size_t i = 0;
  int depth = 0;
  check(!s.empty() && s.front() == '(');
  while (i < s.size()) {
    const char c = s[i];
    if (c == '(') {
      ++depth;
      ++i;
      continue;
    }
    if (c == ')') {
      check(--depth >= 0);
      ++i;
    } else if (c == '"') {
      for (++i; i < s.size() && s[i] != '"'; ++i) {
        const auto u = static_cast<unsigned char>(s[i]);
        check(u != '\r' && u != '\n' && u != 0 && u < 0x80);
        if (s[i] == '\\') check(++i < s.size() && (s[i] == '"' || s[i] == '\\'));
      }
      check(i < s.size());
      ++i;
    } else if (c == '{') {
      const std::size_t close = s.find("}\r\n", i);
      check(close != std::string_view::npos);
      const std::size_t n = std::strtoul(std::string(s.substr(i + 1, close - i - 1)).c_str(), nullptr, 10);
      i = close + 3 + n;
      check(i <= s.size());
      check(s.substr(close + 3, n).find('\0') == std::string_view::npos);
    } else if (s.substr(i, 3) == "NIL") {
      i += 3;
    } else {
      check(c >= '0' && c <= '9');
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    }
    if (depth == 0) break;
    // Items are separated by one space, except "((" / "))" / ")(".
    if (i < s.size() && s[i] == ' ') ++i;
  }
  check(depth == 0 && i == s.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  Limits limits;
  if ((data[0] & 1) != 0) {
    limits.max_depth = 3;
    limits.max_parts = 8;
    limits.max_header_bytes = 256;
    limits.max_search_text = 16;
  }
  const std::string_view raw(reinterpret_cast<const char*>(data) + 1, size - 1);

  auto m = parse(raw, limits);
  if (!m) {
    check(m.error().code == ErrorCode::TooBig);
    return 0;
  }
  check(m->size == raw.size());
  check_offsets(m->root, 0, raw.size());
  check_imap(m->envelope);
  check_imap(m->body);
  check_imap(m->bodystructure);
  check(is_utf8(m->envelope) && is_utf8(m->body) && is_utf8(m->bodystructure));
  const nlohmann::json stored = part_to_json(m->root);
  auto back = part_from_json(nlohmann::json::parse(stored.dump()));
  check(back.ok() && part_to_json(*back) == stored);
  for (const auto* s : {&m->subject, &m->from, &m->to, &m->cc, &m->message_id, &m->in_reply_to, &m->date}) {
    check_text(*s);
  }
  check_text(m->search_text);
  check(m->search_text.size() <= limits.max_search_text);
  check_text(decode_words(raw.substr(0, 4096)));
  return 0;
}
