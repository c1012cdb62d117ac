// Address resolution (REQUIREMENTS.md §1, admin guide 4-5): one recipient ->
// local accounts plus remote addresses, through default addresses, mappings,
// lists, forwards, assistants and size rules, with loop protection. Pure: no
// I/O, no clock (the Context carries the local date and time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "libcore/base/expected.hpp"
#include "libcore/match/pattern.hpp"
#include "libcore/route/table.hpp"

namespace pillarbox::route {

enum class Source {
  Smtp,       // received over SMTP from a client that is not known to be ours
  Collector,  // downloaded by a mail collector (POP3 "In Mail")
  Local,      // submitted by an authenticated user, or generated internally
};

struct Context {
  Source source = Source::Smtp;
  std::string sender;                  // envelope sender, "" for bounces
  bool sender_internal = false;        // authenticated / local (Source::Local counts as internal)
  uint64_t size = 0;                   // message size in bytes, for size rules
  int date = 0;                        // local date YYYYMMDD, for time windows
  int minute = 0;                      // local minutes after midnight
  std::optional<int64_t> collector_id; // which collector, for Source::Collector
};

struct LocalTarget {
  int64_t account_id = 0;
  std::string account;
  friend bool operator==(const LocalTarget&, const LocalTarget&) = default;
};

struct Resolution {
  std::vector<LocalTarget> local;   // deduplicated, in the order found
  std::vector<std::string> remote;  // as written; deduplicated ignoring case
  bool discarded = false;           // accepted, but nothing is delivered (no-one, empty list)
  // Addresses reached through a list, forward, assistant or size rule that
  // nothing knows (a stale list member): skipped, for the administrator's report.
  std::vector<std::string> unresolved;
};

// A built Router is immutable: resolve() is safe from any thread. Rebuild it
// from a fresh Table on config.changed.
class Router {
 public:
  // Compiles every mapping pattern once. A bad pattern -> InvalidInput
  // "mapping 7: regex /x(/: missing closing parenthesis at offset 2".
  static Expected<Router> build(Table table);

  // Errors: InvalidInput (not "local@domain"; nesting deeper than kMaxDepth),
  // NotFound "unknown local recipient <a@b>" (a local-domain address nothing
  // takes, or only a disabled account, and no catch-all), PermissionDenied
  // "list sales is for internal senders only" (only such lists matched).
  Expected<Resolution> resolve(std::string_view recipient, const Context& context) const;

  bool is_local_domain(std::string_view domain) const;  // Table::local_domains only
  const Table& table() const { return table_; }

  // Lookups used by the expansion, public for diagnostics (case-insensitive).
  const Account* find_account(std::string_view name) const;
  const List* find_list(std::string_view name) const;
  // The domains a user name or bare local part is matched on for this source:
  // the local domains, plus the accepted domains for collected mail.
  const std::vector<std::string>& routing_domains(Source source) const;
  // Mappings that apply to this context and match, in table order; From
  // mappings never. `catch_alls` selects the "~@domain" ones instead of the rest.
  std::vector<const Mapping*> matching_mappings(std::string_view address, const Context& context,
                                                bool catch_alls) const;

  static constexpr int kMaxDepth = 50;

 private:
  Router() = default;

  Table table_;
  std::vector<match::Pattern> patterns_;  // parallel to table_.mappings
  // Exact patterns are looked up by key (lowercased); wildcards and regexes
  // are tried one by one.
  std::unordered_map<std::string, std::vector<size_t>> by_address_;
  std::unordered_map<std::string, std::vector<size_t>> by_local_part_;
  std::vector<size_t> scanned_;
  std::vector<size_t> catch_alls_;
  std::unordered_map<std::string, size_t> accounts_;  // lowercased name -> index
  std::unordered_map<std::string, size_t> lists_;
  std::vector<std::string> collector_domains_;        // local + accepted
};

}  // namespace pillarbox::route
