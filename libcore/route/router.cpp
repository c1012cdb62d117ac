// Building the router (patterns compiled once, names and exact patterns
// indexed) and the lookups the expansion uses. The walk is expander.cpp.
#include "libcore/route/router.hpp"

#include <algorithm>

#include "libcore/match/text.hpp"
#include "libcore/route/expander.hpp"

namespace pillarbox::route {
namespace {

// Mapping types (admin guide 5.3): SMTP covers incoming SMTP and locally sent
// mail, POP3 only collected mail, From is matched against senders elsewhere.
// A collector filter limits any type to mail from that collector.
bool applies(const Mapping& m, const Context& context) {
  if (m.collector_id &&
      (context.source != Source::Collector || context.collector_id != m.collector_id)) {
    return false;
  }
  switch (m.type) {
    case MappingType::Always: return true;
    case MappingType::Smtp: return context.source != Source::Collector;
    case MappingType::Pop3: return context.source == Source::Collector;
    case MappingType::From: return false;
  }
  return false;
}

}  // namespace

Expected<Router> Router::build(Table table) {
  Router r;
  r.table_ = std::move(table);
  r.patterns_.reserve(r.table_.mappings.size());
  for (size_t i = 0; i < r.table_.mappings.size(); ++i) {
    const Mapping& m = r.table_.mappings[i];
    auto pattern = match::Pattern::compile(m.pattern);
    if (!pattern) {
      return fail(ErrorCode::InvalidInput, "mapping " + std::to_string(m.id) + ": " + pattern.error().message);
    }
    switch (pattern->kind()) {
      case match::Kind::Address: r.by_address_[match::ascii_lower(m.pattern)].push_back(i); break;
      case match::Kind::LocalPart: r.by_local_part_[match::ascii_lower(m.pattern)].push_back(i); break;
      case match::Kind::Wildcard:
      case match::Kind::Regex: r.scanned_.push_back(i); break;
      case match::Kind::DomainCatchAll: r.catch_alls_.push_back(i); break;
    }
    r.patterns_.push_back(std::move(*pattern));
  }
  for (size_t i = 0; i < r.table_.accounts.size(); ++i) {
    r.accounts_.emplace(match::ascii_lower(r.table_.accounts[i].name), i);
  }
  for (size_t i = 0; i < r.table_.lists.size(); ++i) {
    r.lists_.emplace(match::ascii_lower(r.table_.lists[i].name), i);
  }
  r.collector_domains_ = r.table_.local_domains;
  r.collector_domains_.insert(r.collector_domains_.end(), r.table_.accepted_domains.begin(),
                              r.table_.accepted_domains.end());
  return r;
}

Expected<Resolution> Router::resolve(std::string_view recipient, const Context& context) const {
  return Expander(*this, context, recipient).run();
}

bool Router::is_local_domain(std::string_view domain) const {
  return match::domain_listed(domain, table_.local_domains);
}

const Account* Router::find_account(std::string_view name) const {
  auto it = accounts_.find(match::ascii_lower(name));
  return it == accounts_.end() ? nullptr : &table_.accounts[it->second];
}

const List* Router::find_list(std::string_view name) const {
  auto it = lists_.find(match::ascii_lower(name));
  return it == lists_.end() ? nullptr : &table_.lists[it->second];
}

const std::vector<std::string>& Router::routing_domains(Source source) const {
  return source == Source::Collector ? collector_domains_ : table_.local_domains;
}

std::vector<const Mapping*> Router::matching_mappings(std::string_view address, const Context& context,
                                                      bool catch_alls) const {
  const std::vector<std::string>& domains = routing_domains(context.source);
  std::vector<size_t> hits;
  auto consider = [&](size_t i) {
    if (applies(table_.mappings[i], context) && patterns_[i].matches(address, domains)) hits.push_back(i);
  };
  if (catch_alls) {
    for (size_t i : catch_alls_) consider(i);
  } else {
    if (auto it = by_address_.find(match::ascii_lower(address)); it != by_address_.end()) {
      for (size_t i : it->second) consider(i);
    }
    const match::AddressParts parts = match::split_address(address);
    if (parts.has_at) {
      if (auto it = by_local_part_.find(match::ascii_lower(parts.local)); it != by_local_part_.end()) {
        for (size_t i : it->second) consider(i);
      }
    }
    for (size_t i : scanned_) consider(i);
    std::sort(hits.begin(), hits.end());  // table order, whichever index found them
  }
  std::vector<const Mapping*> out;
  out.reserve(hits.size());
  for (size_t i : hits) out.push_back(&table_.mappings[i]);
  return out;
}

}  // namespace pillarbox::route
