// DELE marks and the counts STAT/LIST/QUIT report (maildrop.hpp).
#include "proto/pop3/maildrop.hpp"

namespace pillarbox::pop3 {

Maildrop::Maildrop(std::vector<MaildropEntry> entries)
    : entries_(std::move(entries)), marks_(entries_.size(), false) {
  for (const MaildropEntry& e : entries_) total_octets_ += e.size;
  live_octets_ = total_octets_;
}

void Maildrop::mark(std::size_t index) {
  if (marks_[index]) return;
  marks_[index] = true;
  ++marked_;
  live_octets_ -= entries_[index].size;
}

void Maildrop::unmark_all() {
  marks_.assign(entries_.size(), false);
  marked_ = 0;
  live_octets_ = total_octets_;
}

std::vector<std::size_t> Maildrop::marked() const {
  std::vector<std::size_t> out;
  out.reserve(marked_);
  for (std::size_t i = 0; i < marks_.size(); ++i) {
    if (marks_[i]) out.push_back(i);
  }
  return out;
}

}  // namespace pillarbox::pop3
