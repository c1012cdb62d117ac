// Search text: decoded, converted, HTML stripped, capped on a character boundary.
#include <catch2/catch.hpp>

#include "proto/mime/codec.hpp"
#include "proto/mime/html_text.hpp"
#include "samples.hpp"

using namespace pillarbox::mime;
using pillarbox::mime::test::parse_ok;
using pillarbox::mime::test::sample;

TEST_CASE("html_to_text drops markup and decodes references", "[mime][search]") {
  CHECK(html_to_text("<p>Hello <b>wor</b>ld</p><p>next&nbsp;line</p>") == "Hello world\nnext line");
  CHECK(html_to_text("a<br>b<br/>c") == "a\nb\nc");
  CHECK(html_to_text("<script type=\"x\">var a = '<p>';</script>kept<style>p{}</style>") == "kept");
  CHECK(html_to_text("<!-- <p>hidden</p> -->shown") == "shown");
  CHECK(html_to_text("<a title=\"x > y\" href='z'>link</a>") == "link");
  CHECK(html_to_text("1 &lt; 2 &amp;&amp; 3 &gt; 2 &quot;q&quot; &#233; &#xE9; &euro;") ==
        "1 < 2 && 3 > 2 \"q\" \xC3\xA9 \xC3\xA9 \xE2\x82\xAC");
  CHECK(html_to_text("&unknown; &#; &#xZZ; & alone") == "&unknown; &#; &#xZZ; & alone");
  CHECK(html_to_text("a < b and c<3") == "a < b and c<3");
  CHECK(html_to_text("  lots \r\n\t of   space  ") == "lots of space");
  CHECK(html_to_text("<script>never closed") == "");
  CHECK(html_to_text("&#0; &#xD800; &#x110000;") == "\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD");
}

TEST_CASE("search text of the samples", "[mime][search]") {
  CHECK(parse_ok(sample("plain.eml")).search_text == "Hi Bob,\n\nare you free for lunch on Friday?\n\nAlice\n");
  CHECK(parse_ok(sample("alternative.eml")).search_text ==
        "The caf\xC3\xA9 serves cr\xC3\xA8me br\xC3\xBBl\xC3\xA9" "e today.\n"
        "The caf\xC3\xA9 serves cr\xC3\xA8me br\xC3\xBBl\xC3\xA9" "e today.");
  CHECK(parse_ok(sample("encoded_subject.eml")).search_text == "Gr\xC3\xBC\xC3\x9F" "e aus M\xC3\xBCnchen\n");
  // The base64 PDF is not text and is not indexed.
  CHECK(parse_ok(sample("mixed_attachment.eml")).search_text == "Here is the report.");
  // message/rfc822 bodies are indexed too.
  CHECK(parse_ok(sample("nested_rfc822.eml")).search_text == "See below.\n\nYes!\nYes!");
  CHECK(parse_ok(sample("no_body.eml")).search_text.empty());
}

TEST_CASE("decoded listing fields", "[mime][search]") {
  const Message m = parse_ok(sample("alternative.eml"));
  CHECK(m.subject == "Caf\xC3\xA9 menu");
  CHECK(m.from == "\"Doe, Jane\" <jane@example.com>");
  CHECK(m.to == "Bob <bob@example.net>, carol@example.net");
  CHECK(m.cc == "Dave <dave@example.net>");
  CHECK(m.message_id == "<alt.1@example.com>");
  CHECK(m.in_reply_to == "<20030701085237.1234@example.org>");
  CHECK(m.date == "Wed, 2 Jul 2003 09:00:00 -0400");
  CHECK(m.date_epoch == 1057150800);
  const Message none = parse_ok("\r\n");
  CHECK(none.subject.empty());
  CHECK_FALSE(none.date_epoch);
}

TEST_CASE("search text is capped on a character boundary", "[mime][search]") {
  const std::string raw = "Content-Type: text/plain; charset=utf-8\r\n\r\n" + std::string(10, 'a') +
                          "\xC3\xA9\xC3\xA9" + std::string(10, 'b');
  Limits limits;
  limits.max_search_text = 11;  // inside the first "é"
  auto m = parse(raw, limits);
  REQUIRE(m.ok());
  CHECK(m->search_text == std::string(10, 'a'));
  limits.max_search_text = 12;
  CHECK(parse(raw, limits)->search_text == std::string(10, 'a') + "\xC3\xA9");
  limits.max_search_text = 0;
  CHECK(parse(raw, limits)->search_text.empty());
}

TEST_CASE("search text is valid UTF-8 whatever the input", "[mime][search]") {
  const std::string raw =
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=x-bogus\r\n\r\n"
      "bogus \xFF\xFE\r\n--b\r\nContent-Type: text/plain\r\n\r\nlatin \xE9\r\n--b\r\n"
      "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nAP8=\r\n--b--\r\n";
  const Message m = parse_ok(raw);
  CHECK(is_utf8(m.search_text));
  CHECK(m.search_text.find('\0') == std::string::npos);
  CHECK(m.search_text == "bogus \xEF\xBF\xBD\xEF\xBF\xBD\nlatin \xC3\xA9\n\xEF\xBF\xBD\xEF\xBF\xBD");
}
