// FETCH and UID FETCH (RFC 3501 §6.4.5, §7.4.2; RFC 7162 §3.1.4 CHANGEDSINCE
// and MODSEQ, §3.2.6 VANISHED). FLAGS, UID and MODSEQ come from the view;
// the rest from the host, which is asked only for what the items need. Body
// sections are cut from the raw message by the stored part tree
// (fetch_section.hpp). Never reports an EXPUNGE (§7.4.1).
#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "proto/imap/fetch_section.hpp"
#include "proto/imap/session.hpp"
#include "proto/mime/part_json.hpp"

namespace pillarbox::imap {

namespace {

using K = FetchItem::Kind;

std::string literal(std::string_view data) { return "{" + std::to_string(data.size()) + "}\r\n" + std::string(data); }

bool sets_seen(const FetchItem& item) {
  return (item.kind == K::BodySection && !item.peek) || item.kind == K::Rfc822 || item.kind == K::Rfc822Text;
}

bool has_item(const std::vector<FetchItem>& items, K kind) {
  return std::any_of(items.begin(), items.end(), [kind](const FetchItem& i) { return i.kind == kind; });
}

// The stored part tree, or when it cannot be read, one text part split at
// the first blank line: still right for BODY[], HEADER and TEXT.
mime::Part part_tree(const std::string& json, std::string_view raw) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_discarded()) {
    Expected<mime::Part> part = mime::part_from_json(j);
    if (part) return std::move(*part);
  }
  mime::Part root;
  std::size_t blank = raw.find("\r\n\r\n");
  std::size_t body = blank == std::string_view::npos ? std::string_view::npos : blank + 4;
  if (std::size_t lf = raw.find("\n\n"); lf != std::string_view::npos && (body == std::string_view::npos || lf + 2 < body)) {
    body = lf + 2;
  }
  root.body_start = body == std::string_view::npos ? raw.size() : body;
  root.body_end = raw.size();
  return root;
}

FetchNeeds needs_of(const std::vector<FetchItem>& items) {
  FetchNeeds needs;
  for (const FetchItem& item : items) {
    switch (item.kind) {
      case K::InternalDate: needs.internal_date = true; break;
      case K::Rfc822Size: needs.size = true; break;
      case K::Envelope: needs.envelope = true; break;
      case K::Body: needs.body = true; break;
      case K::BodyStructure: needs.bodystructure = true; break;
      case K::Rfc822:
      case K::Rfc822Header:
      case K::Rfc822Text:
      case K::BodySection: needs.raw = needs.parts = true; break;
      case K::Flags:
      case K::Uid:
      case K::ModSeq: break;
    }
  }
  return needs;
}

bool needs_host(const FetchNeeds& n) {
  return n.internal_date || n.size || n.envelope || n.body || n.bodystructure || n.parts || n.raw;
}

}  // namespace

std::optional<std::vector<std::uint32_t>> Session::resolve(const Command& cmd, const SequenceSet& set) {
  if (cmd.uid) return view_->uids_of_uid_set(set);
  auto uids = view_->uids_of_sequence_set(set);
  if (!uids) bad(cmd.tag, "Invalid message sequence number");
  return uids;
}

void Session::do_fetch(const Command& cmd) {
  const auto& args = cmd.as<FetchArgs>();
  if (args.vanished && (!cmd.uid || !qresync_ || !args.changed_since)) {
    return bad(cmd.tag, "VANISHED needs UID FETCH, QRESYNC and CHANGEDSINCE");
  }
  auto uids = resolve(cmd, args.set);
  if (!uids) return;
  if (args.changed_since || has_item(args.items, K::ModSeq)) condstore_ = true;
  if (args.changed_since) {
    const std::uint64_t since = *args.changed_since;
    uids->erase(std::remove_if(uids->begin(), uids->end(),
                               [&](std::uint32_t u) { return view_->find(u)->modseq <= since; }),
                uids->end());
  }
  if (!args.vanished) return fetch_items(cmd, std::move(*uids));
  // RFC 7162 §3.2.6: the UIDs of the set expunged after CHANGEDSINCE, from
  // the store's expunge records. One the view still holds has not been
  // reported to this session yet: it comes as an EXPUNGE/VANISHED later.
  ask(ChangesRequest{*args.changed_since, false}, [this, cmd, uids = std::move(*uids)](Result& r) mutable {
    auto* changes = std::get_if<ChangesData>(&r);
    if (changes == nullptr) return failed(cmd.tag, r);
    const auto& fetch = cmd.as<FetchArgs>();
    const std::uint32_t top = view_->uidnext() > 0 ? view_->uidnext() - 1 : 0;
    std::vector<std::uint32_t> earlier;
    for (std::uint32_t u : changes->vanished) {
      if (u <= top && fetch.set.contains(u, top) && view_->find(u) == nullptr) earlier.push_back(u);
    }
    if (!earlier.empty()) write("* VANISHED (EARLIER) " + compress_sequence_set(earlier) + "\r\n");
    fetch_items(cmd, std::move(uids));
  });
}

