// Unit tests of the small codecs: replies (RFC 5321 §4.2, RFC 2034) and xtext
// (RFC 3461 §4). base64 and SASL PLAIN are tested with proto/sasl.
#include <catch2/catch.hpp>

#include <vector>

#include "proto/smtp/reply.hpp"
#include "proto/smtp/xtext.hpp"

using namespace pillarbox::smtp;
using pillarbox::Error;
using pillarbox::ErrorCode;

TEST_CASE("replies are written with CRLF and continuation lines", "[smtp][reply]") {
  CHECK(Reply{250, "2.1.0", "Ok"}.wire() == "250 2.1.0 Ok\r\n");
  CHECK(Reply{220, "", "mx ESMTP Pillarbox"}.wire() == "220 mx ESMTP Pillarbox\r\n");
  CHECK(Reply{334, "", ""}.wire() == "334 \r\n");
  CHECK(Reply{250, "", "mx\nPIPELINING\nDSN"}.wire() == "250-mx\r\n250-PIPELINING\r\n250 DSN\r\n");
  CHECK(Reply{550, "5.7.1", "a\nb"}.wire() == "550-5.7.1 a\r\n550 5.7.1 b\r\n");
  // A host text with CR or other controls cannot end a line early.
  CHECK(Reply{451, "4.3.0", "bad\r\n250 ok\x01"}.wire() == "451-4.3.0 bad \r\n451 4.3.0 250 ok \r\n");
}

TEST_CASE("errors map to replies", "[smtp][reply]") {
  CHECK(reply_for(reply_error(ErrorCode::InvalidInput, "501 5.1.3 Bad recipient address syntax")) ==
        Reply{501, "5.1.3", "Bad recipient address syntax"});
  CHECK(reply_for(Error{ErrorCode::Internal, "250 Ok"}) == Reply{250, "", "Ok"});
  CHECK(reply_for(Error{ErrorCode::Temporary, ""}) ==
        Reply{451, "4.3.0", "Temporary failure, try again later"});
  CHECK(reply_for(Error{ErrorCode::Unavailable, "Database down"}) == Reply{451, "4.3.0", "Database down"});
  CHECK(reply_for(Error{ErrorCode::TooBig, ""}) == Reply{552, "5.3.4", "Message too large"});
  CHECK(reply_for(Error{ErrorCode::QuotaExceeded, ""}) == Reply{552, "5.2.2", "Mailbox full"});
  CHECK(reply_for(Error{ErrorCode::PermissionDenied, ""}) == Reply{550, "5.7.1", "Access denied"});
  CHECK(reply_for(Error{ErrorCode::NotFound, "<x@y>: User unknown"}) ==
        Reply{550, "5.1.1", "<x@y>: User unknown"});
  // Not the "ddd x.y.z" form: the whole message is text.
  CHECK(reply_for(Error{ErrorCode::InvalidInput, "999 too big a code"}) ==
        Reply{501, "5.5.4", "999 too big a code"});
  CHECK(reply_for(Error{ErrorCode::InvalidInput, "12 short"}).code == 501);
}

TEST_CASE("xtext decodes and encodes", "[smtp][xtext]") {
  CHECK(xtext_decode("plain") == "plain");
  CHECK(xtext_decode("a+2Bb+3Dc") == "a+b=c");
  CHECK(xtext_decode("a+2bb") == "a+b");
  CHECK(xtext_decode("") == "");
  CHECK_FALSE(xtext_decode("a+2"));
  CHECK_FALSE(xtext_decode("a+"));
  CHECK_FALSE(xtext_decode("a+GG"));
  CHECK_FALSE(xtext_decode("a=b"));
  CHECK_FALSE(xtext_decode("a b"));
  CHECK_FALSE(xtext_decode("\xc3\xa9"));
  CHECK(xtext_encode("a+b=c d\xff") == "a+2Bb+3Dc+20d+FF");
  for (std::string s : {"", "x", "user+tag=1@example.org", "\x01\x7f"}) {
    CHECK(xtext_decode(xtext_encode(s)) == s);
  }
}
