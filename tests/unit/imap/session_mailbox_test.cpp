// IMAP session: LIST/LSUB, CREATE/DELETE/RENAME, SUBSCRIBE, STATUS, QUOTA,
// APPEND (proto/imap/session.hpp).
#include "session_test_util.hpp"

using namespace imap_test;

TEST_CASE("imap session: LIST and LSUB", "[imap][session]") {
  check_transcript({kLogin, "l1 LIST \"\" \"\"\r\nl2 LIST \"\" *\r\nl3 LIST \"\" %\r\nl4 LIST Work/ %\r\n",
                    "l5 LSUB \"\" *\r\nl6 LIST (SPECIAL-USE) \"\" *\r\nl7 LIST \"\" * RETURN (SUBSCRIBED)\r\n",
                    "l8 LIST \"\" inbox\r\n"},
                   kGreeting + kLoggedIn +
                       lines({"* LIST (\\Noselect) \"/\" \"\"", "l1 OK LIST completed",
                              "* LIST (\\HasNoChildren) \"/\" INBOX", "* LIST (\\HasNoChildren \\Sent) \"/\" Sent",
                              "* LIST (\\HasNoChildren \\Trash) \"/\" Trash", "* LIST (\\HasChildren) \"/\" Work",
                              "* LIST (\\HasNoChildren) \"/\" Work/Projects", "l2 OK LIST completed",
                              "* LIST (\\HasNoChildren) \"/\" INBOX", "* LIST (\\HasNoChildren \\Sent) \"/\" Sent",
                              "* LIST (\\HasNoChildren \\Trash) \"/\" Trash", "* LIST (\\HasChildren) \"/\" Work",
                              "l3 OK LIST completed", "* LIST (\\HasNoChildren) \"/\" Work/Projects",
                              "l4 OK LIST completed", "* LSUB () \"/\" INBOX", "* LSUB () \"/\" Sent",
                              "* LSUB () \"/\" Trash", "* LSUB () \"/\" Work/Projects", "l5 OK LSUB completed",
                              "* LIST (\\HasNoChildren \\Sent) \"/\" Sent",
                              "* LIST (\\HasNoChildren \\Trash) \"/\" Trash", "l6 OK LIST completed",
                              "* LIST (\\HasNoChildren \\Subscribed) \"/\" INBOX",
                              "* LIST (\\HasNoChildren \\Subscribed \\Sent) \"/\" Sent",
                              "* LIST (\\HasNoChildren \\Subscribed \\Trash) \"/\" Trash",
                              "* LIST (\\HasChildren) \"/\" Work",
                              "* LIST (\\HasNoChildren \\Subscribed) \"/\" Work/Projects", "l7 OK LIST completed",
                              "* LIST (\\HasNoChildren) \"/\" INBOX", "l8 OK LIST completed"}));
}

TEST_CASE("imap session: mailbox management, modified UTF-7", "[imap][session]") {
  check_transcript({kLogin, "c1 CREATE Caf&AOk-/\r\nc2 CREATE Caf&AOk-\r\nc3 CREATE &Jjo\r\n",
                    "l LIST \"\" Caf*\r\nr RENAME Caf&AOk- Bar\r\nd1 DELETE INBOX\r\nd2 DELETE Nope\r\n",
                    "d3 DELETE Bar\r\ns1 SUBSCRIBE Work\r\ns2 UNSUBSCRIBE Nope\r\nl2 LSUB \"\" W*\r\n"},
                   kGreeting + kLoggedIn +
                       lines({"c1 OK Create completed", "c2 NO [ALREADYEXISTS] Mailbox already exists",
                              "c3 BAD Invalid modified UTF-7 mailbox name",
                              "* LIST (\\HasNoChildren) \"/\" Caf&AOk-", "l OK LIST completed",
                              "r OK Rename completed", "d1 NO [CANNOT] INBOX cannot be deleted",
                              "d2 NO [NONEXISTENT] Mailbox doesn't exist", "d3 OK Delete completed",
                              "s1 OK Subscribe completed", "s2 NO [NONEXISTENT] Mailbox doesn't exist",
                              "* LSUB () \"/\" Work", "* LSUB () \"/\" Work/Projects", "l2 OK LSUB completed"}));
}

TEST_CASE("imap session: STATUS, QUOTA, APPEND", "[imap][session]") {
  check_transcript(
      {kLogin,
       "s STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ)\r\ns2 STATUS Nope (MESSAGES)\r\n",
       "q1 GETQUOTAROOT INBOX\r\nq2 GETQUOTA \"\"\r\nq3 GETQUOTA x\r\nq4 SETQUOTA \"\" (STORAGE 1)\r\n",
       "a1 APPEND Sent (\\Seen \\Recent) \"05-Jan-2025 10:00:00 +0100\" {12}\r\n",
       "Subject: x\r\n\r\na2 APPEND Nope {1+}\r\nx\r\n", "s3 STATUS Sent (MESSAGES UNSEEN)\r\n"},
      kGreeting + kLoggedIn +
          lines({"* STATUS INBOX (MESSAGES 3 RECENT 3 UIDNEXT 4 UIDVALIDITY 1000 UNSEEN 2 HIGHESTMODSEQ 4)",
                 "s OK Status completed", "s2 NO [NONEXISTENT] Mailbox doesn't exist",
                 "* QUOTAROOT INBOX \"\"", "* QUOTA \"\" (STORAGE 1 1024 MESSAGE 3 1000)", "q1 OK Getquota completed",
                 "* QUOTA \"\" (STORAGE 1 1024 MESSAGE 3 1000)", "q2 OK Getquota completed",
                 "q3 NO [NONEXISTENT] No such quota root", "q4 NO [NOPERM] Quotas are set by the administrator",
                 "+ Ready for literal data", "a1 OK [APPENDUID 1000 1] Append completed",
                 "a2 NO [TRYCREATE] Mailbox doesn't exist", "* STATUS Sent (MESSAGES 1 UNSEEN 0)",
                 "s3 OK Status completed"}));
}