void Session::fetch_items(const Command& cmd, std::vector<std::uint32_t> uids) {
  const auto& args = cmd.as<FetchArgs>();
  const FetchNeeds needs = needs_of(args.items);
  const bool mark_seen =
      !view_->read_only() && std::any_of(args.items.begin(), args.items.end(), sets_seen);
  const std::string done = cmd.uid ? "UID FETCH completed" : "FETCH completed";
  if (uids.empty() || !needs_host(needs)) {
    write_fetch(args, cmd.uid, uids, nullptr, false);
    return write(tagged(cmd.tag, Status::Ok, done));
  }
  ask(FetchRequest{uids, needs, mark_seen}, [this, cmd, uids, mark_seen, done](Result& r) {
    auto* fetched = std::get_if<std::vector<FetchedData>>(&r);
    if (fetched == nullptr) return failed(cmd.tag, r);
    write_fetch(cmd.as<FetchArgs>(), cmd.uid, uids, fetched, mark_seen);
    write(tagged(cmd.tag, Status::Ok, done));
  });
}

void Session::write_fetch(const FetchArgs& args, bool uid, const std::vector<std::uint32_t>& uids,
                          const std::vector<FetchedData>* fetched, bool mark_seen) {
  std::map<std::uint32_t, const FetchedData*> by_uid;
  if (fetched != nullptr) {
    for (const FetchedData& d : *fetched) by_uid.emplace(d.uid, &d);
  }
  const bool want_flags = has_item(args.items, K::Flags);
  const bool want_modseq = has_item(args.items, K::ModSeq) || args.changed_since.has_value();
  static const FetchedData kNothing;
  for (std::uint32_t u : uids) {
    const MessageState* held = view_->find(u);
    if (held == nullptr) continue;
    const FetchedData* d = &kNothing;
    if (fetched != nullptr) {
      auto it = by_uid.find(u);
      if (it == by_uid.end()) continue;  // expunged meanwhile: skipped
      d = it->second;
    }
    MessageState m = *held;
    bool seen_now = false;
    if (mark_seen && std::find(m.flags.begin(), m.flags.end(), "\\Seen") == m.flags.end()) {
      // The host set \Seen; its new modseq arrives with the next changes.
      m.flags.emplace_back("\\Seen");
      view_->update(m);
      seen_now = true;
    }
    const std::string raw = d->raw.value_or(std::string());
    std::optional<mime::Part> tree;
    auto section = [&](Section s) {
      if (!tree) tree = part_tree(d->parts, raw);
      return section_text(raw, *tree, s);
    };
    std::vector<std::string> parts;
    if (uid && !has_item(args.items, K::Uid)) parts.push_back("UID " + std::to_string(u));
    for (const FetchItem& item : args.items) {
      switch (item.kind) {
        case K::Flags: parts.push_back("FLAGS " + flags_with_recent(m)); break;
        case K::Uid: parts.push_back("UID " + std::to_string(u)); break;
        case K::ModSeq: parts.push_back("MODSEQ (" + std::to_string(m.modseq) + ")"); break;
        case K::InternalDate: {
          std::string text = "INTERNALDATE ";
          append_date_time(text, from_unix_time(d->internal_date));
          parts.push_back(std::move(text));
          break;
        }
        case K::Rfc822Size: parts.push_back("RFC822.SIZE " + std::to_string(d->size)); break;
        case K::Envelope: parts.push_back("ENVELOPE " + (d->envelope.empty() ? "NIL" : d->envelope)); break;
        case K::Body: parts.push_back("BODY " + (d->body.empty() ? "NIL" : d->body)); break;
        case K::BodyStructure:
          parts.push_back("BODYSTRUCTURE " + (d->bodystructure.empty() ? "NIL" : d->bodystructure));
          break;
        case K::Rfc822: parts.push_back("RFC822 " + literal(raw)); break;
        case K::Rfc822Header: {
          Section s;
          s.text = Section::Text::Header;
          parts.push_back("RFC822.HEADER " + literal(section(s)));
          break;
        }
        case K::Rfc822Text: {
          Section s;
          s.text = Section::Text::Text;
          parts.push_back("RFC822.TEXT " + literal(section(s)));
          break;
        }
        case K::BodySection:
          parts.push_back(section_name(item) + " " + literal(partial_of(section(item.section), item.partial)));
          break;
      }
    }
    if (want_modseq && !has_item(args.items, K::ModSeq)) parts.push_back("MODSEQ (" + std::to_string(m.modseq) + ")");
    if (seen_now && !want_flags) parts.push_back("FLAGS " + flags_with_recent(m));
    std::string line = "* " + std::to_string(*view_->seq_of(u)) + " FETCH (";
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i > 0) line += ' ';
      line += parts[i];
    }
    write(line + ")\r\n");
  }
}

}  // namespace pillarbox::imap
