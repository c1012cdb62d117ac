// Received: header formatting.
#include "daemons/smtpd/received_header.hpp"

#include <ctime>

namespace pillarbox::smtpd {

std::string rfc5322_date(int64_t unix_seconds) {
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  time_t t = static_cast<time_t>(unix_seconds);
  tm utc{};
  gmtime_r(&t, &utc);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %d %s %04d %02d:%02d:%02d +0000", days[utc.tm_wday], utc.tm_mday,
                months[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
  return buf;
}

namespace {

// The client chose its HELO name: only visible ASCII other than the
// parentheses that structure the header (brackets stay: "[192.0.2.1]" is a
// valid HELO address literal), at most 255 octets.
std::string clean_helo(const std::string& helo) {
  if (helo.empty()) return "unknown";
  std::string out;
  for (unsigned char c : helo.substr(0, 255)) out += (c > 32 && c < 127 && c != '(' && c != ')') ? static_cast<char>(c) : '?';
  return out;
}

// RFC 5321 §4.1.3 address literals: [192.0.2.1], [IPv6:2001:db8::1].
std::string address_literal(const std::string& address) {
  return "[" + std::string(address.find(':') != std::string::npos ? "IPv6:" : "") + address + "]";
}

}  // namespace

std::string received_header(const ReceivedInfo& i) {
  std::string h = "Received: from " + clean_helo(i.helo) + " (" + address_literal(i.client_address) +
                  ")\r\n\tby " + i.hostname + " (Pillarbox) with " + i.protocol;
  if (!i.tls.empty()) h += "\r\n\t(" + i.tls + ")";
  if (!i.id.empty()) h += "\r\n\tid " + i.id;
  if (!i.recipient.empty()) h += "\r\n\tfor <" + i.recipient + ">";
  h += ";\r\n\t" + rfc5322_date(i.time) + "\r\n";
  return h;
}

}  // namespace pillarbox::smtpd
