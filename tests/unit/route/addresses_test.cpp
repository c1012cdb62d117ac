// Routing cases for default addresses, mappings (kinds, types, collectors,
// special targets) and unknown recipients (catch-all mapping and account).
#include <catch2/catch.hpp>

#include "route_cases.hpp"

using namespace route_test;

TEST_CASE("default addresses reach the account on each routing domain", "[route]") {
  run_cases({
      {"local user", {}, "joe@a.com", smtp(), {"joe"}, {}},
      {"any case", {}, "JOE@A.COM", smtp(), {"joe"}, {}},
      {"second local domain", {}, "joe@b.co.uk", smtp(), {"joe"}, {}},
      {"accepted domain is remote for smtp", {}, "joe@collected.org", smtp(), {}, {"joe@collected.org"}},
      {"accepted domain is local for collectors", {}, "joe@collected.org", collected(), {"joe"}, {}},
      {"remote address keeps its case", {}, "Someone@Gmail.com", internal(), {}, {"Someone@Gmail.com"}},
      {"unknown local user", {}, "nobody@a.com", smtp(), {}, {}, ErrorCode::NotFound,
       "unknown local recipient <nobody@a.com>"},
      {"disabled account", {}, "dave@a.com", smtp(), {}, {}, ErrorCode::NotFound,
       "unknown local recipient <dave@a.com>"},
      {"not an address", {}, "joe", smtp(), {}, {}, ErrorCode::InvalidInput},
      {"empty local part", {}, "@a.com", smtp(), {}, {}, ErrorCode::InvalidInput},
      {"empty domain", {}, "joe@", smtp(), {}, {}, ErrorCode::InvalidInput},
  });
}

TEST_CASE("disabling default mappings leaves only explicit ones", "[route]") {
  auto no_smtp = [](Table& t) { t.disable_default_smtp_mappings = true; };
  auto no_collector = [](Table& t) { t.disable_default_collector_mappings = true; };
  run_cases({
      {"smtp off refuses smtp", no_smtp, "joe@a.com", smtp(), {}, {}, ErrorCode::NotFound},
      {"smtp off refuses local", no_smtp, "joe@a.com", internal(), {}, {}, ErrorCode::NotFound},
      {"smtp off keeps collector", no_smtp, "joe@a.com", collected(), {"joe"}, {}},
      {"collector off refuses collector", no_collector, "joe@collected.org", collected(), {}, {},
       ErrorCode::NotFound},
      {"collector off keeps smtp", no_collector, "joe@a.com", smtp(), {"joe"}, {}},
      {"explicit mapping still routes (multi-tenant)",
       [](Table& t) {
         t.disable_default_smtp_mappings = true;
         add_mapping(t, "joe@a.com", "joe");
       },
       "joe@a.com", smtp(), {"joe"}, {}},
      {"explicit mapping is per domain",
       [](Table& t) {
         t.disable_default_smtp_mappings = true;
         add_mapping(t, "joe@a.com", "joe");
       },
       "joe@b.co.uk", smtp(), {}, {}, ErrorCode::NotFound},
      {"lists follow the switch",
       [](Table& t) {
         t.disable_default_smtp_mappings = true;
         add_list(t, "sales", {"ann@a.com"});
       },
       "sales@a.com", smtp(), {}, {}, ErrorCode::NotFound},
  });
}

TEST_CASE("mappings route aliases by pattern kind", "[route]") {
  run_cases({
      {"local part alias on every domain", [](Table& t) { add_mapping(t, "sales", "ann"); }, "sales@b.co.uk",
       smtp(), {"ann"}, {}},
      {"domain-specific a.com",
       [](Table& t) {
         add_mapping(t, "sales@a.com", "joe");
         add_mapping(t, "sales@b.co.uk", "kate");
       },
       "sales@a.com", smtp(), {"joe"}, {}},
      {"domain-specific b.co.uk",
       [](Table& t) {
         add_mapping(t, "sales@a.com", "joe");
         add_mapping(t, "sales@b.co.uk", "kate");
       },
       "Sales@B.co.uk", smtp(), {"kate"}, {}},
      {"several mappings all deliver (guide: sales ann ben s*)",
       [](Table& t) {
         add_mapping(t, "sales", "ann");
         add_mapping(t, "sales", "ben");
         add_mapping(t, "s*", "s_users");
       },
       "sales@a.com", smtp(), {"ann", "ben", "s_users"}, {}},
      {"mapping adds to the default account", [](Table& t) { add_mapping(t, "joe", "kate"); }, "joe@a.com", smtp(),
       {"joe", "kate"}, {}},
      {"wildcard with domain", [](Table& t) { add_mapping(t, "sa*@a.com", "ann"); }, "Sam@a.com", smtp(), {"ann"},
       {}},
      {"wildcard with domain is that domain only", [](Table& t) { add_mapping(t, "sa*@a.com", "ann"); },
       "sam@b.co.uk", smtp(), {}, {}, ErrorCode::NotFound},
      {"wildcard local part ignores remote domains", [](Table& t) { add_mapping(t, "sa*", "ann"); },
       "sam@gmail.com", internal(), {}, {"sam@gmail.com"}},
      {"regex mapping", [](Table& t) { add_mapping(t, "/^support-[0-9]+@a\\.com$/", "ben"); }, "support-42@a.com",
       smtp(), {"ben"}, {}},
      {"regex is case-sensitive", [](Table& t) { add_mapping(t, "/^support-[0-9]+@a\\.com$/", "ben"); },
       "SUPPORT-42@a.com", smtp(), {}, {}, ErrorCode::NotFound},
      {"regex flag i", [](Table& t) { add_mapping(t, "/^(info|contact)@/i", "kate"); }, "Contact@b.co.uk", smtp(),
       {"kate"}, {}},
      {"address mapping on a remote domain", [](Table& t) { add_mapping(t, "boss@gmail.com", "joe"); },
       "boss@gmail.com", internal(), {"joe"}, {}},
      {"alias to another address",
       [](Table& t) {
         add_mapping(t, "help", "support@a.com");
         add_mapping(t, "support", "ben");
       },
       "help@a.com", smtp(), {"ben"}, {}},
      {"target remote address", [](Table& t) { add_mapping(t, "partner", "partner@elsewhere.net"); },
       "partner@a.com", smtp(), {}, {"partner@elsewhere.net"}},
      {"dangling target is unknown", [](Table& t) { add_mapping(t, "old", "gone"); }, "old@a.com", smtp(), {}, {},
       ErrorCode::NotFound},
      {"target disabled account is unknown", [](Table& t) { add_mapping(t, "x", "dave"); }, "x@a.com", smtp(), {},
       {}, ErrorCode::NotFound},
      {"target account name any case", [](Table& t) { add_mapping(t, "x", "KATE"); }, "x@a.com", smtp(), {"kate"},
       {}},
  });
}

