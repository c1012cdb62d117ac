// mailbox.changed events reach the sessions watching that mailbox or account.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "daemons/imapd/watchers.hpp"

using namespace pillarbox::imapd;

TEST_CASE("events by mailbox and by account wake exactly the right watchers", "[imapd][watchers]") {
  Watchers w;
  std::vector<std::string> woken;
  int a = 0, b = 0, c = 0;
  w.watch(&a, 1, 10, [&] { woken.push_back("a"); });
  w.watch(&b, 1, 11, [&] { woken.push_back("b"); });
  w.watch(&c, 2, 20, [&] { woken.push_back("c"); });
  w.notify({{"mailboxes", {{{"mailbox", 11}, {"uid", 4}}}}});
  CHECK(woken == std::vector<std::string>{"b"});
  woken.clear();
  w.notify({{"accounts", {1}}});
  std::sort(woken.begin(), woken.end());  // no order between watchers is promised
  CHECK(woken == std::vector<std::string>{"a", "b"});
  woken.clear();
  w.unwatch(&a);
  w.watch(&b, 1, 20, [&] { woken.push_back("b2"); });  // re-watching replaces
  w.notify({{"mailboxes", {{{"mailbox", 20}}}}});
  CHECK(woken.size() == 2);
  woken.clear();
  w.notify({{"mailboxes", "not a list of objects"}});
  w.notify(nlohmann::json::object());
  CHECK(woken.empty());
  CHECK(w.size() == 2);
}
