// Commands that change messages in the selected mailbox (RFC 3501 §6.4.3
// EXPUNGE, §6.4.6 STORE, §6.4.7 COPY; RFC 4315 UID EXPUNGE, COPYUID; RFC
// 6851 MOVE; RFC 7162 §3.1.3 UNCHANGEDSINCE/MODIFIED). The view follows
// this session's own changes at once; STORE reports no EXPUNGE (§7.4.1).
#include <algorithm>

#include "proto/imap/mutf7.hpp"
#include "proto/imap/session.hpp"

namespace pillarbox::imap {

bool Session::refuse_read_only(const Command& cmd) {
  if (!view_->read_only()) return false;
  no(cmd.tag, "Mailbox is read-only", ResponseCode::read_only());
  return true;
}

void Session::do_store(const Command& cmd) {
  if (refuse_read_only(cmd)) return;
  const auto& args = cmd.as<StoreArgs>();
  auto uids = resolve(cmd, args.set);
  if (!uids) return;
  if (args.unchanged_since) condstore_ = true;
  StoreChange change;
  change.mode = args.mode;
  change.unchanged_since = args.unchanged_since;
  for (const std::string& f : args.flags) {
    // \Recent is the server's to set (RFC 3501 §2.3.2).
    if (f != "\\Recent" && std::find(change.flags.begin(), change.flags.end(), f) == change.flags.end()) {
      change.flags.push_back(f);
    }
  }
  const std::string done = cmd.uid ? "UID STORE completed" : "STORE completed";
  if (uids->empty()) return write(tagged(cmd.tag, Status::Ok, done));
  ask(StoreRequest{*uids, change}, [this, cmd, uids = *uids, done](Result& r) {
    auto* stored = std::get_if<StoredData>(&r);
    if (stored == nullptr) return failed(cmd.tag, r);
    const auto& a = cmd.as<StoreArgs>();
    for (const MessageState& m : stored->changed) view_->update(m);
    std::vector<std::uint32_t> modified = stored->modified;
    std::sort(modified.begin(), modified.end());
    if (!a.silent) {
      for (std::uint32_t u : uids) {
        if (std::binary_search(modified.begin(), modified.end(), u)) continue;
        if (const MessageState* m = view_->find(u)) write_flags_fetch(*m, cmd.uid, condstore_);
      }
    }
    std::optional<ResponseCode> code;
    std::vector<std::uint32_t> numbers;
    for (std::uint32_t u : modified) {
      if (cmd.uid) {
        numbers.push_back(u);
      } else if (auto seq = view_->seq_of(u)) {
        numbers.push_back(*seq);
      }
    }
    std::sort(numbers.begin(), numbers.end());
    if (!numbers.empty()) {
      write(tagged(cmd.tag, Status::Ok, "Conditional STORE failed", ResponseCode::modified(numbers)));
    } else {
      write(tagged(cmd.tag, Status::Ok, done));
    }
  });
}

void Session::do_expunge(const Command& cmd) {
  if (refuse_read_only(cmd)) return;
  ExpungeRequest request;
  if (cmd.uid) request.within = view_->uids_of_uid_set(cmd.as<UidSetArgs>().set);
  if (request.within && request.within->empty()) return finish(cmd.tag, "UID EXPUNGE completed");
  ask(std::move(request), [this, cmd](Result& r) {
    auto* removed = std::get_if<std::vector<std::uint32_t>>(&r);
    if (removed == nullptr) return failed(cmd.tag, r);
    std::vector<std::uint32_t> uids = *removed;
    if (cmd.uid) {
      // Only what the client named, whatever the host says.
      const auto within = view_->uids_of_uid_set(cmd.as<UidSetArgs>().set);
      uids.erase(std::remove_if(uids.begin(), uids.end(),
                                [&](std::uint32_t u) { return !std::binary_search(within.begin(), within.end(), u); }),
                 uids.end());
    }
    report_expunged(std::move(uids));
    finish(cmd.tag, cmd.uid ? "UID EXPUNGE completed" : "EXPUNGE completed");
  });
}

void Session::do_copy(const Command& cmd) {
  const bool move = cmd.verb == Verb::Move;
  if (move && refuse_read_only(cmd)) return;
  const auto& args = cmd.as<CopyArgs>();
  auto uids = resolve(cmd, args.set);
  if (!uids) return;
  auto target = mailbox_name(cmd.tag, args.mailbox);
  if (!target) return;
  const std::string done = move ? "Move completed" : "Copy completed";
  if (uids->empty()) return finish(cmd.tag, done);
  ask(CopyRequest{*uids, *target, move}, [this, cmd, move, done, target = *target](Result& r) {
    auto* copied = std::get_if<CopiedData>(&r);
    if (copied == nullptr) return failed(cmd.tag, r);
    std::vector<std::uint32_t> source, destination;
    for (auto [s, d] : copied->uids) {
      source.push_back(s);
      destination.push_back(d);
    }
    std::optional<ResponseCode> code;
    if (!source.empty()) code = ResponseCode::copy_uid(copied->uidvalidity, source, destination);
    if (view_->name() == target) changed_ = true;  // the copies show as EXISTS
    if (!move) return finish(cmd.tag, done, code);
    // RFC 6851 §4.3: COPYUID goes in an untagged OK before the expunges.
    if (code) write(untagged(Status::Ok, "Moved", code));
    report_expunged(source);
    finish(cmd.tag, done);
  });
}

}  // namespace pillarbox::imap
