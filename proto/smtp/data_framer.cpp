// DATA framing (RFC 5321 §4.1.1.4, §4.5.2) hardened against SMTP smuggling:
// the message ends only at CRLF "." CRLF where both line ends are real CRLFs,
// the way Postfix's smtpd_forbid_bare_newline and the 2023 smuggling fixes
// read it. Bare LF / bare CR are stored as CRLF; a "." at the start of any line
// (after a real or a bare line end) followed by more text is unstuffed.
#include "proto/smtp/framer.hpp"

namespace pillarbox::smtp {

namespace {
constexpr std::string_view kCrLf = "\r\n";
}

bool DataFramer::step(char c, MessageBuffer& out) {
  switch (state_) {
    case State::LineStart:
    case State::LooseStart:
      if (c == '.') {
        state_ = state_ == State::LineStart ? State::Dot : State::LooseDot;
        return false;
      }
      [[fallthrough]];
    case State::Text:
      if (c == '\r') {
        state_ = State::Cr;
      } else if (c == '\n') {
        out.append(kCrLf);
        state_ = State::LooseStart;
      } else {
        out.append(std::string_view(&c, 1));
        state_ = State::Text;
      }
      return false;
    case State::Cr:
      out.append(kCrLf);
      if (c == '\n') {
        state_ = State::LineStart;
        return false;
      }
      state_ = State::LooseStart;  // the CR was bare
      return step(c, out);
    case State::Dot:
      if (c == '\r') {
        state_ = State::DotCr;
        return false;
      }
      if (c == '\n') {  // "." then a bare LF: a line holding a dot, not the end
        out.append(".\r\n");
        state_ = State::LooseStart;
        return false;
      }
      state_ = State::Text;  // stuffing: drop the dot, keep what follows
      return step(c, out);
    case State::DotCr:
      if (c == '\n') {
        state_ = State::LineStart;
        return true;
      }
      out.append(".\r\n");  // "." then a bare CR
      state_ = State::LooseStart;
      return step(c, out);
    case State::LooseDot:
      // A lone "." after a bare line end is text; "..x" is still unstuffed.
      if (c == '\r' || c == '\n') out.append(".");
      state_ = State::Text;
      return step(c, out);
  }
  return false;
}

DataFramer::Result DataFramer::feed(std::string_view input, MessageBuffer& out) {
  std::size_t i = 0;
  while (i < input.size()) {
    if (state_ == State::Text) {
      // Fast path: copy the run of ordinary octets up to the next CR or LF.
      std::size_t end = input.find_first_of(kCrLf, i);
      if (end == std::string_view::npos) end = input.size();
      out.append(input.substr(i, end - i));
      i = end;
      if (i == input.size()) break;
    }
    if (step(input[i++], out)) return {true, i};
  }
  return {false, i};
}

}  // namespace pillarbox::smtp
