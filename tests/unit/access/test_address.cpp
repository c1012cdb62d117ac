// IpAddress: numeric parsing, canonical text, IPv4-mapped IPv6 as IPv4,
// socket addresses; and the Service names.
#include <arpa/inet.h>
#include <netinet/in.h>

#include <catch2/catch.hpp>

#include "libcore/access/ip_address.hpp"
#include "libcore/access/service.hpp"

using pillarbox::access::IpAddress;

namespace {
std::string problem(std::string_view text) {
  auto r = IpAddress::parse(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == pillarbox::ErrorCode::InvalidInput);
  return r.error().message;
}
}  // namespace

TEST_CASE("address: canonical text of valid addresses", "[access][address]") {
  struct Case {
    const char* in;
    const char* text;
    bool v6;
  };
  const Case cases[] = {
      {"192.0.2.1", "192.0.2.1", false},
      {"0.0.0.0", "0.0.0.0", false},
      {"255.255.255.255", "255.255.255.255", false},
      {"::1", "::1", true},
      {"2001:DB8:0:0::0001", "2001:db8::1", true},
      {"fd12:3456:789a:1::25", "fd12:3456:789a:1::25", true},
      {"::ffff:192.168.1.9", "192.168.1.9", false},  // IPv4-mapped: the IPv4 address
      {"::FFFF:c0a8:0109", "192.168.1.9", false},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.in) {
      auto a = IpAddress::parse(c.in);
      REQUIRE(a.ok());
      CHECK(a->text() == c.text);
      CHECK(a->v6() == c.v6);
      CHECK(a->bits() == (c.v6 ? 128 : 32));
    }
  }
}

TEST_CASE("address: mapped and plain IPv4 compare equal", "[access][address]") {
  CHECK(*IpAddress::parse("::ffff:10.1.2.3") == *IpAddress::parse("10.1.2.3"));
  CHECK_FALSE(*IpAddress::parse("::10.1.2.3") == *IpAddress::parse("10.1.2.3"));  // not mapped
  CHECK(IpAddress::parse("0.0.0.0")->unspecified());
  CHECK(IpAddress::parse("::")->unspecified());
  CHECK_FALSE(IpAddress::parse("::1")->unspecified());
}

TEST_CASE("address: bad addresses name the text", "[access][address]") {
  CHECK(problem("192.168.1.300") == "bad address \"192.168.1.300\": not an IPv4 or IPv6 address");
  CHECK(problem("1.2.3") == "bad address \"1.2.3\": not an IPv4 or IPv6 address");
  CHECK(problem("010.1.1.1") == "bad address \"010.1.1.1\": not an IPv4 or IPv6 address");
  CHECK(problem("mail.example.com") == "bad address \"mail.example.com\": not an IPv4 or IPv6 address");
  CHECK(problem("2001:db8::g") == "bad address \"2001:db8::g\": not an IPv6 address");
  CHECK(problem("1:2:3:4:5:6:7:8:9") == "bad address \"1:2:3:4:5:6:7:8:9\": not an IPv6 address");
  CHECK(problem("fe80::1%eth0") == "bad address \"fe80::1%eth0\": zone ids (\"%eth0\") are not supported");
  CHECK(problem("") == "bad address \"\": empty");
  CHECK(problem(" 10.0.0.1") == "bad address \" 10.0.0.1\": not an IPv4 or IPv6 address");
  CHECK(problem(std::string(60, '1')) ==
        "bad address \"" + std::string(60, '1') + "\": too long for an IPv4 or IPv6 address");
}

TEST_CASE("address: from socket addresses", "[access][address]") {
  sockaddr_in in{};
  in.sin_family = AF_INET;
  REQUIRE(inet_pton(AF_INET, "198.51.100.7", &in.sin_addr) == 1);
  auto a = IpAddress::from_sockaddr(reinterpret_cast<const sockaddr&>(in));
  REQUIRE(a.ok());
  CHECK(a->text() == "198.51.100.7");

  sockaddr_in6 in6{};
  in6.sin6_family = AF_INET6;
  REQUIRE(inet_pton(AF_INET6, "::ffff:198.51.100.7", &in6.sin6_addr) == 1);
  auto mapped = IpAddress::from_sockaddr(reinterpret_cast<const sockaddr&>(in6));
  REQUIRE(mapped.ok());
  CHECK_FALSE(mapped->v6());
  CHECK(*mapped == *a);

  REQUIRE(inet_pton(AF_INET6, "2001:db8::7", &in6.sin6_addr) == 1);
  CHECK(IpAddress::from_sockaddr(reinterpret_cast<const sockaddr&>(in6))->text() == "2001:db8::7");

  sockaddr other{};
  other.sa_family = AF_UNIX;
  auto bad = IpAddress::from_sockaddr(other);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "not an IP socket address");
}

TEST_CASE("service: names round trip", "[access][service]") {
  using pillarbox::access::Service;
  const std::pair<Service, const char*> names[] = {
      {Service::Global, "global"}, {Service::Smtp, "smtp"}, {Service::Submission, "submission"},
      {Service::Pop3, "pop3"},     {Service::Imap, "imap"}, {Service::Admin, "admin"},
  };
  for (const auto& [service, name] : names) {
    CHECK(pillarbox::access::to_string(service) == name);
    CHECK(*pillarbox::access::parse_service(name) == service);
  }
  CHECK(*pillarbox::access::parse_service("SMTP") == Service::Smtp);
  auto bad = pillarbox::access::parse_service("pop");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "unknown service \"pop\" (expected global, smtp, submission, pop3, imap or admin)");
  CHECK(pillarbox::access::allows_no_auth(Service::Smtp));
  CHECK(pillarbox::access::allows_no_auth(Service::Submission));
  CHECK_FALSE(pillarbox::access::allows_no_auth(Service::Imap));
  CHECK_FALSE(pillarbox::access::allows_no_auth(Service::Global));
}
