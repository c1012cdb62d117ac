// Selecting and leaving a mailbox, and waiting in it (RFC 3501 §6.3.1-2
// SELECT/EXAMINE, §6.4.1-2 CHECK/CLOSE; RFC 3691 UNSELECT; RFC 2177 IDLE;
// RFC 7162 §3.1.8 SELECT (CONDSTORE), §3.2.5 SELECT (QRESYNC), §3.2.11
// [CLOSED]). The view (view.hpp) is built from the host's SelectedData.
#include <algorithm>

#include "proto/imap/session.hpp"

namespace pillarbox::imap {

namespace {

const std::vector<std::string> kSystemFlags = {"\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft"};

}  // namespace

void Session::do_select(const Command& cmd) {
  const auto& args = cmd.as<SelectArgs>();
  auto name = mailbox_name(cmd.tag, args.mailbox);
  if (!name) return;
  if (args.qresync && !qresync_) return bad(cmd.tag, "QRESYNC is not enabled");
  if (args.condstore || args.qresync) condstore_ = true;
  if (state_ == State::Selected) {
    // RFC 3501 §6.3.1: the old mailbox is closed first, expunging nothing.
    view_.reset();
    state_ = State::Authenticated;
    write(untagged(Status::Ok, "Previous mailbox closed", ResponseCode::closed()));
  }
  changed_ = false;
  const bool examine = cmd.verb == Verb::Examine;
  std::optional<std::uint64_t> since;
  if (args.qresync) since = args.qresync->modseq;
  ask(SelectRequest{*name, examine, since}, [this, cmd](Result& r) {
    auto* data = std::get_if<SelectedData>(&r);
    if (data == nullptr) return failed(cmd.tag, r);
    selected(cmd, std::move(*data));
  });
}

void Session::selected(const Command& cmd, SelectedData data) {
  const auto& args = cmd.as<SelectArgs>();
  const bool examine = cmd.verb == Verb::Examine;
  const std::vector<std::uint32_t> vanished = std::move(data.vanished);
  view_.emplace(std::move(data), examine);
  state_ = State::Selected;
  const MailboxView& view = *view_;

  std::vector<std::string> flags = kSystemFlags;
  std::uint32_t first_unseen = 0;
  for (const MessageState& m : view.messages()) {
    for (const std::string& f : m.flags) {
      if (f.empty() || f[0] == '\\') continue;
      if (std::find(flags.begin(), flags.end(), f) == flags.end()) flags.push_back(f);
    }
    if (first_unseen == 0 && std::find(m.flags.begin(), m.flags.end(), "\\Seen") == m.flags.end()) {
      first_unseen = *view.seq_of(m.uid);
    }
  }
  std::string line = "* FLAGS ";
  append_flag_list(line, flags);
  write(line + "\r\n");
  if (examine) {
    write(untagged(Status::Ok, "No permanent flags permitted", ResponseCode::permanent_flags({})));
  } else {
    std::vector<std::string> permanent = flags;
    permanent.emplace_back("\\*");
    write(untagged(Status::Ok, "Flags permitted", ResponseCode::permanent_flags(permanent)));
  }
  write(untagged_number(view.exists(), "EXISTS"));
  write(untagged_number(view.recent_count(), "RECENT"));
  if (first_unseen != 0) write(untagged(Status::Ok, "First unseen", ResponseCode::unseen(first_unseen)));
  write(untagged(Status::Ok, "UIDs valid", ResponseCode::uid_validity(view.uidvalidity())));
  write(untagged(Status::Ok, "Predicted next UID", ResponseCode::uid_next(view.uidnext())));
  write(untagged(Status::Ok, "Highest", ResponseCode::highest_modseq(view.highest_modseq())));

  if (args.qresync && args.qresync->uidvalidity == view.uidvalidity()) {
    const QresyncParams& q = *args.qresync;
    const SequenceSet all{{SeqRange{1, kStar}}};
    const SequenceSet& known = q.known_uids ? *q.known_uids : all;
    const std::uint32_t top = view.uidnext() > 0 ? view.uidnext() - 1 : 0;
    // RFC 7162 §3.2.5.2: the UIDs expunged since the client's MODSEQ, from
    // the store's expunge records, limited to the UIDs the client knows;
    // its seq-match data only helps servers that keep no such records.
    std::vector<std::uint32_t> earlier;
    for (std::uint32_t u : vanished) {
      if (u <= top && known.contains(u, top)) earlier.push_back(u);
    }
    if (!earlier.empty()) write("* VANISHED (EARLIER) " + compress_sequence_set(earlier) + "\r\n");
    for (const MessageState& m : view.messages()) {
      if (m.modseq > q.modseq && known.contains(m.uid, view.max_uid())) write_flags_fetch(m, true, true);
    }
  }
  write(tagged(cmd.tag, Status::Ok, examine ? "Examine completed" : "Select completed",
               examine ? ResponseCode::read_only() : ResponseCode::read_write()));
}

void Session::do_close(const Command& cmd) {
  auto leave = [this] {
    view_.reset();
    state_ = State::Authenticated;
    changed_ = false;
  };
  if (view_->read_only()) {
    leave();
    return write(tagged(cmd.tag, Status::Ok, "Close completed"));
  }
  // RFC 3501 §6.4.2: \Deleted messages go, with no EXPUNGE responses. The
  // mailbox is closed even when that fails, and the client is told.
  ask(ExpungeRequest{}, [this, leave, tag = cmd.tag](Result& r) {
    leave();
    if (!std::holds_alternative<std::vector<std::uint32_t>>(r)) return failed(tag, r);
    write(tagged(tag, Status::Ok, "Close completed"));
  });
}

void Session::do_unselect(const Command& cmd) {
  view_.reset();
  state_ = State::Authenticated;
  changed_ = false;
  write(tagged(cmd.tag, Status::Ok, "Unselect completed"));
}

void Session::do_check(const Command& cmd) { finish(cmd.tag, "Check completed", std::nullopt, true); }

void Session::do_idle(const Command& cmd) {
  idle_tag_ = cmd.tag;
  framer_.begin_idle();
  write(continuation("idling"));
  if (state_ == State::Selected) check_changes([] {});
}

void Session::idle_done(bool done) {
  if (!idle_tag_) return;
  const std::string tag = *idle_tag_;
  idle_tag_.reset();
  if (!done) return bad(tag, "Expected DONE");
  finish(tag, "Idle completed");
}

}  // namespace pillarbox::imap
