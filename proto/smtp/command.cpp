// SMTP command-line parsing (command.hpp). Lenient where real clients are
// sloppy and it is harmless (verb case, spaces after "FROM:"/"TO:", trailing
// blanks), strict where it matters (paths, parameters, BDAT sizes).
#include "proto/smtp/command.hpp"

#include "proto/smtp/address.hpp"
#include "proto/smtp/params.hpp"
#include "proto/smtp/reply.hpp"

namespace pillarbox::smtp {

namespace {

struct VerbName {
  std::string_view name;
  Verb verb;
};

constexpr VerbName kVerbs[] = {
    {"EHLO", Verb::Ehlo}, {"HELO", Verb::Helo}, {"MAIL", Verb::Mail},
    {"RCPT", Verb::Rcpt}, {"DATA", Verb::Data}, {"BDAT", Verb::Bdat},
    {"RSET", Verb::Rset}, {"NOOP", Verb::Noop}, {"QUIT", Verb::Quit},
    {"VRFY", Verb::Vrfy}, {"HELP", Verb::Help}, {"STARTTLS", Verb::StartTls},
    {"AUTH", Verb::Auth},
};

bool iequals(std::string_view a, std::string_view upper) {
  if (a.size() != upper.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != upper[i]) return false;
  }
  return true;
}

bool istarts_with(std::string_view s, std::string_view upper) {
  return s.size() >= upper.size() && iequals(s.substr(0, upper.size()), upper);
}

Unexpected fail_reply(std::string reply, std::string_view context = {}) {
  return Unexpected{reply_error(ErrorCode::InvalidInput, std::move(reply),
                                std::string(context.substr(0, 256)))};
}

Unexpected usage(std::string_view usage_text) {
  return fail_reply("501 5.5.4 Syntax: " + std::string(usage_text));
}

Expected<void> parse_hello(std::string_view arg, Command& cmd, std::string_view verb) {
  if (arg.empty() || !is_valid_utf8(arg)) return usage(std::string(verb) + " hostname");
  cmd.argument = std::string(arg);
  return {};
}

Expected<void> parse_mail(std::string_view arg, Command& cmd) {
  if (!istarts_with(arg, "FROM:")) return usage("MAIL FROM:<address>");
  arg.remove_prefix(5);
  while (!arg.empty() && arg.front() == ' ') arg.remove_prefix(1);
  auto path = parse_path(arg, PathRole::Sender);
  if (!path) return Unexpected{path.error()};
  auto params = parse_mail_params(arg.substr(path->length));
  if (!params) return Unexpected{params.error()};
  if (path->utf8 && !params->smtputf8) {
    return fail_reply("553 5.6.7 Non-ASCII address requires SMTPUTF8", path->address);
  }
  cmd.address = std::move(path->address);
  cmd.utf8_address = path->utf8;
  cmd.mail = std::move(*params);
  return {};
}

Expected<void> parse_rcpt(std::string_view arg, Command& cmd) {
  if (!istarts_with(arg, "TO:")) return usage("RCPT TO:<address>");
  arg.remove_prefix(3);
  while (!arg.empty() && arg.front() == ' ') arg.remove_prefix(1);
  auto path = parse_path(arg, PathRole::Recipient);
  if (!path) return Unexpected{path.error()};
  auto params = parse_rcpt_params(arg.substr(path->length));
  if (!params) return Unexpected{params.error()};
  cmd.address = std::move(path->address);
  cmd.utf8_address = path->utf8;
  cmd.rcpt = std::move(*params);
  return {};
}

// "BDAT" SP chunk-size [SP "LAST"] (RFC 3030 §2).
Expected<void> parse_bdat(std::string_view arg, Command& cmd) {
  std::size_t space = arg.find(' ');
  std::string_view size = arg.substr(0, space);
  if (space != std::string_view::npos) {
    if (!iequals(arg.substr(space + 1), "LAST")) return usage("BDAT count [LAST]");
    cmd.last_chunk = true;
  }
  if (size.empty() || size.size() > 18) return usage("BDAT count [LAST]");
  for (char c : size) {
    if (c < '0' || c > '9') return usage("BDAT count [LAST]");
    cmd.chunk_size = cmd.chunk_size * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return {};
}

// "AUTH" SP sasl-mech [SP initial-response] (RFC 4954 §4, RFC 4422 §3.1).
Expected<void> parse_auth(std::string_view arg, Command& cmd) {
  std::size_t space = arg.find(' ');
  std::string_view mech = arg.substr(0, space);
  if (mech.empty() || mech.size() > 20) return usage("AUTH mechanism [initial-response]");
  for (char c : mech) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return usage("AUTH mechanism [initial-response]");
    cmd.mechanism += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  if (space != std::string_view::npos) {
    std::string_view response = arg.substr(space + 1);
    if (response.empty() || response.find(' ') != std::string_view::npos) {
      return usage("AUTH mechanism [initial-response]");
    }
    cmd.initial_response = std::string(response);
  }
  return {};
}

Expected<void> parse_arguments(std::string_view arg, Command& cmd) {
  switch (cmd.verb) {
    case Verb::Ehlo: return parse_hello(arg, cmd, "EHLO");
    case Verb::Helo: return parse_hello(arg, cmd, "HELO");
    case Verb::Mail: return parse_mail(arg, cmd);
    case Verb::Rcpt: return parse_rcpt(arg, cmd);
    case Verb::Bdat: return parse_bdat(arg, cmd);
    case Verb::Auth: return parse_auth(arg, cmd);
    case Verb::Data: return arg.empty() ? Expected<void>{} : usage("DATA");
    case Verb::Rset: return arg.empty() ? Expected<void>{} : usage("RSET");
    case Verb::Quit: return arg.empty() ? Expected<void>{} : usage("QUIT");
    case Verb::StartTls: return arg.empty() ? Expected<void>{} : usage("STARTTLS");
    case Verb::Vrfy:
      if (arg.empty()) return usage("VRFY address");
      [[fallthrough]];
    case Verb::Noop:
    case Verb::Help: cmd.argument = std::string(arg); return {};
  }
  return {};
}

}  // namespace

std::optional<Verb> parse_verb(std::string_view line) {
  // The verb ends at a space or a control character, so "NOOP\0" is NOOP with
  // a bad character (refused by parse_command) while "QUIT:" is no verb at all.
  std::size_t end = 0;
  while (end < line.size() && line[end] != ' ' && static_cast<unsigned char>(line[end]) >= 32 &&
         line[end] != 127) {
    ++end;
  }
  std::string_view token = line.substr(0, end);
  for (const auto& v : kVerbs) {
    if (iequals(token, v.name)) return v.verb;
  }
  return std::nullopt;
}

Expected<Command> parse_command(std::string_view line) {
  auto verb = parse_verb(line);
  if (!verb) return fail_reply("500 5.5.2 Error: command not recognized", line);
  for (char c : line) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 32 && c != '\t') || u == 127) {
      return fail_reply("500 5.5.2 Error: bad character in command", line);
    }
  }
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  std::size_t space = line.find(' ');
  std::string_view arg = space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
  while (!arg.empty() && arg.front() == ' ') arg.remove_prefix(1);
  Command cmd;
  cmd.verb = *verb;
  if (auto parsed = parse_arguments(arg, cmd); !parsed) return Unexpected{parsed.error()};
  return cmd;
}

}  // namespace pillarbox::smtp
