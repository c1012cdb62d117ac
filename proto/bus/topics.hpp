// Bus topic names (DESIGN.md §4): the well-known topics, the syntax of a topic
// and of a subscription pattern, and pattern matching. Pure string logic: it
// knows nothing about who subscribes or how events travel.
#pragma once

#include <cstddef>
#include <string_view>

namespace pillarbox::bus {

inline constexpr std::string_view kMailboxChanged = "mailbox.changed";  // IDLE/NOOP wake-ups
inline constexpr std::string_view kQueueReady = "queue.ready";          // senderd: work queued
inline constexpr std::string_view kConfigChanged = "config.changed";
inline constexpr std::string_view kCollectNow = "collect.now";
inline constexpr std::string_view kActivity = "activity";  // live status/activity log
inline constexpr std::string_view kHeartbeat = "heartbeat";
inline constexpr std::string_view kShutdown = "shutdown";

inline constexpr std::size_t kMaxTopicLength = 128;

// A topic is 1..128 characters of [a-z0-9._-] that neither starts nor ends
// with '.'. Only topics may be published.
bool valid_topic(std::string_view topic);

// A subscription pattern is a topic, "*" (every topic) or a topic followed by
// ".*" (every topic below that prefix); at most 128 characters in all.
bool valid_pattern(std::string_view pattern);

// True when `topic` is selected by `pattern`: "*" selects everything,
// "mailbox.*" selects "mailbox.changed" and "mailbox.a.b" but not "mailbox"
// itself, and any other pattern selects exactly itself. Both arguments are
// expected to be valid; an invalid pattern or topic never matches.
bool topic_matches(std::string_view pattern, std::string_view topic);

}  // namespace pillarbox::bus
