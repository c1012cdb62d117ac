// Unit tests of the IMAP command parser (proto/imap/parser.hpp): tags and
// names, the UID prefix, the commands without or with simple arguments
// (LOGIN, AUTHENTICATE, ENABLE, ID, quota, COPY/MOVE, UID EXPUNGE), string
// forms (atom, quoted, literal) and the exact error texts.
#include <catch2/catch.hpp>

#include "parse_helpers.hpp"

using namespace pillarbox::imap;
using imap_test::parse_error;
using imap_test::parse_ok;

TEST_CASE("imap command names, tags and the UID prefix", "[imap][parser]") {
  struct Case {
    const char* text;
    const char* tag;
    const char* name;
    Verb verb;
    bool uid;
  };
  const Case cases[] = {
      {"a1 CAPABILITY", "a1", "CAPABILITY", Verb::Capability, false},
      {"a1 noop", "a1", "NOOP", Verb::Noop, false},
      {"x.y LOGOUT", "x.y", "LOGOUT", Verb::Logout, false},
      {"t StartTLS", "t", "STARTTLS", Verb::StartTls, false},
      {"t NAMESPACE", "t", "NAMESPACE", Verb::Namespace, false},
      {"t IDLE", "t", "IDLE", Verb::Idle, false},
      {"t CHECK", "t", "CHECK", Verb::Check, false},
      {"t CLOSE", "t", "CLOSE", Verb::Close, false},
      {"t UNSELECT", "t", "UNSELECT", Verb::Unselect, false},
      {"t EXPUNGE", "t", "EXPUNGE", Verb::Expunge, false},
      {"t uid expunge 1:3", "t", "EXPUNGE", Verb::Expunge, true},
      {"t UID FETCH 1 UID", "t", "FETCH", Verb::Fetch, true},
      {"t UID copy 1 Trash", "t", "COPY", Verb::Copy, true},
      {"t UID MOVE 1 Trash", "t", "MOVE", Verb::Move, true},
      {"t UID SEARCH ALL", "t", "SEARCH", Verb::Search, true},
      {"t UID STORE 1 FLAGS ()", "t", "STORE", Verb::Store, true},
      {"]] NOOP", "]]", "NOOP", Verb::Noop, false},
  };
  for (const Case& c : cases) {
    Command cmd = parse_ok(c.text);
    CHECK(cmd.tag == c.tag);
    CHECK(cmd.name == c.name);
    CHECK(cmd.verb == c.verb);
    CHECK(cmd.uid == c.uid);
  }
}

TEST_CASE("imap malformed command lines", "[imap][parser]") {
  CHECK(parse_error("") == "Missing tag");
  CHECK(parse_error(" NOOP") == "Missing tag");
  CHECK(parse_error("a+ NOOP") == "Invalid tag");
  CHECK(parse_error("* NOOP") == "Invalid tag");
  CHECK(parse_error("a") == "Missing command");
  CHECK(parse_error("a ") == "Missing command");
  CHECK(parse_error("a  NOOP") == "Invalid command");
  CHECK(parse_error("a FROB") == "Unknown command");
  CHECK(parse_error("a UID") == "Missing command");
  CHECK(parse_error("a UID LOGIN x y") == "Unknown command");
  CHECK(parse_error("a UID EXPUNGE") == "Missing argument");
  CHECK(parse_error("a NOOP extra") == "Unexpected extra arguments");
  CHECK(parse_error("a NOOP ") == "Unexpected extra arguments");
  CHECK(parse_error("a EXPUNGE 1") == "Unexpected extra arguments");
  CHECK(parse_error("a UID EXPUNGE 0") == "Invalid sequence set");
}

TEST_CASE("imap LOGIN takes two astrings in any string form", "[imap][parser]") {
  struct Case {
    const char* text;
    const char* user;
    const char* password;
  };
  const Case cases[] = {
      {"a LOGIN alice secret", "alice", "secret"},
      {"a LOGIN \"alice smith\" \"p\\\"w\\\\d\"", "alice smith", "p\"w\\d"},
      {"a LOGIN {5}\r\nalice {3+}\r\na b", "alice", "a b"},
      {"a LOGIN \"\" \"\"", "", ""},
      {"a LOGIN al]ce x", "al]ce", "x"},
  };
  for (const Case& c : cases) {
    auto login = parse_ok(c.text).as<LoginArgs>();
    CHECK(login.user == c.user);
    CHECK(login.password == c.password);
  }
  CHECK(parse_error("a LOGIN") == "Missing argument");
  CHECK(parse_error("a LOGIN alice") == "Missing argument");
  CHECK(parse_error("a LOGIN alice ") == "Missing argument");
  CHECK(parse_error("a LOGIN alice  pw") == "Invalid argument");
  CHECK(parse_error("a LOGIN alice pw x") == "Unexpected extra arguments");
  CHECK(parse_error("a LOGIN \"alice pw") == "Unterminated quoted string");
  CHECK(parse_error("a LOGIN \"al\\ice\" pw") == "Invalid quoted string");
  CHECK(parse_error("a LOGIN {9}\r\nalice pw") == "Invalid literal");
  CHECK(parse_error("a LOGIN {5}alice pw") == "Invalid literal");
  CHECK(parse_error("a LOGIN {x}\r\nalice pw") == "Invalid literal");
  CHECK(parse_error("a LOGIN {99999999999}\r\nalice pw") == "Invalid literal");
  CHECK(parse_error(std::string_view("a LOGIN {3}\r\na\0b pw", 19)) == "NUL in literal");
  CHECK(parse_error("a LOGIN (x) pw") == "Invalid argument");
}

