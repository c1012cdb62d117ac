#include "daemons/imapd/search_key.hpp"

#include "proto/imap/datetime.hpp"

namespace pillarbox::imapd {
namespace {

using In = imap::SearchKey::Kind;
using Out = store::SearchKey::Kind;

store::SearchKey leaf(Out kind) {
  store::SearchKey k;
  k.kind = kind;
  return k;
}

store::SearchKey flag(const char* name, bool set) {
  auto k = leaf(set ? Out::Flag : Out::NoFlag);
  k.name = name;
  return k;
}

store::SearchKey text(Out kind, const std::string& value) {
  auto k = leaf(kind);
  k.text = value;
  return k;
}

store::SearchKey date(Out kind, const imap::Date& d) {
  auto k = leaf(kind);
  // Noon UTC: "any Unix time within the wanted day".
  k.number = imap::to_unix_time(imap::DateTime{d, 12, 0, 0, 0});
  return k;
}

std::vector<store::UidRange> uid_ranges(const imap::SequenceSet& set) {
  std::vector<store::UidRange> out;
  for (const auto& r : set.ranges) {
    auto end = [](std::uint32_t n) { return n == imap::kStar ? store::kUidStar : static_cast<std::int64_t>(n); };
    out.push_back({end(r.first), end(r.last)});
  }
  return out;
}

}  // namespace

store::SearchKey to_store_key(const imap::SearchKey& key, const std::vector<std::int64_t>& recent) {
  auto children = [&](Out kind) {
    auto k = leaf(kind);
    for (const auto& c : key.children) k.children.push_back(to_store_key(c, recent));
    return k;
  };
  auto with_recent = [&](Out kind) {
    auto k = leaf(kind);
    for (auto uid : recent) k.uids.push_back({uid, uid});
    return k;
  };
  switch (key.kind) {
    case In::And: return children(Out::And);
    case In::Or: return children(Out::Or);
    case In::Not: return children(Out::Not);
    case In::All: return leaf(Out::All);
    case In::Answered: return flag("\\Answered", true);
    case In::Unanswered: return flag("\\Answered", false);
    case In::Deleted: return flag("\\Deleted", true);
    case In::Undeleted: return flag("\\Deleted", false);
    case In::Draft: return flag("\\Draft", true);
    case In::Undraft: return flag("\\Draft", false);
    case In::Flagged: return flag("\\Flagged", true);
    case In::Unflagged: return flag("\\Flagged", false);
    case In::Seen: return flag("\\Seen", true);
    case In::Unseen: return flag("\\Seen", false);
    case In::Keyword: {
      auto k = leaf(Out::Flag);
      k.name = key.text;
      return k;
    }
    case In::Unkeyword: {
      auto k = leaf(Out::NoFlag);
      k.name = key.text;
      return k;
    }
    case In::Recent: return with_recent(Out::Recent);
    case In::New: return with_recent(Out::New);
    case In::Old: return with_recent(Out::Old);
    case In::Larger: {
      auto k = leaf(Out::Larger);
      k.number = static_cast<std::int64_t>(key.number);
      return k;
    }
    case In::Smaller: {
      auto k = leaf(Out::Smaller);
      k.number = static_cast<std::int64_t>(key.number);
      return k;
    }
    case In::Before: return date(Out::Before, key.date);
    case In::On: return date(Out::On, key.date);
    case In::Since: return date(Out::Since, key.date);
    case In::SentBefore: return date(Out::SentBefore, key.date);
    case In::SentOn: return date(Out::SentOn, key.date);
    case In::SentSince: return date(Out::SentSince, key.date);
    case In::Header: {
      auto k = text(Out::Header, key.text);
      k.name = key.field;
      return k;
    }
    case In::From: return text(Out::From, key.text);
    case In::To: return text(Out::To, key.text);
    case In::Cc: return text(Out::Cc, key.text);
    case In::Bcc: return text(Out::Bcc, key.text);
    case In::Subject: return text(Out::Subject, key.text);
    case In::Body: return text(Out::Body, key.text);
    case In::Text: return text(Out::Text, key.text);
    case In::Uid:
    case In::SequenceSet: {
      // The engine has turned sequence numbers into UIDs already.
      auto k = leaf(Out::UidSet);
      k.uids = uid_ranges(key.set);
      return k;
    }
    case In::ModSeq: {
      auto k = leaf(Out::ModSeq);
      k.number = static_cast<std::int64_t>(key.number);
      return k;
    }
  }
  return leaf(Out::All);
}

}  // namespace pillarbox::imapd
