// Arguments of the mailbox commands with structure: SELECT/EXAMINE with
// CONDSTORE/QRESYNC (RFC 7162 §3.1.8, §3.2.5), LIST/LSUB with RFC 5258
// selection and return options (RFC 6154 SPECIAL-USE, RFC 3348 CHILDREN),
// STATUS (RFC 3501 §6.3.10, RFC 7162 HIGHESTMODSEQ, RFC 8438 SIZE) and
// APPEND (RFC 3501 §6.3.11, one message).
#include "proto/imap/parse_parts.hpp"

namespace pillarbox::imap::detail {

namespace {

Expected<QresyncParams> qresync_params(Reader& r) {
  QresyncParams q;
  IMAP_CHECK(r.expect('('));
  IMAP_TRY(uidvalidity, r.nz_number());
  IMAP_CHECK(r.space());
  IMAP_TRY(modseq, r.number64());
  q.uidvalidity = uidvalidity;
  q.modseq = modseq;
  if (r.accept(' ')) {
    bool seq_match = r.peek() == '(';
    if (!seq_match) {
      IMAP_TRY(known, r.sequence_set());
      q.known_uids = std::move(known);
      if (r.accept(' ')) {
        if (r.peek() != '(') return bad("Invalid QRESYNC parameters");
        seq_match = true;
      }
    }
    if (seq_match) {
      // seq-match-data: "(" known-sequence-set SP known-uid-set ")"
      r.accept('(');
      IMAP_TRY(seqs, r.sequence_set());
      IMAP_CHECK(r.space());
      IMAP_TRY(uids, r.sequence_set());
      IMAP_CHECK(r.expect(')'));
      q.known_sequence_numbers = std::move(seqs);
      q.known_sequence_uids = std::move(uids);
    }
  }
  IMAP_CHECK(r.expect(')'));
  return q;
}

}  // namespace

Expected<SelectArgs> parse_select_args(Reader& r) {
  SelectArgs a;
  IMAP_TRY(mailbox, r.mailbox());
  a.mailbox = std::move(mailbox);
  if (r.at_end()) return a;
  IMAP_CHECK(r.space());
  IMAP_CHECK(r.expect('('));
  while (true) {
    if (r.accept_word("CONDSTORE")) {
      a.condstore = true;
    } else if (r.accept_word("QRESYNC")) {
      if (a.qresync) return bad("Duplicate QRESYNC");
      IMAP_CHECK(r.space());
      IMAP_TRY(q, qresync_params(r));
      a.qresync = std::move(q);
    } else {
      return bad(r.at_end() ? "Unbalanced parentheses" : "Unknown SELECT parameter");
    }
    if (r.accept(')')) return a;
    if (r.at_end()) return bad("Unbalanced parentheses");
    IMAP_CHECK(r.space());
  }
}

namespace {

// "(" [word *(SP word)] ")" with each word one of the accepted options;
// `set` is called with each. Unknown words fail with `unknown`.
template <class F>
Expected<void> option_list(Reader& r, const char* unknown, F set) {
  IMAP_CHECK(r.expect('('));
  if (r.accept(')')) return {};
  while (true) {
    auto word = r.atom();
    if (!word) return bad(r.at_end() ? "Unbalanced parentheses" : unknown);
    if (!set(ascii_upper(*word))) return bad(unknown);
    if (r.accept(')')) return {};
    if (r.at_end()) return bad("Unbalanced parentheses");
    IMAP_CHECK(r.space());
  }
}

}  // namespace

Expected<ListArgs> parse_list_args(Reader& r, bool lsub) {
  ListArgs a;
  if (!lsub && r.peek() == '(') {
    a.extended = true;
    IMAP_CHECK(option_list(r, "Unknown LIST selection option", [&](const std::string& w) {
      if (w == "SUBSCRIBED") return a.select_subscribed = true;
      if (w == "REMOTE") return a.select_remote = true;
      if (w == "RECURSIVEMATCH") return a.select_recursive_match = true;
      if (w == "SPECIAL-USE") return a.select_special_use = true;
      return false;
    }));
    // RFC 5258 §3: RECURSIVEMATCH alone modifies nothing and is an error.
    if (a.select_recursive_match && !a.select_subscribed && !a.select_special_use) {
      return bad("RECURSIVEMATCH needs another selection option");
    }
    IMAP_CHECK(r.space());
  }
  IMAP_TRY(reference, r.astring());
  a.reference = std::move(reference);
  IMAP_CHECK(r.space());
  if (!lsub && r.accept('(')) {
    a.extended = true;
    while (true) {
      IMAP_TRY(pattern, r.list_mailbox());
      a.patterns.push_back(std::move(pattern));
      if (r.accept(')')) break;
      if (r.at_end()) return bad("Unbalanced parentheses");
      IMAP_CHECK(r.space());
    }
  } else {
    IMAP_TRY(pattern, r.list_mailbox());
    a.patterns.push_back(std::move(pattern));
  }
  if (lsub || r.at_end()) return a;
  IMAP_CHECK(r.space());
  if (!r.accept_word("RETURN")) return bad("Unexpected extra arguments");
  a.extended = true;
  IMAP_CHECK(r.space());
  IMAP_CHECK(option_list(r, "Unknown LIST return option", [&](const std::string& w) {
    if (w == "SUBSCRIBED") return a.return_subscribed = true;
    if (w == "CHILDREN") return a.return_children = true;
    if (w == "SPECIAL-USE") return a.return_special_use = true;
    return false;
  }));
  return a;
}

Expected<StatusArgs> parse_status_args(Reader& r) {
  StatusArgs a;
  IMAP_TRY(mailbox, r.mailbox());
  a.mailbox = std::move(mailbox);
  IMAP_CHECK(r.space());
  IMAP_CHECK(option_list(r, "Unknown STATUS item", [&](const std::string& w) {
    static constexpr std::pair<std::string_view, StatusItem> kItems[] = {
        {"MESSAGES", StatusItem::Messages}, {"RECENT", StatusItem::Recent},
        {"UIDNEXT", StatusItem::UidNext},   {"UIDVALIDITY", StatusItem::UidValidity},
        {"UNSEEN", StatusItem::Unseen},     {"HIGHESTMODSEQ", StatusItem::HighestModSeq},
        {"SIZE", StatusItem::Size},         {"DELETED", StatusItem::Deleted},
    };
    for (const auto& [name, item] : kItems) {
      if (name == w) {
        a.items.push_back(item);
        return true;
      }
    }
    return false;
  }));
  if (a.items.empty()) return bad("Missing STATUS item");
  return a;
}

Expected<AppendArgs> parse_append_args(Reader& r) {
  AppendArgs a;
  IMAP_TRY(mailbox, r.mailbox());
  a.mailbox = std::move(mailbox);
  IMAP_CHECK(r.space());
  if (r.peek() == '(') {
    IMAP_TRY(flags, r.flag_list());
    a.flags = std::move(flags);
    IMAP_CHECK(r.space());
  }
  if (r.peek() == '"') {
    IMAP_TRY(text, r.quoted());
    IMAP_TRY(date, parse_date_time(text));
    a.internal_date = date;
    IMAP_CHECK(r.space());
  }
  if (r.peek() != '{') return bad("Expected message literal");
  IMAP_TRY(message, r.literal());
  a.message = std::move(message);
  return a;
}

}  // namespace pillarbox::imap::detail
