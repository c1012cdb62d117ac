// Content-* fields and MIME parameters, RFC 2231 included.
#include <catch2/catch.hpp>

#include "proto/mime/content.hpp"

using namespace pillarbox::mime;

TEST_CASE("Content-Type type subtype and parameters", "[mime][content]") {
  const ContentType ct = parse_content_type("Text/HTML; Charset=\"UTF-8\"; format=flowed (comment)");
  CHECK(ct.type == "text");
  CHECK(ct.subtype == "html");
  CHECK(ct.params == Params{{"charset", "UTF-8"}, {"format", "flowed"}});
  CHECK(parse_content_type(" ( c ) multipart / mixed ; boundary=----=_Part_1_2.3").params ==
        Params{{"boundary", "----=_Part_1_2.3"}});
  CHECK(parse_content_type("text/plain; charset=us-ascii (Plain text)").params == Params{{"charset", "us-ascii"}});
}

TEST_CASE("unusable Content-Type values", "[mime][content]") {
  CHECK(parse_content_type("text").type.empty());
  CHECK(parse_content_type("/plain").type.empty());
  CHECK(parse_content_type("").type.empty());
  CHECK(parse_content_type("text/").subtype.empty());
  CHECK(parse_content_type("image/p\xADng").type.empty());  // tokens are US-ASCII
  CHECK(parse_encoding("b\xE4se64") == "7bit");
}

TEST_CASE("parameter junk is skipped", "[mime][content]") {
  CHECK(parse_params("; charset=; format; =x; a=\"b;c\"; d = e ;") ==
        Params{{"charset", ""}, {"a", "b;c"}, {"d", "e"}});
  CHECK(parse_params("name=\"unterminated").size() == 1);
  CHECK(parse_params("a=1; A=2") == Params{{"a", "1"}});
}

TEST_CASE("RFC 2231 continuations charsets and languages", "[mime][content]") {
  CHECK(parse_params("title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A") ==
        Params{{"title", "This is ***fun***"}});
  CHECK(parse_params("url*0=\"ftp://\"; url*1=\"cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar\"") ==
        Params{{"url", "ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar"}});
  CHECK(parse_params("title*0*=us-ascii'en'This%20is%20even%20more%20; title*1*=%2A%2A%2Afun%2A%2A%2A%20; "
                     "title*2=\"isn't it!\"") ==
        Params{{"title", "This is even more ***fun*** isn't it!"}});
  CHECK(parse_params("filename*=iso-8859-1''caf%E9.txt") == Params{{"filename", "caf\xC3\xA9.txt"}});
  // Sections are ordered by number, not position.
  CHECK(parse_params("n*1=b; n*0=a; n*2=c") == Params{{"n", "abc"}});
  // The RFC 2231 form wins over a plain fallback, at the first position.
  CHECK(parse_params("filename=\"plain.txt\"; size=3; filename*=utf-8''na%C3%AFve.txt") ==
        Params{{"filename", "na\xC3\xAFve.txt"}, {"size", "3"}});
  // Unknown charsets keep the bytes; bad escapes stay literal.
  CHECK(parse_params("x*=x-unknown''a%41%zz") == Params{{"x", "aA%zz"}});
  CHECK(parse_params("x*=no-quotes%41") == Params{{"x", "no-quotesA"}});
}

TEST_CASE("Content-Disposition Content-Language and Content-Transfer-Encoding", "[mime][content]") {
  const auto [disposition, params] = parse_disposition("Attachment; filename=\"a.pdf\"");
  CHECK(disposition == "attachment");
  CHECK(params == Params{{"filename", "a.pdf"}});
  CHECK(parse_disposition(";x=1").first.empty());
  CHECK(parse_language("en-US, fr (French),,de") == std::vector<std::string>{"en-US", "fr", "de"});
  CHECK(parse_encoding(" Base64 ") == "base64");
  CHECK(parse_encoding("?invalid") == "7bit");
  CHECK(parse_encoding("") == "7bit");
}

TEST_CASE("apply_content_headers takes the first of each field", "[mime][content]") {
  Part p;
  p.headers = {{"Content-Type", "text/html", 0},           {"Content-Type", "image/png", 20},
               {"content-transfer-encoding", "QUOTED-PRINTABLE", 40}, {"Content-ID", "<a@b>", 60},
               {"Content-Description", "desc", 70},          {"Content-MD5", "md5", 80},
               {"Content-Disposition", "inline", 90},        {"Content-Language", "en", 100},
               {"Content-Location", "http://x/", 110},       {"Content-Other", "ignored", 120}};
  apply_content_headers(p, "text", "plain");
  CHECK(p.type == "text");
  CHECK(p.subtype == "html");
  CHECK(p.encoding == "quoted-printable");
  CHECK(p.id == "<a@b>");
  CHECK(p.description == "desc");
  CHECK(p.md5 == "md5");
  CHECK(p.disposition == "inline");
  CHECK(p.language == std::vector<std::string>{"en"});
  CHECK(p.location == "http://x/");
}

TEST_CASE("apply_content_headers defaults", "[mime][content]") {
  Part missing;
  apply_content_headers(missing, "message", "rfc822");
  CHECK(missing.type == "message");
  CHECK(missing.subtype == "rfc822");
  CHECK(missing.encoding == "7bit");
  Part broken;
  broken.headers = {{"Content-Type", "garbage", 0}};
  apply_content_headers(broken, "message", "rfc822");
  CHECK(broken.type == "text");  // RFC 2045 §5.2
  CHECK(broken.subtype == "plain");
}
