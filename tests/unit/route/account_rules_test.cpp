// Unit tests for the small account-rule functions: time windows (dates and
// times separately, open ends, over midnight), size rules, splitting address
// fields, and recognising an assistant as the sender.
#include <catch2/catch.hpp>

#include "libcore/route/account_rules.hpp"

using namespace pillarbox::route;

TEST_CASE("an empty window is always open", "[rules]") {
  CHECK(window_open(Window{}, 0, 0));
  CHECK(window_open(Window{}, 20991231, 1439));
}

TEST_CASE("window dates are inclusive and open-ended when blank", "[rules]") {
  const Window from_only{20140810, {}, {}, {}};  // admin guide example
  CHECK_FALSE(window_open(from_only, 20140809, 1439));
  CHECK(window_open(from_only, 20140810, 0));
  CHECK(window_open(from_only, 20990101, 0));
  const Window to_only{{}, 20140810, {}, {}};
  CHECK(window_open(to_only, 20000101, 0));
  CHECK(window_open(to_only, 20140810, 1439));
  CHECK_FALSE(window_open(to_only, 20140811, 0));
}

TEST_CASE("window times apply on every day of the date range", "[rules]") {
  const Window w{20070101, 20070108, 600, 720};
  CHECK(window_open(w, 20070101, 600));
  CHECK(window_open(w, 20070108, 720));
  CHECK_FALSE(window_open(w, 20070104, 599));
  CHECK_FALSE(window_open(w, 20070104, 721));
  CHECK_FALSE(window_open(w, 20070109, 650));
  const Window from_time{{}, {}, 600, {}};
  CHECK(window_open(from_time, 1, 1439));
  CHECK_FALSE(window_open(from_time, 1, 599));
}

TEST_CASE("window times may run over midnight", "[rules]") {
  const Window night{{}, {}, 22 * 60, 6 * 60};
  CHECK(window_open(night, 1, 22 * 60));
  CHECK(window_open(night, 1, 0));
  CHECK(window_open(night, 1, 6 * 60));
  CHECK_FALSE(window_open(night, 1, 12 * 60));
}

TEST_CASE("size rules compare kilobytes of 1024 bytes", "[rules]") {
  const SizeRule at_least{true, 2, {"x@y"}, false};
  CHECK(size_rule_applies(at_least, 2048));
  CHECK_FALSE(size_rule_applies(at_least, 2047));
  const SizeRule at_most{false, 2, {"x@y"}, false};
  CHECK(size_rule_applies(at_most, 2048));
  CHECK_FALSE(size_rule_applies(at_most, 2049));
  CHECK_FALSE(size_rule_applies(SizeRule{true, 0, {}, false}, 100));
}

TEST_CASE("address fields split on semicolons commas and lines", "[rules]") {
  const std::vector<std::string> got = split_entries({"a@x; b@y", "", " c@z ,d@w\r\n e@v", ";;"});
  CHECK(got == std::vector<std::string>{"a@x", "b@y", "c@z", "d@w", "e@v"});
  CHECK(split_entries({}).empty());
}

TEST_CASE("the sender is recognised as an assistant", "[rules]") {
  const std::vector<std::string> domains = {"a.com"};
  CHECK(sender_is_assistant("phil@a.com", {"phil@a.com"}, domains));
  CHECK(sender_is_assistant("Phil@A.com", {"ann@a.com; phil@a.com"}, domains));
  CHECK(sender_is_assistant("phil@a.com", {"phil"}, domains));
  CHECK_FALSE(sender_is_assistant("phil@evil.net", {"phil"}, domains));
  CHECK_FALSE(sender_is_assistant("", {"phil@a.com"}, domains));
  CHECK_FALSE(sender_is_assistant("philip@a.com", {"phil@a.com"}, domains));
}
