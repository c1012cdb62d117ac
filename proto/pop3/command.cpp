// POP3 command-line parsing (command.hpp). Lenient where real clients are
// sloppy and it is harmless (verb case, repeated or trailing spaces), strict
// where a mistake would act on the wrong message (numbers are digits only).
#include "proto/pop3/command.hpp"

#include <limits>
#include <vector>

namespace pillarbox::pop3 {

namespace {

struct VerbName {
  std::string_view name;
  Verb verb;
};

constexpr VerbName kVerbs[] = {
    {"USER", Verb::User}, {"PASS", Verb::Pass}, {"APOP", Verb::Apop}, {"AUTH", Verb::Auth},
    {"STLS", Verb::Stls}, {"CAPA", Verb::Capa}, {"QUIT", Verb::Quit}, {"STAT", Verb::Stat},
    {"LIST", Verb::List}, {"RETR", Verb::Retr}, {"DELE", Verb::Dele}, {"NOOP", Verb::Noop},
    {"RSET", Verb::Rset}, {"TOP", Verb::Top},   {"UIDL", Verb::Uidl},
};

char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

std::string to_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = upper(c);
  return out;
}

std::string_view verb_word(std::string_view line) { return line.substr(0, line.find(' ')); }

// Space-separated words after the verb; empty words (repeated spaces) vanish.
std::vector<std::string_view> arguments(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t pos = line.find(' ');
  while (pos != std::string_view::npos && pos < line.size()) {
    while (pos < line.size() && line[pos] == ' ') ++pos;
    if (pos == line.size()) break;
    std::size_t end = line.find(' ', pos);
    out.push_back(line.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
    pos = end;
  }
  return out;
}

Unexpected syntax(std::string_view text) {
  return fail(ErrorCode::InvalidInput, "Syntax: " + std::string(text));
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Digits to a number, saturating: "99999999999999999999999" names no message
// and asks for a whole body, which is what a client writing it means.
std::uint64_t saturating_number(std::string_view digits) {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t value = 0;
  for (char c : digits) {
    auto d = static_cast<std::uint64_t>(c - '0');
    if (value > (kMax - d) / 10) return kMax;
    value = value * 10 + d;
  }
  return value;
}

Expected<MessageNumber> message_number(std::string_view word) {
  if (!all_digits(word)) return fail(ErrorCode::InvalidInput, "Invalid message number");
  return MessageNumber{saturating_number(word), std::string(word)};
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

Expected<void> parse_apop(const std::vector<std::string_view>& args, Command& cmd) {
  if (args.size() != 2) return syntax("APOP name digest");
  if (args[1].size() != 32) return fail(ErrorCode::InvalidInput, "APOP digest must be 32 hexadecimal digits");
  for (char c : args[1]) {
    if (!is_hex(c)) return fail(ErrorCode::InvalidInput, "APOP digest must be 32 hexadecimal digits");
  }
  cmd.argument = std::string(args[0]);
  cmd.digest = std::string(args[1]);
  for (char& c : cmd.digest) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return {};
}

Expected<void> parse_numbered(const std::vector<std::string_view>& args, Command& cmd,
                              bool optional, std::string_view usage) {
  if (args.size() > 1 || (args.empty() && !optional)) return syntax(usage);
  if (args.empty()) return {};
  auto number = message_number(args[0]);
  if (!number) return Unexpected{number.error()};
  cmd.message = std::move(*number);
  return {};
}

Expected<void> parse_top(const std::vector<std::string_view>& args, Command& cmd) {
  if (args.size() != 2) return syntax("TOP msg lines");
  auto number = message_number(args[0]);
  if (!number) return Unexpected{number.error()};
  if (!all_digits(args[1])) return fail(ErrorCode::InvalidInput, "Invalid line count");
  cmd.message = std::move(*number);
  cmd.lines = saturating_number(args[1]);
  return {};
}

Expected<void> parse_arguments(std::string_view line, Command& cmd) {
  const std::vector<std::string_view> args = arguments(line);
  switch (cmd.verb) {
    case Verb::User:
      if (args.size() != 1) return syntax("USER name");
      cmd.argument = std::string(args[0]);
      return {};
    case Verb::Pass: {
      // The password is everything after "PASS ", spaces included.
      std::size_t space = line.find(' ');
      if (space == std::string_view::npos || space + 1 == line.size()) return syntax("PASS password");
      cmd.argument = std::string(line.substr(space + 1));
      return {};
    }
    case Verb::Apop: return parse_apop(args, cmd);
    case Verb::Auth:
      if (args.size() > 2) return syntax("AUTH [mechanism [initial-response]]");
      if (!args.empty()) cmd.argument = to_upper(args[0]);
      if (args.size() == 2) cmd.initial_response = std::string(args[1]);
      return {};
    case Verb::List: return parse_numbered(args, cmd, true, "LIST [msg]");
    case Verb::Uidl: return parse_numbered(args, cmd, true, "UIDL [msg]");
    case Verb::Retr: return parse_numbered(args, cmd, false, "RETR msg");
    case Verb::Dele: return parse_numbered(args, cmd, false, "DELE msg");
    case Verb::Top: return parse_top(args, cmd);
    case Verb::Stls:
    case Verb::Capa:
    case Verb::Quit:
    case Verb::Stat:
    case Verb::Noop:
    case Verb::Rset:
      if (!args.empty()) {
        return fail(ErrorCode::InvalidInput, to_upper(verb_word(line)) + " takes no arguments");
      }
      return {};
  }
  return {};
}

}  // namespace

std::optional<Verb> parse_verb(std::string_view line) {
  const std::string_view word = verb_word(line);
  if (word.size() > 4) return std::nullopt;
  const std::string name = to_upper(word);
  for (const VerbName& v : kVerbs) {
    if (v.name == name) return v.verb;
  }
  return std::nullopt;
}

Expected<Command> parse_command(std::string_view line) {
  std::optional<Verb> verb = parse_verb(line);
  if (!verb) return fail(ErrorCode::InvalidInput, "Unknown command");
  Command cmd;
  cmd.verb = *verb;
  auto parsed = parse_arguments(line, cmd);
  if (!parsed) return Unexpected{parsed.error()};
  return cmd;
}

}  // namespace pillarbox::pop3
