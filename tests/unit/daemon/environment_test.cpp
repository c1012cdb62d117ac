// Unit tests for libcore/daemon/environment: PILLARBOX_LISTEN_FDS parsing and
// formatting, read_environment() through a map-backed getter, and the
// to_variables() -> read_environment() round trip a child relies on.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "libcore/daemon/environment.hpp"

using namespace pillarbox;
using namespace pillarbox::daemon;

namespace {

// A fake environment: get() returns nullptr for keys that are not set.
struct FakeEnv {
  std::map<std::string, std::string> vars;

  Expected<Environment> read() const {
    return read_environment([this](const char* key) -> const char* {
      auto it = vars.find(key);
      return it == vars.end() ? nullptr : it->second.c_str();
    });
  }
};

FakeEnv minimal() {
  return FakeEnv{{{"PILLARBOX_NAME", "smtpd"}, {"PILLARBOX_BUS", "/run/pillarbox/bus.sock"}}};
}

// "KEY=value" entries, split at the first '=' as getenv would see them.
FakeEnv from_variables(const std::vector<std::string>& entries) {
  FakeEnv env;
  for (auto& e : entries) {
    auto eq = e.find('=');
    REQUIRE(eq != std::string::npos);
    env.vars[e.substr(0, eq)] = e.substr(eq + 1);
  }
  return env;
}

}  // namespace

TEST_CASE("parse_listen_fds of empty text gives no listeners", "[environment]") {
  auto r = parse_listen_fds("");
  REQUIRE(r.ok());
  CHECK(r->empty());
}

TEST_CASE("parse_listen_fds reads fd and service pairs in order", "[environment]") {
  auto r = parse_listen_fds("3:smtp,4:submission");
  REQUIRE(r.ok());
  REQUIRE(r->size() == 2);
  CHECK((*r)[0] == Listener{3, "smtp"});
  CHECK((*r)[1] == Listener{4, "submission"});
}

TEST_CASE("parse_listen_fds accepts digits underscore and dash in services", "[environment]") {
  auto r = parse_listen_fds("10:imap_tls-2,65535:pop3");
  REQUIRE(r.ok());
  REQUIRE(r->size() == 2);
  CHECK((*r)[0] == Listener{10, "imap_tls-2"});
  CHECK((*r)[1] == Listener{65535, "pop3"});
}

TEST_CASE("parse_listen_fds rejects bad entries", "[environment]") {
  for (const char* bad : {
           "2:smtp",             // stdin/stdout/stderr are not listeners
           "0:smtp",
           "x:smtp",             // not a number
           "3:",                 // no service
           "3:SMTP!",            // upper case and punctuation
           "3:Smtp",
           "3:smtp:x",           // a second colon
           "3",                  // no colon
           ":smtp",              // no fd
           "-3:smtp",
           "+3:smtp",
           " 3:smtp",
           "3 :smtp",
           "65536:smtp",         // above the limit
           "99999999999999999999999:smtp",
           "3:smtp,,4:imap",     // empty item
           ",3:smtp",
           "3:smtp,4",           // second entry broken
           "3:abcdefghijklmnopqrstuvwxyz0123456",  // 33 characters
       }) {
    INFO("text '" << bad << "'");
    auto r = parse_listen_fds(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::InvalidInput);
    CHECK(r.error().message.find("PILLARBOX_LISTEN_FDS") != std::string::npos);
  }
}

TEST_CASE("parse_listen_fds accepts a 32 character service", "[environment]") {
  auto r = parse_listen_fds("3:abcdefghijklmnopqrstuvwxyz012345");
  REQUIRE(r.ok());
  CHECK((*r)[0].service.size() == 32);
}

TEST_CASE("parse_listen_fds error names the offending entry", "[environment]") {
  auto r = parse_listen_fds("3:smtp,x:imap");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("x:imap") != std::string::npos);

  auto s = parse_listen_fds("3:smtp,4:IMAP");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message.find("4:IMAP") != std::string::npos);
}

