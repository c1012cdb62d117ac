// libcore/config: parsing the bootstrap file. Defaults, every key, comments,
// path resolution, the default file's round trip, load() from disk and the
// shipped example. Error messages are in test_config_errors.cpp.
#include <catch2/catch.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "libcore/config/config.hpp"

using namespace pillarbox;
using config::Bootstrap;
using config::Endpoint;

namespace {

Bootstrap parse_ok(std::string_view text, std::string_view base = "/etc/pillarbox") {
  auto r = config::parse(text, "test.conf", base);
  if (!r) FAIL(r.error().message);
  return std::move(r).value();
}

std::vector<std::string> texts(const std::vector<Endpoint>& endpoints) {
  std::vector<std::string> out;
  for (const auto& e : endpoints) out.push_back(e.text());
  return out;
}

std::string local_hostname() {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  return name[0] ? name : "localhost";
}

// A fresh directory removed at the end of the test.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "pillarbox-config-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

void check_default_children(const Bootstrap& b) {
  REQUIRE(b.children.size() == 6);
  CHECK(b.children[0].name == "smtpd");
  CHECK(b.children[0].services == std::vector<std::string>{"smtp", "submission", "smtps"});
  CHECK(b.children[1].name == "pop3d");
  CHECK(b.children[1].services == std::vector<std::string>{"pop3", "pop3s"});
  CHECK(b.children[2].name == "imapd");
  CHECK(b.children[2].services == std::vector<std::string>{"imap", "imaps"});
  CHECK(b.children[3].name == "collectord");
  CHECK(b.children[3].services.empty());
  CHECK(b.children[4].name == "senderd");
  CHECK(b.children[4].services.empty());
  CHECK(b.children[5].name == "adminhttpd");
  CHECK(b.children[5].services == std::vector<std::string>{"admin"});
  for (const auto& c : b.children) {
    CHECK(c.program.empty());
    CHECK(c.args.empty());
  }
}

// Everything but data_dir and file, which the callers check themselves.
void check_defaults(const Bootstrap& b) {
  CHECK(b.database.empty());
  CHECK(b.user == "pillarbox");
  CHECK(b.hostname == local_hostname());
  REQUIRE(b.listen.size() == 5);
  CHECK(texts(b.listen.at("smtp")) == std::vector<std::string>{"127.0.0.1:2525"});
  CHECK(texts(b.listen.at("submission")) == std::vector<std::string>{"127.0.0.1:2587"});
  CHECK(texts(b.listen.at("pop3")) == std::vector<std::string>{"127.0.0.1:2110"});
  CHECK(texts(b.listen.at("imap")) == std::vector<std::string>{"127.0.0.1:2143"});
  CHECK(texts(b.listen.at("admin")) == std::vector<std::string>{"127.0.0.1:5108"});
  CHECK(b.tls_cert.empty());
  CHECK(b.tls_key.empty());
  CHECK(b.log_level == log::Level::Info);
  CHECK(b.heartbeat_interval == 5);
  CHECK(b.heartbeat_timeout == 30);
  CHECK(b.shutdown_timeout == 10);
  check_default_children(b);
}

}  // namespace

TEST_CASE("config: known services", "[config]") {
  CHECK(config::known_services() ==
        std::vector<std::string>{"smtp", "submission", "smtps", "pop3", "pop3s", "imap", "imaps", "admin"});
}

TEST_CASE("config: an empty object gives every default", "[config]") {
  Bootstrap b = parse_ok("{}");
  CHECK(b.file.empty());
  CHECK(b.data_dir == "/var/lib/pillarbox");
  check_defaults(b);
}

