// Command-line framing with a length limit (line_framer.hpp).
#include "proto/framing/line_framer.hpp"

namespace pillarbox::framing {

LineFramer::Result LineFramer::next(std::string_view input) {
  std::size_t skipped = 0;
  if (skipping_) {
    std::size_t lf = input.find('\n');
    if (lf == std::string_view::npos) return {Kind::NeedMore, {}, input.size()};
    skipping_ = false;
    skipped = lf + 1;
    input.remove_prefix(skipped);
  }
  std::size_t lf = input.find('\n');
  if (lf != std::string_view::npos) {
    std::string_view line = input.substr(0, lf);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > max_line_) return {Kind::TooLong, {}, skipped + lf + 1};
    return {Kind::Line, line, skipped + lf + 1};
  }
  // A trailing CR may still turn out to be the line's end, so it is not
  // counted yet: otherwise a line of exactly max_line octets would be called
  // too long when its CR and LF arrive in different reads.
  std::size_t content = input.size() - (!input.empty() && input.back() == '\r' ? 1 : 0);
  if (content > max_line_) {
    skipping_ = true;
    return {Kind::TooLong, {}, skipped + input.size()};
  }
  return {Kind::NeedMore, {}, skipped};
}

}  // namespace pillarbox::framing
