// Topic and pattern syntax and matching for the bus (see topics.hpp).
// Deliberately byte-oriented ASCII checks: no locale, no regex.
#include "proto/bus/topics.hpp"

namespace pillarbox::bus {

namespace {

bool topic_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

constexpr std::string_view kPrefixSuffix = ".*";

}  // namespace

bool valid_topic(std::string_view topic) {
  if (topic.empty() || topic.size() > kMaxTopicLength) return false;
  if (topic.front() == '.' || topic.back() == '.') return false;
  for (char c : topic) {
    if (!topic_char(c)) return false;
  }
  return true;
}

bool valid_pattern(std::string_view pattern) {
  if (pattern == "*") return true;
  if (pattern.size() > kMaxTopicLength) return false;
  if (pattern.ends_with(kPrefixSuffix)) {
    pattern.remove_suffix(kPrefixSuffix.size());
  }
  return valid_topic(pattern);
}

bool topic_matches(std::string_view pattern, std::string_view topic) {
  if (!valid_topic(topic) || !valid_pattern(pattern)) return false;
  if (pattern == "*") return true;
  if (pattern.ends_with(kPrefixSuffix)) {
    // Keep the dot: "mailbox.*" must not select "mailboxes.x" or "mailbox".
    pattern.remove_suffix(1);
    return topic.size() > pattern.size() && topic.starts_with(pattern);
  }
  return pattern == topic;
}

}  // namespace pillarbox::bus
