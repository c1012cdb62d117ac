// Unit tests of IMAP dates and date-times (proto/imap/datetime.hpp).
#include <catch2/catch.hpp>

#include "proto/imap/datetime.hpp"

using namespace pillarbox::imap;

TEST_CASE("imap dates parse", "[imap][date]") {
  CHECK(*parse_date("1-Feb-2026") == Date{2026, 2, 1});
  CHECK(*parse_date("01-feb-2026") == Date{2026, 2, 1});
  CHECK(*parse_date("29-FEB-2024") == Date{2024, 2, 29});
  CHECK(*parse_date("31-Dec-1999") == Date{1999, 12, 31});
  for (const char* bad : {"", "29-Feb-2026", "31-Apr-2026", "0-Jan-2026", "1-Jam-2026", "1-Jan-26", "1-Jan-20266",
                          "123-Jan-2026", "1 Jan 2026", "-Jan-2026", "1-Jan-2026 ", " 1-Jan-2026", "29-Feb-1900"}) {
    INFO(bad);
    auto d = parse_date(bad);
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().message == "Invalid date");
  }
}

TEST_CASE("imap date-times parse and format", "[imap][date]") {
  auto dt = parse_date_time("23-Nov-2026 09:30:00 +0000");
  REQUIRE(dt.ok());
  CHECK(*dt == DateTime{{2026, 11, 23}, 9, 30, 0, 0});
  CHECK(format_date_time(*dt) == "23-Nov-2026 09:30:00 +0000");
  CHECK(parse_date_time(" 3-Jan-2026 23:59:60 -0800")->zone_minutes == -480);
  CHECK(parse_date_time("3-Jan-2026 00:00:00 +0130")->zone_minutes == 90);
  CHECK(format_date_time(*parse_date_time(" 3-Jan-2026 23:59:59 -0830")) == "03-Jan-2026 23:59:59 -0830");
  for (const char* bad : {"23-Nov-2026 24:00:00 +0000", "23-Nov-2026 09:60:00 +0000", "23-Nov-2026 09:30:00",
                          "23-Nov-2026 9:30:00 +0000", "23-Nov-2026 09:30:00 0000", "23-Nov-2026  09:30:00 +0000",
                          "31-Nov-2026 09:30:00 +0000", "23-Nov-2026 09:30:00 +0060", "", "23-Nov-2026"}) {
    INFO(bad);
    auto d = parse_date_time(bad);
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().message == "Invalid date-time");
  }
}

TEST_CASE("imap date-times convert to and from Unix time", "[imap][date]") {
  CHECK(to_unix_time(*parse_date_time("01-Jan-1970 00:00:00 +0000")) == 0);
  CHECK(to_unix_time(*parse_date_time("01-Jan-1970 01:00:00 +0100")) == 0);
  CHECK(to_unix_time(*parse_date_time("23-Nov-2026 09:30:00 +0000")) == 1795426200);
  CHECK(to_unix_time(*parse_date_time("29-Feb-2024 12:00:00 -0500")) == 1709226000);
  CHECK(format_date_time(from_unix_time(1795426200)) == "23-Nov-2026 09:30:00 +0000");
  CHECK(format_date_time(from_unix_time(1795426200, 120)) == "23-Nov-2026 11:30:00 +0200");
  CHECK(format_date_time(from_unix_time(-1)) == "31-Dec-1969 23:59:59 +0000");
  CHECK(format_date(Date{2026, 2, 1}) == "1-Feb-2026");
}
