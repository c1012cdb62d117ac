// Command-line words for the `pillarbox` CLI: the global options (taken from
// anywhere before a lone "--") and each command's own options and positional
// arguments. Only words starting with "--" (and "-h") are options, so values
// such as "-1" stay positional. Parsing only: no I/O, no knowledge of commands.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/base/expected.hpp"

namespace pillarbox::cli {

struct GlobalOptions {
  std::optional<std::string> config;    // --config FILE
  std::optional<std::string> data_dir;  // --data-dir DIR
  bool json = false;                    // --json
  bool help = false;                    // --help, -h
};

// Splits `words` into the global options and the rest (command words and
// their arguments, in order). Failure (a usage error): InvalidInput, e.g.
// "option '--config' needs a value".
Expected<std::vector<std::string>> take_global_options(const std::vector<std::string>& words,
                                                       GlobalOptions& globals);

enum class OptionKind {
  Flag,   // --admin
  Value,  // --comment TEXT or --comment=TEXT (the next word, whatever it is)
  List,   // --member A B C: every following word up to the next option; repeatable
};

struct OptionSpec {
  std::string_view name;  // without "--"
  OptionKind kind = OptionKind::Flag;
};

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>, std::less<>> options;  // flags hold no values

  bool has(std::string_view name) const { return options.find(name) != options.end(); }
  // The last value given, or `fallback`.
  std::string value_or(std::string_view name, std::string_view fallback) const;
  std::optional<std::string> value(std::string_view name) const;
  std::vector<std::string> values(std::string_view name) const;
};

// Parses a command's words. `positionals` names the arguments as the usage
// line does ("NAME", "[SERVICE]": bracketed ones are optional and come last).
// Failure (a usage error): InvalidInput — "unknown option '--x'", "option
// '--type' needs a value", "missing NAME", "unexpected argument 'x'".
Expected<Args> parse_args(const std::vector<std::string>& words, std::span<const OptionSpec> options,
                          std::span<const std::string_view> positionals);

// "a;b, c" -> {"a", "b", "c"}: separators ';' and ',', blanks dropped.
std::vector<std::string> split_list(std::string_view text);

// A whole decimal number in [min, max], else nullopt.
std::optional<long long> parse_number(std::string_view text, long long min, long long max);

}  // namespace pillarbox::cli
