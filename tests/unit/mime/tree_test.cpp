// Part tree offsets: every part's body, cut from the raw message by its
// offsets, is exactly the expected text, in CRLF and in bare LF form.
#include <catch2/catch.hpp>

#include <functional>

#include "samples.hpp"

using namespace pillarbox::mime;
using pillarbox::mime::test::body_of;
using pillarbox::mime::test::parse_ok;
using pillarbox::mime::test::sample;
using pillarbox::mime::test::sample_lf;

namespace {

std::string crlf(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// Checks the body of each leaf in tree order against `bodies` (LF form).
void check_leaves(const std::string& raw, const Part& root, const std::vector<std::string>& bodies,
                  bool use_crlf) {
  std::vector<const Part*> leaves;
  std::function<void(const Part&)> walk = [&](const Part& p) {
    if (p.children.empty()) leaves.push_back(&p);
    for (const auto& c : p.children) walk(c);
  };
  walk(root);
  REQUIRE(leaves.size() == bodies.size());
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    INFO("leaf " << i);
    CHECK(body_of(raw, *leaves[i]) == (use_crlf ? crlf(bodies[i]) : bodies[i]));
  }
}

}  // namespace

TEST_CASE("offsets of the plain message", "[mime][tree]") {
  for (bool use_crlf : {true, false}) {
    const std::string raw = use_crlf ? sample("plain.eml") : sample_lf("plain.eml");
    const Message m = parse_ok(raw);
    CHECK(m.root.header_start == 0);
    CHECK(raw.substr(m.root.body_start - (use_crlf ? 4 : 2), use_crlf ? 4 : 2) ==
          (use_crlf ? "\r\n\r\n" : "\n\n"));
    check_leaves(raw, m.root, {"Hi Bob,\n\nare you free for lunch on Friday?\n\nAlice\n"}, use_crlf);
    CHECK(m.root.body_end == raw.size());
  }
}

TEST_CASE("offsets of multipart parts exclude the delimiter line break", "[mime][tree]") {
  for (bool use_crlf : {true, false}) {
    const std::string raw = use_crlf ? sample("alternative.eml") : sample_lf("alternative.eml");
    const Message m = parse_ok(raw);
    REQUIRE(m.root.children.size() == 2);
    check_leaves(raw, m.root,
                 {"The caf=E9 serves cr=E8me br=FBl=E9e today.",
                  "<html><body><p>The caf=E9 serves <b>cr=E8me br=FBl=E9e</b> today.</p>=\n"
                  "<script>var x =3D 1;</script></body></html>"},
                 use_crlf);
    // Each child's header block starts right after its delimiter line.
    for (const auto& child : m.root.children) {
      CHECK(raw.substr(child.header_start, 13) == "Content-Type:");
      CHECK(raw.substr(child.header_start - (use_crlf ? 20 : 19), 18) == "--==alt-boundary==");
    }
  }
}

TEST_CASE("offsets of the nested message", "[mime][tree]") {
  for (bool use_crlf : {true, false}) {
    const std::string raw = use_crlf ? sample("nested_rfc822.eml") : sample_lf("nested_rfc822.eml");
    const Message m = parse_ok(raw);
    REQUIRE(m.root.children.size() == 2);
    const Part& rfc822 = m.root.children[1];
    CHECK(rfc822.is_message());
    REQUIRE(rfc822.children.size() == 1);
    const Part& inner = rfc822.children[0];
    // The embedded message starts where the message/rfc822 body starts.
    CHECK(inner.header_start == rfc822.body_start);
    CHECK(inner.body_end == rfc822.body_end);
    CHECK(find_header(inner.headers, "subject")->value == "Lunch on Friday?");
    CHECK(inner.subtype == "alternative");
    check_leaves(raw, m.root, {"See below.\n", "Yes!", "<p>Yes!</p>"}, use_crlf);
    CHECK(body_of(raw, rfc822).substr(0, 5) == "Date:");
    CHECK(body_of(raw, rfc822).ends_with(use_crlf ? "--inner--\r\n" : "--inner--\n"));
  }
}

TEST_CASE("offsets of the attachment and the unterminated multipart", "[mime][tree]") {
  for (bool use_crlf : {true, false}) {
    const std::string raw = use_crlf ? sample("mixed_attachment.eml") : sample_lf("mixed_attachment.eml");
    check_leaves(raw, parse_ok(raw).root, {"Here is the report.", "JVBERi0xLjQKJcOkw7zDtsOfCg=="},
                 use_crlf);
    const std::string cut = use_crlf ? sample("unterminated.eml") : sample_lf("unterminated.eml");
    const Message m = parse_ok(cut);
    // The preamble is no part; the last part runs to the end of the message.
    check_leaves(cut, m.root, {"first part", "second part, never closed\n"}, use_crlf);
    CHECK(m.root.children[1].body_end == cut.size());
  }
}

