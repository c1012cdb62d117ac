// The selected mailbox's view, LIST matching and BODY[section] cutting
// (proto/imap/view.hpp, list_match.hpp, fetch_section.hpp).
#include <catch2/catch.hpp>

#include "proto/imap/fetch_section.hpp"
#include "proto/imap/list_match.hpp"
#include "proto/imap/view.hpp"
#include "proto/mime/message.hpp"

using namespace pillarbox::imap;

namespace {

SequenceSet set(const char* text) { return *parse_sequence_set(text); }

MailboxView view_of(std::vector<std::uint32_t> uids) {
  SelectedData d;
  d.name = "INBOX";
  d.uidnext = 100;
  for (auto u : uids) d.messages.push_back({u, u, {}});
  return MailboxView(d, false);
}

}  // namespace

TEST_CASE("imap view: sequence and UID sets", "[imap][view]") {
  MailboxView v = view_of({3, 5, 9, 10});
  CHECK(*v.uids_of_sequence_set(set("1,3:*")) == std::vector<std::uint32_t>{3, 9, 10});
  CHECK_FALSE(v.uids_of_sequence_set(set("5")));
  CHECK(v.uids_of_uid_set(set("4:9")) == std::vector<std::uint32_t>{5, 9});
  CHECK(v.uids_of_uid_set(set("20:*")) == std::vector<std::uint32_t>{10});
  CHECK(v.uids_of_uid_set(set("1:4294967295")).size() == 4);
  CHECK(*v.seq_of(9) == 3);
  CHECK(*v.remove(5) == 2);
  CHECK(*v.seq_of(9) == 2);
  v.append({11, 11, {}}, true);
  CHECK(v.exists() == 4);
  CHECK(v.is_recent(11));
  CHECK_FALSE(view_of({}).uids_of_sequence_set(set("*")));
}

TEST_CASE("imap list matching", "[imap][list]") {
  CHECK(list_matches("*", "Work/Projects"));
  CHECK_FALSE(list_matches("%", "Work/Projects"));
  CHECK(list_matches("Work/%", "Work/Projects"));
  CHECK(list_matches("inbox", "INBOX"));
  CHECK(list_matches("W*s", "Work/Projects"));
  CHECK_FALSE(list_matches("W%s", "Work/Projects"));
  CHECK(list_pattern("Work/", "%") == "Work/%");
  CHECK(list_pattern("Work", "/x") == "/x");
  CHECK(list_matches(std::string(200, '*') + "x", std::string(300, 'a') + "x"));
}

TEST_CASE("imap BODY[section] from the part tree", "[imap][fetch]") {
  const std::string raw =
      "Subject: s\r\nX-A: 1\r\n  folded\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain\r\n\r\none\r\n"
      "--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: in\r\n\r\ninner\r\n--b--\r\n";
  auto msg = pillarbox::mime::parse(raw);
  REQUIRE(msg);
  auto text = [&](std::vector<std::uint32_t> part, Section::Text t, std::vector<std::string> fields = {}) {
    Section s;
    s.part = std::move(part);
    s.text = t;
    s.fields = std::move(fields);
    return section_text(raw, msg->root, s);
  };
  CHECK(text({}, Section::Text::None) == raw);
  CHECK(text({1}, Section::Text::None) == "one");
  CHECK(text({1}, Section::Text::Mime) == "Content-Type: text/plain\r\n\r\n");
  CHECK(text({2}, Section::Text::Header) == "Subject: in\r\n\r\n");
  CHECK(text({2}, Section::Text::Text) == "inner");
  CHECK(text({2, 1}, Section::Text::None) == "inner");
  CHECK(text({3}, Section::Text::None).empty());
  CHECK(text({1}, Section::Text::Header).empty());
  CHECK(text({}, Section::Text::HeaderFields, {"X-A"}) == "X-A: 1\r\n  folded\r\n\r\n");
  CHECK(text({}, Section::Text::HeaderFieldsNot, {"X-A", "CONTENT-TYPE", "MIME-VERSION"}) == "Subject: s\r\n\r\n");
  CHECK(partial_of("hello", std::make_pair(1u, 3u)) == "ell");
  CHECK(partial_of("hello", std::make_pair(9u, 3u)).empty());
  FetchItem item;
  item.kind = FetchItem::Kind::BodySection;
  item.section.part = {1, 2};
  item.section.text = Section::Text::HeaderFields;
  item.section.fields = {"FROM", "TO"};
  item.partial = std::make_pair(0u, 10u);
  CHECK(section_name(item) == "BODY[1.2.HEADER.FIELDS (FROM TO)]<0>");
}