TEST_CASE("special mapping targets remote and no-one", "[route]") {
  auto sarah_remote = [](Table& t) { add_mapping(t, "sarah", "remote"); };
  run_cases({
      {"remote user from local sender", sarah_remote, "sarah@a.com", internal(), {}, {"sarah@a.com"}},
      {"remote user over smtp", sarah_remote, "Sarah@a.com", smtp(), {}, {"Sarah@a.com"}},
      {"remote user in collected mail is ignored", sarah_remote, "sarah@a.com", collected(), {}, {}, {}, {}, true},
      {"no-one discards", [](Table& t) { add_mapping(t, "spam", "No-One"); }, "spam@a.com", smtp(), {}, {}, {}, {},
       true},
      {"no-one beside a real target", [](Table& t) {
         add_mapping(t, "x", "no-one");
         add_mapping(t, "x", "ann");
       },
       "x@a.com", smtp(), {"ann"}, {}},
  });
}

TEST_CASE("mapping types and collector filters", "[route]") {
  auto smtp_only = [](Table& t) { add_mapping(t, "x", "ann", MappingType::Smtp); };
  auto pop3_only = [](Table& t) { add_mapping(t, "x", "ann", MappingType::Pop3); };
  auto pop3_seven = [](Table& t) { add_mapping(t, "x", "ann", MappingType::Pop3, 7); };
  run_cases({
      {"SMTP type over smtp", smtp_only, "x@a.com", smtp(), {"ann"}, {}},
      {"SMTP type for local mail", smtp_only, "x@a.com", internal(), {"ann"}, {}},
      {"SMTP type not for collectors", smtp_only, "x@a.com", collected(), {}, {}, ErrorCode::NotFound},
      {"POP3 type for collectors", pop3_only, "x@collected.org", collected(), {"ann"}, {}},
      {"POP3 type not over smtp", pop3_only, "x@a.com", smtp(), {}, {}, ErrorCode::NotFound},
      {"POP3 for collector 7", pop3_seven, "x@a.com", collected(7), {"ann"}, {}},
      {"POP3 not for collector 8", pop3_seven, "x@a.com", collected(8), {}, {}, ErrorCode::NotFound},
      {"collector filter on Always", [](Table& t) { add_mapping(t, "x", "ann", MappingType::Always, 7); },
       "x@a.com", smtp(), {}, {}, ErrorCode::NotFound},
      {"From mappings are not recipient mappings", [](Table& t) { add_mapping(t, "x", "ann", MappingType::From); },
       "x@a.com", smtp(), {}, {}, ErrorCode::NotFound},
  });
}

TEST_CASE("unknown local recipients go to a catch-all or are refused", "[route]") {
  auto tilde_info = [](Table& t) { add_mapping(t, "~@a.com", "info"); };
  run_cases({
      {"tilde catches the unknown", tilde_info, "whoever@a.com", smtp(), {"info"}, {}},
      {"tilde leaves known users alone", tilde_info, "joe@a.com", smtp(), {"joe"}, {}},
      {"tilde is per domain", tilde_info, "whoever@b.co.uk", smtp(), {}, {}, ErrorCode::NotFound},
      {"tilde yields to mappings",
       [](Table& t) {
         add_mapping(t, "~@a.com", "info");
         add_mapping(t, "sales", "ann");
       },
       "sales@a.com", smtp(), {"ann"}, {}},
      {"tilde to no-one discards", [](Table& t) { add_mapping(t, "~@a.com", "no-one"); }, "whoever@a.com", smtp(),
       {}, {}, {}, {}, true},
      {"bare tilde covers every local domain", [](Table& t) { add_mapping(t, "~@", "info"); }, "whoever@b.co.uk",
       smtp(), {"info"}, {}},
      {"tilde catches a disabled account", tilde_info, "dave@a.com", smtp(), {"info"}, {}},
      {"catch-all account", [](Table& t) { t.catch_all_account = "info"; }, "whoever@b.co.uk", smtp(), {"info"},
       {}},
      {"catch-all account takes a disabled user", [](Table& t) { t.catch_all_account = "info"; }, "dave@a.com",
       smtp(), {"info"}, {}},
      {"catch-all account is for local domains", [](Table& t) { t.catch_all_account = "info"; }, "x@gmail.com",
       internal(), {}, {"x@gmail.com"}},
      {"catch-all account disabled", [](Table& t) { t.catch_all_account = "dave"; }, "whoever@a.com", smtp(), {}, {},
       ErrorCode::NotFound},
      {"catch-all account missing", [](Table& t) { t.catch_all_account = "ghost"; }, "whoever@a.com", smtp(), {},
       {}, ErrorCode::NotFound},
  });
}
