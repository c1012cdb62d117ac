// Routing cases for distribution lists: members local and remote, internal-
// only lists, nesting, blanks and separators, stale members, deduplication.
#include <catch2/catch.hpp>

#include "route_cases.hpp"

using namespace route_test;

TEST_CASE("lists expand to local and remote members", "[route]") {
  auto sales = [](Table& t) { add_list(t, "sales", {"joe@a.com", "kate", "partner@elsewhere.net"}); };
  run_cases({
      {"list with a remote member", sales, "sales@a.com", smtp(), {"joe", "kate"}, {"partner@elsewhere.net"}},
      {"list on the other domain", sales, "SALES@b.co.uk", smtp(), {"joe", "kate"}, {"partner@elsewhere.net"}},
      {"list through a mapping",
       [](Table& t) {
         add_list(t, "team", {"ann@a.com", "ben@a.com"});
         add_mapping(t, "office", "team");
       },
       "office@a.com", smtp(), {"ann", "ben"}, {}},
      {"nested lists",
       [](Table& t) {
         add_list(t, "l1", {"l2@a.com", "joe@a.com"});
         add_list(t, "l2", {"kate@a.com"});
       },
       "l1@a.com", smtp(), {"kate", "joe"}, {}},
      {"nested by bare name",
       [](Table& t) {
         add_list(t, "l1", {"l2", "joe"});
         add_list(t, "l2", {"kate"});
       },
       "l1@a.com", smtp(), {"kate", "joe"}, {}},
      {"blanks and separators",
       [](Table& t) { add_list(t, "l", {"joe@a.com; kate@a.com", "", "  ann@a.com  ", "ben@a.com,x@y.net"}); },
       "l@a.com", smtp(), {"joe", "kate", "ann", "ben"}, {"x@y.net"}},
      {"duplicates collapse",
       [](Table& t) { add_list(t, "l", {"joe@a.com", "JOE@a.com", "joe@b.co.uk", "x@gmail.com", "X@GMAIL.com"}); },
       "l@a.com", smtp(), {"joe"}, {"x@gmail.com"}},
      {"stale members are reported",
       [](Table& t) { add_list(t, "l", {"joe@a.com", "ghost@a.com", "gone", "dave@a.com"}); }, "l@a.com", smtp(),
       {"joe"}, {}, {}, {}, false, {"ghost@a.com", "gone", "dave@a.com"}},
      {"empty list discards", [](Table& t) { add_list(t, "void", {}); }, "void@a.com", smtp(), {}, {}, {}, {},
       true},
      {"member through the tilde catch-all",
       [](Table& t) {
         add_list(t, "l", {"ghost@a.com"});
         add_mapping(t, "~@a.com", "info");
       },
       "l@a.com", smtp(), {"info"}, {}},
      {"stale member does not reach the catch-all account",
       [](Table& t) {
         add_list(t, "l", {"ghost@a.com", "joe@a.com"});
         t.catch_all_account = "info";
       },
       "l@a.com", smtp(), {"joe"}, {}, {}, {}, false, {"ghost@a.com"}},
  });
}

TEST_CASE("internal-only lists refuse outside senders", "[route]") {
  auto staff = [](Table& t) { add_list(t, "staff", {"joe@a.com", "kate@a.com"}, false); };
  run_cases({
      {"outside sender refused", staff, "staff@a.com", smtp(), {}, {}, ErrorCode::PermissionDenied,
       "list staff is for internal senders only"},
      {"collected mail refused", staff, "staff@a.com", collected(), {}, {}, ErrorCode::PermissionDenied},
      {"internal sender over smtp",
       staff, "staff@a.com",
       [] {
         Context c = smtp("joe@a.com");
         c.sender_internal = true;
         return c;
       }(),
       {"joe", "kate"}, {}},
      {"local submission", staff, "staff@a.com", internal(), {"joe", "kate"}, {}},
      {"alias to an internal list is refused",
       [](Table& t) {
         add_list(t, "staff", {"joe@a.com"}, false);
         add_mapping(t, "team", "staff");
       },
       "team@a.com", smtp(), {}, {}, ErrorCode::PermissionDenied, "list staff is for internal senders only"},
      {"alias address to an internal list is refused",
       [](Table& t) {
         add_list(t, "staff", {"joe@a.com"}, false);
         add_mapping(t, "team", "staff@a.com");
       },
       "team@a.com", smtp(), {}, {}, ErrorCode::PermissionDenied},
      {"refused list does not fall to the catch-all",
       [](Table& t) {
         add_list(t, "staff", {"joe@a.com"}, false);
         t.catch_all_account = "info";
         add_mapping(t, "~@a.com", "info");
       },
       "staff@a.com", smtp(), {}, {}, ErrorCode::PermissionDenied},
      {"other mappings still deliver",
       [](Table& t) {
         add_list(t, "staff", {"joe@a.com"}, false);
         add_mapping(t, "sales", "staff");
         add_mapping(t, "sales", "ann");
       },
       "sales@a.com", smtp(), {"ann"}, {}},
      {"public list may contain an internal one",
       [](Table& t) {
         add_list(t, "staff", {"joe@a.com", "kate@a.com"}, false);
         add_list(t, "all", {"staff@a.com", "ann@a.com"}, true);
       },
       "all@a.com", smtp(), {"joe", "kate", "ann"}, {}},
      {"forward to an internal list is the owner's choice",
       [](Table& t) {
         add_list(t, "staff", {"kate@a.com"}, false);
         Account& joe = account(t, "joe");
         joe.forward_to = {"staff@a.com"};
         joe.forward_enabled = true;
       },
       "joe@a.com", smtp(), {"joe", "kate"}, {}},
  });
}
