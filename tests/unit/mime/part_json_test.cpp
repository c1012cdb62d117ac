// The stored JSON form of a part tree round-trips and rejects bad input.
#include <catch2/catch.hpp>

#include <functional>

#include "proto/mime/imap_form.hpp"
#include "proto/mime/part_json.hpp"
#include "samples.hpp"

using namespace pillarbox;
using namespace pillarbox::mime;
using pillarbox::mime::test::parse_ok;
using pillarbox::mime::test::sample;

namespace {

void strip_headers(Part& p) {
  p.headers.clear();
  for (auto& c : p.children) strip_headers(c);
}

}  // namespace

TEST_CASE("part trees round-trip through JSON", "[mime][json]") {
  for (const char* name : {"plain.eml", "alternative.eml", "mixed_attachment.eml", "nested_rfc822.eml",
                           "no_body.eml", "unterminated.eml"}) {
    INFO(name);
    const Message m = parse_ok(sample(name));
    auto back = part_from_json(nlohmann::json::parse(part_to_json(m.root).dump()));
    REQUIRE(back.ok());
    // BODY needs the embedded envelopes, which come from headers; the
    // multipart structure and every field must survive.
    Part expected = m.root;
    strip_headers(expected);
    CHECK(part_to_json(*back) == part_to_json(expected));
    CHECK(back->children.size() == m.root.children.size());
  }
}

TEST_CASE("the JSON form leaves defaults out", "[mime][json]") {
  const Message m = parse_ok("\r\nhello\r\n");
  CHECK(part_to_json(m.root).dump() == R"({"l":1,"o":[0,2,9]})");
  const Message a = parse_ok(sample("mixed_attachment.eml"));
  CHECK(part_to_json(a.root.children[1]).dump() ==
        "{\"d\":\"attachment\",\"de\":\"Quarterly report\",\"dp\":[[\"filename\",\"na\xC3\xAFve report.pdf\"]],"
        "\"e\":\"base64\",\"id\":\"<part2@example.org>\",\"o\":[338,574,602],\"p\":[[\"name\",\"report.pdf\"]],"
        "\"t\":\"application/pdf\"}");
}

TEST_CASE("raw 8-bit header bytes are stored as UTF-8", "[mime][json]") {
  const Message m = parse_ok("Content-Type: text/plain; name=caf\xE9\r\nContent-ID: <\xFF>\r\n\r\n");
  const std::string dumped = part_to_json(m.root).dump();  // would throw on invalid UTF-8
  CHECK(dumped.find("caf\xC3\xA9") != std::string::npos);
  CHECK(m.bodystructure ==
        "(\"text\" \"plain\" (\"name*\" \"utf-8''caf%C3%A9\" \"charset\" \"us-ascii\") {4}\r\n<\xC3\xBF> NIL \"7bit\" 0 0 NIL NIL NIL NIL)");
}

TEST_CASE("malformed stored trees are refused", "[mime][json]") {
  using nlohmann::json;
  for (const char* text : {R"({})", R"({"o":[1,0,2]})", R"({"o":[0,0,0],"t":"text"})", R"({"o":"x"})",
                           R"({"o":[0,0,0],"p":[[1,2]]})", R"([])", R"({"o":[0,0,0],"c":[{}]})"}) {
    INFO(text);
    auto p = part_from_json(json::parse(text));
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().code == ErrorCode::InvalidInput);
  }
  json deep = {{"o", {0, 0, 0}}};
  for (int i = 0; i < 100; ++i) deep = {{"o", {0, 0, 0}}, {"c", {deep}}};
  CHECK_FALSE(part_from_json(deep).ok());
  CHECK(part_from_json(deep, 200).ok());
}
