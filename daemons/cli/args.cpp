// Option parsing for the CLI: small on purpose (no getopt: its permutation
// and single-dash clusters would turn JSON values such as "-1" into options).
#include "daemons/cli/args.hpp"

#include <algorithm>
#include <charconv>

namespace pillarbox::cli {
namespace {

bool is_option(std::string_view word) { return word.size() > 2 && word.substr(0, 2) == "--"; }

Unexpected usage(std::string message) { return fail(ErrorCode::InvalidInput, std::move(message)); }

// "--name=value" -> ("name", "value"); "--name" -> ("name", nullopt).
std::pair<std::string, std::optional<std::string>> split_option(std::string_view word) {
  word.remove_prefix(2);
  auto eq = word.find('=');
  if (eq == std::string_view::npos) return {std::string(word), std::nullopt};
  return {std::string(word.substr(0, eq)), std::string(word.substr(eq + 1))};
}

}  // namespace

Expected<std::vector<std::string>> take_global_options(const std::vector<std::string>& words,
                                                       GlobalOptions& globals) {
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w == "--") {
      rest.insert(rest.end(), words.begin() + static_cast<std::ptrdiff_t>(i), words.end());
      break;
    }
    if (w == "-h" || w == "--help") {
      globals.help = true;
      continue;
    }
    if (!is_option(w)) {
      rest.push_back(w);
      continue;
    }
    auto [name, inline_value] = split_option(w);
    if (name == "json" && !inline_value) {
      globals.json = true;
    } else if (name == "config" || name == "data-dir") {
      std::string value;
      if (inline_value) {
        value = *inline_value;
      } else if (i + 1 < words.size()) {
        value = words[++i];
      } else {
        return usage("option '--" + name + "' needs a value");
      }
      if (value.empty()) return usage("option '--" + name + "' needs a value");
      (name == "config" ? globals.config : globals.data_dir) = value;
    } else {
      rest.push_back(w);
    }
  }
  return rest;
}

std::string Args::value_or(std::string_view name, std::string_view fallback) const {
  auto v = value(name);
  return v ? *v : std::string(fallback);
}

std::optional<std::string> Args::value(std::string_view name) const {
  auto it = options.find(name);
  if (it == options.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::values(std::string_view name) const {
  auto it = options.find(name);
  return it == options.end() ? std::vector<std::string>{} : it->second;
}

Expected<Args> parse_args(const std::vector<std::string>& words, std::span<const OptionSpec> options,
                          std::span<const std::string_view> positionals) {
  Args args;
  bool options_done = false;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (options_done || !is_option(w)) {
      if (w == "--" && !options_done) {
        options_done = true;
        continue;
      }
      args.positional.push_back(w);
      continue;
    }
    auto [name, inline_value] = split_option(w);
    auto spec = std::find_if(options.begin(), options.end(), [&](const OptionSpec& s) { return s.name == name; });
    if (spec == options.end()) return usage("unknown option '--" + name + "'");
    auto& slot = args.options[name];
    if (spec->kind == OptionKind::Flag) {
      if (inline_value) return usage("option '--" + name + "' takes no value");
    } else if (inline_value) {
      slot.push_back(*inline_value);
    } else if (spec->kind == OptionKind::Value) {
      if (i + 1 >= words.size()) return usage("option '--" + name + "' needs a value");
      slot.push_back(words[++i]);
    } else {
      std::size_t before = slot.size();
      while (i + 1 < words.size() && !is_option(words[i + 1]) && words[i + 1] != "--") slot.push_back(words[++i]);
      if (slot.size() == before) return usage("option '--" + name + "' needs a value");
    }
  }
  std::size_t required = 0;
  for (auto p : positionals) required += p.empty() || p.front() != '[' ? 1 : 0;
  if (args.positional.size() < required) return usage("missing " + std::string(positionals[args.positional.size()]));
  if (args.positional.size() > positionals.size())
    return usage("unexpected argument '" + args.positional[positionals.size()] + "'");
  return args;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find_first_of(";,", start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(start, end - start);
    auto first = item.find_first_not_of(" \t");
    if (first != std::string_view::npos) {
      auto last = item.find_last_not_of(" \t");
      out.emplace_back(item.substr(first, last - first + 1));
    }
    start = end + 1;
  }
  return out;
}

std::optional<long long> parse_number(std::string_view text, long long min, long long max) {
  long long n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size() || n < min || n > max) return std::nullopt;
  return n;
}

}  // namespace pillarbox::cli
