// The table of every command, built once from the families' lists.
#include "daemons/cli/command.hpp"

namespace pillarbox::cli {

const std::vector<Command>& all_commands() {
  static const std::vector<Command> all = [] {
    std::vector<Command> out;
    for (auto family : {domain_commands, account_commands, mapping_commands, list_commands, access_commands,
                        setting_commands, forward_commands, route_commands, queue_commands}) {
      auto commands = family();
      out.insert(out.end(), commands.begin(), commands.end());
    }
    return out;
  }();
  return all;
}

std::string usage_line(const Command& command) {
  std::string line = "usage: pillarbox " + std::string(command.name);
  if (!command.usage.empty()) line += " " + std::string(command.usage);
  return line;
}

}  // namespace pillarbox::cli
