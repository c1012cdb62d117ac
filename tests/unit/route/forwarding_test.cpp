// Routing cases for admin guide 4.5: forwarding (copy, redirect, on/off),
// assistants (skipped when an assistant sends), time windows and size rules.
#include <catch2/catch.hpp>

#include "route_cases.hpp"

using namespace route_test;

namespace {

void forward(Table& t, const std::string& who, std::vector<std::string> to, bool redirect) {
  Account& a = account(t, who);
  a.forward_to = std::move(to);
  a.forward_enabled = true;
  a.forward_redirect = redirect;
}

void assistants(Table& t, const std::string& who, std::vector<std::string> to, bool redirect) {
  Account& a = account(t, who);
  a.assistants = std::move(to);
  a.assistants_enabled = true;
  a.assistant_redirect = redirect;
}

}  // namespace

TEST_CASE("forwarding copies or redirects", "[route]") {
  run_cases({
      {"redirect (guide: mark to marc)", [](Table& t) { forward(t, "mark", {"marc@a.com"}, true); }, "mark@a.com",
       smtp(), {"marc"}, {}},
      {"copy to a remote address", [](Table& t) { forward(t, "fred", {"fred@home.net"}, false); }, "fred@a.com",
       smtp(), {"fred"}, {"fred@home.net"}},
      {"several addresses separated by semicolons",
       [](Table& t) { forward(t, "fred", {"a@x.net; b@y.net"}, true); }, "fred@a.com", smtp(), {},
       {"a@x.net", "b@y.net"}},
      {"Use Forwarding off keeps the addresses unused",
       [](Table& t) {
         forward(t, "fred", {"fred@home.net"}, true);
         account(t, "fred").forward_enabled = false;
       },
       "fred@a.com", smtp(), {"fred"}, {}},
      {"forward through an alias", [](Table& t) {
         forward(t, "fred", {"fred@home.net"}, true);
         add_mapping(t, "fb", "fred");
       },
       "fb@a.com", smtp(), {}, {"fred@home.net"}},
      {"forward to a remote-marked user",
       [](Table& t) {
         forward(t, "fred", {"fb@a.com"}, true);
         add_mapping(t, "fb", "remote");
       },
       "fred@a.com", internal(), {}, {"fb@a.com"}},
      {"redirect to an unknown address keeps the local copy",
       [](Table& t) { forward(t, "fred", {"ghost@a.com"}, true); }, "fred@a.com", smtp(), {"fred"}, {}, {}, {},
       false, {"ghost@a.com"}},
      {"redirect to no-one by a mapping discards",
       [](Table& t) {
         forward(t, "fred", {"bin@a.com"}, true);
         add_mapping(t, "bin", "no-one");
       },
       "fred@a.com", smtp(), {}, {}, {}, {}, true},
  });
}

TEST_CASE("assistants are skipped when an assistant sends", "[route]") {
  auto sue_phil = [](Table& t) { assistants(t, "sue", {"phil@a.com"}, true); };
  run_cases({
      {"redirect to the assistant", sue_phil, "sue@a.com", smtp(), {"phil"}, {}},
      {"assistant sends to the boss", sue_phil, "sue@a.com", internal("phil@a.com"), {"sue"}, {}},
      {"assistant sender any case", sue_phil, "sue@a.com", internal("PHIL@A.com"), {"sue"}, {}},
      {"copy to the assistant", [](Table& t) { assistants(t, "sue", {"phil@a.com"}, false); }, "sue@a.com", smtp(),
       {"sue", "phil"}, {}},
      {"remote assistant", [](Table& t) { assistants(t, "sue", {"phil@home.net"}, false); }, "sue@a.com", smtp(),
       {"sue"}, {"phil@home.net"}},
      {"one of several assistants sends",
       [](Table& t) { assistants(t, "sue", {"phil@a.com;ann@a.com"}, true); }, "sue@a.com", internal("ann@a.com"),
       {"sue"}, {}},
      {"assistant by bare name", [](Table& t) { assistants(t, "sue", {"phil"}, true); }, "sue@a.com",
       internal("phil@b.co.uk"), {"sue"}, {}},
      {"assistants switched off",
       [](Table& t) {
         assistants(t, "sue", {"phil@a.com"}, true);
         account(t, "sue").assistants_enabled = false;
       },
       "sue@a.com", smtp(), {"sue"}, {}},
      {"redirect to assistant turns forwarding off",
       [](Table& t) {
         assistants(t, "sue", {"phil@a.com"}, true);
         forward(t, "sue", {"sue@home.net"}, false);
       },
       "sue@a.com", smtp(), {"phil"}, {}},
      {"and still off when the assistant sends",
       [](Table& t) {
         assistants(t, "sue", {"phil@a.com"}, true);
         forward(t, "sue", {"sue@home.net"}, false);
       },
       "sue@a.com", internal("phil@a.com"), {"sue"}, {}},
      {"copy to assistant and forward both apply",
       [](Table& t) {
         assistants(t, "sue", {"phil@a.com"}, false);
         forward(t, "sue", {"sue@home.net"}, false);
       },
       "sue@a.com", smtp(), {"sue", "phil"}, {"sue@home.net"}},
  });
}

