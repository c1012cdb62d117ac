// Just enough of the DNS wire format (RFC 1035 §4) for the tests: a query to
// probe a server, the question of a received query, and replies built from
// hand-made records. For the fake server and the dnsmasq readiness probe;
// never for production code (c-ares does that).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pillarbox::dns::test {

constexpr uint16_t kTypeA = 1;
constexpr uint16_t kTypeMx = 15;
constexpr uint16_t kTypeAaaa = 28;

constexpr int kNoError = 0;
constexpr int kServFail = 2;
constexpr int kNxDomain = 3;
constexpr int kRefused = 5;

struct Question {
  uint16_t id = 0;
  std::string name;  // lower case, no trailing dot
  uint16_t type = 0;
  size_t end = 0;  // offset just past the question section
};

// A recursive query with one question.
std::string make_query(uint16_t id, std::string_view name, uint16_t type);

// The first question of a query; nullopt when the packet is not one.
std::optional<Question> parse_question(std::string_view packet);

// Answer records owned by the question's name (a pointer to offset 12).
std::string rr_mx(uint16_t preference, std::string_view exchange);  // "" or ".": null MX
std::string rr_a(std::string_view ipv4);
std::string rr_aaaa(std::string_view ipv6);

// A reply to `query` with `rcode` and the given answer records.
std::string make_reply(std::string_view query, int rcode, const std::vector<std::string>& answers = {});

}  // namespace pillarbox::dns::test
