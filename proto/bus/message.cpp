// Message <-> JSON for the bus (see message.hpp). Validation errors name the
// field and quote at most a short prefix of the offending value, so a hostile
// peer cannot make a log line arbitrarily long.
#include "proto/bus/message.hpp"

#include <climits>
#include <cstdint>

#include "proto/bus/topics.hpp"

namespace pillarbox::bus {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxNameLength = 64;
constexpr std::size_t kMaxQuoted = 64;

Unexpected invalid(std::string message) {
  return fail(ErrorCode::InvalidInput, "bus message: " + std::move(message));
}

// A value for an error message: quoted, cut short, and with anything but
// printable ASCII shown as '?' so that it is safe in a log line.
std::string excerpt(std::string_view s) {
  std::string out = "\"";
  for (char c : s.substr(0, kMaxQuoted)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  out += s.size() > kMaxQuoted ? "...\"" : "\"";
  return out;
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// The string field `key`, or an error saying it is missing or not a string.
Expected<std::string> string_field(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return invalid(std::string("missing field \"") + key + "\"");
  if (!it->is_string()) return invalid(std::string("field \"") + key + "\" must be a string");
  return it->get<std::string>();
}

Expected<Message> read_hello(const json& j) {
  Message m;
  m.op = Op::Hello;
  auto name = string_field(j, "name");
  if (!name) return Unexpected{name.error()};
  if (!valid_name(*name)) return invalid("invalid name " + excerpt(*name));
  m.name = std::move(*name);

  auto it = j.find("pid");
  if (it == j.end()) return invalid("missing field \"pid\"");
  if (!it->is_number_integer()) return invalid("field \"pid\" must be an integer");
  // Parsed positive numbers are unsigned in nlohmann::json; widen both kinds
  // before the range check so a huge pid cannot wrap into range.
  std::int64_t pid = -1;
  if (!it->is_number_unsigned()) {
    pid = it->get<std::int64_t>();
  } else if (auto u = it->get<std::uint64_t>(); u <= INT_MAX) {
    pid = static_cast<std::int64_t>(u);
  }
  if (pid < 1 || pid > INT_MAX) return invalid("field \"pid\" out of range");
  m.pid = static_cast<int>(pid);
  return m;
}

Expected<Message> read_subscription(const json& j, Op op) {
  Message m;
  m.op = op;
  auto it = j.find("topics");
  if (it == j.end()) return invalid("missing field \"topics\"");
  if (!it->is_array()) return invalid("field \"topics\" must be an array of strings");
  if (it->empty()) return invalid("field \"topics\" must not be empty");
  for (const auto& t : *it) {
    if (!t.is_string()) return invalid("field \"topics\" must be an array of strings");
    const auto& pattern = t.get_ref<const std::string&>();
    if (!valid_pattern(pattern)) return invalid("invalid topic pattern " + excerpt(pattern));
    m.topics.push_back(pattern);
  }
  return m;
}

Expected<Message> read_publish(const json& j) {
  Message m;
  m.op = Op::Publish;
  auto topic = string_field(j, "topic");
  if (!topic) return Unexpected{topic.error()};
  if (!valid_topic(*topic)) return invalid("invalid topic " + excerpt(*topic));
  m.topic = std::move(*topic);

  if (auto it = j.find("from"); it != j.end()) {
    if (!it->is_string()) return invalid("field \"from\" must be a string");
    m.from = it->get<std::string>();
  }
  if (auto it = j.find("data"); it != j.end()) {
    if (!it->is_object()) return invalid("field \"data\" must be an object");
    m.data = *it;
  }
  return m;
}

}  // namespace

std::string_view to_string(Op op) {
  switch (op) {
    case Op::Hello: return "hello";
    case Op::Subscribe: return "subscribe";
    case Op::Unsubscribe: return "unsubscribe";
    case Op::Publish: return "publish";
  }
  return "?";
}

json to_json(const Message& message) {
  json j = json::object();
  j["op"] = to_string(message.op);
  switch (message.op) {
    case Op::Hello:
      j["name"] = message.name;
      j["pid"] = message.pid;
      break;
    case Op::Subscribe:
    case Op::Unsubscribe:
      j["topics"] = message.topics;
      break;
    case Op::Publish:
      j["topic"] = message.topic;
      if (!message.from.empty()) j["from"] = message.from;
      j["data"] = message.data;
      break;
  }
  return j;
}

Expected<Message> to_message(const json& j) {
  if (!j.is_object()) return invalid("not a JSON object");
  auto op = string_field(j, "op");
  if (!op) return Unexpected{op.error()};
  if (*op == "hello") return read_hello(j);
  if (*op == "subscribe") return read_subscription(j, Op::Subscribe);
  if (*op == "unsubscribe") return read_subscription(j, Op::Unsubscribe);
  if (*op == "publish") return read_publish(j);
  return invalid("unknown op " + excerpt(*op));
}

}  // namespace pillarbox::bus
