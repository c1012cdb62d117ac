// Limits and robustness: nesting and part-count bombs are refused with
// TooBig (not a crash), and every prefix of every sample parses to a tree
// whose offsets stay inside the message.
#include <catch2/catch.hpp>

#include <functional>

#include "samples.hpp"

using namespace pillarbox;
using namespace pillarbox::mime;
using pillarbox::mime::test::sample;
using pillarbox::mime::test::sample_lf;

namespace {

// `depth` multiparts, each holding the next one.
std::string nested_multiparts(std::size_t depth) {
  std::string out;
  // Appends, not operator+ chains: g++ 12 -O2 misreports those (-Wrestrict).
  for (std::size_t i = 0; i < depth; ++i) {
    const std::string n = std::to_string(i);
    out.append("Content-Type: multipart/mixed; boundary=b").append(n).append("\r\n\r\n--b").append(n).append("\r\n");
  }
  out += "Content-Type: text/plain\r\n\r\nleaf";
  for (std::size_t i = depth; i-- > 0;) out.append("\r\n--b").append(std::to_string(i)).append("--\r\n");
  return out;
}

std::string nested_messages(std::size_t depth) {
  std::string out;
  for (std::size_t i = 0; i < depth; ++i) out += "Content-Type: message/rfc822\r\n\r\n";
  return out + "Subject: leaf\r\n\r\nleaf\r\n";
}

std::string many_parts(std::size_t n) {
  std::string out = "Content-Type: multipart/mixed; boundary=b\r\n\r\n";
  for (std::size_t i = 0; i < n; ++i) out += "--b\r\n\r\nx\r\n";
  return out + "--b--\r\n";
}

bool balanced(std::string_view s) {
  int depth = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quoted) {
      if (c == '\\') ++i;
      else if (c == '"') quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth < 0) {
      return false;
    }
  }
  return depth == 0 && !quoted;
}

// Offsets nest: every part lies inside its parent and inside the message.
void check_offsets(const Part& p, std::size_t begin, std::size_t end) {
  REQUIRE(begin <= p.header_start);
  REQUIRE(p.header_start <= p.body_start);
  REQUIRE(p.body_start <= p.body_end);
  REQUIRE(p.body_end <= end);
  for (const auto& c : p.children) check_offsets(c, p.body_start, p.body_end);
}

}  // namespace

TEST_CASE("nesting at the depth limit is accepted and beyond it refused", "[mime][limits]") {
  Limits limits;
  limits.max_depth = 8;
  CHECK(parse(nested_multiparts(8), limits).ok());
  auto deep = parse(nested_multiparts(9), limits);
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.error().code == ErrorCode::TooBig);
  CHECK(parse(nested_messages(8), limits).ok());
  CHECK_FALSE(parse(nested_messages(9), limits).ok());
}

TEST_CASE("a depth bomb is refused not crashed", "[mime][limits]") {
  auto bomb = parse(nested_multiparts(20000));
  REQUIRE_FALSE(bomb.ok());
  CHECK(bomb.error().code == ErrorCode::TooBig);
  auto messages = parse(nested_messages(100000));
  REQUIRE_FALSE(messages.ok());
  CHECK(messages.error().code == ErrorCode::TooBig);
}

TEST_CASE("ten thousand parts are refused", "[mime][limits]") {
  auto many = parse(many_parts(10000));
  REQUIRE_FALSE(many.ok());
  CHECK(many.error().code == ErrorCode::TooBig);
  // The root counts: max_parts 2000 allows 1999 children.
  CHECK(parse(many_parts(1999)).ok());
  CHECK_FALSE(parse(many_parts(2000)).ok());
}

TEST_CASE("a huge header block is refused", "[mime][limits]") {
  Limits limits;
  limits.max_header_bytes = 1000;
  const std::string raw = "Subject: " + std::string(2000, 'x') + "\r\n\r\nbody";
  auto m = parse(raw, limits);
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().code == ErrorCode::TooBig);
  // The limit applies to every part's header block, not only the root's.
  const std::string inner = "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nX: " + std::string(2000, 'y') +
                            "\r\n\r\nx\r\n--b--\r\n";
  CHECK_FALSE(parse(inner, limits).ok());
}

TEST_CASE("every prefix of every sample parses within bounds", "[mime][limits]") {
  for (const char* name : {"plain.eml", "alternative.eml", "mixed_attachment.eml", "nested_rfc822.eml",
                           "encoded_subject.eml", "group.eml", "no_body.eml", "unterminated.eml"}) {
    for (const std::string& raw : {sample(name), sample_lf(name)}) {
      for (std::size_t n = 0; n <= raw.size(); ++n) {
        const std::string_view prefix(raw.data(), n);
        auto m = parse(prefix);
        INFO(name << " prefix " << n);
        REQUIRE(m.ok());
        check_offsets(m->root, 0, n);
        REQUIRE(m->size == n);
        REQUIRE(balanced(m->bodystructure));
        REQUIRE(balanced(m->envelope));
      }
    }
  }
}
