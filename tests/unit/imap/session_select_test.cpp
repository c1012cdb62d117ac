// IMAP session: SELECT/EXAMINE, FETCH, STORE, EXPUNGE, COPY/MOVE, SEARCH,
// IDLE and updates between sessions (proto/imap/session.hpp).
#include "session_test_util.hpp"

using namespace imap_test;

namespace {

const std::string kSelected = lines({
    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
    "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted",
    "* 3 EXISTS",
    "* 3 RECENT",
    "* OK [UNSEEN 1] First unseen",
    "* OK [UIDVALIDITY 1000] UIDs valid",
    "* OK [UIDNEXT 4] Predicted next UID",
    "* OK [HIGHESTMODSEQ 4] Highest",
    "s OK [READ-WRITE] Select completed",
});
const std::string kSelect = "s SELECT INBOX\r\n";

}  // namespace

TEST_CASE("imap session: SELECT, EXAMINE, CLOSE, UNSELECT", "[imap][session]") {
  check_transcript({kLogin, kSelect, "x EXAMINE INBOX\r\nc CHECK\r\nu UNSELECT\r\nn SELECT Nope\r\nf FETCH 1 FLAGS\r\n"},
                   kGreeting + kLoggedIn + kSelected +
                       lines({"* OK [CLOSED] Previous mailbox closed",
                              "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                              "* OK [PERMANENTFLAGS ()] No permanent flags permitted", "* 3 EXISTS", "* 0 RECENT",
                              "* OK [UNSEEN 1] First unseen", "* OK [UIDVALIDITY 1000] UIDs valid",
                              "* OK [UIDNEXT 4] Predicted next UID", "* OK [HIGHESTMODSEQ 4] Highest",
                              "x OK [READ-ONLY] Examine completed", "c OK Check completed",
                              "u OK Unselect completed", "n NO [NONEXISTENT] Mailbox doesn't exist",
                              "f NO No mailbox selected"}));
}

TEST_CASE("imap session: FETCH from the view and the host", "[imap][session]") {
  check_transcript(
      {kLogin, kSelect,
       "f1 FETCH 1:* (FLAGS UID)\r\nf2 UID FETCH 2:3 (RFC822.SIZE INTERNALDATE)\r\nf3 FETCH 5 FLAGS\r\n",
       "f4 FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODY.PEEK[TEXT]<0.3>)\r\n",
       "f5 FETCH 2 (BODY[1] BODY[2.HEADER] BODY[2.1] BODY[1.MIME] BODY[9])\r\n", "f6 FETCH 3 RFC822.HEADER\r\n",
       "f7 FETCH 1 (FLAGS MODSEQ)\r\n"},
      kGreeting + kLoggedIn + kSelected +
          lines({"* 1 FETCH (FLAGS (\\Recent) UID 1)", "* 2 FETCH (FLAGS (\\Seen \\Recent) UID 2)",
                 "* 3 FETCH (FLAGS (\\Recent) UID 3)", "f1 OK FETCH completed",
                 "* 2 FETCH (UID 2 RFC822.SIZE " + std::to_string(kMessage2.size()) +
                     " INTERNALDATE \"14-Nov-2023 22:13:20 +0000\")",
                 "* 3 FETCH (UID 3 RFC822.SIZE " + std::to_string(kMessage3.size()) +
                     " INTERNALDATE \"14-Nov-2023 22:13:20 +0000\")",
                 "f2 OK UID FETCH completed", "f3 BAD Invalid message sequence number",
                 "* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {18}", "Subject: Hello", "",
                 " BODY[TEXT]<0> {3}", "Hi )", "f4 OK FETCH completed",
                 // The body fetch set \Seen, already there: no FLAGS.
                 "* 2 FETCH (BODY[1] {10}", "first part BODY[2.HEADER] {26}", "Subject: inner", "X-A: 1", "",
                 " BODY[2.1] {10}", "inner body BODY[1.MIME] {28}", "Content-Type: text/plain", "",
                 " BODY[9] {0}", ")", "f5 OK FETCH completed", "* 3 FETCH (RFC822.HEADER {18}",
                 "Subject: third", "", ")", "f6 OK FETCH completed",
                 "* 1 FETCH (FLAGS (\\Recent) MODSEQ (2))", "f7 OK FETCH completed"}));
}

