// Dot-stuffing and chunking of multi-line responses (multiline.hpp).
#include "proto/pop3/multiline.hpp"

namespace pillarbox::pop3 {

void MultilineWriter::append(std::string_view content, bool stuff) {
  if (chunks_.empty() || chunks_.back().size() >= chunk_size_) chunks_.emplace_back();
  std::string& chunk = chunks_.back();
  if (stuff && !content.empty() && content.front() == '.') chunk += '.';
  chunk.append(content);
  chunk += "\r\n";
}

std::vector<std::string> MultilineWriter::finish() {
  append(".", false);
  std::vector<std::string> out;
  out.swap(chunks_);
  return out;
}

}  // namespace pillarbox::pop3
