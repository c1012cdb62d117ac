// Shared fixture for the routing tables: a base Table (domains a.com and
// b.co.uk, accepted domain collected.org, a dozen accounts), builders for
// mappings, lists and contexts, and run_cases() which checks one row each.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "libcore/route/router.hpp"

namespace route_test {

using namespace pillarbox;
using namespace pillarbox::route;

struct Case {
  std::string name;
  std::function<void(Table&)> setup;  // changes to the base table
  std::string recipient;
  Context context;
  std::vector<std::string> local;      // account names, in order
  std::vector<std::string> remote;     // in order
  std::optional<ErrorCode> error = {};
  std::string message = {};            // exact error message when not empty
  bool discarded = false;
  std::vector<std::string> unresolved = {};
};

Table base_table();
Account& account(Table& t, const std::string& name);  // an account of the base table
void add_mapping(Table& t, std::string pattern, std::string target, MappingType type = MappingType::Always,
                 std::optional<int64_t> collector = std::nullopt);
void add_list(Table& t, std::string name, std::vector<std::string> members, bool internet = true);

Context smtp(std::string sender = "someone@outside.net");
Context internal(std::string sender = "joe@a.com");  // Source::Local
Context collected(std::optional<int64_t> collector_id = std::nullopt);
Context at(Context c, int date, int minute);
Context sized(Context c, uint64_t bytes);

// Builds a router per case and checks result or error; one DYNAMIC_SECTION each.
void run_cases(const std::vector<Case>& cases);

}  // namespace route_test
