// Command-line and BDAT framing plus the bounded message buffer (framer.hpp).
// DATA framing, the part with the smuggling rules, is in data_framer.cpp.
#include "proto/smtp/framer.hpp"

#include <algorithm>

namespace pillarbox::smtp {

void MessageBuffer::append(std::string_view bytes) {
  size_ += bytes.size();
  if (size_ <= max_size_) {
    text_.append(bytes);
  } else if (!text_.empty()) {
    std::string().swap(text_);  // release the memory, not just the length
  }
}

void MessageBuffer::reset(std::uint64_t max_size) {
  max_size_ = max_size;
  size_ = 0;
  std::string().swap(text_);
}

std::string MessageBuffer::take() {
  std::string out = std::move(text_);
  text_.clear();
  size_ = 0;
  return out;
}

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
  // A trailing CR may yet turn out to be the line's end, so it does not count.
  std::size_t content = input.size() - (!input.empty() && input.back() == '\r' ? 1 : 0);
  if (content > max_line_) {
    skipping_ = true;
    return {Kind::TooLong, {}, skipped + input.size()};
  }
  return {Kind::NeedMore, {}, skipped};
}

ChunkFramer::Result ChunkFramer::feed(std::string_view input, MessageBuffer* out) {
  std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, input.size()));
  if (out != nullptr) out->append(input.substr(0, take));
  remaining_ -= take;
  return {remaining_ == 0, take};
}

}  // namespace pillarbox::smtp
