// The selected mailbox's view (view.hpp). Sets are resolved range by range
// against the view, never expanded number by number, so "1:4294967295"
// costs no more than the messages it names.
#include "proto/imap/view.hpp"

#include <algorithm>

namespace pillarbox::imap {

namespace {

bool uid_less(const MessageState& m, std::uint32_t uid) { return m.uid < uid; }

// A range with "*" resolved to `star` and its ends in order.
std::pair<std::uint32_t, std::uint32_t> resolve(const SeqRange& r, std::uint32_t star) {
  std::uint32_t a = r.first == kStar ? star : r.first;
  std::uint32_t b = r.last == kStar ? star : r.last;
  if (a > b) std::swap(a, b);
  return {a, b};
}

}  // namespace

MailboxView::MailboxView(SelectedData data, bool read_only)
    : name_(std::move(data.name)),
      read_only_(read_only),
      uidvalidity_(data.uidvalidity),
      uidnext_(data.uidnext),
      highest_modseq_(data.highest_modseq),
      messages_(std::move(data.messages)),
      recent_(std::move(data.recent)) {
  std::sort(messages_.begin(), messages_.end(),
            [](const MessageState& a, const MessageState& b) { return a.uid < b.uid; });
  messages_.erase(std::unique(messages_.begin(), messages_.end(),
                              [](const MessageState& a, const MessageState& b) { return a.uid == b.uid; }),
                  messages_.end());
  std::sort(recent_.begin(), recent_.end());
  recent_.erase(std::unique(recent_.begin(), recent_.end()), recent_.end());
  if (!messages_.empty() && uidnext_ <= messages_.back().uid) uidnext_ = messages_.back().uid + 1;
}

bool MailboxView::is_recent(std::uint32_t uid) const {
  return std::binary_search(recent_.begin(), recent_.end(), uid);
}

std::optional<std::uint32_t> MailboxView::seq_of(std::uint32_t uid) const {
  auto it = std::lower_bound(messages_.begin(), messages_.end(), uid, uid_less);
  if (it == messages_.end() || it->uid != uid) return std::nullopt;
  return static_cast<std::uint32_t>(it - messages_.begin() + 1);
}

const MessageState* MailboxView::find(std::uint32_t uid) const {
  auto seq = seq_of(uid);
  return seq ? &messages_[*seq - 1] : nullptr;
}

std::optional<std::vector<std::uint32_t>> MailboxView::uids_of_sequence_set(const SequenceSet& set) const {
  std::vector<std::uint32_t> seqs;
  for (const SeqRange& r : set.ranges) {
    auto [a, b] = resolve(r, exists());
    if (a == 0 || b > exists()) return std::nullopt;
    for (std::uint32_t s = a; s <= b; ++s) seqs.push_back(s);
  }
  std::sort(seqs.begin(), seqs.end());
  seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
  std::vector<std::uint32_t> uids;
  uids.reserve(seqs.size());
  for (std::uint32_t s : seqs) uids.push_back(messages_[s - 1].uid);
  return uids;
}

std::vector<std::uint32_t> MailboxView::uids_of_uid_set(const SequenceSet& set) const {
  std::vector<std::uint32_t> uids;
  if (messages_.empty()) return uids;
  for (const SeqRange& r : set.ranges) {
    auto [a, b] = resolve(r, max_uid());
    auto it = std::lower_bound(messages_.begin(), messages_.end(), a, uid_less);
    for (; it != messages_.end() && it->uid <= b; ++it) uids.push_back(it->uid);
  }
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  return uids;
}

void MailboxView::update(const MessageState& state) {
  auto it = std::lower_bound(messages_.begin(), messages_.end(), state.uid, uid_less);
  if (it != messages_.end() && it->uid == state.uid) *it = state;
}

void MailboxView::append(const MessageState& state, bool recent) {
  if (state.uid <= max_uid()) return;
  messages_.push_back(state);
  if (recent) recent_.push_back(state.uid);
  if (uidnext_ <= state.uid) uidnext_ = state.uid + 1;
}

std::optional<std::uint32_t> MailboxView::remove(std::uint32_t uid) {
  auto seq = seq_of(uid);
  if (!seq) return std::nullopt;
  messages_.erase(messages_.begin() + (*seq - 1));
  auto r = std::lower_bound(recent_.begin(), recent_.end(), uid);
  if (r != recent_.end() && *r == uid) recent_.erase(r);
  return seq;
}

}  // namespace pillarbox::imap
