// Password input with the terminal's echo turned off for the duration of one
// line (restored even when reading fails).
#include "daemons/cli/password_input.hpp"

#include <termios.h>
#include <unistd.h>

#include <iostream>

namespace pillarbox::cli {
namespace {

std::string strip_line_end(std::string line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line;
}

std::string read_hidden(const std::string& prompt) {
  std::cerr << prompt << std::flush;
  termios saved{};
  const bool tty = tcgetattr(STDIN_FILENO, &saved) == 0;
  if (tty) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  std::cerr << '\n';
  return strip_line_end(line);
}

}  // namespace

Expected<std::string> read_new_password(std::string_view account) {
  if (isatty(STDIN_FILENO)) {
    std::string first = read_hidden("New password for " + std::string(account) + ": ");
    if (first.empty()) return fail(ErrorCode::InvalidInput, "no password given");
    if (read_hidden("Repeat it: ") != first) return fail(ErrorCode::InvalidInput, "the passwords do not match");
    return first;
  }
  std::string line;
  if (!std::getline(std::cin, line) || strip_line_end(line).empty())
    return fail(ErrorCode::InvalidInput, "no password on standard input");
  return strip_line_end(line);
}

}  // namespace pillarbox::cli
