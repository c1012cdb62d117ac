// Node bridge payloads (bridge.hpp). The topic list is closed on purpose: a
// new topic crosses nodes only when someone decides it must.
#include "proto/bus/bridge.hpp"

#include "proto/bus/topics.hpp"

namespace pillarbox::bus {

bool crosses_nodes(std::string_view topic) {
  return topic == kMailboxChanged || topic == kQueueReady || topic == kCollectNow;
}

std::optional<std::string> bridge_payload(const BridgedEvent& event) {
  nlohmann::json j = {{"node", event.node}, {"topic", event.topic}, {"data", event.data}};
  std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > kMaxBridgePayload) return std::nullopt;
  return text;
}

Expected<BridgedEvent> read_bridge_payload(std::string_view payload) {
  auto bad = [](std::string why) { return Unexpected{Error{ErrorCode::InvalidInput, "bridge payload: " + why}}; };
  nlohmann::json j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object()) return bad("not a JSON object");
  auto node = j.find("node");
  auto topic = j.find("topic");
  auto data = j.find("data");
  if (node == j.end() || !node->is_string() || node->get<std::string>().empty()) return bad("no node");
  if (topic == j.end() || !topic->is_string()) return bad("no topic");
  if (!crosses_nodes(topic->get<std::string>())) return bad("topic '" + topic->get<std::string>() + "' stays on its node");
  if (data == j.end() || !data->is_object()) return bad("data is not an object");
  return BridgedEvent{node->get<std::string>(), topic->get<std::string>(), *data};
}

}  // namespace pillarbox::bus
