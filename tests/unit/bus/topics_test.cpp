// Unit tests for proto/bus/topics: topic and pattern syntax, and matching.
#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "proto/bus/topics.hpp"

using namespace pillarbox::bus;

TEST_CASE("the DESIGN.md topics are valid topics", "[bus][topics]") {
  for (auto t : {kMailboxChanged, kQueueReady, kConfigChanged, kCollectNow, kActivity, kHeartbeat,
                 kShutdown}) {
    CAPTURE(t);
    CHECK(valid_topic(t));
    CHECK(valid_pattern(t));
    CHECK(topic_matches(t, t));
  }
}

TEST_CASE("valid_topic accepts 1..128 chars of [a-z0-9._-] without edge dots", "[bus][topics]") {
  const std::pair<std::string, bool> table[] = {
      {"a", true},
      {"mailbox.changed", true},
      {"queue-ready_2.x", true},
      {"0", true},
      {"-a-", true},
      {"a..b", true},
      {std::string(128, 'a'), true},
      {"", false},
      {std::string(129, 'a'), false},
      {".a", false},
      {"a.", false},
      {".", false},
      {"Mailbox", false},
      {"a b", false},
      {"a/b", false},
      {"*", false},
      {"mailbox.*", false},
      {"a*b", false},
      {std::string("a\0b", 3), false},
      {"caf\xc3\xa9", false},
  };
  for (const auto& [topic, expected] : table) {
    CAPTURE(topic);
    CHECK(valid_topic(topic) == expected);
  }
}

TEST_CASE("valid_pattern adds '*' and 'prefix.*'", "[bus][topics]") {
  const std::pair<std::string, bool> table[] = {
      {"*", true},
      {"mailbox.*", true},
      {"a.b.*", true},
      {"mailbox.changed", true},
      {std::string(126, 'a') + ".*", true},
      {std::string(127, 'a') + ".*", false},  // 129 characters in all
      {"", false},
      {".*", false},
      {"*.*", false},
      {"**", false},
      {"mailbox*", false},
      {"mailbox.*.changed", false},
      {"*.changed", false},
      {"mailbox..*", false},
      {"mailbox.* ", false},
      {"MAILBOX.*", false},
  };
  for (const auto& [pattern, expected] : table) {
    CAPTURE(pattern);
    CHECK(valid_pattern(pattern) == expected);
  }
}

TEST_CASE("topic_matches", "[bus][topics]") {
  struct Row {
    const char* pattern;
    const char* topic;
    bool matches;
  };
  const Row table[] = {
      {"*", "mailbox.changed", true},
      {"*", "heartbeat", true},
      {"mailbox.changed", "mailbox.changed", true},
      {"mailbox.changed", "mailbox.changedx", false},
      {"mailbox.changed", "mailbox", false},
      {"mailbox.*", "mailbox.changed", true},
      {"mailbox.*", "mailbox.a.b", true},
      {"mailbox.*", "mailbox", false},
      {"mailbox.*", "mailboxes.changed", false},
      {"mailbox.*", "queue.ready", false},
      {"a.b.*", "a.b.c", true},
      {"a.b.*", "a.bc", false},
      {"queue.ready", "queue.ready", true},
      // Invalid inputs never match, whichever side they are on.
      {"*", "", false},
      {"*", "Mailbox", false},
      {"*", "mailbox.*", false},
      {"mailbox.*", "mailbox.*", false},
      {"mailbox*", "mailboxes", false},
      {"", "", false},
  };
  for (const auto& row : table) {
    CAPTURE(row.pattern, row.topic);
    CHECK(topic_matches(row.pattern, row.topic) == row.matches);
  }
}
