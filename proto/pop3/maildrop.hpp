// The maildrop as one POP3 session sees it (RFC 1939 §5): the messages the
// host listed when it locked the mailbox, and the DELE marks on them. The
// engine never touches the store; the marks reach the host only at QUIT, as
// the Commit action.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pillarbox::pop3 {

struct MaildropEntry {
  std::string uidl;        // RFC 1939 §7: 1-70 octets 0x21-0x7E, stable across sessions
  std::uint64_t size = 0;  // octets of the stored message (CRLF line ends), NOT counting dot-stuffing
};

// Positions are 0-based here; message numbers (1-based) are the session's
// business. Not thread-safe; owned by the session.
class Maildrop {
 public:
  Maildrop() = default;
  explicit Maildrop(std::vector<MaildropEntry> entries);

  std::size_t size() const { return entries_.size(); }  // including marked ones
  const MaildropEntry& entry(std::size_t index) const { return entries_[index]; }
  bool deleted(std::size_t index) const { return marks_[index]; }

  void mark(std::size_t index);  // DELE
  void unmark_all();             // RSET

  // STAT, LIST and the sign-off count only messages not marked.
  std::size_t live_count() const { return entries_.size() - marked_; }
  std::uint64_t live_octets() const { return live_octets_; }
  std::vector<std::size_t> marked() const;  // ascending

 private:
  std::vector<MaildropEntry> entries_;
  std::vector<bool> marks_;
  std::size_t marked_ = 0;
  std::uint64_t total_octets_ = 0;
  std::uint64_t live_octets_ = 0;
};

}  // namespace pillarbox::pop3
