// The node bridge's payload (DESIGN.md §4): which bus topics cross from one
// node to the others through the database's NOTIFY channel, and the JSON
// text that carries one event there. Pure: the master does the NOTIFY and
// the LISTEN (daemons/master/pg_channel).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "libcore/base/expected.hpp"

namespace pillarbox::bus {

inline constexpr std::string_view kBridgeChannel = "pillarbox_bus";
// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
inline constexpr std::size_t kMaxBridgePayload = 7999;

// mailbox.changed, queue.ready and collect.now: what another node's daemons
// must hear. config.changed crosses by itself (the configuration triggers);
// heartbeat, shutdown and activity belong to one node.
bool crosses_nodes(std::string_view topic);

struct BridgedEvent {
  std::string node;  // the node that published it
  std::string topic;
  nlohmann::json data = nlohmann::json::object();
};

// {"node":..,"topic":..,"data":{..}}; nullopt when it would exceed
// kMaxBridgePayload (the event then stays on its node).
std::optional<std::string> bridge_payload(const BridgedEvent& event);

// Reads a payload from the channel. InvalidInput when it is not the object
// above, the node is empty, or the topic is not one that crosses nodes (a
// node never injects other topics into its neighbours' buses).
Expected<BridgedEvent> read_bridge_payload(std::string_view payload);

}  // namespace pillarbox::bus
