// IMAP date and date-time handling (datetime.hpp, RFC 3501 §9). Day counts
// use the proleptic Gregorian "days from civil" arithmetic so no libc time
// functions (and no time zone database) are involved.
#include "proto/imap/datetime.hpp"

#include <array>

namespace pillarbox::imap {

namespace {

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// Exactly `n` digits at the start of `s`; -1 otherwise.
int digits(std::string_view s, std::size_t n) {
  if (s.size() < n) return -1;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

int month_number(std::string_view s) {
  if (s.size() != 3) return 0;
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (lower(s[0]) == lower(kMonths[i][0]) && lower(s[1]) == lower(kMonths[i][1]) &&
        lower(s[2]) == lower(kMonths[i][2])) {
      return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

// "d-Mon-yyyy" with a day of one or two digits (a leading space allowed when
// `space_day`); false when anything is off, including 31-Feb.
bool date_text(std::string_view s, bool space_day, Date& out) {
  std::size_t dash = s.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash > 2) return false;
  std::string_view day = s.substr(0, dash);
  if (space_day && day.size() == 2 && day[0] == ' ') day.remove_prefix(1);
  int d = digits(day, day.size());
  if (d < 0) return false;
  s.remove_prefix(dash + 1);
  if (s.size() != 8 || s[3] != '-') return false;
  int m = month_number(s.substr(0, 3));
  int y = digits(s.substr(4), 4);
  if (m == 0 || y < 1 || d < 1 || d > days_in_month(y, m)) return false;
  out = Date{y, m, d};
  return true;
}

std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
  return Date{y, m, d};
}

std::string two(int v) { return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10); }

}  // namespace

Expected<Date> parse_date(std::string_view text) {
  Date d;
  if (!date_text(text, false, d)) return fail(ErrorCode::InvalidInput, "Invalid date");
  return d;
}

Expected<DateTime> parse_date_time(std::string_view text) {
  auto bad = [] { return fail(ErrorCode::InvalidInput, "Invalid date-time"); };
  // The date ends at the space before the time; a leading space is the
  // padding of a one-digit day.
  std::size_t space = text.find(' ', text.size() > 0 && text[0] == ' ' ? 1 : 0);
  if (space == std::string_view::npos) return bad();
  DateTime dt;
  if (!date_text(text.substr(0, space), true, dt.date)) return bad();
  std::string_view rest = text.substr(space + 1);
  // "hh:mm:ss +zzzz"
  if (rest.size() != 14 || rest[2] != ':' || rest[5] != ':' || rest[8] != ' ') return bad();
  dt.hour = digits(rest, 2);
  dt.minute = digits(rest.substr(3), 2);
  dt.second = digits(rest.substr(6), 2);
  char sign = rest[9];
  int zh = digits(rest.substr(10), 2);
  int zm = digits(rest.substr(12), 2);
  if (dt.hour < 0 || dt.hour > 23 || dt.minute < 0 || dt.minute > 59 || dt.second < 0 || dt.second > 60 ||
      (sign != '+' && sign != '-') || zh < 0 || zm < 0 || zm > 59) {
    return bad();
  }
  dt.zone_minutes = (zh * 60 + zm) * (sign == '-' ? -1 : 1);
  return dt;
}

std::string format_date(const Date& d) {
  return std::to_string(d.day) + "-" + std::string(kMonths[static_cast<std::size_t>(d.month - 1)]) + "-" +
         std::to_string(d.year);
}

std::string format_date_time(const DateTime& dt) {
  int z = dt.zone_minutes < 0 ? -dt.zone_minutes : dt.zone_minutes;
  std::string year = std::to_string(dt.date.year);
  year.insert(0, year.size() < 4 ? 4 - year.size() : 0, '0');
  return two(dt.date.day) + "-" + std::string(kMonths[static_cast<std::size_t>(dt.date.month - 1)]) + "-" + year +
         " " + two(dt.hour) + ":" + two(dt.minute) + ":" + two(dt.second) + " " +
         (dt.zone_minutes < 0 ? "-" : "+") + two(z / 60 % 100) + two(z % 60);
}

std::int64_t to_unix_time(const DateTime& dt) {
  std::int64_t days = days_from_civil(dt.date.year, dt.date.month, dt.date.day);
  return days * 86400 + dt.hour * 3600 + dt.minute * 60 + dt.second - std::int64_t{dt.zone_minutes} * 60;
}

DateTime from_unix_time(std::int64_t seconds, int zone_minutes) {
  std::int64_t local = seconds + std::int64_t{zone_minutes} * 60;
  std::int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  std::int64_t rem = local - days * 86400;
  DateTime dt;
  dt.date = civil_from_days(days);
  dt.hour = static_cast<int>(rem / 3600);
  dt.minute = static_cast<int>(rem / 60 % 60);
  dt.second = static_cast<int>(rem % 60);
  dt.zone_minutes = zone_minutes;
  return dt;
}

}  // namespace pillarbox::imap
