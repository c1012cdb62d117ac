// Tests for Resolver configuration: server entries ("ip", "ip:port",
// "[v6]:port"), bad options, and the system configuration path through a
// resolv.conf of our own. No queries: no server needed.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>

#include "libcore/dns/server_list.hpp"
#include "test_zone.hpp"

using namespace pillarbox;
using namespace pillarbox::dns;
using namespace pillarbox::dns::test;

TEST_CASE("dns: Server entries parse with and without a port", "[dns][config]") {
  CHECK(*parse_server("192.0.2.53") == ServerAddress{false, "192.0.2.53", 53});
  CHECK(*parse_server("127.0.0.1:5353") == ServerAddress{false, "127.0.0.1", 5353});
  CHECK(*parse_server("2001:db8::53") == ServerAddress{true, "2001:db8::53", 53});
  CHECK(*parse_server("::1") == ServerAddress{true, "::1", 53});
  CHECK(*parse_server("[::1]:5353") == ServerAddress{true, "::1", 5353});
  CHECK(*parse_server("[2001:db8::1]") == ServerAddress{true, "2001:db8::1", 53});
}

TEST_CASE("dns: Bad server entries are InvalidInput naming the entry", "[dns][config]") {
  const std::vector<std::string> bad_entries = {
      "",         "dns.example.com", "192.0.2.300", "127.0.0.1:",     "127.0.0.1:0", "127.0.0.1:65536",
      "127.0.0.1:53x", "[::1",       "[::1]5353",   "[192.0.2.1]:53", "[::1]:"};
  for (const auto& bad : bad_entries) {
    INFO("entry: " << bad);
    auto s = parse_server(bad);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == ErrorCode::InvalidInput);
    CHECK(s.error().message.find("\"" + bad + "\"") != std::string::npos);
  }
  auto list = parse_servers({"127.0.0.1", "nonsense"});
  REQUIRE_FALSE(list.ok());
  CHECK(list.error().message == "name server \"nonsense\": not an IPv4 address");
}

TEST_CASE("dns: Resolver::create refuses bad options", "[dns][config]") {
  event::Loop loop;
  Options bad_server;
  bad_server.servers = {"127.0.0.1:99999"};
  auto a = Resolver::create(loop, bad_server);
  REQUIRE_FALSE(a.ok());
  CHECK(a.error().code == ErrorCode::InvalidInput);

  Options bad_tries;
  bad_tries.tries = -1;
  CHECK(Resolver::create(loop, bad_tries).error().code == ErrorCode::InvalidInput);

  Options bad_limit;
  bad_limit.max_mx_hosts = 0;
  CHECK(Resolver::create(loop, bad_limit).error().code == ErrorCode::InvalidInput);

  Options bad_flight;
  bad_flight.max_in_flight = 0;
  CHECK(Resolver::create(loop, bad_flight).error().code == ErrorCode::InvalidInput);
}

TEST_CASE("dns: Resolver::create with the system configuration succeeds", "[dns][config]") {
  event::Loop loop;
  auto r = Resolver::create(loop, Options{});
  CHECK(r.ok());
}

TEST_CASE("dns: Explicit servers are used as given and in order", "[dns][config]") {
  event::Loop loop;
  Options o;
  o.servers = {"127.0.0.1:5353", "192.0.2.53", "[2001:db8::53]:5300"};
  auto r = make_resolver(loop, o);
  CHECK(r.servers() == std::vector<std::string>{"127.0.0.1:5353", "192.0.2.53:53", "[2001:db8::53]:5300"});
}

// resolv.conf cannot name a port, so this checks what was read rather than
// querying through it.
TEST_CASE("dns: An empty server list reads the given resolv.conf", "[dns][config]") {
  char path[] = "/tmp/pillarbox-resolv-XXXXXX";
  int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  ::close(fd);
  struct Unlink {
    const char* p;
    ~Unlink() { ::unlink(p); }
  } unlink_at_end{path};
  {
    std::ofstream out(path);
    out << "# test\nnameserver 192.0.2.53\nnameserver 2001:db8::53\noptions timeout:1 attempts:1\n";
  }
  event::Loop loop;
  {
    Options o;
    o.resolv_conf = path;
    auto r = make_resolver(loop, o);
    CHECK(r.servers() == std::vector<std::string>{"192.0.2.53:53", "[2001:db8::53]:53"});
  }
}

TEST_CASE("dns: A resolv.conf that cannot be read is InvalidInput", "[dns][config]") {
  event::Loop loop;
  Options o;
  o.resolv_conf = "/nonexistent/pillarbox/resolv.conf";
  auto r = Resolver::create(loop, o);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::InvalidInput);
  CHECK(r.error().message == "cannot read /nonexistent/pillarbox/resolv.conf");
}
