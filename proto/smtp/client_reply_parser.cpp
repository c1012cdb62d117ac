// Reply framing and parsing for the SMTP client (client_reply_parser.hpp),
// RFC 5321 §4.2 (reply syntax), RFC 2034 / RFC 3463 (enhanced codes).
#include "proto/smtp/client_reply_parser.hpp"

namespace pillarbox::smtp::client {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// For error messages: the start of a bad line, printable.
std::string excerpt(std::string_view line) {
  std::string out;
  for (char c : line.substr(0, 40)) {
    auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u >= 0x7F) ? '?' : c;
  }
  if (line.size() > 40) out += "...";
  return out;
}

std::string sanitize(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) c = ' ';
  }
  return out;
}

// The line's text with `code` and one space removed from its start, or the
// text unchanged when it does not start with them.
std::string strip_code(const std::string& text, const std::string& code) {
  if (text == code) return {};
  if (text.size() > code.size() && text.compare(0, code.size(), code) == 0 && text[code.size()] == ' ') {
    return text.substr(code.size() + 1);
  }
  return text;
}

}  // namespace

bool is_enhanced_code(std::string_view s) {
  std::size_t pos = 0;
  for (int part = 0; part < 3; ++part) {
    std::size_t start = pos;
    while (pos < s.size() && is_digit(s[pos])) ++pos;
    std::size_t len = pos - start;
    if (len == 0 || len > (part == 0 ? 1U : 3U)) return false;
    if (part < 2) {
      if (pos >= s.size() || s[pos] != '.') return false;
      ++pos;
    }
  }
  return pos == s.size();
}

ReplyParser::ReplyParser(std::size_t max_line, std::size_t max_lines)
    : lines_(max_line), max_line_(max_line), max_lines_(max_lines) {}

void ReplyParser::reset() {
  lines_.reset();
  code_ = 0;
  texts_.clear();
}

ReplyParser::Result ReplyParser::next(std::string_view input) {
  std::size_t consumed = 0;
  while (true) {
    auto r = lines_.next(input.substr(consumed));
    consumed += r.consumed;
    if (r.kind == framing::LineFramer::Kind::NeedMore) return {Kind::NeedMore, {}, {}, consumed};
    if (r.kind == framing::LineFramer::Kind::TooLong) {
      return {Kind::Error, {}, "reply line longer than " + std::to_string(max_line_) + " octets", consumed};
    }
    Result line = add_line(r.line, consumed);
    if (line.kind != Kind::NeedMore) return line;
  }
}

ReplyParser::Result ReplyParser::add_line(std::string_view line, std::size_t consumed) {
  auto error = [&](std::string what) { return Result{Kind::Error, {}, std::move(what), consumed}; };
  if (line.size() < 3 || !is_digit(line[0]) || !is_digit(line[1]) || !is_digit(line[2]) ||
      (line.size() > 3 && line[3] != ' ' && line[3] != '-')) {
    return error("malformed reply line \"" + excerpt(line) + "\"");
  }
  int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  if (code < 200 || code > 599) return error("reply code " + std::string(line.substr(0, 3)) + " out of range");
  if (!texts_.empty() && code != code_) {
    return error("reply code changed from " + std::to_string(code_) + " to " + std::to_string(code) +
                 " within a multi-line reply");
  }
  if (texts_.size() >= max_lines_) return error("reply longer than " + std::to_string(max_lines_) + " lines");
  code_ = code;
  texts_.push_back(sanitize(line.size() > 4 ? line.substr(4) : std::string_view{}));
  if (line.size() > 3 && line[3] == '-') return {Kind::NeedMore, {}, {}, consumed};

  Reply reply;
  reply.code = code;
  std::string_view first = texts_.front();
  std::string_view token = first.substr(0, first.find(' '));
  int cls = code / 100;
  if ((cls == 2 || cls == 4 || cls == 5) && is_enhanced_code(token) && token[0] == '0' + cls) {
    reply.enhanced = std::string(token);
  }
  for (std::size_t i = 0; i < texts_.size(); ++i) {
    if (i > 0) reply.text += '\n';
    reply.text += reply.enhanced.empty() ? texts_[i] : strip_code(texts_[i], reply.enhanced);
  }
  texts_.clear();
  code_ = 0;
  return {Kind::Reply, std::move(reply), {}, consumed};
}

std::string format_reply(const Reply& reply) {
  std::string out;
  const std::string number = std::to_string(reply.code);
  std::string_view rest = reply.text;
  while (true) {
    std::size_t nl = rest.find('\n');
    bool last = nl == std::string_view::npos;
    std::string_view piece = rest.substr(0, nl);
    out += number;
    if (!last) out += '-';
    else if (!reply.enhanced.empty() || !piece.empty()) out += ' ';
    out += reply.enhanced;
    if (!reply.enhanced.empty() && !piece.empty()) out += ' ';
    out += piece;
    if (last) break;
    out += '\n';
    rest.remove_prefix(nl + 1);
  }
  return out;
}

}  // namespace pillarbox::smtp::client
