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

ChunkFramer::Result ChunkFramer::feed(std::string_view input, MessageBuffer* out) {
  std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, input.size()));
  if (out != nullptr) out->append(input.substr(0, take));
  remaining_ -= take;
  return {remaining_ == 0, take};
}

}  // namespace pillarbox::smtp
