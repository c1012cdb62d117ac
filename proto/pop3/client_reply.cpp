// Status lines, continuations and multi-line bodies for the POP3 client
// (client_reply.hpp): RFC 1939 §3 (status indicators, multi-line responses
// and byte-stuffing), RFC 2449 §3 and §8 (response codes), RFC 5034 §4
// (continuations).
#include "proto/pop3/client_reply.hpp"

namespace pillarbox::pop3::client {

namespace {

char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (upper(s[i]) != prefix[i]) return false;
  }
  return true;
}

// RFC 2449 §3: resp-level *("/" resp-level), resp-level = 1*rchar, rchar =
// %x21-2E / %x30-5C / %x5E-7F (printable, no "/" within a level, no "]").
bool is_response_code(std::string_view s) {
  if (s.empty() || s.front() == '/' || s.back() == '/') return false;
  char prev = 0;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7F || c == ']') return false;
    if (c == '/' && prev == '/') return false;
    prev = c;
  }
  return true;
}

std::string sanitize(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) c = ' ';
  }
  return out;
}

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

}  // namespace

std::optional<Reply> parse_status_line(std::string_view line) {
  Reply reply;
  std::string_view rest;
  if (starts_with_ci(line, "+OK")) {
    reply.ok = true;
    rest = line.substr(3);
  } else if (starts_with_ci(line, "-ERR")) {
    rest = line.substr(4);
  } else {
    return std::nullopt;
  }
  if (!rest.empty()) {
    if (rest.front() != ' ' && rest.front() != '\t') return std::nullopt;  // "+OKAY" is not a status
    rest.remove_prefix(1);
  }
  if (!rest.empty() && rest.front() == '[') {
    std::size_t close = rest.find(']');
    if (close != std::string_view::npos && is_response_code(rest.substr(1, close - 1))) {
      for (char c : rest.substr(1, close - 1)) reply.code += upper(c);
      rest.remove_prefix(close + 1);
      if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    }
  }
  reply.text = sanitize(rest);
  return reply;
}

std::optional<std::string> parse_continuation(std::string_view line) {
  if (line == "+") return std::string();
  if (line.size() >= 2 && line[0] == '+' && line[1] == ' ') return std::string(line.substr(2));
  return std::nullopt;
}

std::string format_reply(const Reply& reply) {
  std::string out = reply.ok ? "+OK" : "-ERR";
  if (!reply.code.empty()) out += " [" + reply.code + "]";
  if (!reply.text.empty()) out += " " + reply.text;
  return out;
}

void ResponseReader::expect(Shape shape, std::uint64_t max_body) {
  shape_ = shape;
  max_body_ = max_body;
}

void ResponseReader::reset() {
  lines_.reset();
  in_body_ = false;
  body_.clear();
  at_ = At::LineStart;
}

ResponseReader::Result ResponseReader::next(std::string_view input) {
  std::size_t consumed = 0;
  if (!in_body_) {
    auto r = lines_.next(input);
    consumed = r.consumed;
    if (r.kind == framing::LineFramer::Kind::NeedMore) return {Kind::NeedMore, {}, false, {}, {}, {}, consumed};
    if (r.kind == framing::LineFramer::Kind::TooLong) {
      return {Kind::Error, {}, false, {}, {}, "status line longer than " + std::to_string(max_line_) + " octets",
              consumed};
    }
    if (shape_ == Shape::Sasl) {
      if (auto challenge = parse_continuation(r.line)) {
        return {Kind::Response, {}, true, std::move(*challenge), {}, {}, consumed};
      }
    }
    auto reply = parse_status_line(r.line);
    if (!reply) {
      return {Kind::Error, {}, false, {}, {}, "not a POP3 status line: \"" + excerpt(r.line) + "\"", consumed};
    }
    if (shape_ != Shape::Multi || !reply->ok) return {Kind::Response, std::move(*reply), false, {}, {}, {}, consumed};
    // "-ERR" to a multi-line command is a single line (RFC 1939 §3); "+OK" opens the body.
    status_ = std::move(*reply);
    in_body_ = true;
    at_ = At::LineStart;
    body_.clear();
    input.remove_prefix(consumed);
  }
  std::size_t used = 0;
  bool done = feed_body(input, used);
  consumed += used;
  if (body_.size() > max_body_) {
    return {Kind::TooBig, {}, false, {}, {}, "larger than " + std::to_string(max_body_) + " octets",
            consumed};
  }
  if (!done) return {Kind::NeedMore, {}, false, {}, {}, {}, consumed};
  in_body_ = false;
  Result out{Kind::Response, std::move(status_), false, {}, std::move(body_), {}, consumed};
  body_.clear();
  status_ = Reply{};
  return out;
}

bool ResponseReader::feed_body(std::string_view in, std::size_t& used) {
  std::size_t i = 0;
  while (i < in.size()) {
    char c = in[i];
    switch (at_) {
      case At::Middle: {
        // The bulk of a message: copy up to the next CR or LF at once.
        std::size_t end = in.find_first_of("\r\n", i);
        if (end == std::string_view::npos) {
          body_.append(in.substr(i));
          i = in.size();
          break;
        }
        body_.append(in.substr(i, end - i));
        if (in[end] == '\n') {
          body_ += "\r\n";  // a bare LF ends the line too
          at_ = At::LineStart;
        } else {
          at_ = At::Cr;
        }
        i = end + 1;
        break;
      }
      case At::LineStart:
        ++i;
        if (c == '.') {
          at_ = At::Dot;
        } else if (c == '\r') {
          at_ = At::Cr;
        } else if (c == '\n') {
          body_ += "\r\n";
        } else {
          body_ += c;
          at_ = At::Middle;
        }
        break;
      case At::Cr:
        if (c == '\n') {
          ++i;
          body_ += "\r\n";
          at_ = At::LineStart;
        } else {
          body_ += '\r';  // a CR not before LF is data; `c` is looked at again
          at_ = At::Middle;
        }
        break;
      case At::Dot:
        if (c == '.') {
          ++i;
          body_ += '.';  // byte-stuffed: ".." stands for "."
          at_ = At::Middle;
        } else if (c == '\r') {
          ++i;
          at_ = At::DotCr;
        } else if (c == '\n') {
          used = i + 1;
          return true;
        } else {
          body_ += '.';  // an unstuffed leading dot: kept as it came
          at_ = At::Middle;
        }
        break;
      case At::DotCr:
        if (c == '\n') {
          used = i + 1;
          return true;
        }
        body_ += '.';  // ".\r" and more: not the end; the CR is data, `c` looked at again
        at_ = At::Cr;
        break;
    }
  }
  used = i;
  return false;
}

}  // namespace pillarbox::pop3::client
