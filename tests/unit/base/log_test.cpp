// Unit tests for libcore/base/log: format() placeholders, parse_level(), the
// level threshold, and the shape of a line written to stderr (captured by
// swapping descriptor 2 for a pipe).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <string_view>

#include "libcore/base/log.hpp"

using namespace pillarbox;

namespace {

// Runs fn with stderr redirected into a pipe and returns what it wrote.
template <class Fn>
std::string capture_stderr(Fn fn) {
  int fds[2];
  REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
  int saved = ::dup(STDERR_FILENO);
  REQUIRE(saved >= 0);
  REQUIRE(::dup2(fds[1], STDERR_FILENO) == STDERR_FILENO);
  ::close(fds[1]);
  fn();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  return out;
}

// Restores the global level when a test changes it.
struct LevelGuard {
  log::Level saved = log::level();
  ~LevelGuard() { log::set_level(saved); }
};

}  // namespace

TEST_CASE("log format fills placeholders in order", "[log]") {
  CHECK(log::format("a {} c", "b") == "a b c");
  CHECK(log::format("{}-{}-{}", 1, 2, 3) == "1-2-3");
  CHECK(log::format("{}{}", "x", "y") == "xy");
  CHECK(log::format("user {} has {} messages", std::string("alice"), 42) == "user alice has 42 messages");
  CHECK(log::format("view {}", std::string_view("sv")) == "view sv");
}

TEST_CASE("log format without arguments returns the text as is", "[log]") {
  CHECK(log::format("plain text") == "plain text");
  CHECK(log::format("") == "");
  CHECK(log::format("left {} alone") == "left {} alone");
}

TEST_CASE("log format with fewer arguments keeps the remaining placeholders", "[log]") {
  CHECK(log::format("a {} b {} c {}", 1) == "a 1 b {} c {}");
  CHECK(log::format("{} and {}", "x") == "x and {}");
}

TEST_CASE("log format with more arguments drops the extra ones", "[log]") {
  CHECK(log::format("only {}", 1, 2, 3) == "only 1");
  CHECK(log::format("none", 1, "two") == "none");
}

TEST_CASE("log format treats a lone brace as text", "[log]") {
  CHECK(log::format("{ {} }", 5) == "{ 5 }");
  CHECK(log::format("{x}", 5) == "{x}");
}

TEST_CASE("log parse_level accepts the four names", "[log]") {
  log::Level l = log::Level::Error;
  REQUIRE(log::parse_level("debug", l));
  CHECK(l == log::Level::Debug);
  REQUIRE(log::parse_level("info", l));
  CHECK(l == log::Level::Info);
  REQUIRE(log::parse_level("warning", l));
  CHECK(l == log::Level::Warning);
  REQUIRE(log::parse_level("error", l));
  CHECK(l == log::Level::Error);
}

TEST_CASE("log parse_level rejects other text and leaves the output alone", "[log]") {
  for (std::string_view bad : {"", "Debug", "INFO", "warn", "err", "error ", " info", "trace"}) {
    log::Level l = log::Level::Warning;
    INFO("text '" << bad << "'");
    CHECK_FALSE(log::parse_level(bad, l));
    CHECK(l == log::Level::Warning);
  }
}

TEST_CASE("log set_level changes the threshold", "[log]") {
  LevelGuard guard;
  log::set_level(log::Level::Debug);
  CHECK(log::level() == log::Level::Debug);
  log::set_level(log::Level::Error);
  CHECK(log::level() == log::Level::Error);
}

TEST_CASE("log writes one line with name pid and flattened newlines", "[log]") {
  LevelGuard guard;
  log::init("logtest");
  log::set_level(log::Level::Info);
  std::string out = capture_stderr([] { log::warning("open {}: {}", "/tmp/x", "line1\nline2\rend"); });
  std::string tail = "logtest[" + std::to_string(::getpid()) + "]: open /tmp/x: line1 line2 end\n";
  REQUIRE(out.size() >= tail.size());
  CHECK(out.substr(out.size() - tail.size()) == tail);
  // Exactly one line.
  CHECK(out.find('\n') == out.size() - 1);
  log::init("pillarbox");
}

TEST_CASE("log drops lines below the level but always writes errors", "[log]") {
  LevelGuard guard;
  log::set_level(log::Level::Error);
  std::string out = capture_stderr([] {
    log::debug("hidden debug");
    log::info("hidden info");
    log::warning("hidden warning");
    log::error("shown {}", "error");
  });
  CHECK(out.find("hidden") == std::string::npos);
  CHECK(out.find("shown error\n") != std::string::npos);

  log::set_level(log::Level::Debug);
  out = capture_stderr([] { log::debug("now {}", "visible"); });
  CHECK(out.find("now visible\n") != std::string::npos);
}
