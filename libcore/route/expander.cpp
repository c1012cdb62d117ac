// The recipient walk behind Router::resolve: depth-first, a visited set per
// call, results deduplicated in the order found.
#include "libcore/route/expander.hpp"

#include "libcore/match/text.hpp"
#include "libcore/route/account_rules.hpp"

// Decisions where the admin guide is silent, chosen for what an administrator
// expects:
// - An address: its default account or list (user@routing domain, unless the
//   source's "disable default mappings" is set; lists follow the same switch,
//   so a multi-tenant setup really routes only by explicit mappings), then
//   every matching mapping in table order; "~@domain" mappings only when none
//   of those knew it; else a non-local address is remote.
// - A disabled account receives nothing and does not count as knowing the
//   address, so its mail goes where unknown mail goes (catch-all or NotFound).
// - Target "remote" on collected mail delivers nothing: the ISP already hands
//   that user the message (knowledge base "*REMOTE": incoming mail ignored).
// - Cycles: coming back to an account on the current path (by name or by an
//   address naming it) delivers to it without its rules again, rather than
//   losing the message; a list or an alias loop adds nothing. Depth beyond 50
//   addresses is an error.
// - A redirect whose addresses all turn out unknown keeps the local copy.
// - Assistants with "redirect" switch forwarding off (admin guide 4.5: the
//   Forward To option is deactivated), even when an assistant is the sender.
// - Internal-only lists refuse outside senders only where the recipient itself
//   leads (directly or through mappings); lists reached through a public
//   list, a forward or an assistant were let in by that hop's owner. The
//   refusal is an error only when nothing else took the recipient. Source
//   Local counts as an internal sender.
// - Unknown addresses inside lists, forwards and assistants are skipped and
//   reported in Resolution::unresolved; the catch-all account is only for the
//   recipient itself (it replaces a refusal at RCPT time).

