// IMAP dates and date-times (RFC 3501 §9 date, date-time): parsing for
// APPEND and SEARCH, formatting for INTERNALDATE, and conversion to and from
// Unix time. Only the Gregorian calendar, years 1..9999; no time zones
// beyond the numeric offset the grammar carries.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "libcore/base/expected.hpp"

namespace pillarbox::imap {

struct Date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31, valid for the month
  bool operator==(const Date&) const = default;
};

struct DateTime {
  Date date;
  int hour = 0;
  int minute = 0;
  int second = 0;        // 0..60 (a leap second is accepted)
  int zone_minutes = 0;  // offset east of UTC: "+0130" is 90, "-0800" is -480
  bool operator==(const DateTime&) const = default;
};

// date-text "1-Feb-2026" / "01-Feb-2026" (month names case-insensitive), as
// SEARCH's date arguments carry after any quotes are removed. Errors
// (InvalidInput): "Invalid date".
Expected<Date> parse_date(std::string_view text);

// The date-time inside the quotes: "23-Nov-2026 09:30:00 +0000"; the day may
// be " 3", "03" or "3". Errors (InvalidInput): "Invalid date-time".
Expected<DateTime> parse_date_time(std::string_view text);

// "03-Nov-2026 09:30:00 +0000" (no quotes; two-digit day).
std::string format_date_time(const DateTime& dt);
// "3-Nov-2026", as SEARCH and a client's date-text write it.
std::string format_date(const Date& d);

// Seconds since 1970-01-01T00:00:00Z of the instant `dt` names.
std::int64_t to_unix_time(const DateTime& dt);
// The instant `seconds` shown in the zone `zone_minutes` east of UTC.
DateTime from_unix_time(std::int64_t seconds, int zone_minutes = 0);

}  // namespace pillarbox::imap