TEST_CASE("time windows gate assistants and forwards", "[route]") {
  auto january = [](Table& t) {
    forward(t, "fred", {"fred@home.net"}, true);
    account(t, "fred").forward_window = Window{20260101, 20260131, {}, {}};
  };
  auto office_hours = [](Table& t) {
    assistants(t, "sue", {"phil@a.com"}, true);
    account(t, "sue").assistant_window = Window{{}, {}, 9 * 60, 17 * 60};
  };
  auto night = [](Table& t) {
    forward(t, "fred", {"fred@home.net"}, true);
    account(t, "fred").forward_window = Window{{}, {}, 22 * 60, 6 * 60};
  };
  // Admin guide: "20070101 10:00 to 20070108 12:00" is 10:00-12:00 on each day.
  auto guide = [](Table& t) {
    forward(t, "fred", {"fred@home.net"}, true);
    account(t, "fred").forward_window = Window{20070101, 20070108, 10 * 60, 12 * 60};
  };
  run_cases({
      {"date window open", january, "fred@a.com", at(smtp(), 20260115, 0), {}, {"fred@home.net"}},
      {"date window first day", january, "fred@a.com", at(smtp(), 20260101, 0), {}, {"fred@home.net"}},
      {"date window last day", january, "fred@a.com", at(smtp(), 20260131, 1439), {}, {"fred@home.net"}},
      {"date window closed", january, "fred@a.com", at(smtp(), 20260201, 600), {"fred"}, {}},
      {"office hours open", office_hours, "sue@a.com", at(smtp(), 20260115, 10 * 60), {"phil"}, {}},
      {"office hours closed", office_hours, "sue@a.com", at(smtp(), 20260115, 18 * 60), {"sue"}, {}},
      {"overnight window at 23:00", night, "fred@a.com", at(smtp(), 20260115, 23 * 60), {}, {"fred@home.net"}},
      {"overnight window at 05:59", night, "fred@a.com", at(smtp(), 20260115, 5 * 60 + 59), {},
       {"fred@home.net"}},
      {"overnight window at noon", night, "fred@a.com", at(smtp(), 20260115, 12 * 60), {"fred"}, {}},
      {"guide window inside", guide, "fred@a.com", at(smtp(), 20070105, 11 * 60), {}, {"fred@home.net"}},
      {"guide window wrong hour", guide, "fred@a.com", at(smtp(), 20070105, 13 * 60), {"fred"}, {}},
      {"guide window wrong day", guide, "fred@a.com", at(smtp(), 20070109, 11 * 60), {"fred"}, {}},
  });
}

TEST_CASE("size rules copy or redirect by message size", "[route]") {
  auto big_copy = [](Table& t) {
    account(t, "tom").size_rules = {SizeRule{true, 100, {"archive@store.net"}, false}};
  };
  auto small_redirect = [](Table& t) {
    account(t, "tom").size_rules = {SizeRule{false, 10, {"tom@phone.net"}, true}};
  };
  run_cases({
      {"large message copied", big_copy, "tom@a.com", sized(smtp(), 200 * 1024), {"tom"}, {"archive@store.net"}},
      {"exactly the limit counts", big_copy, "tom@a.com", sized(smtp(), 100 * 1024), {"tom"},
       {"archive@store.net"}},
      {"small message not copied", big_copy, "tom@a.com", sized(smtp(), 100 * 1024 - 1), {"tom"}, {}},
      {"small message redirected", small_redirect, "tom@a.com", sized(smtp(), 5000), {}, {"tom@phone.net"}},
      {"large message stays", small_redirect, "tom@a.com", sized(smtp(), 20000), {"tom"}, {}},
      {"rule without addresses is inert",
       [](Table& t) { account(t, "tom").size_rules = {SizeRule{true, 0, {}, true}}; }, "tom@a.com",
       sized(smtp(), 5000), {"tom"}, {}},
  });
}