TEST_CASE("imap session: FETCH sets \\Seen and reports it", "[imap][session]") {
  check_transcript({kLogin, kSelect, "f1 FETCH 3 BODY[]\r\nf2 FETCH 3 FLAGS\r\nf3 UID FETCH 1 RFC822.TEXT\r\n",
                    "x EXAMINE INBOX\r\nf4 FETCH 1 (BODY[TEXT] FLAGS)\r\n"},
                   kGreeting + kLoggedIn + kSelected +
                       lines({"* 3 FETCH (BODY[] {25}", "Subject: third", "", "three", " FLAGS (\\Seen \\Recent))",
                              "f1 OK FETCH completed", "* 3 FETCH (FLAGS (\\Seen \\Recent))", "f2 OK FETCH completed",
                              "* 1 FETCH (UID 1 RFC822.TEXT {9}", "Hi Bob.", " FLAGS (\\Seen \\Recent))",
                              "f3 OK UID FETCH completed", "* OK [CLOSED] Previous mailbox closed",
                              "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                              "* OK [PERMANENTFLAGS ()] No permanent flags permitted", "* 3 EXISTS", "* 0 RECENT",
                              "* OK [UIDVALIDITY 1000] UIDs valid", "* OK [UIDNEXT 4] Predicted next UID",
                              "* OK [HIGHESTMODSEQ 6] Highest", "x OK [READ-ONLY] Examine completed",
                              "* 1 FETCH (BODY[TEXT] {9}", "Hi Bob.", " FLAGS (\\Seen))", "f4 OK FETCH completed"}));
}

TEST_CASE("imap session: STORE, conditional STORE, EXPUNGE", "[imap][session]") {
  check_transcript({kLogin, kSelect,
                    "t1 STORE 1 +FLAGS (\\Deleted)\r\nt2 UID STORE 3 FLAGS.SILENT (\\Deleted $Junk)\r\n",
                    "t3 STORE 2 (UNCHANGEDSINCE 1) -FLAGS (\\Seen)\r\nt4 STORE 2 -FLAGS (\\Seen)\r\n",
                    "e EXPUNGE\r\nf FETCH 1:* (UID FLAGS)\r\n"},
                   kGreeting + kLoggedIn + kSelected +
                       lines({"* 1 FETCH (FLAGS (\\Deleted \\Recent))", "t1 OK STORE completed",
                              "t2 OK UID STORE completed", "t3 OK [MODIFIED 2] Conditional STORE failed",
                              "* 2 FETCH (FLAGS (\\Recent) MODSEQ (7))", "t4 OK STORE completed", "* 3 EXPUNGE",
                              "* 1 EXPUNGE", "e OK EXPUNGE completed", "* 1 FETCH (UID 2 FLAGS (\\Recent))",
                              "f OK FETCH completed"}));
}

TEST_CASE("imap session: COPY, MOVE, UID EXPUNGE", "[imap][session]") {
  check_transcript({kLogin, kSelect,
                    "c1 COPY 1:2 Trash\r\nc2 COPY 1 Nope\r\nm UID MOVE 2 Trash\r\nt STORE 1:2 +FLAGS.SILENT "
                    "(\\Deleted)\r\n",
                    "u UID EXPUNGE 3\r\nc3 COPY 1 INBOX\r\n"},
                   kGreeting + kLoggedIn + kSelected +
                       lines({"c1 OK [COPYUID 1000 1:2 1:2] Copy completed",
                              "c2 NO [TRYCREATE] Mailbox doesn't exist", "* OK [COPYUID 1000 2 3] Moved",
                              "* 2 EXPUNGE", "m OK Move completed", "t OK STORE completed", "* 2 EXPUNGE",
                              "u OK UID EXPUNGE completed", "* 2 EXISTS", "* 2 RECENT",
                              "c3 OK [COPYUID 1000 1 4] Copy completed"}));
}

