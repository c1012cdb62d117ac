// Dot-stuffing of outgoing message text (client_data.hpp), RFC 5321 §4.5.2.
#include "proto/smtp/client_data.hpp"

#include <algorithm>

namespace pillarbox::smtp::client {

std::string DotStuffer::next(std::string_view message, std::size_t max) {
  std::string out;
  if (done_) return out;
  std::size_t end = std::min(message.size(), pos_ + std::max<std::size_t>(max, 1));
  out.reserve(end - pos_ + 8);
  for (; pos_ < end; ++pos_) {
    char c = message[pos_];
    if (cr_) {
      cr_ = false;
      out += "\r\n";
      line_start_ = true;
      if (c == '\n') continue;  // CRLF: already written
    }
    if (c == '\r') {
      cr_ = true;
    } else if (c == '\n') {
      out += "\r\n";
      line_start_ = true;
    } else {
      if (line_start_ && c == '.') out += '.';
      out += c;
      line_start_ = false;
    }
  }
  if (pos_ == message.size()) {
    if (cr_) {
      out += "\r\n";
      cr_ = false;
      line_start_ = true;
    }
    if (!line_start_) out += "\r\n";
    out += ".\r\n";
    done_ = true;
  }
  return out;
}

}  // namespace pillarbox::smtp::client
