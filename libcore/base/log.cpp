// Log line assembly and output. Deliberately no buffering or log files: the
// supervisor's stderr goes to journald or the terminal.
#include "libcore/base/log.hpp"

#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

namespace pillarbox::log {
namespace {

std::string g_name = "pillarbox";
std::atomic<Level> g_level{Level::Info};
bool g_journal = std::getenv("JOURNAL_STREAM") != nullptr;

const char* level_name(Level l) {
  switch (l) {
    case Level::Debug: return "debug";
    case Level::Info: return "info";
    case Level::Warning: return "warning";
    case Level::Error: return "error";
  }
  return "info";
}

int syslog_priority(Level l) {
  switch (l) {
    case Level::Debug: return 7;
    case Level::Info: return 6;
    case Level::Warning: return 4;
    case Level::Error: return 3;
  }
  return 6;
}

}  // namespace

void init(std::string_view process_name) { g_name = std::string(process_name); }
void set_level(Level l) { g_level = l; }
Level level() { return g_level; }

bool parse_level(std::string_view text, Level& out) {
  if (text == "debug") out = Level::Debug;
  else if (text == "info") out = Level::Info;
  else if (text == "warning") out = Level::Warning;
  else if (text == "error") out = Level::Error;
  else return false;
  return true;
}

void write(Level l, std::string_view message) {
  std::string line;
  line.reserve(message.size() + 64);
  if (g_journal) {
    line += '<';
    line += std::to_string(syslog_priority(l));
    line += '>';
  } else {
    timeval tv{};
    gettimeofday(&tv, nullptr);
    tm utc{};
    gmtime_r(&tv.tv_sec, &utc);
    char stamp[96];
    std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(tv.tv_usec / 1000));
    line += stamp;
    line += level_name(l);
    line += ' ';
  }
  line += g_name;
  line += '[';
  line += std::to_string(getpid());
  line += "]: ";
  for (char c : message) line += (c == '\n' || c == '\r') ? ' ' : c;
  line += '\n';
  // One write per line keeps lines from different threads and processes whole.
  ssize_t rc = ::write(STDERR_FILENO, line.data(), line.size());
  (void)rc;
}

}  // namespace pillarbox::log
