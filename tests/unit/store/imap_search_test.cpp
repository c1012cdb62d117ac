// SEARCH by the database: every key family of RFC 3501 (flags, sizes,
// internal and sent dates, header fields, full text including an HTML-only
// part via search_text, UID sets with '*', OR/NOT nesting), RECENT/NEW/OLD
// from the session's set, MODSEQ and the highest MODSEQ of the result.
#include "tests/unit/store/store_fixture.hpp"

#include "libcore/store/accounts.hpp"
#include "libcore/store/imap_append.hpp"
#include "libcore/store/imap_search.hpp"

using namespace pillarbox;
using namespace pillarbox::store;

namespace {

using K = SearchKey::Kind;
using Uids = std::vector<int64_t>;

constexpr int64_t kJan10 = 1768003200, kJan20 = 1768867200;          // 2026-01-10/20 00:00 UTC
constexpr int64_t kFeb01 = 1769904000, kFeb02 = kFeb01 + 86400, kFeb03 = kFeb02 + 86400;

SearchKey key(K kind, std::string text = {}, std::string name = {}) {
  SearchKey k;
  k.kind = kind;
  k.text = std::move(text);
  k.name = std::move(name);
  return k;
}
SearchKey number(K kind, int64_t n) {
  SearchKey k;
  k.kind = kind;
  k.number = n;
  return k;
}
SearchKey flag(const std::string& name) { return key(K::Flag, "", name); }
SearchKey uids(K kind, std::vector<UidRange> ranges) {
  SearchKey k;
  k.kind = kind;
  k.uids = std::move(ranges);
  return k;
}
SearchKey node(K kind, std::vector<SearchKey> children) {
  SearchKey k;
  k.kind = kind;
  k.children = std::move(children);
  return k;
}

struct Mailbox {
  test::StoreDb db;
  int64_t mailbox = 0;
  std::vector<int64_t> modseqs;

  Mailbox() {
    NewAccount acc;
    acc.name = "joe";
    auto made = create_account(db.conn, acc);
    if (!made) FAIL(made.error().describe());
    add(made->id,
        "From: Alice <alice@example.com>\r\nTo: bob@example.com\r\nSubject: Quarterly report\r\n"
        "X-Priority: 1\r\nDate: Sat, 10 Jan 2026 09:00:00 +0000\r\n\r\nNumbers attached.\r\n",
        [](AppendRequest& r) {
          r.meta.subject = "Quarterly report";
          r.meta.from = "Alice <alice@example.com>";
          r.meta.to = "bob@example.com";
          r.meta.date_epoch = kJan10 + 9 * 3600;
          r.meta.search_text = "Alice alice@example.com bob@example.com Quarterly report Numbers attached.";
          r.flags = {"\\Seen"};
          r.internal_date = kFeb01 + 10 * 3600;
        });
    add(made->id,
        "From: carol@example.org\r\nSubject: Lunch\r\nX-Mailer: Foo 1.0\r\n"
        "Date: Tue, 20 Jan 2026 12:00:00 +0000\r\nContent-Type: text/html\r\n\r\n<p>Pine&shy;apple <b>pizza</b></p>\r\n",
        [](AppendRequest& r) {
          r.meta.subject = "Lunch";
          r.meta.from = "carol@example.org";
          r.meta.date_epoch = kJan20 + 12 * 3600;
          // ingest extracts the text of HTML parts: the raw bytes never hold "Pineapple pizza".
          r.meta.search_text = "carol@example.org Lunch Pineapple pizza";
          r.flags = {"$Work"};
          r.internal_date = kFeb02 + 23 * 3600 + 59 * 60;
        });
    add(made->id,
        "From: dave@example.net\r\nCc: Dave Two <dave2@example.net>\r\nBcc: eve@example.com\r\n"
        "Subject: Re: report\r\n\r\n" + std::string(2000, 'z') + "\r\n",
        [](AppendRequest& r) {
          r.meta.subject = "Re: report";
          r.meta.from = "dave@example.net";
          r.meta.cc = "Dave Two <dave2@example.net>";
          r.meta.search_text = "dave@example.net Re: report " + std::string(2000, 'z');
          r.flags = {"\\Flagged"};
          r.internal_date = kFeb03;
        });
  }

  template <class F>
  void add(int64_t account, const std::string& raw, F fill) {
    AppendRequest r;
    r.raw = raw;
    fill(r);
    auto a = append_message(db.conn, account, "INBOX", r);
    if (!a) FAIL(a.error().describe());
    mailbox = a->mailbox_id;
    modseqs.push_back(a->modseq);
  }

  Uids find(const SearchKey& k) {
    auto r = search_messages(db.conn, mailbox, k);
    if (!r) FAIL(r.error().describe());
    return r->uids;
  }
};

}  // namespace

TEST_CASE("SEARCH by flags, keywords, sizes and MODSEQ", "[store][imap][search][db]") {
  Mailbox m;
  CHECK(m.find(key(K::All)) == Uids{1, 2, 3});
  CHECK(m.find(flag("\\seen")) == Uids{1});
  CHECK(m.find(key(K::NoFlag, "", "\\Seen")) == Uids{2, 3});
  CHECK(m.find(flag("\\Flagged")) == Uids{3});
  CHECK(m.find(flag("$work")) == Uids{2});
  CHECK(m.find(key(K::NoFlag, "", "$Work")) == Uids{1, 3});
  CHECK(m.find(flag("\\Answered")).empty());
  CHECK(m.find(number(K::Larger, 1000)) == Uids{3});
  CHECK(m.find(number(K::Smaller, 1000)) == Uids{1, 2});
  CHECK(m.find(number(K::ModSeq, m.modseqs[1])) == Uids{2, 3});
  auto r = search_messages(m.db.conn, m.mailbox, flag("\\Seen"));
  REQUIRE(r.ok());
  CHECK(r->highest_modseq == m.modseqs[0]);
  CHECK(search_messages(m.db.conn, m.mailbox, flag("\\Recent")).error().code == ErrorCode::InvalidInput);
  CHECK(search_messages(m.db.conn, m.mailbox, flag("\\Draft"))->highest_modseq == 0);
}