TEST_CASE("epilogue and preamble are excluded", "[mime][tree]") {
  const std::string raw =
      "Content-Type: multipart/mixed; boundary=b\r\n\r\npreamble\r\n--b\r\n\r\none\r\n"
      "--b--\r\nepilogue\r\n--b\r\n\r\nnot a part\r\n";
  const Message m = parse_ok(raw);
  REQUIRE(m.root.children.size() == 1);
  CHECK(body_of(raw, m.root.children[0]) == "one");
  CHECK(m.root.body_end == raw.size());
}

TEST_CASE("delimiters must match the whole boundary", "[mime][tree]") {
  // RFC 2046 §5.1.1: only whitespace may follow "--boundary" ("--abc" is no
  // delimiter for "ab"; Dovecot, matching prefixes, would see two parts).
  const std::string raw =
      "Content-Type: multipart/mixed; boundary=ab\r\n\r\n--abc\r\n\r\none\r\n--ab  \r\n\r\ntwo\r\n"
      "--ab--junk\r\nepilogue\r\n";
  const Message m = parse_ok(raw);
  REQUIRE(m.root.children.size() == 1);
  CHECK(body_of(raw, m.root.children[0]) == "two");
}

TEST_CASE("consecutive delimiters give an empty part", "[mime][tree]") {
  const std::string raw = "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n--b\r\n\r\n--b--\r\n";
  const Message m = parse_ok(raw);
  REQUIRE(m.root.children.size() == 2);
  CHECK(m.root.children[0].body_size() == 0);
  CHECK(m.root.children[0].headers.empty());
  CHECK(body_of(raw, m.root.children[1]).empty());
}

TEST_CASE("a part that starts with a blank line has no headers", "[mime][tree]") {
  const std::string raw =
      "Content-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\n\r\nno headers here\r\n"
      "--x\r\nHello: looks like a header\r\n--x--\r\n";
  const Message m = parse_ok(raw);
  REQUIRE(m.root.children.size() == 2);
  CHECK(body_of(raw, m.root.children[0]) == "no headers here");
  CHECK(m.root.children[1].headers.size() == 1);
  CHECK(m.root.children[1].body_size() == 0);
  CHECK(m.root.children[1].body_start == m.root.children[1].body_end);
}

TEST_CASE("multipart without boundary has no children", "[mime][tree]") {
  const std::string raw = "Content-Type: multipart/mixed\r\n\r\ntext\r\n";
  const Message m = parse_ok(raw);
  CHECK(m.root.is_multipart());
  CHECK(m.root.children.empty());
  CHECK(body_of(raw, m.root) == "text\r\n");
}

TEST_CASE("message/rfc822 without a body still has its root part", "[mime][tree]") {
  const std::string raw = "Content-Type: message/rfc822\r\n\r\nSubject: inner no body\r\n";
  const Message m = parse_ok(raw);
  REQUIRE(m.root.children.size() == 1);
  CHECK(m.root.children[0].headers.size() == 1);
  CHECK(m.root.children[0].body_size() == 0);
  CHECK(m.root.lines == 1);
}

TEST_CASE("Content fields of a message count only with MIME-Version or Content-Type", "[mime][tree]") {
  // RFC 2045 §4; Dovecot reads a lone Content-Type as MIME too.
  const Message plain = parse_ok("Content-Transfer-Encoding: base64\r\nContent-ID: <x>\r\n\r\nSGk=\r\n");
  CHECK(plain.root.encoding == "7bit");
  CHECK(plain.root.id.empty());
  CHECK(plain.search_text == "SGk=\n");
  const Message mime =
      parse_ok("MIME-Version: 1.0\r\nContent-Transfer-Encoding: base64\r\nContent-ID: <x>\r\n\r\nSGk=\r\n");
  CHECK(mime.root.encoding == "base64");
  CHECK(mime.root.id == "<x>");
  CHECK(mime.search_text == "Hi");
  // Inside a multipart every part is MIME.
  const Message part = parse_ok(
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Transfer-Encoding: base64\r\n\r\nSGk=\r\n--b--\r\n");
  REQUIRE(part.root.children.size() == 1);
  CHECK(part.root.children[0].encoding == "base64");
}
