// Date: values to Unix seconds (RFC 5322 §3.3 and the obsolete forms of §4.3).
#include <catch2/catch.hpp>

#include "proto/mime/date.hpp"

using namespace pillarbox::mime;

TEST_CASE("RFC 5322 dates", "[mime][date]") {
  CHECK(parse_date("Tue, 1 Jul 2003 10:52:37 +0200") == 1057049557);
  CHECK(parse_date("1 Jul 2003 08:52:37 +0000") == 1057049557);
  CHECK(parse_date("Thu, 01 Jan 1970 00:00:00 +0000") == 0);
  CHECK(parse_date("Fri, 21 Nov 1997 09:55:06 -0600") == 880127706);
  CHECK(parse_date("Sat, 29 Feb 2020 23:59:60 +0000") == 1583020800);  // leap second
  CHECK(parse_date("Wed, 31 Dec 1969 23:59:59 +0000") == -1);
}

TEST_CASE("obsolete and sloppy dates", "[mime][date]") {
  CHECK(parse_date("Tue, 1 Jul 03 10:52:37 +0200") == 1057049557);
  CHECK(parse_date("Tue, 1 Jul 103 10:52:37 +0200") == 1057049557);
  CHECK(parse_date("1 Jul 99 00:00 GMT") == 930787200);
  CHECK(parse_date("Tue, 1 Jul 2003 04:52:37 EDT") == 1057049557);
  CHECK(parse_date("Tue, 1 Jul 2003 01:52:37 PDT") == 1057049557);
  CHECK(parse_date("Tue (day), 1 (one) Jul 2003 10:52:37 +0200 (CEST)") == 1057049557);
  CHECK(parse_date("Tue, 1 July 2003 08:52:37") == 1057049557);
  CHECK(parse_date("Tue, Jul 1 2003 08:52:37 +0000") == 1057049557);
  CHECK(parse_date("1 Jul 2003 08:52:37 X") == 1057049557);  // military zone: read as UTC
}

TEST_CASE("impossible dates are refused", "[mime][date]") {
  CHECK_FALSE(parse_date(""));
  CHECK_FALSE(parse_date("yesterday"));
  CHECK_FALSE(parse_date("31 Feb 2003 10:00:00 +0000"));
  CHECK_FALSE(parse_date("29 Feb 2100 10:00:00 +0000"));
  CHECK_FALSE(parse_date("1 Jul 2003 24:00:00 +0000"));
  CHECK_FALSE(parse_date("1 Jul 2003 10:60:00 +0000"));
  CHECK_FALSE(parse_date("1 Jul 2003 10:00:00 +0099"));
  CHECK_FALSE(parse_date("1 Foo 2003 10:00:00 +0000"));
  CHECK_FALSE(parse_date("1 Jul 2003 noon"));
  CHECK_FALSE(parse_date("0 Jul 2003 10:00:00 +0000"));
  CHECK(parse_date("29 Feb 2000 00:00:00 +0000"));
}
