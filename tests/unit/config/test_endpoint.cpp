// parse_endpoint: the "address:port" entries of the listen section.
#include <catch2/catch.hpp>

#include "libcore/config/endpoint.hpp"

using pillarbox::config::Endpoint;
using pillarbox::config::parse_endpoint;

namespace {
std::string problem(std::string_view text) {
  auto r = parse_endpoint(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == pillarbox::ErrorCode::InvalidInput);
  return r.error().message;
}
}  // namespace

TEST_CASE("endpoint: IPv4", "[config][endpoint]") {
  auto r = parse_endpoint("127.0.0.1:2525");
  REQUIRE(r.ok());
  REQUIRE(r->size() == 1);
  CHECK((*r)[0] == Endpoint{"127.0.0.1", 2525, false});
  CHECK((*r)[0].text() == "127.0.0.1:2525");
  CHECK(parse_endpoint("0.0.0.0:25")->at(0) == Endpoint{"0.0.0.0", 25, false});
}

TEST_CASE("endpoint: IPv6 in brackets is canonicalised", "[config][endpoint]") {
  auto r = parse_endpoint("[::1]:2525");
  REQUIRE(r.ok());
  CHECK(r->at(0) == Endpoint{"::1", 2525, true});
  CHECK(r->at(0).text() == "[::1]:2525");
  CHECK(parse_endpoint("[::]:25")->at(0) == Endpoint{"::", 25, true});
  CHECK(parse_endpoint("[0:0:0:0:0:0:0:1]:25")->at(0).text() == "[::1]:25");
  CHECK(parse_endpoint("[2001:DB8::0001]:993")->at(0).text() == "[2001:db8::1]:993");
  CHECK(parse_endpoint("[::ffff:192.0.2.1]:25")->at(0).address == "::ffff:192.0.2.1");
}

TEST_CASE("endpoint: * means every IPv4 and IPv6 address", "[config][endpoint]") {
  auto r = parse_endpoint("*:25");
  REQUIRE(r.ok());
  REQUIRE(r->size() == 2);
  CHECK(r->at(0) == Endpoint{"0.0.0.0", 25, false});
  CHECK(r->at(1) == Endpoint{"::", 25, true});
}

TEST_CASE("endpoint: port range with 0 allowed", "[config][endpoint]") {
  CHECK(parse_endpoint("127.0.0.1:0")->at(0).port == 0);
  CHECK(parse_endpoint("127.0.0.1:65535")->at(0).port == 65535);
  CHECK(parse_endpoint("127.0.0.1:00025")->at(0).port == 25);
  CHECK(problem("127.0.0.1:65536") == "bad port \"65536\" (0..65535)");
  CHECK(problem("127.0.0.1:123456") == "bad port \"123456\" (0..65535)");
  CHECK(problem("127.0.0.1:-1") == "bad port \"-1\" (0..65535)");
  CHECK(problem("127.0.0.1:2x") == "bad port \"2x\" (0..65535)");
  CHECK(problem("127.0.0.1: 25") == "bad port \" 25\" (0..65535)");
  CHECK(problem("127.0.0.1:") == "missing port after ':'");
  CHECK(problem("[::1]:") == "missing port after ':'");
}

TEST_CASE("endpoint: bad addresses", "[config][endpoint]") {
  CHECK(problem("") == "empty address (expected \"address:port\")");
  CHECK(problem("127.0.0.1") == "missing port in \"127.0.0.1\" (expected \"address:port\")");
  CHECK(problem("[::1]") == "missing port in \"[::1]\" (expected \"[address]:port\")");
  CHECK(problem("[::1]25") == "missing port in \"[::1]25\" (expected \"[address]:port\")");
  CHECK(problem("[::1:25") == "bad address \"[::1:25\": missing ']'");
  CHECK(problem("::1:25") == "bad address \"::1:25\": write IPv6 addresses in brackets, \"[::1]:25\"");
  CHECK(problem("localhost:25") ==
        "bad address \"localhost\" (expected a numeric IPv4 address, [IPv6] or *)");
  CHECK(problem("256.0.0.1:25") ==
        "bad address \"256.0.0.1\" (expected a numeric IPv4 address, [IPv6] or *)");
  CHECK(problem(":25") == "bad address \"\" (expected a numeric IPv4 address, [IPv6] or *)");
  CHECK(problem("[127.0.0.1]:25") ==
        "bad address \"127.0.0.1\" (expected a numeric IPv4 address, [IPv6] or *)");
  CHECK(problem("[*]:25") == "bad address \"*\" (expected a numeric IPv4 address, [IPv6] or *)");
  CHECK(problem("[fe80::1%eth0]:25") ==
        "bad address \"fe80::1%eth0\" (expected a numeric IPv4 address, [IPv6] or *)");
}
