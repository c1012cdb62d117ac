// The routing table: everything address resolution needs, as plain data. The
// store loads it from PostgreSQL (store::load_routing_table) and reloads it on
// config.changed; route::resolve works on it without I/O, so routing is
// deterministic and tested by table. Names and addresses are kept as entered;
// comparisons are case-insensitive.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pillarbox::route {

// A time window (admin guide 4.5): dates YYYYMMDD and times HH:MM, each end
// optional (open-ended). Times are minutes after midnight, local time.
struct Window {
  std::optional<int> from_date;     // 20260131
  std::optional<int> to_date;
  std::optional<int> from_minute;   // 0..1439
  std::optional<int> to_minute;
};

// Size-dependent copy/redirect: messages of at least / at most `kilobytes`.
struct SizeRule {
  bool at_least = true;             // false: at most
  int64_t kilobytes = 0;
  std::vector<std::string> addresses;
  bool redirect = false;            // false: copy
};

struct Account {
  int64_t id = 0;
  std::string name;                 // 1-32 of [A-Za-z0-9._-]
  bool enabled = true;
  // Forwarding: "Forward To" addresses, "Use Forwarding", redirect (no local copy).
  std::vector<std::string> forward_to;
  bool forward_enabled = false;
  bool forward_redirect = false;
  Window forward_window;
  // Assistants: copy or redirect; mail sent by an assistant skips this rule.
  std::vector<std::string> assistants;
  bool assistants_enabled = false;
  bool assistant_redirect = false;
  Window assistant_window;
  std::vector<SizeRule> size_rules;
};

enum class MappingType { Always, Smtp, Pop3, From };

struct Mapping {
  int64_t id = 0;
  std::string pattern;              // address, local part, DOS wildcard, /regex/flags, ~@domain
  MappingType type = MappingType::Always;
  // An account name, a list name, a remote address, "remote" (the address is
  // external though it looks local) or "no-one" (discard).
  std::string target;
  std::optional<int64_t> collector_id;  // only for mail from this collector
  std::string comment;
};

struct List {
  int64_t id = 0;
  std::string name;                 // never the same as an account's
  std::vector<std::string> members; // local or remote addresses
  bool allow_internet = false;      // mail from outside may reach the list
};

struct Table {
  std::vector<std::string> local_domains;     // mail for these is delivered here
  std::vector<std::string> accepted_domains;  // used by collectors
  std::vector<Account> accounts;
  std::vector<Mapping> mappings;
  std::vector<List> lists;
  std::string catch_all_account;              // "" = unknown local recipients are refused
  bool disable_default_smtp_mappings = false; // no implicit user@localdomain
  bool disable_default_collector_mappings = false;
};

}  // namespace pillarbox::route
