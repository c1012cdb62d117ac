// SEARCH and UID SEARCH (RFC 3501 §6.4.4, §7.2.5; RFC 7162 §3.1.5 MODSEQ).
// The host evaluates the key; the engine first turns sequence-number sets
// into UID sets through the view (the host knows UIDs only) and resolves
// "*", then keeps only results the view holds. Never reports an EXPUNGE.
#include <algorithm>

#include "proto/imap/session.hpp"

namespace pillarbox::imap {

namespace {

// A key that matches nothing: NOT ALL.
SearchKey nothing() {
  SearchKey k;
  k.kind = SearchKey::Kind::Not;
  k.children.emplace_back();
  return k;
}

SearchKey uid_key(const std::vector<std::uint32_t>& uids) {
  if (uids.empty()) return nothing();
  SearchKey k;
  k.kind = SearchKey::Kind::Uid;
  k.set = *parse_sequence_set(compress_sequence_set(uids));
  return k;
}

// Sequence numbers above EXISTS match nothing rather than failing (a
// client's view may lag: Dovecot answers the same).
SearchKey to_uids(const SearchKey& key, const MailboxView& view, bool& modseq) {
  using Kind = SearchKey::Kind;
  if (key.kind == Kind::ModSeq) modseq = true;
  if (key.kind == Kind::SequenceSet || key.kind == Kind::Uid) {
    std::vector<std::uint32_t> uids;
    if (key.kind == Kind::Uid) {
      uids = view.uids_of_uid_set(key.set);
    } else {
      for (const SeqRange& r : key.set.ranges) {
        std::uint32_t a = r.first == kStar ? view.exists() : r.first;
        std::uint32_t b = r.last == kStar ? view.exists() : r.last;
        if (a > b) std::swap(a, b);
        b = std::min(b, view.exists());
        for (std::uint32_t s = std::max<std::uint32_t>(a, 1); s <= b; ++s) uids.push_back(view.at(s).uid);
      }
      std::sort(uids.begin(), uids.end());
    }
    return uid_key(uids);
  }
  SearchKey out = key;
  out.children.clear();
  for (const SearchKey& c : key.children) out.children.push_back(to_uids(c, view, modseq));
  return out;
}

}  // namespace

void Session::do_search(const Command& cmd) {
  const auto& args = cmd.as<SearchArgs>();
  if (args.charset && *args.charset != "UTF-8" && *args.charset != "US-ASCII") {
    return no(cmd.tag, "Unsupported charset", ResponseCode::bad_charset({"UTF-8", "US-ASCII"}));
  }
  bool modseq = false;
  SearchKey key = to_uids(args.key, *view_, modseq);
  if (modseq) condstore_ = true;
  ask(SearchRequest{std::move(key), view_->recent()}, [this, cmd, modseq](Result& r) {
    auto* found = std::get_if<std::vector<std::uint32_t>>(&r);
    if (found == nullptr) return failed(cmd.tag, r);
    std::vector<std::uint32_t> uids = *found;
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    std::string line = "* SEARCH";
    std::uint64_t highest = 0;
    for (std::uint32_t u : uids) {
      auto seq = view_->seq_of(u);
      if (!seq) continue;  // not in this session's view (yet)
      line += ' ' + std::to_string(cmd.uid ? u : *seq);
      highest = std::max(highest, view_->at(*seq).modseq);
    }
    if (modseq && highest > 0) line += " (MODSEQ " + std::to_string(highest) + ")";
    write(line + "\r\n");
    write(tagged(cmd.tag, Status::Ok, cmd.uid ? "UID SEARCH completed" : "SEARCH completed"));
  });
}

}  // namespace pillarbox::imap
