// The routing-table fixture (see route_cases.hpp).
#include "route_cases.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

namespace route_test {

Table base_table() {
  Table t;
  t.local_domains = {"a.com", "b.co.uk"};
  t.accepted_domains = {"collected.org"};
  int64_t id = 1;
  for (const char* name : {"joe", "kate", "ann", "ben", "sue", "phil", "marc", "mark", "fred", "dave", "info",
                           "tom", "s_users"}) {
    Account a;
    a.id = id++;
    a.name = name;
    t.accounts.push_back(a);
  }
  account(t, "dave").enabled = false;
  return t;
}

Account& account(Table& t, const std::string& name) {
  for (Account& a : t.accounts) {
    if (a.name == name) return a;
  }
  Account a;
  a.id = static_cast<int64_t>(t.accounts.size()) + 100;
  a.name = name;
  t.accounts.push_back(a);
  return t.accounts.back();
}

void add_mapping(Table& t, std::string pattern, std::string target, MappingType type,
                 std::optional<int64_t> collector) {
  Mapping m;
  m.id = static_cast<int64_t>(t.mappings.size()) + 1;
  m.pattern = std::move(pattern);
  m.target = std::move(target);
  m.type = type;
  m.collector_id = collector;
  t.mappings.push_back(m);
}

void add_list(Table& t, std::string name, std::vector<std::string> members, bool internet) {
  List l;
  l.id = static_cast<int64_t>(t.lists.size()) + 1;
  l.name = std::move(name);
  l.members = std::move(members);
  l.allow_internet = internet;
  t.lists.push_back(l);
}

Context smtp(std::string sender) {
  Context c;
  c.source = Source::Smtp;
  c.sender = std::move(sender);
  c.date = 20260115;
  c.minute = 12 * 60;
  return c;
}

Context internal(std::string sender) {
  Context c = smtp(std::move(sender));
  c.source = Source::Local;
  c.sender_internal = true;
  return c;
}

Context collected(std::optional<int64_t> collector_id) {
  Context c = smtp();
  c.source = Source::Collector;
  c.collector_id = collector_id;
  return c;
}

Context at(Context c, int date, int minute) {
  c.date = date;
  c.minute = minute;
  return c;
}

Context sized(Context c, uint64_t bytes) {
  c.size = bytes;
  return c;
}

void run_cases(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.name) {
      Table table = base_table();
      if (c.setup) c.setup(table);
      auto router = Router::build(table);
      REQUIRE(router.ok());
      auto r = router->resolve(c.recipient, c.context);
      if (c.error) {
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == *c.error);
        if (!c.message.empty()) CHECK(r.error().message == c.message);
        continue;
      }
      if (!r.ok()) FAIL("unexpected error: " << r.error().describe());
      std::vector<std::string> local;
      for (const LocalTarget& t : r->local) local.push_back(t.account);
      CHECK(local == c.local);
      CHECK(r->remote == c.remote);
      CHECK(r->discarded == c.discarded);
      CHECK(r->unresolved == c.unresolved);
    }
  }
}

}  // namespace route_test
