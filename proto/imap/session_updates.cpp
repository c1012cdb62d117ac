// Untagged updates from elsewhere (RFC 3501 §7.4.1, §5.2; RFC 7162 §3.2.10
// VANISHED): asking the host for the changes since the view's HIGHESTMODSEQ
// and reporting them as EXPUNGE/VANISHED, FETCH (FLAGS) and EXISTS/RECENT,
// in an order that keeps sequence numbers and UIDs in agreement. The
// callers decide when (never during FETCH, STORE or SEARCH).
#include <algorithm>

#include "proto/imap/session.hpp"

namespace pillarbox::imap {

void Session::finish(std::string tag, std::string text, std::optional<ResponseCode> code, bool always_check) {
  if (state_ == State::Selected && view_ && (changed_ || always_check)) {
    check_changes([this, tag = std::move(tag), text = std::move(text), code = std::move(code)] {
      write(tagged(tag, Status::Ok, text, code));
    });
    return;
  }
  write(tagged(tag, Status::Ok, text, code));
}

void Session::check_changes(std::function<void()> then) {
  changed_ = false;
  ask(ChangesRequest{view_->highest_modseq(), !view_->read_only()}, [this, then = std::move(then)](Result& r) {
    // A failed check is not the command's failure: the next one asks again.
    if (auto* c = std::get_if<ChangesData>(&r); c != nullptr && view_) apply_changes(*c);
    then();
  });
}

void Session::apply_changes(const ChangesData& changes) {
  MailboxView& view = *view_;
  std::vector<std::uint32_t> vanished = changes.vanished;
  std::sort(vanished.begin(), vanished.end());
  report_expunged(vanished);

  std::vector<MessageState> changed = changes.changed;
  std::sort(changed.begin(), changed.end(), [](const auto& a, const auto& b) { return a.uid < b.uid; });
  std::uint32_t added = 0;
  for (const MessageState& m : changed) {
    if (std::binary_search(vanished.begin(), vanished.end(), m.uid)) continue;
    const MessageState* held = view.find(m.uid);
    if (held == nullptr) {
      if (m.uid > view.max_uid()) {
        view.append(m, std::find(changes.recent.begin(), changes.recent.end(), m.uid) != changes.recent.end());
        ++added;
      }
      continue;
    }
    if (held->flags == m.flags && held->modseq >= m.modseq) continue;
    const bool flags_changed = held->flags != m.flags;
    MessageState next = m;
    if (next.modseq < held->modseq) next.modseq = held->modseq;
    view.update(next);
    // A modseq-only change matters only to a CONDSTORE client.
    if (flags_changed || condstore_) write_flags_fetch(next, true, condstore_);
  }
  if (added > 0) {
    write(untagged_number(view.exists(), "EXISTS"));
    write(untagged_number(view.recent_count(), "RECENT"));
  }
  if (changes.highest_modseq > view.highest_modseq()) view.set_highest_modseq(changes.highest_modseq);
  if (changes.uidnext > view.uidnext()) view.set_uidnext(changes.uidnext);
}

void Session::report_expunged(std::vector<std::uint32_t> uids) {
  MailboxView& view = *view_;
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  uids.erase(std::remove_if(uids.begin(), uids.end(), [&](std::uint32_t u) { return !view.seq_of(u); }),
             uids.end());
  if (uids.empty()) return;
  if (qresync_) {
    for (std::uint32_t u : uids) view.remove(u);
    write("* VANISHED " + compress_sequence_set(uids) + "\r\n");
    return;
  }
  // Highest first: each removal leaves the lower numbers as they were.
  for (auto it = uids.rbegin(); it != uids.rend(); ++it) {
    if (auto seq = view.remove(*it)) write(untagged_number(*seq, "EXPUNGE"));
  }
}

std::string Session::flags_with_recent(const MessageState& m) const {
  std::vector<std::string> flags = m.flags;
  if (view_ && view_->is_recent(m.uid)) flags.emplace_back("\\Recent");
  std::string out;
  append_flag_list(out, flags);
  return out;
}

void Session::write_flags_fetch(const MessageState& m, bool with_uid, bool with_modseq) {
  auto seq = view_->seq_of(m.uid);
  if (!seq) return;
  std::string line = "* " + std::to_string(*seq) + " FETCH (";
  if (with_uid) line += "UID " + std::to_string(m.uid) + " ";
  line += "FLAGS " + flags_with_recent(m);
  if (with_modseq) line += " MODSEQ (" + std::to_string(m.modseq) + ")";
  line += ")\r\n";
  write(std::move(line));
}

}  // namespace pillarbox::imap