TEST_CASE("imap session: SEARCH", "[imap][session]") {
  check_transcript({kLogin, kSelect,
                    "s1 SEARCH UNSEEN\r\ns2 UID SEARCH 2:* SUBJECT hello\r\ns3 SEARCH CHARSET KOI8-R ALL\r\n",
                    "s4 SEARCH CHARSET UTF-8 OR SEEN 3\r\ns5 SEARCH MODSEQ 3\r\ns6 SEARCH 7:9\r\n",
                    "s7 UID SEARCH UID 2:*\r\n"},
                   kGreeting + kLoggedIn + kSelected +
                       lines({"* SEARCH 1 3", "s1 OK SEARCH completed", "* SEARCH", "s2 OK UID SEARCH completed",
                              "s3 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset", "* SEARCH 2 3",
                              "s4 OK SEARCH completed", "* SEARCH 2 3 (MODSEQ 4)", "s5 OK SEARCH completed",
                              "* SEARCH", "s6 OK SEARCH completed", "* SEARCH 2 3", "s7 OK UID SEARCH completed"}));
}

TEST_CASE("imap session: two sessions on one mailbox", "[imap][session]") {
  FakeAccount account;
  seed(account);
  Player one(account, secure()), two(account, secure());
  one.start();
  two.start();
  one.feed(kLogin + kSelect);
  two.feed(kLogin + kSelect);
  one.take();
  two.take();
  // One flags 2 and expunges 1; two learns at NOOP, with numbers shifted.
  one.feed("a STORE 1 +FLAGS (\\Deleted)\r\nb STORE 2 +FLAGS (\\Flagged)\r\nc EXPUNGE\r\n");
  CHECK(one.take() == lines({"* 1 FETCH (FLAGS (\\Deleted \\Recent))", "a OK STORE completed",
                             "* 2 FETCH (FLAGS (\\Seen \\Flagged \\Recent))", "b OK STORE completed",
                             "* 1 EXPUNGE", "c OK EXPUNGE completed"}));
  two.changed();
  CHECK(two.take().empty());
  // No EXPUNGE during FETCH, STORE or SEARCH: the view keeps message 1.
  two.feed("f FETCH 1:* FLAGS\r\ns SEARCH ALL\r\nt STORE 3 +FLAGS (\\Answered)\r\n");
  CHECK(two.take() == lines({"* 1 FETCH (FLAGS ())", "* 2 FETCH (FLAGS (\\Seen))", "* 3 FETCH (FLAGS ())",
                             "f OK FETCH completed", "* SEARCH 2 3", "s OK SEARCH completed",
                             "* 3 FETCH (FLAGS (\\Answered))", "t OK STORE completed"}));
  account.deliver("INBOX", kMessage3);
  two.feed("n NOOP\r\n");
  CHECK(two.take() == lines({"* 1 EXPUNGE", "* 1 FETCH (UID 2 FLAGS (\\Seen \\Flagged))", "* 3 EXISTS",
                             "* 1 RECENT", "n OK NOOP completed"}));
  two.feed("f FETCH 1:* UID\r\n");
  CHECK(two.take() == lines({"* 1 FETCH (UID 2)", "* 2 FETCH (UID 3)", "* 3 FETCH (UID 4)", "f OK FETCH completed"}));
  one.feed("n NOOP\r\n");
  // Two claimed the delivery at its NOOP: it is \Recent there only
  // (RFC 3501 §2.3.2), so one's count stays at the two it selected with.
  CHECK(one.take() == lines({"* 2 FETCH (UID 3 FLAGS (\\Answered \\Recent))", "* 3 EXISTS", "* 2 RECENT",
                             "n OK NOOP completed"}));
  one.feed("r FETCH 3 (UID FLAGS)\r\n");
  CHECK(one.take() == lines({"* 3 FETCH (UID 4 FLAGS ())", "r OK FETCH completed"}));
}