namespace pillarbox::route {

Expander::Expander(const Router& router, const Context& context, std::string_view recipient)
    : router_(router),
      context_(context),
      recipient_(recipient),
      domains_(router.routing_domains(context.source)),
      internal_(context.sender_internal || context.source == Source::Local) {}

Expected<Resolution> Expander::run() {
  const match::AddressParts parts = match::split_address(recipient_);
  if (!parts.has_at || parts.local.empty() || parts.domain.empty()) {
    return fail(ErrorCode::InvalidInput, "recipient " + recipient_ + " is not an address (local@domain)");
  }
  auto reach = address(recipient_, 1, true);
  if (!reach) return Unexpected{reach.error()};
  // Only a local-domain address can be unknown here: others went remote.
  const std::string& catch_all = router_.table().catch_all_account;
  if (!reach->known && !reach->refused && !catch_all.empty()) {
    if (const Account* a = router_.find_account(catch_all)) {
      auto r = account(*a, 1);
      if (!r) return Unexpected{r.error()};
      *reach |= *r;
    }
  }
  if (!reach->known) {
    if (reach->refused) {
      return fail(ErrorCode::PermissionDenied, "list " + refused_list_ + " is for internal senders only");
    }
    return fail(ErrorCode::NotFound, "unknown local recipient <" + recipient_ + ">");
  }
  result_.discarded = result_.local.empty() && result_.remote.empty();
  return std::move(result_);
}

Expected<Expander::Reach> Expander::address(std::string_view addr, int depth, bool guarded) {
  if (depth > Router::kMaxDepth) return too_deep();
  const std::string key = "@" + match::ascii_lower(addr);
  if (active_.contains(key)) return cycle_back(addr);
  if (done_.contains(key)) return Reach{true, false};
  active_.insert(key);
  auto reach = address_rules(addr, depth, guarded);
  active_.erase(key);
  // Unknown or refused addresses stay open: another path may still take them.
  if (reach && reach->known) done_.insert(key);
  return reach;
}

Expected<Expander::Reach> Expander::address_rules(std::string_view addr, int depth, bool guarded) {
  const match::AddressParts parts = match::split_address(addr);
  if (!parts.has_at || parts.local.empty() || parts.domain.empty()) return Reach{};
  const bool local = match::domain_listed(parts.domain, domains_);
  Reach reach;
  if (local && defaults_enabled()) {
    if (const Account* a = router_.find_account(parts.local)) {
      auto r = account(*a, depth);
      if (!r) return r;
      reach |= *r;
    } else if (const List* l = router_.find_list(parts.local)) {
      auto r = list(*l, depth, guarded);
      if (!r) return r;
      reach |= *r;
    }
  }
  for (const Mapping* m : router_.matching_mappings(addr, context_, false)) {
    auto r = target(m->target, addr, depth, guarded);
    if (!r) return r;
    reach |= *r;
  }
  if (!reach.known && !reach.refused) {
    for (const Mapping* m : router_.matching_mappings(addr, context_, true)) {
      auto r = target(m->target, addr, depth, guarded);
      if (!r) return r;
      reach |= *r;
    }
  }
  if (!reach.known && !reach.refused && !local) {
    add_remote(addr);
    reach.known = true;
  }
  return reach;
}

// Back at an address on the current path: the accounts it names directly
// (its default account, mappings to account names) keep the message, without
// their rules; nothing is followed further.
Expander::Reach Expander::cycle_back(std::string_view addr) {
  const match::AddressParts parts = match::split_address(addr);
  auto keep = [&](const Account* a) {
    if (a && a->enabled) add_local(*a);
  };
  if (match::domain_listed(parts.domain, domains_) && defaults_enabled()) keep(router_.find_account(parts.local));
  for (const Mapping* m : router_.matching_mappings(addr, context_, false)) {
    const std::string& t = m->target;
    if (t.find('@') == std::string::npos && !match::iequals(t, "no-one") && !match::iequals(t, "remote")) {
      keep(router_.find_account(t));
    }
  }
  return Reach{true, false};
}

Expected<Expander::Reach> Expander::target(std::string_view target, std::string_view matched, int depth,
                                           bool guarded) {
  if (match::iequals(target, "no-one")) return Reach{true, false};
  if (match::iequals(target, "remote")) {
    if (context_.source != Source::Collector) add_remote(matched);
    return Reach{true, false};
  }
  // A mapping to another address is an alias: the same recipient, one level on.
  if (target.find('@') != std::string_view::npos) return address(target, depth + 1, guarded);
  return name(target, depth, guarded);
}

Expected<Expander::Reach> Expander::name(std::string_view name, int depth, bool guarded) {
  if (const Account* a = router_.find_account(name)) return account(*a, depth);
  if (const List* l = router_.find_list(name)) return list(*l, depth, guarded);
  return Reach{};  // a target that no longer exists
}

Expected<Expander::Reach> Expander::account(const Account& acct, int depth) {
  if (!acct.enabled) return Reach{};
  const std::string key = "a:" + match::ascii_lower(acct.name);
  if (active_.contains(key)) {
    add_local(acct);  // the loop ends here: this account keeps the message
    return Reach{true, false};
  }
  if (done_.contains(key)) return Reach{true, false};
  active_.insert(key);
  auto ok = account_rules(acct, depth);
  active_.erase(key);
  if (!ok) return Unexpected{ok.error()};
  done_.insert(key);
  return Reach{true, false};
}

Expected<void> Expander::account_rules(const Account& a, int depth) {
  const int date = context_.date;
  const int minute = context_.minute;
  const bool has_assistants = a.assistants_enabled && !split_entries(a.assistants).empty();
  const bool assist = has_assistants && window_open(a.assistant_window, date, minute) &&
                      !sender_is_assistant(context_.sender, a.assistants, domains_);
  const bool forward = a.forward_enabled && !(has_assistants && a.assistant_redirect) &&
                       !split_entries(a.forward_to).empty() && window_open(a.forward_window, date, minute);
  std::vector<const SizeRule*> sizes;
  for (const SizeRule& rule : a.size_rules) {
    if (size_rule_applies(rule, context_.size)) sizes.push_back(&rule);
  }
  bool redirect = (assist && a.assistant_redirect) || (forward && a.forward_redirect);
  for (const SizeRule* rule : sizes) redirect = redirect || rule->redirect;

  if (!redirect) add_local(a);
  bool redirected_somewhere = false;
  auto follow = [&](const std::vector<std::string>& addresses, bool is_redirect) -> Expected<void> {
    auto any = entries(addresses, depth + 1);
    if (!any) return Unexpected{any.error()};
    redirected_somewhere = redirected_somewhere || (is_redirect && *any);
    return {};
  };
  if (assist) {
    if (auto r = follow(a.assistants, a.assistant_redirect); !r) return r;
  }
  if (forward) {
    if (auto r = follow(a.forward_to, a.forward_redirect); !r) return r;
  }
  for (const SizeRule* rule : sizes) {
    if (auto r = follow(rule->addresses, rule->redirect); !r) return r;
  }
  if (redirect && !redirected_somewhere) add_local(a);
  return {};
}

Expected<Expander::Reach> Expander::list(const List& l, int depth, bool guarded) {
  if (guarded && !l.allow_internet && !internal_) {
    if (refused_list_.empty()) refused_list_ = l.name;
    return Reach{false, true};
  }
  const std::string key = "l:" + match::ascii_lower(l.name);
  if (active_.contains(key) || done_.contains(key)) return Reach{true, false};
  active_.insert(key);
  auto any = entries(l.members, depth + 1);
  active_.erase(key);
  if (!any) return Unexpected{any.error()};
  done_.insert(key);
  return Reach{true, false};
}

Expected<bool> Expander::entries(const std::vector<std::string>& fields, int depth) {
  if (depth > Router::kMaxDepth) return too_deep();
  bool any = false;
  for (const std::string& entry : split_entries(fields)) {
    auto r = entry.find('@') != std::string::npos ? address(entry, depth, false) : name(entry, depth, false);
    if (!r) return Unexpected{r.error()};
    if (r->known) {
      any = true;
    } else if (unresolved_seen_.insert(match::ascii_lower(entry)).second) {
      result_.unresolved.push_back(entry);
    }
  }
  return any;
}

bool Expander::defaults_enabled() const {
  const Table& t = router_.table();
  return context_.source == Source::Collector ? !t.disable_default_collector_mappings
                                              : !t.disable_default_smtp_mappings;
}

Unexpected Expander::too_deep() const {
  return fail(ErrorCode::InvalidInput,
              "Error expanding recipient <" + recipient_ + ">: Nesting Level too deep (" +
                  std::to_string(Router::kMaxDepth + 1) + "). Check the configuration for loops");
}

void Expander::add_local(const Account& a) {
  if (local_seen_.insert(a.id).second) result_.local.push_back(LocalTarget{a.id, a.name});
}

void Expander::add_remote(std::string_view addr) {
  if (remote_seen_.insert(match::ascii_lower(addr)).second) result_.remote.emplace_back(addr);
}

}  // namespace pillarbox::route
