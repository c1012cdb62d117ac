// pillarbox: the admin CLI on the server host (DESIGN.md §1), like postconf
// and doveadm. Reads the bootstrap config and works on the same database as
// pillarboxd. Exit status: 0 done, 1 the request failed, 2 a usage error.
// This file only dispatches; each command is a handler in cmd_<area>.cpp.
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "daemons/cli/args.hpp"
#include "daemons/cli/command.hpp"
#include "daemons/cli/context.hpp"

namespace pillarbox::cli {
namespace {

constexpr int kUsageError = 2;

std::vector<std::string> name_words(std::string_view name) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start < name.size();) {
    auto end = name.find(' ', start);
    if (end == std::string_view::npos) end = name.size();
    out.emplace_back(name.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// The command whose name is the longest prefix of `words`; `used` is its
// number of words.
const Command* find_command(const std::vector<std::string>& words, std::size_t& used) {
  const Command* best = nullptr;
  used = 0;
  for (const auto& c : all_commands()) {
    auto name = name_words(c.name);
    if (name.size() <= words.size() && name.size() > used && std::equal(name.begin(), name.end(), words.begin())) {
      best = &c;
      used = name.size();
    }
  }
  return best;
}

bool is_family(const std::string& word) {
  for (const auto& c : all_commands())
    if (name_words(c.name).front() == word) return true;
  return false;
}

void print_usages(std::ostream& out, const std::string& family) {
  for (const auto& c : all_commands())
    if (family.empty() || name_words(c.name).front() == family)
      out << "  " << c.name << (c.usage.empty() ? "" : " ") << c.usage << '\n';
}

void print_overview(std::ostream& out) {
  out << "usage: pillarbox [--config FILE | --data-dir DIR] [--json] COMMAND [ARGS...]\n"
         "  --config FILE    the bootstrap config (default " << kDefaultConfig << ")\n"
         "  --data-dir DIR   use DIR/pillarbox.conf\n"
         "  --json           print one JSON document on stdout\n"
         "  COMMAND --help   describe one command\n"
         "commands:\n";
  print_usages(out, "");
  out << "exit status: 0 done, 1 the request failed, 2 usage error\n";
}

int usage_error(const std::string& what, const std::string& why, const Command* command) {
  std::cerr << "pillarbox: " << what << ": " << why << '\n';
  if (command) std::cerr << usage_line(*command) << '\n';
  return kUsageError;
}

// How many leading `words` start some command's name ("list member" -> 2).
std::size_t known_prefix(const std::vector<std::string>& words) {
  std::size_t best = 0;
  for (const auto& c : all_commands()) {
    auto name = name_words(c.name);
    std::size_t n = 0;
    while (n < name.size() && n < words.size() && name[n] == words[n]) ++n;
    best = std::max(best, n);
  }
  return best;
}

// An unknown or incomplete command name; lists the family's commands.
int bad_command(const std::vector<std::string>& words) {
  const std::size_t known = known_prefix(words);
  if (known == 0) {
    std::cerr << "pillarbox: unknown command '" << words.front() << "' (see pillarbox --help)\n";
    return kUsageError;
  }
  std::string prefix = words.front();
  for (std::size_t i = 1; i < known; ++i) prefix += " " + words[i];
  if (known == words.size() || words[known].starts_with("-"))
    std::cerr << "pillarbox: " << prefix << ": missing command\n";
  else
    std::cerr << "pillarbox: " << prefix << ": unknown command '" << words[known] << "'\n";
  std::cerr << "usage:\n";
  print_usages(std::cerr, words.front());
  return kUsageError;
}

int run(const std::vector<std::string>& argv_words) {
  GlobalOptions globals;
  auto words = take_global_options(argv_words, globals);
  if (!words) return usage_error("usage", words.error().message, nullptr);
  if (globals.config && globals.data_dir) return usage_error("usage", "give --config or --data-dir, not both", nullptr);
  if (words->empty()) {
    print_overview(globals.help ? std::cout : std::cerr);
    return globals.help ? 0 : kUsageError;
  }
  std::size_t used = 0;
  const Command* command = find_command(*words, used);
  if (!command) {
    if (globals.help && is_family(words->front())) {
      std::cout << "usage:\n";
      print_usages(std::cout, words->front());
      return 0;
    }
    return bad_command(*words);
  }
  if (globals.help) {
    std::cout << usage_line(*command) << '\n' << command->summary << '\n';
    return 0;
  }
  const std::string what(command->name);
  std::vector<std::string> rest(words->begin() + static_cast<std::ptrdiff_t>(used), words->end());
  auto args = parse_args(rest, command->options, command->positionals);
  if (!args) return usage_error(what, args.error().message, command);

  Context ctx(globals);
  Outcome outcome = command->handler(ctx, *args);
  if (outcome.status() == kUsageError) return usage_error(what, outcome.message(), command);
  if (outcome.status() != 0) std::cerr << "pillarbox: " << what << ": " << outcome.message() << '\n';
  return outcome.status();
}

}  // namespace
}  // namespace pillarbox::cli

int main(int argc, char** argv) {
  std::vector<std::string> words(argv + 1, argv + argc);
  try {
    return pillarbox::cli::run(words);
  } catch (const std::exception& e) {
    // The store returns errors as values; this is a bug or an exhausted resource.
    std::cerr << "pillarbox: internal error: " << e.what() << '\n';
    return 1;
  }
}
