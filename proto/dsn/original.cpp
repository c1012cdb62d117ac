// Header section and line-end normalisation of the returned message (see
// original.hpp).
#include "proto/dsn/original.hpp"

namespace pillarbox::dsn {

std::string_view header_section(std::string_view raw) {
  std::size_t pos = 0;
  while (pos < raw.size()) {
    std::size_t lf = raw.find('\n', pos);
    if (lf == std::string_view::npos) return raw;
    const std::size_t len = lf - pos;
    if (len == 0 || (len == 1 && raw[pos] == '\r')) return raw.substr(0, pos);
    pos = lf + 1;
  }
  return raw;
}

std::optional<std::string> to_crlf_lines(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32 + 2);
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t lf = text.find('\n', pos);
    const std::size_t next = lf == std::string_view::npos ? text.size() : lf + 1;
    if (lf == std::string_view::npos) lf = text.size();
    std::string_view line = text.substr(pos, lf - pos);
    if (lf < text.size() && !line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > 998 || line.find('\r') != std::string_view::npos ||
        line.find('\0') != std::string_view::npos) {
      return std::nullopt;
    }
    out.append(line);
    out += "\r\n";
    pos = next;
  }
  return out;
}

}  // namespace pillarbox::dsn
