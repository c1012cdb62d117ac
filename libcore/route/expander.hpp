// One Router::resolve() call: a depth-first walk from one recipient through
// default addresses, mappings, lists, forwards, assistants and size rules,
// collecting local accounts and remote addresses. Internal to libcore/route;
// the rules it applies are documented in expander.cpp.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "libcore/route/router.hpp"

namespace pillarbox::route {

class Expander {
 public:
  Expander(const Router& router, const Context& context, std::string_view recipient);
  Expected<Resolution> run();

 private:
  // What following an address or a target found.
  struct Reach {
    bool known = false;    // something took it, even if it delivers nowhere (no-one)
    bool refused = false;  // an internal-only list refused an outside sender
    Reach& operator|=(const Reach& o) {
      known = known || o.known;
      refused = refused || o.refused;
      return *this;
    }
  };

  // `depth` counts addresses along the path (the recipient is 1); `guarded`
  // is true until the walk leaves the recipient through a list, forward,
  // assistant or size rule: only there do internal-only lists refuse.
  Expected<Reach> address(std::string_view addr, int depth, bool guarded);
  Expected<Reach> address_rules(std::string_view addr, int depth, bool guarded);
  Reach cycle_back(std::string_view addr);
  Expected<Reach> target(std::string_view target, std::string_view matched, int depth, bool guarded);
  Expected<Reach> name(std::string_view name, int depth, bool guarded);
  Expected<Reach> account(const Account& account, int depth);
  Expected<void> account_rules(const Account& account, int depth);
  Expected<Reach> list(const List& list, int depth, bool guarded);
  // Follows a field of addresses or names; true when any of them was known.
  Expected<bool> entries(const std::vector<std::string>& entries, int depth);

  bool defaults_enabled() const;
  Unexpected too_deep() const;
  void add_local(const Account& account);
  void add_remote(std::string_view addr);

  const Router& router_;
  const Context& context_;
  const std::string recipient_;
  const std::vector<std::string>& domains_;  // routing domains for this source
  const bool internal_;
  Resolution result_;
  std::string refused_list_;
  std::unordered_set<std::string> active_;  // keys on the current path: a revisit is a cycle
  std::unordered_set<std::string> done_;    // keys expanded completely
  std::unordered_set<int64_t> local_seen_;
  std::unordered_set<std::string> remote_seen_;
  std::unordered_set<std::string> unresolved_seen_;
};

}  // namespace pillarbox::route