TEST_CASE("imap AUTHENTICATE with and without an initial response", "[imap][parser]") {
  auto a = parse_ok("a AUTHENTICATE plain").as<AuthenticateArgs>();
  CHECK(a.mechanism == "PLAIN");
  CHECK_FALSE(a.initial_response);
  a = parse_ok("a AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==").as<AuthenticateArgs>();
  CHECK(a.initial_response == "AGFsaWNlAHNlY3JldA==");
  a = parse_ok("a AUTHENTICATE EXTERNAL =").as<AuthenticateArgs>();
  CHECK(a.initial_response == "=");
  CHECK(parse_error("a AUTHENTICATE") == "Missing argument");
  CHECK(parse_error("a AUTHENTICATE PLAIN a*b") == "Invalid initial response");
  CHECK(parse_error("a AUTHENTICATE PLAIN abc def") == "Invalid initial response");
}

TEST_CASE("imap ENABLE, ID, quota commands", "[imap][parser]") {
  CHECK(parse_ok("a ENABLE condstore QRESYNC").as<EnableArgs>().capabilities ==
        std::vector<std::string>{"CONDSTORE", "QRESYNC"});
  CHECK(parse_error("a ENABLE") == "Missing argument");
  CHECK(parse_error("a ENABLE (X)") == "Invalid atom");

  CHECK_FALSE(parse_ok("a ID NIL").as<IdArgs>().fields);
  auto id = parse_ok("a ID (\"name\" \"Thunderbird\" \"version\" NIL)").as<IdArgs>();
  REQUIRE(id.fields);
  REQUIRE(id.fields->size() == 2);
  CHECK((*id.fields)[0].first == "name");
  CHECK((*id.fields)[0].second == "Thunderbird");
  CHECK((*id.fields)[1].first == "version");
  CHECK_FALSE((*id.fields)[1].second);
  CHECK(parse_error("a ID (\"name\" \"x\"") == "Unbalanced parentheses");
  CHECK(parse_error("a ID (\"name\")") == "Expected space");
  CHECK(parse_error("a ID") == "Missing argument");

  CHECK(parse_ok("a GETQUOTA \"\"").as<MailboxArgs>().name.empty());
  CHECK(parse_ok("a GETQUOTAROOT inbox").as<MailboxArgs>().name == "INBOX");
  auto sq = parse_ok("a SETQUOTA \"\" (STORAGE 512 message 1000)").as<SetQuotaArgs>();
  CHECK(sq.root.empty());
  CHECK(sq.limits == std::vector<std::pair<std::string, std::uint64_t>>{{"STORAGE", 512}, {"MESSAGE", 1000}});
  CHECK(parse_ok("a SETQUOTA r ()").as<SetQuotaArgs>().limits.empty());
  CHECK(parse_error("a SETQUOTA r (STORAGE)") == "Expected space");
  CHECK(parse_error("a GETQUOTAROOT") == "Missing argument");
}

TEST_CASE("imap COPY, MOVE and UID EXPUNGE", "[imap][parser]") {
  auto c = parse_ok("a COPY 1:3,5 \"Sent Items\"").as<CopyArgs>();
  CHECK(format_sequence_set(c.set) == "1:3,5");
  CHECK(c.mailbox == "Sent Items");
  CHECK(parse_ok("a UID MOVE * inBox").as<CopyArgs>().mailbox == "INBOX");
  CHECK(format_sequence_set(parse_ok("a UID EXPUNGE 4:*").as<UidSetArgs>().set) == "4:*");
  CHECK(parse_error("a COPY 1:3") == "Missing argument");
  CHECK(parse_error("a COPY x Trash") == "Invalid sequence set");
  CHECK(parse_error("a COPY 1:0 Trash") == "Invalid sequence set");
  CHECK(parse_error("a MOVE 1,,2 Trash") == "Invalid sequence set");
  CHECK(parse_error("a MOVE 1a Trash") == "Invalid sequence set");
}

TEST_CASE("imap mailbox commands with one or two names", "[imap][parser]") {
  CHECK(parse_ok("a CREATE Archive/2026").as<MailboxArgs>().name == "Archive/2026");
  CHECK(parse_ok("a DELETE \"&ZeVnLIqe-\"").as<MailboxArgs>().name == "&ZeVnLIqe-");
  CHECK(parse_ok("a SUBSCRIBE inbox").as<MailboxArgs>().name == "INBOX");
  CHECK(parse_ok("a UNSUBSCRIBE Inbox/Sub").as<MailboxArgs>().name == "Inbox/Sub");
  auto r = parse_ok("a RENAME {3+}\r\nold new").as<RenameArgs>();
  CHECK(r.from == "old");
  CHECK(r.to == "new");
  CHECK(parse_error("a RENAME old") == "Missing argument");
  CHECK(parse_error("a CREATE") == "Missing argument");
  CHECK(parse_error("a CREATE a b") == "Unexpected extra arguments");
}
