// A session's view of its selected mailbox (RFC 3501 §2.3.1.2): the
// messages in sequence-number order with their UIDs, flags and modseqs, the
// UIDs \Recent for this session, and the HIGHESTMODSEQ up to which the view
// has heard of every change. Sequence numbers exist only here: requests to
// the host name UIDs, and the view turns sets either way. It changes only
// when the session says so, so numbers never disagree with UIDs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "proto/imap/host.hpp"
#include "proto/imap/sequence_set.hpp"

namespace pillarbox::imap {

class MailboxView {
 public:
  MailboxView() = default;
  explicit MailboxView(SelectedData data, bool read_only);

  const std::string& name() const { return name_; }
  bool read_only() const { return read_only_; }
  std::uint32_t uidvalidity() const { return uidvalidity_; }
  std::uint32_t uidnext() const { return uidnext_; }
  std::uint64_t highest_modseq() const { return highest_modseq_; }
  std::uint32_t exists() const { return static_cast<std::uint32_t>(messages_.size()); }
  std::uint32_t recent_count() const { return static_cast<std::uint32_t>(recent_.size()); }
  std::uint32_t max_uid() const { return messages_.empty() ? 0 : messages_.back().uid; }
  const std::vector<MessageState>& messages() const { return messages_; }
  const std::vector<std::uint32_t>& recent() const { return recent_; }
  bool is_recent(std::uint32_t uid) const;

  // 1-based sequence number of `uid`, or nullopt when the view lacks it.
  std::optional<std::uint32_t> seq_of(std::uint32_t uid) const;
  const MessageState* find(std::uint32_t uid) const;
  // The message at 1-based `seq` (valid: 1..exists()).
  const MessageState& at(std::uint32_t seq) const { return messages_[seq - 1]; }

  // UIDs (ascending) of the messages a sequence-number set names; nullopt
  // when it names a number above exists() ("*" in an empty mailbox too).
  std::optional<std::vector<std::uint32_t>> uids_of_sequence_set(const SequenceSet& set) const;
  // UIDs (ascending) in the view that a UID set names; "*" is max_uid().
  std::vector<std::uint32_t> uids_of_uid_set(const SequenceSet& set) const;

  // Replaces the state of a message the view holds (flags, modseq).
  void update(const MessageState& state);
  // Adds a message with a UID above max_uid(); `recent` marks it \Recent.
  void append(const MessageState& state, bool recent);
  // Removes `uid`; returns its former sequence number.
  std::optional<std::uint32_t> remove(std::uint32_t uid);
  void set_highest_modseq(std::uint64_t modseq) { highest_modseq_ = modseq; }
  void set_uidnext(std::uint32_t uidnext) { uidnext_ = uidnext; }

 private:
  std::string name_;
  bool read_only_ = false;
  std::uint32_t uidvalidity_ = 0, uidnext_ = 0;
  std::uint64_t highest_modseq_ = 0;
  std::vector<MessageState> messages_;  // ascending UID
  std::vector<std::uint32_t> recent_;   // ascending
};

}  // namespace pillarbox::imap
