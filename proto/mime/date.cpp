// Date: header parsing (see date.hpp). Comments and the day name are skipped;
// unknown alphabetic zones count as +0000 (RFC 5322 §4.3 says military zones
// are unreliable and to read them as "-0000").
#include "proto/mime/date.hpp"

#include <array>
#include <string>
#include <vector>

#include "proto/mime/lexer.hpp"
#include "proto/mime/text_util.hpp"

namespace pillarbox::mime {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr std::array<unsigned, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

int month_number(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths{"jan", "feb", "mar", "apr", "may", "jun",
                                                            "jul", "aug", "sep", "oct", "nov", "dec"};
  if (name.size() < 3) return 0;
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (iequals(name.substr(0, 3), kMonths[i])) return static_cast<int>(i) + 1;
  }
  return 0;
}

// Zone offset in minutes east of UTC.
std::optional<int> zone_minutes(std::string_view z) {
  if (z.size() == 5 && (z[0] == '+' || z[0] == '-') &&
      z.substr(1).find_first_not_of("0123456789") == std::string_view::npos) {
    const int hh = (z[1] - '0') * 10 + (z[2] - '0');
    const int mm = (z[3] - '0') * 10 + (z[4] - '0');
    if (mm > 59) return std::nullopt;
    return (z[0] == '-' ? -1 : 1) * (hh * 60 + mm);
  }
  struct Named { std::string_view name; int hours; };
  static constexpr std::array<Named, 10> kZones{{{"UT", 0}, {"UTC", 0}, {"GMT", 0}, {"Z", 0},
                                                 {"EDT", -4}, {"EST", -5}, {"CDT", -5},
                                                 {"CST", -6}, {"MDT", -6}, {"MST", -7}}};
  for (const auto& n : kZones) {
    if (iequals(z, n.name)) return n.hours * 60;
  }
  if (iequals(z, "PDT")) return -7 * 60;
  if (iequals(z, "PST")) return -8 * 60;
  return 0;
}

std::optional<long> number(std::string_view s) {
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  return std::stol(std::string(s));
}

// The date-time's words: "Tue, 1 Jul 2003 10:52:37 +0200" ->
// {"1", "Jul", "2003", "10:52:37", "+0200"}; the day name is dropped.
std::vector<std::string> words(std::string_view value) {
  Lexer lex(value);
  std::vector<std::string> out;
  for (;;) {
    lex.skip_cfws();
    if (lex.at_end()) break;
    std::string w = lex.atom("(),");
    if (w.empty()) {
      lex.advance();
      continue;
    }
    if (out.empty() && month_number(w) == 0 && number(w) == std::nullopt) continue;  // day name
    out.push_back(std::move(w));
    if (out.size() > 6) break;
  }
  return out;
}

}  // namespace

std::optional<std::int64_t> parse_date(std::string_view value) {
  std::vector<std::string> w = words(value);
  if (w.size() < 4) return std::nullopt;
  // "1 Jul 2003" or, from some clients, "Jul 1 2003".
  if (month_number(w[0]) != 0) std::swap(w[0], w[1]);
  const auto day = number(w[0]);
  const int month = month_number(w[1]);
  auto year = number(w[2]);
  if (!day || month == 0 || !year) return std::nullopt;
  if (w[2].size() == 2) *year += *year < 50 ? 2000 : 1900;
  else if (w[2].size() == 3) *year += 1900;
  if (*day < 1 || static_cast<unsigned>(*day) > days_in_month(*year, static_cast<unsigned>(month))) {
    return std::nullopt;
  }
  std::string_view t = w[3];
  const auto c1 = t.find(':');
  const auto c2 = c1 == std::string_view::npos ? c1 : t.find(':', c1 + 1);
  if (c1 == std::string_view::npos) return std::nullopt;
  const auto hh = number(t.substr(0, c1));
  const auto mm = number(t.substr(c1 + 1, c2 == std::string_view::npos ? t.npos : c2 - c1 - 1));
  const auto ss = c2 == std::string_view::npos ? std::optional<long>(0) : number(t.substr(c2 + 1));
  if (!hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 60) return std::nullopt;
  const auto zone = w.size() > 4 ? zone_minutes(w[4]) : std::optional<int>(0);
  if (!zone) return std::nullopt;
  return days_from_civil(*year, static_cast<unsigned>(month), static_cast<unsigned>(*day)) * 86400 +
         *hh * 3600 + *mm * 60 + *ss - static_cast<std::int64_t>(*zone) * 60;
}

}  // namespace pillarbox::mime
