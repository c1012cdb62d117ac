// Classifying and matching mapping patterns. Address, local part and domain
// comparisons are ASCII case-insensitive like wildcards; only a regex is
// case-sensitive (unless /i), as the admin guide says.
#include "libcore/match/pattern.hpp"

#include "libcore/match/text.hpp"
#include "libcore/match/wildcard.hpp"

namespace pillarbox::match {

bool domain_listed(std::string_view domain, const std::vector<std::string>& domains) {
  for (const std::string& d : domains) {
    if (has_wildcard(d) ? wildcard_match(d, domain) : iequals(d, domain)) return true;
  }
  return false;
}

Expected<Pattern> Pattern::compile(std::string_view text) {
  if (text.empty()) return fail(ErrorCode::InvalidInput, "empty address pattern");
  if (text.front() == '/') {
    auto regex = Regex::compile(text);
    if (!regex) return Unexpected{regex.error()};
    Pattern p(Kind::Regex, std::string(text));
    p.regex_.emplace(std::move(*regex));
    return p;
  }
  if (text.starts_with("~@")) return Pattern(Kind::DomainCatchAll, std::string(text));
  if (has_wildcard(text)) return Pattern(Kind::Wildcard, std::string(text));
  const AddressParts parts = split_address(text);
  if (!parts.has_at) return Pattern(Kind::LocalPart, std::string(text));
  if (parts.local.empty() || parts.domain.empty()) {
    return fail(ErrorCode::InvalidInput,
                "address pattern " + std::string(text) + ": needs both a local part and a domain");
  }
  return Pattern(Kind::Address, std::string(text));
}

bool Pattern::matches(std::string_view address, const std::vector<std::string>& local_domains) const {
  const AddressParts parts = split_address(address);
  if (kind_ == Kind::Regex) return regex_->search(address);
  if (!parts.has_at) return false;
  switch (kind_) {
    case Kind::Address:
      return iequals(text_, address);
    case Kind::LocalPart:
      return iequals(text_, parts.local) && domain_listed(parts.domain, local_domains);
    case Kind::Wildcard:
      // With '@' the pattern covers the whole address ("mark*@mydomain.com");
      // without, it is a local part on the local domains like "sales" is
      // (admin guide 5.3: "s*" -> s_users catches sales@<yourdomain>).
      if (text_.find('@') != std::string::npos) return wildcard_match(text_, address);
      return wildcard_match(text_, parts.local) && domain_listed(parts.domain, local_domains);
    case Kind::DomainCatchAll: {
      const std::string_view domain = std::string_view(text_).substr(2);
      if (domain.empty()) return domain_listed(parts.domain, local_domains);
      return has_wildcard(domain) ? wildcard_match(domain, parts.domain) : iequals(domain, parts.domain);
    }
    case Kind::Regex:
      break;
  }
  return false;
}

}  // namespace pillarbox::match
