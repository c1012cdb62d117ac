// Dates, folding, quoted-printable and cleaning for the report builder (see
// format.hpp). The calendar arithmetic is the proleptic Gregorian
// days-to-civil conversion, done here so proto needs no libc time zone state.
#include "proto/dsn/format.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace pillarbox::dsn {

namespace {

constexpr std::size_t kFoldAt = 78;    // RFC 5322 §2.1.1 SHOULD
constexpr std::size_t kMaxLine = 998;  // RFC 5322 §2.1.1 MUST, CRLF excluded

struct Civil {
  std::int64_t year;
  int month, day;  // 1-based
};

// Days since 1970-01-01 -> calendar date (eras of 400 years, March-based).
Civil civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return Civil{era * 400 + yoe + (month <= 2 ? 1 : 0), month, day};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);
}

const char kHex[] = "0123456789ABCDEF";

// Length of the valid UTF-8 sequence at text[pos] (RFC 3629: no overlongs,
// surrogates or code points above U+10FFFF), or 0.
std::size_t utf8_length(std::string_view text, std::size_t pos) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  const unsigned char c = b(0);
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (pos + n > text.size()) return 0;
  if (b(1) < lo || b(1) > hi) return 0;
  for (std::size_t i = 2; i < n; ++i) {
    if (b(i) < 0x80 || b(i) > 0xBF) return 0;
  }
  return n;
}

}  // namespace

std::string format_date(std::int64_t unix_seconds, int utc_offset_minutes) {
  static constexpr std::array<const char*, 7> kDays = {"Thu", "Fri", "Sat", "Sun",
                                                       "Mon", "Tue", "Wed"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::int64_t local = unix_seconds + std::int64_t{utc_offset_minutes} * 60;
  const std::int64_t days = floor_div(local, 86400);
  const std::int64_t secs = local - days * 86400;
  const Civil c = civil_from_days(days);
  const int weekday = static_cast<int>(((days % 7) + 7) % 7);  // 1970-01-01 was a Thursday
  const int offset = utc_offset_minutes < 0 ? -utc_offset_minutes : utc_offset_minutes;
  char buf[80];
  std::snprintf(buf, sizeof buf, "%s, %d %s %04lld %02d:%02d:%02d %c%02d%02d",
                kDays[static_cast<std::size_t>(weekday)], c.day,
                kMonths[static_cast<std::size_t>(c.month - 1)], static_cast<long long>(c.year),
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60), utc_offset_minutes < 0 ? '-' : '+', offset / 60,
                offset % 60);
  return buf;
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  std::string line = std::string(name) + ":";
  if (!value.empty()) line += ' ';
  bool has_word = false;  // whether `line` holds value text a fold may follow
  // A segment is a whitespace run and the word after it; folding happens
  // only at segment starts, so unfolding gives the value back unchanged.
  std::size_t pos = 0;
  while (pos < value.size()) {
    if (value[pos] == '\n') {  // a forced fold; blank pieces are skipped
      ++pos;
      const std::size_t piece_end = std::min(value.find('\n', pos), value.size());
      const std::string_view piece = value.substr(pos, piece_end - pos);
      if (has_word && piece.find_first_not_of(" \t") != std::string_view::npos) {
        out += line + "\r\n";
        line = " ";
        has_word = false;
      }
      continue;
    }
    std::size_t end = pos;
    while (end < value.size() && (value[end] == ' ' || value[end] == '\t')) ++end;
    const bool only_space = end == value.size() || value[end] == '\n';
    while (end < value.size() && value[end] != ' ' && value[end] != '\t' && value[end] != '\n')
      ++end;
    std::string_view seg = value.substr(pos, end - pos);
    pos = end;
    const bool starts_with_space = seg.front() == ' ' || seg.front() == '\t';
    if (has_word && !only_space && starts_with_space && line.size() + seg.size() > kFoldAt) {
      out += line + "\r\n";
      line.clear();
    }
    // A word too long for any line: cut it, continuing after CRLF SP.
    while (line.size() + seg.size() > kMaxLine) {
      const std::size_t room = kMaxLine - line.size();
      line.append(seg.substr(0, room));
      out += line + "\r\n";
      line = " ";
      seg.remove_prefix(room);
    }
    line.append(seg);
    has_word = has_word || !only_space;
  }
  out += line + "\r\n";
}

std::string qp_encode(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t lf = text.find('\n', pos);
    const bool last = lf == std::string_view::npos;
    if (last) lf = text.size();
    std::string_view line = text.substr(pos, lf - pos);
    // Only a CR before the LF belongs to the line end; a final bare CR is text.
    if (!last && !line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = lf + 1;
    if (last && line.empty()) break;  // text ended with "\n"
    std::size_t col = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      const bool at_end = i + 1 == line.size();
      const bool plain = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_end);
      const std::size_t width = plain ? 1 : 3;
      // Keep room for the "=" of a soft break (RFC 2045 §6.7 rule 5).
      if (col + width > (at_end ? 76 : 75)) {
        out += "=\r\n";
        col = 0;
      }
      if (plain) {
        out += static_cast<char>(c);
      } else {
        out += '=';
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
      col += width;
    }
    out += "\r\n";
    if (last) break;
  }
  return out;
}

bool is_ascii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string clean_text(std::string_view text, bool utf8) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += (c < 0x20 && c != '\t') || c == 0x7F ? ' ' : static_cast<char>(c);
      ++i;
      continue;
    }
    const std::size_t n = utf8 ? utf8_length(text, i) : 0;
    if (n == 0) {
      out += '?';
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string clean_address(std::string_view address, bool utf8) {
  std::string out;
  out.reserve(address.size());
  for (std::size_t i = 0; i < address.size();) {
    const auto c = static_cast<unsigned char>(address[i]);
    const std::size_t n =
        c < 0x80 ? ((c < 0x20 || c == 0x7F) ? 0 : 1) : (utf8 ? utf8_length(address, i) : 0);
    if (n == 0) {
      out += '+';
      out += kHex[c >> 4];
      out += kHex[c & 15];
      ++i;
    } else {
      out.append(address.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace pillarbox::dsn