TEST_CASE("config: every key", "[config]") {
  Bootstrap b = parse_ok(R"({
    "data_dir": "/srv/mail",
    "database": "postgresql://pb@db.example.org/pillarbox",
    "user": "mailer",
    "hostname": "mail.example.org",
    "listen": {
      "smtp": ["0.0.0.0:25", "[::]:25"],
      "submission": ["*:587"],
      "smtps": ["127.0.0.1:465"],
      "pop3": [],
      "pop3s": ["[::1]:995"],
      "imap": ["127.0.0.1:143", "192.0.2.7:143"],
      "imaps": ["*:993"],
      "admin": ["127.0.0.1:0"]
    },
    "tls": { "cert": "/etc/ssl/mail.pem", "key": "/etc/ssl/private/mail.key" },
    "log": { "level": "debug" },
    "heartbeat": { "interval": 0.5, "timeout": 2.25 },
    "shutdown_timeout": 3,
    "children": {
      "smtpd": { "program": "/opt/pb/smtpd", "services": ["smtp", "submission", "smtps"], "args": ["--verbose"] },
      "mail-access_2": { "program": "/opt/pb/both", "services": ["pop3s", "imap", "imaps"] },
      "adminhttpd": { "services": ["admin"], "args": [] },
      "senderd": {}
    }
  })");
  CHECK(b.data_dir == "/srv/mail");
  CHECK(b.database == "postgresql://pb@db.example.org/pillarbox");
  CHECK(b.user == "mailer");
  CHECK(b.hostname == "mail.example.org");
  CHECK(b.listen.size() == 7);
  CHECK(b.listen.count("pop3") == 0);
  CHECK(texts(b.listen.at("smtp")) == std::vector<std::string>{"0.0.0.0:25", "[::]:25"});
  CHECK(texts(b.listen.at("submission")) == std::vector<std::string>{"0.0.0.0:587", "[::]:587"});
  CHECK(texts(b.listen.at("smtps")) == std::vector<std::string>{"127.0.0.1:465"});
  CHECK(texts(b.listen.at("pop3s")) == std::vector<std::string>{"[::1]:995"});
  CHECK(b.listen.at("pop3s")[0] == Endpoint{"::1", 995, true});
  CHECK(texts(b.listen.at("imap")) == std::vector<std::string>{"127.0.0.1:143", "192.0.2.7:143"});
  CHECK(texts(b.listen.at("imaps")) == std::vector<std::string>{"0.0.0.0:993", "[::]:993"});
  CHECK(b.listen.at("admin")[0] == Endpoint{"127.0.0.1", 0, false});
  CHECK(b.tls_cert == "/etc/ssl/mail.pem");
  CHECK(b.tls_key == "/etc/ssl/private/mail.key");
  CHECK(b.log_level == log::Level::Debug);
  CHECK(b.heartbeat_interval == 0.5);
  CHECK(b.heartbeat_timeout == 2.25);
  CHECK(b.shutdown_timeout == 3);
  REQUIRE(b.children.size() == 4);  // in file order
  CHECK(b.children[0].name == "smtpd");
  CHECK(b.children[0].program == "/opt/pb/smtpd");
  CHECK(b.children[0].args == std::vector<std::string>{"--verbose"});
  CHECK(b.children[1].name == "mail-access_2");
  CHECK(b.children[1].services == std::vector<std::string>{"pop3s", "imap", "imaps"});
  CHECK(b.children[2].name == "adminhttpd");
  CHECK(b.children[2].program.empty());
  CHECK(b.children[3].name == "senderd");
  CHECK(b.children[3].services.empty());
}

TEST_CASE("config: log levels", "[config]") {
  CHECK(parse_ok(R"({"log": {"level": "debug"}})").log_level == log::Level::Debug);
  CHECK(parse_ok(R"({"log": {"level": "info"}})").log_level == log::Level::Info);
  CHECK(parse_ok(R"({"log": {"level": "warning"}})").log_level == log::Level::Warning);
  CHECK(parse_ok(R"({"log": {"level": "error"}})").log_level == log::Level::Error);
  CHECK(parse_ok(R"({"log": {}})").log_level == log::Level::Info);
}

TEST_CASE("config: comments of both styles", "[config]") {
  Bootstrap b = parse_ok(
      "// leading comment\n"
      "{\n"
      "  /* block\n"
      "     \"user\": \"not-this\", */\n"
      "  \"user\": \"mailer\", // trailing\n"
      "  \"heartbeat\": { /* inline */ \"interval\": 1 }\n"
      "}\n"
      "// after\n");
  CHECK(b.user == "mailer");
  CHECK(b.heartbeat_interval == 1);
}

TEST_CASE("config: relative paths resolve against the config directory", "[config]") {
  Bootstrap b = parse_ok(R"({
    "data_dir": "data",
    "tls": { "cert": "../certs/./mail.pem", "key": "/abs/mail.key" },
    "children": { "smtpd": { "program": "bin/smtpd", "services": ["smtp", "submission", "smtps"] },
                  "pop3d": { "program": "/usr/lib/pillarbox/pop3d", "services": ["pop3"] },
                  "imapd": { "services": ["imap"] },
                  "adminhttpd": { "program": "adminhttpd", "services": ["admin"] } }
  })",
                         "/etc/pillarbox");
  CHECK(b.data_dir == "/etc/pillarbox/data");
  CHECK(b.tls_cert == "/etc/certs/mail.pem");
  CHECK(b.tls_key == "/abs/mail.key");
  CHECK(b.children[0].program == "/etc/pillarbox/bin/smtpd");
  CHECK(b.children[1].program == "/usr/lib/pillarbox/pop3d");
  CHECK(b.children[2].program.empty());
  CHECK(b.children[3].program == "/etc/pillarbox/adminhttpd");

  CHECK(parse_ok(R"({"data_dir": "."})", "/srv/pb/").data_dir == "/srv/pb");
  CHECK(parse_ok(R"({"data_dir": "./x/"})", "/srv/pb").data_dir == "/srv/pb/x");
  CHECK(parse_ok(R"({"data_dir": "x"})", "").data_dir == "x");
}

