// Bus messages (DESIGN.md §4): the Message type and its JSON form, with the
// validation applied to everything that arrives from a peer. It does not frame
// bytes (frame.hpp) and does not decide who may publish what (the broker).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "libcore/base/expected.hpp"

namespace pillarbox::bus {

enum class Op { Hello, Subscribe, Unsubscribe, Publish };

// The wire name of an op: "hello", "subscribe", "unsubscribe", "publish".
std::string_view to_string(Op op);

// One bus message. Only the fields of its op are meaningful; the others are
// neither sent by to_json nor read by to_message.
struct Message {
  Op op = Op::Publish;
  std::string topic;                 // Publish: a valid_topic()
  std::vector<std::string> topics;   // Subscribe/Unsubscribe: valid_pattern()s, at least one
  std::string name;                  // Hello: who is speaking ("smtpd")
  int pid = 0;                       // Hello: its process id (> 0)
  std::string from;                  // Publish as delivered by the broker: "smtpd[1234]"
  nlohmann::json data = nlohmann::json::object();  // Publish payload, always an object

  friend bool operator==(const Message&, const Message&) = default;
};

// The wire object, e.g. {"op":"hello","name":"smtpd","pid":1234} or
// {"op":"publish","topic":"queue.ready","from":"smtpd[12]","data":{}}; "from"
// is left out when empty. Does not validate: to_message(to_json(m)) fails for
// a message that to_message would reject.
nlohmann::json to_json(const Message& message);

// Reads and validates one wire object. Fails with ErrorCode::InvalidInput when
// it is not an object, the op is unknown, a field of that op is missing or has
// the wrong type, or a name, pid, topic or pattern is invalid. Hello names are
// 1..64 characters of [A-Za-z0-9._-]. Unknown fields are ignored (newer peers).
Expected<Message> to_message(const nlohmann::json& json);

}  // namespace pillarbox::bus
