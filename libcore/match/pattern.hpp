// Address patterns as mappings use them (REQUIREMENTS.md §1, admin guide 3.2,
// 3.3, 5.3): a full address, a bare local part, a DOS wildcard, a /regex/flags
// or "~@domain" (unknown addresses at a domain). This file only answers "does
// this pattern match this address"; which mapping wins is libcore/route's.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/base/expected.hpp"
#include "libcore/match/regex.hpp"

namespace pillarbox::match {

enum class Kind {
  Address,         // "sales@a.com": that address, any case
  LocalPart,       // "sales": sales@<each local domain>
  Wildcard,        // "sa*@a.com" (whole address) or "sa*" (local part on local domains)
  Regex,           // "/^sales@/i": searched in the whole address, unanchored
  DomainCatchAll,  // "~@a.com", "~@*.a.com"; "~@" alone: every local domain
};

// True when `domain` equals one of `domains` (ASCII case-insensitive); an
// entry may be a DOS wildcard ("*.example.com").
bool domain_listed(std::string_view domain, const std::vector<std::string>& domains);

class Pattern {
 public:
  // InvalidInput: empty text, "a@" / "@b" (an address missing a part), a bad
  // regex (message from Regex::compile).
  static Expected<Pattern> compile(std::string_view text);

  Kind kind() const { return kind_; }
  const std::string& text() const { return text_; }

  // Whether this pattern matches `address` ("local@domain"). `local_domains`
  // are the domains a bare local part (LocalPart, Wildcard without '@', "~@")
  // is matched on: the router passes the local domains, plus the accepted
  // domains for collected mail (admin guide 5.1). A DomainCatchAll only says
  // the domain fits: "only when nothing else matched" is the router's rule.
  // An address without '@' can only match a Regex.
  bool matches(std::string_view address, const std::vector<std::string>& local_domains) const;

 private:
  Pattern(Kind kind, std::string text) : kind_(kind), text_(std::move(text)) {}

  Kind kind_;
  std::string text_;
  std::optional<match::Regex> regex_;
};

}  // namespace pillarbox::match