TEST_CASE("SEARCH by internal date and sent date, in UTC days", "[store][imap][search][db]") {
  Mailbox m;
  CHECK(m.find(number(K::Before, kFeb02 + 5000)) == Uids{1});
  CHECK(m.find(number(K::On, kFeb02)) == Uids{2});
  CHECK(m.find(number(K::Since, kFeb02)) == Uids{2, 3});
  CHECK(m.find(number(K::SentBefore, kJan20)) == Uids{1});
  CHECK(m.find(number(K::SentOn, kJan20 + 70000)) == Uids{2});
  CHECK(m.find(number(K::SentSince, kJan10)) == Uids{1, 2});  // no Date header: no match
  CHECK(m.find(node(K::Not, {number(K::SentSince, kJan20)})) == Uids{1, 3});
}

TEST_CASE("SEARCH by header fields, decoded or in the raw header block", "[store][imap][search][db]") {
  Mailbox m;
  CHECK(m.find(key(K::Subject, "REPORT")) == Uids{1, 3});
  CHECK(m.find(key(K::From, "alice")) == Uids{1});
  CHECK(m.find(key(K::To, "bob@")) == Uids{1});
  CHECK(m.find(key(K::Cc, "dave two")) == Uids{3});
  CHECK(m.find(key(K::Bcc, "EVE@")) == Uids{3});
  CHECK(m.find(key(K::Header, "1", "x-priority")) == Uids{1});
  CHECK(m.find(key(K::Header, "", "X-Mailer")) == Uids{2});
  CHECK(m.find(key(K::Header, "foo", "Subject")).empty());
  CHECK(m.find(key(K::Header, "lunch", "SUBJECT")) == Uids{2});
  CHECK(m.find(key(K::Header, "pizza", "Content-Type")).empty());  // only that field's value
  CHECK(m.find(key(K::Subject, "")) == Uids{1, 2, 3});
  CHECK(search_messages(m.db.conn, m.mailbox, key(K::Header, "x", "X-Bad:Name")).error().code ==
        ErrorCode::InvalidInput);
  // Client text is a value, never SQL.
  CHECK(m.find(key(K::Subject, "') OR true --")).empty());
}

TEST_CASE("SEARCH BODY and TEXT use the full-text index with a substring recheck", "[store][imap][search][db]") {
  Mailbox m;
  CHECK(m.find(key(K::Body, "pineapple")) == Uids{2});  // only in the HTML part's text
  CHECK(m.find(key(K::Text, "PINEAPPLE Pizza")) == Uids{2});
  CHECK(m.find(key(K::Text, "pizza pineapple")).empty());  // words present, not as a substring
  CHECK(m.find(key(K::Body, "numbers attached")) == Uids{1});
  CHECK(m.find(key(K::Text, "alice@example.com")) == Uids{1});
  // Words as the 'simple' parser splits them: an address is one word, so a
  // part of it is not found (the documented cost of using the index).
  CHECK(m.find(key(K::Text, "example.com")).empty());
  CHECK(m.find(key(K::Text, "@")) == Uids{1, 2, 3});  // no words: the substring alone decides
  CHECK(m.find(key(K::Body, "zebra")).empty());
}

TEST_CASE("SEARCH with UID sets, '*', RECENT/NEW/OLD and OR/NOT nesting", "[store][imap][search][db]") {
  Mailbox m;
  CHECK(m.find(uids(K::UidSet, {{2, kUidStar}})) == Uids{2, 3});
  CHECK(m.find(uids(K::UidSet, {{kUidStar, kUidStar}})) == Uids{3});
  CHECK(m.find(uids(K::UidSet, {{9, kUidStar}})) == Uids{3});  // 9:* is 3:9
  CHECK(m.find(uids(K::UidSet, {{3, 1}})) == Uids{1, 2, 3});
  CHECK(m.find(uids(K::UidSet, {{1, 1}, {3, 3}})) == Uids{1, 3});
  CHECK(m.find(uids(K::UidSet, {})).empty());

  CHECK(m.find(uids(K::Recent, {{1, 1}, {3, 3}})) == Uids{1, 3});
  CHECK(m.find(uids(K::New, {{1, 1}, {3, 3}})) == Uids{3});
  CHECK(m.find(uids(K::Old, {{1, 1}, {3, 3}})) == Uids{2});

  CHECK(m.find(node(K::Or, {key(K::Subject, "lunch"), flag("\\Flagged")})) == Uids{2, 3});
  CHECK(m.find(node(K::Not, {node(K::Or, {key(K::From, "alice"), key(K::Cc, "dave")})})) == Uids{2});
  CHECK(m.find(node(K::And, {key(K::Subject, "report"), node(K::Not, {flag("\\Seen")}),
                             node(K::Or, {number(K::Larger, 100), key(K::Body, "pineapple")})})) == Uids{3});
  CHECK(m.find(node(K::And, {})) == Uids{1, 2, 3});
  CHECK(search_messages(m.db.conn, m.mailbox, node(K::Or, {flag("\\Seen")})).error().code ==
        ErrorCode::InvalidInput);
  SearchKey deep = flag("\\Seen");
  for (int i = 0; i < 150; ++i) deep = node(K::Not, {deep});
  CHECK(search_messages(m.db.conn, m.mailbox, deep).error().code == ErrorCode::InvalidInput);
}
