// Hand-built DNS packets. Names are written without compression except for
// answer owners, which point back at the question.
#include "dns_wire.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <stdexcept>

namespace pillarbox::dns::test {

namespace {

void put16(std::string& out, unsigned v) {
  out.push_back(static_cast<char>((v >> 8) & 0xff));
  out.push_back(static_cast<char>(v & 0xff));
}

unsigned get16(std::string_view p, size_t at) {
  return (static_cast<unsigned char>(p[at]) << 8) | static_cast<unsigned char>(p[at + 1]);
}

std::string encode_name(std::string_view name) {
  std::string out;
  while (!name.empty() && name != ".") {
    auto dot = name.find('.');
    auto label = name.substr(0, dot);
    out.push_back(static_cast<char>(label.size()));
    out += label;
    name = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
  }
  out.push_back('\0');
  return out;
}

std::string rr(uint16_t type, const std::string& rdata) {
  std::string out;
  put16(out, 0xc00c);  // owner: the question's name
  put16(out, type);
  put16(out, 1);       // class IN
  put16(out, 0);       // TTL (32 bits): 60 s
  put16(out, 60);
  put16(out, static_cast<unsigned>(rdata.size()));
  return out + rdata;
}

}  // namespace

std::string make_query(uint16_t id, std::string_view name, uint16_t type) {
  std::string out;
  put16(out, id);
  put16(out, 0x0100);  // RD
  put16(out, 1);
  put16(out, 0);
  put16(out, 0);
  put16(out, 0);
  out += encode_name(name);
  put16(out, type);
  put16(out, 1);
  return out;
}

std::optional<Question> parse_question(std::string_view p) {
  if (p.size() < 12 || get16(p, 4) < 1) return std::nullopt;
  Question q;
  q.id = static_cast<uint16_t>(get16(p, 0));
  size_t at = 12;
  while (at < p.size() && p[at] != 0) {
    auto len = static_cast<unsigned char>(p[at]);
    if (len > 63 || at + 1 + len >= p.size()) return std::nullopt;
    if (!q.name.empty()) q.name.push_back('.');
    for (size_t i = 0; i < len; ++i) {
      q.name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(p[at + 1 + i]))));
    }
    at += 1 + len;
  }
  if (at + 5 > p.size()) return std::nullopt;
  q.type = static_cast<uint16_t>(get16(p, at + 1));
  q.end = at + 5;
  return q;
}

std::string rr_mx(uint16_t preference, std::string_view exchange) {
  std::string rdata;
  put16(rdata, preference);
  rdata += encode_name(exchange);
  return rr(kTypeMx, rdata);
}

std::string rr_a(std::string_view ipv4) {
  unsigned char b[4];
  if (inet_pton(AF_INET, std::string(ipv4).c_str(), b) != 1) throw std::invalid_argument("rr_a");
  return rr(kTypeA, std::string(reinterpret_cast<char*>(b), 4));
}

std::string rr_aaaa(std::string_view ipv6) {
  unsigned char b[16];
  if (inet_pton(AF_INET6, std::string(ipv6).c_str(), b) != 1) throw std::invalid_argument("rr_aaaa");
  return rr(kTypeAaaa, std::string(reinterpret_cast<char*>(b), 16));
}

std::string make_reply(std::string_view query, int rcode, const std::vector<std::string>& answers) {
  auto q = parse_question(query);
  if (!q) throw std::invalid_argument("make_reply: not a query");
  std::string out;
  put16(out, q->id);
  put16(out, 0x8180 | (rcode & 0xf));  // QR, RD, RA
  put16(out, 1);
  put16(out, static_cast<unsigned>(answers.size()));
  put16(out, 0);
  put16(out, 0);
  out += query.substr(12, q->end - 12);
  for (const auto& a : answers) out += a;
  return out;
}

}  // namespace pillarbox::dns::test
