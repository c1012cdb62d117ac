// Unit tests of the mailbox commands with structured arguments
// (proto/imap/parser.hpp): SELECT/EXAMINE with CONDSTORE and QRESYNC, LIST
// and LSUB with RFC 5258/6154 options, STATUS items, APPEND.
#include <catch2/catch.hpp>

#include "parse_helpers.hpp"

using namespace pillarbox::imap;
using imap_test::parse_error;
using imap_test::parse_ok;

TEST_CASE("imap SELECT and EXAMINE", "[imap][select]") {
  auto s = parse_ok("a SELECT inbox").as<SelectArgs>();
  CHECK(s.mailbox == "INBOX");
  CHECK_FALSE(s.condstore);
  CHECK_FALSE(s.qresync);
  CHECK(parse_ok("a EXAMINE \"Sent Items\"").verb == Verb::Examine);
  CHECK(parse_ok("a EXAMINE \"Sent Items\"").as<SelectArgs>().mailbox == "Sent Items");
  CHECK(parse_ok("a SELECT INBOX (CONDSTORE)").as<SelectArgs>().condstore);

  s = parse_ok("a SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))").as<SelectArgs>();
  REQUIRE(s.qresync);
  CHECK(s.qresync->uidvalidity == 67890007u);
  CHECK(s.qresync->modseq == 20050715194045000ull);
  REQUIRE(s.qresync->known_uids);
  CHECK(format_sequence_set(*s.qresync->known_uids) == "41,43:211,214:541");
  CHECK_FALSE(s.qresync->known_sequence_numbers);

  s = parse_ok("a EXAMINE INBOX (QRESYNC (1 2 1:* (1:2,5 10:11,20)) CONDSTORE)").as<SelectArgs>();
  REQUIRE(s.qresync);
  CHECK(s.condstore);
  CHECK(format_sequence_set(*s.qresync->known_sequence_numbers) == "1:2,5");
  CHECK(format_sequence_set(*s.qresync->known_sequence_uids) == "10:11,20");

  s = parse_ok("a SELECT INBOX (QRESYNC (1 2 (3 4)))").as<SelectArgs>();
  CHECK_FALSE(s.qresync->known_uids);
  CHECK(format_sequence_set(*s.qresync->known_sequence_uids) == "4");
  s = parse_ok("a SELECT INBOX (QRESYNC (1 0))").as<SelectArgs>();
  CHECK(s.qresync->modseq == 0u);
}

TEST_CASE("imap malformed SELECT", "[imap][select]") {
  CHECK(parse_error("a SELECT") == "Missing argument");
  CHECK(parse_error("a SELECT INBOX ()") == "Unknown SELECT parameter");
  CHECK(parse_error("a SELECT INBOX (CONDSTORE") == "Unbalanced parentheses");
  CHECK(parse_error("a SELECT INBOX (FOO)") == "Unknown SELECT parameter");
  CHECK(parse_error("a SELECT INBOX (QRESYNC)") == "Expected space");
  CHECK(parse_error("a SELECT INBOX (QRESYNC (0 1))") == "Invalid number");
  CHECK(parse_error("a SELECT INBOX (QRESYNC (1))") == "Expected space");
  CHECK(parse_error("a SELECT INBOX (QRESYNC (1 2 x))") == "Invalid sequence set");
  CHECK(parse_error("a SELECT INBOX (QRESYNC (1 2 3 4))") == "Invalid QRESYNC parameters");
  CHECK(parse_error("a SELECT INBOX (QRESYNC (1 2 (3)))") == "Expected space");
  CHECK(parse_error("a SELECT INBOX (QRESYNC (1 2) QRESYNC (1 2))") == "Duplicate QRESYNC");
}

TEST_CASE("imap LIST and LSUB", "[imap][list]") {
  auto l = parse_ok("a LIST \"\" *").as<ListArgs>();
  CHECK(l.reference.empty());
  CHECK(l.patterns == std::vector<std::string>{"*"});
  CHECK_FALSE(l.extended);
  l = parse_ok("a LIST ~/Mail/ %/a]b").as<ListArgs>();
  CHECK(l.reference == "~/Mail/");
  CHECK(l.patterns == std::vector<std::string>{"%/a]b"});
  CHECK(parse_ok("a LIST \"\" \"\"").as<ListArgs>().patterns == std::vector<std::string>{""});
  l = parse_ok("a LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (INBOX* \"Sent Items\") RETURN (CHILDREN SPECIAL-USE)")
          .as<ListArgs>();
  CHECK(l.extended);
  CHECK(l.select_subscribed);
  CHECK(l.select_recursive_match);
  CHECK_FALSE(l.select_special_use);
  CHECK(l.patterns == std::vector<std::string>{"INBOX*", "Sent Items"});
  CHECK(l.return_children);
  CHECK(l.return_special_use);
  CHECK_FALSE(l.return_subscribed);
  l = parse_ok("a LIST (special-use) \"\" * return (subscribed)").as<ListArgs>();
  CHECK(l.select_special_use);
  CHECK(l.return_subscribed);
  l = parse_ok("a LIST () \"\" % RETURN ()").as<ListArgs>();
  CHECK(l.extended);
  auto s = parse_ok("a LSUB \"\" news.*").as<ListArgs>();
  CHECK(s.patterns == std::vector<std::string>{"news.*"});
  CHECK(parse_error("a LSUB") == "Missing argument");
}

