// Routing cases for loop protection: nesting deeper than 50 levels is an
// error with VPOP3's wording; cycles stop quietly; shared sub-lists are
// expanded once, so a diamond-shaped configuration stays cheap.
#include <catch2/catch.hpp>

#include <string>

#include "route_cases.hpp"

using namespace route_test;

namespace {

// l1 -> l2 -> ... -> ln -> joe: joe sits at level n + 1.
void list_chain(Table& t, int n) {
  for (int i = 1; i <= n; ++i) {
    const std::string next = i == n ? "joe@a.com" : "l" + std::to_string(i + 1) + "@a.com";
    add_list(t, "l" + std::to_string(i), {next});
  }
}

// f1 redirects to f2 ... fn, which keeps the message: fn is level n.
void forward_chain(Table& t, int n) {
  for (int i = 1; i < n; ++i) {
    Account& a = account(t, "f" + std::to_string(i));
    a.forward_to = {"f" + std::to_string(i + 1) + "@a.com"};
    a.forward_enabled = true;
    a.forward_redirect = true;
  }
  account(t, "f" + std::to_string(n));
}

const char* kTooDeep =
    "Error expanding recipient <l1@a.com>: Nesting Level too deep (51). Check the configuration for loops";

}  // namespace

TEST_CASE("nesting deeper than 50 levels is refused", "[route]") {
  run_cases({
      {"49 lists reach joe at level 50", [](Table& t) { list_chain(t, 49); }, "l1@a.com", smtp(), {"joe"}, {}},
      {"50 lists put joe at level 51", [](Table& t) { list_chain(t, 50); }, "l1@a.com", smtp(), {}, {},
       ErrorCode::InvalidInput, kTooDeep},
      {"forward chain of 50", [](Table& t) { forward_chain(t, 50); }, "f1@a.com", smtp(), {"f50"}, {}},
      {"forward chain of 51", [](Table& t) { forward_chain(t, 51); }, "f1@a.com", smtp(), {}, {},
       ErrorCode::InvalidInput,
       "Error expanding recipient <f1@a.com>: Nesting Level too deep (51). Check the configuration for loops"},
  });
}

TEST_CASE("cycles stop without error", "[route]") {
  run_cases({
      {"redirect loop ends at the first account",
       [](Table& t) {
         account(t, "mark").forward_to = {"marc@a.com"};
         account(t, "mark").forward_enabled = account(t, "mark").forward_redirect = true;
         account(t, "marc").forward_to = {"mark@a.com"};
         account(t, "marc").forward_enabled = account(t, "marc").forward_redirect = true;
       },
       "mark@a.com", smtp(), {"mark"}, {}},
      {"copy loop delivers both once",
       [](Table& t) {
         account(t, "joe").forward_to = {"kate@a.com"};
         account(t, "joe").forward_enabled = true;
         account(t, "kate").forward_to = {"joe@a.com"};
         account(t, "kate").forward_enabled = true;
       },
       "joe@a.com", smtp(), {"joe", "kate"}, {}},
      {"list containing itself",
       [](Table& t) { add_list(t, "l", {"l@a.com", "joe@a.com"}); }, "l@a.com", smtp(), {"joe"}, {}},
      {"two lists containing each other",
       [](Table& t) {
         add_list(t, "l1", {"l2@a.com", "joe@a.com"});
         add_list(t, "l2", {"l1@a.com", "kate@a.com"});
       },
       "l1@a.com", smtp(), {"kate", "joe"}, {}},
      {"mapping loop between addresses",
       [](Table& t) {
         add_mapping(t, "x@a.com", "y@a.com");
         add_mapping(t, "y@a.com", "x@a.com");
       },
       "x@a.com", smtp(), {}, {}, {}, {}, true},
      {"own assistant",
       [](Table& t) {
         account(t, "sue").assistants = {"sue@a.com"};
         account(t, "sue").assistants_enabled = account(t, "sue").assistant_redirect = true;
       },
       "sue@a.com", smtp(), {"sue"}, {}},
  });
}

TEST_CASE("shared sub-lists are expanded once", "[route]") {
  // Each level names the next one twice (two domains): 2^40 paths, 40 lists.
  run_cases({
      {"diamond of 40 levels",
       [](Table& t) {
         for (int i = 1; i <= 40; ++i) {
           const std::string next = "d" + std::to_string(i + 1);
           if (i == 40) add_list(t, "d40", {"joe@a.com", "joe@b.co.uk"});
           else add_list(t, "d" + std::to_string(i), {next + "@a.com", next + "@b.co.uk"});
         }
       },
       "d1@a.com", smtp(), {"joe"}, {}},
  });
}