TEST_CASE("imap session: IDLE", "[imap][session]") {
  FakeAccount account;
  seed(account);
  Player p(account, secure());
  p.start();
  p.feed(kLogin + kSelect);
  p.take();
  p.feed("i IDLE\r\n");
  CHECK(p.take() == "+ idling\r\n");
  account.deliver("INBOX", kMessage3);
  p.changed();
  CHECK(p.take() == lines({"* 4 EXISTS", "* 4 RECENT"}));
  p.feed("DO");
  p.feed("NE\r\nj IDLE\r\nnope\r\n");
  CHECK(p.take() == lines({"i OK Idle completed", "+ idling", "j BAD Expected DONE"}));
}

TEST_CASE("imap session: CONDSTORE and QRESYNC", "[imap][session]") {
  FakeAccount account;
  seed(account);
  Player p(account, secure());
  p.start();
  p.feed(kLogin + "e ENABLE QRESYNC\r\n" + kSelect);
  p.take();
  p.feed("t STORE 1 +FLAGS (\\Deleted)\r\nx EXPUNGE\r\nf FETCH 1:* (FLAGS) (CHANGEDSINCE 3)\r\n");
  CHECK(p.take() == lines({"* 1 FETCH (FLAGS (\\Deleted \\Recent) MODSEQ (5))", "t OK STORE completed",
                           "* VANISHED 1", "x OK EXPUNGE completed", "* 2 FETCH (FLAGS (\\Recent) MODSEQ (4))",
                           "f OK FETCH completed"}));
  p.feed("u UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)\r\n");
  CHECK(p.take() == lines({"* VANISHED (EARLIER) 1", "* 1 FETCH (UID 2 FLAGS (\\Seen \\Recent) MODSEQ (3))",
                           "* 2 FETCH (UID 3 FLAGS (\\Recent) MODSEQ (4))", "u OK UID FETCH completed"}));
  p.feed("q SELECT INBOX (QRESYNC (1000 3 1:3))\r\n");
  CHECK(p.take() == lines({"* OK [CLOSED] Previous mailbox closed",
                           "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                           "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted",
                           "* 2 EXISTS", "* 0 RECENT", "* OK [UNSEEN 2] First unseen",
                           "* OK [UIDVALIDITY 1000] UIDs valid", "* OK [UIDNEXT 4] Predicted next UID",
                           "* OK [HIGHESTMODSEQ 6] Highest", "* VANISHED (EARLIER) 1",
                           "* 2 FETCH (UID 3 FLAGS () MODSEQ (4))", "q OK [READ-WRITE] Select completed"}));
  // Nothing was expunged after MODSEQ 6: no VANISHED, though UID 1 is gone.
  p.feed("r SELECT INBOX (QRESYNC (1000 6 1:3))\r\nv UID FETCH 1:* (FLAGS) (CHANGEDSINCE 6 VANISHED)\r\n");
  const std::string resync = p.take();
  CHECK(resync.find("VANISHED") == std::string::npos);
  CHECK(resync.find("r OK [READ-WRITE] Select completed") != std::string::npos);
  CHECK(resync.find("v OK UID FETCH completed") != std::string::npos);
}

TEST_CASE("imap session: CLOSE expunges silently; host failures", "[imap][session]") {
  FakeAccount account;
  seed(account);
  Player p(account, secure());
  p.start();
  p.feed(kLogin + kSelect);
  p.take();
  p.feed("t STORE 2 +FLAGS.SILENT (\\Deleted)\r\nc CLOSE\r\nx STATUS INBOX (MESSAGES)\r\n");
  CHECK(p.take() == lines({"t OK STORE completed", "c OK Close completed", "* STATUS INBOX (MESSAGES 2)",
                           "x OK Status completed"}));
  account.fail_next = true;
  p.feed("l LIST \"\" *\r\n");
  CHECK(p.take() == "l NO [UNAVAILABLE] Temporary failure, try again later\r\n");
  // Input pipelined behind a pending request waits for the answer.
  account.fail_next = false;
  p.feed(kSelect + "f FETCH 1 UID\r\n");
  CHECK(p.requests.size() >= 2);
}