TEST_CASE("parse_listen_fds rejects a duplicate fd", "[environment]") {
  auto r = parse_listen_fds("3:smtp,4:submission,3:imap");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::InvalidInput);
  CHECK(r.error().message.find("fd 3") != std::string::npos);
  CHECK(r.error().message.find("twice") != std::string::npos);
}

TEST_CASE("format_listen_fds joins entries with commas", "[environment]") {
  CHECK(format_listen_fds({}) == "");
  CHECK(format_listen_fds({{3, "smtp"}}) == "3:smtp");
  CHECK(format_listen_fds({{3, "smtp"}, {4, "submission"}, {7, "imap"}}) == "3:smtp,4:submission,7:imap");
}

TEST_CASE("format then parse listen fds round trips", "[environment]") {
  std::vector<std::vector<Listener>> cases = {
      {},
      {{3, "smtp"}},
      {{3, "smtp"}, {4, "submission"}, {5, "imap"}, {6, "pop3"}, {9, "lmtp_local"}},
      {{100, "a-b_c"}, {3, "x"}},
  };
  for (auto& listeners : cases) {
    std::string text = format_listen_fds(listeners);
    INFO("text '" << text << "'");
    auto r = parse_listen_fds(text);
    REQUIRE(r.ok());
    CHECK(*r == listeners);
    CHECK(format_listen_fds(*r) == text);
  }
}

TEST_CASE("read_environment with only the required variables uses defaults", "[environment]") {
  auto r = minimal().read();
  REQUIRE(r.ok());
  CHECK(r->name == "smtpd");
  CHECK(r->bus_path == "/run/pillarbox/bus.sock");
  CHECK(r->listeners.empty());
  CHECK(r->database.empty());
  CHECK(r->config_path.empty());
  CHECK(r->heartbeat_ms == 5000);
  CHECK(r->shutdown_ms == 10000);
}

TEST_CASE("read_environment reads every variable", "[environment]") {
  FakeEnv env = minimal();
  env.vars["PILLARBOX_LISTEN_FDS"] = "3:smtp,4:submission";
  env.vars["PILLARBOX_DATABASE"] = "host=/run/postgresql dbname=pillarbox";
  env.vars["PILLARBOX_CONFIG"] = "/data/pillarbox.conf";
  env.vars["PILLARBOX_HEARTBEAT_MS"] = "250";
  env.vars["PILLARBOX_SHUTDOWN_MS"] = "30000";
  auto r = env.read();
  REQUIRE(r.ok());
  CHECK(r->listeners == std::vector<Listener>{{3, "smtp"}, {4, "submission"}});
  CHECK(r->database == "host=/run/postgresql dbname=pillarbox");
  CHECK(r->config_path == "/data/pillarbox.conf");
  CHECK(r->heartbeat_ms == 250);
  CHECK(r->shutdown_ms == 30000);
}

TEST_CASE("read_environment without NAME or BUS explains who starts the program", "[environment]") {
  std::vector<FakeEnv> cases;
  cases.push_back(FakeEnv{});
  cases.push_back(FakeEnv{{{"PILLARBOX_NAME", "smtpd"}}});
  cases.push_back(FakeEnv{{{"PILLARBOX_BUS", "/run/bus.sock"}}});
  cases.push_back(FakeEnv{{{"PILLARBOX_NAME", ""}, {"PILLARBOX_BUS", "/run/bus.sock"}}});
  cases.push_back(FakeEnv{{{"PILLARBOX_NAME", "smtpd"}, {"PILLARBOX_BUS", ""}}});
  for (size_t i = 0; i < cases.size(); ++i) {
    INFO("case " << i);
    auto r = cases[i].read();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::InvalidInput);
    CHECK(r.error().message.find("PILLARBOX_NAME") != std::string::npos);
    CHECK(r.error().message.find("PILLARBOX_BUS") != std::string::npos);
    CHECK(r.error().message.find("pillarboxd") != std::string::npos);
  }
}

TEST_CASE("read_environment passes on a bad LISTEN_FDS error", "[environment]") {
  FakeEnv env = minimal();
  env.vars["PILLARBOX_LISTEN_FDS"] = "3:smtp,3:imap";
  auto r = env.read();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::InvalidInput);
  CHECK(r.error().message.find("PILLARBOX_LISTEN_FDS") != std::string::npos);
}

