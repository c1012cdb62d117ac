// IMAP command framing with literals and limits (framer.hpp).
#include "proto/imap/framer.hpp"

#include <algorithm>

namespace pillarbox::imap {

namespace {

// Enough of a discarded line's end to recognise "{18446744073709551615+}".
constexpr std::size_t kTail = 32;

bool astring_char(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7f) return false;
  return c != '(' && c != ')' && c != '{' && c != '%' && c != '*' && c != '"' && c != '\\';
}

// A literal marker at the end of `line`: sets `size` (saturating at
// UINT64_MAX) and `non_sync`.
bool literal_marker(std::string_view line, std::uint64_t& size, bool& non_sync) {
  if (line.empty() || line.back() != '}') return false;
  line.remove_suffix(1);
  non_sync = !line.empty() && line.back() == '+';
  if (non_sync) line.remove_suffix(1);
  std::size_t open = line.rfind('{');
  if (open == std::string_view::npos || open + 1 == line.size()) return false;
  std::string_view digits = line.substr(open + 1);
  size = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    auto d = static_cast<std::uint64_t>(c - '0');
    size = size > (UINT64_MAX - d) / 10 ? UINT64_MAX : size * 10 + d;
  }
  return true;
}

bool is_done(std::string_view line) {
  if (line.size() != 4) return false;
  std::string upper(line);
  for (char& c : upper) c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  return upper == "DONE";
}

void keep_tail(std::string& s) {
  if (s.size() > kTail) s.erase(0, s.size() - kTail);
}

}  // namespace

std::string_view command_tag(std::string_view command) {
  std::size_t end = 0;
  while (end < command.size() && astring_char(command[end]) && command[end] != '+') ++end;
  if (end == 0 || (end < command.size() && command[end] != ' ')) return {};
  return command.substr(0, end);
}

void CommandFramer::reset() {
  command_.clear();
  line_.clear();
  literal_left_ = 0;
  command_size_ = 0;
  error_tag_.clear();
  discarding_ = false;
}

CommandFramer::Result CommandFramer::too_long(Kind kind, std::size_t consumed) {
  Result r;
  r.kind = kind;
  r.consumed = consumed;
  if (!command_.empty()) {
    r.tag = std::string(command_tag(command_));
  } else {
    // Only as much of the line as every slicing of the input has seen when
    // a limit trips, and the tag must end in a space within it: otherwise
    // the reported tag would depend on how the input was split.
    std::uint64_t seen = std::min<std::uint64_t>(limits_.max_line, limits_.max_command) + 1;
    std::string_view head = std::string_view(line_).substr(0, static_cast<std::size_t>(std::min<std::uint64_t>(seen, line_.size())));
    std::string_view tag = command_tag(head);
    if (tag.size() < head.size()) r.tag = std::string(tag);
  }
  discarding_ = true;
  idle_ = false;
  command_.clear();
  keep_tail(line_);
  return r;
}

CommandFramer::Result CommandFramer::next(std::string_view input) {
  std::size_t used = 0;
  while (used < input.size()) {
    if (literal_left_ > 0) {
      std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(literal_left_, input.size() - used));
      if (!discarding_) command_.append(input.substr(used, n));
      literal_left_ -= n;
      used += n;
      continue;
    }
    std::string_view rest = input.substr(used);
    std::size_t lf = rest.find('\n');
    std::string_view piece = rest.substr(0, lf);
    line_.append(piece);
    used += piece.size();
    if (discarding_) {
      keep_tail(line_);
    } else {
      // A trailing CR may still turn out to be the line's end, so it is not
      // counted: a line of exactly max_line octets must pass however split.
      std::size_t content = line_.size() - (!line_.empty() && line_.back() == '\r' ? 1 : 0);
      // Whichever limit is lower trips, so the kind cannot depend on how
      // much of the line a read happened to carry.
      std::uint64_t room = limits_.max_command - std::min(limits_.max_command, command_size_);
      if (content > std::min<std::uint64_t>(limits_.max_line, room)) {
        return too_long(limits_.max_line <= room ? Kind::LineTooLong : Kind::CommandTooLong, used);
      }
    }
    if (lf == std::string_view::npos) break;
    ++used;
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    Result r = end_of_line(used);
    if (r.kind != Kind::NeedMore) return r;
  }
  Result r;
  r.consumed = used;
  return r;
}

// A line has ended (its content is in line_). Returns NeedMore when the
// command goes on or was dropped, so that next() carries on reading.
CommandFramer::Result CommandFramer::end_of_line(std::size_t consumed) {
  Result r;
  r.consumed = consumed;
  if (idle_ && !discarding_) {
    idle_ = false;
    r.kind = is_done(line_) ? Kind::IdleDone : Kind::IdleOther;
    if (r.kind == Kind::IdleOther) r.command = line_;
    reset();
    return r;
  }
  std::uint64_t size = 0;
  bool non_sync = false;
  if (!literal_marker(line_, size, non_sync)) {
    if (discarding_ || (command_.empty() && line_.empty())) {
      reset();
      return r;
    }
    command_ += line_;
    r.kind = Kind::Command;
    r.command = std::move(command_);
    reset();
    return r;
  }
  if (discarding_) {
    // A synchronising literal of a dropped command is never sent.
    if (non_sync) {
      literal_left_ = size;
      line_.clear();
    } else {
      reset();
    }
    return r;
  }
  command_size_ += line_.size() + 2;
  if (size > limits_.max_literal || size > limits_.max_command - std::min(limits_.max_command, command_size_)) {
    Kind kind = size > limits_.max_literal ? Kind::LiteralTooBig : Kind::CommandTooLong;
    r = too_long(kind, consumed);
    line_.clear();
    r.literal_size = size;
    r.non_synchronising = non_sync;
    if (non_sync) {
      literal_left_ = size;
    } else {
      reset();
    }
    return r;
  }
  command_ += line_;
  command_ += "\r\n";
  line_.clear();
  literal_left_ = size;
  command_size_ += size;
  if (!non_sync) {
    r.kind = Kind::Continue;
    r.literal_size = size;
    r.tag = std::string(command_tag(command_));
  }
  return r;
}

}  // namespace pillarbox::imap
