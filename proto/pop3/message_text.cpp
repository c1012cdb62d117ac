// Message lines for RETR and TOP (message_text.hpp).
#include "proto/pop3/message_text.hpp"

namespace pillarbox::pop3 {

void write_message(std::string_view raw, std::optional<std::size_t> top_lines, MultilineWriter& out) {
  bool in_headers = true;
  std::size_t body_lines = 0;
  std::size_t pos = 0;
  while (pos < raw.size()) {
    std::size_t end = raw.find_first_of("\r\n", pos);
    std::string_view content = raw.substr(pos, end == std::string_view::npos ? end : end - pos);
    if (end == std::string_view::npos) {
      pos = raw.size();
    } else if (raw[end] == '\r' && end + 1 < raw.size() && raw[end + 1] == '\n') {
      pos = end + 2;
    } else {
      pos = end + 1;  // a bare CR or bare LF ends the line as well
    }
    if (top_lines && !in_headers) {
      if (body_lines == *top_lines) return;
      ++body_lines;
    }
    out.line(content);
    if (in_headers && content.empty()) in_headers = false;
  }
}

}  // namespace pillarbox::pop3
