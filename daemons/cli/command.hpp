// The CLI's command table: each command is a name of one to three words
// ("list member add"), its argument spec, its usage line and a thin handler
// (parse -> call libcore/store -> print). Families live in cmd_<area>.cpp and
// register through the *_commands() functions below. No SQL in any handler.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "daemons/cli/args.hpp"
#include "libcore/base/error.hpp"
#include "libcore/base/expected.hpp"

namespace pillarbox::cli {

class Context;

// What a handler returns: success, a request error (exit status 1) or a
// usage error (exit status 2, printed with the usage line).
class Outcome {
 public:
  static Outcome ok() { return Outcome{0, {}}; }
  static Outcome failed(const Error& error) { return Outcome{1, error.message}; }
  static Outcome failed(std::string message) { return Outcome{1, std::move(message)}; }
  static Outcome usage(std::string message) { return Outcome{2, std::move(message)}; }

  int status() const { return status_; }
  const std::string& message() const { return message_; }

 private:
  Outcome(int status, std::string message) : status_(status), message_(std::move(message)) {}
  int status_;
  std::string message_;
};

// The Error of a failed Expected as a request error.
template <class T>
Outcome failed(const Expected<T>& result) {
  return Outcome::failed(result.error());
}

struct Command {
  std::string_view name;                       // "domain add"
  std::vector<std::string_view> positionals;   // {"NAME"}, {"[SERVICE]"}
  std::vector<OptionSpec> options;             // without the global ones
  std::string_view usage;                      // after "pillarbox domain add "
  std::string_view summary;                    // one line for --help
  Outcome (*handler)(Context&, const Args&) = nullptr;
};

std::vector<Command> domain_commands();
std::vector<Command> account_commands();
std::vector<Command> mapping_commands();
std::vector<Command> list_commands();
std::vector<Command> access_commands();
std::vector<Command> setting_commands();
std::vector<Command> forward_commands();  // forward and assistant
std::vector<Command> route_commands();    // outgoing routes and their relays
std::vector<Command> queue_commands();    // the outgoing queue

// Every command, family by family, in the order --help lists them.
const std::vector<Command>& all_commands();

// "usage: pillarbox domain add NAME [--accepted] [--comment TEXT]"
std::string usage_line(const Command& command);

}  // namespace pillarbox::cli
