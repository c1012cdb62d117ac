// Logging: one line per event on stderr, "TIME LEVEL NAME[PID]: message".
// Under journald (JOURNAL_STREAM set) lines carry a "<N>" priority prefix
// instead of the time, so `journalctl -p` works. Thread-safe: each line is
// one write(2). Messages use "{}" placeholders filled in order.
#pragma once

#include <sstream>
#include <string>
#include <string_view>

namespace pillarbox::log {

enum class Level { Debug = 0, Info = 1, Warning = 2, Error = 3 };

// Sets the process name shown on every line; call once at start.
void init(std::string_view process_name);
void set_level(Level level);
// Parses "debug", "info", "warning", "error"; false when unknown.
bool parse_level(std::string_view text, Level& out);
Level level();

void write(Level level, std::string_view message);

namespace detail {
inline void format_into(std::ostringstream& out, std::string_view fmt) { out << fmt; }

template <class Arg, class... Rest>
void format_into(std::ostringstream& out, std::string_view fmt, const Arg& arg, const Rest&... rest) {
  auto pos = fmt.find("{}");
  if (pos == std::string_view::npos) {
    out << fmt;
    return;
  }
  out << fmt.substr(0, pos) << arg;
  format_into(out, fmt.substr(pos + 2), rest...);
}
}  // namespace detail

// format("a {} c", "b") == "a b c"; extra arguments are dropped.
template <class... Args>
std::string format(std::string_view fmt, const Args&... args) {
  std::ostringstream out;
  detail::format_into(out, fmt, args...);
  return out.str();
}

template <class... Args>
void debug(std::string_view fmt, const Args&... args) {
  if (level() <= Level::Debug) write(Level::Debug, format(fmt, args...));
}
template <class... Args>
void info(std::string_view fmt, const Args&... args) {
  if (level() <= Level::Info) write(Level::Info, format(fmt, args...));
}
template <class... Args>
void warning(std::string_view fmt, const Args&... args) {
  if (level() <= Level::Warning) write(Level::Warning, format(fmt, args...));
}
template <class... Args>
void error(std::string_view fmt, const Args&... args) {
  write(Level::Error, format(fmt, args...));
}

}  // namespace pillarbox::log