TEST_CASE("read_environment treats empty timing variables as unset", "[environment]") {
  FakeEnv env = minimal();
  env.vars["PILLARBOX_HEARTBEAT_MS"] = "";
  env.vars["PILLARBOX_SHUTDOWN_MS"] = "";
  auto r = env.read();
  REQUIRE(r.ok());
  CHECK(r->heartbeat_ms == 5000);
  CHECK(r->shutdown_ms == 10000);
}

TEST_CASE("read_environment accepts large timing values", "[environment]") {
  FakeEnv env = minimal();
  env.vars["PILLARBOX_HEARTBEAT_MS"] = "1";
  env.vars["PILLARBOX_SHUTDOWN_MS"] = "18446744073709551615";
  auto r = env.read();
  REQUIRE(r.ok());
  CHECK(r->heartbeat_ms == 1);
  CHECK(r->shutdown_ms == 18446744073709551615ULL);
}

TEST_CASE("read_environment rejects bad timing numbers", "[environment]") {
  for (const char* key : {"PILLARBOX_HEARTBEAT_MS", "PILLARBOX_SHUTDOWN_MS"}) {
    for (const char* bad : {"0", "-1", "abc", "5s", "5000ms", " 5000", "5000 ", "1.5", "0x10",
                            "18446744073709551616", "+5"}) {
      INFO(key << "='" << bad << "'");
      FakeEnv env = minimal();
      env.vars[key] = bad;
      auto r = env.read();
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == ErrorCode::InvalidInput);
      CHECK(r.error().message.find(key) != std::string::npos);
      CHECK(r.error().message.find(bad) != std::string::npos);
    }
  }
}

TEST_CASE("to_variables lists every variable once", "[environment]") {
  Environment env;
  env.name = "imapd";
  env.bus_path = "/run/bus.sock";
  auto vars = to_variables(env);
  std::map<std::string, int> seen;
  for (auto& v : vars) {
    auto eq = v.find('=');
    REQUIRE(eq != std::string::npos);
    ++seen[v.substr(0, eq)];
  }
  for (const char* key : {"PILLARBOX_NAME", "PILLARBOX_LISTEN_FDS", "PILLARBOX_BUS", "PILLARBOX_DATABASE",
                          "PILLARBOX_CONFIG", "PILLARBOX_HEARTBEAT_MS", "PILLARBOX_SHUTDOWN_MS"}) {
    INFO(key);
    CHECK(seen[key] == 1);
  }
  CHECK(seen.size() == 7);
}

TEST_CASE("to_variables then read_environment round trips", "[environment]") {
  Environment env;
  env.name = "submissiond";
  env.listeners = {{3, "submission"}, {4, "submissions"}, {12, "smtp-alt"}};
  env.bus_path = "/data/run/bus.sock";
  env.database = "host=/data/run port=5433 dbname=pillarbox user=pillarbox";
  env.config_path = "/data/pillarbox.conf";
  env.heartbeat_ms = 1234;
  env.shutdown_ms = 98765;

  auto r = from_variables(to_variables(env)).read();
  REQUIRE(r.ok());
  CHECK(r->name == env.name);
  CHECK(r->listeners == env.listeners);
  CHECK(r->bus_path == env.bus_path);
  CHECK(r->database == env.database);
  CHECK(r->config_path == env.config_path);
  CHECK(r->heartbeat_ms == env.heartbeat_ms);
  CHECK(r->shutdown_ms == env.shutdown_ms);
}

TEST_CASE("to_variables round trips the defaults and no listeners", "[environment]") {
  Environment env;
  env.name = "lmtpd";
  env.bus_path = "/run/bus.sock";
  auto r = from_variables(to_variables(env)).read();
  REQUIRE(r.ok());
  CHECK(r->listeners.empty());
  CHECK(r->database.empty());
  CHECK(r->config_path.empty());
  CHECK(r->heartbeat_ms == 5000);
  CHECK(r->shutdown_ms == 10000);
}