TEST_CASE("imap malformed LIST", "[imap][list]") {
  CHECK(parse_error("a LIST") == "Missing argument");
  CHECK(parse_error("a LIST \"\"") == "Missing argument");
  CHECK(parse_error("a LIST (FOO) \"\" *") == "Unknown LIST selection option");
  CHECK(parse_error("a LIST (RECURSIVEMATCH) \"\" *") == "RECURSIVEMATCH needs another selection option");
  CHECK(parse_error("a LIST (SUBSCRIBED \"\" *") == "Unknown LIST selection option");
  CHECK(parse_error("a LIST \"\" (a b") == "Unbalanced parentheses");
  CHECK(parse_error("a LIST \"\" * RETURN (STATUS (MESSAGES))") == "Unknown LIST return option");
  CHECK(parse_error("a LIST \"\" * RETURN (CHILDREN") == "Unbalanced parentheses");
  CHECK(parse_error("a LIST \"\" * EXTRA") == "Unexpected extra arguments");
  CHECK(parse_error("a LSUB \"\" (a b)") == "Invalid mailbox pattern");
  CHECK(parse_error("a LSUB (SUBSCRIBED) \"\" *") == "Invalid argument");
}

TEST_CASE("imap STATUS items", "[imap][status]") {
  auto s = parse_ok("a STATUS inbox (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ SIZE deleted)")
               .as<StatusArgs>();
  CHECK(s.mailbox == "INBOX");
  CHECK(s.items == std::vector<StatusItem>{StatusItem::Messages, StatusItem::Recent, StatusItem::UidNext,
                                           StatusItem::UidValidity, StatusItem::Unseen, StatusItem::HighestModSeq,
                                           StatusItem::Size, StatusItem::Deleted});
  CHECK(parse_error("a STATUS INBOX") == "Missing argument");
  CHECK(parse_error("a STATUS INBOX ()") == "Missing STATUS item");
  CHECK(parse_error("a STATUS INBOX (MESSAGES") == "Unbalanced parentheses");
  CHECK(parse_error("a STATUS INBOX (MESSAGES BOGUS)") == "Unknown STATUS item");
  CHECK(parse_error("a STATUS INBOX MESSAGES") == "Expected '('");
}

TEST_CASE("imap APPEND with optional flags and date", "[imap][append]") {
  auto a = parse_ok("a APPEND saved-messages (\\Seen) \"05-Jul-1994 02:05:07 -0700\" {5}\r\nhello").as<AppendArgs>();
  CHECK(a.mailbox == "saved-messages");
  CHECK(a.flags == std::vector<std::string>{"\\Seen"});
  REQUIRE(a.internal_date);
  CHECK(format_date_time(*a.internal_date) == "05-Jul-1994 02:05:07 -0700");
  CHECK(a.message == "hello");

  a = parse_ok("a APPEND INBOX {12+}\r\nA: b\r\n\r\nbody").as<AppendArgs>();
  CHECK(a.flags.empty());
  CHECK_FALSE(a.internal_date);
  CHECK(a.message == "A: b\r\n\r\nbody");
  a = parse_ok("a APPEND Drafts () {0}\r\n").as<AppendArgs>();
  CHECK(a.message.empty());
  CHECK(parse_ok("a APPEND x \" 5-Jul-1994 02:05:07 +0000\" {1}\r\nx").as<AppendArgs>().internal_date->date.day == 5);
}

TEST_CASE("imap malformed APPEND", "[imap][append]") {
  CHECK(parse_error("a APPEND") == "Missing argument");
  CHECK(parse_error("a APPEND INBOX") == "Missing argument");
  CHECK(parse_error("a APPEND INBOX \"hello\"") == "Invalid date-time");
  CHECK(parse_error("a APPEND INBOX hello") == "Expected message literal");
  CHECK(parse_error("a APPEND INBOX (\\Seen {1}\r\nx") == "Invalid flag");
  CHECK(parse_error("a APPEND INBOX (\\Seen) \"31-Feb-2026 00:00:00 +0000\" {1}\r\nx") == "Invalid date-time");
  CHECK(parse_error("a APPEND INBOX {5}\r\nabc") == "Invalid literal");
  CHECK(parse_error("a APPEND INBOX {1}\r\nxy") == "Unexpected extra arguments");
  CHECK(parse_error("a APPEND INBOX (\\Seen){1}\r\nx") == "Expected space");
}