TEST_CASE("config: listen replaces the default set and an empty list disables", "[config]") {
  Bootstrap b = parse_ok(R"({"listen": {"smtp": ["127.0.0.1:0"], "imap": []}})");
  REQUIRE(b.listen.size() == 1);
  CHECK(texts(b.listen.at("smtp")) == std::vector<std::string>{"127.0.0.1:0"});
  CHECK(parse_ok(R"({"listen": {}})").listen.empty());
}

TEST_CASE("config: port 0 may repeat and an empty hostname means the system one", "[config]") {
  Bootstrap b = parse_ok(R"({"listen": {"smtp": ["127.0.0.1:0", "127.0.0.1:0"], "pop3": ["127.0.0.1:0"]},
                             "hostname": ""})");
  CHECK(b.listen.at("smtp").size() == 2);
  CHECK(b.hostname == local_hostname());
}

TEST_CASE("config: children without listened services are fine with listen given", "[config]") {
  Bootstrap b = parse_ok(R"({"listen": {"smtp": ["127.0.0.1:0"]},
                             "children": {"fake": {"program": "/bin/true", "services": ["smtp"]}}})");
  REQUIRE(b.children.size() == 1);
  CHECK(b.children[0].name == "fake");
  CHECK(parse_ok(R"({"listen": {}, "children": {}})").children.empty());
}

TEST_CASE("config: default_text parses back to the defaults", "[config]") {
  std::string text = config::default_text("/var/lib/pb data \"quoted\"");
  CHECK(text.find("//") != std::string::npos);
  Bootstrap b = parse_ok(text, "/anywhere");
  CHECK(b.data_dir == "/var/lib/pb data \"quoted\"");
  check_defaults(b);

  Bootstrap relative = parse_ok(config::default_text("."), "/srv/pb");
  CHECK(relative.data_dir == "/srv/pb");
  check_defaults(relative);
}

TEST_CASE("config: load reads a file and resolves against its directory", "[config]") {
  TempDir dir;
  std::filesystem::path file = dir.path / "pillarbox.conf";
  std::ofstream(file) << config::default_text("data");
  auto b = config::load(file.string());
  REQUIRE(b.ok());
  CHECK(b->file == file.string());
  CHECK(b->data_dir == (dir.path / "data").string());
  check_defaults(*b);
}

TEST_CASE("config: load of a relative path gives absolute paths", "[config]") {
  TempDir dir;
  std::ofstream(dir.path / "pillarbox.conf") << R"({"data_dir": "d"})";
  std::filesystem::path old = std::filesystem::current_path();
  std::filesystem::current_path(dir.path);
  auto b = config::load("pillarbox.conf");
  std::filesystem::current_path(old);
  REQUIRE(b.ok());
  CHECK(b->file == (dir.path / "pillarbox.conf").string());
  CHECK(b->data_dir == (dir.path / "d").string());
}

TEST_CASE("config: load of a missing file names the path", "[config]") {
  TempDir dir;
  std::string path = (dir.path / "nope.conf").string();
  auto b = config::load(path);
  REQUIRE_FALSE(b.ok());
  CHECK(b.error().code == ErrorCode::NotFound);
  CHECK(b.error().message == "cannot read config file " + path + ": No such file or directory");
}

TEST_CASE("config: load of a directory fails clearly", "[config]") {
  TempDir dir;
  auto b = config::load(dir.path.string());
  REQUIRE_FALSE(b.ok());
  CHECK(b.error().message == "cannot read config file " + dir.path.string() + ": Is a directory");
}

TEST_CASE("config: load errors carry the path and line", "[config]") {
  TempDir dir;
  std::string path = (dir.path / "bad.conf").string();
  std::ofstream(path) << "{\n  \"user\": 7\n}\n";
  auto b = config::load(path);
  REQUIRE_FALSE(b.ok());
  CHECK(b.error().code == ErrorCode::InvalidInput);
  CHECK(b.error().message == path + ":2: user: must be a string");
}

TEST_CASE("config: the shipped example parses", "[config]") {
  std::string path = std::string(PILLARBOX_SOURCE_DIR) + "/config/pillarbox.conf.example";
  auto b = config::load(path);
  if (!b) FAIL(b.error().message);
  CHECK(b->listen.count("smtp") == 1);
  CHECK(b->children.size() == 6);
}
